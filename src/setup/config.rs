//! The station configuration file (docs/interface.md "Configuration (TOML)").
//!
//! Every table and key is optional; missing ones take the defaults of
//! docs/interface.md (the docs/process.md values). A bad file is an error naming the
//! file, line, column and dotted key; it is never silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::domain::calendar::Builtin;
use crate::domain::holidays::{self, RawYear, YearTable};
use crate::domain::settings::{CalendarSettings, ClockKind, Settings, Sla, SlaClocks, Station};
use crate::domain::when::{self, DURATION_FORMS};

/// What the configuration file says: the station's policy, and the
/// dashboard's key overrides (which no decision needs, so they travel apart).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// `[station]`, `[calendar]`, `[sla]`.
    pub settings: Settings,
    /// `[keys]`: dashboard action name → key; checked at start-up by the
    /// command line against the dashboard's actions (`tui::keymap`).
    pub keys: BTreeMap<String, String>,
    /// Where each `[keys]` entry is written: line and column (1-based), for
    /// errors found in it.
    pub key_positions: BTreeMap<String, (usize, usize)>,
    /// `[dashboard]`.
    pub dashboard: DashboardSettings,
    /// The file names the station (`[station] code`), rather than leaving
    /// the default: a region's desk on a shared database then works on that
    /// station only, otherwise on every station.
    pub station_named: bool,
}

/// `[dashboard]`: how the dashboard uses the terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardSettings {
    /// Whether the dashboard takes the mouse at start (`m` toggles it). Off,
    /// the terminal's own drag-to-select works (to copy a phone number).
    pub mouse: bool,
}

impl Default for DashboardSettings {
    fn default() -> Self {
        DashboardSettings { mouse: true }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a bad key or value.
    #[error("{}:{line}:{column}: {}", .path.display(), key_and_message(.key, .message))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// Dotted key, e.g. `sla.contact_warn` (empty for syntax errors).
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// `sla.contact_warn` + message → `[sla] contact_warn: message`.
fn key_and_message(key: &str, message: &str) -> String {
    match key.rsplit_once('.') {
        Some((table, leaf)) => format!("[{table}] {leaf}: {message}"),
        None if key.is_empty() => message.to_string(),
        None => format!("{key}: {message}"),
    }
}

impl Config {
    /// Reads and checks a configuration file. A missing file is an
    /// [`ConfigError::Io`] error; the caller decides about absent defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml_str(&text, path)
    }

    /// Parses and checks configuration text; `origin` names the file in
    /// errors.
    pub fn from_toml_str(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let ctx = Ctx { text, origin };
        let doc = DeTable::parse(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ctx.error(at, "", e.message().trim())
        })?;
        let raw: RawSettings = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            let key = key_path(doc.get_ref(), at)
                .map(|p| p.join("."))
                .unwrap_or_default();
            ctx.error(at, &key, e.message().trim())
        })?;
        ctx.settings(raw)
    }
}

// ---------------------------------------------------------------------------
// Raw file layout: every key optional, unknown keys refused, spans kept.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawSettings {
    station: Option<RawStation>,
    calendar: Option<RawCalendar>,
    sla: Option<RawSla>,
    keys: Option<BTreeMap<String, Spanned<String>>>,
    dashboard: Option<RawDashboard>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawDashboard {
    mouse: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawStation {
    code: Option<Spanned<String>>,
    name: Option<String>,
    timezone: Option<Spanned<String>>,
    coverage: Option<Vec<String>>,
    sites: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawCalendar {
    builtin: Option<Spanned<String>>,
    work_hours: Option<Spanned<Vec<Spanned<String>>>>,
    holidays: Option<Vec<Spanned<String>>>,
    workdays: Option<Vec<Spanned<String>>>,
    /// Holiday table files, one a year, relative to the configuration file.
    year_files: Option<Vec<Spanned<String>>>,
    /// Holiday tables written inline.
    year: Option<Vec<Spanned<RawYear>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawSla {
    contact_warn: Option<Spanned<String>>,
    contact_breach: Option<Spanned<String>>,
    unreachable_after: Option<Spanned<String>>,
    chase_calls_per_day: Option<Spanned<i64>>,
    chase_days: Option<Spanned<i64>>,
    cancel_after_workdays: Option<Spanned<f64>>,
    special_notify_workdays: Option<Spanned<f64>>,
    decision_wait_workdays: Option<Spanned<f64>>,
    untaken_lead: Option<Spanned<String>>,
    untaken_escalate: Option<Spanned<String>>,
    no_progress: Option<Spanned<String>>,
    emergency_response: Option<Spanned<String>>,
    promise_warn: Option<Spanned<String>>,
    clocks: Option<RawClocks>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a table")]
struct RawClocks {
    contact: Option<ClockKind>,
    unreachable: Option<ClockKind>,
    untaken: Option<ClockKind>,
    no_progress: Option<ClockKind>,
    emergency: Option<ClockKind>,
}

/// The dotted key whose name or value covers byte `offset`.
fn key_path(table: &DeTable<'_>, offset: usize) -> Option<Vec<String>> {
    for (k, v) in table.iter() {
        if k.span().contains(&offset) {
            return Some(vec![k.get_ref().to_string()]);
        }
        if let Some(mut rest) = value_path(v, offset) {
            rest.insert(0, k.get_ref().to_string());
            return Some(rest);
        }
    }
    None
}

fn value_path(v: &Spanned<DeValue<'_>>, offset: usize) -> Option<Vec<String>> {
    match v.get_ref() {
        DeValue::Table(t) => {
            if let Some(p) = key_path(t, offset) {
                return Some(p);
            }
        }
        DeValue::Array(items) => {
            for item in items.iter() {
                if let Some(p) = value_path(item, offset) {
                    return Some(p);
                }
            }
        }
        _ => {}
    }
    v.span().contains(&offset).then(Vec::new)
}

/// The file being checked, for error positions.
struct Ctx<'a> {
    text: &'a str,
    origin: &'a Path,
}

impl Ctx<'_> {
    fn error(&self, offset: usize, key: &str, message: &str) -> ConfigError {
        let (line, column) = line_column(self.text, offset);
        ConfigError::Invalid {
            path: self.origin.to_path_buf(),
            line,
            column,
            key: key.to_string(),
            message: message.to_string(),
        }
    }

    fn duration(
        &self,
        value: Option<Spanned<String>>,
        key: &str,
        default: Duration,
    ) -> Result<Duration, ConfigError> {
        let Some(v) = value else {
            return Ok(default);
        };
        let d = when::parse_duration(v.get_ref()).map_err(|_| {
            self.error(
                v.span().start,
                key,
                &format!(
                    "invalid duration \"{}\" (expected {DURATION_FORMS})",
                    v.get_ref()
                ),
            )
        })?;
        if d <= Duration::zero() {
            return Err(self.error(v.span().start, key, "must be longer than zero"));
        }
        Ok(d)
    }

    fn workdays(
        &self,
        value: Option<Spanned<f64>>,
        key: &str,
        default: f64,
    ) -> Result<f64, ConfigError> {
        let Some(v) = value else {
            return Ok(default);
        };
        let x = *v.get_ref();
        if !x.is_finite() || x <= 0.0 || x > 3650.0 {
            return Err(self.error(
                v.span().start,
                key,
                &format!("{x} working days: expected a number above 0 (e.g. 5 or 0.5)"),
            ));
        }
        Ok(x)
    }

    fn count(
        &self,
        value: Option<Spanned<i64>>,
        key: &str,
        min: i64,
        default: u32,
    ) -> Result<u32, ConfigError> {
        let Some(v) = value else {
            return Ok(default);
        };
        let n = *v.get_ref();
        if n < min {
            return Err(self.error(v.span().start, key, &format!("{n}: must be at least {min}")));
        }
        u32::try_from(n).map_err(|_| self.error(v.span().start, key, &format!("{n}: too large")))
    }

    fn dates(
        &self,
        value: Option<Vec<Spanned<String>>>,
        key: &str,
    ) -> Result<Vec<NaiveDate>, ConfigError> {
        value
            .unwrap_or_default()
            .iter()
            .map(|d| {
                when::parse_date(d.get_ref())
                    .map_err(|e| self.error(d.span().start, key, &e.to_string()))
            })
            .collect()
    }

    fn settings(&self, raw: RawSettings) -> Result<Config, ConfigError> {
        let station_named = raw.station.as_ref().is_some_and(|s| s.code.is_some());
        Ok(Config {
            station_named,
            settings: Settings {
                station: self.station(raw.station.unwrap_or_default())?,
                calendar: self.calendar(raw.calendar.unwrap_or_default())?,
                sla: self.sla(raw.sla.unwrap_or_default())?,
            },
            key_positions: raw
                .keys
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), line_column(self.text, v.span().start)))
                .collect(),
            keys: raw
                .keys
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect(),
            dashboard: DashboardSettings {
                mouse: raw
                    .dashboard
                    .and_then(|d| d.mouse)
                    .unwrap_or(DashboardSettings::default().mouse),
            },
        })
    }

    fn station(&self, raw: RawStation) -> Result<Station, ConfigError> {
        let def = Station::default();
        let code = match raw.code {
            Some(c) if c.get_ref().trim().is_empty() => {
                return Err(self.error(c.span().start, "station.code", "must not be empty"));
            }
            // A region's desk names a ticket STATION/NUMBER.
            Some(c) if c.get_ref().contains('/') => {
                return Err(self.error(c.span().start, "station.code", "must not contain '/'"));
            }
            Some(c) => c.into_inner().trim().to_string(),
            None => def.code,
        };
        let timezone = match raw.timezone {
            Some(tz) => tz.get_ref().trim().parse::<Tz>().map_err(|_| {
                self.error(
                    tz.span().start,
                    "station.timezone",
                    &format!(
                        "unknown time zone \"{}\" (expected an IANA name such as Asia/Shanghai)",
                        tz.get_ref()
                    ),
                )
            })?,
            None => def.timezone,
        };
        let sites = match raw.sites {
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(self.error(
                        list.span().start,
                        "station.sites",
                        "at least one site is needed (e.g. [\"总站\"])",
                    ));
                }
                let mut out = Vec::new();
                for s in list.get_ref() {
                    if s.get_ref().trim().is_empty() {
                        return Err(self.error(
                            s.span().start,
                            "station.sites",
                            "site names must not be empty",
                        ));
                    }
                    out.push(s.get_ref().trim().to_string());
                }
                out
            }
            None => def.sites,
        };
        Ok(Station {
            code,
            name: raw.name.unwrap_or(def.name),
            timezone,
            coverage: raw.coverage.unwrap_or(def.coverage),
            sites,
        })
    }

    fn calendar(&self, raw: RawCalendar) -> Result<CalendarSettings, ConfigError> {
        let def = CalendarSettings::default();
        let builtin = match raw.builtin {
            Some(b) => match b.get_ref().trim().to_ascii_lowercase().as_str() {
                "cn" => Builtin::Cn,
                "none" => Builtin::None,
                other => {
                    return Err(self.error(
                        b.span().start,
                        "calendar.builtin",
                        &format!("unknown calendar \"{other}\" (expected \"cn\" or \"none\")"),
                    ));
                }
            },
            None => def.builtin,
        };
        let (work_start, work_end) = match raw.work_hours {
            Some(hours) => {
                let key = "calendar.work_hours";
                let [start, end] = hours.get_ref().as_slice() else {
                    return Err(self.error(
                        hours.span().start,
                        key,
                        "expected a start and an end time, e.g. [\"09:00\", \"17:30\"]",
                    ));
                };
                let time = |t: &Spanned<String>| {
                    when::parse_time(t.get_ref())
                        .map_err(|e| self.error(t.span().start, key, &e.to_string()))
                };
                let (s, e) = (time(start)?, time(end)?);
                if e <= s {
                    return Err(self.error(
                        end.span().start,
                        key,
                        &format!(
                            "end {} is not after start {}",
                            e.format("%H:%M"),
                            s.format("%H:%M")
                        ),
                    ));
                }
                (s, e)
            }
            None => (def.work_start, def.work_end),
        };
        let tables = self.year_tables(raw.year_files, raw.year)?;
        Ok(CalendarSettings {
            builtin,
            work_start,
            work_end,
            holidays: self.dates(raw.holidays, "calendar.holidays")?,
            workdays: self.dates(raw.workdays, "calendar.workdays")?,
            tables,
        })
    }

    /// `year_files` (read now, relative to this file's folder) and inline
    /// `[[calendar.year]]` tables; a year given twice is an error.
    fn year_tables(
        &self,
        files: Option<Vec<Spanned<String>>>,
        inline: Option<Vec<Spanned<RawYear>>>,
    ) -> Result<Vec<YearTable>, ConfigError> {
        let mut out: Vec<(YearTable, usize)> = Vec::new();
        let base = self.origin.parent().unwrap_or(Path::new(""));
        for f in files.unwrap_or_default() {
            let path = base.join(f.get_ref().trim());
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
                path: path.clone(),
                source,
            })?;
            let table = holidays::parse_year(&text).map_err(|e| ConfigError::Invalid {
                path: path.clone(),
                line: e.line,
                column: e.column,
                key: String::new(),
                message: e.message,
            })?;
            out.push((table, f.span().start));
        }
        for raw in inline.unwrap_or_default() {
            let table =
                holidays::check(raw.get_ref(), self.text).map_err(|e| ConfigError::Invalid {
                    path: self.origin.to_path_buf(),
                    line: e.line,
                    column: e.column,
                    key: "calendar.year".into(),
                    message: e.message,
                })?;
            out.push((table, raw.span().start));
        }
        for (i, (t, at)) in out.iter().enumerate() {
            if out[..i].iter().any(|(u, _)| u.year == t.year) {
                return Err(self.error(
                    *at,
                    "calendar.year",
                    &format!("the holiday table of {} is given twice", t.year),
                ));
            }
        }
        Ok(out.into_iter().map(|(t, _)| t).collect())
    }

    fn sla(&self, raw: RawSla) -> Result<Sla, ConfigError> {
        let def = Sla::default();
        let warn_span = raw.contact_warn.as_ref().map(|v| v.span().start);
        let contact_warn = self.duration(raw.contact_warn, "sla.contact_warn", def.contact_warn)?;
        let contact_breach =
            self.duration(raw.contact_breach, "sla.contact_breach", def.contact_breach)?;
        if contact_warn > contact_breach {
            return Err(self.error(
                warn_span.unwrap_or(0),
                if warn_span.is_some() {
                    "sla.contact_warn"
                } else {
                    "sla.contact_breach"
                },
                "contact_warn must not be longer than contact_breach",
            ));
        }
        let clocks = raw.clocks.unwrap_or_default();
        Ok(Sla {
            contact_warn,
            contact_breach,
            unreachable_after: self.duration(
                raw.unreachable_after,
                "sla.unreachable_after",
                def.unreachable_after,
            )?,
            chase_calls_per_day: self.count(
                raw.chase_calls_per_day,
                "sla.chase_calls_per_day",
                1,
                def.chase_calls_per_day,
            )?,
            chase_days: self.count(raw.chase_days, "sla.chase_days", 0, def.chase_days)?,
            cancel_after_workdays: self.workdays(
                raw.cancel_after_workdays,
                "sla.cancel_after_workdays",
                def.cancel_after_workdays,
            )?,
            special_notify_workdays: self.workdays(
                raw.special_notify_workdays,
                "sla.special_notify_workdays",
                def.special_notify_workdays,
            )?,
            decision_wait_workdays: self.workdays(
                raw.decision_wait_workdays,
                "sla.decision_wait_workdays",
                def.decision_wait_workdays,
            )?,
            untaken_lead: self.duration(raw.untaken_lead, "sla.untaken_lead", def.untaken_lead)?,
            untaken_escalate: self.duration(
                raw.untaken_escalate,
                "sla.untaken_escalate",
                def.untaken_escalate,
            )?,
            no_progress: self.duration(raw.no_progress, "sla.no_progress", def.no_progress)?,
            emergency_response: self.duration(
                raw.emergency_response,
                "sla.emergency_response",
                def.emergency_response,
            )?,
            promise_warn: self.duration(raw.promise_warn, "sla.promise_warn", def.promise_warn)?,
            clocks: SlaClocks {
                contact: clocks.contact.unwrap_or(def.clocks.contact),
                unreachable: clocks.unreachable.unwrap_or(def.clocks.unreachable),
                untaken: clocks.untaken.unwrap_or(def.clocks.untaken),
                no_progress: clocks.no_progress.unwrap_or(def.clocks.no_progress),
                emergency: clocks.emergency.unwrap_or(def.clocks.emergency),
            },
        })
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
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
    use chrono::{DateTime, NaiveTime, TimeZone, Utc};

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
    }

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        parse_config(text).map(|c| c.settings)
    }

    fn parse_config(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_str(text, Path::new("config.toml"))
    }

    /// Parses expecting an error; returns (line, column, key, display).
    fn fail(text: &str) -> (usize, usize, String, String) {
        match parse(text) {
            Err(e @ ConfigError::Invalid { .. }) => {
                let shown = e.to_string();
                match e {
                    ConfigError::Invalid {
                        line, column, key, ..
                    } => (line, column, key, shown),
                    ConfigError::Io { .. } => unreachable!(),
                }
            }
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    const FULL: &str = r#"
# Station configuration
[station]
code = "BJ-0101"
name = "北京海淀维修站"
timezone = "Asia/Shanghai"
coverage = ["海淀区", "朝阳区"]
sites = ["总站", "西站"]

[calendar]
builtin = "cn"
work_hours = ["08:30", "18:00"]
holidays = ["2026-12-31"]
workdays = ["2026/12/27"]

[sla]
contact_warn = "2h30m"
contact_breach = "4h"
unreachable_after = "3h30m"
chase_calls_per_day = 8
chase_days = 2
cancel_after_workdays = 4
special_notify_workdays = 0.5
untaken_escalate = "10m"
no_progress = "90m"
emergency_response = "20m"
promise_warn = "45m"

[sla.clocks]
contact = "working"
unreachable = "wall"
untaken = "working"
no_progress = "wall"
emergency = "wall"

[keys]
dispatch = "d"
call = "c"

[dashboard]
mouse = false
"#;

    #[test]
    fn defaults() {
        let s = Settings::default();
        assert!(
            Config::default().dashboard.mouse,
            "the dashboard takes the mouse by default"
        );
        assert_eq!(s.station.code, "ST");
        assert_eq!(s.station.name, "维修站");
        assert_eq!(s.station.timezone, chrono_tz::Asia::Shanghai);
        assert!(s.station.coverage.is_empty());
        assert_eq!(s.station.sites, vec!["总站".to_string()]);
        assert_eq!(s.calendar.builtin, Builtin::Cn);
        assert_eq!(s.calendar.work_start, hm(9, 0));
        assert_eq!(s.calendar.work_end, hm(17, 30));
        assert_eq!(s.sla.contact_warn, Duration::hours(3));
        assert_eq!(s.sla.contact_breach, Duration::hours(4));
        assert_eq!(s.sla.unreachable_after, Duration::minutes(210));
        assert_eq!(s.sla.chase_calls_per_day, 6);
        assert_eq!(s.sla.chase_days, 3);
        assert_eq!(s.sla.cancel_after_workdays, 5.0);
        assert_eq!(s.sla.special_notify_workdays, 0.5);
        assert_eq!(s.sla.untaken_escalate, Duration::minutes(5));
        assert_eq!(s.sla.no_progress, Duration::hours(2));
        assert_eq!(s.sla.emergency_response, Duration::minutes(30));
        assert_eq!(s.sla.promise_warn, Duration::hours(1));
        assert_eq!(s.sla.clocks, SlaClocks::default());
        assert_eq!(s.sla.clocks.contact, ClockKind::Wall);
        assert!(Config::default().keys.is_empty());
        // An empty file and empty tables give the defaults.
        assert_eq!(parse("").unwrap(), s);
        assert_eq!(parse("\u{feff}").unwrap(), s);
        assert_eq!(
            parse("[station]\n[calendar]\n[sla]\n[sla.clocks]\n[keys]\n").unwrap(),
            s
        );
        assert_eq!(s.calendar().day_length(), Duration::minutes(510));
    }

    #[test]
    fn interface_example_gives_defaults() {
        let text = r#"
[station]
code = "ST"
name = "维修站"
timezone = "Asia/Shanghai"
coverage = []
sites = ["总站"]

[calendar]
builtin = "cn"                    # the calendars of docs/process.md
work_hours = ["09:00", "17:30"]
holidays = []
workdays = []

[sla]
contact_warn = "3h"
contact_breach = "4h"
unreachable_after = "3h30m"
chase_calls_per_day = 6
chase_days = 3
cancel_after_workdays = 5
special_notify_workdays = 0.5
untaken_escalate = "5m"
no_progress = "2h"
emergency_response = "30m"
"#;
        assert_eq!(parse(text).unwrap(), Settings::default());
    }

    #[test]
    fn full_file() {
        let s = parse(FULL).unwrap();
        assert!(!parse_config(FULL).unwrap().dashboard.mouse);
        assert_eq!(s.station.code, "BJ-0101");
        assert_eq!(s.station.name, "北京海淀维修站");
        assert_eq!(s.station.coverage, vec!["海淀区", "朝阳区"]);
        assert_eq!(s.station.sites, vec!["总站", "西站"]);
        assert_eq!(s.calendar.work_start, hm(8, 30));
        assert_eq!(s.calendar.work_end, hm(18, 0));
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(s.calendar.holidays, vec![d(2026, 12, 31)]);
        assert_eq!(s.calendar.workdays, vec![d(2026, 12, 27)]);
        assert_eq!(s.sla.contact_warn, Duration::minutes(150));
        assert_eq!(s.sla.chase_calls_per_day, 8);
        assert_eq!(s.sla.chase_days, 2);
        assert_eq!(s.sla.cancel_after_workdays, 4.0);
        assert_eq!(s.sla.untaken_escalate, Duration::minutes(10));
        assert_eq!(s.sla.no_progress, Duration::minutes(90));
        assert_eq!(s.sla.emergency_response, Duration::minutes(20));
        assert_eq!(s.sla.promise_warn, Duration::minutes(45));
        assert_eq!(s.sla.clocks.contact, ClockKind::Working);
        assert_eq!(s.sla.clocks.untaken, ClockKind::Working);
        assert_eq!(s.sla.clocks.emergency, ClockKind::Wall);
        let keys = parse_config(FULL).unwrap().keys;
        assert_eq!(keys.get("dispatch").map(String::as_str), Some("d"));
        assert_eq!(keys.len(), 2);
        let cal = s.calendar();
        assert_eq!(cal.day_length(), Duration::minutes(570));
        assert!(!cal.is_working_day(d(2026, 12, 31)));
        assert!(cal.is_working_day(d(2026, 12, 27)));
    }

    #[test]
    fn other_builtin_and_time_zone() {
        let s = parse("[station]\ntimezone = \"Asia/Urumqi\"\n[calendar]\nbuiltin = \"none\"\n")
            .unwrap();
        assert_eq!(s.station.timezone, chrono_tz::Asia::Urumqi);
        assert_eq!(s.calendar.builtin, Builtin::None);
        assert!(
            s.calendar()
                .is_working_day(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())
        );
    }

    #[test]
    fn deadlines() {
        let s = Settings::default();
        let cal = s.calendar();
        // Friday 2026-11-27 16:00 Shanghai.
        let from = chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 11, 27, 16, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            s.sla
                .deadline(&cal, ClockKind::Wall, from, s.sla.contact_breach),
            from + Duration::hours(4)
        );
        let monday = chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 11, 30, 11, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            s.sla
                .deadline(&cal, ClockKind::Working, from, s.sla.contact_breach),
            monday
        );
        assert_eq!(
            s.sla.deadline(
                &cal,
                ClockKind::Wall,
                DateTime::<Utc>::MAX_UTC,
                Duration::hours(1)
            ),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn bad_duration() {
        let (line, col, key, shown) = fail("[sla]\n\ncontact_warn = \"3x\"\n");
        assert_eq!((line, col), (3, 16));
        assert_eq!(key, "sla.contact_warn");
        assert_eq!(
            shown,
            "config.toml:3:16: [sla] contact_warn: invalid duration \"3x\" (expected e.g. 3h, 30m, 3h30m, 1d, 90s)"
        );
        let (line, _, key, _) = fail("[sla]\nno_progress = \"0m\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.no_progress"));
        let (line, _, key, _) = fail("[sla]\nuntaken_escalate = \"-5m\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.untaken_escalate"));
        let (line, _, key, shown) = fail("[sla]\ncontact_warn = \"5h\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.contact_warn"));
        assert!(shown.contains("contact_breach"), "{shown}");
    }

    #[test]
    fn unknown_keys() {
        let (line, col, key, shown) = fail("[sla]\ncontact_warn = \"3h\"\nbogus = 1\n");
        assert_eq!((line, col), (3, 1));
        assert_eq!(key, "sla.bogus");
        assert!(
            shown.starts_with("config.toml:3:1: [sla] bogus: unknown field `bogus`"),
            "{shown}"
        );
        let (line, _, key, _) = fail("[bogus]\nx = 1\n");
        assert_eq!((line, key.as_str()), (1, "bogus"));
        let (line, _, key, _) = fail("\n[sla.clocks]\ncontacts = \"wall\"\n");
        assert_eq!((line, key.as_str()), (3, "sla.clocks.contacts"));
        let (line, _, key, _) = fail("[station]\ncode = \"X\"\nzone = \"Asia/Shanghai\"\n");
        assert_eq!((line, key.as_str()), (3, "station.zone"));
        let (line, _, key, _) = fail("[calendar]\nwork_hour = []\n");
        assert_eq!((line, key.as_str()), (2, "calendar.work_hour"));
    }

    #[test]
    fn wrong_types() {
        let (line, _, key, shown) = fail("[sla]\nchase_calls_per_day = \"six\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.chase_calls_per_day"));
        assert!(
            shown.contains("[sla] chase_calls_per_day: invalid type"),
            "{shown}"
        );
        let (line, _, key, _) = fail("[station]\nsites = [\"a\", 3]\n");
        assert_eq!((line, key.as_str()), (2, "station.sites"));
        let (line, _, key, _) = fail("[station]\ncode = 1\n");
        assert_eq!((line, key.as_str()), (2, "station.code"));
        let (line, _, key, shown) = fail("sla = 3\n");
        assert_eq!((line, key.as_str()), (1, "sla"));
        assert!(shown.contains("expected a table"), "{shown}");
        let (line, _, key, _) = fail("[sla]\nclocks = { contact = 3 }\n");
        assert_eq!((line, key.as_str()), (2, "sla.clocks.contact"));
        let (line, _, key, shown) = fail("[sla.clocks]\nemergency = \"sometimes\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.clocks.emergency"));
        assert!(shown.contains("wall"), "{shown}");
        let (line, _, key, _) = fail("[sla]\ncancel_after_workdays = \"5\"\n");
        assert_eq!((line, key.as_str()), (2, "sla.cancel_after_workdays"));
        let (line, _, key, _) = fail("[keys]\ndispatch = 4\n");
        assert_eq!((line, key.as_str()), (2, "keys.dispatch"));
        let (line, _, key, _) = fail("[calendar]\nholidays = [2026-10-01]\n");
        assert_eq!((line, key.as_str()), (2, "calendar.holidays"));
    }

    #[test]
    fn bad_values() {
        let (line, _, key, shown) = fail("[sla]\nchase_calls_per_day = 0\n");
        assert_eq!((line, key.as_str()), (2, "sla.chase_calls_per_day"));
        assert!(shown.contains("at least 1"), "{shown}");
        let (line, _, key, _) = fail("[sla]\nchase_days = -1\n");
        assert_eq!((line, key.as_str()), (2, "sla.chase_days"));
        let (line, _, key, _) = fail("[sla]\nchase_days = 99999999999\n");
        assert_eq!((line, key.as_str()), (2, "sla.chase_days"));
        let (line, _, key, _) = fail("[sla]\nspecial_notify_workdays = 0\n");
        assert_eq!((line, key.as_str()), (2, "sla.special_notify_workdays"));
        let (line, _, key, _) = fail("[sla]\ncancel_after_workdays = nan\n");
        assert_eq!((line, key.as_str()), (2, "sla.cancel_after_workdays"));
        let (line, col, key, shown) = fail("[station]\ntimezone = \"Mars/Olympus\"\n");
        assert_eq!((line, col, key.as_str()), (2, 12, "station.timezone"));
        assert!(shown.contains("Mars/Olympus"), "{shown}");
        let (line, _, key, _) = fail("[station]\ncode = \" \"\n");
        assert_eq!((line, key.as_str()), (2, "station.code"));
        let (line, _, key, shown) = fail("[station]\ncode = \"BJ/01\"\n");
        assert_eq!((line, key.as_str()), (2, "station.code"));
        assert!(shown.contains("'/'"), "{shown}");
        let (line, _, key, _) = fail("[station]\nsites = []\n");
        assert_eq!((line, key.as_str()), (2, "station.sites"));
        let (line, _, key, _) = fail("[calendar]\nbuiltin = \"us\"\n");
        assert_eq!((line, key.as_str()), (2, "calendar.builtin"));
    }

    #[test]
    fn bad_calendar_values() {
        let (line, col, key, shown) = fail("[calendar]\nwork_hours = [\"17:30\", \"09:00\"]\n");
        assert_eq!((line, col, key.as_str()), (2, 24, "calendar.work_hours"));
        assert!(shown.contains("not after"), "{shown}");
        let (line, _, key, _) = fail("[calendar]\nwork_hours = [\"09:00\", \"09:00\"]\n");
        assert_eq!((line, key.as_str()), (2, "calendar.work_hours"));
        let (line, _, key, _) = fail("[calendar]\nwork_hours = [\"09:00\"]\n");
        assert_eq!((line, key.as_str()), (2, "calendar.work_hours"));
        let (line, _, key, shown) = fail("[calendar]\nwork_hours = [\"9am\", \"17:30\"]\n");
        assert_eq!((line, key.as_str()), (2, "calendar.work_hours"));
        assert!(shown.contains("9am"), "{shown}");
        let (line, col, key, shown) =
            fail("[calendar]\nholidays = [\n  \"2026-10-09\",\n  \"2026-13-01\",\n]\n");
        assert_eq!((line, col, key.as_str()), (4, 3, "calendar.holidays"));
        assert!(shown.contains("2026-13-01"), "{shown}");
        let (line, _, key, _) = fail("[calendar]\nworkdays = [\"tomorrow\"]\n");
        assert_eq!((line, key.as_str()), (2, "calendar.workdays"));
    }

    #[test]
    fn syntax_errors() {
        let (line, _, key, shown) = fail("[sla\ncontact_warn = \"3h\"\n");
        assert_eq!(line, 1);
        assert_eq!(key, "");
        assert!(shown.starts_with("config.toml:1:"), "{shown}");
        let (line, _, _, _) = fail("[sla]\nno_progress = \"2h\"\nno_progress = \"3h\"\n");
        assert_eq!(line, 3);
        let (line, _, _, _) = fail("[station]\nname = \"未闭合\n");
        assert_eq!(line, 2);
    }

    #[test]
    fn columns_count_characters() {
        // Chinese text before the error: the column counts characters.
        let (line, col, _, _) = fail("[station]\nname = \"站\"; code = 1\n");
        assert_eq!(line, 2);
        assert!(col < 20, "{col}");
        assert_eq!(line_column("ab\n中文x", 9), (2, 3));
        assert_eq!(line_column("ab", 100), (1, 3));
    }

    #[test]
    fn load_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.toml");
        match Config::load(&missing) {
            Err(ConfigError::Io { path, .. }) => assert_eq!(path, missing),
            other => panic!("{other:?}"),
        }
        let good = dir.path().join("config.toml");
        std::fs::write(&good, FULL).unwrap();
        assert_eq!(
            Config::load(&good).unwrap().settings.station.code,
            "BJ-0101"
        );
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[sla]\ncontact_warn = \"3x\"\n").unwrap();
        let e = Config::load(&bad).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("{}:2:16: [sla] contact_warn", bad.display())),
            "{e}"
        );
    }
}
