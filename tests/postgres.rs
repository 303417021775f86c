//! What only a server can get wrong: URLs, passwords, a database of another
//! application, history that must stay append-only even for `psql`, and
//! desks writing the same ticket at once. The shared behaviour runs on
//! PostgreSQL through `on_postgresql_too` in the other test files.

mod common;

use common::pg::{self, PgDb};
use common::{Backend, Desk};

fn desk() -> Option<Desk> {
    pg::available().then(|| Desk::on(Backend::Postgres))
}

fn new_ticket(d: &Desk) -> String {
    d.ok(&[
        "ticket",
        "new",
        "--customer",
        "张伟",
        "--phone",
        "13800138000",
        "--fault",
        "无法开机",
        "--service-type",
        "onsite",
        "--address",
        "中关村大街1号",
    ])
    .trim()
    .to_string()
}

#[test]
fn a_password_in_the_url_is_refused_and_never_echoed() {
    let d = Desk::on(Backend::Sqlite);
    let out = d
        .cmd()
        .args([
            "--db",
            "postgres://desk:hunter2@127.0.0.1/station",
            "staff",
            "list",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("PGPASSWORD") && !err.contains("hunter2"),
        "{err}"
    );
    let out = d
        .cmd()
        .args([
            "--db",
            "postgres://desk@127.0.0.1:notaport/x",
            "staff",
            "list",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
}

#[test]
fn a_server_that_is_not_there_is_one_clear_line() {
    let d = Desk::on(Backend::Sqlite);
    // A port nothing listens on.
    let out = d
        .cmd()
        .args([
            "--db",
            "postgres://desk@127.0.0.1:1/station",
            "ticket",
            "list",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.starts_with("postgres://desk@127.0.0.1:1/station: cannot connect"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn a_refused_password_names_the_server_and_where_the_password_comes_from() {
    let Some(d) = desk() else { return };
    let out = d
        .cmd()
        .env("PGPASSWORD", "not-the-password")
        .args(["staff", "list"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(err.contains("authentication refused"), "{err}");
    assert!(err.contains(&d.pg.as_ref().expect("pg").name), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    // The right password from ~/.pgpass (HOME is the desk's folder), none in the environment.
    let pgpass = d.path(".pgpass");
    std::fs::write(
        &pgpass,
        format!("*:*:*:repairdesk_test:{}\n", pg::password()),
    )
    .expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = d
        .cmd()
        .env_remove("PGPASSWORD")
        .args(["staff", "list"])
        .output()
        .expect("runs");
    common::assert_ok(&out, &["staff", "list (~/.pgpass)"]);
}

#[test]
fn a_database_of_another_application_is_left_alone() {
    let Some(d) = desk() else { return };
    let db = d.pg.as_ref().expect("pg");
    db.connect()
        .batch_execute("CREATE TABLE invoices (id INT)")
        .expect("another application's table");
    let out = d.run(&["ticket", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains("another application") && err.contains("invoices"),
        "{err}"
    );
    let ours: bool = db
        .connect()
        .query_one("SELECT to_regclass('tickets') IS NOT NULL", &[])
        .expect("look")
        .get(0);
    assert!(!ours, "nothing was created");
}

#[test]
fn history_is_append_only_inside_the_database() {
    let Some(d) = desk() else { return };
    let no = new_ticket(&d);
    d.ok(&["ticket", "contact", &no, "--result", "reached"]);
    let mut c = d.pg.as_ref().expect("pg").connect();
    for sql in [
        "UPDATE events SET actor = 'someone else'",
        "DELETE FROM events",
        "TRUNCATE events CASCADE",
    ] {
        let err = c.batch_execute(sql).expect_err(sql);
        assert!(
            err.to_string().contains("append-only") || format!("{err:?}").contains("append-only"),
            "{sql}: {err:?}"
        );
    }
    let history = d.ok(&["ticket", "history", &no]);
    assert_eq!(history.lines().count(), 2, "{history}");
    assert!(history.contains(common::COORDINATOR), "{history}");
}

#[test]
fn two_desks_on_one_ticket_one_wins_the_other_gets_a_conflict() {
    let Some(d) = desk() else { return };
    let no = new_ticket(&d);
    let v = d.show(&no)["version"].as_i64().expect("version");
    let v = v.to_string();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            d.cmd()
                .args([
                    "ticket",
                    "contact",
                    &no,
                    "--result",
                    "no-answer",
                    "--expect-version",
                    &v,
                ])
                .spawn()
                .expect("spawn")
        })
        .collect();
    let codes: Vec<i32> = runs
        .into_iter()
        .map(|c| {
            c.wait_with_output()
                .expect("wait")
                .status
                .code()
                .unwrap_or(-1)
        })
        .collect();
    assert_eq!(codes.iter().filter(|&&c| c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|&&c| c == 5).count(), 3, "{codes:?}");
    let history = d.ok(&["ticket", "history", &no]);
    assert_eq!(history.matches("no answer").count(), 1, "{history}");
}

#[test]
fn a_throwaway_database_is_dropped_with_its_desk() {
    if !pg::available() {
        return;
    }
    let db = PgDb::create();
    let name = db.name.clone();
    drop(db);
    let other = PgDb::create();
    let mut c = other.connect();
    let n: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .expect("look")
        .get(0);
    assert_eq!(n, 0);
}
