//! Roles and privacy: who may change the staff list, the staff history,
//! and the files only the station may read.

mod common;

use common::*;

/// The engineer `--as 王工` tries every staff change the red team found
/// possible; each is refused and nothing is written. The coordinator's
/// changes go through and each is in `staff history`.
#[test]
fn role_staff_changes_are_the_coordinators_and_recorded() {
    let desk = Desk::new();
    desk.ok(&["staff", "add", "王工", "--capacity", "4"]);
    desk.ok(&["staff", "add", "李工"]);
    let list_before = desk.ok(&["--json", "staff", "list"]);
    let history_before = desk.ok(&["--json", "staff", "history"]);
    for args in [
        vec!["staff", "remove", "王工"],
        vec!["staff", "add", "王工", "--capacity", "9"],
        vec!["staff", "remove", "李工"],
        vec!["staff", "add", "赵工"],
    ] {
        let out = desk.run_as("王工", &args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("(role)"), "{}", stderr(&out));
    }
    assert_eq!(desk.ok(&["--json", "staff", "list"]), list_before);
    assert_eq!(desk.ok(&["--json", "staff", "history"]), history_before);

    // Removed by the coordinator, an engineer does not become one: they
    // cannot re-add themselves or act on tickets as a coordinator.
    desk.ok(&["staff", "remove", "王工"]);
    let out = desk.run_as("王工", &["staff", "add", "王工"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let no = desk.new_ticket("张伟");
    let out = desk.run_as("王工", &["ticket", "contact", &no, "--result", "reached"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Nobody changes their own entry, a coordinator neither.
    let out = desk.run(&["staff", "add", COORDINATOR]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    desk.ok(&["staff", "add", "王工", "--capacity", "5", "--site", "总站"]);

    let history: Vec<serde_json::Value> =
        serde_json::from_str(&desk.ok(&["--json", "staff", "history", "王工"])).unwrap();
    let kinds: Vec<&str> = history
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["added", "removed", "readded"]);
    assert!(history.iter().all(|e| e["actor"] == COORDINATOR));
    assert_eq!(history[2]["before"]["active"], false);
    assert_eq!(history[2]["after"]["capacity"], 5);
    assert_eq!(history[2]["at"], "2026-11-26T09:30:00+08:00");
    let text = desk.ok(&["staff", "history"]);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.contains("re-added") && text.contains(COORDINATOR),
        "{text}"
    );

    // The staff history is never rewritten.
    if let Some(pg) = &desk.pg {
        let err = pg
            .connect()
            .batch_execute("UPDATE staff_events SET actor = 'x'")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("append-only"), "{err:?}");
        return;
    }
    let c = desk.sql();
    let update = c.execute("UPDATE staff_events SET actor = 'x'", []);
    assert!(
        matches!(&update, Err(e) if e.to_string().contains("append-only")),
        "{update:?}"
    );
}

/// `dashboard.log` beside the database is the owner's only, and a symlink
/// planted there is not followed.
#[test]
fn dashboard_log_is_private_and_never_follows_a_symlink() {
    let desk = Desk::new();
    desk.new_ticket("张伟");
    let log = desk.data_dir().join("dashboard.log");
    let out = first_frame(&desk);
    assert_ok(&out, &["dashboard"]);
    assert!(log.exists(), "no dashboard.log");
    assert_eq!(mode(&log), 0o600);

    std::fs::remove_file(&log).unwrap();
    let victim = desk.path("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&victim, &log).unwrap();
    let out = first_frame(&desk);
    assert_ok(&out, &["dashboard with a planted link"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(
        std::fs::symlink_metadata(&log)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced instead of refused"
    );
}

/// The dashboard's first frame, drawn in a pseudo-terminal (`script`).
fn first_frame(desk: &Desk) -> std::process::Output {
    let line = format!(
        "'{}' --db '{}' --exit-after-first-frame",
        bin(),
        desk.db.display()
    );
    let c = desk.cmd();
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    script.env("TERM", "xterm").output().expect("script runs")
}

/// The staff tests again on a PostgreSQL database (skipped without a
/// server, except under CI), the dashboard too.
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres(
        "on_postgresql_too",
        &["engineer_on_the_dashboard_can_only_record_a_visit"],
    );
}

/// An engineer records visits on their own tickets and nothing else; the
/// history names who did what; the history cannot be rewritten.
#[test]
fn engineers_only_record_their_own_visits_and_history_is_append_only() {
    let desk = Desk::new();
    desk.ok(&["staff", "add", "王工"]);
    desk.ok(&["staff", "add", "赵工"]);
    let no = desk.new_ticket("张伟");
    desk.ok(&["ticket", "contact", &no, "--result", "reached"]);
    desk.ok(&["ticket", "promise", &no, "--at", "2026-11-26 15:00"]);
    desk.ok(&[
        "ticket",
        "dispatch",
        &no,
        "--engineer",
        "王工",
        "--override",
        "system down",
    ]);
    for (actor, args) in [
        (
            "王工",
            vec!["ticket", "contact", &no, "--result", "reached"],
        ),
        (
            "王工",
            vec!["ticket", "promise", &no, "--at", "2026-11-27 10:00"],
        ),
        ("赵工", vec!["ticket", "visit", &no, "--result", "fixed"]),
        (
            "王工",
            vec![
                "ticket",
                "new",
                "--customer",
                "x",
                "--phone",
                "13800138000",
                "--fault",
                "f",
                "--service-type",
                "carry-in",
            ],
        ),
    ] {
        let out = desk.run_as(actor, &args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{actor} {args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("(role)"), "{}", stderr(&out));
    }
    let version_before = desk.show(&no)["version"].as_i64().expect("version");
    let out = desk.run_as("王工", &["ticket", "visit", &no, "--result", "fixed"]);
    assert_ok(&out, &["visit as 王工"]);
    assert_eq!(desk.show(&no)["version"].as_i64(), Some(version_before + 1));
    let history = desk.ok(&["--json", "ticket", "history", &no]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&history).unwrap();
    let actors: Vec<&str> = events
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors.last(), Some(&"王工"));
    assert!(
        actors[..actors.len() - 1].iter().all(|a| *a == COORDINATOR),
        "{actors:?}"
    );
    let text = desk.ok(&["ticket", "history", &no]);
    assert!(text.lines().last().unwrap().contains("王工"), "{text}");

    // The triggers of the SQLite file (PostgreSQL's own are in postgres.rs).
    if !desk.is_sqlite() {
        return;
    }
    let mut c = desk.look();
    let n = c.count("SELECT COUNT(*) FROM events");
    let update = c.execute("UPDATE events SET actor = 'someone else'");
    assert!(
        matches!(&update, Err(e) if e.contains("append-only")),
        "{update:?}"
    );
    let delete = c.execute("DELETE FROM events");
    assert!(
        matches!(&delete, Err(e) if e.contains("append-only")),
        "{delete:?}"
    );
    assert_eq!(c.count("SELECT COUNT(*) FROM events"), n);
    assert_eq!(
        c.count("SELECT COUNT(*) FROM events WHERE actor = 'someone else'"),
        0
    );
}

/// The dashboard used by an engineer (`--as` their name): only a visit gets
/// through, every other form is refused naming the role.
#[test]
fn engineer_on_the_dashboard_can_only_record_a_visit() {
    common::dashboard::engineer_acting_as_themselves_can_only_record_a_visit();
}
