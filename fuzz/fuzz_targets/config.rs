//! The station configuration file: any bytes give settings or an error
//! naming the file; accepted settings never make the calendar panic.
#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use repairdesk::config::{ClockKind, Settings};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // Settings::load reports non-UTF-8 as an I/O error first.
    };
    let origin = std::path::Path::new("station.toml");
    match Settings::from_toml_str(text, origin) {
        Err(e) => assert!(e.to_string().starts_with("station.toml:")),
        Ok(s) => {
            let cal = s.calendar();
            let from = Utc.timestamp_opt(1_795_000_000, 0).unwrap();
            for d in [s.sla.contact_breach, s.sla.no_progress, Duration::days(3)] {
                let _ = s.sla.deadline(&cal, ClockKind::Working, from, d);
            }
            let _ = cal.add_working_days(from, s.sla.cancel_after_workdays);
            let _ = cal.working_between(from, from + Duration::days(10));
        }
    }
});
