//! The database the benchmarks run against: `REPAIRDESK_BENCH_DB` (e.g. the
//! million-ticket demo made by `scripts/bench.sh`), or a 20,000-ticket demo
//! station built here so that `cargo bench` works from a clean checkout.
//!
//! `REPAIRDESK_NOW` fixes the moment the benchmarks take as now (alerts
//! depend on it); without it, the last change recorded in the database.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::settings::Settings;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::Time;
use repairdesk::setup::app::App;
use repairdesk::store::{Store, from_ts};

pub struct Fixture {
    pub path: PathBuf,
    pub now: Time,
    _dir: Option<tempfile::TempDir>,
}

/// Tickets in the database built when `REPAIRDESK_BENCH_DB` is not set.
const SMALL: u32 = 20_000;

impl Fixture {
    pub fn get() -> Fixture {
        match std::env::var_os("REPAIRDESK_BENCH_DB") {
            Some(p) => {
                let path = PathBuf::from(p);
                let now = now_of(&path);
                Fixture {
                    path,
                    now,
                    _dir: None,
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("bench.db");
                let now = station_now();
                build_small(&path, SMALL, now);
                Fixture {
                    path,
                    now,
                    _dir: Some(dir),
                }
            }
        }
    }

    /// A private copy, for benchmarks that write.
    pub fn copy(&self) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("copy.db");
        // Everything into the main file first, then a plain file copy.
        let src = rusqlite::Connection::open(&self.path).expect("open for copy");
        src.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        std::fs::copy(&self.path, &path).expect("copy database");
        Fixture {
            path,
            now: self.now,
            _dir: Some(dir),
        }
    }

    pub fn app(&self) -> App {
        App::new(
            Settings::default(),
            Box::new(FixedClock(self.now)),
            "协调员".into(),
            Lang::Zh,
            self.path.clone(),
        )
    }

    pub fn store(&self) -> Store {
        Store::open(&self.path).expect("open benchmark database")
    }
}

/// What a coordinator would type to find the newest open ticket: the first
/// two characters of the customer's name, the last four digits of the
/// phone, the serial.
pub fn sample_terms(store: &Store) -> (String, String, String) {
    let (name, phones, serial): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT customer_name, phones, serial FROM tickets
             WHERE status NOT IN ('resolved', 'cancelled') ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("an open ticket");
    let name: String = name.chars().take(2).collect();
    let first = phones.split('/').next().unwrap_or_default();
    let phone = first[first.len().saturating_sub(4)..].to_string();
    (name, phone, serial)
}

fn now_of(path: &Path) -> Time {
    if let Ok(s) = std::env::var("REPAIRDESK_NOW")
        && let Ok(t) =
            repairdesk::domain::when::parse_datetime(&s, Settings::default().calendar().tz())
    {
        return t;
    }
    let s = Store::open(path).expect("open benchmark database");
    let last: i64 = s
        .conn()
        .query_row(
            "SELECT COALESCE(MAX(updated_at), 0) FROM tickets",
            [],
            |r| r.get(0),
        )
        .expect("latest change");
    from_ts(last)
}

/// Thursday 2026-11-26 11:30 station time.
fn station_now() -> Time {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 26, 11, 30, 0)
        .single()
        .expect("valid time")
        .with_timezone(&chrono::Utc)
}

/// A small demo station (`repairdesk demo --tickets n`) around `now`.
pub fn build_small(path: &Path, n: u32, now: Time) {
    let app = App::new(
        Settings::default(),
        Box::new(FixedClock(now)),
        "协调员".into(),
        Lang::Zh,
        path.to_path_buf(),
    );
    let mut store = Store::open(path).expect("create benchmark database");
    repairdesk::demo::seed(&mut store, &app, n, 1).expect("demo station");
}
