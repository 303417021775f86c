//! The real binary in a real terminal (tmux): a queued ticket is moved to
//! In progress by keys, and the command line sees the change.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::Backend;
use common::pg::{self, PgDb};

const BIN: &str = env!("CARGO_BIN_EXE_repairdesk");
const NOW: &str = "2026-11-26 09:00";

/// Polls the pane until `text` appears; a bound, not a timing assertion
/// (generous: the machine may be loaded).
fn wait_for(session: &str, text: &str) -> String {
    wait_within(session, text, Duration::from_secs(60))
}

/// `wait_for` with a bound of its own (filling a demo station on a busy
/// PostgreSQL server takes longer than drawing a screen).
fn wait_within(session: &str, text: &str, bound: Duration) -> String {
    let start = Instant::now();
    loop {
        let screen = common::tmux(&["capture-pane", "-p", "-t", session]);
        if screen.contains(text) {
            return screen;
        }
        if start.elapsed() > bound {
            panic!(
                "'{text}' did not appear; the screen was:\n{screen}\n(tmux sessions: {})",
                common::tmux(&["list-sessions", "-F", "#{session_name}"])
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The screen once two captures a moment apart agree (a capture taken
/// while a frame is being drawn shows half of it).
fn settled(session: &str) -> String {
    let start = Instant::now();
    let mut last = common::tmux(&["capture-pane", "-p", "-t", session]);
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let screen = common::tmux(&["capture-pane", "-p", "-t", session]);
        if screen == last || start.elapsed() > Duration::from_secs(60) {
            return screen;
        }
        last = screen;
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

fn need_tmux() {
    if common::tmux_command().arg("-V").output().is_err() {
        panic!("tmux is needed for this test (.ci/run installs it)");
    }
}

/// A station database (a file in a temporary directory, or a throwaway
/// database on the test server), driven by the command line.
struct Station {
    dir: tempfile::TempDir,
    db: String,
    pg: Option<PgDb>,
}

impl Station {
    fn new() -> Station {
        Station::on(Backend::from_env())
    }

    fn on(backend: Backend) -> Station {
        need_tmux();
        let dir = tempfile::tempdir().expect("tempdir");
        let (db, pg) = match backend {
            Backend::Sqlite => (
                dir.path().join("e2e.db").to_string_lossy().into_owned(),
                None,
            ),
            Backend::Postgres => {
                let pg = PgDb::create();
                (pg.url.clone(), Some(pg))
            }
        };
        Station { dir, db, pg }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .args([
                "--db", &self.db, "--now", NOW, "--as", "coord", "--lang", "en",
            ])
            .args(args)
            .env("NO_COLOR", "1")
            .env("PGPASSWORD", pg::password())
            .output()
            .expect("binary runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn carry_in(&self, customer: &str, phone: &str) -> String {
        self.run(&[
            "ticket",
            "new",
            "--customer",
            customer,
            "--phone",
            phone,
            "--fault",
            "屏幕不亮",
            "--service-type",
            "carry-in",
        ])
    }

    /// The dashboard in a `w`×`h` terminal; `name` keeps sessions apart.
    fn dashboard(&self, name: &str, lang: &str, (w, h): (u16, u16)) -> Session {
        let session = Session(format!("rd-e2e-{name}-{lang}-{w}-{}", std::process::id()));
        let cmd = format!(
            "HOME={home} NO_COLOR=1 PGPASSWORD={pw} {BIN} --db '{db}' --now '{NOW}' --as coord --lang {lang}",
            home = self.dir.path().display(),
            db = self.db,
            pw = pg::password(),
        );
        common::tmux(&[
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "-s",
            &session.0,
            &cmd,
        ]);
        session
    }
}

impl Station {
    /// An interactive shell in a `w`×`h` terminal, ready for commands.
    fn shell(&self, name: &str, lang: &str, (w, h): (u16, u16)) -> Session {
        let session = Session(format!("rd-sh-{name}-{lang}-{w}-{}", std::process::id()));
        let cmd = format!(
            "env -i PATH=/usr/bin:/bin HOME={home} TERM=xterm-256color NO_COLOR=1 PGPASSWORD={pw} PS1='$ ' bash --norc --noprofile -i",
            home = self.dir.path().display(),
            pw = pg::password(),
        );
        common::tmux(&[
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "-s",
            &session.0,
            &cmd,
        ]);
        wait_for(&session.0, "$");
        session
    }

    /// The command line that opens the dashboard; it writes its process id
    /// to `pid` first (the same process, by `exec`).
    fn dashboard_command(&self, lang: &str) -> String {
        format!(
            "sh -c 'echo $$ > {pid}; exec {BIN} --db {db} --now \"{NOW}\" --as coord --lang {lang}'",
            pid = self.dir.path().join("pid").display(),
            db = self.db,
        )
    }

    fn pid(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pid"))
            .expect("pid written")
            .trim()
            .to_string()
    }
}

/// Runs a command line in the shell session.
fn shell_line(session: &Session, line: &str) {
    type_text(session, line);
    keys(session, &["Enter"]);
}

/// After the dashboard ended: the exit status, and the terminal is back in
/// the shell's cooked mode (a dashboard left in raw mode shows `-icanon`).
fn assert_terminal_restored(session: &Session, what: &str) {
    // The shell's prompt is back (keys typed before it would be dropped
    // with the dashboard's input, as they should).
    let start = Instant::now();
    loop {
        let screen = common::tmux(&["capture-pane", "-p", "-t", &session.0]);
        let last = screen.lines().rfind(|l| !l.trim().is_empty());
        if last == Some("$") && !screen.contains("09:00:00") {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            panic!("{what}: the shell did not come back; the screen was:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    shell_line(session, "echo EXIT=$?");
    let screen = wait_for(&session.0, "\nEXIT=");
    assert!(screen.contains("EXIT=0"), "{what}:\n{screen}");
    shell_line(
        session,
        "stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon' | sed 's/^/MODE=/'",
    );
    let screen = wait_for(&session.0, "\nMODE=");
    assert!(screen.contains("MODE=icanon"), "{what}:\n{screen}");
}

fn keys(session: &Session, keys: &[&str]) {
    for k in keys {
        common::tmux(&["send-keys", "-t", &session.0, k]);
    }
}

fn type_text(session: &Session, text: &str) {
    common::tmux(&["send-keys", "-t", &session.0, "-l", text]);
}

#[test]
fn promise_by_keys_in_the_real_terminal() {
    let st = Station::new();
    let no = st.run(&[
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

    let s = st.dashboard("promise", "en", (160, 45));
    wait_for(&s.0, &no);
    keys(&s, &["p"]);
    wait_for(&s.0, "Promise T31");
    type_text(&s, "14:30");
    keys(&s, &["Enter"]);
    // The status line's ✓ (the form's dry run shows "→ In progress" too).
    let screen = wait_for(&s.0, &format!("✓ {no} → In progress"));
    assert!(screen.contains("In progress 1"), "{screen}");
    keys(&s, &["q"]);

    let json: serde_json::Value =
        serde_json::from_str(&st.run(&["--json", "ticket", "show", &no])).expect("json");
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["t3"][0]["seq"], 1);
    assert_eq!(json["t3"][0]["at"], "2026-11-26T14:30:00+08:00");
}

/// Two desks of one station: a promise made by keys on one dashboard shows
/// on the other by itself (on a server the change is announced to it,
/// LISTEN/NOTIFY; on a file it notices the new version), without a key.
#[test]
fn a_change_on_one_dashboard_shows_on_the_other() {
    let st = Station::new();
    let no = st.carry_in("张伟", "13800138000");
    let one = st.dashboard("one", "en", (160, 45));
    let other = st.dashboard("other", "en", (160, 45));
    // A third desk, in Chinese on the smallest terminal (the panes as tabs).
    let third = st.dashboard("third", "zh", (80, 24));
    wait_for(&one.0, &no);
    wait_for(&other.0, "Queued 1");
    wait_for(&third.0, "待处理 1");
    keys(&one, &["p"]);
    wait_for(&one.0, "Promise T31");
    type_text(&one, "14:30");
    keys(&one, &["Enter"]);
    wait_for(&one.0, &format!("✓ {no} → In progress"));
    let seen = Instant::now();
    // A bound, not a timing assertion: the dashboards look once a second,
    // and the machine may be loaded.
    let screen = wait_within(&other.0, "In progress 1", Duration::from_secs(20));
    eprintln!(
        "the other dashboard showed the change {} ms after the first",
        seen.elapsed().as_millis()
    );
    assert!(screen.contains("Queued 0"), "{screen}");
    let screen = wait_within(&third.0, "处理中 1", Duration::from_secs(20));
    assert!(screen.contains("待处理 0"), "{screen}");
    keys(&one, &["q"]);
    keys(&other, &["q"]);
    keys(&third, &["q"]);
}

/// The sizes and languages every dashboard flow is walked in.
const TERMINALS: [(&str, (u16, u16)); 4] = [
    ("en", (80, 24)),
    ("zh", (80, 24)),
    ("en", (160, 45)),
    ("zh", (160, 45)),
];

/// After ordering parts for 吴丽 (In progress → Parts pending) the selection
/// stays on her ticket and the focus follows it: the next form ("parts
/// arrived") is hers, not the neighbour's already waiting in that pane.
#[test]
fn selection_follows_the_ticket_to_its_new_pane() {
    for (lang, size) in TERMINALS {
        let st = Station::new();
        // 李娜 waits for parts with the earliest deadline, so she heads the
        // Parts pending pane; 吴丽 heads In progress.
        let li = st.carry_in("李娜", "13800138003");
        let wu = st.carry_in("吴丽", "13800138001");
        let zhang = st.carry_in("张伟", "13800138002");
        st.run(&["ticket", "promise", &li, "--at", "2026-11-26 10:00"]);
        st.run(&["ticket", "promise", &wu, "--at", "2026-11-26 11:00"]);
        st.run(&["ticket", "promise", &zhang, "--at", "2026-11-26 15:00"]);
        st.run(&[
            "ticket",
            "parts",
            &li,
            "--order",
            "ORD-LI",
            "--part",
            "P1",
            "--eta",
            "2026-11-27 10:00",
        ]);

        let s = st.dashboard("follow", lang, size);
        wait_for(&s.0, "09:00:00");
        keys(&s, &["2", "o"]);
        wait_for(&s.0, &wu);
        type_text(&s, "ORD-WU");
        keys(&s, &["Tab"]);
        type_text(&s, "PA");
        // Quantity 1, then the expected delivery (R6).
        keys(&s, &["Tab", "Tab"]);
        type_text(&s, "+1d");
        keys(&s, &["Enter"]);
        let moved = if lang == "zh" {
            "→ 备件申领中"
        } else {
            "→ Parts pending"
        };
        wait_for(&s.0, &format!("✓ {wu} {moved}"));
        // `3` (already there) then `a`: the form is for 吴丽.
        keys(&s, &["3", "a"]);
        let arrived = if lang == "zh" {
            "备件到货 ·"
        } else {
            "Parts arrived ·"
        };
        let screen = wait_for(&s.0, arrived);
        let title = screen
            .lines()
            .find(|l| l.contains(arrived))
            .unwrap_or_default();
        assert!(title.contains(&wu), "{lang} {size:?}: {title}\n{screen}");
        assert!(!title.contains(&li), "{lang} {size:?}: {title}");
        assert!(screen.contains("ORD-WU"), "{lang} {size:?}:\n{screen}");
        // Without writing: Esc closes the form; 李娜's order is untouched.
        keys(&s, &["Escape"]);
        wait_for(&s.0, "09:00:00");
        let json: serde_json::Value =
            serde_json::from_str(&st.run(&["--json", "ticket", "show", &li])).expect("json");
        assert_eq!(json["status"], "parts_pending", "{lang} {size:?}");
    }
}

/// Ctrl-C quits from inside a form as from anywhere, writes nothing, and
/// leaves the terminal as it found it.
#[test]
fn ctrl_c_quits_cleanly_from_a_form() {
    for (lang, size) in TERMINALS {
        let st = Station::new();
        let no = st.carry_in("张伟", "13800138000");
        let s = st.shell("ctrlc", lang, size);
        shell_line(&s, &st.dashboard_command(lang));
        wait_for(&s.0, "09:00:00");
        keys(&s, &["p"]);
        wait_for(&s.0, &format!("· {no}"));
        type_text(&s, "14:30");
        keys(&s, &["C-c"]);
        assert_terminal_restored(&s, &format!("{lang} {size:?}"));
        let json: serde_json::Value =
            serde_json::from_str(&st.run(&["--json", "ticket", "show", &no])).expect("json");
        assert_eq!(json["status"], "queued", "{lang} {size:?}: nothing written");
    }
}

/// `q` on a screen opened over the panes goes back; on the panes it quits.
/// Keys typed right after it never reach the dashboard nor the shell.
#[test]
fn q_goes_back_then_quits_and_later_keys_are_dropped() {
    for (lang, size) in TERMINALS {
        let st = Station::new();
        st.carry_in("张伟", "13800138000");
        let s = st.shell("q", lang, size);
        shell_line(&s, &st.dashboard_command(lang));
        wait_for(&s.0, "09:00:00");
        keys(&s, &["A"]);
        let alerts = if lang == "zh" { "告警 (" } else { "Alerts (" };
        wait_for(&s.0, alerts);
        keys(&s, &["q"]);
        let queued = if lang == "zh" {
            "1 待处理"
        } else {
            "1 Queued"
        };
        let screen = wait_for(&s.0, queued);
        assert!(!screen.contains(alerts), "{lang} {size:?}:\n{screen}");
        // q and, typed at once after it, keys that would otherwise land in
        // the shell's command line.
        common::tmux(&["send-keys", "-t", &s.0, "q", "x", "y", "z"]);
        assert_terminal_restored(&s, &format!("{lang} {size:?}"));
        let screen = common::tmux(&["capture-pane", "-p", "-t", &s.0]);
        assert!(!screen.contains("xyz"), "{lang} {size:?}:\n{screen}");
    }
}

/// SIGTERM and SIGHUP end the dashboard like `q`: the terminal is restored.
#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for (sig, lang, size) in [
        ("TERM", "en", (80, 24)),
        ("HUP", "en", (160, 45)),
        ("TERM", "zh", (160, 45)),
        ("HUP", "zh", (80, 24)),
    ] {
        let st = Station::new();
        st.carry_in("张伟", "13800138000");
        let s = st.shell("sig", lang, size);
        shell_line(&s, &st.dashboard_command(lang));
        wait_for(&s.0, "09:00:00");
        let out = Command::new("kill")
            .args([&format!("-{sig}"), &st.pid()])
            .output()
            .expect("kill runs");
        assert!(out.status.success(), "kill -{sig}");
        assert_terminal_restored(&s, &format!("{sig} {lang} {size:?}"));
    }
}

/// Ctrl-Z hands the terminal back to the shell; `fg` brings the dashboard
/// back, redrawn and working.
#[test]
fn ctrl_z_suspends_and_fg_returns() {
    for (lang, size) in [("en", (80, 24)), ("zh", (160, 45))] {
        let st = Station::new();
        st.carry_in("张伟", "13800138000");
        let s = st.shell("ctrlz", lang, size);
        shell_line(&s, &st.dashboard_command(lang));
        wait_for(&s.0, "09:00:00");
        keys(&s, &["C-z"]);
        wait_for(&s.0, "Stopped");
        shell_line(&s, "clear; fg");
        wait_for(&s.0, "09:00:00");
        keys(&s, &["?"]);
        let help = if lang == "zh" {
            "按键帮助"
        } else {
            "Keys ("
        };
        wait_for(&s.0, help);
        // `?` closes the help (Esc followed at once by `q` reads as alt-q).
        keys(&s, &["?", "q"]);
        assert_terminal_restored(&s, &format!("{lang} {size:?}"));
    }
}

/// The terminal goes away under the dashboard (the window or the SSH
/// session is closed): the dashboard ends instead of spinning on a dead
/// terminal.
#[test]
fn a_closed_terminal_ends_the_dashboard() {
    let st = Station::new();
    st.carry_in("张伟", "13800138000");
    let s = st.shell("gone", "en", (100, 30));
    shell_line(&s, &st.dashboard_command("en"));
    wait_for(&s.0, "09:00:00");
    let pid = st.pid();
    drop(s);
    let start = Instant::now();
    loop {
        let alive = Command::new("kill")
            .args(["-0", &pid])
            .output()
            .expect("kill runs")
            .status
            .success();
        if !alive {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = Command::new("kill").args(["-9", &pid]).output();
            panic!("the dashboard (pid {pid}) still runs after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// §4 and §5 on the demo station in the real terminal: each row says its
/// next step; the header keeps its parts apart and the footer every key
/// at 80 columns; the alerts view gives the advice in full; zoom adds the
/// phone and the address.
#[test]
fn the_demo_station_in_the_real_terminal() {
    for (lang, size) in TERMINALS {
        let st = Station::new();
        let session = Session(format!(
            "rd-e2e-demo-{lang}-{}-{}",
            size.0,
            std::process::id()
        ));
        let cmd = format!(
            "HOME={home} NO_COLOR=1 PGPASSWORD={pw} {BIN} --db '{db}' --now '{NOW}' --as coord --lang {lang} demo --seed 1 --tickets 120",
            home = st.dir.path().display(),
            db = st.db,
            pw = pg::password(),
        );
        common::tmux(&[
            "new-session",
            "-d",
            "-x",
            &size.0.to_string(),
            "-y",
            &size.1.to_string(),
            "-s",
            &session.0,
            &cmd,
        ]);
        let zh = lang == "zh";
        wait_within(
            &session.0,
            if zh { "下一步" } else { "next step" },
            Duration::from_secs(120),
        );
        let screen = settled(&session.0);
        let lines: Vec<&str> = screen.lines().collect();
        let header = lines.first().copied().unwrap_or("");
        assert!(
            header.contains("coord  ") && !header.contains("coord2026"),
            "{lang} {size:?}: {header}"
        );
        let footer = lines
            .iter()
            .rfind(|l| !l.trim().is_empty())
            .copied()
            .unwrap_or("");
        // Whole words: the keys without room give way (the help lists them).
        let words: &[&str] = if zh {
            &[
                "q 退出",
                "?/F1 帮助",
                "↵ 详情",
                "c 联系",
                "p 承诺",
                "d 派工",
                "v 上门",
            ]
        } else {
            &[
                "q quit",
                "?/F1 help",
                "↵ detail",
                "c contact",
                "p promise",
                "d dispatch",
                "v visit",
            ]
        };
        for k in words {
            assert!(footer.contains(k), "{lang} {size:?}: {k:?} in {footer:?}");
        }
        let steps: &[&str] = if zh {
            &["联系", "承诺", "上门", "打印"]
        } else {
            &["contact", "promise", "visit", "print"]
        };
        assert!(
            steps.iter().any(|s| screen.contains(&format!(" {s} "))),
            "{lang} {size:?}: no next step shown\n{screen}"
        );
        if size.0 < 120 {
            keys(&session, &["A"]);
            wait_for(
                &session.0,
                if zh {
                    "┌ 要做的事"
                } else {
                    "┌ What to do"
                },
            );
            keys(&session, &["q"]);
        } else {
            keys(&session, &["z"]);
            let zoomed = wait_for(&session.0, if zh { "电话" } else { "phone" });
            assert!(
                zoomed.contains(if zh { "地址" } else { "address" }),
                "{lang} {size:?}\n{zoomed}"
            );
        }
        wait_for(&session.0, if zh { "下一步" } else { "next step" });
        keys(&session, &["q"]);
    }
}

/// A shared station: the server goes out of reach under the dashboard (an
/// administrator ends its connection and the database takes no new ones).
/// The header says offline, the panes keep the last picture, a command
/// meanwhile fails in one line naming the server; back, the dashboard
/// reconnects by itself and shows what changed.
#[test]
fn the_dashboard_on_a_server_shows_offline_and_reconnects() {
    if !pg::available() {
        return;
    }
    let st = Station::on(Backend::Postgres);
    st.carry_in("张伟", "13800138000");
    let s = st.dashboard("offline", "en", (160, 45));
    wait_for(&s.0, "张伟");
    let db = st.pg.as_ref().expect("a server database");
    let mut admin = pg::admin().expect("the test server");
    let allow = |admin: &mut postgres::Client, on: bool| {
        admin
            .batch_execute(&format!(
                "ALTER DATABASE {} ALLOW_CONNECTIONS {on}",
                db.name
            ))
            .expect("alter database");
    };
    allow(&mut admin, false);
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'repairdesk'",
            &[&db.name],
        )
        .expect("end the dashboard's connection");
    let screen = wait_for(&s.0, "offline, reconnecting");
    assert!(
        screen.contains("张伟"),
        "the last picture is gone:\n{screen}"
    );
    assert!(
        screen.contains(&db.name),
        "the server is not named:\n{screen}"
    );

    let out = Command::new(BIN)
        .args([
            "--db", &st.db, "--now", NOW, "--as", "coord", "ticket", "list",
        ])
        .env("PGPASSWORD", pg::password())
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&db.name) && err.trim().lines().count() == 1,
        "{err}"
    );

    allow(&mut admin, true);
    wait_for(&s.0, "connected to the server again");
    st.carry_in("李娜", "13900139000");
    let screen = wait_for(&s.0, "李娜");
    assert!(!screen.contains("offline"), "{screen}");
}

/// Every test above again with the station on PostgreSQL (skipped without
/// a server, except under CI).
#[test]
fn on_postgresql_too() {
    pg::rerun_on_postgres("on_postgresql_too", &[]);
}

/// §7: the dashboard takes the mouse (the terminal's mouse reporting is on)
/// unless `[dashboard] mouse = false` says otherwise, and `m` hands it to
/// the terminal and back, so a phone number can be drag-selected.
#[test]
fn the_mouse_is_toggled_by_key_and_by_config() {
    let mouse = |s: &Session| -> bool {
        common::tmux(&["display", "-p", "-t", &s.0, "#{mouse_any_flag}"]).trim() == "1"
    };
    let wait_mouse = |s: &Session, want: bool, what: &str| {
        let start = Instant::now();
        while mouse(s) != want {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{what}: the terminal's mouse reporting is not {want}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    for (lang, size) in TERMINALS {
        for taken in [true, false] {
            let st = Station::new();
            st.carry_in("张伟", "13800138000");
            if !taken {
                let dir = st.dir.path().join(".config/repairdesk");
                std::fs::create_dir_all(&dir).expect("config dir");
                std::fs::write(dir.join("config.toml"), "[dashboard]\nmouse = false\n")
                    .expect("config");
            }
            let name = if taken { "mouse-on" } else { "mouse-off" };
            let s = st.dashboard(name, lang, size);
            wait_for(&s.0, "09:00:00");
            let what = format!("{lang} {size:?} {name}");
            wait_mouse(&s, taken, &what);
            keys(&s, &["m"]);
            wait_mouse(&s, !taken, &what);
            keys(&s, &["m"]);
            wait_mouse(&s, taken, &what);
            keys(&s, &["q"]);
        }
    }
}

/// §7: `:` jumps to a ticket by the end of its number (the first ticket
/// was selected; the detail then opened is the second's) and F1 opens the
/// help, in the real terminal at both sizes and in both languages.
#[test]
fn colon_jumps_and_f1_helps_in_the_real_terminal() {
    for (lang, size) in TERMINALS {
        let st = Station::new();
        st.carry_in("张伟", "13800138000");
        let second = st.carry_in("李娜", "13900139000");
        let s = st.dashboard("jump", lang, size);
        wait_for(&s.0, "09:00:00");
        keys(&s, &[":"]);
        type_text(&s, &second[second.len() - 4..]);
        keys(&s, &["Enter"]);
        // The jump selects the ticket in its pane; Enter opens that one.
        wait_for(&s.0, if lang == "zh" { "排序" } else { "sort" });
        keys(&s, &["Enter"]);
        let zh = lang == "zh";
        wait_for(
            &s.0,
            &format!("{} {second}", if zh { "详情" } else { "Detail" }),
        );
        // The whole frame, not one caught while it is drawn.
        let screen = settled(&s.0);
        assert!(screen.contains("李娜"), "{lang} {size:?}\n{screen}");
        keys(&s, &["q"]);
        keys(&s, &["F1"]);
        wait_for(&s.0, if zh { "按键帮助" } else { "Keys (" });
        // F1 closes the help, q then quits: the session (the dashboard
        // itself) ends.
        keys(&s, &["F1", "q"]);
        let start = Instant::now();
        while common::tmux_command()
            .args(["has-session", "-t", &s.0])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{lang} {size:?}: the dashboard did not quit"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
