//! The station's policy: its identity, its working calendar and its
//! service-level periods (docs/process.md "Working days", R1, R2, R14,
//! P1, P2, P4). Read from the configuration file by `setup::config`;
//! the rules only see these values.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::domain::calendar::{Builtin, Calendar};
use crate::domain::holidays::YearTable;

/// Whether an SLA period runs on the wall clock or in working time
/// (docs/process.md "Working days").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockKind {
    /// Elapsed real time.
    Wall,
    /// Working time of the station calendar.
    Working,
}

/// The station's policy: who it is, when it works, its service levels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// `[station]`.
    pub station: Station,
    /// `[calendar]`.
    pub calendar: CalendarSettings,
    /// `[sla]` and `[sla.clocks]`.
    pub sla: Sla,
}

/// `[station]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Station code, e.g. `BJ-0101` (non-empty).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Time zone of the station (IANA name).
    pub timezone: Tz,
    /// Districts covered (docs/process.md R17); empty = no check.
    pub coverage: Vec<String>,
    /// Sites of a multi-site station (R16); at least one.
    pub sites: Vec<String>,
}

/// `[calendar]` (docs/process.md "Working days").
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarSettings {
    /// Built-in public holidays (`"cn"` or `"none"`).
    pub builtin: Builtin,
    /// Start of working hours.
    pub work_start: NaiveTime,
    /// End of working hours (after the start).
    pub work_end: NaiveTime,
    /// Extra days off.
    pub holidays: Vec<NaiveDate>,
    /// Extra working days (override holidays).
    pub workdays: Vec<NaiveDate>,
    /// Holiday tables the station supplies (`year_files`, `[[calendar.year]]`):
    /// a year the program does not ship, or a correction of one it does.
    pub tables: Vec<YearTable>,
}

/// `[sla]`: the service-level periods of docs/process.md.
#[derive(Debug, Clone, PartialEq)]
pub struct Sla {
    /// R1: warn when no contact this long after T1 (3 h).
    pub contact_warn: Duration,
    /// R1: breach when no contact this long after T1 (4 h).
    pub contact_breach: Duration,
    /// R2: earliest marking as unreachable after T1 (3 h 30 min).
    pub unreachable_after: Duration,
    /// R2: chase calls per working day (6, at least 1).
    pub chase_calls_per_day: u32,
    /// R2: working days of chasing (3).
    pub chase_days: u32,
    /// R2: working days after T1 before cancellation is requested (5).
    pub cancel_after_workdays: f64,
    /// R14: working days to notify the region of a special customer (0.5).
    pub special_notify_workdays: f64,
    /// R15: working days a cancellation request may wait for the region
    /// before it is chased (1).
    pub decision_wait_workdays: f64,
    /// P1: an onsite ticket is due for dispatch this long before its T3 (2 h).
    pub untaken_lead: Duration,
    /// P1: escalate a ticket with no engineer after this long (5 min).
    pub untaken_escalate: Duration,
    /// P2: flag a dispatched ticket without events for this long (2 h).
    pub no_progress: Duration,
    /// P4: emergency response target (30 min).
    pub emergency_response: Duration,
    /// Warn this long before a promised time T3 (1 h).
    pub promise_warn: Duration,
    /// `[sla.clocks]`: wall or working time for the hour-based periods.
    pub clocks: SlaClocks,
}

/// `[sla.clocks]`. Day-based periods (R2 chase and cancel, R14) always run
/// in working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaClocks {
    /// R1 contact warn/breach (default wall).
    pub contact: ClockKind,
    /// R2 3.5 h before unreachable (default wall).
    pub unreachable: ClockKind,
    /// P1 untaken escalation (default wall).
    pub untaken: ClockKind,
    /// P2 no progress (default wall).
    pub no_progress: ClockKind,
    /// P4 emergency response (default wall).
    pub emergency: ClockKind,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for Station {
    fn default() -> Self {
        Station {
            code: "ST".to_string(),
            name: "维修站".to_string(),
            timezone: chrono_tz::Asia::Shanghai,
            coverage: Vec::new(),
            sites: vec!["总站".to_string()],
        }
    }
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            builtin: Builtin::Cn,
            work_start: hm(9, 0),
            work_end: hm(17, 30),
            holidays: Vec::new(),
            workdays: Vec::new(),
            tables: Vec::new(),
        }
    }
}

impl Default for SlaClocks {
    fn default() -> Self {
        SlaClocks {
            contact: ClockKind::Wall,
            unreachable: ClockKind::Wall,
            untaken: ClockKind::Wall,
            no_progress: ClockKind::Wall,
            emergency: ClockKind::Wall,
        }
    }
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            contact_warn: Duration::hours(3),
            contact_breach: Duration::hours(4),
            unreachable_after: Duration::minutes(210),
            chase_calls_per_day: 6,
            chase_days: 3,
            cancel_after_workdays: 5.0,
            special_notify_workdays: 0.5,
            decision_wait_workdays: 1.0,
            untaken_lead: Duration::hours(2),
            untaken_escalate: Duration::minutes(5),
            no_progress: Duration::hours(2),
            emergency_response: Duration::minutes(30),
            promise_warn: Duration::hours(1),
            clocks: SlaClocks::default(),
        }
    }
}

impl Sla {
    /// The moment `d` after `from` on the given clock: wall time adds `d`,
    /// working time adds `d` of working time ([`Calendar::add_working`]).
    pub fn deadline(
        &self,
        cal: &Calendar,
        clock: ClockKind,
        from: DateTime<Utc>,
        d: Duration,
    ) -> DateTime<Utc> {
        match clock {
            ClockKind::Wall => from
                .checked_add_signed(d)
                .unwrap_or(if d < Duration::zero() {
                    DateTime::<Utc>::MIN_UTC
                } else {
                    DateTime::<Utc>::MAX_UTC
                }),
            ClockKind::Working => cal.add_working(from, d),
        }
    }

    /// R2: from this moment a customer still unreachable goes to the region
    /// for cancellation (`cancel_after_workdays` working days after T1).
    pub fn unreachable_cancel_from(&self, cal: &Calendar, t1: DateTime<Utc>) -> DateTime<Utc> {
        cal.add_working_days(t1, self.cancel_after_workdays)
    }
}

impl Settings {
    /// The working-day calendar of the station.
    pub fn calendar(&self) -> Calendar {
        Calendar::new(
            self.station.timezone,
            self.calendar.work_start,
            self.calendar.work_end,
            self.calendar.builtin,
            &self.calendar.tables,
            &self.calendar.holidays,
            &self.calendar.workdays,
        )
    }
}
