//! Each alert kind: appears at the right moment, escalates from warning to
//! breach, and clears on the action it asks for. Tickets are driven through
//! the real `decide`/`apply` path, without SQLite.

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::command::{Command, NewTicket};
use crate::domain::event;
use crate::domain::rules::{self, Context, Role, StaffLoad};
use crate::domain::settings::ClockKind;

/// A Shanghai local time as UTC.
fn sh(y: i32, m: u32, d: u32, h: u32, min: u32) -> Time {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

struct Sim {
    t: Ticket,
    settings: Settings,
    cal: Calendar,
}

#[derive(Clone, Copy)]
struct Opts {
    service: ServiceType,
    priority: Priority,
    special: bool,
}

const ONSITE: Opts = Opts {
    service: ServiceType::Onsite,
    priority: Priority::Normal,
    special: false,
};

impl Sim {
    fn new(t1: Time, o: Opts) -> Sim {
        Sim::with_settings(t1, o, Settings::default())
    }

    fn with_settings(t1: Time, o: Opts, settings: Settings) -> Sim {
        let cal = settings.calendar();
        let n = NewTicket {
            ticket_no: "CC-1".into(),
            source: Source::Cc,
            t1,
            service_type: o.service,
            priority: o.priority,
            special: o.special,
            urge: false,
            customer: Customer {
                name: "张三".into(),
                phones: vec!["13800138000".into()],
                address: "海淀区中关村大街 1 号".into(),
                district: "海淀区".into(),
            },
            product: Product::default(),
            fault: "不开机".into(),
            note: String::new(),
        };
        let ctx = ctx(t1, &settings, &cal);
        let d = rules::decide_new(n, &ctx).expect("new ticket");
        let t = event::create(&d.events[0]).unwrap();
        Sim { t, settings, cal }
    }

    fn run(&mut self, at: Time, cmd: Command) {
        let ctx = ctx(at, &self.settings, &self.cal);
        let d = rules::decide(&self.t, &cmd, &ctx)
            .unwrap_or_else(|r| panic!("{} refused: {}", cmd.name(), r.render(Lang::En)));
        for e in &d.events {
            event::apply(&mut self.t, e);
        }
    }

    fn alerts(&self, now: Time) -> Vec<Alert> {
        ticket_alerts(&self.t, now, &self.settings, &self.cal)
    }

    /// The level of the alert of `kind` at `now`, if any.
    fn level(&self, now: Time, kind: AlertKind) -> Option<Level> {
        self.get(now, kind).map(|a| a.level)
    }

    fn get(&self, now: Time, kind: AlertKind) -> Option<Alert> {
        self.alerts(now).into_iter().find(|a| a.kind == kind)
    }

    fn contact(&mut self, at: Time, result: ContactResult) {
        self.run(
            at,
            Command::Contact {
                result,
                note: String::new(),
            },
        );
    }

    fn promise(&mut self, at: Time, when: Time) {
        self.run(
            at,
            Command::Promise {
                at: when,
                ptype: None,
                reason: None,
            },
        );
    }

    fn dispatch(&mut self, at: Time) {
        self.run(at, Command::Print);
        self.run(
            at,
            Command::Dispatch {
                engineer: "王工".into(),
                site: None,
                override_reason: None,
            },
        );
    }
}

fn ctx<'a>(now: Time, settings: &'a Settings, cal: &'a Calendar) -> Context<'a> {
    Context {
        now,
        actor: "coord",
        role: Role::Coordinator,
        settings,
        calendar: cal,
        staff: Some(StaffLoad {
            name: "王工".into(),
            capacity: 5,
            site: None,
            load: 0,
        }),
    }
}

use AlertKind::*;
use Level::{Breach, Warning};

#[test]
fn contact_due_warns_at_3h_breaches_at_4h_clears_on_promise() {
    // Thu 2026-11-26 09:30.
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    assert_eq!(s.level(sh(2026, 11, 26, 12, 29), ContactDue), None);
    let a = s.get(sh(2026, 11, 26, 12, 30), ContactDue).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::R1, sh(2026, 11, 26, 13, 30))
    );
    assert!(a.message.en.contains("write the promised time"));
    assert_eq!(s.level(sh(2026, 11, 26, 13, 30), ContactDue), Some(Breach));
    // An unanswered call does not clear it, but changes the advice.
    s.contact(sh(2026, 11, 26, 13, 35), ContactResult::NoAnswer);
    let a = s.get(sh(2026, 11, 26, 13, 36), ContactDue).unwrap();
    assert_eq!(a.level, Breach);
    assert!(a.message.en.contains("keep calling"));
    // Writing T31 sets T2: cleared.
    s.promise(sh(2026, 11, 26, 13, 40), sh(2026, 11, 27, 10, 0));
    assert_eq!(s.level(sh(2026, 11, 26, 13, 41), ContactDue), None);
}

#[test]
fn contact_due_on_working_clock_crosses_the_weekend() {
    let mut settings = Settings::default();
    settings.sla.clocks.contact = ClockKind::Working;
    // Fri 2026-11-27 16:00: 1.5 h on Friday, the rest on Monday.
    let s = Sim::with_settings(sh(2026, 11, 27, 16, 0), ONSITE, settings);
    assert_eq!(s.level(sh(2026, 11, 28, 12, 0), ContactDue), None);
    assert_eq!(s.level(sh(2026, 11, 30, 10, 29), ContactDue), None);
    assert_eq!(s.level(sh(2026, 11, 30, 10, 30), ContactDue), Some(Warning));
    let a = s.get(sh(2026, 11, 30, 11, 30), ContactDue).unwrap();
    assert_eq!((a.level, a.due), (Breach, sh(2026, 11, 30, 11, 30)));
}

#[test]
fn wrong_number_advises_cancellation_and_the_request_clears_everything() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.contact(sh(2026, 11, 26, 10, 0), ContactResult::WrongNumber);
    let a = s.get(sh(2026, 11, 26, 13, 30), ContactDue).unwrap();
    assert!(a.message.en.contains("wrong-number"), "{}", a.message.en);
    s.run(
        sh(2026, 11, 26, 13, 40),
        Command::RequestCancel {
            reason: CancelReason::WrongNumber,
            note: String::new(),
        },
    );
    // Only the region's decision is left to chase (R15): half a working
    // day on it warns, one working day breaches (Fri 13:40).
    assert!(s.alerts(sh(2026, 11, 26, 17, 0)).is_empty());
    let a = s.get(sh(2026, 11, 27, 9, 30), DecisionWait).unwrap();
    assert_eq!((a.level, a.rule), (Warning, Rule::R15));
    let kinds: Vec<_> = s
        .alerts(sh(2026, 11, 30, 9, 0))
        .iter()
        .map(|a| (a.kind, a.level))
        .collect();
    assert_eq!(kinds, vec![(DecisionWait, Breach)]);
    assert_eq!(
        s.get(sh(2026, 11, 30, 9, 0), DecisionWait).unwrap().due,
        sh(2026, 11, 27, 13, 40)
    );
    s.run(
        sh(2026, 11, 30, 9, 10),
        Command::DecideCancel {
            approve: false,
            by: "大区".into(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 30, 9, 11), DecisionWait), None);
}

/// T1 Mon 2026-11-23 09:00, marked unreachable at 12:30; the 3 working days
/// of chasing run to Thu 12:30.
fn unreachable_monday() -> Sim {
    let mut s = Sim::new(sh(2026, 11, 23, 9, 0), ONSITE);
    s.contact(sh(2026, 11, 23, 9, 10), ContactResult::NoAnswer);
    s.contact(sh(2026, 11, 23, 11, 0), ContactResult::NoAnswer);
    s.run(sh(2026, 11, 23, 12, 30), Command::MarkUnreachable);
    s
}

fn calls(s: &mut Sim, times: &[Time]) {
    for &t in times {
        s.contact(t, ContactResult::NoAnswer);
    }
}

#[test]
fn chase_calls_day_by_day() {
    let mut s = unreachable_monday();
    // Marking sets T2: no contact alert any more.
    assert_eq!(s.level(sh(2026, 11, 23, 13, 30), ContactDue), None);
    // Monday 12:30–17:30 is 5 of 8.5 working hours: ceil(6 × 5/8.5) = 4
    // calls, due at 17:30; the calls before the marking do not count.
    let a = s.get(sh(2026, 11, 23, 13, 0), ChaseCalls).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::R2, sh(2026, 11, 23, 17, 30))
    );
    assert!(a.message.en.contains("0 of 4"), "{}", a.message.en);
    calls(
        &mut s,
        &[
            sh(2026, 11, 23, 13, 0),
            sh(2026, 11, 23, 14, 0),
            sh(2026, 11, 23, 15, 0),
        ],
    );
    assert!(
        s.get(sh(2026, 11, 23, 15, 1), ChaseCalls)
            .unwrap()
            .message
            .en
            .contains("3 of 4")
    );
    s.contact(sh(2026, 11, 23, 16, 0), ContactResult::NoAnswer);
    assert_eq!(s.level(sh(2026, 11, 23, 16, 1), ChaseCalls), None);
    assert_eq!(s.level(sh(2026, 11, 24, 8, 59), ChaseCalls), None);
    // Tuesday: 6 calls by 17:30.
    let a = s.get(sh(2026, 11, 24, 9, 0), ChaseCalls).unwrap();
    assert_eq!((a.level, a.due), (Warning, sh(2026, 11, 24, 17, 30)));
    calls(&mut s, &[sh(2026, 11, 24, 9, 5), sh(2026, 11, 24, 10, 0)]);
    // The day ended short: breach through the night.
    let a = s.get(sh(2026, 11, 24, 18, 0), ChaseCalls).unwrap();
    assert_eq!(a.level, Breach);
    assert!(a.message.en.contains("only 2 of 6"), "{}", a.message.en);
    assert_eq!(s.level(sh(2026, 11, 25, 8, 0), ChaseCalls), Some(Breach));
    // Calls made that evening are logged late: they still count for Tuesday.
    calls(
        &mut s,
        &[
            sh(2026, 11, 24, 18, 10),
            sh(2026, 11, 24, 18, 20),
            sh(2026, 11, 24, 18, 30),
            sh(2026, 11, 24, 18, 40),
        ],
    );
    assert_eq!(s.level(sh(2026, 11, 24, 18, 41), ChaseCalls), None);
    // Wednesday is a full day again.
    assert_eq!(s.level(sh(2026, 11, 25, 9, 0), ChaseCalls), Some(Warning));
    // Thursday runs until 12:30: ceil(6 × 3.5/8.5) = 3 calls.
    let a = s.get(sh(2026, 11, 26, 9, 0), ChaseCalls).unwrap();
    assert_eq!(a.due, sh(2026, 11, 26, 12, 30));
    assert!(a.message.en.contains("0 of 3"), "{}", a.message.en);
    // Friday is past the chase period.
    assert_eq!(s.level(sh(2026, 11, 27, 10, 0), ChaseCalls), None);
}

#[test]
fn reaching_the_customer_ends_chasing_and_cancellation() {
    let mut s = unreachable_monday();
    assert!(s.get(sh(2026, 11, 24, 9, 0), ChaseCalls).is_some());
    s.contact(sh(2026, 11, 24, 9, 30), ContactResult::Reached);
    assert_eq!(s.level(sh(2026, 11, 24, 9, 31), ChaseCalls), None);
    assert_eq!(s.level(sh(2026, 12, 1, 9, 0), CancelDue), None);
    // T32 written normally afterwards (R2).
    s.run(
        sh(2026, 11, 24, 9, 35),
        Command::Promise {
            at: sh(2026, 11, 25, 10, 0),
            ptype: Some(PromiseType::Customer),
            reason: Some("用户出差，今天才联系上".into()),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 25, 9, 0), PromiseDue), Some(Warning));
}

#[test]
fn chase_and_cancel_over_national_day_2026() {
    // T1 Wed 2026-09-30 10:00; marked unreachable 14:00.
    let mut s = Sim::new(sh(2026, 9, 30, 10, 0), ONSITE);
    s.contact(sh(2026, 9, 30, 10, 30), ContactResult::NoAnswer);
    s.run(sh(2026, 9, 30, 14, 0), Command::MarkUnreachable);
    // 14:00–17:30 on 30 Sep: ceil(6 × 3.5/8.5) = 3 calls.
    calls(&mut s, &[sh(2026, 9, 30, 14, 30), sh(2026, 9, 30, 15, 30)]);
    assert!(
        s.get(sh(2026, 9, 30, 16, 0), ChaseCalls)
            .unwrap()
            .message
            .en
            .contains("2 of 3")
    );
    // During the holiday the short 30 Sep stays a breach...
    assert_eq!(s.level(sh(2026, 10, 3, 10, 0), ChaseCalls), Some(Breach));
    // ... until the missing call is logged for that day.
    s.contact(sh(2026, 9, 30, 17, 0), ContactResult::NoAnswer);
    assert_eq!(s.level(sh(2026, 10, 3, 10, 0), ChaseCalls), None);
    // Chasing resumes on Thu 8 Oct; the make-up Saturday 10 Oct is a chase
    // day up to 14:00 (3.5 + 8.5 + 8.5 + 5 h = 3 working days).
    assert_eq!(s.level(sh(2026, 10, 8, 9, 0), ChaseCalls), Some(Warning));
    let a = s.get(sh(2026, 10, 10, 9, 0), ChaseCalls).unwrap();
    assert_eq!(a.due, sh(2026, 10, 10, 14, 0));
    assert_eq!(s.level(sh(2026, 10, 12, 9, 0), ChaseCalls), None);
    // Cancellation: 5 working days after T1 is Tue 13 Oct 10:00 (docs/process.md);
    // the warning starts half a working day before, Mon 12 Oct 14:15.
    assert_eq!(s.level(sh(2026, 10, 12, 14, 14), CancelDue), None);
    let a = s.get(sh(2026, 10, 12, 14, 15), CancelDue).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::R2, sh(2026, 10, 13, 10, 0))
    );
    assert_eq!(s.level(sh(2026, 10, 13, 10, 0), CancelDue), Some(Breach));
    s.run(
        sh(2026, 10, 13, 10, 5),
        Command::RequestCancel {
            reason: CancelReason::Unreachable,
            note: String::new(),
        },
    );
    assert!(s.alerts(sh(2026, 10, 13, 10, 6)).is_empty());
    // The region rejects: the ticket is workable again, but the same
    // cancellation is not asked for twice.
    s.run(
        sh(2026, 10, 13, 11, 0),
        Command::DecideCancel {
            approve: false,
            by: "大区".into(),
        },
    );
    assert_eq!(s.level(sh(2026, 10, 13, 11, 1), CancelDue), None);
}

#[test]
fn promise_due_warns_an_hour_before_and_clears_on_fixed_visit() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 27, 14, 0));
    s.dispatch(sh(2026, 11, 26, 10, 5));
    assert_eq!(s.level(sh(2026, 11, 27, 12, 59), PromiseDue), None);
    // Dispatched: the engineer reports the visit when it is done, so the
    // promise is known broken only when no report came P2's 2 h after it.
    let a = s.get(sh(2026, 11, 27, 13, 0), PromiseDue).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::R5, sh(2026, 11, 27, 16, 0))
    );
    assert_eq!(s.level(sh(2026, 11, 27, 14, 0), PromiseDue), Some(Warning));
    assert_eq!(s.level(sh(2026, 11, 27, 16, 0), PromiseDue), Some(Breach));
    // With no engineer sent, the promised time itself is the breach.
    let mut u = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    u.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 27, 14, 0));
    let a = u.get(sh(2026, 11, 27, 14, 0), PromiseDue).unwrap();
    assert_eq!((a.level, a.due), (Breach, sh(2026, 11, 27, 14, 0)));
    // Not fixed, next time agreed: R10, a new deadline.
    s.run(
        sh(2026, 11, 27, 14, 30),
        Command::Visit {
            result: VisitResult::NotFixed,
            arrived: None,
            done: None,
            next: Some(sh(2026, 11, 30, 10, 0)),
            note: String::new(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 27, 14, 31), PromiseDue), None);
    let a = s.get(sh(2026, 11, 30, 9, 30), PromiseDue).unwrap();
    assert_eq!((a.level, a.rule), (Warning, Rule::R10));
    assert!(a.message.en.contains("T32"));
    s.run(
        sh(2026, 11, 30, 10, 30),
        Command::Visit {
            result: VisitResult::Fixed,
            arrived: None,
            done: None,
            next: None,
            note: String::new(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 30, 10, 31), PromiseDue), None);
}

#[test]
fn parts_late_warns_on_the_day_breaches_at_eta_clears_on_arrival() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.run(
        sh(2026, 11, 26, 10, 0),
        Command::OrderParts {
            order: "PO-7".into(),
            part: "MB-01".into(),
            qty: 1,
            eta: Some(sh(2026, 11, 27, 12, 0)),
        },
    );
    s.promise(sh(2026, 11, 26, 10, 5), sh(2026, 11, 30, 10, 0));
    assert_eq!(s.level(sh(2026, 11, 26, 23, 59), PartsLate), None);
    assert_eq!(s.level(sh(2026, 11, 27, 0, 0), PartsLate), Some(Warning));
    let a = s.get(sh(2026, 11, 27, 12, 0), PartsLate).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Breach, Rule::R8, sh(2026, 11, 27, 12, 0))
    );
    assert!(a.message.en.contains("PO-7:MB-01"));
    s.run(
        sh(2026, 11, 27, 15, 0),
        Command::PartsArrived {
            order: "PO-7".into(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 27, 15, 1), PartsLate), None);
}

#[test]
fn parts_late_clears_when_the_customer_is_told_with_a_parts_promise() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.run(
        sh(2026, 11, 26, 10, 0),
        Command::OrderParts {
            order: "PO-7".into(),
            part: "MB-01".into(),
            qty: 1,
            eta: Some(sh(2026, 11, 27, 12, 0)),
        },
    );
    s.promise(sh(2026, 11, 26, 10, 5), sh(2026, 11, 30, 10, 0));
    assert_eq!(s.level(sh(2026, 11, 27, 13, 0), PartsLate), Some(Breach));
    // T32 with the default type: parts, since an order is late (R8).
    s.promise(sh(2026, 11, 27, 13, 30), sh(2026, 12, 2, 10, 0));
    assert_eq!(s.t.last_promise().unwrap().ptype, PromiseType::Parts);
    assert_eq!(s.level(sh(2026, 11, 27, 13, 31), PartsLate), None);
}

#[test]
fn special_customer_on_friday_afternoon_is_due_monday() {
    let special = Opts {
        special: true,
        ..ONSITE
    };
    // Fri 2026-11-27 16:00 + half a working day (4 h 15 min): 1 h 30 on
    // Friday, 2 h 45 on Monday → Mon 11:45.
    let mut s = Sim::new(sh(2026, 11, 27, 16, 0), special);
    let a = s.get(sh(2026, 11, 27, 16, 0), SpecialNotify).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::R14, sh(2026, 11, 30, 11, 45))
    );
    assert_eq!(
        s.level(sh(2026, 11, 29, 20, 0), SpecialNotify),
        Some(Warning)
    );
    assert_eq!(
        s.level(sh(2026, 11, 30, 11, 45), SpecialNotify),
        Some(Breach)
    );
    s.run(
        sh(2026, 11, 30, 11, 50),
        Command::NotifyRegion { commission: None },
    );
    assert_eq!(s.level(sh(2026, 11, 30, 11, 51), SpecialNotify), None);
}

#[test]
fn special_customer_before_national_day_is_due_after_it() {
    let special = Opts {
        special: true,
        ..ONSITE
    };
    // Wed 2026-09-30 16:00: 1 h 30 that day, 2 h 45 on Thu 8 Oct.
    let s = Sim::new(sh(2026, 9, 30, 16, 0), special);
    let a = s.get(sh(2026, 10, 5, 10, 0), SpecialNotify).unwrap();
    assert_eq!((a.level, a.due), (Warning, sh(2026, 10, 8, 11, 45)));
}

#[test]
fn untaken_from_the_lead_time_before_the_visit_until_dispatch() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    assert_eq!(s.level(sh(2026, 11, 26, 10, 0), Untaken), None);
    s.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 27, 10, 0));
    // P1: a visit a day away is not late today.
    assert_eq!(s.level(sh(2026, 11, 26, 10, 6), Untaken), None);
    assert_eq!(s.level(sh(2026, 11, 27, 7, 59), Untaken), None);
    let a = s.get(sh(2026, 11, 27, 8, 0), Untaken).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::P1, sh(2026, 11, 27, 8, 5))
    );
    assert_eq!(s.level(sh(2026, 11, 27, 8, 5), Untaken), Some(Breach));
    s.dispatch(sh(2026, 11, 27, 8, 20));
    assert_eq!(s.level(sh(2026, 11, 27, 8, 21), Untaken), None);
}

#[test]
fn untaken_at_once_for_a_visit_within_the_lead_time_and_for_an_emergency() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 26, 11, 0));
    let a = s.get(sh(2026, 11, 26, 10, 0), Untaken).unwrap();
    assert_eq!((a.level, a.due), (Warning, sh(2026, 11, 26, 10, 5)));

    let emergency = Opts {
        priority: Priority::Emergency,
        ..ONSITE
    };
    let mut e = Sim::new(sh(2026, 11, 26, 9, 30), emergency);
    e.promise(sh(2026, 11, 26, 9, 40), sh(2026, 11, 27, 10, 0));
    assert_eq!(e.level(sh(2026, 11, 26, 9, 45), Untaken), Some(Breach));
}

#[test]
fn untaken_waits_for_parts_and_carry_in_is_never_untaken() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.run(
        sh(2026, 11, 26, 10, 0),
        Command::OrderParts {
            order: "PO-7".into(),
            part: "MB-01".into(),
            qty: 1,
            // R6: the promise is not before the expected delivery.
            eta: Some(sh(2026, 11, 27, 9, 0)),
        },
    );
    s.promise(sh(2026, 11, 26, 10, 5), sh(2026, 11, 27, 10, 0));
    assert_eq!(s.level(sh(2026, 11, 27, 9, 0), Untaken), None);
    s.run(
        sh(2026, 11, 27, 9, 30),
        Command::PartsArrived {
            order: "PO-7".into(),
        },
    );
    // Due since 08:00, but not before the parts arrived.
    let a = s.get(sh(2026, 11, 27, 9, 30), Untaken).unwrap();
    assert_eq!((a.level, a.due), (Warning, sh(2026, 11, 27, 9, 35)));

    let carry = Opts {
        service: ServiceType::CarryIn,
        ..ONSITE
    };
    let mut c = Sim::new(sh(2026, 11, 26, 9, 30), carry);
    c.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 26, 11, 0));
    assert_eq!(c.level(sh(2026, 11, 26, 11, 0), Untaken), None);
}

#[test]
fn no_progress_counts_from_the_promised_time_and_clears_on_an_event() {
    let mut s = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    s.promise(sh(2026, 11, 26, 10, 0), sh(2026, 11, 26, 14, 0));
    s.dispatch(sh(2026, 11, 26, 10, 5));
    // Nothing is expected before the engineer is due at 14:00.
    assert_eq!(s.level(sh(2026, 11, 26, 14, 59), NoProgress), None);
    let a = s.get(sh(2026, 11, 26, 15, 0), NoProgress).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::P2, sh(2026, 11, 26, 16, 0))
    );
    assert!(a.message.en.contains("王工"));
    assert_eq!(s.level(sh(2026, 11, 26, 16, 0), NoProgress), Some(Breach));
    s.run(
        sh(2026, 11, 26, 16, 10),
        Command::Visit {
            result: VisitResult::Fixed,
            arrived: None,
            done: None,
            next: None,
            note: String::new(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 26, 16, 11), NoProgress), None);
    // Fixed but not closed two hours later.
    let a = s.get(sh(2026, 11, 26, 18, 10), NoProgress).unwrap();
    assert_eq!(a.level, Breach);
    assert!(a.message.en.contains("signature"));
    s.run(
        sh(2026, 11, 26, 18, 20),
        Command::Close {
            signed_by: "张三".into(),
            returned_parts: vec![],
            not_returned: vec![],
            charge: None,
        },
    );
    assert!(s.alerts(sh(2026, 11, 26, 20, 0)).is_empty());
}

#[test]
fn emergency_until_the_engineer_arrives() {
    let emergency = Opts {
        priority: Priority::Emergency,
        ..ONSITE
    };
    let mut s = Sim::new(sh(2026, 11, 26, 10, 0), emergency);
    let a = s.get(sh(2026, 11, 26, 10, 0), Emergency).unwrap();
    assert_eq!(
        (a.level, a.rule, a.due),
        (Warning, Rule::P4, sh(2026, 11, 26, 10, 30))
    );
    assert_eq!(s.level(sh(2026, 11, 26, 10, 30), Emergency), Some(Breach));
    s.promise(sh(2026, 11, 26, 10, 35), sh(2026, 11, 26, 11, 30));
    assert_eq!(s.level(sh(2026, 11, 26, 10, 36), Emergency), Some(Breach));
    s.dispatch(sh(2026, 11, 26, 10, 40));
    // P4 runs to the arrival, not to the dispatch.
    let a = s.get(sh(2026, 11, 26, 10, 41), Emergency).unwrap();
    assert_eq!(a.level, Breach);
    assert!(a.message.en.contains("王工"), "{}", a.message.en);
    s.run(
        sh(2026, 11, 26, 11, 0),
        Command::Visit {
            result: VisitResult::NotFixed,
            arrived: Some(sh(2026, 11, 26, 10, 50)),
            done: None,
            next: None,
            note: String::new(),
        },
    );
    assert_eq!(s.level(sh(2026, 11, 26, 11, 1), Emergency), None);
}

#[test]
fn most_urgent_first_and_emergencies_first_among_equals() {
    let emergency = Opts {
        priority: Priority::Emergency,
        special: true,
        ..ONSITE
    };
    let s = Sim::new(sh(2026, 11, 26, 10, 0), emergency);
    // 14:05: emergency breached at 10:30, contact_due at 14:00;
    // special_notify (10:00 + 4 h 15 min = 14:15) is still a warning.
    let kinds: Vec<_> = s
        .alerts(sh(2026, 11, 26, 14, 5))
        .iter()
        .map(|a| (a.kind, a.level))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Emergency, Breach),
            (ContactDue, Breach),
            (SpecialNotify, Warning)
        ]
    );
    // Same level and due: emergency first.
    let mk = |kind| Alert {
        ticket_no: "X".into(),
        rule: Rule::P4,
        kind,
        level: Breach,
        due: sh(2026, 11, 26, 10, 0),
        message: Msg::new("", ""),
    };
    let mut v = [mk(ContactDue), mk(Emergency), mk(PromiseDue)];
    v.sort_by(urgency_order);
    assert_eq!(v.map(|a| a.kind), [Emergency, ContactDue, PromiseDue]);
}

#[test]
fn open_alerts_merges_tickets_most_urgent_first() {
    let a = Sim::new(sh(2026, 11, 26, 9, 0), ONSITE);
    let mut b = Sim::new(sh(2026, 11, 26, 8, 0), ONSITE);
    b.t.ticket_no = "CC-2".into();
    let settings = Settings::default();
    let cal = settings.calendar();
    let all = open_alerts(
        &[a.t.clone(), b.t.clone()],
        sh(2026, 11, 26, 12, 30),
        &settings,
        &cal,
    );
    let got: Vec<_> = all
        .iter()
        .map(|x| (x.ticket_no.as_str(), x.level))
        .collect();
    assert_eq!(got, vec![("CC-2", Breach), ("CC-1", Warning)]);
}

#[test]
fn countdown_text() {
    assert_eq!(countdown(Duration::minutes(48), Lang::En), "in 0:48");
    assert_eq!(countdown(Duration::minutes(-72), Lang::En), "overdue 1:12");
    assert_eq!(
        countdown(Duration::minutes(24 * 60 + 130), Lang::Zh),
        "还剩 1天02:10"
    );
    assert_eq!(countdown(Duration::zero(), Lang::En), "overdue 0:00");
}

/// Before any alert, a ticket without T2 (no time promised yet, R1) works
/// towards R1's contact deadline, and sorts by it among quiet tickets:
/// ahead of one promised for later, behind one promised sooner. Reaching
/// the customer is not enough: T2 comes with the first promised time.
#[test]
fn quiet_tickets_sort_by_their_own_next_deadline() {
    let now = sh(2026, 11, 26, 10, 0);
    let fresh = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    assert!(fresh.alerts(now).is_empty());
    let due = quiet_due(&fresh.t, &fresh.settings, &fresh.cal);
    assert_eq!(due, Some((QuietDue::Contact, sh(2026, 11, 26, 13, 30))));

    let promised = |when: Time| {
        let mut s = Sim::new(sh(2026, 11, 26, 8, 0), ONSITE);
        s.contact(sh(2026, 11, 26, 8, 10), ContactResult::Reached);
        s.promise(sh(2026, 11, 26, 8, 15), when);
        s
    };
    let later = promised(sh(2026, 11, 27, 10, 0));
    let sooner = promised(sh(2026, 11, 26, 12, 0));
    assert_eq!(
        quiet_due(&later.t, &later.settings, &later.cal),
        Some((QuietDue::Promised, sh(2026, 11, 27, 10, 0)))
    );
    // Their keys with no alert up (the quiet order).
    let key = |s: &Sim| urgency_key(&s.t, None, &s.settings, &s.cal);
    assert!(key(&sooner) < key(&fresh) && key(&fresh) < key(&later));

    let mut reached = Sim::new(sh(2026, 11, 26, 9, 30), ONSITE);
    reached.contact(sh(2026, 11, 26, 9, 40), ContactResult::Reached);
    assert_eq!(quiet_due(&reached.t, &reached.settings, &reached.cal), due);
}

/// The stored schedule orders tickets without `now`: at every moment, a
/// ticket whose `alert_from` is later has no alert up, and no ticket is
/// ahead of the bound its schedule gives (the dashboard's first screen
/// reads tickets in that order and stops at the bound).
#[test]
fn the_schedule_bounds_the_urgency_at_every_moment() {
    let t1 = sh(2026, 11, 23, 9, 0);
    let mut sims = vec![
        Sim::new(t1, ONSITE),
        Sim::new(
            t1,
            Opts {
                priority: Priority::Emergency,
                ..ONSITE
            },
        ),
        Sim::new(
            t1,
            Opts {
                special: true,
                ..ONSITE
            },
        ),
        unreachable_monday(),
    ];
    let mut promised = Sim::new(t1, ONSITE);
    promised.contact(sh(2026, 11, 23, 9, 20), ContactResult::Reached);
    promised.promise(sh(2026, 11, 23, 9, 25), sh(2026, 11, 24, 14, 0));
    sims.push(promised);
    let mut dispatched = Sim::new(t1, ONSITE);
    dispatched.contact(sh(2026, 11, 23, 9, 20), ContactResult::Reached);
    dispatched.promise(sh(2026, 11, 23, 9, 25), sh(2026, 11, 23, 15, 0));
    dispatched.dispatch(sh(2026, 11, 23, 10, 0));
    sims.push(dispatched);
    let mut chased = unreachable_monday();
    calls(
        &mut chased,
        &[sh(2026, 11, 24, 9, 0), sh(2026, 11, 24, 13, 0)],
    );
    sims.push(chased);

    for s in &sims {
        let sched = schedule(&s.t, &s.settings, &s.cal);
        let mut now = sh(2026, 11, 23, 8, 0);
        while now < sh(2026, 12, 4, 0, 0) {
            let alerts = s.alerts(now);
            let top = alerts.iter().find(|a| a.kind != AlertKind::CalendarUnknown);
            let key = urgency_key(&s.t, top, &s.settings, &s.cal);
            match (top, sched.alert_from) {
                (Some(a), Some(from)) => {
                    assert!(from <= now, "{}: {:?} up before {from}", s.t.status, a.kind);
                    let due = sched.alert_due.expect("a due with a start");
                    assert!(key >= Schedule::alerted_bound(due, now), "{a:?} at {now}");
                }
                (Some(a), None) => panic!("{:?} up with no schedule at {now}", a.kind),
                (None, _) => assert!(key >= Schedule::quiet_bound(sched.quiet_due)),
            }
            now += Duration::minutes(17);
        }
    }
    // A closed ticket has nothing scheduled.
    let mut closed = Sim::new(t1, ONSITE);
    closed.t.status = Status::Resolved;
    assert_eq!(
        schedule(&closed.t, &closed.settings, &closed.cal),
        Schedule::default()
    );
}
