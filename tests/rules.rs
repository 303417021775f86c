//! Every process rule, refusing and allowing, decided without SQLite or a
//! terminal: `decide` + `apply` only.

use chrono::TimeZone;
use proptest::prelude::*;
use repairdesk::domain::calendar::Calendar;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::event::{self, Event};
use repairdesk::domain::next_step::{NextStep, next_step};
use repairdesk::domain::rule::{Missing, Refusal, Rule};
use repairdesk::domain::rules::{self, Context, Decision, Role, StaffLoad};
use repairdesk::domain::settings::Settings;
use repairdesk::domain::ticket::*;

/// Station time, e.g. "2026-11-26 09:30".
fn at(s: &str) -> Time {
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time");
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&naive)
        .single()
        .expect("unambiguous")
        .with_timezone(&chrono::Utc)
}

fn dispatch_row(no: &str, t1: Time) -> NewTicket {
    NewTicket {
        ticket_no: no.to_string(),
        source: Source::Cc,
        t1,
        service_type: ServiceType::Onsite,
        priority: Priority::Normal,
        special: false,
        urge: false,
        customer: Customer {
            name: "张伟".into(),
            phones: vec!["13800138000".into()],
            address: "中关村大街1号".into(),
            district: "海淀区".into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: "T14".into(),
            serial: "PF3ABCDE".into(),
            warranty: Warranty::In,
        },
        fault: "无法开机".into(),
        note: String::new(),
    }
}

/// A ticket under test, its events so far, and the context of the next command.
struct World {
    t: Ticket,
    events: Vec<Event>,
    settings: Settings,
    cal: Calendar,
    now: Time,
    role: Role,
    staff: Option<StaffLoad>,
}

impl World {
    fn received(t1: &str) -> World {
        World::from_new(dispatch_row("CC1001", at(t1)), at(t1))
    }

    fn from_new(new: NewTicket, now: Time) -> World {
        let settings = Settings::default();
        let cal = settings.calendar();
        let decision = {
            let ctx = Context {
                now,
                actor: "coord",
                role: Role::Coordinator,
                settings: &settings,
                calendar: &cal,
                staff: None,
            };
            rules::decide_new(new, &ctx).expect("created")
        };
        let t = event::create(&decision.events[0]).expect("creates");
        World {
            t,
            events: decision.events,
            settings,
            cal,
            now,
            role: Role::Coordinator,
            staff: Some(StaffLoad {
                name: "王工".into(),
                capacity: 6,
                site: None,
                load: 0,
            }),
        }
    }

    fn at(&mut self, s: &str) -> &mut World {
        self.now = at(s);
        self
    }

    /// What the ticket needs next at this world's moment.
    fn next(&self) -> Option<NextStep> {
        next_step(&self.t, self.now, &self.cal, &self.settings.sla)
    }

    fn run(&mut self, cmd: Command) -> Result<Decision, Refusal> {
        let ctx = Context {
            now: self.now,
            actor: "coord",
            role: self.role.clone(),
            settings: &self.settings,
            calendar: &self.cal,
            staff: self.staff.clone(),
        };
        let d = rules::decide(&self.t, &cmd, &ctx)?;
        for e in &d.events {
            event::apply(&mut self.t, e);
            self.events.push(e.clone());
        }
        Ok(d)
    }

    fn ok(&mut self, cmd: Command) -> Decision {
        match self.run(cmd.clone()) {
            Ok(d) => d,
            Err(r) => panic!(
                "{cmd:?} refused: {}",
                r.render(repairdesk::domain::text::Lang::En)
            ),
        }
    }

    /// Asserts a refusal naming `rule`, and that nothing changed.
    fn refused(&mut self, cmd: Command, rule: Rule) -> Refusal {
        let before = self.t.clone();
        match self.run(cmd.clone()) {
            Ok(_) => panic!("{cmd:?} was allowed; expected a refusal by {rule}"),
            Err(r) => {
                assert_eq!(
                    r.rule,
                    rule,
                    "{cmd:?}: {}",
                    r.render(repairdesk::domain::text::Lang::En)
                );
                assert_eq!(self.t, before, "a refusal changed the ticket");
                r
            }
        }
    }
}

fn promise(s: &str) -> Command {
    Command::Promise {
        at: at(s),
        ptype: None,
        reason: None,
    }
}

fn promise_typed(s: &str, ptype: PromiseType, reason: &str) -> Command {
    Command::Promise {
        at: at(s),
        ptype: Some(ptype),
        reason: Some(reason.into()),
    }
}

fn contact(result: ContactResult) -> Command {
    Command::Contact {
        result,
        note: String::new(),
    }
}

fn dispatch() -> Command {
    Command::Dispatch {
        engineer: "王工".into(),
        site: None,
        override_reason: None,
    }
}

fn visit(result: VisitResult) -> Command {
    Command::Visit {
        result,
        arrived: None,
        done: None,
        next: None,
        note: String::new(),
    }
}

fn close(by: &str) -> Command {
    Command::Close {
        signed_by: by.into(),
        returned_parts: vec![],
        not_returned: vec![],
        charge: None,
    }
}

fn cancel(reason: CancelReason) -> Command {
    Command::RequestCancel {
        reason,
        note: String::new(),
    }
}

/// Received, promised, printed and dispatched: ready for a visit.
fn dispatched_world() -> World {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00").ok(promise("2026-11-27 14:00"));
    w.ok(Command::Print);
    w.ok(dispatch());
    w
}

// ---- R1: contact within 4 hours needs someone to contact ----

#[test]
fn r1_a_ticket_needs_a_customer_to_contact() {
    let settings = Settings::default();
    let cal = settings.calendar();
    let now = at("2026-11-26 09:30");
    let ctx = Context {
        now,
        actor: "coord",
        role: Role::Coordinator,
        settings: &settings,
        calendar: &cal,
        staff: None,
    };
    let mut no_phone = dispatch_row("CC1", now);
    no_phone.customer.phones.clear();
    assert_eq!(
        rules::decide_new(no_phone, &ctx).unwrap_err().rule,
        Rule::R1
    );
    let d = rules::decide_new(dispatch_row("CC1", now), &ctx).expect("allowed");
    assert_eq!(d.events[0].to, Status::Queued);
}

#[test]
fn r1_contact_attempts_are_logged_without_changing_status() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00").ok(contact(ContactResult::Reached));
    assert_eq!(w.t.status, Status::Queued);
    assert_eq!(w.t.progress.contacts.len(), 1);
    assert_eq!(
        w.t.t2, None,
        "T2 is set by the first T3 write, not by a contact"
    );
}

// ---- R2: unreachable ----

#[test]
fn r2_unreachable_only_after_three_and_a_half_hours_and_a_failed_call() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00")
        .ok(contact(ContactResult::NoAnswer));
    let r = w
        .at("2026-11-26 12:59")
        .refused(Command::MarkUnreachable, Rule::R2);
    assert!(r.msg.en.contains("3.5 hours"), "{}", r.msg.en);
    w.at("2026-11-26 13:00").ok(Command::MarkUnreachable);
    assert_eq!(w.t.status, Status::InProgress);
    assert_eq!(w.t.t2, Some(at("2026-11-26 13:00")), "marking sets T2");
    let p = &w.t.promises()[0];
    assert_eq!((p.seq, p.kind, p.at), (1, PromiseKind::Unreachable, None));
}

#[test]
fn r2_unreachable_needs_a_recorded_attempt() {
    let mut w = World::received("2026-11-26 09:30");
    let r = w
        .at("2026-11-26 14:00")
        .refused(Command::MarkUnreachable, Rule::R2);
    assert!(r.msg.en.contains("unanswered"));
}

#[test]
fn r2_reaching_the_customer_later_allows_t32() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-11-26 13:30").ok(Command::MarkUnreachable);
    w.at("2026-11-27 10:00").ok(contact(ContactResult::Reached));
    w.ok(promise_typed(
        "2026-11-28 10:00",
        PromiseType::Customer,
        "用户此前出差",
    ));
    assert_eq!(w.t.promises()[1].seq, 2);
    assert_eq!(
        w.t.t2,
        Some(at("2026-11-26 13:30")),
        "T2 stays at the first T3 write"
    );
}

#[test]
fn r2_cancellation_for_unreachable_only_after_five_working_days() {
    // T1 Wednesday 2026-09-30 10:00; 5 working days later is Tue 2026-10-13 10:00
    // (Oct 1–7 holidays, Saturday Oct 10 a working day).
    let mut w = World::received("2026-09-30 10:00");
    w.at("2026-09-30 11:00")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-09-30 14:00").ok(Command::MarkUnreachable);
    w.at("2026-10-13 09:59")
        .refused(cancel(CancelReason::Unreachable), Rule::R2);
    w.at("2026-10-13 10:00")
        .ok(cancel(CancelReason::Unreachable));
    assert_eq!(w.t.status, Status::CancelRequested);
}

#[test]
fn r2_cancellation_for_unreachable_needs_the_marking() {
    let mut w = World::received("2026-11-02 10:00");
    w.at("2026-11-20 10:00")
        .refused(cancel(CancelReason::Unreachable), Rule::R2);
}

// ---- R3: wrong number ----

#[test]
fn r3_impossible_phone_is_flagged_not_rejected() {
    let mut row = dispatch_row("CC9", at("2026-11-26 09:30"));
    row.customer.phones = vec!["12345".into()];
    let w = World::from_new(row, at("2026-11-26 09:30"));
    assert!(w.t.phone_invalid);
    assert_eq!(w.t.status, Status::Queued);
    let good = World::received("2026-11-26 09:30");
    assert!(!good.t.phone_invalid);
}

#[test]
fn r3_wrong_number_cancellation_needs_the_flag() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00")
        .refused(cancel(CancelReason::WrongNumber), Rule::R3);
    w.ok(contact(ContactResult::WrongNumber));
    assert!(w.t.phone_invalid, "a wrong-number contact flags the ticket");
    w.ok(cancel(CancelReason::WrongNumber));
    assert_eq!(w.t.status, Status::CancelRequested);
}

// ---- R4: solved by phone ----

#[test]
fn r4_phone_resolution_closes_with_the_exact_reason() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:15").ok(Command::PhoneResolve {
        kind: PhoneFix::Software,
    });
    assert_eq!(w.t.status, Status::Resolved);
    assert_eq!(w.t.t4, Some(at("2026-11-26 10:15")));
    assert_eq!(w.t.t2, Some(at("2026-11-26 10:15")));
    let p = &w.t.promises()[0];
    assert_eq!(p.kind, PromiseKind::PhoneResolved);
    assert_eq!(p.ptype, PromiseType::Within);
    assert_eq!(p.reason, "软件问题,电话解决");
    let mut other = World::received("2026-11-26 09:30");
    other.ok(Command::PhoneResolve {
        kind: PhoneFix::Other,
    });
    assert_eq!(other.t.promises()[0].reason, "其他问题,电话解决");
}

#[test]
fn r4_phone_resolved_ticket_can_never_be_cancelled() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(Command::PhoneResolve {
        kind: PhoneFix::Software,
    });
    w.refused(cancel(CancelReason::Duplicate), Rule::R4);
}

#[test]
fn r4_phone_resolution_only_as_t31() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00").ok(promise("2026-11-27 10:00"));
    w.refused(
        Command::PhoneResolve {
            kind: PhoneFix::Software,
        },
        Rule::R4,
    );
    let mut w2 = World::received("2026-11-26 09:30");
    w2.refused(
        promise_typed("2026-11-27 10:00", PromiseType::Within, "软件问题,电话解决"),
        Rule::R4,
    );
}

// ---- R5: schedule ----

#[test]
fn r5_a_promise_cannot_be_in_the_past() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 11:00")
        .refused(promise("2026-11-26 10:59"), Rule::R5);
    w.ok(promise("2026-11-26 15:00"));
    assert_eq!(w.t.status, Status::InProgress);
    assert_eq!(
        w.t.t2,
        Some(at("2026-11-26 11:00")),
        "the first T3 write sets T2"
    );
    assert_eq!(w.t.promises()[0].ptype, PromiseType::Within);
}

#[test]
fn r5_customer_reason_is_required_for_type_customer() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(
        Command::Promise {
            at: at("2026-11-27 10:00"),
            ptype: Some(PromiseType::Customer),
            reason: None,
        },
        Rule::R5,
    );
    w.ok(promise_typed(
        "2026-11-27 10:00",
        PromiseType::Customer,
        "用户要求周五",
    ));
}

#[test]
fn r5_dispatch_needs_an_agreed_time() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(Command::Print);
    w.refused(dispatch(), Rule::R5);
    w.ok(promise("2026-11-27 10:00"));
    w.ok(dispatch());
}

// ---- R6: parts needed ----

#[test]
fn r6_parts_order_needs_order_part_and_quantity() {
    let mut w = World::received("2026-11-26 09:30");
    let order = |o: &str, p: &str, q| Command::OrderParts {
        order: o.into(),
        part: p.into(),
        qty: q,
        eta: Some(at("2026-11-28 12:00")),
    };
    w.refused(order("", "5B20S", 1), Rule::R6);
    w.refused(order("PO1", "5B20S", 0), Rule::R6);
    w.ok(order("PO1", "5B20S", 1));
    w.refused(order("PO1", "5B20S", 1), Rule::R6);
    w.ok(promise("2026-11-28 14:00"));
    assert_eq!(w.t.status, Status::PartsPending);
}

// ---- R7: print before service; no back-dating ----

#[test]
fn r7_dispatch_refused_until_printed() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    let r = w.refused(dispatch(), Rule::R7);
    assert!(r.msg.en.contains("print"));
    w.ok(Command::Print);
    w.ok(dispatch());
    assert_eq!(w.t.engineer.as_deref(), Some("王工"));
}

#[test]
fn r7_system_outage_override_is_recorded() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    w.refused(
        Command::Dispatch {
            engineer: "王工".into(),
            site: None,
            override_reason: Some("  ".into()),
        },
        Rule::R7,
    );
    w.ok(Command::Dispatch {
        engineer: "王工".into(),
        site: None,
        override_reason: Some("系统故障".into()),
    });
    assert_eq!(w.t.progress.dispatch_override.as_deref(), Some("系统故障"));
}

#[test]
fn r7_only_a_system_outage_excuses_an_unprinted_dispatch() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    let r = w.refused(
        Command::Dispatch {
            engineer: "王工".into(),
            site: None,
            override_reason: Some("printer out of paper".into()),
        },
        Rule::R7,
    );
    assert!(r.msg.en.contains("system outage"), "{}", r.msg.en);
    w.ok(Command::Dispatch {
        engineer: "王工".into(),
        site: None,
        override_reason: Some("System down since 9:00".into()),
    });
    assert_eq!(
        w.t.progress.dispatch_override.as_deref(),
        Some("System down since 9:00")
    );
}

#[test]
fn r7_r18_station_ticket_cannot_be_back_dated() {
    let settings = Settings::default();
    let cal = settings.calendar();
    let now = at("2026-11-26 15:00");
    let ctx = Context {
        now,
        actor: "coord",
        role: Role::Coordinator,
        settings: &settings,
        calendar: &cal,
        staff: None,
    };
    let mut row = dispatch_row("", at("2026-11-26 09:00"));
    row.source = Source::Station;
    row.ticket_no = "ZD-1".into();
    assert_eq!(
        rules::decide_new(row.clone(), &ctx).unwrap_err().rule,
        Rule::R7
    );
    row.t1 = now;
    let d = rules::decide_new(row, &ctx).expect("station ticket at creation time");
    let t = event::create(&d.events[0]).expect("creates");
    assert_eq!((t.source, t.t1), (Source::Station, now));
}

// ---- R8: parts late ----

#[test]
fn r8_late_parts_default_the_next_promise_to_the_template() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(Command::OrderParts {
        order: "PO-8812".into(),
        part: "5B20S".into(),
        qty: 1,
        eta: Some(at("2026-11-27 12:00")),
    });
    w.ok(promise("2026-11-27 15:00"));
    w.at("2026-11-27 13:00").ok(promise("2026-11-30 10:00"));
    let p = &w.t.promises()[1];
    assert_eq!(p.ptype, PromiseType::Parts);
    assert_eq!(p.reason, "由于PO-8812订单5B20S编码的备件未按时配送");
}

#[test]
fn r8_parts_arrival_returns_to_in_progress() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(Command::OrderParts {
        order: "PO1".into(),
        part: "X".into(),
        qty: 2,
        eta: Some(at("2026-11-27 10:00")),
    });
    w.ok(promise("2026-11-28 10:00"));
    assert_eq!(w.t.status, Status::PartsPending);
    w.refused(
        Command::PartsArrived {
            order: "PO404".into(),
        },
        Rule::R8,
    );
    w.ok(Command::PartsArrived {
        order: "PO1".into(),
    });
    assert_eq!(w.t.status, Status::InProgress);
    w.refused(
        Command::PartsArrived {
            order: "PO1".into(),
        },
        Rule::R8,
    );
}

#[test]
fn r8_type_parts_needs_an_order() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(
        Command::Promise {
            at: at("2026-11-27 10:00"),
            ptype: Some(PromiseType::Parts),
            reason: None,
        },
        Rule::R8,
    );
}

// ---- R9: refused service plan ----

#[test]
fn r9_refused_cancellation_needs_the_engineers_report_and_the_form() {
    let mut w = dispatched_world();
    w.refused(cancel(CancelReason::Refused), Rule::R9);
    w.refused(special_case("用户拒绝更换主板"), Rule::R9);
    w.ok(visit(VisitResult::Refused));
    let r = w.refused(cancel(CancelReason::Refused), Rule::R9);
    assert!(r.msg.en.contains("special-case form"), "{}", r.msg.en);
    assert_eq!(r.missing, Some(Missing::SpecialCaseForm));
    w.refused(special_case("  "), Rule::R9);
    w.ok(special_case("用户拒绝更换主板，要求换新机"));
    assert_eq!(
        w.t.progress.special_case.as_ref().map(|f| f.note.as_str()),
        Some("用户拒绝更换主板，要求换新机")
    );
    w.ok(cancel(CancelReason::Refused));
    assert_eq!(w.t.status, Status::CancelRequested);
}

fn special_case(note: &str) -> Command {
    Command::SpecialCase { note: note.into() }
}

// ---- R10: not fixed ----

#[test]
fn r10_not_fixed_goes_to_multi_repair_with_the_next_t3() {
    let mut w = dispatched_world();
    w.at("2026-11-27 15:00").ok(Command::Visit {
        result: VisitResult::NotFixed,
        arrived: None,
        done: None,
        next: Some(at("2026-11-28 10:00")),
        note: "主板故障".into(),
    });
    assert_eq!(w.t.status, Status::MultiRepair);
    assert_eq!(w.t.promises().len(), 2);
    assert_eq!(w.t.promised_at(), Some(at("2026-11-28 10:00")));
    w.refused(
        Command::Visit {
            result: VisitResult::Fixed,
            arrived: None,
            done: None,
            next: Some(at("2026-11-29 10:00")),
            note: String::new(),
        },
        Rule::R10,
    );
    w.at("2026-11-28 11:00").ok(visit(VisitResult::Fixed));
    w.ok(close("张伟"));
    assert_eq!(w.t.status, Status::Resolved);
    assert!(w.t.progress.was_multi_repair);
}

// ---- R11: fixed and signed ----

#[test]
fn r11_close_needs_a_signer_and_a_fixed_visit() {
    let mut w = dispatched_world();
    w.refused(close("张伟"), Rule::R11);
    w.at("2026-11-27 15:00").ok(visit(VisitResult::Fixed));
    w.refused(close("  "), Rule::R11);
    w.at("2026-11-27 18:00").ok(close("张伟"));
    assert_eq!(w.t.status, Status::Resolved);
    assert_eq!(w.t.t4, Some(at("2026-11-27 15:00")), "T4 = completion time");
    assert_eq!(w.t.progress.signed_by.as_deref(), Some("张伟"));
}

// ---- Visits: the times the engineer reports ----

fn visit_at(result: VisitResult, arrived: &str, done: &str) -> Command {
    Command::Visit {
        result,
        arrived: Some(at(arrived)),
        done: Some(at(done)),
        next: None,
        note: String::new(),
    }
}

#[test]
fn visits_times_default_to_now_and_may_be_entered_after_the_fact() {
    let mut w = dispatched_world();
    w.at("2026-11-27 14:20").ok(visit(VisitResult::NotFixed));
    let v = w.t.progress.visits.last().expect("visit").clone();
    assert_eq!(
        (v.arrived, v.done),
        (at("2026-11-27 14:20"), at("2026-11-27 14:20"))
    );
    // Typed in the next morning: the reported times are kept, not the typing moment.
    w.at("2026-11-28 09:10").ok(visit_at(
        VisitResult::Fixed,
        "2026-11-27 16:50",
        "2026-11-27 17:20",
    ));
    let v = w.t.progress.visits.last().expect("visit").clone();
    assert_eq!(v.at, at("2026-11-28 09:10"));
    assert_eq!(v.arrived, at("2026-11-27 16:50"));
    assert_eq!(v.done, at("2026-11-27 17:20"));
}

#[test]
fn visits_times_are_refused_before_the_dispatch_after_now_or_done_before_arrived() {
    let mut w = dispatched_world(); // dispatched 2026-11-26 10:00
    w.at("2026-11-27 15:00");
    let r = w.refused(
        visit_at(VisitResult::Fixed, "2026-11-26 09:50", "2026-11-27 14:00"),
        Rule::Visit,
    );
    assert!(r.msg.en.contains("before the dispatch"), "{}", r.msg.en);
    let r = w.refused(
        visit_at(VisitResult::Fixed, "2026-11-27 14:00", "2026-11-27 15:30"),
        Rule::Visit,
    );
    assert!(r.msg.en.contains("later than now"), "{}", r.msg.en);
    let r = w.refused(
        visit_at(VisitResult::Fixed, "2026-11-27 14:30", "2026-11-27 14:00"),
        Rule::Visit,
    );
    assert!(r.msg.en.contains("before the arrival"), "{}", r.msg.en);
    w.ok(visit_at(
        VisitResult::Fixed,
        "2026-11-27 14:00",
        "2026-11-27 15:00",
    ));
}

#[test]
fn r11_t4_is_the_fixing_visits_completion_not_the_typing_or_closing() {
    let mut w = dispatched_world();
    w.at("2026-11-27 18:40").ok(visit_at(
        VisitResult::Fixed,
        "2026-11-27 13:50",
        "2026-11-27 14:20",
    ));
    w.at("2026-11-28 10:00").ok(close("张伟"));
    assert_eq!(w.t.t4, Some(at("2026-11-27 14:20")));
}

#[test]
fn visits_not_home_needs_a_customer_time_and_is_not_a_repair() {
    let mut w = dispatched_world();
    w.at("2026-11-27 14:10").ok(Command::Visit {
        result: VisitResult::NotHome,
        arrived: Some(at("2026-11-27 13:55")),
        done: Some(at("2026-11-27 14:05")),
        next: Some(at("2026-11-29 10:00")),
        note: "门上留言".into(),
    });
    assert_eq!(
        w.t.status,
        Status::InProgress,
        "not home is not a multi-repair"
    );
    let p = w.t.last_promise().expect("T32");
    assert_eq!((p.seq, p.ptype), (2, PromiseType::Customer));
    assert_eq!(p.at, Some(at("2026-11-29 10:00")));
    w.refused(close("张伟"), Rule::R11);
    // Without a next time the coordinator agrees it later (type customer by default).
    let mut w = dispatched_world();
    w.at("2026-11-27 14:10").ok(visit(VisitResult::NotHome));
    w.ok(promise_typed(
        "2026-11-29 10:00",
        PromiseType::Customer,
        "用户不在，另约",
    ));
    assert_eq!(w.t.status, Status::InProgress);
}

#[test]
fn r11_visit_needs_a_dispatched_engineer() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(visit(VisitResult::Fixed), Rule::R7);
}

// ---- R12: three promises at most ----

#[test]
fn r12_a_fourth_t3_is_refused() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    w.ok(promise_typed(
        "2026-11-28 10:00",
        PromiseType::Customer,
        "改期",
    ));
    w.ok(promise_typed(
        "2026-11-29 10:00",
        PromiseType::Other,
        "工程师病假",
    ));
    assert_eq!(w.t.promises().len(), 3);
    let r = w.refused(
        promise_typed("2026-11-30 10:00", PromiseType::Customer, "再改"),
        Rule::R12,
    );
    assert!(r.msg.en.contains("escalate to the region"));
}

/// A ticket whose three T3 writes are used and whose engineer is out.
fn after_t33() -> World {
    let mut w = dispatched_world();
    w.ok(promise_typed(
        "2026-11-28 10:00",
        PromiseType::Customer,
        "改期",
    ));
    w.ok(promise_typed(
        "2026-11-29 10:00",
        PromiseType::Other,
        "工程师病假",
    ));
    w
}

#[test]
fn r12_escalation_only_after_t33_and_with_a_note() {
    let mut w = dispatched_world();
    w.refused(
        Command::Escalate {
            note: "升级".into(),
        },
        Rule::R12,
    );
    let mut w3 = after_t33();
    w3.refused(Command::Escalate { note: " ".into() }, Rule::R12);
    w3.ok(Command::Escalate {
        note: "三次未修复，请大区协调".into(),
    });
    assert_eq!(w3.t.progress.escalations.len(), 1);
    assert_eq!(w.t.progress.escalations.len(), 0);
}

#[test]
fn r12_appointments_after_t33_drive_the_day_not_the_t3s() {
    let mut w = dispatched_world();
    let appoint = |s: &str| Command::Appoint {
        at: at(s),
        note: "用户同意".into(),
    };
    // Before T33 the next time is a promise.
    w.refused(appoint("2026-11-30 10:00"), Rule::R12);
    let mut w = after_t33();
    w.at("2026-11-29 12:00");
    w.refused(appoint("2026-11-29 11:00"), Rule::R12);
    w.ok(appoint("2026-11-30 15:00"));
    assert_eq!(w.t.promises().len(), 3, "an appointment is not a T3");
    assert_eq!(w.t.promised_at(), Some(at("2026-11-29 10:00")));
    assert_eq!(w.t.due_at(), Some(at("2026-11-30 15:00")));
    w.refused(appoint("2026-11-30 15:00"), Rule::R12);
}

#[test]
fn r12_a_not_fixed_visit_after_t33_appoints_the_return_visit() {
    let mut w = after_t33();
    w.at("2026-11-29 11:00").ok(Command::Visit {
        result: VisitResult::NotFixed,
        arrived: None,
        done: None,
        next: Some(at("2026-12-01 10:00")),
        note: "主板待换".into(),
    });
    assert_eq!(w.t.status, Status::MultiRepair);
    assert_eq!(w.t.promises().len(), 3);
    assert_eq!(w.t.due_at(), Some(at("2026-12-01 10:00")));
}

#[test]
fn r12_the_same_t3_again_is_refused_as_a_no_op() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    let r = w.refused(
        promise_typed("2026-11-27 10:00", PromiseType::Customer, "确认"),
        Rule::R12,
    );
    assert!(r.msg.en.contains("already"), "{}", r.msg.en);
    w.ok(promise_typed(
        "2026-11-27 11:00",
        PromiseType::Customer,
        "用户改到 11 点",
    ));
    assert_eq!(w.t.promises().len(), 2);
}

// ---- R13: follow-up ----

#[test]
fn r13_followup_only_on_resolved_and_reopen_only_if_unsatisfied() {
    let mut w = dispatched_world();
    let fu = |result, reopen| Command::Followup { result, reopen };
    w.refused(fu(FollowupResult::Satisfied, false), Rule::R13);
    w.ok(visit(VisitResult::Fixed));
    w.ok(close("张伟"));
    w.refused(fu(FollowupResult::Satisfied, true), Rule::R13);
    w.ok(fu(FollowupResult::Unsatisfied, true));
    assert_eq!(w.t.status, Status::MultiRepair);
    assert_eq!(w.t.t4, None, "reopened: no longer completed");
    assert!(w.events.len() > 5, "history kept");
    w.refused(close("张伟"), Rule::R11);
    w.ok(visit(VisitResult::Fixed));
    w.ok(close("张伟"));
    w.ok(fu(FollowupResult::Satisfied, false));
    w.refused(fu(FollowupResult::Satisfied, false), Rule::R13);
}

// ---- R14: special customers ----

#[test]
fn r14_only_special_customers_are_reported_to_the_region() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(Command::NotifyRegion { commission: None }, Rule::R14);
    let mut row = dispatch_row("CC2", at("2026-11-26 09:30"));
    row.special = true;
    let mut s = World::from_new(row, at("2026-11-26 09:30"));
    assert!(
        s.t.urge,
        "a special customer's ticket carries an urge order"
    );
    s.ok(Command::NotifyRegion {
        commission: Some(300.0),
    });
    assert_eq!(
        s.t.progress.region_notified_at,
        Some(at("2026-11-26 09:30"))
    );
    assert_eq!(s.t.progress.commission, Some(300.0));
}

// ---- R15: cancellation only through the region ----

#[test]
fn r15_region_decides_and_rejection_restores_status() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    let decide = |approve| Command::DecideCancel {
        approve,
        by: "大区李经理".into(),
    };
    w.refused(decide(true), Rule::R15);
    w.ok(Command::RequestCancel {
        reason: CancelReason::Duplicate,
        note: "与CC0999重复".into(),
    });
    assert_eq!(w.t.status, Status::CancelRequested);
    w.refused(promise("2026-11-28 10:00"), Rule::R15);
    w.ok(decide(false));
    assert_eq!(
        w.t.status,
        Status::InProgress,
        "rejection restores the earlier status"
    );
    w.ok(cancel(CancelReason::Duplicate));
    w.ok(decide(true));
    assert_eq!(w.t.status, Status::Cancelled);
    w.refused(contact(ContactResult::Reached), Rule::R15);
}

#[test]
fn r15_other_reason_needs_a_note() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(cancel(CancelReason::Other), Rule::R15);
    w.ok(Command::RequestCancel {
        reason: CancelReason::Other,
        note: "用户已自行修好".into(),
    });
}

// ---- R16: multi-site ----

#[test]
fn r16_dispatch_to_known_engineer_and_site() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    w.ok(Command::Print);
    w.refused(
        Command::Dispatch {
            engineer: "李工".into(),
            site: None,
            override_reason: None,
        },
        Rule::R16,
    );
    w.refused(
        Command::Dispatch {
            engineer: "王工".into(),
            site: Some("火星站".into()),
            override_reason: None,
        },
        Rule::R16,
    );
    w.ok(Command::Dispatch {
        engineer: "王工".into(),
        site: Some("总站".into()),
        override_reason: None,
    });
    assert_eq!(w.t.site.as_deref(), Some("总站"));
}

// ---- R17: capacity and coverage ----

#[test]
fn r17_capacity_warns_but_allows() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    w.ok(Command::Print);
    w.staff = Some(StaffLoad {
        name: "王工".into(),
        capacity: 2,
        site: None,
        load: 1,
    });
    let d = w.ok(dispatch());
    assert!(d.warnings.is_empty(), "within capacity: no warning");
    w.staff = Some(StaffLoad {
        name: "王工".into(),
        capacity: 2,
        site: None,
        load: 2,
    });
    let d = w.ok(dispatch());
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].rule, Rule::R17);
    assert!(d.warnings[0].msg.en.contains("over the daily capacity"));
}

#[test]
fn r17_district_outside_coverage_is_flagged() {
    let mut settings = Settings::default();
    settings.station.coverage = vec!["海淀区".into()];
    let cal = settings.calendar();
    let now = at("2026-11-26 09:30");
    let ctx = Context {
        now,
        actor: "coord",
        role: Role::Coordinator,
        settings: &settings,
        calendar: &cal,
        staff: None,
    };
    let inside = rules::decide_new(dispatch_row("A", now), &ctx).expect("ok");
    assert!(inside.warnings.is_empty());
    let mut row = dispatch_row("B", now);
    row.customer.district = "通州区".into();
    let outside = rules::decide_new(row, &ctx).expect("flagged, not refused");
    assert_eq!(outside.warnings[0].rule, Rule::R17);
    let t = event::create(&outside.events[0]).expect("creates");
    assert!(t.out_of_coverage);
}

// ---- P5: paid repairs ----

#[test]
fn p5_out_of_warranty_is_inspected_without_a_quote_and_repaired_with_one() {
    let mut row = dispatch_row("CC5", at("2026-11-26 09:30"));
    row.product.warranty = Warranty::Out;
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    w.ok(promise("2026-11-27 10:00"));
    w.ok(Command::Print);
    // The inspection visit needs no quote; the repair does.
    w.ok(dispatch());
    w.role = Role::Engineer("王工".into());
    w.refused(visit(VisitResult::Fixed), Rule::P5);
    // The engineer records the quote the customer approved on site.
    w.refused(Command::Quote { amount: -5.0 }, Rule::P5);
    w.ok(Command::Quote { amount: 450.0 });
    w.ok(visit(VisitResult::Fixed));
    w.role = Role::Coordinator;
    let r = w.refused(close("张伟"), Rule::P5);
    assert_eq!(r.missing, Some(Missing::Charge));
    assert!(!r.msg.en.contains("--charge"), "{r:?}");
    w.ok(Command::Close {
        signed_by: "张伟".into(),
        returned_parts: vec![],
        not_returned: vec![],
        charge: Some(450.0),
    });
    assert_eq!(w.t.progress.charge, Some(450.0));
    let mut inw = World::received("2026-11-26 09:30");
    inw.refused(Command::Quote { amount: 100.0 }, Rule::P5);
}

// ---- R19: corrections ----

fn edit(fields: &[(Field, &str)]) -> Command {
    Command::Edit {
        fields: fields.iter().map(|(f, v)| (*f, v.to_string())).collect(),
    }
}

#[test]
fn r19_a_correction_is_one_event_with_old_and_new_values() {
    let mut w = World::received("2026-11-26 09:30");
    let d = w.ok(edit(&[
        (Field::Address, "中关村大街2号"),
        (Field::Warranty, "out"),
        (Field::FaultClass, "hardware"),
        (Field::Model, "T14"),
    ]));
    assert_eq!(d.events.len(), 1);
    let repairdesk::domain::event::Change::Corrected { corrections, .. } = &d.events[0].change
    else {
        panic!("not a correction: {:?}", d.events[0].change);
    };
    // The unchanged model is left out.
    assert_eq!(
        corrections
            .iter()
            .map(|c| (c.field, c.old.as_str(), c.new.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (Field::Address, "中关村大街1号", "中关村大街2号"),
            (Field::Warranty, "in", "out"),
            (Field::FaultClass, "", "hardware"),
        ]
    );
    assert_eq!(d.events[0].actor, "coord");
    assert_eq!(w.t.customer.address, "中关村大街2号");
    assert_eq!(w.t.product.warranty, Warranty::Out);
    assert_eq!(w.t.progress.fault_class, Some(FaultClass::Hardware));
}

#[test]
fn r19_number_source_t1_and_time_points_are_never_edited() {
    let mut w = World::received("2026-11-26 09:30");
    for field in [
        Field::TicketNo,
        Field::Source,
        Field::T1,
        Field::T2,
        Field::T3,
        Field::T4,
    ] {
        w.refused(edit(&[(field, "2026-11-26 08:00")]), Rule::R19);
    }
    // Naming a fixed field refuses the whole correction.
    w.refused(
        edit(&[(Field::Customer, "张伟伟"), (Field::T1, "2026-11-26 08:00")]),
        Rule::R19,
    );
    w.refused(edit(&[(Field::Customer, "张伟")]), Rule::R19);
    w.refused(edit(&[(Field::Warranty, "maybe")]), Rule::R19);
    w.refused(edit(&[(Field::Phones, " / ")]), Rule::R19);
    w.ok(edit(&[(Field::Customer, "张伟伟")]));
    assert_eq!(w.t.customer.name, "张伟伟");
}

#[test]
fn r19_a_valid_corrected_phone_clears_the_invalid_flag() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(contact(ContactResult::WrongNumber));
    assert!(w.t.phone_invalid);
    w.ok(edit(&[(Field::Phones, "1380013")]));
    assert!(w.t.phone_invalid, "still not a number");
    w.ok(edit(&[(Field::Phones, "13900139000/010-62345678")]));
    assert!(!w.t.phone_invalid);
    assert_eq!(w.t.customer.phones, vec!["13900139000", "010-62345678"]);
}

// ---- R20: events in order ----

#[test]
fn r20_nothing_is_recorded_before_the_previous_event_or_t1() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 09:00");
    let r = w.refused(contact(ContactResult::Reached), Rule::R20);
    assert!(r.msg.en.contains("T1"), "{}", r.msg.en);
    w.at("2026-11-26 10:00")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-11-26 09:50");
    let r = w.refused(contact(ContactResult::Reached), Rule::R20);
    assert!(r.msg.en.contains("previous event"), "{}", r.msg.en);
    w.at("2026-11-26 10:00").ok(contact(ContactResult::Reached));
}

#[test]
fn r20_absurd_moments_are_refused() {
    let mut w = World::received("2026-11-26 09:30");
    w.refused(promise("2100-01-01 10:00"), Rule::R20);
    w.refused(
        Command::OrderParts {
            order: "PO-1".into(),
            part: "MB".into(),
            qty: 1,
            eta: Some(at("1999-12-31 10:00")),
        },
        Rule::R20,
    );
    w.ok(promise("2099-12-31 10:00"));
    let settings = Settings::default();
    let cal = settings.calendar();
    let ctx = Context {
        now: at("2026-11-26 09:30"),
        actor: "coord",
        role: Role::Coordinator,
        settings: &settings,
        calendar: &cal,
        staff: None,
    };
    let old = dispatch_row("CC0", at("1970-01-01 08:00"));
    assert_eq!(rules::decide_new(old, &ctx).unwrap_err().rule, Rule::R20);
}

// ---- who may act ----

#[test]
fn engineers_record_visits_on_their_own_tickets_only() {
    let mut w = dispatched_world();
    w.role = Role::Engineer("李工".into());
    w.refused(visit(VisitResult::Fixed), Rule::Role);
    w.role = Role::Engineer("王工".into());
    w.refused(promise("2026-11-28 10:00"), Rule::Role);
    w.ok(visit(VisitResult::Fixed));
    assert_eq!(w.t.progress.visits[0].engineer, "王工");
}

#[test]
fn the_region_decides_cancellations_and_nothing_else() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(promise("2026-11-27 10:00"));
    w.role = Role::Region;
    w.refused(cancel(CancelReason::Duplicate), Rule::Role);
    w.refused(contact(ContactResult::Reached), Rule::Role);
    w.role = Role::Coordinator;
    w.ok(cancel(CancelReason::Duplicate));
    w.role = Role::Region;
    w.refused(promise("2026-11-28 10:00"), Rule::Role);
    w.ok(Command::DecideCancel {
        approve: true,
        by: "typed by someone".into(),
    });
    assert_eq!(w.t.status, Status::Cancelled);
    assert_eq!(
        w.t.progress
            .cancel
            .as_ref()
            .and_then(|c| c.decided_by.as_deref()),
        Some("coord"),
        "the region deciding is who decided"
    );
}

#[test]
fn the_region_records_a_commission_order_on_a_special_customer_and_not_the_notice() {
    let mut w = World::received("2026-11-26 09:30");
    w.role = Role::Region;
    // Telling the region is the station's (R14); the region issues the
    // commission order, and only on a special customer's ticket.
    w.refused(Command::NotifyRegion { commission: None }, Rule::Role);
    w.refused(
        Command::NotifyRegion {
            commission: Some(300.0),
        },
        Rule::R14,
    );
    w.t.special = true;
    w.refused(Command::NotifyRegion { commission: None }, Rule::Role);
    w.refused(
        Command::NotifyRegion {
            commission: Some(-1.0),
        },
        Rule::R14,
    );
    w.ok(Command::NotifyRegion {
        commission: Some(300.0),
    });
    assert_eq!(w.t.progress.commission, Some(300.0));
    assert!(w.t.progress.region_notified_at.is_some());
}

// ---- invariants over random command sequences ----

fn arb_command() -> impl Strategy<Value = (u32, Command)> {
    let minutes = 0u32..3000;
    let later = 0i64..6000;
    let cmd = prop_oneof![
        prop_oneof![
            Just(ContactResult::Reached),
            Just(ContactResult::NoAnswer),
            Just(ContactResult::WrongNumber)
        ]
        .prop_map(contact),
        Just(Command::MarkUnreachable),
        (later.clone(), 0usize..4).prop_map(|(m, ty)| Command::Promise {
            at: at("2026-11-26 09:30") + chrono::Duration::minutes(m),
            ptype: [
                None,
                Some(PromiseType::Customer),
                Some(PromiseType::Parts),
                Some(PromiseType::Other)
            ][ty],
            reason: if ty == 3 { Some("改期".into()) } else { None },
        }),
        Just(Command::PhoneResolve {
            kind: PhoneFix::Software
        }),
        (0u8..3).prop_map(|o| Command::OrderParts {
            order: format!("PO{o}"),
            part: "5B20S".into(),
            qty: 1,
            eta: Some(at("2026-11-27 12:00")),
        }),
        (0u8..3).prop_map(|o| Command::PartsArrived {
            order: format!("PO{o}")
        }),
        Just(Command::Print),
        Just(dispatch()),
        (0usize..4, proptest::option::of(later)).prop_map(|(r, next)| Command::Visit {
            result: VisitResult::ALL[r],
            arrived: None,
            done: None,
            next: next.map(|m| at("2026-11-26 09:30") + chrono::Duration::minutes(m)),
            note: String::new(),
        }),
        Just(close("张伟")),
        (0usize..5).prop_map(|r| Command::RequestCancel {
            reason: CancelReason::ALL[r],
            note: "说明".into(),
        }),
        any::<bool>().prop_map(|approve| Command::DecideCancel {
            approve,
            by: "大区".into()
        }),
        (0usize..3, any::<bool>()).prop_map(|(r, reopen)| Command::Followup {
            result: FollowupResult::ALL[r],
            reopen,
        }),
    ];
    (minutes, cmd)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// T2 ≤ every T3 write, at most three T3, status = last event's status,
    /// and history only grows. (That the stored ticket is the fold of its
    /// stored events is a property of the store: tests/history.rs.)
    #[test]
    fn invariants_hold_for_any_command_sequence(steps in proptest::collection::vec(arb_command(), 1..40)) {
        let mut w = World::received("2026-11-26 09:30");
        let mut clock = at("2026-11-26 09:30");
        for (advance, cmd) in steps {
            clock += chrono::Duration::minutes(advance as i64);
            w.now = clock;
            let before_events = w.events.len();
            let before = w.t.clone();
            match w.run(cmd) {
                Ok(d) => prop_assert_eq!(w.events.len(), before_events + d.events.len()),
                Err(_) => {
                    prop_assert_eq!(&w.t, &before);
                    prop_assert_eq!(w.events.len(), before_events);
                }
            }
            let t = &w.t;
            prop_assert!(t.promises().len() <= 3);
            if let Some(t2) = t.t2 {
                for p in t.promises() {
                    prop_assert!(t2 <= p.written_at);
                }
            } else {
                prop_assert!(t.promises().is_empty());
            }
            prop_assert_eq!(Some(t.status), w.events.last().map(|e| e.to));
            if t.is_phone_resolved() {
                prop_assert!(t.status != Status::Cancelled && t.status != Status::CancelRequested);
            }
            if t.status == Status::Resolved {
                prop_assert!(t.progress.signed_by.is_some() || t.is_phone_resolved());
            }
        }
    }
}

// ---- Carry-in (送修): the bench path ----

fn carry_in_world() -> World {
    let mut row = dispatch_row("CC2001", at("2026-11-26 09:30"));
    row.service_type = ServiceType::CarryIn;
    row.customer.address.clear();
    row.customer.district = "外地区".into();
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    w.at("2026-11-26 10:00").ok(promise_typed(
        "2026-11-28 16:00",
        PromiseType::Within,
        "约定取机",
    ));
    w
}

fn repair(result: RepairResult, done: Option<&str>) -> Command {
    Command::Repair {
        result,
        by: Some("王工".into()),
        done: done.map(at),
        note: String::new(),
    }
}

#[test]
fn carry_in_is_never_dispatched_or_visited() {
    let mut w = carry_in_world();
    assert_eq!(w.t.t2, Some(at("2026-11-26 10:00")), "T2: told to collect");
    w.ok(Command::Print);
    w.refused(dispatch(), Rule::CarryIn);
    w.refused(visit(VisitResult::Fixed), Rule::CarryIn);
    // …and an onsite ticket is never repaired at the bench.
    let mut onsite = dispatched_world();
    onsite.refused(repair(RepairResult::Fixed, None), Rule::CarryIn);
}

#[test]
fn carry_in_bench_repair_then_collection_sets_t4() {
    let mut w = carry_in_world();
    w.refused(close("张伟"), Rule::R11);
    w.at("2026-11-27 17:00").refused(
        repair(RepairResult::Fixed, Some("2026-11-27 18:00")),
        Rule::Visit,
    );
    w.ok(repair(RepairResult::NotFixed, Some("2026-11-27 11:00")));
    assert_eq!(w.t.status, Status::MultiRepair);
    assert_eq!(w.t.engineer.as_deref(), Some("王工"));
    w.refused(close("张伟"), Rule::R11);
    w.at("2026-11-28 09:30")
        .ok(repair(RepairResult::Fixed, Some("2026-11-28 09:10")));
    assert_eq!(
        w.t.status,
        Status::InProgress,
        "ready, waiting for collection"
    );
    assert!(
        w.t.progress.visits.is_empty(),
        "a bench repair is no site visit"
    );
    w.at("2026-11-28 15:40").ok(close("张伟"));
    assert_eq!(w.t.status, Status::Resolved);
    assert_eq!(
        w.t.t4,
        Some(at("2026-11-28 15:40")),
        "T4: collected and signed"
    );
}

#[test]
fn carry_in_is_never_outside_the_coverage() {
    let mut settings = Settings::default();
    settings.station.coverage = vec!["海淀区".into()];
    let cal = settings.calendar();
    let ctx = Context {
        now: at("2026-11-26 09:30"),
        actor: "coord",
        role: Role::Coordinator,
        settings: &settings,
        calendar: &cal,
        staff: None,
    };
    let mut row = dispatch_row("CC2002", at("2026-11-26 09:30"));
    row.customer.district = "外地区".into();
    let onsite = rules::decide_new(row.clone(), &ctx).expect("created");
    assert_eq!(
        onsite.warnings.len(),
        1,
        "onsite outside coverage warns (R17)"
    );
    row.service_type = ServiceType::CarryIn;
    let carry = rules::decide_new(row, &ctx).expect("created");
    assert!(carry.warnings.is_empty());
    let t = event::create(&carry.events[0]).expect("ticket");
    assert!(!t.out_of_coverage);
}

#[test]
fn carry_in_engineer_records_own_bench_repair_only() {
    let mut w = carry_in_world();
    w.role = Role::Engineer("李工".into());
    w.refused(repair(RepairResult::Fixed, None), Rule::Role);
    w.staff = None; // the acting engineer is known to be on the staff list
    w.ok(Command::Repair {
        result: RepairResult::Fixed,
        by: None,
        done: None,
        note: "更换键盘".into(),
    });
    assert_eq!(w.t.engineer.as_deref(), Some("李工"));
}

// ---- R6: the expected delivery decides the earliest service time ----

#[test]
fn r6_an_order_needs_its_expected_delivery() {
    let mut w = World::received("2026-11-26 09:30");
    let order = |eta: Option<&str>| Command::OrderParts {
        order: "PO-8812".into(),
        part: "5B20S".into(),
        qty: 1,
        eta: eta.map(at),
    };
    // The rule names the fact; each front end says how to give it.
    let r = w.refused(order(None), Rule::R6);
    assert_eq!(r.missing, Some(Missing::PartsEta));
    assert!(
        !r.msg.en.contains("--") && !r.msg.zh.contains("--"),
        "{r:?}"
    );
    w.ok(order(Some("2026-11-28 12:00")));
}

#[test]
fn r6_a_promise_before_the_parts_can_arrive_is_refused() {
    let mut w = World::received("2026-11-26 09:30");
    w.ok(Command::OrderParts {
        order: "PO-8812".into(),
        part: "5B20S".into(),
        qty: 1,
        eta: Some(at("2026-11-28 12:00")),
    });
    let r = w.refused(promise("2026-11-28 10:00"), Rule::R6);
    assert!(
        r.msg.en.contains("PO-8812") && r.msg.en.contains("2026-11-28 12:00"),
        "{}",
        r.msg.en
    );
    w.ok(promise("2026-11-28 14:00"));
    // Once delivered, any time will do.
    w.ok(Command::PartsArrived {
        order: "PO-8812".into(),
    });
    w.ok(promise_typed(
        "2026-11-27 09:00",
        PromiseType::Customer,
        "用户提前",
    ));
}

// ---- R11: every part received is returned or said why not ----

#[test]
fn r11_closing_accounts_for_every_part_received() {
    let mut w = World::received("2026-11-26 09:30");
    for (order, part) in [("PO1", "5B20S"), ("PO2", "FRU7")] {
        w.ok(Command::OrderParts {
            order: order.into(),
            part: part.into(),
            qty: 1,
            eta: Some(at("2026-11-27 09:00")),
        });
    }
    w.ok(promise("2026-11-27 14:00"));
    w.at("2026-11-27 09:30");
    for order in ["PO1", "PO2"] {
        w.ok(Command::PartsArrived {
            order: order.into(),
        });
    }
    w.ok(Command::Print);
    w.ok(dispatch());
    w.at("2026-11-27 15:00").ok(visit(VisitResult::Fixed));
    let closing = |returned: &[&str], not: &[(&str, &str)]| Command::Close {
        signed_by: "张伟".into(),
        returned_parts: returned.iter().map(|p| p.to_string()).collect(),
        not_returned: not
            .iter()
            .map(|(part, reason)| NotReturned {
                part: part.to_string(),
                reason: reason.to_string(),
            })
            .collect(),
        charge: None,
    };
    let r = w.refused(closing(&[], &[]), Rule::R11);
    assert!(r.msg.en.contains("5B20S, FRU7"), "{}", r.msg.en);
    let r = w.refused(closing(&["5B20S"], &[]), Rule::R11);
    assert!(
        r.msg.en.contains("FRU7") && !r.msg.en.contains("5B20S"),
        "{}",
        r.msg.en
    );
    w.refused(closing(&["5B20S"], &[("FRU7", " ")]), Rule::R11);
    let r = w.refused(
        closing(&["5B20S", "XX9"], &[("FRU7", "用户保留")]),
        Rule::R11,
    );
    assert!(r.msg.en.contains("XX9"), "{}", r.msg.en);
    w.ok(closing(&["5B20S"], &[("FRU7", "用户保留旧件")]));
    assert_eq!(w.t.progress.returned_parts, vec!["5B20S"]);
    assert_eq!(w.t.progress.not_returned_parts[0].reason, "用户保留旧件");
    assert!(w.t.parts_to_account().is_empty());
}

// ---- What a ticket needs next (the dashboard's "next step" column) ----

#[test]
fn next_step_follows_an_onsite_ticket_through_the_process() {
    let mut row = dispatch_row("CC3001", at("2026-11-26 09:30"));
    row.special = true;
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    let step = |w: &World| w.next();
    assert_eq!(step(&w), Some(NextStep::NotifyRegion), "R14 first");
    w.ok(Command::NotifyRegion { commission: None });
    assert_eq!(step(&w), Some(NextStep::Contact));
    w.at("2026-11-26 09:40")
        .ok(contact(ContactResult::NoAnswer));
    assert_eq!(step(&w), Some(NextStep::Contact), "not reached yet");
    w.at("2026-11-26 09:50").ok(contact(ContactResult::Reached));
    assert_eq!(step(&w), Some(NextStep::Promise));
    w.ok(promise("2026-11-27 14:00"));
    assert_eq!(
        step(&w),
        Some(NextStep::Print),
        "R7: printed before dispatch"
    );
    w.ok(Command::Print);
    assert_eq!(step(&w), Some(NextStep::Dispatch));
    w.ok(dispatch());
    assert_eq!(step(&w), Some(NextStep::Visit));
    w.at("2026-11-27 15:00").ok(visit(VisitResult::NotFixed));
    assert_eq!(step(&w), Some(NextStep::Promise), "R10: the time is spent");
    w.ok(promise_typed(
        "2026-11-28 14:00",
        PromiseType::Other,
        "再次上门",
    ));
    assert_eq!(step(&w), Some(NextStep::Visit));
    w.at("2026-11-28 15:00").ok(visit(VisitResult::Fixed));
    assert_eq!(
        step(&w),
        Some(NextStep::Sign),
        "R11: fixed, waiting for the signature"
    );
    w.ok(close("张伟"));
    assert_eq!(step(&w), None, "closed");
}

#[test]
fn next_step_after_t33_is_the_escalation_then_an_appointment() {
    let mut w = dispatched_world();
    for (visit_at, next) in [
        ("2026-11-27 15:00", "2026-11-30 14:00"),
        ("2026-11-30 15:00", "2026-12-01 14:00"),
    ] {
        w.at(visit_at).ok(visit(VisitResult::NotFixed));
        w.ok(promise_typed(next, PromiseType::Other, "再次上门"));
    }
    assert_eq!(w.t.promises().len(), 3);
    assert_eq!(w.next(), Some(NextStep::Visit));
    w.at("2026-12-01 15:00").ok(visit(VisitResult::NotFixed));
    assert_eq!(w.next(), Some(NextStep::Escalate), "R12: no T3 left");
    w.ok(Command::Escalate {
        note: "三次未修复".into(),
    });
    assert_eq!(w.next(), Some(NextStep::Appoint));
    w.ok(Command::Appoint {
        at: at("2026-12-02 14:00"),
        note: String::new(),
    });
    assert_eq!(w.next(), Some(NextStep::Visit));
}

#[test]
fn next_step_of_parts_refusals_and_cancellations() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 10:00").ok(Command::OrderParts {
        order: "O1".into(),
        part: "FRU1".into(),
        qty: 1,
        eta: Some(at("2026-11-27 10:00")),
    });
    w.ok(promise("2026-11-27 14:00"));
    assert_eq!(w.next(), Some(NextStep::Parts), "R6: waiting for parts");
    w.ok(Command::PartsArrived { order: "O1".into() });
    assert_eq!(w.next(), Some(NextStep::Print));

    let mut r = dispatched_world();
    r.at("2026-11-27 14:30").ok(visit(VisitResult::Refused));
    assert_eq!(r.next(), Some(NextStep::SpecialCase), "R9");
    r.ok(Command::SpecialCase {
        note: "用户拒绝".into(),
    });
    assert_eq!(r.next(), Some(NextStep::Cancel));
    r.ok(cancel(CancelReason::Refused));
    assert_eq!(r.next(), Some(NextStep::ChaseRegion), "R15");

    let mut n = World::received("2026-11-26 09:30");
    n.at("2026-11-26 09:40")
        .ok(contact(ContactResult::WrongNumber));
    assert_eq!(n.next(), Some(NextStep::Cancel), "R3");
}

#[test]
fn next_step_of_an_unreachable_customer_is_to_keep_calling() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 09:40")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-11-26 13:00").ok(Command::MarkUnreachable);
    assert_eq!(w.next(), Some(NextStep::Contact), "R2");
    w.at("2026-11-27 10:00").ok(contact(ContactResult::Reached));
    assert_eq!(w.next(), Some(NextStep::Promise), "reached later: T32");
}

#[test]
fn next_step_of_a_carry_in_is_the_bench_then_the_collection() {
    let mut row = dispatch_row("CC3002", at("2026-11-26 09:30"));
    row.service_type = ServiceType::CarryIn;
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    w.at("2026-11-26 10:00").ok(contact(ContactResult::Reached));
    w.ok(Command::Print);
    assert_eq!(w.next(), Some(NextStep::Promise));
    w.ok(promise("2026-11-28 16:00"));
    assert_eq!(
        w.next(),
        Some(NextStep::Repair),
        "never print-then-dispatch: a carry-in is repaired at the bench"
    );
    w.at("2026-11-27 11:00")
        .ok(repair(RepairResult::NotFixed, Some("2026-11-27 11:00")));
    assert_eq!(w.next(), Some(NextStep::Repair), "the bench tries again");
    w.at("2026-11-28 09:30")
        .ok(repair(RepairResult::Fixed, Some("2026-11-28 09:10")));
    assert_eq!(w.next(), Some(NextStep::Collect));
}

/// R2: an unreachable customer is called for five working days after T1;
/// from that moment the ticket goes to the region, not to another call.
#[test]
fn next_step_of_a_customer_unreachable_past_the_limit_is_the_cancel_request() {
    // Thursday 09:30; five working days later is the next Thursday 09:30.
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 09:40")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-11-26 13:00").ok(Command::MarkUnreachable);
    w.at("2026-12-03 09:29");
    assert_eq!(w.next(), Some(NextStep::Contact), "R2: keep calling");
    w.refused(cancel(CancelReason::Unreachable), Rule::R2);
    w.at("2026-12-03 09:30");
    assert_eq!(w.next(), Some(NextStep::Cancel), "R2: 5 working days");
    w.ok(cancel(CancelReason::Unreachable));
    assert_eq!(w.next(), Some(NextStep::ChaseRegion), "R15");
    // The region says no: the station keeps calling, and asks nothing again.
    w.at("2026-12-03 11:00").ok(Command::DecideCancel {
        approve: false,
        by: "大区王经理".into(),
    });
    assert_eq!(w.next(), Some(NextStep::Contact), "rejected: keep calling");
}

/// A customer reached before the limit needs a time, not a cancellation.
#[test]
fn next_step_of_an_unreachable_customer_reached_later_is_a_promise() {
    let mut w = World::received("2026-11-26 09:30");
    w.at("2026-11-26 09:40")
        .ok(contact(ContactResult::NoAnswer));
    w.at("2026-11-26 13:00").ok(Command::MarkUnreachable);
    w.at("2026-12-01 10:00").ok(contact(ContactResult::Reached));
    w.at("2026-12-04 10:00");
    assert_eq!(w.next(), Some(NextStep::Promise), "R2: reached, T32");
}

/// P5: on site the engineer may inspect first; once a visit has looked at
/// the machine, the approved quote comes before the next visit.
#[test]
fn next_step_of_an_out_of_warranty_onsite_repair_asks_for_the_quote() {
    let mut row = dispatch_row("CC5", at("2026-11-26 09:30"));
    row.product.warranty = Warranty::Out;
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    w.at("2026-11-26 10:00").ok(promise("2026-11-27 14:00"));
    w.ok(Command::Print);
    w.ok(dispatch());
    assert_eq!(w.next(), Some(NextStep::Visit), "P5: inspected without");
    w.at("2026-11-27 15:00").ok(visit(VisitResult::NotFixed));
    assert_eq!(w.next(), Some(NextStep::Promise), "R10 first");
    w.ok(promise_typed(
        "2026-11-30 14:00",
        PromiseType::Other,
        "再次上门",
    ));
    assert_eq!(w.next(), Some(NextStep::Quote), "P5: quote before repair");
    w.ok(Command::Quote { amount: 450.0 });
    assert_eq!(w.next(), Some(NextStep::Visit));
}

/// P5: the bench repairs an out-of-warranty machine only on a quote.
#[test]
fn next_step_of_an_out_of_warranty_carry_in_is_the_quote_then_the_bench() {
    let mut row = dispatch_row("CC6", at("2026-11-26 09:30"));
    row.service_type = ServiceType::CarryIn;
    row.product.warranty = Warranty::Out;
    let mut w = World::from_new(row, at("2026-11-26 09:30"));
    w.at("2026-11-26 10:00").ok(contact(ContactResult::Reached));
    w.ok(promise("2026-11-28 16:00"));
    assert_eq!(w.next(), Some(NextStep::Quote));
    w.refused(
        repair(RepairResult::Fixed, Some("2026-11-26 10:00")),
        Rule::P5,
    );
    w.ok(Command::Quote { amount: 300.0 });
    assert_eq!(w.next(), Some(NextStep::Repair));
    w.ok(repair(RepairResult::Fixed, Some("2026-11-26 10:00")));
    assert_eq!(w.next(), Some(NextStep::Collect));
}
