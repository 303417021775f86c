//! Reliability and safety (issue 7): crashes, concurrent coordinators,
//! roles, newer and damaged databases, hostile input to the parsers and the
//! dashboard. Imports are in `safety_import.rs`; written files, output and
//! backups in `safety_outputs.rs`. Everything runs the real binary against a
//! database in a temporary directory; the checks read the database with
//! SQLite directly, the way a recovering coordinator would.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod common;

use common::db::{Rng, assert_consistent, assert_inert};
use common::{COORDINATOR, Desk, NOW, assert_ok, bin, count, kill_group_and_wait, stderr};

// ---------------------------------------------------------------------------
// Crash safety

/// A burst of transitions in a child process group, killed with SIGKILL at a
/// random moment, twenty times. Every transition that reported success is in
/// the history; nothing is half-applied; at most the one command in flight
/// at the kill is applied without having reported.
#[test]
fn sigkill_during_a_burst_of_transitions_loses_nothing_reported() {
    let desk = Desk::new();
    let tickets: Vec<String> = (0..4)
        .map(|i| desk.new_ticket(&format!("用户{i}")))
        .collect();
    let script = r#"
B="$1"; DB="$2"; R="$3"; shift 3
i=0
while [ $i -lt 400 ]; do
  i=$((i+1))
  for T in "$@"; do
    tag="m${R}x${i}y"
    if [ $((i % 7)) -eq 0 ]; then
      no=$("$B" --db "$DB" ticket new --customer "k$tag" --phone 13800138000 --fault f \
           --service-type carry-in) || exit 9
      echo "new $no"
    else
      "$B" --db "$DB" ticket contact "$T" --result no-answer --note "$tag$T" >/dev/null || exit 9
      echo "ok $T $tag$T"
    fi
  done
done
"#;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut reported: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut created: Vec<String> = Vec::new();
    let mut total_reported = 0usize;
    for round in 0..20 {
        let before = count(&desk.sql(), "SELECT COUNT(*) FROM events");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("burst")
            .arg(bin())
            .arg(&desk.db)
            .arg(round.to_string())
            .args(&tickets)
            .env("REPAIRDESK_NOW", NOW)
            .env("REPAIRDESK_USER", COORDINATOR)
            .env("XDG_CONFIG_HOME", desk.path("config"))
            .env_remove("REPAIRDESK_CONFIG")
            .env_remove("REPAIRDESK_DB")
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn burst");
        std::thread::sleep(Duration::from_millis(30 + rng.below(400)));
        // Every process of the burst is gone before anything is counted
        // (see `kill_group_and_wait`).
        let mut stdout = child.stdout.take().expect("stdout");
        let status = kill_group_and_wait(&mut child);
        let mut text = String::new();
        stdout.read_to_string(&mut text).expect("read burst output");
        assert_ne!(status.code(), Some(9), "a command failed in the burst");
        // Only whole lines were reported.
        let mut in_round = 0;
        for line in text.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["ok", no, tag] => {
                    reported
                        .entry(no.to_string())
                        .or_default()
                        .insert(tag.to_string());
                    in_round += 1;
                }
                ["new", no] => {
                    created.push(no.to_string());
                    in_round += 1;
                }
                _ => panic!("unexpected burst output {line:?}"),
            }
        }
        total_reported += in_round;
        let c = desk.sql();
        assert_consistent(&c);
        let after = count(&c, "SELECT COUNT(*) FROM events");
        let applied = (after - before) as usize;
        assert!(
            applied >= in_round && applied <= in_round + 1,
            "round {round}: {in_round} reported, {applied} events written"
        );
    }
    assert!(total_reported > 0, "the bursts never got going");
    // Every reported transition is in `ticket history`.
    for (no, tags) in &reported {
        let history = desk.ok(&["--json", "ticket", "history", no]);
        for tag in tags {
            assert!(
                history.contains(&format!("\"{tag}\"")),
                "{no}: reported contact {tag} is missing from the history"
            );
        }
    }
    for no in &created {
        desk.ok(&["ticket", "show", no]);
    }
}

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

// ---------------------------------------------------------------------------
// Concurrent coordinators

/// Four writer processes at once (read-modify-write with --expect-version,
/// and plain contacts) plus a reader: every command ends 0 or 5, nothing is
/// ever "locked", and the history holds exactly the successful commands.
#[test]
fn concurrent_writers_never_lock_or_lose_updates() {
    let desk = Arc::new(Desk::new());
    // Five first uses of a database that does not exist yet, at once.
    let firsts: Vec<_> = (0..5)
        .map(|i| {
            let desk = desk.clone();
            std::thread::spawn(move || desk.new_ticket(&format!("各自{i}")))
        })
        .collect();
    let mut own: Vec<String> = firsts
        .into_iter()
        .map(|t| t.join().expect("first use"))
        .collect();
    own.sort();
    assert_eq!(count(&desk.sql(), "SELECT COUNT(*) FROM tickets"), 5);
    let shared = own.pop().expect("five tickets");
    let baseline = count(&desk.sql(), "SELECT COUNT(*) FROM events");
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (desk, done) = (desk.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(Ordering::SeqCst) && reads < 500 {
                let out = desk.run(&["ticket", "list"]);
                assert_ok(&out, &["ticket", "list"]);
                reads += 1;
            }
        })
    };
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let desk = desk.clone();
            let shared = shared.clone();
            let own = own.clone();
            std::thread::spawn(move || {
                let mut ok = 0i64;
                let mut conflicts = 0i64;
                let mut on_shared = 0i64;
                for i in 0..60 {
                    let (no, expect) = match i % 4 {
                        // Read, then write only if nobody else did meanwhile.
                        0 | 1 => {
                            let json = desk.ok(&["--json", "ticket", "show", &shared]);
                            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
                            (shared.clone(), v["version"].as_i64())
                        }
                        2 => (shared.clone(), None),
                        _ => (own[(w + i) % 4].clone(), None),
                    };
                    let mut args = vec!["ticket", "contact", &no, "--result", "no-answer"];
                    let v = expect.map(|v| v.to_string());
                    if let Some(v) = &v {
                        args.extend(["--expect-version", v]);
                    }
                    let out = desk.run(&args);
                    let err = stderr(&out);
                    assert!(
                        !err.contains("locked") && !err.contains("busy"),
                        "{args:?}: {err}"
                    );
                    match out.status.code() {
                        Some(0) => {
                            ok += 1;
                            if no == shared {
                                on_shared += 1;
                            }
                        }
                        Some(5) if expect.is_some() => conflicts += 1,
                        c => panic!("{args:?} ended {c:?}: {err}"),
                    }
                }
                (ok, conflicts, on_shared)
            })
        })
        .collect();
    let mut ok = 0;
    let mut on_shared = 0;
    let mut attempts = 0;
    for w in writers {
        let (o, c, s) = w.join().expect("writer");
        ok += o;
        on_shared += s;
        attempts += o + c;
    }
    done.store(true, Ordering::SeqCst);
    reader.join().expect("reader");
    assert_eq!(attempts, 240);
    let c = desk.sql();
    assert_consistent(&c);
    assert_eq!(count(&c, "SELECT COUNT(*) FROM events"), baseline + ok);
    // No lost update on the contended ticket: one creation event plus one
    // per success.
    let history = desk.ok(&["--json", "ticket", "history", &shared]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&history).unwrap();
    assert_eq!(events.len() as i64, 1 + on_shared);
}

/// Several coordinators starting on a database that does not exist yet: all
/// of them get it (switching a new file to WAL once needed a retry).
#[test]
fn first_uses_at_once_all_succeed() {
    for round in 0..8 {
        let desk = Arc::new(Desk::new());
        let firsts: Vec<_> = (0..5)
            .map(|i| {
                let desk = desk.clone();
                std::thread::spawn(move || {
                    desk.run(&["ticket", "list"]).status.code().map(|c| (i, c))
                })
            })
            .collect();
        for t in firsts {
            let (i, code) = t.join().expect("first use").expect("exit code");
            assert_eq!(code, 0, "round {round}: first use {i} failed");
        }
        assert_consistent(&desk.sql());
    }
}

// ---------------------------------------------------------------------------
// Customer data and roles
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
    let version_before = count(&desk.sql(), "SELECT MAX(version) FROM tickets");
    let out = desk.run_as("王工", &["ticket", "visit", &no, "--result", "fixed"]);
    assert_ok(&out, &["visit as 王工"]);
    assert_eq!(
        count(&desk.sql(), "SELECT MAX(version) FROM tickets"),
        version_before + 1
    );
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

    let c = desk.sql();
    let n = count(&c, "SELECT COUNT(*) FROM events");
    let update = c.execute("UPDATE events SET actor = 'someone else'", []);
    assert!(
        matches!(&update, Err(e) if e.to_string().contains("append-only")),
        "{update:?}"
    );
    let delete = c.execute("DELETE FROM events", []);
    assert!(
        matches!(&delete, Err(e) if e.to_string().contains("append-only")),
        "{delete:?}"
    );
    assert_eq!(count(&c, "SELECT COUNT(*) FROM events"), n);
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM events WHERE actor = 'someone else'"
        ),
        0
    );
}

// ---------------------------------------------------------------------------
// Newer and broken databases

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

// ---------------------------------------------------------------------------
// Hostile input to the parsers (property tests). The default is a quick run;
// the long runs of docs/data-safety.md set PROPTEST_CASES, e.g.
//   PROPTEST_CASES=1000000 cargo test --release --test safety parser_
// (and cargo-fuzz targets live in fuzz/).

mod parsers {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use chrono_tz::Tz;
    use proptest::prelude::*;
    use repairdesk::domain::settings::{ClockKind, Settings};
    use repairdesk::domain::when;

    const ZONES: &[Tz] = &[
        chrono_tz::Asia::Shanghai,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Apia,
        chrono_tz::UTC,
    ];

    /// Any moment a `--now` could name, out to the ends of chrono's range.
    fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![
            (0i64..=7_258_118_400).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap()),
            Just(DateTime::<Utc>::MIN_UTC),
            Just(DateTime::<Utc>::MAX_UTC),
            (-8_334_601_228_800i64..=8_210_266_876_799)
                .prop_map(|s| Utc.timestamp_opt(s, 0).single().unwrap_or_default()),
        ]
    }

    /// Text near the accepted forms, where the parser's deep paths are.
    fn timeish() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "\\PC{0,40}",
            "[+＋]?[0-9０-９]{0,15}[dhmsDHMS ]{0,3}[0-9]{0,15}[dhms]{0,2}",
            "(今天|明天|后天|後天|today|TOMORROW|tomorrow)? ?[0-9０-９]{0,3}[:：][0-9]{0,3}(:[0-9]{0,3})?",
            "[0-9]{0,7}[-/][0-9]{0,3}[-/][0-9]{0,3}([ Tt][0-9]{0,3}:[0-9]{0,3}(:[0-9]{0,3})?)?([+-][0-9]{2}:?[0-9]{2}|Z)?",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?([+-][0-9]{2}:[0-9]{2}|[Zz])",
        ]
    }

    proptest! {
        #[test]
        fn parser_time_input_never_panics(
            input in timeish(),
            now in any_now(),
            zone in 0..ZONES.len(),
        ) {
            let tz = ZONES[zone];
            match when::parse_when(&input, now, tz) {
                Ok(t) => prop_assert!(t >= DateTime::<Utc>::MIN_UTC),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            if let Err(e) = when::parse_datetime(&input, tz) {
                prop_assert!(!e.to_string().is_empty());
            }
            if let Err(e) = when::parse_duration(&input) {
                prop_assert!(!e.to_string().is_empty());
            }
            let _ = when::parse_date(&input);
            let _ = when::parse_time(&input);
        }

        #[test]
        fn parser_time_input_from_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = String::from_utf8_lossy(&bytes);
            let now = Utc.timestamp_opt(1_795_000_000, 0).unwrap();
            let _ = when::parse_when(&text, now, chrono_tz::Asia::Shanghai);
        }

        /// Whatever text comes in, what goes to the terminal is inert and
        /// one line.
        #[test]
        fn sanitizer_output_is_always_inert(text in any::<String>()) {
            let safe = repairdesk::present::sanitize::terminal_safe(&text);
            super::assert_inert(&safe, "terminal_safe");
            prop_assert!(!safe.contains('\n'));
            let multi = repairdesk::present::sanitize::terminal_safe_multiline(&text);
            super::assert_inert(&multi, "terminal_safe_multiline");
        }

        #[test]
        fn parser_config_never_panics(text in config_text()) {
            let origin = std::path::Path::new("/etc/station.toml");
            match repairdesk::setup::config::Config::from_toml_str(&text, origin) {
                Ok(c) => exercise(&c.settings),
                Err(e) => {
                    let msg = e.to_string();
                    prop_assert!(msg.starts_with("/etc/station.toml:"), "{msg}");
                }
            }
        }
    }

    /// Whatever a configuration accepted must not make the calendar or the
    /// deadlines panic or hang.
    fn exercise(s: &Settings) {
        let cal = s.calendar();
        let from = Utc.timestamp_opt(1_795_000_000, 0).unwrap();
        for d in [
            s.sla.contact_warn,
            s.sla.contact_breach,
            s.sla.unreachable_after,
            s.sla.no_progress,
            s.sla.promise_warn,
            Duration::days(3),
        ] {
            let _ = s.sla.deadline(&cal, ClockKind::Wall, from, d);
            let _ = s.sla.deadline(&cal, ClockKind::Working, from, d);
        }
        let _ = cal.add_working_days(from, s.sla.cancel_after_workdays);
        let _ = cal.add_working_days(from, s.sla.special_notify_workdays);
        let _ = cal.working_between(from, from + Duration::days(10));
    }

    /// Arbitrary text, or a file built from the real keys with values of the
    /// right and wrong kinds.
    fn config_text() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            "\"\\PC{0,12}\"",
            "\"[0-9]{0,4}[dhms]{0,2}[0-9]{0,3}[dhms]?\"",
            "\"[0-9]{1,2}:[0-9]{1,2}\"",
            "\"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\"",
            "-?[0-9]{1,20}(\\.[0-9]{0,5})?(e[+-]?[0-9]{1,3})?",
            Just("nan".to_string()),
            Just("inf".to_string()),
            Just("-inf".to_string()),
            Just("true".to_string()),
            Just("[]".to_string()),
            "\\[(\"[0-9]{1,2}:[0-9]{2}\", ?){0,3}\\]",
            "\\[(\"[0-9]{4}-[0-9]{2}-[0-9]{2}\", ?){0,3}\\]",
            "\\[(\"\\PC{0,6}\", ?){0,3}\\]",
            "\"(wall|working|cn|none|Asia/Shanghai|Mars/Olympus|UTC)\"",
            "\\{ ?\\}",
        ];
        let key = prop_oneof![
            Just(("station", "code")),
            Just(("station", "name")),
            Just(("station", "timezone")),
            Just(("station", "coverage")),
            Just(("station", "sites")),
            Just(("calendar", "builtin")),
            Just(("calendar", "work_hours")),
            Just(("calendar", "holidays")),
            Just(("calendar", "workdays")),
            Just(("sla", "contact_warn")),
            Just(("sla", "contact_breach")),
            Just(("sla", "unreachable_after")),
            Just(("sla", "chase_calls_per_day")),
            Just(("sla", "chase_days")),
            Just(("sla", "cancel_after_workdays")),
            Just(("sla", "special_notify_workdays")),
            Just(("sla", "untaken_escalate")),
            Just(("sla", "no_progress")),
            Just(("sla", "emergency_response")),
            Just(("sla", "promise_warn")),
            Just(("sla.clocks", "contact")),
            Just(("sla.clocks", "emergency")),
            Just(("keys", "quit")),
            Just(("nonsense", "x")),
        ];
        prop_oneof![
            1 => any::<String>(),
            4 => proptest::collection::vec((key, value), 0..10).prop_map(|pairs| {
                // Each table once, each key once: mostly valid TOML, so the
                // checks after parsing are reached.
                let mut tables: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, String>> =
                    Default::default();
                for ((table, k), v) in pairs {
                    tables.entry(table).or_default().insert(k, v);
                }
                tables
                    .into_iter()
                    .map(|(t, kv)| {
                        let body: String = kv.into_iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
                        format!("[{t}]\n{body}")
                    })
                    .collect::<String>()
            }),
        ]
    }
}

// ---------------------------------------------------------------------------
// The dashboard: hostile text drawn inert, an engineer acting as themselves.

mod dashboard {
    use std::path::PathBuf;

    use chrono::TimeZone;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use repairdesk::domain::clock::FixedClock;
    use repairdesk::domain::command::{Command, NewTicket};
    use repairdesk::domain::settings::Settings;
    use repairdesk::domain::staff::StaffChange;
    use repairdesk::domain::text::Lang;
    use repairdesk::domain::ticket::*;
    use repairdesk::setup::app::App;
    use repairdesk::store::Store;
    use repairdesk::tui::Dashboard;

    fn at(d: u32, h: u32, m: u32) -> Time {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 11, d, h, m, 0)
            .single()
            .expect("local time")
            .with_timezone(&chrono::Utc)
    }

    fn app(actor: &str, lang: Lang) -> App {
        App::new(
            Settings::default(),
            Box::new(FixedClock(at(26, 11, 30))),
            actor.into(),
            lang,
            PathBuf::from(":memory:"),
        )
    }

    pub const NASTY: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m红\u{9b}1m\u{202e}evil\u{2066}\r\n\t\u{8}\u{7f}\u{2028}end";

    /// A station with one hostile ticket dispatched to 王工 and one plain one.
    fn station() -> (Store, String) {
        let mut store = Store::open_in_memory().expect("store");
        let coord = app("coord", Lang::En);
        let add = StaffChange::add("王工", 4);
        store.staff_change(&add, &coord.env()).expect("staff");
        let long: String = "长\u{1b}[1;1H\u{202e}x".repeat(10_000);
        let no = format!("W{NASTY}1");
        let ticket = |no: &str, name: &str, fault: &str| NewTicket {
            ticket_no: no.into(),
            source: Source::Cc,
            t1: at(26, 8, 0),
            service_type: ServiceType::Onsite,
            priority: Priority::Normal,
            special: false,
            urge: false,
            customer: Customer {
                name: name.into(),
                phones: vec!["13800138000".into()],
                address: format!("地址{NASTY}"),
                district: format!("区{NASTY}"),
            },
            product: Product {
                line: NASTY.into(),
                model: format!("\u{1b}]8;;http://evil.example/\u{1b}\\link{NASTY}"),
                serial: format!("\u{200f}SN{NASTY}"),
                warranty: Warranty::In,
            },
            fault: fault.into(),
            note: NASTY.into(),
        };
        store
            .create(ticket(&no, NASTY, &long), &coord.env())
            .expect("create");
        store
            .create(ticket("W2", "张伟", "不开机"), &coord.env())
            .expect("create");
        for cmd in [
            Command::Contact {
                result: ContactResult::Reached,
                note: NASTY.into(),
            },
            Command::Promise {
                at: at(26, 15, 0),
                ptype: None,
                reason: Some(NASTY.into()),
            },
            Command::Dispatch {
                engineer: "王工".into(),
                site: None,
                override_reason: Some(format!("系统故障 {NASTY}")),
            },
        ] {
            store
                .execute(&no, &cmd, &coord.env(), None)
                .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        }
        (store, no)
    }

    fn key(d: &mut Dashboard, code: KeyCode) {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        d.handle_key(KeyEvent::new(code, mods));
    }

    /// Draws the dashboard; fails on any unsafe character in any cell.
    fn draw(d: &mut Dashboard, what: &str) -> String {
        let (w, h) = (160, 45);
        d.resize(w, h);
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        term.draw(|f| d.render(f)).expect("draw");
        let buf = term.backend().buffer();
        let mut text = String::new();
        for y in 0..h {
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                super::assert_inert(sym, &format!("{what} cell ({x},{y})"));
                text.push_str(sym);
            }
            text.push('\n');
        }
        text
    }

    #[test]
    fn hostile_text_is_inert_on_every_screen() {
        for lang in [Lang::En, Lang::Zh] {
            let (store, _) = station();
            let mut d = Dashboard::new(app("coord", lang), store).expect("dashboard");
            d.set_no_color(true);
            let main = draw(&mut d, "main");
            assert!(main.contains("pwned"), "the hostile ticket is on screen");
            for pane in ['1', '2', '3', '4'] {
                key(&mut d, KeyCode::Char(pane));
                draw(&mut d, "pane");
                key(&mut d, KeyCode::Enter);
                draw(&mut d, "detail");
                key(&mut d, KeyCode::Esc);
            }
            d.open_engineer(
                "王工",
                chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day"),
            );
            let day = draw(&mut d, "engineer");
            assert!(day.contains("pwned"), "the hostile ticket is in 王工's day");
        }
    }

    /// The engineer view used by the engineer: only a visit gets through.
    #[test]
    fn engineer_acting_as_themselves_can_only_record_a_visit() {
        let (store, no) = station();
        let before = store.get(&no).expect("ticket").version;
        let mut d = Dashboard::new(app("王工", Lang::En), store).expect("dashboard");
        d.set_no_color(true);
        d.open_engineer(
            "王工",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day"),
        );
        for (action, typed) in [('c', ""), ('p', "16:00"), ('u', ""), ('C', ""), ('d', "")] {
            key(&mut d, KeyCode::Char(action));
            // An outcome is chosen, never defaulted (the contact result).
            key(&mut d, KeyCode::Right);
            for ch in typed.chars() {
                key(&mut d, KeyCode::Char(ch));
            }
            // Submit: a refused write is never put to the confirmation.
            key(&mut d, KeyCode::Enter);
            let screen = draw(&mut d, "refused form");
            assert!(
                screen.contains("(role)"),
                "'{action}': no refusal shown:\n{screen}"
            );
            key(&mut d, KeyCode::Esc);
            assert_eq!(
                d.store().get(&no).expect("ticket").version,
                before,
                "'{action}' changed the ticket for an engineer"
            );
        }
        key(&mut d, KeyCode::Char('v'));
        key(&mut d, KeyCode::Right);
        key(&mut d, KeyCode::Enter);
        key(&mut d, KeyCode::Char('y'));
        let after = d.store().get(&no).expect("ticket");
        assert_eq!(after.version, before + 1, "the visit was not recorded");
        let history = d.store().history(&no).expect("history");
        assert_eq!(history.last().map(|e| e.actor.as_str()), Some("王工"));
    }
}
