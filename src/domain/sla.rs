//! Deadlines and alerts, derived from the ticket's recorded history, the
//! calendar, the settings and now. Nothing here is stored: every alert is
//! recomputed, so none can drift (STYLE.md, event-sourced helpdesks).
//!
//! One function per alert kind of docs/interface.md; each answers "is this
//! deadline near or broken at `now`?" from the ticket's progress alone. An
//! alert disappears as soon as the action it asks for is recorded, because
//! the recorded action is exactly what the function looks for. The exact
//! moments (warn, breach, clear) are listed in `docs/deadlines.md`.

use std::cell::RefCell;

use chrono::{Datelike, Duration, NaiveDate, Timelike};
use serde::Serialize;

use super::calendar::Calendar;
use super::rule::Rule;
use super::ticket::*;
use crate::domain::settings::{ClockKind, Settings, Sla};
use crate::domain::text::{Lang, Msg};

/// The alert kinds of docs/interface.md.
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
    CalendarUnknown,
    DecisionWait,
}

impl AlertKind {
    pub const ALL: [AlertKind; 11] = [
        AlertKind::ContactDue,
        AlertKind::ChaseCalls,
        AlertKind::CancelDue,
        AlertKind::PromiseDue,
        AlertKind::PartsLate,
        AlertKind::SpecialNotify,
        AlertKind::Untaken,
        AlertKind::NoProgress,
        AlertKind::Emergency,
        AlertKind::CalendarUnknown,
        AlertKind::DecisionWait,
    ];

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
            AlertKind::CalendarUnknown => "calendar_unknown",
            AlertKind::DecisionWait => "decision_wait",
        }
    }

    /// A short display name.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            AlertKind::ContactDue => ("待联系", "contact due"),
            AlertKind::ChaseCalls => ("追呼不足", "chase calls"),
            AlertKind::CancelDue => ("应申请撤单", "cancel due"),
            AlertKind::PromiseDue => ("承诺到期", "promise due"),
            AlertKind::PartsLate => ("备件逾期", "parts late"),
            AlertKind::SpecialNotify => ("待通知大区", "notify region"),
            AlertKind::Untaken => ("未派工", "untaken"),
            AlertKind::NoProgress => ("无进展", "no progress"),
            AlertKind::Emergency => ("特急响应", "emergency"),
            AlertKind::CalendarUnknown => ("缺节假日表", "calendar unknown"),
            AlertKind::DecisionWait => ("待大区决定", "region decision"),
        };
        lang.pick(zh, en)
    }

    /// Tie-break among alerts of the same level and due time: emergencies
    /// first (P4), then in the order of the process.
    fn rank(self) -> u8 {
        match self {
            AlertKind::Emergency => 0,
            other => other as u8 + 1,
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

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Breach => "breach",
            Level::Warning => "warning",
        }
    }

    /// The mark shown before an alert in text output.
    pub fn symbol(self) -> &'static str {
        match self {
            Level::Breach => "✖",
            Level::Warning => "▲",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Level::Breach => lang.pick("超时", "breach"),
            Level::Warning => lang.pick("预警", "warning"),
        }
    }
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

impl Alert {
    /// `in 0:48` / `overdue 1:12` (`还剩 0:48` / `超时 1:12`).
    pub fn countdown(&self, now: Time, lang: Lang) -> String {
        countdown(self.due - now, lang)
    }
}

/// A signed time left as `in 1d 02:10` or `overdue 0:45`.
pub fn countdown(left: Duration, lang: Lang) -> String {
    let m = left.num_minutes().abs();
    let (d, h, mm) = (m / (24 * 60), (m / 60) % 24, m % 60);
    let span = match (d, lang) {
        (0, _) => format!("{h}:{mm:02}"),
        (d, Lang::Zh) => format!("{d}天{h:02}:{mm:02}"),
        (d, Lang::En) => format!("{d}d {h:02}:{mm:02}"),
    };
    if left > Duration::zero() {
        format!("{}{span}", lang.pick("还剩 ", "in "))
    } else {
        format!("{}{span}", lang.pick("超时 ", "overdue "))
    }
}

/// Most urgent first: breaches before warnings, then the earliest due,
/// emergencies first among equals (P4). `calendar_unknown` says how far the
/// others can be trusted, asks nothing of the ticket, and comes last.
pub fn urgency_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    let key = |x: &Alert| {
        (
            x.kind == AlertKind::CalendarUnknown,
            x.level,
            x.due,
            x.kind.rank(),
        )
    };
    key(a).cmp(&key(b))
}

/// The "most urgent first" key of a ticket, given its most urgent alert:
/// alerted before quiet; breaches before warnings; the earliest due first;
/// emergencies first among equals (P4). Quiet tickets follow by their own
/// next deadline ([`quiet_due`]), those without one last. The dashboard and
/// `ticket list` both sort by it.
pub fn urgency_key(
    t: &Ticket,
    top: Option<&Alert>,
    settings: &Settings,
    cal: &Calendar,
) -> Urgency {
    let not_emergency = t.priority != Priority::Emergency;
    let top = top.filter(|a| a.kind != AlertKind::CalendarUnknown);
    Urgency(match top {
        Some(a) => (false, a.level, false, Some(a.due), not_emergency),
        None => {
            let due = quiet_due(t, settings, cal).map(|(_, at)| at);
            (true, Level::Warning, due.is_none(), due, not_emergency)
        }
    })
}

/// What a ticket with no alert up is working towards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuietDue {
    /// R1: the customer reached within the contact time after T1.
    Contact,
    /// The agreed time: the appointment, else the promised T3.
    Promised,
}

/// The next deadline of a ticket before any alert is up: the appointment
/// or promised time when there is one, else, while the customer has not
/// been reached, R1's contact deadline (T1 + the contact time), the time
/// its `contact_due` alert counts down to.
pub fn quiet_due(t: &Ticket, settings: &Settings, cal: &Calendar) -> Option<(QuietDue, Time)> {
    if let Some(at) = t.due_at() {
        return Some((QuietDue::Promised, at));
    }
    if t.t2.is_some() || !t.status.is_workable() {
        return None;
    }
    let s = &settings.sla;
    Some((
        QuietDue::Contact,
        s.deadline(cal, s.clocks.contact, t.t1, s.contact_breach),
    ))
}

/// A ticket's place in "most urgent first" ([`urgency_key`]): small, so a
/// list of many tickets keeps one per ticket instead of recomputing it at
/// each comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Urgency((bool, Level, bool, Option<Time>, bool));

/// Every alert of one ticket at `now`, most urgent first.
///
/// Closed tickets have none. A ticket waiting for the region's decision on
/// a cancellation (R15) has only the chase of that decision: every other
/// action the alerts ask for is refused while the request is pending, and
/// the request itself answers R2's and R3's deadlines.
pub fn ticket_alerts(t: &Ticket, now: Time, settings: &Settings, cal: &Calendar) -> Vec<Alert> {
    check_alerts(&Check {
        t,
        now,
        sla: &settings.sla,
        cal,
        unknown: RefCell::new(Vec::new()),
        windows: RefCell::new(Vec::new()),
    })
}

fn check_alerts(c: &Check) -> Vec<Alert> {
    let t = c.t;
    if t.status == Status::CancelRequested {
        return c
            .decision_wait()
            .into_iter()
            .chain(c.calendar_unknown())
            .collect();
    }
    if !t.status.is_workable() {
        return Vec::new();
    }
    let mut out: Vec<Alert> = [
        c.contact_due(),
        c.chase_calls(),
        c.cancel_due(),
        c.promise_due(),
        c.parts_late(),
        c.special_notify(),
        c.untaken(),
        c.no_progress(),
        c.emergency(),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.extend(c.calendar_unknown());
    out.sort_by(urgency_order);
    out
}

/// When a ticket's place in "most urgent first" can change without a new
/// event: what the store keeps beside the ticket (written with every change
/// of it) so that the dashboard's first screen reads only the tickets it
/// shows. Independent of `now`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// The earliest moment any alert of the ticket can show; `None`: none
    /// ever will (until an event changes the ticket).
    pub alert_from: Option<Time>,
    /// No alert of the ticket falls due before this (the earliest due of
    /// them all); `None` with `alert_from`.
    pub alert_due: Option<Time>,
    /// Its [`quiet_due`]: where it stands among tickets with no alert up.
    pub quiet_due: Option<Time>,
}

/// The [`Schedule`] of a ticket: for every `now`, a ticket whose
/// `alert_from` is later has no alert up, and its [`urgency_key`] is never
/// ahead of [`Schedule::bound`].
pub fn schedule(t: &Ticket, settings: &Settings, cal: &Calendar) -> Schedule {
    if t.status.is_closed() {
        return Schedule::default();
    }
    let c = Check {
        t,
        // Any moment gives the same windows; one before the ticket was
        // received shows no alert, so no message is written (this runs at
        // every write of a ticket).
        now: t.t1 - Duration::days(1),
        sla: &settings.sla,
        cal,
        unknown: RefCell::new(Vec::new()),
        windows: RefCell::new(Vec::new()),
    };
    check_alerts(&c);
    let windows = c.windows.into_inner();
    Schedule {
        alert_from: windows.iter().map(|w| w.0).min(),
        alert_due: windows.iter().map(|w| w.1).min(),
        quiet_due: quiet_due(t, settings, cal).map(|(_, at)| at),
    }
}

impl Schedule {
    /// The most urgent place at `now` of a ticket with an alert up whose
    /// earliest due is `alert_due` or later (see [`Urgency`]).
    pub fn alerted_bound(alert_due: Time, now: Time) -> Urgency {
        let level = if alert_due <= now {
            Level::Breach
        } else {
            Level::Warning
        };
        Urgency((false, level, false, Some(alert_due), false))
    }

    /// The most urgent place of a ticket with no alert up whose quiet
    /// deadline is `quiet_due` or later (`None`: it has none).
    pub fn quiet_bound(quiet_due: Option<Time>) -> Urgency {
        Urgency((true, Level::Warning, quiet_due.is_none(), quiet_due, false))
    }
}

/// The alerts of many tickets (the open ones, usually), most urgent first.
pub fn open_alerts(
    tickets: &[Ticket],
    now: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Vec<Alert> {
    let mut out: Vec<Alert> = tickets
        .iter()
        .flat_map(|t| ticket_alerts(t, now, settings, cal))
        .collect();
    sort_alerts(&mut out);
    out
}

/// Puts the alerts of many tickets (each ticket's in its own order, as
/// [`ticket_alerts`] gives them) most urgent first, ticket by ticket
/// between equals: the order of [`open_alerts`], whatever order the
/// tickets came in.
pub fn sort_alerts(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| urgency_order(a, b).then_with(|| a.ticket_no.cmp(&b.ticket_no)));
}

/// The years without a holiday table that matter now: the current year,
/// and those of the deadlines behind `calendar_unknown` alerts. Empty when
/// every year is known (or the calendar is Monday–Friday by choice).
pub fn missing_years<'a>(
    cal: &Calendar,
    now: Time,
    alerts: impl IntoIterator<Item = &'a Alert>,
) -> Vec<i32> {
    let mut years: Vec<i32> = alerts
        .into_iter()
        .filter(|a| a.kind == AlertKind::CalendarUnknown)
        .filter_map(|a| cal.missing_year(a.due))
        .chain(cal.missing_year(now))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// `no holiday table for 2027` / `缺 2027 年节假日表`, for headers and
/// summaries.
pub fn missing_years_text(years: &[i32], lang: Lang) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(i32::to_string).collect();
    Some(match lang {
        Lang::Zh => format!("缺 {} 年节假日表", list.join("、")),
        Lang::En => format!("no holiday table for {}", list.join(", ")),
    })
}

/// One ticket at one moment.
struct Check<'a> {
    t: &'a Ticket,
    now: Time,
    sla: &'a Sla,
    cal: &'a Calendar,
    /// Deadlines counted in working time that start or end in a year
    /// without a holiday table, with the rule they belong to.
    unknown: RefCell<Vec<(Rule, Time, i32)>>,
    /// Every alert this ticket can show, whether or not it shows at `now`:
    /// from when, and its due (see [`schedule`]).
    windows: RefCell<Vec<(Time, Time)>>,
}

impl Check<'_> {
    /// `d` after `from` on `clock`; a working-time deadline touching a year
    /// without a holiday table is noted for `calendar_unknown`.
    fn deadline(&self, rule: Rule, clock: ClockKind, from: Time, d: Duration) -> Time {
        let due = self.sla.deadline(self.cal, clock, from, d);
        if clock == ClockKind::Working {
            self.note_unknown(rule, from, due);
        }
        due
    }

    /// `days` working days after `from` (always working time).
    fn working_days(&self, rule: Rule, from: Time, days: f64) -> Time {
        let due = self.cal.add_working_days(from, days);
        self.note_unknown(rule, from, due);
        due
    }

    fn note_unknown(&self, rule: Rule, from: Time, due: Time) {
        if let Some(year) = self
            .cal
            .missing_year(due)
            .or_else(|| self.cal.missing_year(from))
        {
            self.unknown.borrow_mut().push((rule, due, year));
        }
    }

    /// A deadline of this ticket is counted in a year the calendar has no
    /// holiday table for: Monday–Friday only, so it may be wrong. One
    /// warning a ticket, at the earliest such deadline; it stays while the
    /// deadline is pending, whatever its own alert says.
    fn calendar_unknown(&self) -> Option<Alert> {
        let (rule, due, year) = self
            .unknown
            .borrow()
            .iter()
            .copied()
            .min_by_key(|(_, due, _)| *due)?;
        let when = self.hm(due);
        Some(Alert {
            ticket_no: self.t.ticket_no.clone(),
            rule: Rule::Calendar,
            kind: AlertKind::CalendarUnknown,
            level: Level::Warning,
            due,
            message: Msg::new(
                format!(
                    "{year} 年没有节假日表：{rule} 的期限（{when}）只按周一至周五计算，可能不准；在配置 [calendar] 中加入 {year} 年的表"
                ),
                format!(
                    "no holiday table for {year}: the {rule} deadline ({when}) counts Monday–Friday only and may be wrong; add the {year} table under [calendar] in the configuration"
                ),
            ),
        })
    }

    /// An alert if `now` has reached `warn_from`; breach from `due` on.
    fn alert(
        &self,
        kind: AlertKind,
        rule: Rule,
        warn_from: Time,
        due: Time,
        message: impl FnOnce(Level) -> Msg,
    ) -> Option<Alert> {
        self.windows.borrow_mut().push((warn_from.min(due), due));
        if self.now < warn_from.min(due) {
            return None;
        }
        let level = if self.now >= due {
            Level::Breach
        } else {
            Level::Warning
        };
        Some(Alert {
            ticket_no: self.t.ticket_no.clone(),
            rule,
            kind,
            level,
            due,
            message: message(level),
        })
    }

    fn hm(&self, t: Time) -> String {
        self.cal.local(t).format("%m-%d %H:%M").to_string()
    }

    /// R1: the customer is contacted (T2 set by the first T3 write) within
    /// 4 h of T1; warn at 3 h.
    fn contact_due(&self) -> Option<Alert> {
        let (t, s) = (self.t, self.sla);
        if t.t2.is_some() {
            return None;
        }
        let warn = self.deadline(Rule::R1, s.clocks.contact, t.t1, s.contact_warn);
        let due = self.deadline(Rule::R1, s.clocks.contact, t.t1, s.contact_breach);
        let tried = t
            .progress
            .contacts
            .iter()
            .any(|c| c.result == ContactResult::NoAnswer);
        self.alert(AlertKind::ContactDue, Rule::R1, warn, due, |_| {
            if t.phone_invalid {
                Msg::new(
                    "号码不存在：核实后向大区申请撤单（原因：空号，R3）",
                    "the number does not exist: verify it, then ask the region to cancel (reason wrong-number, R3)",
                )
            } else if tried {
                Msg::new(
                    "用户未接通：继续联系并登记；报修满 3.5 小时后可标记无法联系（R2）",
                    "no answer so far: keep calling and log each call; 3.5 h after T1 it may be marked unreachable (R2)",
                )
            } else {
                Msg::new(
                    "联系用户、判断故障并写入承诺时间 T31",
                    "contact the customer, judge the fault and write the promised time T31",
                )
            }
        })
    }

    /// Has the customer been reached since the ticket was marked unreachable?
    /// Then chasing stops and no cancellation is due: the coordinator writes
    /// T32 (R2).
    fn reached_since(&self, marked: Time) -> bool {
        self.t
            .progress
            .contacts
            .iter()
            .any(|c| c.at >= marked && c.result == ContactResult::Reached)
    }

    /// R2: an unreachable customer is called `chase_calls_per_day` times a
    /// working day during the `chase_days` working days after the marking.
    ///
    /// The chase period runs in working time from the marking; a working day
    /// only partly inside it (the marking day, the last day) needs its share
    /// of the calls, rounded up. The day judged is the latest working day
    /// whose working hours have begun: a warning while that day's hours run
    /// and calls are missing, a breach from its end (17:30) until the next
    /// working day begins. Calls count by station-local date from the
    /// marking on, so a call logged in the evening still counts for the day.
    fn chase_calls(&self) -> Option<Alert> {
        let (t, s, cal) = (self.t, self.sla, self.cal);
        if !t.is_unreachable() {
            return None;
        }
        let marked = t.progress.unreachable_at?;
        if self.reached_since(marked) {
            return None;
        }
        // Which day is judged depends on now: whatever the day, it is the
        // marking's day or later (its hours begin at most a day before the
        // marking), and the alert falls due after the marking.
        self.windows
            .borrow_mut()
            .push((marked - Duration::days(1), marked));
        let period_end = self.working_days(Rule::R2, marked, f64::from(s.chase_days));
        let (day, start, end) = self.current_working_day()?;
        let overlap = end.min(period_end) - start.max(marked);
        if overlap <= Duration::zero() {
            return None;
        }
        let per_day = s.chase_calls_per_day.max(1);
        let share = overlap.num_seconds() as f64 / cal.day_length().num_seconds().max(1) as f64;
        let required = ((f64::from(per_day) * share.min(1.0)).ceil() as u32).clamp(1, per_day);
        let calls = t
            .progress
            .contacts
            .iter()
            .filter(|c| {
                c.result == ContactResult::NoAnswer
                    && c.at >= marked
                    && cal.local(c.at).date_naive() == day
            })
            .count() as u32;
        if calls >= required {
            return None;
        }
        let due = end.min(period_end);
        let date = format!("{:02}-{:02}", day.month(), day.day());
        self.alert(AlertKind::ChaseCalls, Rule::R2, start, due, |level| {
            match level {
                Level::Warning => Msg::new(
                    format!("无法联系的用户：今天已拨 {calls}/{required} 次，请继续拨打并逐次登记"),
                    format!(
                        "unreachable customer: {calls} of {required} calls logged today; keep calling and log each call"
                    ),
                ),
                Level::Breach => Msg::new(
                    format!(
                        "无法联系的用户：{date} 只登记了 {calls}/{required} 次拨打（每个工作日 {per_day} 次）；补登已拨的电话"
                    ),
                    format!(
                        "unreachable customer: only {calls} of {required} calls logged on {date} ({per_day} a working day); log any calls made"
                    ),
                ),
            }
        })
    }

    /// The latest working day whose working hours began at or before now:
    /// its date and working interval.
    fn current_working_day(&self) -> Option<(NaiveDate, Time, Time)> {
        let mut d = self.cal.local(self.now).date_naive();
        // Far more than the longest run of days off in a calendar year.
        for _ in 0..60 {
            if let Some((s, e)) = self.cal.working_day_bounds(d)
                && s <= self.now
            {
                return Some((d, s, e));
            }
            d = d.pred_opt()?;
        }
        None
    }

    /// R2: still unreachable `cancel_after_workdays` working days after T1:
    /// the ticket goes to the region for cancellation (R15). Warns half a
    /// working day before.
    fn cancel_due(&self) -> Option<Alert> {
        let (t, s, cal) = (self.t, self.sla, self.cal);
        // Reached since, or the region already said no to this unreachable
        // ticket: do not ask for the same cancellation again.
        t.still_unreachable_since()?;
        let due = self.working_days(Rule::R2, t.t1, s.cancel_after_workdays);
        let warn = cal.add_working_days(t.t1, (s.cancel_after_workdays - 0.5).max(0.0));
        let at = self.hm(due);
        self.alert(AlertKind::CancelDue, Rule::R2, warn, due, |level| match level {
            Level::Warning => Msg::new(
                format!("仍无法联系：{at} 起向大区申请撤单；在此之前继续拨打"),
                format!(
                    "still unreachable: from {at} ask the region to cancel; keep calling until then"
                ),
            ),
            Level::Breach => Msg::new(
                format!(
                    "报修满 {} 个工作日仍无法联系：向大区申请撤单（原因：无法联系）",
                    s.cancel_after_workdays
                ),
                format!(
                    "unreachable {} working days after T1: ask the region to cancel (reason unreachable)",
                    s.cancel_after_workdays
                ),
            ),
        })
    }

    /// R5/R10/R12: the latest promised time (T3), or the appointment agreed
    /// after T33, is near or past and the machine is not fixed yet. Clears
    /// on a fixed visit, a refused visit, or a new time further out.
    fn promise_due(&self) -> Option<Alert> {
        let t = self.t;
        if t.fixed_at().is_some() {
            return None;
        }
        let (at, written_at, label) = match t.last_appointment() {
            Some(a) => (a.at, a.written_at, None),
            None => {
                let p = t.last_promise()?;
                (p.at?, p.written_at, Some(format!("T3{}", p.seq)))
            }
        };
        if t.progress.refused_at.is_some_and(|r| r >= written_at) {
            return None;
        }
        let rule = if label.is_none() {
            Rule::R12
        } else if t.in_rework() {
            Rule::R10
        } else {
            Rule::R5
        };
        let when = self.hm(at);
        let last = t.promises().len() >= 3;
        let (zh_label, en_label) = match &label {
            Some(l) => (l.clone(), l.clone()),
            None => ("约定时间".to_string(), "the appointment".to_string()),
        };
        // A dispatched engineer reports the visit (arrival, completion) when
        // it is done, and the promise is kept by the arrival: until a report
        // is due (P2's `no_progress` after the time) a dispatched ticket is
        // not known to be late.
        let reported = t.progress.visits.iter().any(|v| v.at > written_at);
        let due = match &t.engineer {
            Some(_) if !reported => at + self.sla.no_progress,
            _ => at,
        };
        self.alert(
            AlertKind::PromiseDue,
            rule,
            at - self.sla.promise_warn,
            due,
            |level| match (level, last) {
                (Level::Warning, _) if t.is_carry_in() => Msg::new(
                    format!("{zh_label} 约定取机 {when}：确认按时修好并通知用户"),
                    format!("{en_label} collection agreed for {when}: make sure the machine is repaired and ready"),
                ),
                (Level::Breach, false) if t.is_carry_in() => Msg::new(
                    format!("{zh_label}（约定取机 {when}）已过：尽快修好，或与用户另约取机时间并写下一个 T3"),
                    format!(
                        "{en_label} (collection at {when}) has passed: finish the repair, or agree a new collection time and write the next T3"
                    ),
                ),
                (Level::Warning, _) => Msg::new(
                    format!("{zh_label} {when}：确认工程师按时服务"),
                    format!("{en_label} for {when}: make sure the service happens on time"),
                ),
                (Level::Breach, false) => Msg::new(
                    format!("{zh_label}（{when}）已过：立即服务，或与用户另约时间并写下一个 T3"),
                    format!(
                        "{en_label} ({when}) has passed: serve now, or agree a new time and write the next T3"
                    ),
                ),
                (Level::Breach, true) => Msg::new(
                    format!(
                        "{zh_label}（{when}）已过且承诺次数已用完：立即服务，或上报大区并记录新的约定（escalate / appoint，R12）"
                    ),
                    format!(
                        "{en_label} ({when}) has passed and no T3 is left: serve now, or escalate and record the new appointment (escalate / appoint, R12)"
                    ),
                ),
            },
        )
    }

    /// R8: an undelivered parts order past its expected delivery. Warns from
    /// the start of the expected day; clears when the parts arrive or when a
    /// T3 of type `parts` is written after the expected time (the customer
    /// was told again).
    fn parts_late(&self) -> Option<Alert> {
        let t = self.t;
        let explained = |eta: Time| {
            t.promises()
                .iter()
                .any(|p| p.ptype == PromiseType::Parts && p.written_at >= eta)
        };
        let order = t
            .open_parts()
            .filter(|o| o.eta.is_some_and(|eta| !explained(eta)))
            .min_by_key(|o| o.eta)?;
        let eta = order.eta?;
        let local = self.cal.local(eta);
        let day_start = eta - Duration::seconds(i64::from(local.num_seconds_from_midnight()));
        let (ord, part, when) = (&order.order, &order.part, self.hm(eta));
        self.alert(
            AlertKind::PartsLate,
            Rule::R8,
            day_start,
            eta,
            |level| match level {
                Level::Warning => Msg::new(
                    format!("备件 {ord}:{part} 预计 {when} 到货：到货后登记"),
                    format!("parts {ord}:{part} expected {when}: record the arrival when delivered"),
                ),
                Level::Breach => Msg::new(
                    format!(
                        "备件 {ord}:{part} 未按时（{when}）到货：再次向用户说明，并写下一个 T3（类型：备件原因）"
                    ),
                    format!(
                        "parts {ord}:{part} not delivered by {when}: explain to the customer again and write the next T3 with type parts"
                    ),
                ),
            },
        )
    }

    /// R14: a special customer's ticket; the region is told within half a
    /// working day of T1. A to-do from the moment the ticket arrives.
    fn special_notify(&self) -> Option<Alert> {
        let t = self.t;
        if !t.special || t.progress.region_notified_at.is_some() {
            return None;
        }
        let due = self.working_days(Rule::R14, t.t1, self.sla.special_notify_workdays);
        self.alert(AlertKind::SpecialNotify, Rule::R14, t.t1, due, |_| {
            Msg::new(
                "特殊身份用户：通知大区并登记（notify-region）",
                "special customer: notify the region and record it (notify-region)",
            )
        })
    }

    /// P1: an onsite ticket is due for dispatch `untaken_lead` before the
    /// visit time (its T3, or the appointment after T33) — at once for an
    /// emergency, never before the time was agreed nor while parts are
    /// awaited; with no engineer `untaken_escalate` after that, it is
    /// escalated. A visit days away is not late today.
    fn untaken(&self) -> Option<Alert> {
        let (t, s) = (self.t, self.sla);
        if t.service_type != ServiceType::Onsite || t.engineer.is_some() {
            return None;
        }
        if t.open_parts().next().is_some() {
            return None;
        }
        let (visit_at, agreed) = match t.last_appointment() {
            Some(a) => (a.at, a.written_at),
            None => {
                let p = t.last_promise().filter(|p| p.kind == PromiseKind::Time)?;
                (p.at?, p.written_at)
            }
        };
        let lead_from = if t.priority == Priority::Emergency {
            agreed
        } else {
            visit_at - s.untaken_lead
        };
        let arrived = t.progress.parts.iter().filter_map(|o| o.arrived_at).max();
        let since = [Some(lead_from), Some(agreed), arrived]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(agreed);
        let due = self.deadline(Rule::P1, s.clocks.untaken, since, s.untaken_escalate);
        let when = self.hm(visit_at);
        self.alert(AlertKind::Untaken, Rule::P1, since, due, |_| {
            Msg::new(
                format!("{when} 上门但未派工：打印维修单并派工程师"),
                format!(
                    "a visit at {when} has no engineer assigned: print the work order and dispatch"
                ),
            )
        })
    }

    /// P2: a dispatched ticket with nothing recorded for `no_progress`. The
    /// period starts at the last event, or at the promised time if that is
    /// later (nothing is expected before the engineer is due). Warns halfway.
    fn no_progress(&self) -> Option<Alert> {
        let (t, s) = (self.t, self.sla);
        let engineer = t.engineer.as_deref()?;
        t.progress.dispatched_at?;
        let last = t.progress.last_event_at.unwrap_or(t.updated_at);
        let since = t.due_at().map_or(last, |p| p.max(last));
        let clock = s.clocks.no_progress;
        let warn = self.deadline(Rule::P2, clock, since, s.no_progress / 2);
        let due = self.deadline(Rule::P2, clock, since, s.no_progress);
        let fixed = t.fixed_at().is_some();
        let when = self.hm(since);
        self.alert(AlertKind::NoProgress, Rule::P2, warn, due, |_| {
            if fixed {
                Msg::new(
                    format!("已修复但未关闭：取得用户签字后关闭（{engineer}）"),
                    format!(
                        "fixed but not closed: close it with the customer's signature ({engineer})"
                    ),
                )
            } else {
                Msg::new(
                    format!("{when} 以来没有任何记录：向 {engineer} 了解进展并登记"),
                    format!(
                        "nothing recorded since {when}: ask {engineer} how it stands and record it"
                    ),
                )
            }
        })
    }

    /// P4: an emergency ticket has an engineer on site within
    /// `emergency_response` of T1: the target runs to the first visit's
    /// arrival, not to the dispatch (phone resolution closes it).
    fn emergency(&self) -> Option<Alert> {
        let (t, s) = (self.t, self.sla);
        if t.priority != Priority::Emergency || !t.progress.visits.is_empty() {
            return None;
        }
        let due = self.deadline(Rule::P4, s.clocks.emergency, t.t1, s.emergency_response);
        let msg = match t.engineer.as_deref() {
            Some(e) => Msg::new(
                format!("特急单：{e} 须在报修后 30 分钟内到场；到场后登记上门"),
                format!(
                    "emergency: {e} is due on site within the response target; record the visit on arrival"
                ),
            ),
            None => Msg::new(
                "特急单：立即联系用户并派工程师到场",
                "emergency: contact the customer and get an engineer on site now",
            ),
        };
        self.alert(AlertKind::Emergency, Rule::P4, t.t1, due, |_| msg)
    }

    /// R15: a cancellation request waits for the region's decision longer
    /// than `decision_wait_workdays`; warns halfway.
    fn decision_wait(&self) -> Option<Alert> {
        let (t, s, cal) = (self.t, self.sla, self.cal);
        let c = t
            .progress
            .cancel
            .as_ref()
            .filter(|c| c.decided_at.is_none())?;
        let due = self.working_days(Rule::R15, c.requested_at, s.decision_wait_workdays);
        let warn = cal.add_working_days(c.requested_at, s.decision_wait_workdays / 2.0);
        let since = self.hm(c.requested_at);
        self.alert(AlertKind::DecisionWait, Rule::R15, warn, due, |_| {
            Msg::new(
                format!("{since} 申请的撤单仍待大区决定：催促大区审批"),
                format!(
                    "the cancellation requested {since} still waits for the region: chase the decision"
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests;
