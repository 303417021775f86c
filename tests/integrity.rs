//! The database is ours, and only ours: another program's file is refused
//! untouched; one bad stored value does not stop the station; reads work
//! when writes cannot, and errors name the file and the cause.

mod common;

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
