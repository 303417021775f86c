//! Hostile input to the parsers (property tests): times, configuration
//! files. The default is a quick run; the long runs of docs/data-safety.md
//! set PROPTEST_CASES, e.g.
//!   PROPTEST_CASES=1000000 cargo test --release --test parsers parser_
//! (the importer's are in `safety_import.rs`; cargo-fuzz targets live in
//! fuzz/).

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use repairdesk::domain::settings::{ClockKind, Settings};
use repairdesk::domain::when;

const ZONES: &[Tz] = &[
    chrono_tz::Asia::Shanghai,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Apia,
    chrono_tz::UTC,
];

/// Any moment a `--now` could name, out to the ends of chrono's range.
fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        (0i64..=7_258_118_400).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap()),
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        (-8_334_601_228_800i64..=8_210_266_876_799)
            .prop_map(|s| Utc.timestamp_opt(s, 0).single().unwrap_or_default()),
    ]
}

/// Text near the accepted forms, where the parser's deep paths are.
fn timeish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[+＋]?[0-9０-９]{0,15}[dhmsDHMS ]{0,3}[0-9]{0,15}[dhms]{0,2}",
        "(今天|明天|后天|後天|today|TOMORROW|tomorrow)? ?[0-9０-９]{0,3}[:：][0-9]{0,3}(:[0-9]{0,3})?",
        "[0-9]{0,7}[-/][0-9]{0,3}[-/][0-9]{0,3}([ Tt][0-9]{0,3}:[0-9]{0,3}(:[0-9]{0,3})?)?([+-][0-9]{2}:?[0-9]{2}|Z)?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?([+-][0-9]{2}:[0-9]{2}|[Zz])",
    ]
}

proptest! {
    #[test]
    fn parser_time_input_never_panics(
        input in timeish(),
        now in any_now(),
        zone in 0..ZONES.len(),
    ) {
        let tz = ZONES[zone];
        match when::parse_when(&input, now, tz) {
            Ok(t) => prop_assert!(t >= DateTime::<Utc>::MIN_UTC),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        if let Err(e) = when::parse_datetime(&input, tz) {
            prop_assert!(!e.to_string().is_empty());
        }
        if let Err(e) = when::parse_duration(&input) {
            prop_assert!(!e.to_string().is_empty());
        }
        let _ = when::parse_date(&input);
        let _ = when::parse_time(&input);
    }

    #[test]
    fn parser_time_input_from_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = String::from_utf8_lossy(&bytes);
        let now = Utc.timestamp_opt(1_795_000_000, 0).unwrap();
        let _ = when::parse_when(&text, now, chrono_tz::Asia::Shanghai);
    }

    /// Whatever text comes in, what goes to the terminal is inert and
    /// one line.
    #[test]
    fn sanitizer_output_is_always_inert(text in any::<String>()) {
        let safe = repairdesk::present::sanitize::terminal_safe(&text);
        common::db::assert_inert(&safe, "terminal_safe");
        prop_assert!(!safe.contains('\n'));
        let multi = repairdesk::present::sanitize::terminal_safe_multiline(&text);
        common::db::assert_inert(&multi, "terminal_safe_multiline");
    }

    #[test]
    fn parser_config_never_panics(text in config_text()) {
        let origin = std::path::Path::new("/etc/station.toml");
        match repairdesk::setup::config::Config::from_toml_str(&text, origin) {
            Ok(c) => exercise(&c.settings),
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("/etc/station.toml:"), "{msg}");
            }
        }
    }
}

/// Whatever a configuration accepted must not make the calendar or the
/// deadlines panic or hang.
fn exercise(s: &Settings) {
    let cal = s.calendar();
    let from = Utc.timestamp_opt(1_795_000_000, 0).unwrap();
    for d in [
        s.sla.contact_warn,
        s.sla.contact_breach,
        s.sla.unreachable_after,
        s.sla.no_progress,
        s.sla.promise_warn,
        Duration::days(3),
    ] {
        let _ = s.sla.deadline(&cal, ClockKind::Wall, from, d);
        let _ = s.sla.deadline(&cal, ClockKind::Working, from, d);
    }
    let _ = cal.add_working_days(from, s.sla.cancel_after_workdays);
    let _ = cal.add_working_days(from, s.sla.special_notify_workdays);
    let _ = cal.working_between(from, from + Duration::days(10));
}

/// Arbitrary text, or a file built from the real keys with values of the
/// right and wrong kinds.
fn config_text() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        "\"\\PC{0,12}\"",
        "\"[0-9]{0,4}[dhms]{0,2}[0-9]{0,3}[dhms]?\"",
        "\"[0-9]{1,2}:[0-9]{1,2}\"",
        "\"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\"",
        "-?[0-9]{1,20}(\\.[0-9]{0,5})?(e[+-]?[0-9]{1,3})?",
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        "\\[(\"[0-9]{1,2}:[0-9]{2}\", ?){0,3}\\]",
        "\\[(\"[0-9]{4}-[0-9]{2}-[0-9]{2}\", ?){0,3}\\]",
        "\\[(\"\\PC{0,6}\", ?){0,3}\\]",
        "\"(wall|working|cn|none|Asia/Shanghai|Mars/Olympus|UTC)\"",
        "\\{ ?\\}",
    ];
    let key = prop_oneof![
        Just(("station", "code")),
        Just(("station", "name")),
        Just(("station", "timezone")),
        Just(("station", "coverage")),
        Just(("station", "sites")),
        Just(("calendar", "builtin")),
        Just(("calendar", "work_hours")),
        Just(("calendar", "holidays")),
        Just(("calendar", "workdays")),
        Just(("sla", "contact_warn")),
        Just(("sla", "contact_breach")),
        Just(("sla", "unreachable_after")),
        Just(("sla", "chase_calls_per_day")),
        Just(("sla", "chase_days")),
        Just(("sla", "cancel_after_workdays")),
        Just(("sla", "special_notify_workdays")),
        Just(("sla", "untaken_escalate")),
        Just(("sla", "no_progress")),
        Just(("sla", "emergency_response")),
        Just(("sla", "promise_warn")),
        Just(("sla.clocks", "contact")),
        Just(("sla.clocks", "emergency")),
        Just(("keys", "quit")),
        Just(("nonsense", "x")),
    ];
    prop_oneof![
        1 => any::<String>(),
        4 => proptest::collection::vec((key, value), 0..10).prop_map(|pairs| {
            // Each table once, each key once: mostly valid TOML, so the
            // checks after parsing are reached.
            let mut tables: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, String>> =
                Default::default();
            for ((table, k), v) in pairs {
                tables.entry(table).or_default().insert(k, v);
            }
            tables
                .into_iter()
                .map(|(t, kv)| {
                    let body: String = kv.into_iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
                    format!("[{t}]\n{body}")
                })
                .collect::<String>()
        }),
    ]
}
