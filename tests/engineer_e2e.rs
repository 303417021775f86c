//! `repairdesk engineer NAME` in a real terminal (tmux) the size of a phone's
//! SSH app: the day's cards, and the day changed with keys.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_repairdesk");
const NOW: &str = "2026-11-26 09:00";

/// Polls the pane until `text` appears; a bound, not a timing assertion.
fn wait_for(session: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let screen = common::tmux(&["capture-pane", "-p", "-t", session]);
        if screen.contains(text) {
            return screen;
        }
        if start.elapsed() > Duration::from_secs(60) {
            panic!("'{text}' did not appear; the screen was:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = common::tmux_command()
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

fn run(db: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(["--db", db, "--now", NOW, "--as", "coord", "--lang", "en"])
        .args(args)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// An onsite ticket promised at `t3`, printed and dispatched to 王工.
fn planned(db: &str, dir: &std::path::Path, customer: &str, address: &str, t3: &str) -> String {
    let no = run(
        db,
        &[
            "ticket",
            "new",
            "--customer",
            customer,
            "--phone",
            "13800138000",
            "--fault",
            "屏幕不亮",
            "--service-type",
            "onsite",
            "--district",
            "朝阳区",
            "--address",
            address,
        ],
    );
    run(db, &["ticket", "promise", &no, "--at", t3]);
    let wo = dir.join(format!("{no}.txt"));
    run(db, &["ticket", "print", &no, "-o", &wo.to_string_lossy()]);
    run(db, &["ticket", "dispatch", &no, "--engineer", "王工"]);
    no
}

#[test]
fn the_day_changes_with_keys_on_a_phone_sized_terminal() {
    if common::tmux_command().arg("-V").output().is_err() {
        panic!("tmux is needed for this test (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("e2e.db").to_string_lossy().into_owned();
    run(&db, &["staff", "add", "王工"]);
    let address = "望京街道望京西园三区321号楼2单元1502室";
    let today = planned(&db, dir.path(), "李娜", address, "2026-11-26 14:00");
    let tomorrow = planned(
        &db,
        dir.path(),
        "赵敏",
        "和平里东街57号",
        "2026-11-27 10:00",
    );
    for lang in ["zh", "en"] {
        let session = Session(format!("rd-eng-{lang}-{}", std::process::id()));
        let cmd = format!(
            "HOME={home} NO_COLOR=1 {BIN} --db '{db}' --now '{NOW}' --as 王工 --lang {lang} engineer 王工",
            home = dir.path().display(),
        );
        common::tmux(&[
            "new-session",
            "-d",
            "-x",
            "40",
            "-y",
            "20",
            "-s",
            &session.0,
            &cmd,
        ]);
        // Today's card: the whole address, wrapped within 40 columns.
        let screen = wait_for(&session.0, &today);
        assert!(screen.contains("14:00 T31"), "{screen}");
        assert!(screen.contains("1502室"), "the address is whole:\n{screen}");
        assert!(!screen.contains(&tomorrow), "{screen}");
        // `]`: the next day.
        common::tmux(&["send-keys", "-t", &session.0, "]"]);
        let screen = wait_for(&session.0, &tomorrow);
        assert!(screen.contains("11-27"), "{screen}");
        assert!(!screen.contains(&today), "{screen}");
        // `←`: back a day; `→` `→`: two days on (nothing planned); `t`: today.
        common::tmux(&["send-keys", "-t", &session.0, "Left"]);
        wait_for(&session.0, &today);
        common::tmux(&["send-keys", "-t", &session.0, "Right", "Right"]);
        wait_for(&session.0, "11-28");
        common::tmux(&["send-keys", "-t", &session.0, "t"]);
        let screen = wait_for(&session.0, &today);
        assert!(screen.contains("11-26"), "{screen}");
        common::tmux(&["send-keys", "-t", &session.0, "q"]);
    }
}
