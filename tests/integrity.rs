//! The database is ours, and only ours: another program's file is refused
//! untouched; one bad stored value does not stop the station; reads work
//! when writes cannot, and errors name the file and the cause; a failed
//! upgrade, a newer database and a damaged file are refused clearly and
//! left as they were.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;

use common::db::Rng;
use common::*;
use rusqlite::Connection;

/// Another program's SQLite file passed as `--db` is refused and left
/// byte for byte as it was: no tables added, no switch to WAL. An empty
/// file and a new path are accepted.
#[test]
fn a_foreign_database_is_refused_untouched() {
    let desk = Desk::new();
    let foreign = desk.path("notes.db");
    {
        let c = Connection::open(&foreign).unwrap();
        c.execute_batch(
            "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);
             INSERT INTO notes(body) VALUES ('groceries');",
        )
        .unwrap();
    }
    // The same with a schema number set, as many programs do.
    let numbered = desk.path("numbered.db");
    {
        let c = Connection::open(&numbered).unwrap();
        c.execute_batch("CREATE TABLE tickets(x); PRAGMA user_version = 2;")
            .unwrap();
    }
    for file in [&foreign, &numbered] {
        let bytes = std::fs::read(file).unwrap();
        for args in [
            vec!["ticket", "list"],
            vec!["staff", "add", "王工"],
            vec!["alerts"],
        ] {
            let out = desk
                .cmd()
                .arg("--db")
                .arg(file)
                .args(&args)
                .output()
                .unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains(&*file.to_string_lossy()), "{err}");
            assert!(err.contains("another program's database"), "{err}");
            assert!(!err.contains("panicked"), "{err}");
        }
        assert_eq!(std::fs::read(file).unwrap(), bytes, "the file changed");
        for side in ["-wal", "-shm", "-journal"] {
            let mut p = file.clone().into_os_string();
            p.push(side);
            assert!(!std::path::Path::new(&p).exists(), "{p:?} was created");
        }
    }
    let c = Connection::open(&foreign).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");

    // An empty file and a new path become repairdesk databases.
    let empty = desk.path("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for file in [empty, desk.path("new.db")] {
        let out = desk
            .cmd()
            .arg("--db")
            .arg(&file)
            .args(["staff", "add", "王工"])
            .output()
            .unwrap();
        assert_ok(&out, &["staff add on", &file.to_string_lossy()]);
    }
}

/// One bad stored value (an unknown status, unparsable progress, bytes
/// where text belongs, put there with another tool) leaves that ticket out
/// of `ticket list`, `alerts`, `export` and the reports, named on stderr
/// (and as an alert of its own); the rest of the station works. `ticket
/// show` and a change of that ticket say what is wrong with it. Corrected,
/// it is back everywhere. On both backends: the values are put there with
/// the database's own tool.
#[test]
fn one_bad_stored_value_names_its_ticket_and_the_rest_works() {
    let desk = Desk::new();
    let good = desk.new_ticket("张三");
    let bad = desk.new_ticket("李四");
    let odd = desk.new_ticket("王五");
    let mut c = desk.look();
    c.execute(&format!(
        "UPDATE tickets SET status = 'bogus' WHERE ticket_no = '{bad}'"
    ))
    .unwrap();
    c.execute(&format!(
        "UPDATE tickets SET progress = '{{not json' WHERE ticket_no = '{odd}'"
    ))
    .unwrap();
    let names = |err: &str| {
        assert!(
            err.contains(&bad) && err.contains("unknown status 'bogus'"),
            "{err}"
        );
        assert!(err.contains(&odd) && err.contains("progress"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    };

    let out = desk.run(&["ticket", "list"]);
    let (list, err) = (String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(list.contains(&good), "{list}");
    assert!(!list.contains(&bad) && !list.contains(&odd), "{list}");
    names(&err);

    let out = desk.run(&["--json", "alerts"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let alerts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unreadable: Vec<&str> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "unreadable")
        .map(|a| a["ticket_no"].as_str().unwrap())
        .collect();
    assert_eq!(unreadable, [bad.as_str(), odd.as_str()]);
    let out = desk.run(&["alerts"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.lines()
            .any(|l| l.contains(&bad) && l.contains("cannot be read")),
        "{text}"
    );

    let file = desk.path("wb.csv");
    let out = desk.run(&["export", "writeback", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    names(&stderr(&out));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains(&good) && !written.contains(&bad),
        "{written}"
    );

    let out = desk.run(&["report", "kpi", "--month", "2026-11"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    names(&stderr(&out));

    for args in [
        vec!["ticket", "show", bad.as_str()],
        vec!["ticket", "contact", bad.as_str(), "--result", "reached"],
    ] {
        let out = desk.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&bad) && err.contains("unknown status 'bogus'"),
            "{err}"
        );
    }
    let out = desk.run(&["ticket", "show", &odd]);
    assert!(stderr(&out).contains(&odd) && stderr(&out).contains("progress"));

    // Bytes where text belongs are the same: that ticket only (a server's
    // TEXT column holds no such bytes: a NULL there instead).
    let no_text = match desk.pg {
        None => "x'ff00'",
        Some(_) => "NULL",
    };
    let no_text = format!("UPDATE tickets SET status = 'queued', phones = {no_text}");
    let no_text = c.execute(&format!("{no_text} WHERE ticket_no = '{bad}'"));
    if no_text.is_ok() {
        let out = desk.run(&["ticket", "list"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stderr(&out).contains(&bad), "{}", stderr(&out));
    } else {
        // The server refuses a NULL in a NOT NULL column: nothing to read.
        assert!(desk.pg.is_some(), "{no_text:?}");
    }

    // Corrected, both are back and nothing is named.
    c.execute(&format!(
        "UPDATE tickets SET status = 'queued', phones = '13800138000' WHERE ticket_no = '{bad}'"
    ))
    .unwrap();
    c.execute(&format!(
        "UPDATE tickets SET progress = '{{}}' WHERE ticket_no = '{odd}'"
    ))
    .unwrap();
    let out = desk.run(&["ticket", "list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains(&bad) && list.contains(&odd), "{list}");
    assert!(!stderr(&out).contains("cannot be read"), "{}", stderr(&out));
    desk.ok(&["ticket", "contact", &bad, "--result", "reached"]);
}

/// A station of a few tickets, one contacted; its numbers.
fn small_station(desk: &Desk) -> Vec<String> {
    let nos: Vec<String> = ["张三", "李四", "王五"]
        .iter()
        .map(|c| desk.new_ticket(c))
        .collect();
    desk.ok(&["ticket", "contact", &nos[0], "--result", "reached"]);
    nos
}

/// The reads a coordinator needs when nothing can be written: each works
/// and shows the station; `export` writes to `elsewhere`.
fn assert_reads_work(
    desk: &Desk,
    run: &dyn Fn(&[&str]) -> Output,
    nos: &[String],
    elsewhere: &Path,
) {
    let out = run(&["ticket", "list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(nos.iter().all(|no| list.contains(no.as_str())), "{list}");
    assert!(
        stderr(&out).contains("can only be read"),
        "{}",
        stderr(&out)
    );
    let out = run(&["ticket", "show", &nos[0]]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("张三"));
    let out = run(&["ticket", "history", &nos[0]]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for args in [
        vec!["alerts"],
        vec!["report", "kpi", "--month", "2026-11"],
        vec!["report", "unfinished"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let file = elsewhere.join("wb.csv");
    let out = run(&["export", "writeback", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        nos.iter().all(|no| written.contains(no.as_str())),
        "{written}"
    );
    let _ = desk;
}

/// A change when the database cannot be written fails naming the file and
/// the cause, and records nothing.
fn assert_change_refused(run: &dyn Fn(&[&str]) -> Output, db: &Path, no: &str, cause: &str) {
    let out = run(&["ticket", "contact", no, "--result", "no-answer"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{}: cannot write", db.display())),
        "{err}"
    );
    assert!(err.contains(cause), "{err}");
    assert!(err.contains("nothing was recorded"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A read-only folder (the -wal and -shm files cannot be created): every
/// read works, a change names the folder. As root, permissions do not
/// stop writing, so the commands run as `nobody` (setpriv).
#[test]
fn reads_work_in_a_read_only_directory() {
    let desk = Desk::on(Backend::Sqlite);
    let nos = small_station(&desk);
    let data = desk.db().parent().unwrap().to_path_buf();
    let out_dir = desk.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        let status = std::process::Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(desk.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let before = count(&desk.sql(), "SELECT COUNT(*) FROM events");
    let ro = |mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    ro(0o555);
    let run = |args: &[&str]| -> Output {
        let mut c = desk.cmd();
        c.args(args);
        if root {
            c.uid(65534).gid(65534);
        }
        c.output().unwrap()
    };
    assert_reads_work(&desk, &run, &nos, &out_dir);
    assert_change_refused(&run, &desk.db(), &nos[1], "read-only directory");
    ro(0o700);
    assert_eq!(count(&desk.sql(), "SELECT COUNT(*) FROM events"), before);
    // Writable again: the same change is recorded.
    let out = run(&["ticket", "contact", &nos[1], "--result", "no-answer"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Files that cannot grow (the file-size limit standing in for a full
/// disk: SQLite cannot size its -shm file): every read works, a change
/// fails naming the database and writes nothing.
#[test]
fn reads_work_when_no_file_can_grow() {
    let desk = Desk::on(Backend::Sqlite);
    let nos = small_station(&desk);
    let before = count(&desk.sql(), "SELECT COUNT(*) FROM events");
    // The write-back of three tickets fits in 4 KB; the -shm needs 32 KB.
    let limit: u64 = 4096;
    let run = |args: &[&str]| -> Output {
        {
            let mut c = desk.cmd();
            c.args(args);
            // SAFETY: between fork and exec only async-signal-safe calls.
            unsafe {
                c.pre_exec(move || {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let lim = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: libc::RLIM_INFINITY,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            c.output().unwrap()
        }
    };
    let out_dir = desk.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    assert_reads_work(&desk, &run, &nos, &out_dir);
    assert_change_refused(&run, &desk.db(), &nos[1], "input/output error");
    assert_eq!(count(&desk.sql(), "SELECT COUNT(*) FROM events"), before);
}

// ---------------------------------------------------------------------------
// Upgrades, newer and damaged databases

/// A database that already holds something conflicting with the first
/// migration: the migration fails as a whole, the file keeps its old schema
/// and content, and the message says so.
/// A repairdesk database one migration behind, where that migration cannot
/// apply (a table of its name is already there): the command fails naming
/// the file and the schemas, and the database stays at the old schema with
/// its data.
#[test]
fn failed_migration_leaves_the_old_schema_and_data() {
    let desk = Desk::new();
    desk.new_ticket("张伟");
    // The migration that creates `staff_events`, whatever follows it.
    let latest = repairdesk::store::schema::MIGRATIONS
        .iter()
        .position(|m| m.contains("CREATE TABLE staff_events"))
        .expect("the staff_events migration") as i64
        + 1;
    {
        let c = desk.sql();
        c.execute_batch(&format!(
            "DROP TABLE staff_events;
             CREATE TABLE staff_events (who TEXT);
             INSERT INTO staff_events VALUES ('kept');
             PRAGMA user_version = {};",
            latest - 1
        ))
        .unwrap();
    }
    let out = desk.run(&["ticket", "list"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("repairdesk.db"), "{err}");
    assert!(
        err.contains(&format!("schema {} to {latest}", latest - 1)),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let c = desk.sql();
    assert_eq!(count(&c, "PRAGMA user_version"), latest - 1);
    assert_eq!(count(&c, "SELECT COUNT(*) FROM tickets"), 1);
    let who: String = c
        .query_row("SELECT who FROM staff_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(who, "kept");
}

#[test]
fn newer_database_is_refused_untouched() {
    let desk = Desk::new();
    let no = desk.new_ticket("张伟");
    desk.sql()
        .pragma_update(None, "user_version", 99)
        .expect("set version");
    let bytes = std::fs::read(&desk.db).unwrap();
    let mtime = std::fs::metadata(&desk.db).unwrap().modified().unwrap();
    let copy = desk.path("copy.db");
    for args in [
        vec!["ticket", "list"],
        vec!["ticket", "contact", &no, "--result", "reached"],
        vec!["backup", copy.to_str().unwrap()],
    ] {
        let out = desk.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("repairdesk.db") && err.contains("newer"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(&desk.db).unwrap(), bytes, "the file changed");
    assert_eq!(
        std::fs::metadata(&desk.db).unwrap().modified().unwrap(),
        mtime
    );
    assert!(!copy.exists());
}

#[test]
fn corrupt_database_gives_a_clear_message() {
    let desk = Desk::new();
    for i in 0..60 {
        desk.ok(&[
            "ticket",
            "new",
            "--customer",
            &format!("用户{i}"),
            "--phone",
            "13800138000",
            "--fault",
            &"故障".repeat(600),
            "--service-type",
            "carry-in",
        ]);
    }
    let good = std::fs::read(&desk.db).unwrap();
    assert!(good.len() > 64 * 1024, "too small to truncate meaningfully");
    let mut rng = Rng(7);
    let noise: Vec<u8> = (0..good.len()).map(|_| rng.next() as u8).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("random bytes", noise),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("zeroed middle", {
            let mut b = good.clone();
            let mid = b.len() / 2;
            b[4096..mid].fill(0);
            b
        }),
    ];
    for (what, content) in cases {
        std::fs::write(&desk.db, &content).unwrap();
        for args in [
            vec!["ticket", "list", "--status", "queued"],
            vec!["ticket", "show", "ZD-20261126-0030"],
        ] {
            let out = desk.run(&args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{what} {args:?}: {err}");
            assert!(err.contains("repairdesk.db"), "{what}: {err}");
            assert!(err.contains("repairdesk backup"), "{what}: {err}");
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert!(
                std::fs::read(&desk.db).unwrap() == content,
                "{what}: the damaged file was modified"
            );
        }
    }
}

/// The dashboard on a station with one unreadable ticket opens, shows the
/// others, and names the bad one in its header; corrected meanwhile, the
/// ticket is back at the next reload and the name goes.
#[test]
fn the_dashboard_names_an_unreadable_ticket_and_shows_the_rest() {
    let desk = Desk::on(Backend::Sqlite);
    let good = desk.new_ticket("张三");
    let bad = desk.new_ticket("李四");
    let set = |status: &str| {
        desk.sql()
            .execute(
                "UPDATE tickets SET status = ?1 WHERE ticket_no = ?2",
                [status, bad.as_str()],
            )
            .unwrap();
    };
    set("bogus");
    let store = repairdesk::store::Store::open(&desk.db()).expect("store");
    let (screen, after) = common::dashboard::first_screen_and_after(store, || set("queued"));
    let header = screen.lines().next().unwrap().to_string();
    assert!(header.contains(&format!("{bad} unreadable")), "{header}");
    assert!(screen.contains(&good), "{screen}");
    // Corrected while the dashboard runs: gone at the next reload.
    let screen = after;
    assert!(!screen.contains("unreadable"), "{screen}");
    assert!(screen.contains(&bad), "{screen}");
}

/// These tests again on a PostgreSQL database (skipped without a server,
/// except under CI); those about a SQLite file are the file's own (the
/// server's foreign, newer and lost-connection cases are in
/// tests/postgres.rs).
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres(
        "on_postgresql_too",
        &[
            "failed_migration_leaves_the_old_schema_and_data",
            "newer_database_is_refused_untouched",
            "corrupt_database_gives_a_clear_message",
            "reads_work_in_a_read_only_directory",
            "reads_work_when_no_file_can_grow",
            "the_dashboard_names_an_unreadable_ticket_and_shows_the_rest",
        ],
    );
}
