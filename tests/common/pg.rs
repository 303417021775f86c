//! The PostgreSQL half of the tests: a throwaway database per desk on the
//! server that `scripts/pg-test-setup.sh` prepares (run by `.ci/run`).
//!
//! `REPAIRDESK_TEST_PG` names the server and the login the tests use
//! (default `postgres://repairdesk_test@127.0.0.1:5432/postgres`, a role
//! with CREATEDB), `PGPASSWORD` its password (default `repairdesk_test`).
//! Without a server the PostgreSQL half is skipped with a message, except
//! under `CI=true`, where it must run.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

/// The server and login the tests use.
pub fn server_url() -> String {
    std::env::var("REPAIRDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://repairdesk_test@127.0.0.1:5432/postgres".to_string())
}

pub fn password() -> String {
    std::env::var("PGPASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "repairdesk_test".to_string())
}

/// A connection to the server's maintenance database, as the test login.
pub fn admin() -> Result<postgres::Client, postgres::Error> {
    let mut config =
        postgres::Config::from_str(&server_url()).expect("REPAIRDESK_TEST_PG is a URL");
    config.password(password());
    config.connect_timeout(std::time::Duration::from_secs(5));
    config.connect(postgres::NoTls)
}

/// Is the test server there? Under `CI=true` it must be: panics if not.
/// Elsewhere says why the PostgreSQL half is skipped.
pub fn available() -> bool {
    match admin() {
        Ok(_) => true,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "CI=true: the PostgreSQL half must run, but {} cannot be reached ({e}); .ci/run runs scripts/pg-test-setup.sh",
            server_url()
        ),
        Err(e) => {
            eprintln!(
                "PostgreSQL at {} not reachable ({e}): skipping the PostgreSQL half (scripts/pg-test-setup.sh prepares it)",
                server_url()
            );
            false
        }
    }
}

/// A database created for one test and dropped after it.
pub struct PgDb {
    pub name: String,
    pub url: String,
}

/// Seconds since 1970, for the names of test databases.
fn unix_now() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Drops the test databases of test processes that are gone (killed
/// before their desks were dropped), so that killed runs do not fill the
/// server: those whose process no longer runs here and that were created
/// over an hour ago (a run on another machine sharing the server is
/// finished by then). Once per test process; a failure only leaves them.
fn sweep_stale(c: &mut postgres::Client) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(rows) = c.query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'rd\\_test\\_%'",
            &[],
        ) else {
            return;
        };
        let now = unix_now().as_secs();
        for r in rows {
            let name: String = r.get(0);
            // rd_test_PID_N_SECONDS_NANOS
            let parts: Vec<&str> = name.split('_').collect();
            let (Some(pid), Some(born)) = (
                parts.get(2).and_then(|p| p.parse::<u32>().ok()),
                parts.get(4).and_then(|p| p.parse::<u64>().ok()),
            ) else {
                continue;
            };
            let gone = !std::path::Path::new(&format!("/proc/{pid}")).exists();
            if gone && now.saturating_sub(born) > 3600 {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    });
}

impl PgDb {
    pub fn create() -> PgDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let now = unix_now();
        let name = format!(
            "rd_test_{}_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            now.as_secs(),
            now.subsec_nanos()
        );
        let mut c = admin().expect("the PostgreSQL test server");
        sweep_stale(&mut c);
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the test database");
        let base = server_url();
        let cut = base.rfind('/').expect("URL with a database");
        let url = format!("{}/{name}", &base[..cut]);
        PgDb { name, url }
    }

    /// A direct connection, as the test login (to look behind the program),
    /// naming the desks' station (`ST`, the default `[station] code`) as a
    /// desk does: the login created the tables, so it is their
    /// administrator, and its rows are that station's.
    pub fn connect(&self) -> postgres::Client {
        let mut config = postgres::Config::from_str(&self.url).expect("URL");
        config.password(password());
        config.options("-c repairdesk.station=ST");
        config
            .connect(postgres::NoTls)
            .expect("connect to the test database")
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = admin() {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Runs this test binary again with every test on PostgreSQL (the calling
/// test itself and those named in `not_yet` skipped); fails with the
/// failing tests' output.
pub fn rerun_on_postgres(this_test: &str, not_yet: &[&str]) {
    if super::Backend::from_env() == super::Backend::Postgres || !available() {
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .args(["--skip", this_test])
        .args(not_yet.iter().flat_map(|t| ["--skip", t]))
        .env("REPAIRDESK_TEST_BACKEND", "postgres")
        .env("PGPASSWORD", password())
        .output()
        .expect("run the tests again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .filter(|l| l.starts_with("test result:"))
        .collect::<Vec<_>>()
        .join("\n");
    eprintln!("on PostgreSQL: {summary}");
    assert!(
        out.status.success(),
        "the tests on PostgreSQL failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A login of its own on the test server (a person at a desk), with a
/// unique name; dropped with its privileges after the test. Creating it
/// needs CREATEROLE (`scripts/pg-test-setup.sh`).
pub struct Login {
    pub name: String,
    pub password: String,
    db: std::sync::Arc<PgDb>,
}

impl Login {
    pub fn create(db: &std::sync::Arc<PgDb>, who: &str) -> Login {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "rd_{who}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let password = format!("pw-{name}");
        let mut c = admin().expect("the PostgreSQL test server");
        c.batch_execute(&format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
            .expect("create a login (the test login needs CREATEROLE: scripts/pg-test-setup.sh)");
        Login {
            name,
            password,
            db: db.clone(),
        }
    }

    /// The database's URL with this login.
    pub fn url(&self) -> String {
        let url = &self.db.url;
        let start = url.find("://").map_or(0, |i| i + 3);
        match url[start..].find('@') {
            Some(at) => format!("{}{}{}", &url[..start], self.name, &url[start + at..]),
            None => format!("{}{}@{}", &url[..start], self.name, &url[start..]),
        }
    }

    /// Plain SQL as this login, as `psql` would connect (no station named).
    pub fn connect(&self) -> postgres::Client {
        let mut config = postgres::Config::from_str(&self.url()).expect("URL");
        config.password(&self.password);
        config
            .connect(postgres::NoTls)
            .expect("connect as the login")
    }
}

impl Drop for Login {
    fn drop(&mut self) {
        // Its privileges on the test database go first, or the role stays.
        if let Ok(mut c) = postgres::Config::from_str(&self.db.url).and_then(|mut config| {
            config.password(password());
            config.connect(postgres::NoTls)
        }) {
            let _ = c.batch_execute(&format!(
                "REVOKE ALL ON tickets, events, staff, staff_events, counters FROM {}",
                self.name
            ));
        }
        if let Ok(mut c) = admin() {
            let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}
