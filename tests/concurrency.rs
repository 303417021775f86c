//! Crashes and concurrent coordinators: a burst of commands killed with
//! SIGKILL loses nothing it reported; several writers and a reader at once
//! never see "locked" and lose no update; first uses of a new file at once
//! all succeed. (Imports killed and imports beside writers are in
//! `safety_import.rs`.) The checks read the database with SQLite directly,
//! the way a recovering coordinator would.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod common;

use common::db::{Rng, assert_consistent};
use common::{COORDINATOR, Desk, NOW, assert_ok, bin, kill_group_and_wait, stderr};

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
        let before = desk.count("SELECT COUNT(*) FROM events");
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
            .env("HOME", desk.dir.path())
            .env("PGPASSWORD", common::pg::password())
            .env_remove("REPAIRDESK_CONFIG")
            .env_remove("REPAIRDESK_DB")
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn burst");
        // The kill comes at a random moment once the burst is going (its
        // first command reported): on a loaded machine, or on a server where
        // each command starts with a connection, a fixed window could end
        // before any command did.
        let mut stdout = child.stdout.take().expect("stdout");
        let (going, started) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            let mut byte = [0u8; 1];
            while let Ok(1) = stdout.read(&mut byte) {
                text.push(byte[0]);
                if byte[0] == b'\n' {
                    let _ = going.send(());
                }
            }
            String::from_utf8(text).expect("burst output is text")
        });
        let _ = started.recv_timeout(Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        // Every process of the burst is gone before anything is counted
        // (see `kill_group_and_wait`).
        let status = kill_group_and_wait(&mut child);
        let text = reader.join().expect("read burst output");
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
        let mut c = desk.look();
        assert_consistent(&mut c);
        let after = c.count("SELECT COUNT(*) FROM events");
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
    assert_eq!(desk.count("SELECT COUNT(*) FROM tickets"), 5);
    let shared = own.pop().expect("five tickets");
    let baseline = desk.count("SELECT COUNT(*) FROM events");
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
    let mut c = desk.look();
    assert_consistent(&mut c);
    assert_eq!(c.count("SELECT COUNT(*) FROM events"), baseline + ok);
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
        assert_consistent(&mut desk.look());
    }
}

/// The tests again on a PostgreSQL database (skipped without a server,
/// except under CI): kills and concurrent writers leave nothing half-written
/// there either.
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres("on_postgresql_too", &[]);
}
