//! Shared by the import targets: one file into a fresh in-memory database.

use chrono::TimeZone;
use repairdesk::config::Settings;
use repairdesk::interchange::import;
use repairdesk::store::{Env, Store};

/// Writes `data` as `name` and imports it; a file-level error must name the
/// file, and an import must leave exactly the tickets it reports.
pub fn import_bytes(name: &str, data: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("write");
    let settings = Settings::default();
    let calendar = settings.calendar();
    let env = Env {
        now: chrono::Utc.timestamp_opt(1_795_000_000, 0).unwrap(),
        actor: "coord",
        settings: &settings,
        calendar: &calendar,
    };
    let mut store = Store::open_in_memory().expect("store");
    let checked = match import::check(&path) {
        Ok(c) => c,
        Err(e) => {
            assert!(e.to_string().contains(name), "{e}");
            return;
        }
    };
    match import::import_file(&mut store, checked, &env, false, &mut |_| {}) {
        Ok(report) => {
            let n: i64 = store
                .conn()
                .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))
                .expect("count");
            assert_eq!(n as u64, report.imported);
        }
        Err(e) => assert!(e.to_string().contains(name), "{e}"),
    }
}
