//! The real binary in a real terminal (tmux): a queued ticket is moved to
//! In progress by keys, and the command line sees the change.

use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_repairdesk");
const NOW: &str = "2026-11-26 09:00";

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Polls the pane until `text` appears; a bound, not a timing assertion.
fn wait_for(session: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", session]);
        if screen.contains(text) {
            return screen;
        }
        if start.elapsed() > Duration::from_secs(20) {
            panic!("'{text}' did not appear; the screen was:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

#[test]
fn promise_by_keys_in_the_real_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        panic!("tmux is needed for this test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("e2e.db");
    let db_s = db.to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["--db", &db_s, "--now", NOW, "--as", "coord", "--lang", "en"])
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("binary runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let no = run(&[
        "ticket",
        "new",
        "--customer",
        "张伟",
        "--phone",
        "13800138000",
        "--fault",
        "屏幕不亮",
        "--service-type",
        "onsite",
        "--address",
        "中关村大街1号",
    ]);
    assert!(no.starts_with("ZD-20261126-"), "{no}");

    let session = Session(format!("rd-e2e-{}", std::process::id()));
    let cmd = format!(
        "HOME={home} NO_COLOR=1 {BIN} --db '{db_s}' --now '{NOW}' --as coord --lang en",
        home = dir.path().display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-x",
        "160",
        "-y",
        "45",
        "-s",
        &session.0,
        &cmd,
    ]);
    wait_for(&session.0, &no);
    tmux(&["send-keys", "-t", &session.0, "p"]);
    wait_for(&session.0, "Promise T31");
    tmux(&["send-keys", "-t", &session.0, "-l", "14:30"]);
    tmux(&["send-keys", "-t", &session.0, "Enter"]);
    let screen = wait_for(&session.0, "→ In progress");
    assert!(screen.contains("In progress 1"), "{screen}");
    tmux(&["send-keys", "-t", &session.0, "q"]);

    let json: serde_json::Value =
        serde_json::from_str(&run(&["--json", "ticket", "show", &no])).expect("json");
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["t3"][0]["seq"], 1);
    assert_eq!(json["t3"][0]["at"], "2026-11-26T14:30:00+08:00");
}
