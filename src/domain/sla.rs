//! Deadlines and alerts, derived from the ticket's recorded history, the
//! calendar, the settings and now. Nothing here is stored: every alert is
//! recomputed, so none can drift (STYLE.md, event-sourced helpdesks).

use serde::Serialize;

use super::calendar::Calendar;
use super::rule::Rule;
use super::ticket::*;
use crate::config::Settings;
use crate::text::Msg;

/// The alert kinds of INTERFACE.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    ContactDue,
    ChaseCalls,
    CancelDue,
    PromiseDue,
    PartsLate,
    SpecialNotify,
    Untaken,
    NoProgress,
    Emergency,
}

impl AlertKind {
    pub fn code(self) -> &'static str {
        match self {
            AlertKind::ContactDue => "contact_due",
            AlertKind::ChaseCalls => "chase_calls",
            AlertKind::CancelDue => "cancel_due",
            AlertKind::PromiseDue => "promise_due",
            AlertKind::PartsLate => "parts_late",
            AlertKind::SpecialNotify => "special_notify",
            AlertKind::Untaken => "untaken",
            AlertKind::NoProgress => "no_progress",
            AlertKind::Emergency => "emergency",
        }
    }
}

/// `warning` before the deadline, `breach` after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Breach,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    pub ticket_no: String,
    pub rule: Rule,
    pub kind: AlertKind,
    pub level: Level,
    pub due: Time,
    /// One line saying what to do.
    pub message: Msg,
}

/// Most urgent first: breaches before warnings, then the earliest due,
/// emergencies first among equals (P4).
pub fn urgency_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    (a.level, a.due, a.kind).cmp(&(b.level, b.due, b.kind))
}

/// Every alert of one ticket at `now`, most urgent first.
pub fn ticket_alerts(t: &Ticket, now: Time, settings: &Settings, cal: &Calendar) -> Vec<Alert> {
    let mut out = Vec::new();
    if !t.status.is_workable() && t.status != Status::CancelRequested {
        return out;
    }
    let sla = &settings.sla;
    let mut push = |kind, rule, warn_from: Time, due: Time, message: Msg| {
        if now >= warn_from {
            out.push(Alert {
                ticket_no: t.ticket_no.clone(),
                rule,
                kind,
                level: if now >= due {
                    Level::Breach
                } else {
                    Level::Warning
                },
                due,
                message,
            });
        }
    };
    // R1: contact within 4 hours (T2 not yet set).
    if t.t2.is_none() && t.status.is_workable() {
        let warn = sla.deadline(cal, sla.clocks.contact, t.t1, sla.contact_warn);
        let due = sla.deadline(cal, sla.clocks.contact, t.t1, sla.contact_breach);
        push(
            AlertKind::ContactDue,
            Rule::R1,
            warn,
            due,
            Msg::new(
                "联系用户并写入承诺时间",
                "contact the customer and write the promised time",
            ),
        );
    }
    // R5/R10: the latest promised time is near or past.
    if let Some(at) = t.promised_at()
        && t.status.is_workable()
        && t.fixed_visit().is_none()
    {
        push(
            AlertKind::PromiseDue,
            if t.in_rework() { Rule::R10 } else { Rule::R5 },
            at - sla.promise_warn,
            at,
            Msg::new(
                "按承诺时间服务，或与用户改约",
                "serve by the promised time, or agree a new one",
            ),
        );
    }
    out.sort_by(urgency_order);
    out
}
