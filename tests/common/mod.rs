//! The one test harness: a station database in a temporary directory,
//! driven through the real binary.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

pub const NOW: &str = "2026-11-26 09:30";
pub const COORDINATOR: &str = "调度员小李";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_repairdesk")
}

/// A station database in a temporary directory, driven through the binary.
pub struct Desk {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Desk {
    pub fn new() -> Desk {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("repairdesk.db");
        Desk { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary, isolated from the user's own files and settings; English
    /// unless `--lang` is given, acting as the coordinator unless `--as` is.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        c.arg("--db")
            .arg(&self.db)
            .env("REPAIRDESK_NOW", NOW)
            .env("REPAIRDESK_USER", COORDINATOR)
            .env("LC_ALL", "C")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env_remove("REPAIRDESK_DB")
            .env_remove("REPAIRDESK_CONFIG")
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

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_ok(&out, args);
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn new_ticket(&self, customer: &str) -> String {
        self.ok(&[
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
        ])
        .trim()
        .to_string()
    }

    pub fn sql(&self) -> Connection {
        open_db(&self.db)
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

pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}
