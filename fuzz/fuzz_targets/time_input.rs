//! Times typed by people (`--at`, `--now`, form fields, dates in files):
//! any bytes give a time or a clear error, never a panic or a hang.
#![no_main]

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use repairdesk::domain::when;

const ZONES: &[chrono_tz::Tz] = &[
    chrono_tz::Asia::Shanghai,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::UTC,
];

fuzz_target!(|data: &[u8]| {
    // The first 9 bytes choose "now" and the zone; the rest is the text.
    let (head, text) = data.split_at(data.len().min(9));
    let mut secs = [0u8; 8];
    secs[..head.len().min(8)].copy_from_slice(&head[..head.len().min(8)]);
    let now = match i64::from_le_bytes(secs) % 4 {
        0 => DateTime::<Utc>::MAX_UTC,
        1 => DateTime::<Utc>::MIN_UTC,
        _ => Utc
            .timestamp_opt(i64::from_le_bytes(secs) % 400_000_000_000, 0)
            .single()
            .unwrap_or_default(),
    };
    let tz = ZONES[usize::from(head.get(8).copied().unwrap_or(0)) % ZONES.len()];
    let text = String::from_utf8_lossy(text);
    if let Err(e) = when::parse_when(&text, now, tz) {
        assert!(!e.to_string().is_empty());
    }
    if let Err(e) = when::parse_datetime(&text, tz) {
        assert!(!e.to_string().is_empty());
    }
    let _ = when::parse_duration(&text);
    let _ = when::parse_date(&text);
    let _ = when::parse_time(&text);
});
