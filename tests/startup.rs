//! Clear errors before anything runs: the `[keys]` of the configuration,
//! an empty `--now`, a time skipped by a clock change.

mod common;

use common::*;

/// A bad `[keys]` entry stops every command at start-up (not only the
/// dashboard), naming the file, the entry's line and what is wrong.
#[test]
fn keys_errors_name_file_and_line_at_load() {
    let desk = Desk::new();
    let cfg = desk.write(
        "config.toml",
        "[station]\ncode = \"BJ-0101\"\n\n[keys]\ndispatch = \"q\"\nteleport = \"t\"\n".as_bytes(),
    );
    let out = desk
        .cmd()
        .arg("--config")
        .arg(&cfg)
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("config.toml:6:") && l.contains("teleport")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("config.toml:5:") && l.contains("dispatch")),
        "{err}"
    );
    assert!(!desk.db.exists(), "the database was touched");

    let good = desk.write("good.toml", "[keys]\ndispatch = \"ctrl-d\"\n".as_bytes());
    let out = desk
        .cmd()
        .arg("--config")
        .arg(&good)
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert_ok(&out, &["ticket list with good [keys]"]);
}

/// `--now ''` (or an empty `REPAIRDESK_NOW`) is refused, not read as "use
/// the real clock".
#[test]
fn an_empty_now_is_refused() {
    let desk = Desk::new();
    let out = desk.run(&["--now", "", "ticket", "list"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
    let out = desk
        .cmd()
        .env("REPAIRDESK_NOW", "  ")
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = desk.run(&["--now", "2026-11-26 10:00", "ticket", "list"]);
    assert_ok(&out, &["--now with a moment"]);
}

/// A local time skipped by a clock change gets the same explanation for
/// `--at` as for `--now`.
#[test]
fn a_dst_gap_time_is_explained_for_at_as_for_now() {
    let desk = Desk::new();
    let cfg = desk.write(
        "ny.toml",
        "[station]\ntimezone = \"America/New_York\"\n".as_bytes(),
    );
    let run = |args: &[&str]| {
        desk.cmd()
            .arg("--config")
            .arg(&cfg)
            .args(args)
            .output()
            .unwrap()
    };
    let at = |now: &str, args: &[&str]| {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        run(&all)
    };
    let out = at(
        "2026-11-26 10:00",
        &[
            "ticket",
            "new",
            "--customer",
            "Ann",
            "--phone",
            "13800138000",
            "--fault",
            "no power",
            "--service-type",
            "carry-in",
        ],
    );
    assert_ok(&out, &["ticket new"]);
    let no = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_ok(
        &at(
            "2026-11-26 10:00",
            &["ticket", "contact", &no, "--result", "reached"],
        ),
        &["contact"],
    );
    let gap = "2027-03-14 02:30";
    let by_at = at("2026-11-26 10:00", &["ticket", "promise", &no, "--at", gap]);
    let by_now = at(gap, &["ticket", "list"]);
    for out in [&by_at, &by_now] {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
        assert!(
            stderr(out).contains("does not exist in time zone America/New_York (clock change)"),
            "{}",
            stderr(out)
        );
    }
    assert!(
        !stderr(&by_at).contains("cannot read"),
        "{}",
        stderr(&by_at)
    );
    // An hour later exists.
    let out = at(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2027-03-14 03:30"],
    );
    assert_ok(&out, &["promise after the gap"]);
}
