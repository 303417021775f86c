//! `migrate --to` and `backup` between the two stores, through the real
//! binary: a station's file onto a server and back, nothing lost on the
//! way (every ticket's `ticket show --json` and history, the staff list and
//! its history), a target that already holds a station refused untouched.

mod common;

use common::pg;
use common::{Backend, Desk};

/// A station with a bit of everything: a demo's tickets, a removed
/// engineer, a station ticket of the day (its counter continues).
fn station() -> Desk {
    let d = Desk::on(Backend::Sqlite);
    d.ok(&["demo", "--no-tui", "--tickets", "12", "--seed", "3"]);
    d.ok(&["staff", "add", "赵临时", "--capacity", "2"]);
    d.ok(&["staff", "remove", "赵临时"]);
    d.new_ticket("张伟");
    d
}

/// Every ticket's number, closed ones included.
fn numbers(d: &Desk) -> Vec<String> {
    let mut args = vec!["ticket", "list", "--limit", "100000"];
    for s in [
        "queued",
        "in_progress",
        "parts_pending",
        "multi_repair",
        "cancel_requested",
        "resolved",
        "cancelled",
    ] {
        args.extend(["--status", s]);
    }
    let list = d.json(&args);
    let mut out: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| t["ticket_no"].as_str().expect("number").to_string())
        .collect();
    out.sort();
    out
}

/// What a user can see of the whole station: every ticket and its history,
/// the staff list and its history.
fn everything(d: &Desk) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for no in numbers(d) {
        out.push(d.json(&["ticket", "show", &no]));
        out.push(d.json(&["ticket", "history", &no]));
    }
    out.push(d.json(&["staff", "list"]));
    out.push(d.json(&["staff", "history"]));
    out
}

/// `migrate --to TARGET` from `from`; its stdout (or stderr and the exit
/// code when it fails).
fn migrate(from: &Desk, to: &str) -> (i32, String) {
    let out = from.run(&["migrate", "--to", to]);
    let code = out.status.code().unwrap_or(-1);
    let text = if code == 0 {
        String::from_utf8_lossy(&out.stdout)
    } else {
        String::from_utf8_lossy(&out.stderr)
    };
    (code, text.into_owned())
}

#[test]
fn a_station_moves_to_a_server_and_back_with_nothing_lost() {
    if !pg::available() {
        return;
    }
    let file = station();
    let before = everything(&file);
    assert!(before.len() > 20, "a station with tickets");

    let server = Desk::on(Backend::Postgres);
    let url = server.db().display().to_string();
    let (code, out) = migrate(&file, &url);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("13 tickets") && out.contains("the counts agree"),
        "{out}"
    );
    assert_eq!(
        everything(&server),
        before,
        "the server differs from the file"
    );

    // Again: the server already holds the station; refused, unchanged.
    let events = server.json(&["ticket", "history", &numbers(&server)[0]]);
    let (code, err) = migrate(&file, &url);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already holds 13 tickets"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(numbers(&server).len(), 13);
    assert_eq!(
        server.json(&["ticket", "history", &numbers(&server)[0]]),
        events
    );

    // Work goes on on the server: the day's station numbers continue (R18).
    let next = server.new_ticket("李娜");
    assert!(next.ends_with("-0002"), "{next}");

    // And back into a new file, so the station can leave the server.
    let back = Desk::on(Backend::Sqlite);
    let (code, out) = migrate(&server, &back.db().display().to_string());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("14 tickets"), "{out}");
    assert_eq!(everything(&back), everything(&server));
    assert_eq!(common::mode(&back.db()), 0o600);
    let after = back.new_ticket("王芳");
    assert!(after.ends_with("-0003"), "{after}");
}

#[test]
fn a_shared_station_is_backed_up_into_a_file_that_opens_as_a_station() {
    if !pg::available() {
        return;
    }
    let file = station();
    let server = Desk::on(Backend::Postgres);
    let (code, out) = migrate(&file, &server.db().display().to_string());
    assert_eq!(code, 0, "{out}");

    let copy = Desk::on(Backend::Sqlite);
    std::fs::create_dir_all(copy.db().parent().expect("folder")).expect("folder");
    let out = server.ok(&["backup", &copy.db().display().to_string()]);
    assert!(
        out.contains("backed up to") && out.contains("13 tickets"),
        "{out}"
    );
    assert_eq!(common::mode(&copy.db()), 0o600);
    assert_eq!(everything(&copy), everything(&server));
    // The copy goes back onto an empty server database.
    let restored = Desk::on(Backend::Postgres);
    let (code, out) = migrate(&copy, &restored.db().display().to_string());
    assert_eq!(code, 0, "{out}");
    assert_eq!(everything(&restored), everything(&server));
}

#[test]
fn a_file_is_copied_into_a_new_file_and_never_into_a_station() {
    let file = station();
    let target = Desk::on(Backend::Sqlite);
    let (code, out) = migrate(&file, &target.db().display().to_string());
    assert_eq!(code, 0, "{out}");
    assert_eq!(everything(&target), everything(&file));

    // A file that holds a station already: refused, unchanged.
    let other = Desk::on(Backend::Sqlite);
    let own = other.new_ticket("钱多");
    let (code, err) = migrate(&file, &other.db().display().to_string());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already holds 1 tickets"), "{err}");
    assert_eq!(numbers(&other), vec![own]);

    // Neither a URL nor a file name.
    let (code, err) = migrate(&file, &file.dir.path().display().to_string());
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_wrong_target_url_is_a_usage_error_and_a_missing_server_one_line() {
    let file = station();
    let (code, err) = migrate(&file, "postgres://desk:secret@127.0.0.1/x");
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("secret"), "{err}");
    let (code, err) = migrate(&file, "postgres://desk@127.0.0.1:1/station");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("postgres://desk@127.0.0.1:1/station: cannot connect"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
