//! The "next deadline" cell: a live countdown from the most urgent alert
//! ("contact in 0:48", "T32 late 1:20"), or the promised time.

use chrono::Duration;

use crate::domain::calendar::Calendar;
use crate::domain::settings::Settings;
use crate::domain::sla::{self, Alert, AlertKind, Level};
use crate::domain::text::Lang;
use crate::domain::ticket::{Ticket, Time};
use crate::present::t3_label;

/// `0:48`, `12:05`; from 100 hours on `4d 6h` (zh `4天6时`).
pub fn span(d: Duration, lang: Lang) -> String {
    let m = d.num_minutes().abs();
    if m >= 100 * 60 {
        let (days, hours) = (m / (24 * 60), (m % (24 * 60)) / 60);
        match lang {
            Lang::Zh => format!("{days}天{hours}时"),
            Lang::En => format!("{days}d {hours}h"),
        }
    } else {
        format!("{}:{:02}", m / 60, m % 60)
    }
}

/// What the alert is about, in a word or two.
pub fn subject(kind: AlertKind, t: &Ticket, lang: Lang) -> String {
    let s = match kind {
        AlertKind::ContactDue => lang.pick("联系", "contact"),
        AlertKind::PromiseDue if t.is_carry_in() => lang.pick("取机", "collect"),
        AlertKind::PromiseDue if t.last_appointment().is_some() => lang.pick("约定", "appt"),
        AlertKind::PromiseDue => {
            return t
                .last_promise()
                .map(|p| t3_label(p.seq))
                .unwrap_or_else(|| "T3".into());
        }
        AlertKind::ChaseCalls => lang.pick("催联", "calls"),
        AlertKind::CancelDue => lang.pick("撤单", "cancel"),
        AlertKind::PartsLate => lang.pick("备件", "parts"),
        AlertKind::SpecialNotify => lang.pick("报大区", "notify"),
        AlertKind::Untaken => lang.pick("派工", "dispatch"),
        AlertKind::NoProgress => lang.pick("进展", "progress"),
        AlertKind::Emergency => lang.pick("特急", "emergency"),
        AlertKind::CalendarUnknown => lang.pick("节假日表", "calendar"),
        AlertKind::DecisionWait => lang.pick("待大区", "region"),
    };
    s.to_string()
}

/// `contact in 0:48` / `T32 late 1:20` (zh: `联系 剩0:48` / `T32 超时1:20`).
pub fn alert_countdown(a: &Alert, t: &Ticket, now: Time, lang: Lang) -> String {
    let what = subject(a.kind, t, lang);
    let left = a.due - now;
    match (a.level, lang) {
        (Level::Breach, Lang::En) => format!("{what} late {}", span(left, lang)),
        (Level::Breach, Lang::Zh) => format!("{what} 超时{}", span(left, lang)),
        (Level::Warning, Lang::En) => format!("{what} in {}", span(left, lang)),
        (Level::Warning, Lang::Zh) => format!("{what} 剩{}", span(left, lang)),
    }
}

/// The deadline cell of a row: the most urgent alert's countdown, else the
/// promised time (`T31 11-27 14:00`), else R1's contact deadline while the
/// customer has not been reached (`contact 11-26 13:26`), else a dash.
pub fn deadline_cell(
    t: &Ticket,
    alert: Option<&Alert>,
    now: Time,
    settings: &Settings,
    cal: &Calendar,
    lang: Lang,
) -> String {
    if let Some(a) = alert {
        return alert_countdown(a, t, now, lang);
    }
    // Fixed on site, waiting for the signature: the promise is behind it
    // (R11), so its time would only look late; say when it was fixed.
    if !t.is_carry_in()
        && let Some(at) = t.fixed_at()
    {
        return format!(
            "{} {}",
            lang.pick("修复", "fixed"),
            cal.local(at).format("%m-%d %H:%M")
        );
    }
    match t.last_promise() {
        Some(p) => match p.at {
            // A carry-in T3 is the agreed collection time.
            Some(at) if t.is_carry_in() => format!(
                "{} {}",
                lang.pick("取机", "collect"),
                cal.local(at).format("%m-%d %H:%M")
            ),
            Some(at) => format!(
                "{} {}",
                t3_label(p.seq),
                cal.local(at).format("%m-%d %H:%M")
            ),
            None => format!("{} {}", t3_label(p.seq), p.kind.name(lang)),
        },
        None => match sla::quiet_due(t, settings, cal) {
            Some((sla::QuietDue::Contact, at)) => format!(
                "{} {}",
                lang.pick("联系", "contact"),
                cal.local(at).format("%m-%d %H:%M")
            ),
            _ => "—".into(),
        },
    }
}

/// A symbol for the alert level, so colour is never the only sign.
pub fn level_mark(alert: Option<&Alert>) -> &'static str {
    match alert.map(|a| a.level) {
        Some(Level::Breach) => "✗",
        Some(Level::Warning) => "~",
        None => " ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rule::Rule;
    use crate::domain::text::Msg;
    use chrono::TimeZone;

    fn ticket() -> Ticket {
        let t1 = chrono::Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap();
        let new = crate::domain::command::NewTicket {
            ticket_no: "A1".into(),
            source: crate::domain::ticket::Source::Cc,
            t1,
            service_type: crate::domain::ticket::ServiceType::Onsite,
            priority: crate::domain::ticket::Priority::Normal,
            special: false,
            urge: false,
            customer: Default::default(),
            product: Default::default(),
            fault: "x".into(),
            note: String::new(),
        };
        let e = crate::domain::event::Event {
            at: t1,
            recorded_at: t1,
            actor: "t".into(),
            from: None,
            to: crate::domain::ticket::Status::Queued,
            change: crate::domain::event::Change::Received {
                ticket: Box::new(new),
                phone_invalid: false,
                out_of_coverage: false,
            },
        };
        crate::domain::event::create(&e).unwrap()
    }

    fn alert(kind: AlertKind, level: Level, due: Time) -> Alert {
        Alert {
            ticket_no: "A1".into(),
            rule: Rule::R1,
            kind,
            level,
            due,
            message: Msg::new("", ""),
        }
    }

    #[test]
    fn spans() {
        assert_eq!(span(Duration::minutes(48), Lang::En), "0:48");
        assert_eq!(span(Duration::minutes(-80), Lang::Zh), "1:20");
        assert_eq!(span(Duration::minutes(99 * 60 + 59), Lang::En), "99:59");
        assert_eq!(span(Duration::minutes(102 * 60), Lang::En), "4d 6h");
        assert_eq!(span(Duration::minutes(193 * 60), Lang::Zh), "8天1时");
    }

    #[test]
    fn countdowns_say_what_and_how_long() {
        let t = ticket();
        let now = t.t1 + Duration::hours(3);
        let due = now + Duration::minutes(48);
        let a = alert(AlertKind::ContactDue, Level::Warning, due);
        assert_eq!(alert_countdown(&a, &t, now, Lang::En), "contact in 0:48");
        assert_eq!(alert_countdown(&a, &t, now, Lang::Zh), "联系 剩0:48");
        let late = alert(
            AlertKind::PromiseDue,
            Level::Breach,
            now - Duration::minutes(80),
        );
        assert_eq!(alert_countdown(&late, &t, now, Lang::En), "T3 late 1:20");
        assert_eq!(alert_countdown(&late, &t, now, Lang::Zh), "T3 超时1:20");
        assert_eq!(level_mark(Some(&late)), "✗");
        let cal = Calendar::cn_default();
        let settings = Settings::default();
        // No alert yet (T1 09:00, now 12:00): R1's deadline, T1 + 4 hours.
        let quiet = |t: &Ticket, lang| deadline_cell(t, None, now, &settings, &cal, lang);
        assert_eq!(quiet(&t, Lang::En), "contact 11-26 13:00");
        assert_eq!(quiet(&t, Lang::Zh), "联系 11-26 13:00");
        // T2 written (it comes with a promise) but no time: a dash.
        let mut reached = t.clone();
        reached.t2 = Some(now);
        assert_eq!(quiet(&reached, Lang::En), "—");
    }
}
