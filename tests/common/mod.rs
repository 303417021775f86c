//! The harness every command-line test uses: a station in a temporary
//! directory, driven through the real binary, isolated from the user's own
//! files, settings and environment.
//!
//! Two ways to say when a command happens:
//! - [`Desk`]: every command at the same moment ([`NOW`] or [`Desk::at`]),
//!   as `repairdesk` reads it from `REPAIRDESK_NOW` (files, safety);
//! - [`Timed`]: each command names its moment (`--now`), for stories that
//!   move through a day (the command line, the reports).
//!
//! The database a desk uses is chosen by a [`Backend`], so the same tests can
//! run against another store by naming it in `REPAIRDESK_TEST_BACKEND`.

#![allow(dead_code)] // each test file uses part of the harness

pub mod dashboard;
pub mod db;
pub mod pg;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use tempfile::TempDir;

/// The moment of every [`Desk`] command, unless a command says `--now`.
pub const NOW: &str = "2026-11-26 09:30";
/// Who acts, unless a command says `--as`.
pub const COORDINATOR: &str = "调度员小李";

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_repairdesk")
}

/// Which store the tests run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in the desk's directory.
    Sqlite,
    /// A throwaway database on the test PostgreSQL server (see [`pg`]).
    Postgres,
}

impl Backend {
    /// `REPAIRDESK_TEST_BACKEND` (`sqlite`, the default).
    pub fn from_env() -> Backend {
        match std::env::var("REPAIRDESK_TEST_BACKEND").as_deref() {
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok("postgres") => Backend::Postgres,
            Ok(other) => panic!("REPAIRDESK_TEST_BACKEND: unknown backend {other:?}"),
        }
    }
}

/// A station in a temporary directory; every command at one moment.
pub struct Desk {
    pub dir: TempDir,
    /// The database (for SQLite, the file; its folder is the data folder,
    /// where printed work orders go).
    pub db: PathBuf,
    pub backend: Backend,
    /// The server's database, dropped with the desk.
    pub pg: Option<std::sync::Arc<pg::PgDb>>,
    /// The moment of every command that does not say `--now`.
    pub now: String,
}

impl Default for Desk {
    fn default() -> Desk {
        Desk::new()
    }
}

impl Desk {
    pub fn new() -> Desk {
        Desk::on(Backend::from_env())
    }

    pub fn on(backend: Backend) -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let (db, pg) = match backend {
            Backend::Sqlite => (dir.path().join("data").join("repairdesk.db"), None),
            Backend::Postgres => {
                let pg = pg::PgDb::create();
                (PathBuf::from(&pg.url), Some(std::sync::Arc::new(pg)))
            }
        };
        Desk {
            dir,
            db,
            backend,
            pg,
            now: NOW.to_string(),
        }
    }

    /// A desk whose commands happen at `now`.
    pub fn at(now: &str) -> Desk {
        Desk {
            now: now.to_string(),
            ..Desk::new()
        }
    }

    /// A file in the desk's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.db.clone()
    }

    /// The data folder (printed work orders land in `print/` there).
    pub fn data_dir(&self) -> PathBuf {
        match self.backend {
            Backend::Sqlite => self.db.parent().unwrap_or(self.dir.path()).to_path_buf(),
            // The user's data folder (XDG_DATA_HOME below).
            Backend::Postgres => self.path("xdg-data").join("repairdesk"),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// The binary, isolated: no `REPAIRDESK_*` from the caller, its own
    /// home, config and data folders, English (unless `--lang` is given),
    /// acting as [`COORDINATOR`] (unless `--as`), at its moment (unless `--now`).
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        for var in [
            "REPAIRDESK_DB",
            "REPAIRDESK_CONFIG",
            "REPAIRDESK_NOW",
            "REPAIRDESK_USER",
            "LANG",
            "LC_MESSAGES",
        ] {
            c.env_remove(var);
        }
        c.arg("--db")
            .arg(&self.db)
            .env("REPAIRDESK_NOW", &self.now)
            .env("REPAIRDESK_USER", COORDINATOR)
            .env("LC_ALL", "C")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("PGPASSWORD", pg::password())
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run repairdesk")
    }

    pub fn run_as(&self, actor: &str, args: &[&str]) -> Output {
        self.cmd()
            .args(["--as", actor])
            .args(args)
            .output()
            .expect("run repairdesk")
    }

    /// Runs a command that must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_ok(&out, args);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `--json ARGS…`, parsed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.ok(&a)).expect("JSON output")
    }

    pub fn show(&self, no: &str) -> Value {
        self.json(&["ticket", "show", no])
    }

    /// An onsite station ticket for `customer`; its number.
    pub fn new_ticket(&self, customer: &str) -> String {
        self.ok(&new_ticket_args(customer)).trim().to_string()
    }

    /// The SQLite file opened directly, the way a recovering coordinator
    /// would look at it (for what only a file has; else [`Desk::look`]).
    pub fn sql(&self) -> Connection {
        match self.backend {
            Backend::Sqlite => open_db(&self.db),
            Backend::Postgres => {
                panic!("sql() opens the SQLite file; on PostgreSQL use desk.look()")
            }
        }
    }

    /// The database opened directly, whichever the store.
    pub fn look(&self) -> db::Look {
        match &self.pg {
            None => db::Look::Sqlite(open_db(&self.db)),
            Some(pg) => db::Look::Pg(pg.connect()),
        }
    }

    /// The one number a query of the database returns.
    pub fn count(&self, sql: &str) -> i64 {
        self.look().count(sql)
    }

    /// Writes a file in the desk's directory; its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write file");
        p
    }
}

/// A station whose every command names its moment. Everything else (its
/// directory, database, files) is the [`Desk`]'s.
pub struct Timed(pub Desk);

impl std::ops::Deref for Timed {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        &self.0
    }
}

impl Default for Timed {
    fn default() -> Timed {
        Timed::new()
    }
}

impl Timed {
    pub fn new() -> Timed {
        Timed(Desk::new())
    }

    pub fn on(backend: Backend) -> Timed {
        Timed(Desk::on(backend))
    }

    /// `repairdesk --now NOW --lang en ARGS…`
    pub fn cmd(&self, now: &str, args: &[&str]) -> assert_cmd::Command {
        self.cmd_lang(now, "en", args)
    }

    pub fn cmd_lang(&self, now: &str, lang: &str, args: &[&str]) -> assert_cmd::Command {
        let mut c = self.0.cmd();
        c.args(["--now", now, "--lang", lang]).args(args);
        assert_cmd::Command::from_std(c)
    }

    /// Runs and returns stdout; panics with stderr unless the exit code
    /// matches. A failure returns its stderr.
    pub fn run(&self, now: &str, args: &[&str], code: i32) -> String {
        let out = self.cmd(now, args).output().expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
        );
        if code == 0 { stdout } else { stderr }
    }

    /// Runs a command that must succeed; its stdout.
    pub fn ok(&self, now: &str, args: &[&str]) -> String {
        self.run(now, args, 0)
    }

    pub fn json(&self, now: &str, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.ok(now, &a)).expect("JSON output")
    }
}

pub fn assert_ok(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn open_db(path: &Path) -> Connection {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open database");
    c.busy_timeout(Duration::from_secs(30))
        .expect("busy timeout");
    c
}

pub fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Kills a process group with SIGKILL and waits until none of its members
/// runs any more (zombies aside: they have finished every system call).
///
/// Reaping the group's leader is not enough: a killed grandchild lingers
/// (seen in a third of the rounds of a kill loop, some in state D), and one
/// killed inside the `write` of a commit finishes that write before it
/// dies, but never enters the commit in the WAL index. The commit becomes
/// visible when the next connection opened after the writer is gone
/// rebuilds the index (SQLite's WAL recovery); a connection opened while
/// the writer lingers (it holds its lock on the index) does not see it. A
/// count taken then misses the commit, and it shows up in a later count,
/// attributed to the wrong round. `leader` is reaped here.
pub fn kill_group_and_wait(leader: &mut std::process::Child) -> std::process::ExitStatus {
    let pgid = leader.id() as i32;
    // SAFETY: kill(2) with a negative pid signals the group; no memory involved.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let status = leader.wait().expect("wait for the group's leader");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while group_runs(pgid) {
        assert!(
            std::time::Instant::now() < deadline,
            "process group {pgid} still runs a minute after SIGKILL"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    status
}

/// Whether a process of group `pgid` exists and is not a zombie (Linux
/// `/proc/PID/stat`: the state and the group follow the command name).
fn group_runs(pgid: i32) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    dir.flatten().any(|e| {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            return false;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            return false;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        matches!(fields.as_slice(), [state, _ppid, group, ..]
            if *state != "Z" && *state != "X" && group.parse::<i32>() == Ok(pgid))
    })
}

/// `tmux` on a server of this test process's own (`-L`): the sessions of
/// the tests are out of reach of anyone else's tmux on the machine (a
/// `kill-server` there cannot end a test's dashboard), and theirs of ours.
pub fn tmux_command() -> std::process::Command {
    let mut c = std::process::Command::new("tmux");
    c.args(["-L", &format!("repairdesk-test-{}", std::process::id())]);
    c
}

/// Runs `tmux ARGS` on the tests' own server; its output. A new session can
/// meet the server as it exits after its last session closed (one test's
/// sessions follow one another): it is tried again, then the test fails
/// saying why.
pub fn tmux(args: &[&str]) -> String {
    let run = || tmux_command().args(args).output().expect("tmux runs");
    let mut out = run();
    if args.first() == Some(&"new-session") {
        for _ in 0..5 {
            if out.status.success() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
            out = run();
        }
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `ticket new …` for an onsite station ticket of `customer`, as
/// [`Desk::new_ticket`] records it (for tests that run it as another login).
pub const fn new_ticket_args(customer: &str) -> [&str; 12] {
    [
        "ticket",
        "new",
        "--customer",
        customer,
        "--phone",
        "13800138000",
        "--fault",
        "no power",
        "--service-type",
        "onsite",
        "--address",
        "海淀区中关村大街 1 号",
    ]
}
