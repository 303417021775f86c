//! Reading times typed by people: command-line flags, dashboard form fields
//! and dates in files.
//!
//! Used for the time points of docs/process.md "Time points T1–T4" (e.g. the
//! agreed visit time T3 of R5/R6/R10) and the durations of the configuration
//! (R1, R2, P1, P2, P4). Local times are read in the station's time zone.
//! Nothing here panics, whatever the input.

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The forms [`parse_when`] accepts, for help texts and error messages.
pub const ACCEPTED_FORMS: &str = "2026-11-26 14:30, 2026/11/26 9:30, 2026-11-26T14:30, \
14:30 (today), 今天 9:00 / today 9:00, 明天 9:00 / tomorrow 9:00, 后天 10:00, \
+2h / +30m / +1d / +1h30m, RFC 3339 (2026-11-26T14:30:00+08:00)";

/// The forms [`parse_datetime`] accepts.
pub const ABSOLUTE_FORMS: &str = "2026-11-26 09:30[:00], 2026/11/26 9:30[:00], \
2026-11-26T09:30[:00], RFC 3339 (2026-11-26T09:30:00+08:00), 2026-11-26 (= 00:00)";

/// The forms [`parse_duration`] accepts.
pub const DURATION_FORMS: &str = "e.g. 3h, 30m, 3h30m, 1d, 90s";

/// Why a time, date or duration could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum WhenError {
    /// Nothing was typed.
    #[error("no time given (accepted: {ACCEPTED_FORMS})")]
    Empty,
    /// The text is not one of the accepted forms.
    #[error("cannot read \"{0}\" as a time (accepted: {ACCEPTED_FORMS})")]
    Unrecognized(String),
    /// Not an absolute date and time.
    #[error("invalid date and time \"{0}\" (expected {ABSOLUTE_FORMS})")]
    InvalidDateTime(String),
    /// Not a date.
    #[error("invalid date \"{0}\" (expected 2026-11-26 or 2026/11/26)")]
    InvalidDate(String),
    /// Not a time of day.
    #[error("invalid time \"{0}\" (expected e.g. 09:00 or 17:30)")]
    InvalidTime(String),
    /// Not a duration.
    #[error("invalid duration \"{0}\" (expected {DURATION_FORMS})")]
    InvalidDuration(String),
    /// The local time is skipped by a clock change in the time zone.
    #[error("\"{0}\" does not exist in time zone {1} (clock change); choose another time")]
    NonexistentLocalTime(String, String),
    /// The moment is outside the representable range.
    #[error("\"{0}\" is out of range")]
    OutOfRange(String),
}

/// Reads a time typed by a person. Accepts the absolute forms of
/// [`parse_datetime`] plus `HH:MM` (today), `今天 HH:MM` / `today HH:MM`,
/// `明天 HH:MM` / `tomorrow HH:MM`, `后天 HH:MM`, and `+2h`, `+30m`, `+1d`,
/// `+1h30m` after `now`. Full-width digits, colons and letters and
/// surrounding whitespace are accepted. Local times are in `tz`; an
/// ambiguous local time takes the earlier moment, a nonexistent one is an
/// error.
pub fn parse_when(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(WhenError::Empty);
    }
    let shown = input.trim().to_string();
    if let Some(rest) = s.strip_prefix('+') {
        let d = duration_from(rest).ok_or_else(|| WhenError::InvalidDuration(shown.clone()))?;
        return now
            .checked_add_signed(d)
            .ok_or(WhenError::OutOfRange(shown));
    }
    const DAY_WORDS: &[(&str, i64)] = &[
        ("今天", 0),
        ("today", 0),
        ("明天", 1),
        ("tomorrow", 1),
        ("后天", 2),
        ("後天", 2),
    ];
    for &(word, offset) in DAY_WORDS {
        let Some(head) = s.get(..word.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(word) {
            continue;
        }
        let rest = s.get(word.len()..).unwrap_or("").trim();
        let time = time_from(rest).ok_or_else(|| WhenError::Unrecognized(shown.clone()))?;
        let date = local_date(now, tz)
            .and_then(|d| d.checked_add_signed(Duration::days(offset)))
            .ok_or_else(|| WhenError::OutOfRange(shown.clone()))?;
        return local_to_utc(date, time, tz, &shown);
    }
    if let Some(time) = time_from(&s) {
        let date = local_date(now, tz).ok_or_else(|| WhenError::OutOfRange(shown.clone()))?;
        return local_to_utc(date, time, tz, &shown);
    }
    match datetime_from(&s, tz, &shown) {
        Ok(t) => Ok(t),
        Err(e @ (WhenError::NonexistentLocalTime(..) | WhenError::OutOfRange(_))) => Err(e),
        Err(_) => Err(WhenError::Unrecognized(shown)),
    }
}

/// Reads an absolute date and time (files, imports): `2026-11-26 09:30[:00]`,
/// `2026/11/26 9:30[:00]`, `2026-11-26T09:30[:00]`, RFC 3339 with an offset,
/// or a bare date `2026-11-26` meaning 00:00. Local times are in `tz`.
pub fn parse_datetime(input: &str, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    let s = normalize(input);
    datetime_from(&s, tz, input.trim())
}

/// Reads a date: `2026-11-26` or `2026/11/26` (month and day may have one
/// digit).
pub fn parse_date(input: &str) -> Result<NaiveDate, WhenError> {
    let s = normalize(input);
    date_from(&s).ok_or_else(|| WhenError::InvalidDate(input.trim().to_string()))
}

/// Reads a time of day: `H:MM`, `HH:MM` or `HH:MM:SS` (working hours in
/// the configuration).
pub fn parse_time(input: &str) -> Result<NaiveTime, WhenError> {
    let s = normalize(input);
    time_from(&s).ok_or_else(|| WhenError::InvalidTime(input.trim().to_string()))
}

/// Reads a duration: one or more `<number><unit>` parts with units `d`,
/// `h`, `m`, `s` in that order, each at most once: `3h`, `30m`, `3h30m`,
/// `1d`, `90s`. Negative, empty, fractional and other input is an error.
pub fn parse_duration(input: &str) -> Result<Duration, WhenError> {
    let s = normalize(input);
    duration_from(&s).ok_or_else(|| WhenError::InvalidDuration(input.trim().to_string()))
}

/// Maps full-width ASCII (U+FF01–FF5E) and the ideographic space to ASCII,
/// and collapses runs of whitespace into one space.
fn normalize(input: &str) -> String {
    let mapped: String = input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a run of ASCII digits of the given length range.
fn number(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `H:MM`, `HH:MM` or `HH:MM:SS`.
fn time_from(s: &str) -> Option<NaiveTime> {
    let mut parts = s.split(':');
    let h = number(parts.next()?, 1, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let sec = match parts.next() {
        Some(p) => number(p, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`.
fn date_from(s: &str) -> Option<NaiveDate> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let y = number(parts.next()?, 4, 4)?;
    let m = number(parts.next()?, 1, 2)?;
    let d = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn datetime_from(s: &str, tz: Tz, shown: &str) -> Result<DateTime<Utc>, WhenError> {
    let invalid = || WhenError::InvalidDateTime(shown.to_string());
    if s.is_empty() {
        return Err(invalid());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(s, fmt) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let (date_part, time_part) = match s.split_once([' ', 'T', 't']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let date = date_from(date_part).ok_or_else(invalid)?;
    let time = match time_part {
        Some(t) => time_from(t).ok_or_else(invalid)?,
        None => NaiveTime::MIN,
    };
    local_to_utc(date, time, tz, shown)
}

/// `<n>d<n>h<n>m<n>s`, each part optional but at least one, in this order.
fn duration_from(s: &str) -> Option<Duration> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if s.is_empty() {
        return None;
    }
    const UNITS: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    let mut total: i64 = 0;
    let mut next_unit = 0usize;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            if digits.len() > 12 {
                return None;
            }
            continue;
        }
        if digits.is_empty() {
            return None;
        }
        let idx = UNITS.iter().position(|&(u, _)| u == c)?;
        if idx < next_unit {
            return None;
        }
        next_unit = idx + 1;
        let n: i64 = digits.parse().ok()?;
        total = total.checked_add(n.checked_mul(UNITS[idx].1)?)?;
        digits.clear();
    }
    if !digits.is_empty() {
        return None;
    }
    Duration::try_seconds(total)
}

/// The local date of `now` in `tz`, without overflowing at the ends of the
/// representable range.
fn local_date(now: DateTime<Utc>, tz: Tz) -> Option<NaiveDate> {
    let offset = tz.offset_from_utc_datetime(&now.naive_utc());
    let secs = chrono::Offset::fix(&offset).local_minus_utc();
    now.naive_utc()
        .checked_add_signed(Duration::seconds(i64::from(secs)))
        .map(|n| n.date())
}

fn local_to_utc(
    date: NaiveDate,
    time: NaiveTime,
    tz: Tz,
    shown: &str,
) -> Result<DateTime<Utc>, WhenError> {
    match tz.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Ok(a.min(b).with_timezone(&Utc)),
        LocalResult::None => Err(WhenError::NonexistentLocalTime(
            shown.to_string(),
            tz.name().to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SH: Tz = chrono_tz::Asia::Shanghai;

    fn sh(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        SH.with_ymd_and_hms(y, m, d, h, min, s)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Thursday 2026-11-26 10:15 in Shanghai.
    fn now() -> DateTime<Utc> {
        sh(2026, 11, 26, 10, 15, 0)
    }

    fn when(s: &str) -> Result<DateTime<Utc>, WhenError> {
        parse_when(s, now(), SH)
    }

    #[test]
    fn absolute_forms() {
        let want = sh(2026, 11, 26, 14, 30, 0);
        for s in [
            "2026-11-26 14:30",
            "2026-11-26 14:30:00",
            "2026/11/26 14:30",
            "2026-11-26T14:30",
            "2026-11-26T14:30:00",
            "2026-11-26T14:30:00+08:00",
            "2026-11-26T06:30:00Z",
            "2026-11-26T14:30+08:00",
            "  2026-11-26   14:30  ",
            "２０２６－１１－２６　１４：３０",
            "2026/11/26 14：30",
        ] {
            assert_eq!(when(s), Ok(want), "{s}");
            assert_eq!(parse_datetime(s, SH), Ok(want), "{s}");
        }
        assert_eq!(when("2026/11/26 9:30"), Ok(sh(2026, 11, 26, 9, 30, 0)));
        assert_eq!(when("2026/1/6 9:30:15"), Ok(sh(2026, 1, 6, 9, 30, 15)));
        assert_eq!(when("2026-11-26"), Ok(sh(2026, 11, 26, 0, 0, 0)));
        assert_eq!(
            parse_datetime("2026-11-26", SH),
            Ok(sh(2026, 11, 26, 0, 0, 0))
        );
    }

    #[test]
    fn time_of_day_forms() {
        assert_eq!(when("14:30"), Ok(sh(2026, 11, 26, 14, 30, 0)));
        assert_eq!(when("9:05"), Ok(sh(2026, 11, 26, 9, 5, 0)));
        assert_eq!(when("09:05:30"), Ok(sh(2026, 11, 26, 9, 5, 30)));
        assert_eq!(when("１４：３０"), Ok(sh(2026, 11, 26, 14, 30, 0)));
        assert_eq!(when("今天 16:00"), Ok(sh(2026, 11, 26, 16, 0, 0)));
        assert_eq!(when("today 16:00"), Ok(sh(2026, 11, 26, 16, 0, 0)));
        assert_eq!(when("Today 16:00"), Ok(sh(2026, 11, 26, 16, 0, 0)));
        assert_eq!(when("明天 9:00"), Ok(sh(2026, 11, 27, 9, 0, 0)));
        assert_eq!(when("明天9:00"), Ok(sh(2026, 11, 27, 9, 0, 0)));
        assert_eq!(when("明天　９：００"), Ok(sh(2026, 11, 27, 9, 0, 0)));
        assert_eq!(when("tomorrow 9:00"), Ok(sh(2026, 11, 27, 9, 0, 0)));
        assert_eq!(when("TOMORROW 09:00"), Ok(sh(2026, 11, 27, 9, 0, 0)));
        assert_eq!(when("后天 10:00"), Ok(sh(2026, 11, 28, 10, 0, 0)));
        // "Today" is the local date: 01:00 Shanghai is the previous UTC day.
        let early = sh(2026, 11, 26, 1, 0, 0);
        assert_eq!(
            parse_when("明天 9:00", early, SH),
            Ok(sh(2026, 11, 27, 9, 0, 0))
        );
        // Month end.
        let eom = sh(2026, 12, 31, 20, 0, 0);
        assert_eq!(
            parse_when("明天 9:00", eom, SH),
            Ok(sh(2027, 1, 1, 9, 0, 0))
        );
        assert_eq!(
            parse_when("后天 9:00", eom, SH),
            Ok(sh(2027, 1, 2, 9, 0, 0))
        );
    }

    #[test]
    fn relative_forms() {
        assert_eq!(when("+2h"), Ok(now() + Duration::hours(2)));
        assert_eq!(when("+30m"), Ok(now() + Duration::minutes(30)));
        assert_eq!(when("+1d"), Ok(now() + Duration::days(1)));
        assert_eq!(when("+1h30m"), Ok(now() + Duration::minutes(90)));
        assert_eq!(when("＋２ｈ"), Ok(now() + Duration::hours(2)));
        assert_eq!(when(" +1H "), Ok(now() + Duration::hours(1)));
    }

    #[test]
    fn when_errors() {
        assert_eq!(when(""), Err(WhenError::Empty));
        assert_eq!(when("   "), Err(WhenError::Empty));
        for s in [
            "soon",
            "25:00",
            "14:60",
            "14",
            "14:3",
            "明天",
            "明天 25:00",
            "yesterday 9:00",
            "2026-13-01 10:00",
            "2026-02-30",
            "2026-11-26 10",
            "2026-11-26 10:00 extra",
        ] {
            assert_eq!(when(s), Err(WhenError::Unrecognized(s.to_string())), "{s}");
        }
        assert_eq!(when("+"), Err(WhenError::InvalidDuration("+".into())));
        assert_eq!(when("+2x"), Err(WhenError::InvalidDuration("+2x".into())));
        assert_eq!(when("+-2h"), Err(WhenError::InvalidDuration("+-2h".into())));
        let msg = when("soon").unwrap_err().to_string();
        assert!(msg.contains("明天 9:00"), "{msg}");
        assert!(msg.contains("+2h"), "{msg}");
        assert!(msg.contains("RFC 3339"), "{msg}");
        assert!(when("").unwrap_err().to_string().contains("14:30"));
        // Out of range.
        assert_eq!(
            parse_when("+1d", DateTime::<Utc>::MAX_UTC, SH),
            Err(WhenError::OutOfRange("+1d".into()))
        );
        assert!(parse_when("明天 9:00", DateTime::<Utc>::MAX_UTC, SH).is_err());
        assert!(parse_when("9:00", DateTime::<Utc>::MAX_UTC, SH).is_err());
    }

    #[test]
    fn local_time_changes() {
        let ny = chrono_tz::America::New_York;
        // 2026-03-08 02:30 does not exist in New York.
        let e = parse_when("2026-03-08 02:30", now(), ny).unwrap_err();
        assert!(matches!(e, WhenError::NonexistentLocalTime(..)), "{e:?}");
        assert!(e.to_string().contains("America/New_York"));
        assert!(matches!(
            parse_datetime("2026-03-08 02:30", ny),
            Err(WhenError::NonexistentLocalTime(..))
        ));
        // 2026-11-01 01:30 happens twice: the earlier (EDT, -04:00) wins.
        assert_eq!(
            parse_datetime("2026-11-01 01:30", ny),
            Ok(Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap())
        );
    }

    #[test]
    fn datetime_errors() {
        for s in [
            "",
            "14:30",
            "明天 9:00",
            "+2h",
            "2026-11-26 25:00",
            "26/11/2026",
            "2026-11",
        ] {
            assert_eq!(
                parse_datetime(s, SH),
                Err(WhenError::InvalidDateTime(s.to_string())),
                "{s}"
            );
        }
        assert!(
            parse_datetime("x", SH)
                .unwrap_err()
                .to_string()
                .contains("2026-11-26 09:30")
        );
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(parse_date("2026-11-26"), Ok(d));
        assert_eq!(parse_date("2026/11/26"), Ok(d));
        assert_eq!(parse_date(" ２０２６/１１/２６ "), Ok(d));
        assert_eq!(
            parse_date("2026-1-6"),
            NaiveDate::from_ymd_opt(2026, 1, 6).ok_or(WhenError::Empty)
        );
        for s in [
            "",
            "2026-11",
            "2026-11-26 10:00",
            "2026-02-29",
            "26-11-26",
            "2026-11/26",
            "x",
            "2026-011-26",
        ] {
            assert_eq!(
                parse_date(s),
                Err(WhenError::InvalidDate(s.to_string())),
                "{s}"
            );
        }
        assert!(
            parse_date("x")
                .unwrap_err()
                .to_string()
                .contains("2026/11/26")
        );
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("09:00"),
            Ok(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
        );
        assert_eq!(
            parse_time("9:00"),
            Ok(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
        );
        assert_eq!(
            parse_time("17:30:15"),
            Ok(NaiveTime::from_hms_opt(17, 30, 15).unwrap())
        );
        assert_eq!(
            parse_time("１７：３０"),
            Ok(NaiveTime::from_hms_opt(17, 30, 0).unwrap())
        );
        for s in [
            "",
            "24:00",
            "9",
            "9:0",
            "09:60",
            "x",
            "09:00:00:00",
            "-1:00",
        ] {
            assert_eq!(
                parse_time(s),
                Err(WhenError::InvalidTime(s.to_string())),
                "{s}"
            );
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3h"), Ok(Duration::hours(3)));
        assert_eq!(parse_duration("30m"), Ok(Duration::minutes(30)));
        assert_eq!(parse_duration("3h30m"), Ok(Duration::minutes(210)));
        assert_eq!(parse_duration("3h 30m"), Ok(Duration::minutes(210)));
        assert_eq!(parse_duration("1d"), Ok(Duration::days(1)));
        assert_eq!(parse_duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(parse_duration("1d2h3m4s"), Ok(Duration::seconds(93_784)));
        assert_eq!(parse_duration("0m"), Ok(Duration::zero()));
        assert_eq!(parse_duration("３Ｈ"), Ok(Duration::hours(3)));
        for s in [
            "",
            " ",
            "-3h",
            "3",
            "h",
            "3x",
            "0.5h",
            "3h3h",
            "30m3h",
            "3hh",
            "+3h",
            "3 h x",
            "99999999999999999d",
        ] {
            assert_eq!(
                parse_duration(s),
                Err(WhenError::InvalidDuration(s.trim().to_string())),
                "{s}"
            );
        }
        assert_eq!(
            parse_duration("3x").unwrap_err().to_string(),
            "invalid duration \"3x\" (expected e.g. 3h, 30m, 3h30m, 1d, 90s)"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}", secs in -8_000_000_000i64..8_000_000_000) {
            let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
            let _ = parse_when(&s, now, SH);
            let _ = parse_datetime(&s, SH);
            let _ = parse_date(&s);
            let _ = parse_duration(&s);
        }

        #[test]
        fn never_panics_near_grammar(s in "[0-9０-９:：/+\\-Tt hmdsHMDS明天后今todayrw]{0,20}") {
            let _ = parse_when(&s, now(), SH);
            let _ = parse_when(&s, DateTime::<Utc>::MAX_UTC, SH);
            let _ = parse_when(&s, DateTime::<Utc>::MIN_UTC, SH);
            let _ = parse_datetime(&s, SH);
            let _ = parse_date(&s);
            let _ = parse_duration(&s);
        }

        #[test]
        fn time_of_day_round_trips(h in 0u32..24, m in 0u32..60) {
            let t = parse_when(&format!("{h}:{m:02}"), now(), SH).unwrap();
            let local = t.with_timezone(&SH);
            prop_assert_eq!(local.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
            prop_assert_eq!(local.time(), NaiveTime::from_hms_opt(h, m, 0).unwrap());
        }
    }
}
