//! Migration 6: a `received` event stored without the ticket the row holds.
//! A database made by the previous schema (every `received` event whole) is
//! converted in its migration and reads back exactly as before; a new
//! ticket's `received` event is written compact from the start.

use chrono::TimeZone;
use rusqlite::params;

use crate::domain::calendar::Calendar;
use crate::domain::command::{Command, NewTicket};
use crate::domain::event::{self, Change, Event};
use crate::domain::settings::Settings;
use crate::domain::ticket::*;
use crate::store::{Env, Store, schema};

fn t1() -> Time {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 1, 30, 0)
        .single()
        .expect("time")
}

fn new_ticket(no: &str, special: bool, urge: bool) -> NewTicket {
    NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1: t1(),
        service_type: ServiceType::Onsite,
        priority: Priority::Urgent,
        special,
        urge,
        customer: Customer {
            name: "王芳".into(),
            phones: vec!["13900001111".into(), "010-62345678".into()],
            address: "学院路 1 号".into(),
            district: "海淀区".into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: "T14".into(),
            serial: format!("PF{no}"),
            warranty: Warranty::In,
        },
        fault: "无法开机".into(),
        note: "前台放机".into(),
    }
}

fn received_data(s: &Store, no: &str) -> String {
    s.conn()
        .unwrap()
        .query_row(
            "SELECT e.data FROM events e JOIN tickets t ON t.id = e.ticket_id
             WHERE t.ticket_no = ?1 AND e.kind = 'received'",
            [no],
            |r| r.get(0),
        )
        .expect("received event")
}

/// The ticket its stored events make, as the history reads them.
fn fold(events: &[Event]) -> Ticket {
    let mut t = event::create(&events[0]).expect("created");
    for e in &events[1..] {
        event::apply(&mut t, e);
    }
    t
}

#[test]
fn an_old_database_is_compacted_and_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db");
    let (settings, cal) = (Settings::default(), Calendar::cn_default());
    let env = Env {
        now: t1() + chrono::Duration::hours(1),
        recorded_at: t1() + chrono::Duration::hours(1),
        actor: "协调员",
        settings: &settings,
        calendar: &cal,
    };
    let numbers = ["G1", "G2", "G3", "G4"];
    let mut before = Vec::new();
    {
        let mut s = Store::open(&path).expect("open");
        s.create(new_ticket("G1", false, false), &env).expect("G1");
        s.create(new_ticket("G2", true, false), &env).expect("G2");
        s.create(new_ticket("G3", false, true), &env).expect("G3");
        s.create(new_ticket("G4", false, false), &env).expect("G4");
        // Corrections after receipt: the history keeps what was received.
        let edit = Command::Edit {
            fields: vec![
                (Field::Customer, "王芳芳".into()),
                (Field::Phones, "13900002222".into()),
                (Field::Warranty, "out".into()),
                (Field::Note, "已改".into()),
            ],
        };
        s.execute("G2", &edit, &env, None).expect("edit G2");
        let edit = Command::Edit {
            fields: vec![(Field::Customer, "李强".into())],
        };
        s.execute("G2", &edit, &env, None).expect("edit G2 again");
        assert!(
            !received_data(&s, "G2").contains("\"ticket\""),
            "a new ticket's received event is stored compact: {}",
            received_data(&s, "G2")
        );
        // The previous schema: every `received` event holds the whole
        // dispatch row.
        let conn = s.conn().unwrap();
        conn.execute_batch("DROP TRIGGER events_append_only_update")
            .expect("drop guard");
        for no in numbers {
            let history = s.history(no).expect("history");
            let full = serde_json::to_string(&history[0].change).expect("json");
            conn.execute(
                "UPDATE events SET data = ?2 WHERE kind = 'received'
                   AND ticket_id = (SELECT id FROM tickets WHERE ticket_no = ?1)",
                params![no, full],
            )
            .expect("whole received event");
        }
        // G4 was refreshed by an earlier version's `import --update`: that
        // event has no old values, so its received event stays whole.
        let mut refreshed = new_ticket("G4", false, false).customer;
        refreshed.name = "赵敏".into();
        let change = Change::Refreshed {
            customer: refreshed,
            product: new_ticket("G4", false, false).product,
            phone_invalid: false,
            out_of_coverage: false,
        };
        conn.execute(
            "INSERT INTO events (ticket_id, at, actor, kind, from_status, to_status, data)
             SELECT id, ?2, '协调员', 'refreshed', status, status, ?3 FROM tickets WHERE ticket_no = ?1",
            params![
                "G4",
                super::ts(t1()),
                serde_json::to_string(&change).expect("json")
            ],
        )
        .expect("refreshed event");
        conn.execute(
            "UPDATE tickets SET customer_name = '赵敏', version = version + 1 WHERE ticket_no = 'G4'",
            [],
        )
        .expect("refreshed row");
        // Schema 5, the one before migration 6 (with the whole
        // `events_kind_at` of before migration 7).
        conn.execute_batch(
            "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
             BEGIN SELECT RAISE(ABORT, 'history is append-only: events cannot be updated'); END;
             DROP INDEX events_kind_at;
             CREATE INDEX events_kind_at ON events(kind, at);
             PRAGMA user_version = 5;",
        )
        .expect("previous schema");
        for no in numbers {
            assert!(received_data(&s, no).contains("\"ticket\""), "{no} whole");
            before.push((s.history(no).expect("history"), s.get(no).expect("row")));
        }
    }
    let s = Store::open(&path).expect("migrate");
    let version: i64 = s
        .conn()
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version as usize, schema::MIGRATIONS.len());
    for (no, (history, row)) in numbers.iter().zip(&before) {
        assert_eq!(&s.history(no).expect("history"), history, "{no}");
        assert_eq!(&s.get(no).expect("row"), row, "{no}");
    }
    for no in ["G1", "G2", "G3"] {
        let data = received_data(&s, no);
        assert!(
            data.len() < 100 && !data.contains("\"ticket\""),
            "{no}: {data}"
        );
        // The row is still what its events make.
        let history = s.history(no).expect("history");
        assert_eq!(fold(&history), s.get(no).expect("row"), "{no}");
    }
    let Change::Received { ticket, .. } = &before[1].0[0].change else {
        panic!("G2 starts with its receipt")
    };
    assert_eq!(ticket.customer.name, "王芳", "G2 as received");
    assert_eq!(ticket.product.warranty, Warranty::In);
    assert_eq!(ticket.note, "前台放机");
    assert!(
        received_data(&s, "G4").contains("\"ticket\""),
        "G4 stays whole"
    );
    // The history is append-only again.
    let err = s
        .conn()
        .unwrap()
        .execute("UPDATE events SET actor = 'x'", [])
        .expect_err("append-only");
    assert!(err.to_string().contains("append-only"), "{err}");
}
