//! Several stations and their region in one PostgreSQL database (PROCESS.md,
//! "Many desks, many stations, one region"): each station's desks see their
//! own rows; each person connects as a login of their own, whose name the
//! history records; and the boundaries of each role are held by the
//! database, shown here both through the program and through plain SQL as
//! that login. PostgreSQL only: a file is one station.

mod common;

use std::path::PathBuf;
use std::process::Output;
use std::sync::Arc;

use common::pg::{self, Login, PgDb};
use common::{Backend, Desk};

/// Two stations on one server database, the administrator (the login that
/// created it) at the desks.
struct World {
    desk: Desk,
    a: PathBuf,
    b: PathBuf,
}

const A: &str = "BJ-0101";
const B: &str = "BJ-0202";

fn world() -> Option<World> {
    if !pg::available() {
        return None;
    }
    let desk = Desk::on(Backend::Postgres);
    let a = desk.write("a.toml", format!("[station]\ncode = \"{A}\"\n").as_bytes());
    let b = desk.write("b.toml", format!("[station]\ncode = \"{B}\"\n").as_bytes());
    Some(World { desk, a, b })
}

impl World {
    fn db(&self) -> Arc<PgDb> {
        self.desk.pg.clone().expect("a server database")
    }

    /// Plain SQL as the administrator, naming no station: every row.
    fn every_station(&self) -> postgres::Client {
        let mut c = self.db().connect();
        c.batch_execute("SET repairdesk.station = ''").expect("set");
        c
    }

    /// `repairdesk --config STATION ARGS…` as the administrator.
    fn admin(&self, station: &PathBuf, args: &[&str]) -> Output {
        self.desk
            .cmd()
            .arg("--config")
            .arg(station)
            .args(args)
            .output()
            .expect("runs")
    }

    /// `repairdesk --config STATION ARGS…` as `login`.
    fn login(&self, login: &Login, station: &PathBuf, args: &[&str]) -> Output {
        self.desk
            .cmd()
            .args(["--db", &login.url()])
            .env("PGPASSWORD", &login.password)
            .arg("--config")
            .arg(station)
            .args(args)
            .output()
            .expect("runs")
    }

    /// A person with a login of their own, granted `role`.
    fn person(&self, who: &str, role: &str, station: Option<&str>, name: &str) -> Login {
        let login = Login::create(&self.db(), who);
        let mut args = vec![
            "admin",
            "grant",
            &login.name,
            "--role",
            role,
            "--name",
            name,
        ];
        if let Some(s) = station {
            args.extend(["--station", s]);
        }
        ok(&self.admin(&self.a, &args));
        login
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed ({:?}): {}",
        out.status.code(),
        common::stderr(out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The exit code and stderr of a command that must fail.
fn fails(out: &Output, code: i32) -> String {
    let err = common::stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    err
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON")
}

/// A ticket of 张伟 at a station.
const NEW: [&str; 12] = common::new_ticket_args("张伟");

/// The server's message of a refused statement.
fn message(e: postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string())
}

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).expect(sql).get(0)
}

#[test]
fn two_stations_in_one_database_each_desk_sees_its_own() {
    let Some(w) = world() else { return };
    let na = ok(&w.admin(&w.a, &NEW)).trim().to_string();
    let nb = ok(&w.admin(&w.b, &NEW)).trim().to_string();
    // Ticket numbers are the station's own: both desks' first of the day.
    assert_eq!(na, "ZD-20261126-0001");
    assert_eq!(na, nb);
    ok(&w.admin(&w.a, &["staff", "add", "王建国"]));
    ok(&w.admin(&w.b, &["staff", "add", "王建国", "--capacity", "3"]));
    ok(&w.admin(&w.b, &["ticket", "contact", &nb, "--result", "reached"]));
    let a = json(&w.admin(&w.a, &["--json", "ticket", "list"]));
    assert_eq!(a.as_array().map(Vec::len), Some(1), "{a}");
    let shown = json(&w.admin(&w.a, &["--json", "ticket", "show", &na]));
    assert_eq!(
        shown["version"], 1,
        "station A's ticket is untouched: {shown}"
    );
    let hist = ok(&w.admin(&w.b, &["ticket", "history", &nb]));
    assert_eq!(hist.lines().count(), 2, "{hist}");
    let staff_b = json(&w.admin(&w.b, &["--json", "staff", "list"]));
    assert_eq!(staff_b[0]["capacity"], 3, "{staff_b}");
    let staff_a = json(&w.admin(&w.a, &["--json", "staff", "list"]));
    assert_eq!(staff_a[0]["capacity"], 6, "{staff_a}");
    let second = ok(&w.admin(&w.a, &NEW)).trim().to_string();
    assert_eq!(second, "ZD-20261126-0002");
    // Each row carries its station (the administrator's connection naming
    // no station sees every one).
    let mut c = w.every_station();
    let per: Vec<(String, i64)> = c
        .query(
            "SELECT station, COUNT(*) FROM tickets GROUP BY station ORDER BY station",
            &[],
        )
        .expect("look")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(per, [(A.to_string(), 2), (B.to_string(), 1)]);
}

#[test]
fn grants_are_recorded_and_only_the_administrator_grants() {
    let Some(w) = world() else { return };
    let li = w.person("li", "coordinator", Some(A), "小李");
    let wang = w.person("wang", "engineer", Some(A), "王建国");
    let zhao = w.person("zhao", "region", None, "大区赵");
    let list = json(&w.admin(&w.a, &["--json", "admin", "list"]));
    let people = list.as_array().expect("array");
    let entry = |login: &str| {
        people
            .iter()
            .find(|p| p["login"] == login)
            .unwrap_or_else(|| panic!("{login} in {list}"))
            .clone()
    };
    assert_eq!(entry(&li.name)["role"], "coordinator");
    assert_eq!(entry(&li.name)["station"], A);
    assert_eq!(entry(&li.name)["name"], "小李");
    assert_eq!(entry(&wang.name)["role"], "engineer");
    assert_eq!(entry(&zhao.name)["station"], serde_json::Value::Null);
    // The login that created the database is its administrator.
    assert_eq!(entry("repairdesk_test")["role"], "admin");
    let text = ok(&w.admin(&w.a, &["admin", "list"]));
    assert!(text.contains(&li.name) && text.contains("小李"), "{text}");

    // A coordinator cannot grant, nor list; a station is needed for a
    // coordinator, none for the region; a login must exist on the server.
    let err = fails(
        &w.login(
            &li,
            &w.a,
            &["admin", "grant", &wang.name, "--role", "region"],
        ),
        3,
    );
    assert!(err.contains("administrator"), "{err}");
    fails(&w.login(&li, &w.a, &["admin", "list"]), 3);
    fails(
        &w.admin(&w.a, &["admin", "grant", &li.name, "--role", "coordinator"]),
        3,
    );
    fails(
        &w.admin(
            &w.a,
            &[
                "admin",
                "grant",
                &zhao.name,
                "--role",
                "region",
                "--station",
                A,
            ],
        ),
        3,
    );
    let err = fails(
        &w.admin(
            &w.a,
            &["admin", "grant", "rd_nobody_here", "--role", "region"],
        ),
        4,
    );
    assert!(err.contains("createuser"), "{err}");

    // Revoked: the entry stays, marked; the login no longer works here.
    ok(&w.admin(&w.a, &["admin", "revoke", &li.name]));
    let list = json(&w.admin(&w.a, &["--json", "admin", "list"]));
    let li_entry = list
        .as_array()
        .and_then(|a| a.iter().find(|p| p["login"] == li.name.as_str()))
        .expect("still listed");
    assert_eq!(li_entry["active"], false);
    let err = fails(&w.login(&li, &w.a, &["ticket", "list"]), 1);
    assert!(err.contains("admin grant"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let mut c = li.connect();
    assert!(
        c.query("SELECT * FROM tickets", &[]).is_err(),
        "no privilege left"
    );

    // Every grant and revoke is recorded, by whom.
    let history = json(&w.admin(&w.a, &["--json", "admin", "history"]));
    let kinds: Vec<(String, String)> = history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or("").to_string(),
                e["login"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("granted".into(), "repairdesk_test".into()),
            ("granted".into(), li.name.clone()),
            ("granted".into(), wang.name.clone()),
            ("granted".into(), zhao.name.clone()),
            ("revoked".into(), li.name.clone()),
        ]
    );
    assert!(
        history
            .as_array()
            .expect("array")
            .iter()
            .all(|e| e["actor"] == "repairdesk_test"),
        "{history}"
    );
    // The record of grants is append-only even for the administrator.
    let mut own = w.db().connect();
    assert!(own.batch_execute("DELETE FROM people_events").is_err());
}

#[test]
fn admin_refuses_on_a_file_in_one_line() {
    let d = Desk::on(Backend::Sqlite);
    let out = d.run(&["admin", "list"]);
    let err = fails(&out, 2);
    assert!(err.contains("PostgreSQL"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!d.db.exists(), "nothing created");
}

#[test]
fn the_actor_is_the_login_person_whatever_as_says() {
    let Some(w) = world() else { return };
    let li = w.person("li", "coordinator", Some(A), "小李");
    let no = ok(&w.login(
        &li,
        &w.a,
        &["--as", "冒名者", "ticket", "new"]
            .iter()
            .chain(&NEW[2..])
            .copied()
            .collect::<Vec<_>>(),
    ))
    .trim()
    .to_string();
    ok(&w.login(
        &li,
        &w.a,
        &[
            "--as",
            "冒名者",
            "ticket",
            "contact",
            &no,
            "--result",
            "reached",
        ],
    ));
    let history = json(&w.login(&li, &w.a, &["--json", "ticket", "history", &no]));
    let actors: Vec<&str> = history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["actor"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actors, ["小李", "小李"], "{history}");
    // The administrator's desk still acts as its --as says (it owns the tables).
    ok(&w.admin(
        &w.a,
        &[
            "--as",
            "站长",
            "ticket",
            "contact",
            &no,
            "--result",
            "no-answer",
        ],
    ));
    let history = ok(&w.admin(&w.a, &["ticket", "history", &no]));
    assert!(history.contains("站长"), "{history}");
}

#[test]
fn a_coordinator_reads_and_changes_only_their_station_even_with_psql() {
    let Some(w) = world() else { return };
    let li = w.person("li", "coordinator", Some(A), "小李");
    let na = ok(&w.login(&li, &w.a, &NEW)).trim().to_string();
    let nb = ok(&w.admin(&w.b, &NEW)).trim().to_string();
    ok(&w.admin(&w.b, &["ticket", "contact", &nb, "--result", "reached"]));
    // Through the program: the other station's ticket is not there, even
    // with the other station's configuration (the grant decides).
    let mine = json(&w.login(&li, &w.b, &["--json", "ticket", "list"]));
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    ok(&w.login(
        &li,
        &w.a,
        &["ticket", "contact", &na, "--result", "reached"],
    ));
    ok(&w.login(&li, &w.a, &["staff", "add", "王建国"]));

    let mut c = li.connect();
    // Allowed: its own station's rows.
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM tickets"), 1);
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM events"), 2);
    let st: String = c
        .query_one("SELECT station FROM tickets", &[])
        .expect("read")
        .get(0);
    assert_eq!(st, A);
    // Held: naming another station changes nothing.
    c.batch_execute(&format!("SET repairdesk.station = '{B}'"))
        .expect("a setting anyone may make");
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM tickets"), 1);
    assert_eq!(
        count(
            &mut c,
            &format!("SELECT COUNT(*) FROM events WHERE station = '{B}'")
        ),
        0
    );
    let changed = c
        .execute(
            &format!("UPDATE tickets SET customer_name = 'x' WHERE station = '{B}'"),
            &[],
        )
        .expect("update runs");
    assert_eq!(changed, 0, "another station's ticket is not changed");
    // Writing history on another station's ticket, or as somebody else.
    let b_id: i64 = w
        .every_station()
        .query_one("SELECT id FROM tickets WHERE station = $1", &[&B])
        .expect("B's ticket")
        .get(0);
    let insert = "INSERT INTO events (ticket_id, at, actor, kind, to_status, data)
                  VALUES ($1, 0, $2, 'contact_logged', 'queued', '{}')";
    assert!(c.execute(insert, &[&b_id, &"小李"]).is_err());
    let a_id: i64 = c
        .query_one("SELECT id FROM tickets", &[])
        .expect("own")
        .get(0);
    assert!(
        c.execute(insert, &[&a_id, &"别人"]).is_err(),
        "the history names the login's person"
    );
    // Its own station's ticket changes only with an event of its own: a
    // row made to say what its history does not is refused.
    let err = c
        .batch_execute("UPDATE tickets SET customer_name = '改名'")
        .expect_err("a picture without history");
    assert!(format!("{err:?}").contains("without an event"), "{err:?}");
    // Nobody but the administrator removes rows.
    assert!(c.batch_execute("DELETE FROM tickets").is_err());
    assert!(c.batch_execute("DELETE FROM staff").is_err());
    assert!(
        c.batch_execute("UPDATE tickets SET ticket_no = 'X'")
            .is_err()
    );
    assert!(c.batch_execute("SELECT * FROM people").is_err());
    // B's ticket is as its own desk left it.
    let b = json(&w.admin(&w.b, &["--json", "ticket", "show", &nb]));
    assert_eq!(b["customer"]["name"], "张伟");
    assert_eq!(b["version"], 2);
}

#[test]
fn an_engineer_reads_the_station_and_records_only_their_own_visits() {
    let Some(w) = world() else { return };
    let wang = w.person("wang", "engineer", Some(A), "王建国");
    ok(&w.admin(&w.a, &["staff", "add", "王建国"]));
    ok(&w.admin(&w.a, &["staff", "add", "陈磊"]));
    let mut nos = Vec::new();
    for engineer in ["王建国", "陈磊"] {
        let no = ok(&w.admin(&w.a, &NEW)).trim().to_string();
        ok(&w.admin(
            &w.a,
            &["ticket", "promise", &no, "--at", "2026-11-26 14:00"],
        ));
        ok(&w.admin(
            &w.a,
            &[
                "ticket",
                "print",
                &no,
                "-o",
                w.desk.path("wo.txt").to_str().expect("path"),
            ],
        ));
        ok(&w.admin(&w.a, &["ticket", "dispatch", &no, "--engineer", engineer]));
        nos.push(no);
    }
    // B's third ticket: a number station A does not have.
    let made: Vec<String> = (0..3)
        .map(|_| ok(&w.admin(&w.b, &NEW)).trim().to_string())
        .collect();
    let nb = made[2].clone();
    let later = ["--now", "2026-11-26 15:00"];
    // Reads the station's tickets, not another station's.
    let list = json(&w.login(&wang, &w.a, &["--json", "ticket", "list"]));
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    let list = json(&w.login(&wang, &w.b, &["--json", "ticket", "list"]));
    assert_eq!(list.as_array().map(Vec::len), Some(2), "still A's: {list}");
    fails(&w.login(&wang, &w.b, &["ticket", "show", &nb]), 4);
    // Records a visit on their own ticket, as themselves.
    let visit = |no: &str| -> Vec<String> {
        [
            &later[..],
            &[
                "ticket",
                "visit",
                no,
                "--result",
                "fixed",
                "--arrived",
                "2026-11-26 13:50",
                "--done",
                "2026-11-26 14:40",
            ],
        ]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let args = visit(&nos[0]);
    ok(&w.login(
        &wang,
        &w.a,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let t = json(&w.admin(&w.a, &["--json", "ticket", "show", &nos[0]]));
    assert_eq!(t["visits"][0]["engineer"], "王建国");
    let hist = json(&w.admin(&w.a, &["--json", "ticket", "history", &nos[0]]));
    assert_eq!(
        hist.as_array()
            .and_then(|h| h.last())
            .map(|e| e["actor"].clone()),
        Some("王建国".into())
    );
    // Not on a colleague's ticket, and nothing but visits on their own.
    let args = visit(&nos[1]);
    let err = fails(
        &w.login(
            &wang,
            &w.a,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        3,
    );
    assert!(err.contains("engineer"), "{err}");
    fails(
        &w.login(
            &wang,
            &w.a,
            &["ticket", "contact", &nos[0], "--result", "reached"],
        ),
        3,
    );
    fails(&w.login(&wang, &w.a, &NEW), 3);
    fails(&w.login(&wang, &w.a, &["staff", "add", "赵六"]), 3);

    // The same through plain SQL.
    let mut c = wang.connect();
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM tickets"), 2);
    let ids: Vec<(i64, Option<String>)> = c
        .query("SELECT id, engineer FROM tickets ORDER BY id", &[])
        .expect("read")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let (own, other) = (ids[0].0, ids[1].0);
    assert_eq!(ids[1].1.as_deref(), Some("陈磊"));
    let insert = "INSERT INTO events (ticket_id, at, actor, kind, to_status, data)
                  VALUES ($1, 0, $2, $3, 'in_progress', '{}')";
    assert!(
        c.execute(insert, &[&other, &"王建国", &"visited"]).is_err(),
        "a colleague's ticket"
    );
    assert!(
        c.execute(insert, &[&own, &"王建国", &"contact_logged"])
            .is_err(),
        "not a visit"
    );
    assert!(
        c.execute(insert, &[&own, &"陈磊", &"visited"]).is_err(),
        "as somebody else"
    );
    let n = c
        .execute("UPDATE tickets SET note = 'x' WHERE id = $1", &[&other])
        .expect("runs");
    assert_eq!(n, 0, "a colleague's ticket is not changed");
    assert!(
        c.batch_execute("INSERT INTO staff(name, capacity) VALUES ('x', 1)")
            .is_err()
    );
    assert!(c.batch_execute("DELETE FROM tickets").is_err());
    // Allowed: a visit on their own ticket, as themselves.
    c.execute(insert, &[&own, &"王建国", &"visited"])
        .expect("their own visit");
}

#[test]
fn the_region_reads_every_station_and_decides_a_cancellation_the_station_sees() {
    let Some(w) = world() else { return };
    let zhao = w.person("zhao", "region", None, "大区赵");
    let zhang = w.person("zhang", "coordinator", Some(B), "小张");
    let na = ok(&w.admin(&w.a, &NEW)).trim().to_string();
    let nb = ok(&w.login(&zhang, &w.b, &NEW)).trim().to_string();
    ok(&w.login(
        &zhang,
        &w.b,
        &[
            "ticket",
            "cancel",
            &nb,
            "--reason",
            "other",
            "--note",
            "用户已自行修好",
        ],
    ));
    // Plain SQL: every station.
    let mut c = zhao.connect();
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM tickets"), 2);
    assert_eq!(
        count(&mut c, "SELECT COUNT(DISTINCT station) FROM events"),
        2
    );
    // The region's desk for station B decides; `--by` cannot put another
    // name on it.
    ok(&w.login(
        &zhao,
        &w.b,
        &[
            "ticket",
            "cancel-decision",
            &nb,
            "--approve",
            "--by",
            "别人",
        ],
    ));
    let t = json(&w.login(&zhang, &w.b, &["--json", "ticket", "show", &nb]));
    assert_eq!(t["status"], "cancelled");
    assert_eq!(t["cancel"]["decided_by"], "大区赵");
    assert_eq!(t["cancel"]["approved"], true);
    // Nothing else: the region does not work the station's tickets.
    let err = fails(
        &w.login(
            &zhao,
            &w.a,
            &["ticket", "contact", &na, "--result", "reached"],
        ),
        3,
    );
    assert!(err.contains("region"), "{err}");
    fails(&w.login(&zhao, &w.a, &NEW), 3);
    let id: i64 = c
        .query_one("SELECT id FROM tickets WHERE station = $1", &[&A])
        .expect("A's ticket")
        .get(0);
    assert!(
        c.execute(
            "INSERT INTO events (ticket_id, at, actor, kind, to_status, data)
             VALUES ($1, 0, '大区赵', 'contact_logged', 'queued', '{}')",
            &[&id]
        )
        .is_err()
    );
    assert!(c.batch_execute("DELETE FROM tickets").is_err());
    assert!(
        c.batch_execute("INSERT INTO staff(name, capacity) VALUES ('x', 1)")
            .is_err()
    );
}

#[test]
fn each_change_is_announced_to_its_station_only_by_ticket_number() {
    let Some(w) = world() else { return };
    let li = w.person("li", "coordinator", Some(A), "小李");
    let zhang = w.person("zhang", "coordinator", Some(B), "小张");
    let na = ok(&w.login(&li, &w.a, &NEW)).trim().to_string();
    let channel = |c: &mut postgres::Client, station: &str| -> String {
        c.query_one("SELECT 'rd_' || md5($1)", &[&station])
            .expect("channel")
            .get(0)
    };
    let wang = w.person("wang_every", "region", None, "大区老王");
    let mut at_a = li.connect();
    let mut at_b = zhang.connect();
    let mut at_region = wang.connect();
    at_region
        .batch_execute("LISTEN rd_every_station")
        .expect("listen");
    let (ca, cb) = (channel(&mut at_a, A), channel(&mut at_b, B));
    at_a.batch_execute(&format!("LISTEN \"{ca}\""))
        .expect("listen");
    at_b.batch_execute(&format!("LISTEN \"{cb}\""))
        .expect("listen");
    ok(&w.login(
        &li,
        &w.a,
        &["ticket", "contact", &na, "--result", "reached"],
    ));
    ok(&w.login(&li, &w.a, &["staff", "add", "王建国"]));
    let heard = |c: &mut postgres::Client| -> Vec<String> {
        use postgres::fallible_iterator::FallibleIterator;
        c.batch_execute("SELECT 1").expect("drive the connection");
        c.notifications()
            .timeout_iter(std::time::Duration::from_millis(200))
            .map(|n| Ok(n.payload().to_string()))
            .collect()
            .expect("notifications")
    };
    // The ticket's number for its event, an empty payload for the staff list.
    assert_eq!(heard(&mut at_a), [na.clone(), String::new()]);
    assert!(heard(&mut at_b).is_empty(), "station B hears nothing of A");
    // The desks reading every station hear it as they name the ticket.
    assert_eq!(heard(&mut at_region), [format!("{A}/{na}"), String::new()]);
}

#[test]
fn an_upgrade_waits_for_the_administrator_and_says_so() {
    let Some(w) = world() else { return };
    let li = w.person("li", "coordinator", Some(A), "小李");
    let na = ok(&w.login(&li, &w.a, &NEW)).trim().to_string();
    // As if this repairdesk were newer than the database: its last
    // migration not yet applied.
    let mut own = w.db().connect();
    let last = repairdesk::store::pg::schema::MIGRATIONS.len() as i64;
    own.execute("DELETE FROM repairdesk_schema WHERE version = $1", &[&last])
        .expect("forget the last migration");
    let out = w.login(&li, &w.a, &["ticket", "show", &na]);
    let err = fails(&out, 1);
    assert!(
        err.contains("administrator") && err.contains("unchanged"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let versions: i64 = own
        .query_one("SELECT MAX(version) FROM repairdesk_schema", &[])
        .expect("look")
        .get(0);
    assert_eq!(versions, last - 1, "nothing applied");
}

#[test]
fn the_region_desk_reads_every_station_and_names_each_ticket_station_slash_number() {
    let Some(w) = world() else { return };
    let zhao = w.person("zhao", "region", None, "大区赵");
    let li = w.person("li", "coordinator", Some(A), "小李");
    let zhang = w.person("zhang", "coordinator", Some(B), "小张");
    // The region's configuration names no station: every station.
    let region = w
        .desk
        .write("region.toml", b"[calendar]\nbuiltin = \"cn\"\n");
    let na = ok(&w.login(&li, &w.a, &NEW)).trim().to_string();
    let nb = ok(&w.login(&zhang, &w.b, &NEW)).trim().to_string();
    assert_eq!(na, nb, "each station numbers its own tickets");
    for (who, cfg, note) in [(&li, &w.a, "重复派单"), (&zhang, &w.b, "用户已自行修好")] {
        ok(&w.login(
            who,
            cfg,
            &["ticket", "cancel", &na, "--reason", "other", "--note", note],
        ));
    }
    let waiting = |login: &Login, cfg: &PathBuf| -> Vec<String> {
        let v = json(&w.login(
            login,
            cfg,
            &["--json", "ticket", "list", "--status", "cancel_requested"],
        ));
        let mut nos: Vec<String> = v
            .as_array()
            .expect("a list")
            .iter()
            .map(|t| t["ticket_no"].as_str().unwrap_or_default().to_string())
            .collect();
        nos.sort();
        nos
    };
    let qa = format!("{A}/{na}");
    let qb = format!("{B}/{nb}");
    // The region sees both stations' requests, each named by its station;
    // each coordinator only their own, by its bare number.
    assert_eq!(waiting(&zhao, &region), [qa.as_str(), qb.as_str()]);
    assert_eq!(waiting(&li, &w.a), [na.as_str()]);
    assert_eq!(
        waiting(&li, &region),
        [na.as_str()],
        "a coordinator's desk is its station's"
    );
    let text = ok(&w.login(&zhao, &region, &["ticket", "list"]));
    assert!(text.contains(&qa) && text.contains(&qb), "{text}");
    // A bare number both stations hold is refused, naming them.
    let decide = |no: &str| {
        w.login(
            &zhao,
            &region,
            &[
                "ticket",
                "cancel-decision",
                no,
                "--approve",
                "--by",
                "大区赵",
            ],
        )
    };
    let err = fails(&decide(&na), 2);
    assert!(
        err.contains(A) && err.contains(B) && err.contains(&qa),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let err = fails(&w.login(&zhao, &region, &["ticket", "show", &na]), 2);
    assert!(err.contains("STATION/NUMBER"), "{err}");
    fails(&w.login(&zhao, &region, &["ticket", "history", &na]), 2);
    // STATION/NUMBER decides station A's request, and A's coordinator sees
    // it; B's waits.
    assert!(ok(&decide(&qa)).contains(&qa));
    let t = json(&w.login(&li, &w.a, &["--json", "ticket", "show", &na]));
    assert_eq!(t["status"], "cancelled", "{t}");
    assert_eq!(t["cancel"]["decided_by"], "大区赵");
    let t = json(&w.login(&zhang, &w.b, &["--json", "ticket", "show", &nb]));
    assert_eq!(t["status"], "cancel_requested", "{t}");
    let hist = ok(&w.login(&zhao, &region, &["ticket", "history", &qa]));
    assert!(hist.contains("大区赵"), "{hist}");
    let shown = json(&w.login(&zhao, &region, &["--json", "ticket", "show", &qb]));
    assert_eq!(shown["ticket_no"], qb.as_str());
    // A station no desk of the region reads is no ticket.
    fails(
        &w.login(&zhao, &region, &["ticket", "show", &format!("XX/{na}")]),
        4,
    );
    // A region's desk whose configuration names station B works there
    // alone, by bare numbers.
    assert_eq!(waiting(&zhao, &w.b), [nb.as_str()]);
    ok(&w.login(
        &zhao,
        &w.b,
        &[
            "ticket",
            "cancel-decision",
            &nb,
            "--reject",
            "--by",
            "大区赵",
        ],
    ));
    let t = json(&w.login(&zhang, &w.b, &["--json", "ticket", "show", &nb]));
    assert_eq!(t["cancel"]["approved"], false, "{t}");
}

#[test]
fn the_region_changes_a_ticket_only_as_its_decisions_do_even_with_psql() {
    let Some(w) = world() else { return };
    let zhao = w.person("zhao", "region", None, "大区赵");
    let li = w.person("li", "coordinator", Some(A), "小李");
    let region = w.desk.write("region.toml", b"");
    let no = ok(&w.login(&li, &w.a, &NEW)).trim().to_string();
    let mut special = NEW.to_vec();
    special.push("--special");
    let vip = ok(&w.login(&li, &w.a, &special)).trim().to_string();
    ok(&w.login(
        &li,
        &w.a,
        &["ticket", "cancel", &no, "--reason", "duplicate"],
    ));
    let mut c = zhao.connect();
    let id: i64 = c
        .query_one(
            "SELECT id FROM tickets WHERE ticket_no = $1 AND station = $2",
            &[&no, &A],
        )
        .expect("the ticket")
        .get(0);
    // Plain SQL as the region, a decision event beside each rewrite: any
    // change but the decision's is refused.
    let rewrite = |c: &mut postgres::Client, set: &str| -> Result<(), postgres::Error> {
        let mut tx = c.transaction()?;
        tx.execute(
            "INSERT INTO events (ticket_id, at, actor, kind, to_status, data)
             VALUES ($1, 0, '大区赵', 'cancel_decided', 'cancelled', '{}')",
            &[&id],
        )?;
        tx.execute(&format!("UPDATE tickets SET {set} WHERE id = $1"), &[&id])?;
        tx.commit()
    };
    for set in [
        "customer_name = '别人'",
        "engineer = '王建国'",
        "status = 'resolved'",
        "status = 'cancelled', phones = '13900000000'",
        "progress = '{}'",
        "progress = jsonb_set(progress::jsonb, '{cancel,reason}', '\"other\"')::text",
    ] {
        let err = message(rewrite(&mut c, set).expect_err(set));
        assert!(err.contains("only by deciding"), "{set}: {err}");
    }
    // A commission order only on a special customer's ticket.
    let err = rewrite(
        &mut c,
        "progress = jsonb_set(progress::jsonb, '{commission}', '300')::text",
    )
    .expect_err("not special");
    assert!(message(err).contains("only by deciding"));
    let t = json(&w.login(&li, &w.a, &["--json", "ticket", "show", &no]));
    assert_eq!(t["status"], "cancel_requested", "{t}");
    assert_eq!(t["customer"]["name"], "张伟");
    // The same decision through the program is allowed, and so is the
    // region's commission order on the special customer's ticket.
    ok(&w.login(
        &zhao,
        &region,
        &[
            "ticket",
            "cancel-decision",
            &format!("{A}/{no}"),
            "--reject",
            "--by",
            "大区赵",
        ],
    ));
    let t = json(&w.login(&li, &w.a, &["--json", "ticket", "show", &no]));
    assert_eq!(t["status"], "queued", "back to the status it had: {t}");
    let vip = format!("{A}/{vip}");
    fails(
        &w.login(&zhao, &region, &["ticket", "notify-region", &vip]),
        3,
    );
    ok(&w.login(
        &zhao,
        &region,
        &["ticket", "notify-region", &vip, "--commission", "300"],
    ));
    let t = json(&w.login(&zhao, &region, &["--json", "ticket", "show", &vip]));
    assert_eq!(t["commission"], 300.0, "{t}");
}

/// A dashboard in a terminal of the tests' own tmux server, ended with the
/// test.
struct Tmux(String);

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = common::tmux_command()
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

/// When the region looks at its desk: a day and a half after the
/// requests (each command of the tests happens at `common::NOW`).
const LATER: &str = "2026-11-27 15:00";

impl World {
    /// `login`'s dashboard with the configuration `cfg`, in a `w`×`h`
    /// terminal, at [`LATER`].
    fn dashboard(
        &self,
        login: &Login,
        cfg: &std::path::Path,
        lang: &str,
        (w, h): (u16, u16),
    ) -> Tmux {
        if common::tmux_command().arg("-V").output().is_err() {
            panic!("tmux is needed for this test (.ci/run installs it)");
        }
        let session = Tmux(format!(
            "rd-region-{}-{lang}-{w}-{}",
            login.name,
            std::process::id()
        ));
        let cmd = format!(
            "env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color NO_COLOR=1 LC_ALL=C \
             PGPASSWORD='{pw}' REPAIRDESK_NOW='{LATER}' {bin} --db '{db}' --config '{cfg}' --lang {lang}",
            home = self.desk.path("").display(),
            pw = login.password,
            bin = common::bin(),
            db = login.url(),
            cfg = cfg.display(),
        );
        common::tmux(&[
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "-s",
            &session.0,
            &cmd,
        ]);
        session
    }
}

/// The screen once `text` is on it and two captures a moment apart agree;
/// a bound of a minute, not a timing assertion (the machine may be loaded).
fn screen_with(session: &Tmux, text: &str) -> String {
    let start = std::time::Instant::now();
    let mut last = String::new();
    loop {
        let screen = common::tmux(&["capture-pane", "-p", "-t", &session.0]);
        if screen.contains(text) && screen == last {
            return screen;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            panic!("'{text}' did not settle on the screen; it was:\n{screen}");
        }
        last = screen;
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

fn keys(session: &Tmux, keys: &[&str]) {
    for k in keys {
        common::tmux(&["send-keys", "-t", &session.0, k]);
    }
}

/// Two stations, each with a cancellation request and a special customer's
/// ticket; the region (reading every station), and each station's
/// coordinator.
struct Region {
    w: World,
    zhao: Login,
    li: Login,
    zhang: Login,
    cfg: PathBuf,
    /// The two requests' number (the same at both stations).
    no: String,
}

fn region_world() -> Option<Region> {
    let w = world()?;
    let zhao = w.person("zhao", "region", None, "大区赵");
    let li = w.person("li", "coordinator", Some(A), "小李");
    let zhang = w.person("zhang", "coordinator", Some(B), "小张");
    let cfg = w.desk.write("region.toml", b"");
    let mut no = String::new();
    for (who, station, note) in [(&li, &w.a, "用户已送修别处"), (&zhang, &w.b, "重复派单")]
    {
        no = ok(&w.login(who, station, &NEW)).trim().to_string();
        ok(&w.login(
            who,
            station,
            &["ticket", "cancel", &no, "--reason", "other", "--note", note],
        ));
        let mut special = NEW.to_vec();
        special[3] = "北京日报社";
        special.push("--special");
        ok(&w.login(who, station, &special));
    }
    Some(Region {
        w,
        zhao,
        li,
        zhang,
        cfg,
        no,
    })
}

/// The region's desk opens on every station's cancellation requests; its
/// decision by keys on station A's is what A's coordinator then sees, and
/// B's request still waits. A's coordinator sees only A's request.
#[test]
fn the_region_decides_station_a_request_in_its_dashboard_and_a_sees_it() {
    let Some(r) = region_world() else { return };
    let (w, no) = (&r.w, &r.no);
    let s = w.dashboard(&r.zhao, &r.cfg, "en", (80, 24));
    let screen = screen_with(&s, "Cancel requests (waiting for the region) (2)");
    assert!(screen.contains(A) && screen.contains(B), "{screen}");
    assert!(
        screen.contains("Region · every station · as 大区赵"),
        "{screen}"
    );
    // Oldest first, then by station: A's request is on top, selected.
    keys(&s, &["D"]);
    screen_with(&s, &format!("Region's decision · {A}/{no}"));
    keys(&s, &["Right", "Enter"]);
    screen_with(&s, "Write this?");
    keys(&s, &["y"]);
    let screen = screen_with(&s, &format!("✓ {A}/{no} → Cancelled"));
    assert!(
        screen.contains("Cancel requests (waiting for the region) (1)"),
        "{screen}"
    );
    // A new request at station A shows on the region's open desk by itself.
    let fresh = ok(&w.login(&r.li, &w.a, &NEW)).trim().to_string();
    ok(&w.login(
        &r.li,
        &w.a,
        &["ticket", "cancel", &fresh, "--reason", "duplicate"],
    ));
    let screen = screen_with(&s, "Cancel requests (waiting for the region) (2)");
    assert!(screen.contains(&fresh), "{screen}");
    // `/` narrows them, here to station B's; Esc clears the filter.
    keys(&s, &["/"]);
    common::tmux(&["send-keys", "-t", &s.0, "-l", B]);
    keys(&s, &["Enter"]);
    let screen = screen_with(&s, "Cancel requests (waiting for the region) (1)");
    assert!(screen.contains(B) && !screen.contains(A), "{screen}");
    keys(&s, &["Escape"]);
    screen_with(&s, "Cancel requests (waiting for the region) (2)");
    keys(&s, &["q"]);
    let t = json(&w.login(&r.li, &w.a, &["--json", "ticket", "show", no]));
    assert_eq!(t["status"], "cancelled", "{t}");
    assert_eq!(t["cancel"]["decided_by"], "大区赵");
    let t = json(&w.login(&r.zhang, &w.b, &["--json", "ticket", "show", no]));
    assert_eq!(t["status"], "cancel_requested", "{t}");
    // A's coordinator's own dashboard: its station's waiting request only
    // (the new one), never B's.
    let li = w.dashboard(&r.li, &w.a, "en", (80, 24));
    screen_with(&li, "open");
    keys(&li, &["W"]);
    let screen = screen_with(&li, "Cancel requests (waiting for the region) (1)");
    assert!(screen.contains(&fresh) && !screen.contains(B), "{screen}");
}

/// The region's three views, in both languages at 80×24 and 160×45:
/// the requests with how long each waits, the special customers with the
/// half-day notice deadline, and the month's figures station by station.
#[test]
fn the_region_view_at_both_sizes_in_both_languages() {
    let Some(r) = region_world() else { return };
    for lang in ["en", "zh"] {
        for (w, h) in [(80u16, 24u16), (160, 45)] {
            let s = r.w.dashboard(&r.zhao, &r.cfg, lang, (w, h));
            let tag = format!("{w}x{h}_{lang}");
            let cancels = screen_with(&s, "BJ-0202");
            insta::assert_snapshot!(format!("region_cancels_{tag}"), cancels);
            keys(&s, &["I"]);
            let specials = screen_with(&s, "北京日报社");
            insta::assert_snapshot!(format!("region_specials_{tag}"), specials);
            keys(&s, &["R"]);
            let title = if lang == "en" {
                "Stations side by side"
            } else {
                "各站月度指标"
            };
            let figures = screen_with(&s, title);
            assert!(figures.contains(A) && figures.contains(B), "{figures}");
            insta::assert_snapshot!(format!("region_stations_{tag}"), figures);
        }
    }
}
