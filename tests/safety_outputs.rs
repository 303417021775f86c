//! Output safety: every file repairdesk writes is complete or absent (never
//! half-written over the old one), private, and never written through a
//! planted link; what it prints cannot act on a terminal or a spreadsheet;
//! a failing stdout after a change is reported, not a panic; backups clean
//! up after killed runs and never overwrite the database under any name.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

mod common;

use common::db::{HEADER, assert_consistent, assert_inert, dispatch_csv};
use common::{Desk, NOW, assert_ok, bin, count, mode, open_db, stderr};

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
    assert_eq!(
        desk.count("SELECT COUNT(*) FROM tickets"),
        2,
        "each recorded once"
    );

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

#[test]
fn database_and_its_side_files_are_private() {
    let desk = Desk::new();
    desk.new_ticket("张伟");
    assert_eq!(mode(&desk.db), 0o600);
    assert_eq!(mode(desk.db.parent().unwrap()), 0o700);
    // While a connection is open the WAL and shared-memory files exist: they
    // hold the same customer data and get the same mode.
    let store = repairdesk::store::Store::open(&desk.db).expect("open");
    open_db(&desk.db)
        .execute("UPDATE counters SET value = value", [])
        .expect("write");
    for suffix in ["-wal", "-shm"] {
        let mut p = desk.db.clone().into_os_string();
        p.push(suffix);
        let p = PathBuf::from(p);
        assert!(p.exists(), "{} missing", p.display());
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    drop(store);
    let copy = desk.path("copy.db");
    desk.ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(mode(&copy), 0o600);
}

// ---------------------------------------------------------------------------
// Hostile text

/// Fields full of escape sequences, controls, bidi overrides and a 100 kB
/// string reach the terminal inert: no ESC, no C1, no bidi control, no
/// control character but the line ends, one line per ticket or event.
#[test]
fn hostile_fields_are_inert_in_text_output() {
    let desk = Desk::new();
    let long: String = "长\u{1b}[2J\u{202e}x".repeat(100_000 / 10);
    let nasty = "\u{1b}]0;pwned\u{7}张\u{1b}[31m红\u{1b}[0m\u{9b}31m\u{202e}evil\u{2066}\r\n\t\u{8}\u{7f}end";
    let no = desk
        .ok(&[
            "ticket",
            "new",
            "--customer",
            nasty,
            "--phone",
            "13800138000",
            "--fault",
            &long,
            "--service-type",
            "onsite",
            "--address",
            "\u{1b}[H\u{1b}[1;1H地址\u{1b}P+q\u{1b}\\",
            "--serial",
            "\u{200f}SN\u{061c}1\u{feff}",
            "--model",
            "\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        ])
        .trim()
        .to_string();
    desk.ok(&[
        "ticket",
        "contact",
        &no,
        "--result",
        "no-answer",
        "--note",
        "\u{1b}[1A\u{1b}[2Kgone\u{85}\u{2028}next",
    ]);
    desk.new_ticket("正常用户");
    desk.ok(&["staff", "add", "王工"]);
    desk.ok(&["ticket", "promise", &no, "--at", "2026-11-26 15:00"]);
    desk.ok(&[
        "ticket",
        "dispatch",
        &no,
        "--engineer",
        "王工",
        "--override",
        "系统故障 \u{1b}[8mhidden",
    ]);
    for lang in ["en", "zh"] {
        let day = desk.ok(&["--lang", lang, "engineer", "王工", "--plain"]);
        assert_inert(&day, "engineer --plain");
        assert!(day.contains("pwned"), "the ticket is in the day:\n{day}");
        let show = desk.ok(&["--lang", lang, "ticket", "show", &no]);
        assert_inert(&show, "ticket show");
        assert!(
            show.contains("pwned"),
            "the text itself is kept, made visible"
        );
        let list = desk.ok(&["--lang", lang, "ticket", "list"]);
        assert_inert(&list, "ticket list");
        assert_eq!(list.lines().count(), 2, "one line per ticket:\n{list}");
        let history = desk.ok(&["--lang", lang, "ticket", "history", &no]);
        assert_inert(&history, "ticket history");
        assert_eq!(history.lines().count(), 4, "one line per event:\n{history}");
    }
    // Error messages that echo user input are inert too.
    let out = desk.run(&["ticket", "show", nasty]);
    assert_eq!(out.status.code(), Some(4));
    assert_inert(&stderr(&out), "error message");
}

/// Search text is data, never SQL: quotes, comment markers and LIKE
/// wildcards find only what literally contains them.
#[test]
fn search_text_is_never_sql() {
    let desk = Desk::new();
    let plain = desk.new_ticket("张伟");
    let quoted = desk.new_ticket("O'Brien");
    let wild = desk.new_ticket("50%_off\\x");
    let list = |text: &str| -> Vec<String> {
        let out = desk.ok(&["--json", "ticket", "list", "--search", text]);
        let v: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        v.iter()
            .map(|t| t["ticket_no"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(list("'; DROP TABLE tickets; --").is_empty());
    assert!(list("\" OR 1=1 --").is_empty());
    assert_eq!(list("O'Brien"), vec![quoted.clone()]);
    assert_eq!(list("%"), vec![wild.clone()]);
    assert_eq!(list("_"), vec![wild.clone()]);
    assert_eq!(list("\\"), vec![wild.clone()]);
    assert_eq!(list("张"), vec![plain.clone()]);
    let out = desk.run(&["ticket", "show", "x' OR '1'='1"]);
    assert_eq!(out.status.code(), Some(4));
    let mut c = desk.look();
    assert_eq!(c.count("SELECT COUNT(*) FROM tickets"), 3);
    assert_consistent(&mut c);
}

/// The work order printout and the write-back export: HTML-escaped,
/// control characters made visible, spreadsheet formulas defused, and every
/// file readable by the owner only.
#[test]
fn printouts_and_exports_are_escaped_and_private() {
    let desk = Desk::new();
    let long: String = "长\u{1b}[2J\u{202e}x".repeat(10_000);
    let no = desk
        .ok(&[
            "ticket",
            "new",
            "--customer",
            "\"><img src=x onerror=alert(1)><script>alert(2)</script>\u{1b}]0;t\u{7}",
            "--phone",
            "13800138000",
            "--fault",
            &long,
            "--service-type",
            "onsite",
            "--address",
            "\u{9b}31m\u{2066}路\u{2069} & <b>",
        ])
        .trim()
        .to_string();
    desk.ok(&[
        "ticket",
        "parts",
        &no,
        "--order",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "--part",
        "+cmd",
        "--eta",
        "2026-12-31 10:00",
    ]);
    let html = desk.path("order.html");
    desk.ok(&["ticket", "print", &no, "-o", html.to_str().unwrap()]);
    assert_eq!(mode(&html), 0o600);
    let page = std::fs::read_to_string(&html).unwrap();
    assert_inert(&page.replace('\t', " "), "printout");
    for raw in ["<img", "<script", "<b>", "onerror=alert(1)>"] {
        assert!(!page.contains(raw), "{raw} reached the printout unescaped");
    }
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let txt = desk.path("order.txt");
    desk.ok(&["ticket", "print", &no, "-o", txt.to_str().unwrap()]);
    assert_eq!(mode(&txt), 0o600);
    // CRLF line ends are the text printout's own.
    let text = std::fs::read_to_string(&txt).unwrap().replace("\r\n", "\n");
    assert_inert(&text, "text printout");
    for name in ["writeback.csv", "writeback.xlsx"] {
        let file = desk.path(name);
        desk.ok(&["export", "writeback", "-o", file.to_str().unwrap()]);
        assert_eq!(mode(&file), 0o600, "{name}");
    }
    let csv = std::fs::read_to_string(desk.path("writeback.csv")).unwrap();
    assert!(
        !csv.contains(",\"=HYPERLINK") && !csv.contains(",=HYPERLINK"),
        "{csv}"
    );
}

// ---------------------------------------------------------------------------
// Backup

/// Backups taken while another process keeps writing are each a sound,
/// history-consistent picture of some moment.
#[test]
fn backup_is_consistent_while_another_process_writes() {
    let desk = Desk::new();
    let tickets: Vec<String> = (0..3).map(|i| desk.new_ticket(&format!("户{i}"))).collect();
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (stop, writes) = (stop.clone(), writes.clone());
        let db = desk.db.clone();
        let config = desk.path("config");
        let tickets = tickets.clone();
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) && i < 2000 {
                i += 1;
                let mut c = Command::new(bin());
                c.arg("--db")
                    .arg(&db)
                    .env("REPAIRDESK_NOW", NOW)
                    .env("XDG_CONFIG_HOME", &config)
                    .env("PGPASSWORD", common::pg::password())
                    .env_remove("REPAIRDESK_CONFIG");
                if i.is_multiple_of(4) {
                    c.args([
                        "ticket",
                        "new",
                        "--customer",
                        "新",
                        "--phone",
                        "13800138000",
                        "--fault",
                        "f",
                        "--service-type",
                        "carry-in",
                    ]);
                } else {
                    c.args([
                        "ticket",
                        "contact",
                        &tickets[i % 3],
                        "--result",
                        "no-answer",
                    ]);
                }
                let out = c.output().expect("writer");
                assert!(out.status.success(), "writer: {}", stderr(&out));
                writes.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    // Start copying only once the writer is under way.
    while writes.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut seen = Vec::new();
    for i in 0..5 {
        let file = desk.path(&format!("copy-{i}.db"));
        let out = desk.run(&["backup", file.to_str().unwrap()]);
        assert_ok(&out, &["backup"]);
        assert_eq!(mode(&file), 0o600, "backup readable by others");
        let mut c = open_db(&file).into();
        let n = assert_consistent(&mut c);
        assert!(n >= 3);
        seen.push(c.count("SELECT COUNT(*) FROM events"));
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("writer thread");
    let live = desk.count("SELECT COUNT(*) FROM events");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(*seen.last().unwrap() <= live);
}

#[test]
fn backup_refuses_the_live_database_and_foreign_files() {
    let desk = Desk::new();
    desk.new_ticket("张伟");
    let before = std::fs::read(&desk.db).unwrap();
    let db = desk.db.to_str().unwrap().to_string();
    let dotted = desk
        .db
        .parent()
        .unwrap()
        .join(".")
        .join("repairdesk.db")
        .to_str()
        .unwrap()
        .to_string();
    for target in [db.clone(), dotted, format!("{db}-wal")] {
        let out = desk.run(&["backup", &target]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert!(stderr(&out).contains("live database"), "{}", stderr(&out));
    }
    let link = desk.path("link.db");
    std::os::unix::fs::symlink(&desk.db, &link).unwrap();
    let out = desk.run(&["backup", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&desk.db).unwrap(), before);

    let notes = desk.path("notes.txt");
    std::fs::write(&notes, "my notes").unwrap();
    let out = desk.run(&["backup", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a database"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");

    // An older backup is replaced by a fresh one.
    let copy = desk.path("copy.db");
    desk.ok(&["backup", copy.to_str().unwrap()]);
    desk.new_ticket("李娜");
    desk.ok(&["backup", copy.to_str().unwrap()]);
    assert_eq!(count(&open_db(&copy), "SELECT COUNT(*) FROM tickets"), 2);

    // Nothing to back up: no database is created.
    let other = Desk::new();
    let out = other.run(&["backup", other.path("x.db").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!other.db.exists());
}

/// What the dashboard draws of hostile text (escape sequences, C1
/// controls, bidi overrides, a 10,000-times repeated hostile fault) is
/// inert on every screen, in both languages.
#[test]
fn hostile_text_is_inert_on_every_dashboard_screen() {
    common::dashboard::hostile_text_is_inert_on_every_screen();
}

/// The tests through the binary again, on a PostgreSQL database (skipped
/// without a server, except under CI); not those about the SQLite file
/// itself (its side files, its modes, a full disk under it, a backup over
/// it), which a server does not have.
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres(
        "on_postgresql_too",
        &[
            "a_failed_write_keeps_the_old_file_and_leaves_no_temporary",
            "backups_clean_up_and_never_overwrite_the_database",
            "database_and_its_side_files_are_private",
            "backup_refuses_the_live_database_and_foreign_files",
            "hostile_text_is_inert_on_every_dashboard_screen",
        ],
    );
}
