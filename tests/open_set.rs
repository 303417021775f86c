//! The dashboard holds every open ticket, most urgent first, and keeps up
//! with other desks by reading only what changed: a ticket created after
//! 100,000 others is there and first when it is the most urgent, a change
//! made by another process shows after the next tick, the header counts
//! every open ticket, and the panes kept up to date piece by piece are the
//! panes a full read gives.

mod common;

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone};
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::settings::Settings;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::*;
use repairdesk::setup::app::App;
use repairdesk::store::Store;
use repairdesk::tui::Dashboard;

use common::dashboard::screen;

/// Thursday 2026-11-26 11:30 at the station (UTC+8), a working day.
fn now() -> Time {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 26, 11, 30, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&chrono::Utc)
}

fn app(t: Time, db: &Path) -> App {
    App::new(
        Settings::default(),
        Box::new(FixedClock(t)),
        "coord".into(),
        Lang::En,
        db.to_path_buf(),
    )
}

fn ticket(no: &str, t1: Time, priority: Priority) -> NewTicket {
    NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1,
        service_type: ServiceType::Onsite,
        priority,
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
            model: "X1 Carbon".into(),
            serial: format!("SN-{no}"),
            warranty: Warranty::In,
        },
        fault: "屏幕不亮".into(),
        note: String::new(),
    }
}

/// Where a station lives for the length of a test: a file in a temporary
/// folder, or a throwaway database on the test server
/// (`REPAIRDESK_TEST_BACKEND=postgres`); dropped with it.
enum Place {
    File(#[allow(dead_code)] tempfile::TempDir),
    Server(#[allow(dead_code)] common::pg::PgDb),
}

/// A station holding `n` open tickets received ten minutes ago (no
/// deadline near yet), written in one transaction; its place and what a
/// desk opens (the file, or the server's URL).
fn station(n: usize) -> (Place, PathBuf) {
    let (place, path) = match common::Backend::from_env() {
        common::Backend::Postgres => {
            let db = common::pg::PgDb::create();
            let url = PathBuf::from(&db.url);
            (Place::Server(db), url)
        }
        common::Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("station.db");
            (Place::File(dir), path)
        }
    };
    let mut store = Store::open(&path).expect("store");
    let a = app(now(), &path);
    let env = a.env();
    let mut tx = store.begin().expect("begin");
    for i in 0..n {
        let t1 = now() - Duration::minutes(10) - Duration::seconds((i % 500) as i64);
        tx.create(ticket(&format!("W{i:010}"), t1, Priority::Normal), &env)
            .expect("create");
    }
    tx.commit().expect("commit");
    (place, path)
}

fn dashboard(path: &Path) -> Dashboard {
    let store = Store::open(path).expect("store");
    let mut d = Dashboard::new(app(now(), path), store).expect("dashboard");
    d.set_no_color(true);
    d
}

fn numbers(d: &Dashboard, p: usize) -> Vec<String> {
    d.pane_tickets(p)
        .iter()
        .map(|t| t.ticket_no.clone())
        .collect()
}

/// Another desk: its own connection to the same station, as another
/// process would have.
fn other_desk(path: &Path, f: impl FnOnce(&mut Store, &App)) {
    let mut store = Store::open(path).expect("other desk");
    let a = app(now(), path);
    f(&mut store, &a);
}

fn promise() -> Command {
    Command::Promise {
        at: now() + Duration::hours(5),
        ptype: None,
        reason: None,
    }
}

/// `s` `s` (deadline → T1 → customer), `S` (reversed).
fn sort_by_customer_reversed(d: &mut Dashboard) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    d.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE));
    d.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE));
    d.handle_key(KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT));
}

#[test]
fn a_ticket_created_after_100k_others_is_shown_first_when_most_urgent() {
    let n = 100_000;
    let (_dir, path) = station(n);
    let mut d = dashboard(&path);
    assert_eq!(d.pane_tickets(0).len(), n, "every open ticket is held");
    let header = screen(&mut d, 160, 45);
    assert!(header.contains(&format!("open {n}")), "{header}");

    // Another desk takes in an emergency received 3½ hours ago: its contact
    // deadline (R1, 4 h) is near, the only deadline near at the station.
    other_desk(&path, |s, a| {
        let t1 = now() - Duration::minutes(210);
        s.create(ticket("E0000000001", t1, Priority::Emergency), &a.env())
            .expect("create");
    });
    d.tick();
    let queued = d.pane_tickets(0);
    assert_eq!(queued.len(), n + 1);
    assert_eq!(
        queued[0].ticket_no, "E0000000001",
        "the most urgent is first"
    );
    let shown = screen(&mut d, 160, 45);
    assert!(shown.contains("E0000000001"), "{shown}");
    assert!(shown.contains(&format!("open {}", n + 1)), "{shown}");

    // A promise made at another desk moves one of them to "In progress".
    other_desk(&path, |s, a| {
        s.execute("W0000050000", &promise(), &a.env(), None)
            .expect("promise");
    });
    d.tick();
    assert_eq!(d.pane_tickets(0).len(), n);
    assert_eq!(numbers(&d, 1), vec!["W0000050000".to_string()]);
    let shown = screen(&mut d, 160, 45);
    assert!(shown.contains("W0000050000"), "{shown}");
    assert!(shown.contains(&format!("open {}", n + 1)), "{shown}");
}

/// The panes and the alert list kept up to date change by change are
/// exactly those a full read of the store gives.
#[test]
fn changes_read_piece_by_piece_give_the_panes_a_full_read_gives() {
    let (_dir, path) = station(60);
    let mut d = dashboard(&path);
    let full = |d: &Dashboard| {
        let fresh = dashboard(&path);
        for p in 0..4 {
            assert_eq!(numbers(d, p), numbers(&fresh, p), "pane {p}");
        }
        let list = |x: &Dashboard| -> Vec<(String, String)> {
            x.alert_list()
                .iter()
                .map(|(no, a)| (no.to_string(), format!("{:?}", a.kind)))
                .collect()
        };
        assert_eq!(list(d), list(&fresh), "alert list");
    };
    let reached = Command::Contact {
        result: ContactResult::Reached,
        note: String::new(),
    };
    // Another desk: new tickets (one urgent), promises, a ticket solved on
    // the phone (closed: it leaves the panes).
    other_desk(&path, |s, a| {
        let env = a.env();
        s.create(
            ticket(
                "E0000000001",
                now() - Duration::minutes(230),
                Priority::Emergency,
            ),
            &env,
        )
        .expect("create");
        s.create(ticket("N0000000001", now(), Priority::Normal), &env)
            .expect("create");
        for no in ["W0000000003", "W0000000017", "W0000000059"] {
            s.execute(no, &promise(), &env, None).expect("promise");
        }
        s.execute("W0000000020", &reached, &env, None)
            .expect("contact");
        s.execute(
            "W0000000020",
            &Command::PhoneResolve {
                kind: PhoneFix::Software,
            },
            &env,
            None,
        )
        .expect("phone resolve");
    });
    let full_reads = d.full_reads();
    d.tick();
    // Only the changed tickets were read: from the history on a file, as
    // the server named them on PostgreSQL (LISTEN/NOTIFY).
    assert_eq!(d.full_reads(), full_reads, "no whole open set read again");
    assert!(!numbers(&d, 0).contains(&"W0000000020".to_string()));
    assert_eq!(
        numbers(&d, 0).first().map(String::as_str),
        Some("E0000000001")
    );
    assert_eq!(numbers(&d, 1).len(), 3);
    full(&d);

    // The same, sorted by customer and reversed.
    sort_by_customer_reversed(&mut d);
    // Many tickets closed at once (rows leave from everywhere, the last
    // ones included), one promised, one new.
    other_desk(&path, |s, a| {
        let env = a.env();
        s.execute("W0000000030", &promise(), &env, None)
            .expect("promise");
        s.create(ticket("N0000000002", now(), Priority::Urgent), &env)
            .expect("create");
        let closing = (31..58)
            .step_by(2)
            .map(|i| format!("W{i:010}"))
            .chain(["E0000000001".to_string(), "N0000000001".to_string()]);
        for no in closing {
            s.execute(&no, &reached, &env, None).expect("contact");
            let fix = Command::PhoneResolve {
                kind: PhoneFix::Other,
            };
            s.execute(&no, &fix, &env, None).expect("phone resolve");
        }
    });
    let full_reads = d.full_reads();
    d.tick();
    assert_eq!(d.full_reads(), full_reads, "no whole open set read again");
    let mut fresh = dashboard(&path);
    sort_by_customer_reversed(&mut fresh);
    for p in 0..4 {
        assert_eq!(numbers(&d, p), numbers(&fresh, p), "pane {p}, by customer");
    }
    assert_eq!(numbers(&d, 0).len() + numbers(&d, 1).len(), 62 - 1 - 16 + 1);
    let list = |x: &Dashboard| -> Vec<(String, String)> {
        x.alert_list()
            .iter()
            .map(|(no, a)| (no.to_string(), format!("{:?}", a.kind)))
            .collect()
    };
    assert_eq!(list(&d), list(&fresh), "alert list");
}

/// A station of `n` open tickets in every state the panes order: received
/// over the last eight hours (quiet, warned and breached contact
/// deadlines), every third one promised for a time from 12:00 to 17:00
/// (in progress: quiet, warned or due), and last an emergency received
/// before all of them, its response target the longest broken.
fn mixed_station(n: usize) -> (Place, PathBuf) {
    let (place, path) = station(0);
    let mut store = Store::open(&path).expect("store");
    let a = app(now(), &path);
    let env = a.env();
    let mut tx = store.begin().expect("begin");
    for i in 0..n {
        let no = format!("M{i:010}");
        let t1 = now() - Duration::minutes(((i * 7) % 480) as i64);
        tx.create(ticket(&no, t1, Priority::Normal), &env)
            .expect("create");
        if i % 3 == 0 {
            let promise = Command::Promise {
                at: now() + Duration::minutes(30 + ((i * 11) % 300) as i64),
                ptype: None,
                reason: None,
            };
            tx.execute(&no, &promise, &env, None).expect("promise");
        }
    }
    let t1 = now() - Duration::minutes(500);
    tx.create(ticket("E0000000001", t1, Priority::Emergency), &env)
        .expect("create");
    tx.commit().expect("commit");
    (place, path)
}

/// The dashboard's start: the first screen is read before the whole open
/// set, and its rows are the first rows of the full read's panes (the
/// emergency created last on top); the whole set then follows, to the
/// true count, with a change another desk made meanwhile. On PostgreSQL
/// (no stored schedule) the start reads everything at once.
#[test]
fn the_first_screen_is_the_first_rows_of_a_full_read_and_the_rest_follows() {
    let n = 3_000;
    let (_dir, path) = mixed_station(n);
    let full = dashboard(&path);
    let store = Store::open(&path).expect("store");
    let mut quick = Dashboard::new_quick(app(now(), &path), store).expect("dashboard");
    quick.set_no_color(true);
    let file = common::Backend::from_env() == common::Backend::Sqlite;
    assert_eq!(quick.loading(), file);
    if file {
        let held: usize = (0..4).map(|p| numbers(&quick, p).len()).sum();
        assert!(held < n / 2, "only the first rows are read first: {held}");
    }
    for p in 0..4 {
        let (f, q) = (numbers(&full, p), numbers(&quick, p));
        // More than any pane shows on a 60-line terminal.
        let k = f.len().min(60);
        assert!(k > 0 || p > 1, "pane {p} is empty");
        assert_eq!(q[..k], f[..k], "pane {p}");
    }
    assert_eq!(numbers(&quick, 0)[0], "E0000000001");
    let shown = screen(&mut quick, 160, 45);
    assert!(shown.contains("E0000000001"), "{shown}");
    assert!(shown.contains(&format!("open {}", n + 1)), "{shown}");

    // Another desk promises the emergency and takes in a new ticket while
    // the rest is read.
    other_desk(&path, |s, a| {
        s.execute("E0000000001", &promise(), &a.env(), None)
            .expect("promise");
        s.create(ticket("N0000000001", now(), Priority::Urgent), &a.env())
            .expect("create");
    });
    quick.take_loaded(true);
    quick.tick();
    assert!(!quick.loading());
    let fresh = dashboard(&path);
    let total: usize = (0..4).map(|p| numbers(&quick, p).len()).sum();
    assert_eq!(total, n + 2, "every open ticket is held");
    for p in 0..4 {
        assert_eq!(numbers(&quick, p), numbers(&fresh, p), "pane {p}");
    }
    let list = |x: &Dashboard| -> Vec<(String, String)> {
        x.alert_list()
            .iter()
            .map(|(no, a)| (no.to_string(), format!("{:?}", a.kind)))
            .collect()
    };
    assert_eq!(list(&quick), list(&fresh), "alert list");
}

/// The change-by-change panes again on a PostgreSQL database (skipped
/// without a server, except under CI); 100,000 tickets are written there
/// by the benchmarks, not the tests.
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres(
        "on_postgresql_too",
        &["a_ticket_created_after_100k_others_is_shown_first_when_most_urgent"],
    );
}
