//! The history is the truth: for any sequence of commands through the real
//! store, every stored ticket row equals the fold of its stored events
//! (`event::create` + `event::apply`). A row written apart from its events —
//! a column forgotten, a change applied twice, an event not stored — shows
//! here. Runs on SQLite, and again on PostgreSQL when a test server is there.

mod common;

use std::path::PathBuf;

use chrono::TimeZone;
use proptest::prelude::*;
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::event;
use repairdesk::domain::settings::Settings;
use repairdesk::domain::sla;
use repairdesk::domain::staff::StaffChange;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::*;
use repairdesk::setup::app::App;
use repairdesk::store::{ListFilter, Store};

/// Station time (UTC+8) on 2026-11-26 as UTC, plus `minutes`.
fn at(minutes: i64) -> Time {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&chrono::Utc)
        + chrono::Duration::minutes(minutes)
}

fn app(now: Time) -> App {
    App::new(
        Settings::default(),
        Box::new(FixedClock(now)),
        "coord".into(),
        Lang::En,
        PathBuf::from(":memory:"),
    )
}

/// The tickets every sequence works on: onsite in and out of warranty, and
/// a carry-in one.
fn tickets() -> Vec<NewTicket> {
    [
        ("H1", ServiceType::Onsite, Warranty::In),
        ("H2", ServiceType::Onsite, Warranty::Out),
        ("H3", ServiceType::CarryIn, Warranty::In),
    ]
    .into_iter()
    .map(|(no, service_type, warranty)| NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1: at(0),
        service_type,
        priority: Priority::Normal,
        special: no == "H2",
        urge: false,
        customer: Customer {
            name: "张伟".into(),
            phones: vec!["13812345678".into()],
            address: "中关村大街1号".into(),
            district: "海淀区".into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: "T14".into(),
            serial: format!("PF{no}"),
            warranty,
        },
        fault: "无法开机".into(),
        note: String::new(),
    })
    .collect()
}

/// Text as people type it: sometimes with blanks around.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("说明".into()),
        Just("  已留言 ".into())
    ]
}

fn command() -> impl Strategy<Value = Command> {
    let later = (0i64..6000).prop_map(at);
    prop_oneof![
        (0usize..3, text()).prop_map(|(r, note)| Command::Contact {
            result: ContactResult::ALL[r],
            note,
        }),
        Just(Command::MarkUnreachable),
        (later.clone(), 0usize..4).prop_map(|(at, ty)| Command::Promise {
            at,
            ptype: [
                None,
                Some(PromiseType::Customer),
                Some(PromiseType::Parts),
                Some(PromiseType::Other)
            ][ty],
            reason: (ty == 3).then(|| "改期".into()),
        }),
        Just(Command::PhoneResolve {
            kind: PhoneFix::Software
        }),
        (0u8..2).prop_map(|o| Command::OrderParts {
            order: format!("PO{o}"),
            part: "5B20S".into(),
            qty: 1,
            eta: Some(at(1600)),
        }),
        (0u8..2).prop_map(|o| Command::PartsArrived {
            order: format!(" PO{o}")
        }),
        Just(Command::Print),
        (
            any::<bool>(),
            proptest::option::of(Just(" 总站 ".to_string()))
        )
            .prop_map(|(outage, site)| Command::Dispatch {
                engineer: "王工".into(),
                site,
                override_reason: outage.then(|| "系统故障".into()),
            }),
        (0usize..4, proptest::option::of(later.clone()), text()).prop_map(|(r, next, note)| {
            Command::Visit {
                result: VisitResult::ALL[r],
                arrived: None,
                done: None,
                next,
                note,
            }
        }),
        (0usize..2, text()).prop_map(|(r, note)| Command::Repair {
            result: RepairResult::ALL[r],
            by: Some("王工".into()),
            done: None,
            note,
        }),
        (proptest::option::of(Just(300.0)), any::<bool>()).prop_map(|(charge, returned)| {
            Command::Close {
                signed_by: "张伟".into(),
                returned_parts: if returned {
                    vec!["PO0".into(), "PO1".into()]
                } else {
                    vec![]
                },
                not_returned: vec![],
                charge,
            }
        }),
        Just(Command::Quote { amount: 300.0 }),
        (0usize..5, text()).prop_map(|(r, note)| Command::RequestCancel {
            reason: CancelReason::ALL[r],
            note,
        }),
        any::<bool>().prop_map(|approve| Command::DecideCancel {
            approve,
            by: "大区".into()
        }),
        Just(Command::NotifyRegion {
            commission: Some(50.0)
        }),
        (0usize..3, any::<bool>()).prop_map(|(r, reopen)| Command::Followup {
            result: FollowupResult::ALL[r],
            reopen,
        }),
        text().prop_map(|note| Command::Edit {
            fields: vec![(Field::Note, note), (Field::FaultClass, "hardware".into())]
        }),
        text().prop_map(|note| Command::Escalate { note }),
        (later, text()).prop_map(|(at, note)| Command::Appoint { at, note }),
        text().prop_map(|note| Command::SpecialCase { note }),
    ]
}

/// Every ticket the store holds, as its rows say.
fn rows(store: &Store) -> Vec<Ticket> {
    store
        .list(&ListFilter {
            statuses: Status::ALL.to_vec(),
            ..ListFilter::default()
        })
        .expect("list")
}

proptest! {
    // Each case makes a database (on PostgreSQL, a whole one): few cases,
    // long sequences.
    #![proptest_config(ProptestConfig::with_cases(
        if common::Backend::from_env() == common::Backend::Postgres { 6 } else { 24 }
    ))]

    #[test]
    fn every_stored_ticket_is_the_fold_of_its_stored_events(
        steps in proptest::collection::vec((0usize..3, 0i64..240, command()), 1..60)
    ) {
        let desk = common::Desk::new();
        let mut store = Store::open(&desk.db).expect("store");
        let start = app(at(0));
        store
            .staff_change(&StaffChange::Add { name: "王工".into(), capacity: 5, site: None }, &start.env())
            .expect("staff");
        let numbers: Vec<String> = tickets()
            .into_iter()
            .map(|t| store.create(t, &start.env()).expect("create").ticket.ticket_no)
            .collect();
        let mut clock = 0;
        let mut written = 0;
        for (which, advance, cmd) in steps {
            clock += advance;
            let now = app(at(clock));
            if store.execute(&numbers[which], &cmd, &now.env(), None).is_ok() {
                written += 1;
            }
        }
        let stored = rows(&store);
        prop_assert_eq!(stored.len(), numbers.len());
        for row in stored {
            let events = store.history(&row.ticket_no).expect("history");
            let mut fold = event::create(&events[0]).expect("the first event creates");
            for e in &events[1..] {
                event::apply(&mut fold, e);
            }
            prop_assert_eq!(&fold, &row, "{} after {} commands written", row.ticket_no, written);
            // The schedule kept beside the row (SQLite) is the domain's
            // for the ticket as it now stands, after every kind of change.
            if common::Backend::from_env() == common::Backend::Sqlite {
                let kept = store.stored_schedule(&row.ticket_no).expect("schedule");
                let a = app(at(clock));
                prop_assert_eq!(kept, Some(sla::schedule(&fold, &a.settings, &a.calendar)), "{}", row.ticket_no);
            }
        }
    }
}

#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres("on_postgresql_too", &[]);
}
