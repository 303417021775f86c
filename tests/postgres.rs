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
    let no = d.new_ticket("张伟");
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
    let no = d.new_ticket("张伟");
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

/// Ends the connections of the program (its `application_name`) to the
/// desk's database once one of them waits for a lock; how many it ended.
fn end_waiting_connections(db: &PgDb) -> i64 {
    let mut admin = pg::admin().expect("the test server");
    let started = std::time::Instant::now();
    loop {
        let n: i64 = admin
            .query_one(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE datname = $1 AND application_name = 'repairdesk'
                   AND wait_event_type = 'Lock'",
                &[&db.name],
            )
            .expect("look for the waiting command")
            .get(0);
        if n > 0 {
            return n;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(180),
            "the command never waited for the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The connection is dropped while a command is under way (here: waiting
/// for a ticket another desk holds): one line naming the server, and
/// nothing of the command written.
#[test]
fn a_connection_dropped_during_a_command_writes_nothing() {
    let Some(d) = desk() else { return };
    let no = d.new_ticket("张伟");
    let before = d.json(&["ticket", "history", &no]);
    let db = d.pg.as_ref().expect("pg");
    // Another desk holds the ticket's row.
    let mut other = db.connect();
    let mut hold = other.transaction().expect("begin");
    hold.execute(
        "SELECT 1 FROM tickets WHERE ticket_no = $1 FOR UPDATE",
        &[&no],
    )
    .expect("lock the ticket");
    let cmd = d
        .cmd()
        .args(["ticket", "contact", &no, "--result", "reached"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    assert_eq!(end_waiting_connections(db), 1);
    let out = cmd.wait_with_output().expect("wait");
    hold.rollback().expect("release");
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains(&db.name) && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(d.json(&["ticket", "history", &no]), before);
}

/// An import whose connection is dropped in the middle of its first batch
/// (a row waits for a number another desk is inserting): none of the batch
/// is written, and running it again imports it whole.
#[test]
fn a_connection_dropped_during_an_import_leaves_no_part_of_the_batch() {
    let Some(d) = desk() else { return };
    d.ok(&["staff", "list"]); // the tables
    let db = d.pg.as_ref().expect("pg");
    let mut rows = String::from(common::db::HEADER);
    rows.push('\n');
    for i in 0..50 {
        rows.push_str(&common::db::dispatch_row(&format!("D{i:04}")));
    }
    let file = d.write("dispatch.csv", rows.as_bytes());
    // Another desk is inserting the 40th number and has not committed.
    let out = import_cut_off_at(&d, &file, "D0039");
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(err.contains(&db.name) && err.contains("lost"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(d.count("SELECT COUNT(*) FROM tickets"), 0, "half a batch");
    let again = d.ok(&["import", file.to_str().expect("path")]);
    assert!(again.contains("imported 50"), "{again}");
    common::db::assert_consistent(&mut d.look());
}

/// A database written by a newer repairdesk (a migration this one does not
/// know): refused in one line naming the server, left exactly as it is.
#[test]
fn a_newer_schema_on_the_server_is_refused_untouched() {
    let Some(d) = desk() else { return };
    let no = d.new_ticket("张伟");
    let db = d.pg.as_ref().expect("pg");
    let mut c = db.connect();
    c.batch_execute("INSERT INTO repairdesk_schema(version) VALUES (99)")
        .expect("a newer schema");
    let events = d.count("SELECT COUNT(*) FROM events");
    for args in [
        vec!["ticket", "contact", no.as_str(), "--result", "reached"],
        vec!["ticket", "list"],
    ] {
        let out = d.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = common::stderr(&out);
        assert!(
            err.contains(&db.name) && err.contains("newer repairdesk") && err.contains("99"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_eq!(d.count("SELECT COUNT(*) FROM events"), events);
    assert_eq!(d.count("SELECT MAX(version) FROM repairdesk_schema"), 99);
}

/// The connection is dropped after the first batch of a large import was
/// committed: the message says how many tickets are in (whole batches) and
/// to import again; again, the rest goes in and the rest only.
#[test]
fn an_import_cut_off_after_its_first_batch_says_how_far_it_got() {
    let Some(d) = desk() else { return };
    d.ok(&["staff", "list"]); // the tables
    let db = d.pg.as_ref().expect("pg");
    let rows = 5_040; // the first batch is 5,000 rows
    let file = d.write("large.csv", common::db::dispatch_csv("D", rows).as_bytes());
    let out = import_cut_off_at(&d, &file, "D005020");
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains(&db.name) && err.contains("Import the file again"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The first batch, and on a loaded machine a later one cut short by
    // its time limit (the rows before the held one): whole batches, as
    // many as the message says.
    let written: i64 = err
        .split("the first ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("how many were written: {err}"));
    assert!(
        (5_000..5_020).contains(&written)
            && err.contains(&format!(
                "the first {written} tickets were written in whole batches"
            )),
        "{err}"
    );
    assert_eq!(d.count("SELECT COUNT(*) FROM tickets"), written);
    let again = d.ok(&["import", file.to_str().expect("path")]);
    assert!(
        again.contains(&format!("imported {}", rows as i64 - written))
            && again.contains(&format!("already present {written}")),
        "{again}"
    );
    common::db::assert_consistent(&mut d.look());
}

/// Runs `import FILE` while another desk holds an uncommitted insert of
/// ticket `held_no`; the import's connection is ended while it waits for
/// that row. Its output, once the other desk gave up.
fn import_cut_off_at(
    d: &common::Desk,
    file: &std::path::Path,
    held_no: &str,
) -> std::process::Output {
    let db = d.pg.as_ref().expect("pg");
    let mut other = db.connect();
    let mut hold = other.transaction().expect("begin");
    hold.execute(
        "INSERT INTO tickets (ticket_no, source, status, service_type, priority, special, urge,
            phone_invalid, out_of_coverage, customer_name, phones, address, district,
            product_line, model, serial, warranty, fault, note, t1, progress, version, updated_at)
         VALUES ($1, 'dispatch', 'queued', 'onsite', 'normal', false, false, false, false,
            '', '', '', '', '', '', '', 'in', '', '', 0, '{}', 1, 0)",
        &[&held_no],
    )
    .expect("the other desk's insert");
    let import = d
        .cmd()
        .args(["import", file.to_str().expect("path")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    assert_eq!(end_waiting_connections(db), 1);
    let out = import.wait_with_output().expect("wait");
    hold.rollback().expect("the other desk gives up");
    out
}
