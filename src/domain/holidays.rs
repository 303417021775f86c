//! Holiday tables: one a year, as data (docs/process.md "Working days"). The
//! mainland China years ship in `assets/calendar/cn-YYYY.toml`, embedded at
//! build time as the defaults; a station adds a year through `[calendar]`
//! in its configuration (the file is read at the edge and its text handed
//! to [`parse_year`]). The format is in `docs/deadlines.md`.
//!
//! Pure: parsing text, no I/O.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

/// The public holidays and the weekend days worked (调休) of one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearTable {
    pub year: i32,
    /// Days off.
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days declared working days.
    pub workdays: BTreeSet<NaiveDate>,
}

/// The mainland China tables shipped with the program, one file a year.
const CN_FILES: &[(&str, &str)] = &[
    (
        "assets/calendar/cn-2025.toml",
        include_str!("../../assets/calendar/cn-2025.toml"),
    ),
    (
        "assets/calendar/cn-2026.toml",
        include_str!("../../assets/calendar/cn-2026.toml"),
    ),
];

static CN: LazyLock<Vec<YearTable>> = LazyLock::new(|| {
    CN_FILES
        .iter()
        .filter_map(|(_, text)| parse_year(text).ok())
        .collect()
});

/// The built-in mainland China tables (every shipped file parses: tested).
pub fn cn() -> &'static [YearTable] {
    &CN
}

/// A holiday table that cannot be used: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct TableError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    pub message: String,
}

/// A year table as written (in its own file, or inline in the
/// configuration); spans are offsets in the text it was read from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYear {
    year: Spanned<i64>,
    #[serde(default)]
    holidays: Vec<Spanned<RawHoliday>>,
    #[serde(default)]
    workdays: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHoliday {
    #[allow(dead_code)] // shown to people reading the file
    name: Option<String>,
    from: Spanned<String>,
    to: Option<Spanned<String>>,
}

/// Parses one year's table (the text of a `cn-YYYY.toml` file, or of an
/// inline `[[calendar.year]]` table). Every date must lie in `year`; a
/// range runs forwards and is at most 31 days.
pub fn parse_year(text: &str) -> Result<YearTable, TableError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawYear = toml::from_str(text).map_err(|e| {
        let (line, column) = line_column(text, e.span().map_or(0, |s| s.start));
        TableError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    check(&raw, text)
}

/// Checks a table read from `text` (its spans point into it).
pub fn check(raw: &RawYear, text: &str) -> Result<YearTable, TableError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        TableError {
            line,
            column,
            message,
        }
    };
    let year = i32::try_from(*raw.year.get_ref())
        .ok()
        .filter(|y| (2000..=2099).contains(y))
        .ok_or_else(|| {
            at(
                raw.year.span().start,
                format!("year {}: expected 2000–2099", raw.year.get_ref()),
            )
        })?;
    let date = |s: &Spanned<String>| -> Result<NaiveDate, TableError> {
        let d = NaiveDate::parse_from_str(s.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
            at(
                s.span().start,
                format!("\"{}\": expected a date YYYY-MM-DD", s.get_ref()),
            )
        })?;
        if d.year() != year {
            return Err(at(
                s.span().start,
                format!("{d} is not in {year}, the year of this table"),
            ));
        }
        Ok(d)
    };
    let mut holidays = BTreeSet::new();
    for h in &raw.holidays {
        let from = date(&h.get_ref().from)?;
        let to = match &h.get_ref().to {
            Some(t) => date(t)?,
            None => from,
        };
        let days = (to - from).num_days();
        if !(0..31).contains(&days) {
            return Err(at(
                h.span().start,
                format!("{from} to {to}: expected a range forwards of at most 31 days"),
            ));
        }
        holidays.extend(from.iter_days().take(days as usize + 1));
    }
    let mut workdays = BTreeSet::new();
    for w in &raw.workdays {
        workdays.insert(date(w)?);
    }
    Ok(YearTable {
        year,
        holidays,
        workdays,
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = text.get(..at).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_shipped_file_parses_and_matches_its_name() {
        for (path, text) in CN_FILES {
            let t = parse_year(text).unwrap_or_else(|e| panic!("{path}:{e}"));
            assert!(path.ends_with(&format!("cn-{}.toml", t.year)), "{path}");
        }
        assert_eq!(cn().len(), CN_FILES.len());
    }

    /// The shipped files say what docs/process.md's table says.
    #[test]
    fn shipped_tables_match_the_process_table() {
        let y2026 = cn().iter().find(|t| t.year == 2026).unwrap();
        assert_eq!(y2026.holidays.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert!(y2026.holidays.contains(&d(2026, 2, 23)));
        assert!(!y2026.holidays.contains(&d(2026, 2, 24)));
        assert_eq!(y2026.workdays.len(), 6);
        let y2025 = cn().iter().find(|t| t.year == 2025).unwrap();
        assert_eq!(y2025.holidays.len(), 1 + 8 + 3 + 5 + 3 + 8);
        assert!(y2025.workdays.contains(&d(2025, 10, 11)));
    }

    #[test]
    fn bad_tables_name_line_and_column() {
        let cases = [
            (
                "year = 2027\nworkdays = [\"2027-02-30\"]\n",
                2,
                "expected a date",
            ),
            (
                "year = 2027\nworkdays = [\"2026-12-31\"]\n",
                2,
                "not in 2027",
            ),
            (
                "year = 2027\nholidays = [\n  { from = \"2027-02-10\", to = \"2027-02-01\" },\n]\n",
                3,
                "range forwards",
            ),
            ("year = 2027\nholiday = []\n", 2, "unknown field"),
            ("year = 1999\n", 1, "2000–2099"),
            ("holidays = []\n", 1, "missing field `year`"),
        ];
        for (text, line, what) in cases {
            let e = parse_year(text).unwrap_err();
            assert_eq!(e.line, line, "{text}: {e}");
            assert!(e.message.contains(what), "{text}: {e}");
        }
    }

    #[test]
    fn a_year_with_one_day_ranges_and_no_workdays() {
        let t = parse_year(
            "year = 2027\nholidays = [{ from = \"2027-01-01\" }, { name = \"春节\", from = \"2027-02-06\", to = \"2027-02-12\" }]\n",
        )
        .unwrap();
        assert_eq!(t.holidays.len(), 8);
        assert!(t.workdays.is_empty());
    }
}
