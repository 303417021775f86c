//! Output safety: every file repairdesk writes is complete or absent (never
//! half-written over the old one), private, and never written through a
//! planted link; what it prints cannot act on a terminal or a spreadsheet;
//! a failing stdout after a change is reported, not a panic; backups clean
//! up after killed runs and never overwrite the database under any name.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;

use common::db::{HEADER, dispatch_csv};
use common::{Desk, bin, count, mode, stderr};

/// Runs `args` with writes to any file limited to `bytes` (RLIMIT_FSIZE,
/// with SIGXFSZ ignored): a write beyond fails like on a full disk.
fn run_with_file_limit(desk: &Desk, bytes: u64, args: &[&str]) -> Output {
    let mut c = desk.cmd();
    c.args(args);
    // SAFETY: between fork and exec only async-signal-safe calls.
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.output().expect("run repairdesk")
}

/// Files in `dir` other than the ones named.
fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect()
}

/// A station of 2,000 tickets, its write-back over 200 KB.
fn station(desk: &Desk) {
    let file = desk.write("day.csv", dispatch_csv("W", 2_000).as_bytes());
    desk.ok(&["import", file.to_str().expect("path")]);
}

/// A write that fails half-way (the file-size limit standing in for a full
/// disk) leaves the previous file byte for byte, and no temporary behind:
/// the write-back (CSV and XLSX), a report file and a printout.
#[test]
fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
    let desk = Desk::new();
    station(&desk);
    // A connection held open keeps the database's side files in place, so
    // that only the file being written meets the limit.
    let held = desk.sql();
    count(&held, "SELECT COUNT(*) FROM tickets");
    let out_dir = desk.path("out");
    std::fs::create_dir(&out_dir).expect("dir");
    let files = ["wb.csv", "wb.xlsx", "kpi.csv", "W000001.html"];
    let path = |name: &str| out_dir.join(name).to_str().expect("path").to_string();
    let commands: Vec<Vec<String>> = vec![
        vec![
            "export".into(),
            "writeback".into(),
            "-o".into(),
            path("wb.csv"),
        ],
        vec![
            "export".into(),
            "writeback".into(),
            "-o".into(),
            path("wb.xlsx"),
        ],
        vec![
            "report".into(),
            "kpi".into(),
            "--month".into(),
            "2026-11".into(),
            "-o".into(),
            path("kpi.csv"),
        ],
        vec![
            "ticket".into(),
            "print".into(),
            "W000001".into(),
            "-o".into(),
            path("W000001.html"),
        ],
    ];
    for (name, args) in files.iter().zip(&commands) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        desk.ok(&args);
        let old = std::fs::read(out_dir.join(name)).expect("first file");
        assert!(old.len() > 200, "{name}: {} bytes", old.len());
        // Half the old size: the new file cannot be completed.
        let out = run_with_file_limit(&desk, old.len() as u64 / 2, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert_eq!(
            std::fs::read(out_dir.join(name)).expect("old file"),
            old,
            "{name}"
        );
        assert_eq!(leftovers(&out_dir, &files), Vec::<String>::new(), "{name}");
    }
    // The failed printout recorded nothing (R7: printed means on paper).
    let history = desk.json(&["ticket", "history", "W000001"]);
    let prints = history
        .as_array()
        .map(|h| h.iter().filter(|e| e.to_string().contains("print")).count());
    assert_eq!(prints, Some(1), "{history}");
}

/// Every file written is 0600, also over an existing 0644 file, and a link
/// planted at the target is replaced, never written through.
#[test]
fn written_files_are_private_and_never_follow_a_planted_link() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    station(&desk);
    for name in ["wb.csv", "wb.xlsx", "kpi.xlsx"] {
        let target = desk.path(name);
        let args = |t: &Path| -> Vec<String> {
            let t = t.to_str().expect("path").to_string();
            if name.starts_with("kpi") {
                vec![
                    "report".into(),
                    "kpi".into(),
                    "--month".into(),
                    "2026-11".into(),
                    "-o".into(),
                    t,
                ]
            } else {
                vec!["export".into(), "writeback".into(), "-o".into(), t]
            }
        };
        std::fs::write(&target, "old").expect("write");
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let a = args(&target);
        desk.ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(mode(&target), 0o600, "{name} overwritten");

        let victim = desk.path(&format!("victim-{name}"));
        std::fs::write(&victim, "not yours").expect("write");
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let link = desk.path(&format!("link-{name}"));
        std::os::unix::fs::symlink(&victim, &link).expect("link");
        let a = args(&link);
        desk.ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            std::fs::read_to_string(&victim).expect("victim"),
            "not yours"
        );
        assert_eq!(mode(&victim), 0o644);
        let meta = std::fs::symlink_metadata(&link).expect("link");
        assert!(meta.file_type().is_file(), "{name}: the link was replaced");
        assert_eq!(mode(&link), 0o600);
    }
}

/// stdout failing after the change was committed (a full disk, a reader
/// gone): no panic, the change is recorded once, and exit 7 says
/// "recorded, but the output could not be written" — a script must not run
/// it again. A read whose output fails is exit 1, also without a panic.
#[test]
fn output_failure_after_a_change_is_reported_not_panicked() {
    let desk = Desk::new();
    let full = || std::fs::File::create("/dev/full").expect("/dev/full");
    let new = [
        "ticket",
        "new",
        "--customer",
        "张伟",
        "--phone",
        "13800138000",
        "--fault",
        "x",
        "--service-type",
        "carry-in",
    ];
    for json in [false, true] {
        let mut c = desk.cmd();
        if json {
            c.arg("--json");
        }
        let out = c.args(new).stdout(full()).output().expect("run");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(7), "{err}");
        assert!(
            err.contains("recorded, but the output could not be written"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let c = desk.sql();
    assert_eq!(
        count(&c, "SELECT COUNT(*) FROM tickets"),
        2,
        "each recorded once"
    );
    drop(c);

    // A reader that went away: the write end of a pipe whose read end is closed.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = desk
        .cmd()
        .args([
            "ticket",
            "contact",
            "ZD-20261126-0001",
            "--result",
            "no-answer",
        ])
        .stdout(Stdio::from(writer))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let history = desk.json(&["ticket", "history", "ZD-20261126-0001"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");

    // An import with rejected rows whose summary cannot be written.
    let file = desk.write("d.csv", format!("{HEADER}\nbad row\n").as_bytes());
    let out = desk
        .cmd()
        .args(["import", file.to_str().expect("path")])
        .stdout(full())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));

    // Reads: nothing recorded, no panic.
    for args in [
        &["ticket", "list"][..],
        &["--json", "ticket", "show", "ZD-20261126-0001"],
        &["alerts"],
    ] {
        let out = desk.cmd().args(args).stdout(full()).output().expect("run");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("could not be written") && !err.contains("panicked"),
            "{err}"
        );
    }
    // Even with stderr failing too: an exit status, not a panic (101).
    let out = desk
        .cmd()
        .args(new)
        .stdout(full())
        .stderr(full())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7));
}

/// Characters that act on a terminal or reorder text (C1 controls, bidi
/// overrides and isolates, DEL, ESC, BEL) never reach `--json` output, the
/// write-back CSV or the XLSX raw; JSON escapes them, so the text is kept.
#[test]
fn json_and_files_carry_no_raw_controls() {
    let desk = Desk::new();
    let name = "a\u{9b}31mb\u{202e}c\u{7f}d\u{2066}e\u{85}f";
    let no = desk
        .ok(&[
            "ticket",
            "new",
            "--customer",
            name,
            "--phone",
            "13800138000",
            "--fault",
            "x",
            "--service-type",
            "carry-in",
        ])
        .trim()
        .to_string();
    let reason = "=x\u{1b}[2J\u{7}\u{202e}y";
    desk.ok(&[
        "ticket",
        "promise",
        &no,
        "--at",
        "2026-11-26 15:00",
        "--type",
        "other",
        "--reason",
        reason,
    ]);
    let out = desk.run(&["--json", "ticket", "show", &no]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let raw = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{1b}' | '\u{7}');
    assert!(!text.chars().any(raw), "{text:?}");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["customer"]["name"], name, "the text itself is kept");
    assert_eq!(v["t3"][0]["reason"], reason);

    let csv = desk.path("wb.csv");
    desk.ok(&["export", "writeback", "-o", csv.to_str().expect("path")]);
    let bytes = std::fs::read_to_string(&csv).expect("csv");
    assert!(!bytes.chars().any(raw), "{bytes:?}");
    assert!(bytes.contains("'=x␛[2J␇"), "{bytes}");

    let xlsx = desk.path("wb.xlsx");
    desk.ok(&["export", "writeback", "-o", xlsx.to_str().expect("path")]);
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).expect("xlsx");
    let range = book.worksheet_range_at(0).expect("sheet").expect("range");
    let cells: Vec<String> = range.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(cells.iter().all(|c| !c.chars().any(raw)), "{cells:?}");
    assert!(cells.iter().any(|c| c.contains("x␛[2J␇")), "{cells:?}");
}

/// A command on another name for the database (`--db` through a link).
fn run_on(desk: &Desk, db: &Path, cwd: &Path, args: &[&str]) -> Output {
    let template = desk.cmd();
    let mut c = Command::new(bin());
    for (k, v) in template.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c.current_dir(cwd).arg("--db").arg(db).args(args);
    c.stdin(Stdio::null()).output().expect("run")
}

/// Partial copies left by killed backups are removed by the next backup to
/// that file; a target that is the database or one of its companions is
/// refused under every name: a link to it, `--db` through a link, a
/// relative path.
#[test]
fn backups_clean_up_and_never_overwrite_the_database() {
    let desk = Desk::new();
    station(&desk);
    let dir = desk.path("backups");
    std::fs::create_dir(&dir).expect("dir");
    let target = dir.join("b.db");
    // What a backup killed half-way leaves: its copy and SQLite's journal,
    // named after a process that no longer runs.
    let stale = [
        dir.join(".b.db.2147483646-0.partial"),
        dir.join(".b.db.2147483646-0.partial-journal"),
        dir.join(".b.db.2147483645.partial"),
    ];
    for s in &stale {
        std::fs::write(s, vec![7u8; 100_000]).expect("stale");
    }
    let other = dir.join(".c.db.2147483646-0.partial");
    std::fs::write(&other, "another target's").expect("write");
    desk.ok(&["backup", target.to_str().expect("path")]);
    for s in &stale {
        assert!(!s.exists(), "{} is left", s.display());
    }
    assert!(other.exists(), "only the target's own partials are removed");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(
        count(&common::open_db(&target), "SELECT COUNT(*) FROM tickets"),
        2_000
    );

    // The live database and its companions, under other names.
    let data = desk.data_dir().to_path_buf();
    let link = desk.path("link.db");
    std::os::unix::fs::symlink(&desk.db, &link).expect("link");
    let to_journal = desk.path("journal-link.db");
    std::os::unix::fs::symlink(data.join("repairdesk.db-journal"), &to_journal).expect("link");
    let wal = data.join("repairdesk.db-wal");
    let before = std::fs::read(&wal).ok();
    let cases: Vec<(PathBuf, PathBuf, PathBuf)> = vec![
        // (--db, target, working directory)
        (link.clone(), wal.clone(), desk.path("")),
        (
            link.clone(),
            PathBuf::from("data/../data/repairdesk.db-shm"),
            desk.path(""),
        ),
        (
            PathBuf::from("repairdesk.db"),
            PathBuf::from("./repairdesk.db-wal"),
            data.clone(),
        ),
        (desk.db.clone(), to_journal.clone(), desk.path("")),
        (link.clone(), desk.db.clone(), desk.path("")),
        (desk.db.clone(), link.clone(), desk.path("")),
    ];
    for (db, t, cwd) in &cases {
        let out = run_on(&desk, db, cwd, &["backup", t.to_str().expect("path")]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--db {db:?} backup {t:?}: {err}"
        );
        assert!(err.contains("live database"), "{err}");
    }
    assert_eq!(std::fs::read(&wal).ok(), before, "the WAL is untouched");
    assert!(
        std::fs::symlink_metadata(&to_journal)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(count(&desk.sql(), "SELECT COUNT(*) FROM tickets"), 2_000);
}
