//! Working-day calendar (docs/process.md "Working days").
//!
//! Working days are Monday–Friday minus public holidays plus the weekend days
//! declared working days (调休); working hours are one interval per working day
//! (09:00–17:30 by default) in the station's time zone. Periods counted in
//! working days (R2 chase and cancel periods, R14 "half a working day") are
//! measured in working time: N working days = N × [`Calendar::day_length`] of
//! working time, skipping nights, weekends and holidays.
//!
//! All moments in the API are UTC; the calendar converts with its time zone.
//! No function panics or loops forever: when no working time can be found
//! within [`SEARCH_HORIZON_DAYS`] days, a moment that far away is returned.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

use super::holidays::{self, YearTable};

/// Which built-in public-holiday calendar to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// Mainland China: the year tables of `assets/calendar/` (see
    /// [`super::holidays`]). A year without a table is Monday–Friday, and
    /// [`Calendar::missing_year`] says so.
    Cn,
    /// No public holidays: Monday–Friday only, by choice.
    None,
}

/// What kind of day a calendar date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Workday,
    /// Saturday or Sunday, not worked.
    Weekend,
    /// A public holiday (or an extra day off from the configuration).
    Holiday,
    /// A weekend day declared a working day (调休).
    MakeupWorkday,
}

/// How far ahead (in calendar days) the calendar searches for working time
/// before giving up and answering a far-away moment (about ten years).
pub const SEARCH_HORIZON_DAYS: i64 = 3660;

/// Upper bound on the days walked by one [`Calendar::add_working`] call
/// (about a century), so that absurd durations cannot stall the program.
const MAX_WALK_DAYS: i64 = 36_600;

/// A working-day calendar in one time zone.
#[derive(Clone, Debug)]
pub struct Calendar {
    tz: Tz,
    work_start: NaiveTime,
    work_end: NaiveTime,
    /// Days off (built-in holidays plus configured extra holidays).
    holidays: BTreeSet<NaiveDate>,
    /// Days worked regardless of weekday or holiday (调休 and configured
    /// extra working days).
    workdays: BTreeSet<NaiveDate>,
    /// With a public-holiday calendar: the years it has a table for. `None`:
    /// Monday–Friday by choice, no year is missing.
    years: Option<BTreeSet<i32>>,
}

impl Calendar {
    /// Builds a calendar.
    ///
    /// With [`Builtin::Cn`] the shipped year tables apply, a table in
    /// `tables` replacing the shipped one of its year; with
    /// [`Builtin::None`] only `tables` (usually none).
    /// Precedence, strongest first: `extra_workdays`, `extra_holidays`, the
    /// tables' make-up working days, the tables' holidays, Monday–Friday.
    /// If `work_end <= work_start` the end is clamped to the start, giving
    /// days without working time (every search then gives up after
    /// [`SEARCH_HORIZON_DAYS`]).
    pub fn new(
        tz: Tz,
        work_start: NaiveTime,
        work_end: NaiveTime,
        builtin: Builtin,
        tables: &[YearTable],
        extra_holidays: &[NaiveDate],
        extra_workdays: &[NaiveDate],
    ) -> Calendar {
        let mut by_year: BTreeMap<i32, &YearTable> = BTreeMap::new();
        if builtin == Builtin::Cn {
            by_year.extend(holidays::cn().iter().map(|t| (t.year, t)));
        }
        by_year.extend(tables.iter().map(|t| (t.year, t)));
        let mut holidays = BTreeSet::new();
        let mut workdays = BTreeSet::new();
        for t in by_year.values() {
            holidays.extend(t.holidays.iter().filter(|d| !t.workdays.contains(d)));
            workdays.extend(t.workdays.iter().copied());
        }
        for &d in extra_holidays {
            workdays.remove(&d);
            holidays.insert(d);
        }
        for &d in extra_workdays {
            holidays.remove(&d);
            workdays.insert(d);
        }
        let work_end = work_end.max(work_start);
        Calendar {
            tz,
            work_start,
            work_end,
            holidays,
            workdays,
            years: (builtin == Builtin::Cn).then(|| by_year.keys().copied().collect()),
        }
    }

    /// The year of `t` (station time) when the calendar has no holiday
    /// table for it: its working days are then Monday–Friday only, and the
    /// deadlines counted in them are not trustworthy (`calendar_unknown`).
    pub fn missing_year(&self, t: DateTime<Utc>) -> Option<i32> {
        let year = self.local(t).year();
        let known = self.years.as_ref()?;
        (!known.contains(&year)).then_some(year)
    }

    /// The years with a holiday table (empty for Monday–Friday by choice).
    pub fn table_years(&self) -> Vec<i32> {
        self.years.iter().flatten().copied().collect()
    }

    /// The default mainland China station calendar: Asia/Shanghai,
    /// 09:00–17:30, [`Builtin::Cn`].
    pub fn cn_default() -> Calendar {
        let start = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
        let end = NaiveTime::from_hms_opt(17, 30, 0).unwrap_or(NaiveTime::MIN);
        Calendar::new(
            chrono_tz::Asia::Shanghai,
            start,
            end,
            Builtin::Cn,
            &[],
            &[],
            &[],
        )
    }

    /// The calendar's time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Start of working hours (local time).
    pub fn work_start(&self) -> NaiveTime {
        self.work_start
    }

    /// End of working hours (local time).
    pub fn work_end(&self) -> NaiveTime {
        self.work_end
    }

    /// A moment in the calendar's time zone.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.tz)
    }

    /// The kind of a calendar date (docs/process.md "Working days").
    pub fn day_kind(&self, d: NaiveDate) -> DayKind {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if self.workdays.contains(&d) {
            if weekend {
                DayKind::MakeupWorkday
            } else {
                DayKind::Workday
            }
        } else if self.holidays.contains(&d) {
            DayKind::Holiday
        } else if weekend {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    /// Whether `d` is a working day (an ordinary or a make-up working day).
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        matches!(self.day_kind(d), DayKind::Workday | DayKind::MakeupWorkday)
    }

    /// The working hours of one day: `work_end - work_start` (8 h 30 min by
    /// default). "N working days" is N times this much working time.
    pub fn day_length(&self) -> Duration {
        self.work_end - self.work_start
    }

    /// The working interval `[start, end)` of date `d` in UTC, or `None` on a
    /// non-working day (or a day whose working hours are empty).
    pub fn working_day_bounds(&self, d: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(d) {
            return None;
        }
        let start = self.resolve_local(d.and_time(self.work_start))?;
        let end = self.resolve_local(d.and_time(self.work_end))?;
        (end > start).then_some((start, end))
    }

    /// Whether `t` falls within working hours of a working day (start
    /// inclusive, end exclusive).
    pub fn is_working_time(&self, t: DateTime<Utc>) -> bool {
        let Some(d) = self.local_date(t) else {
            return false;
        };
        // Look at the neighbouring dates too, in case a time-zone change
        // moves a working interval across local midnight.
        [d.pred_opt(), Some(d), d.succ_opt()]
            .into_iter()
            .flatten()
            .filter_map(|d| self.working_day_bounds(d))
            .any(|(s, e)| s <= t && t < e)
    }

    /// The moment work can next be done: `t` itself if it is working time,
    /// otherwise the next start of working hours (docs/process.md "Working days":
    /// a moment outside working hours counts from the next start of working
    /// hours). Gives a moment [`SEARCH_HORIZON_DAYS`] away if there is none.
    pub fn next_working_start(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let Some(first) = self.local_date(t).and_then(|d| d.pred_opt()) else {
            return t;
        };
        let mut d = first;
        for _ in 0..=SEARCH_HORIZON_DAYS {
            if let Some((s, e)) = self.working_day_bounds(d) {
                if s <= t && t < e {
                    return t;
                }
                if s > t {
                    return s;
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => return t,
            }
        }
        far_after(t, SEARCH_HORIZON_DAYS)
    }

    /// Adds `d` of working time to `from`, skipping nights, weekends and
    /// holidays. A `from` outside working hours counts from the next start
    /// of working hours; reaching exactly the end of a working day gives that
    /// day's end (17:30), not the next morning. A zero or negative `d`
    /// returns `from` unchanged. If no working time is found within
    /// [`SEARCH_HORIZON_DAYS`] consecutive days, a far-away moment is
    /// returned instead of looping.
    pub fn add_working(&self, from: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
        if d <= Duration::zero() {
            return from;
        }
        let Some(mut day) = self.local_date(from).and_then(|x| x.pred_opt()) else {
            return from;
        };
        let mut remaining = d;
        let mut idle_days = 0i64;
        for walked in 0..MAX_WALK_DAYS {
            if let Some((s, e)) = self.working_day_bounds(day) {
                let begin = s.max(from);
                if begin < e {
                    idle_days = 0;
                    let avail = e - begin;
                    if remaining <= avail {
                        return begin + remaining;
                    }
                    remaining -= avail;
                } else {
                    idle_days += 1;
                }
            } else {
                idle_days += 1;
            }
            if idle_days > SEARCH_HORIZON_DAYS {
                return far_after(from, walked);
            }
            match day.succ_opt() {
                Some(n) => day = n,
                None => return from,
            }
        }
        far_after(from, MAX_WALK_DAYS)
    }

    /// Adds `days` working days: `days ×` [`Calendar::day_length`] of working
    /// time (docs/process.md "Working days"; e.g. R2's 5 working days, R14's half
    /// a working day). Example: 5 working days after Wednesday 2026-09-30
    /// 10:00 is Tuesday 2026-10-13 10:00. Zero, negative or NaN `days`
    /// return `from` unchanged.
    pub fn add_working_days(&self, from: DateTime<Utc>, days: f64) -> DateTime<Utc> {
        if days.is_nan() || days <= 0.0 {
            return from;
        }
        let len = self.day_length().num_nanoseconds().unwrap_or(i64::MAX) as f64;
        let nanos = (len * days).round();
        let d = if nanos >= i64::MAX as f64 {
            Duration::MAX
        } else {
            Duration::nanoseconds(nanos as i64)
        };
        self.add_working(from, d)
    }

    /// The working time between `a` and `b` (zero if `b <= a`).
    pub fn working_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        if b <= a {
            return Duration::zero();
        }
        let (Some(first), Some(last)) = (
            self.local_date(a).and_then(|x| x.pred_opt()),
            self.local_date(b).and_then(|x| x.succ_opt()),
        ) else {
            return Duration::zero();
        };
        let mut total = Duration::zero();
        let mut day = first;
        while day <= last {
            if let Some((s, e)) = self.working_day_bounds(day) {
                let lo = s.max(a);
                let hi = e.min(b);
                if hi > lo {
                    total += hi - lo;
                }
            }
            match day.succ_opt() {
                Some(n) => day = n,
                None => break,
            }
        }
        total
    }

    /// The local calendar date of a moment.
    fn local_date(&self, t: DateTime<Utc>) -> Option<NaiveDate> {
        let offset = self.tz.offset_from_utc_datetime(&t.naive_utc());
        let secs = chrono::Offset::fix(&offset).local_minus_utc();
        t.naive_utc()
            .checked_add_signed(Duration::seconds(i64::from(secs)))
            .map(|n| n.date())
    }

    /// Converts a local date-time to UTC: an ambiguous time (clock set back)
    /// takes the earliest, a nonexistent one (clock set forward) the first
    /// existing quarter hour after it.
    fn resolve_local(&self, ndt: NaiveDateTime) -> Option<DateTime<Utc>> {
        let mut probe = ndt;
        // Up to 26 hours of gap (a whole skipped day, e.g. Pacific/Apia 2011).
        for _ in 0..=(26 * 4) {
            match self.tz.from_local_datetime(&probe) {
                LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
                LocalResult::Ambiguous(a, b) => return Some(a.min(b).with_timezone(&Utc)),
                LocalResult::None => probe = probe.checked_add_signed(Duration::minutes(15))?,
            }
        }
        None
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::cn_default()
    }
}

/// A moment `days` days after `t`, saturating at the largest representable
/// moment.
fn far_after(t: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    Duration::try_days(days.max(1))
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A Shanghai local time as UTC.
    fn sh(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::cn_default()
    }

    #[test]
    fn defaults() {
        let c = cal();
        assert_eq!(c.tz(), chrono_tz::Asia::Shanghai);
        assert_eq!(c.day_length(), Duration::minutes(8 * 60 + 30));
        assert_eq!(c.work_start(), hm(9, 0));
        assert_eq!(c.work_end(), hm(17, 30));
    }

    /// Every holiday range of docs/process.md: the day before, first, last, day
    /// after.
    #[test]
    fn cn_holiday_range_boundaries() {
        use DayKind::*;
        let c = cal();
        // (first, last, kind of day before, kind of day after)
        let table = [
            (date(2025, 1, 1), date(2025, 1, 1), Workday, Workday),
            (date(2025, 1, 28), date(2025, 2, 4), Workday, Workday),
            (date(2025, 4, 4), date(2025, 4, 6), Workday, Workday),
            (date(2025, 5, 1), date(2025, 5, 5), Workday, Workday),
            (date(2025, 5, 31), date(2025, 6, 2), Workday, Workday),
            (date(2025, 10, 1), date(2025, 10, 8), Workday, Workday),
            (date(2026, 1, 1), date(2026, 1, 3), Workday, MakeupWorkday),
            (date(2026, 2, 15), date(2026, 2, 23), MakeupWorkday, Workday),
            (date(2026, 4, 4), date(2026, 4, 6), Workday, Workday),
            (date(2026, 5, 1), date(2026, 5, 5), Workday, Workday),
            (date(2026, 6, 19), date(2026, 6, 21), Workday, Workday),
            (date(2026, 9, 25), date(2026, 9, 27), Workday, Workday),
            (date(2026, 10, 1), date(2026, 10, 7), Workday, Workday),
        ];
        for (first, last, before, after) in table {
            let b = first.pred_opt().unwrap();
            let a = last.succ_opt().unwrap();
            assert_eq!(c.day_kind(b), before, "day before {first}");
            assert_eq!(c.day_kind(first), Holiday, "first day {first}");
            assert_eq!(c.day_kind(last), Holiday, "last day {last}");
            assert_eq!(c.day_kind(a), after, "day after {last}");
            assert!(!c.is_working_day(first) && !c.is_working_day(last));
            assert!(c.working_day_bounds(first).is_none());
            let mut d = first;
            while d <= last {
                assert_eq!(c.day_kind(d), Holiday, "{d}");
                d = d.succ_opt().unwrap();
            }
        }
    }

    /// One working day from the last working afternoon before each holiday
    /// of docs/process.md lands on the first working afternoon after it.
    #[test]
    fn one_working_day_jumps_each_holiday() {
        let c = cal();
        // (last working day before, first working day after), by hand.
        let table = [
            (date(2024, 12, 31), date(2025, 1, 2)),
            (date(2025, 1, 27), date(2025, 2, 5)),
            (date(2025, 4, 3), date(2025, 4, 7)),
            (date(2025, 4, 30), date(2025, 5, 6)),
            (date(2025, 5, 30), date(2025, 6, 3)),
            (date(2025, 9, 30), date(2025, 10, 9)),
            (date(2025, 12, 31), date(2026, 1, 4)), // Sun 4 Jan is worked
            (date(2026, 2, 14), date(2026, 2, 24)), // from the make-up Saturday
            (date(2026, 4, 3), date(2026, 4, 7)),
            (date(2026, 4, 30), date(2026, 5, 6)),
            (date(2026, 6, 18), date(2026, 6, 22)),
            (date(2026, 9, 24), date(2026, 9, 28)),
            (date(2026, 9, 30), date(2026, 10, 8)),
        ];
        for (before, after) in table {
            let from = sh(before.year(), before.month(), before.day(), 16, 0);
            let to = sh(after.year(), after.month(), after.day(), 16, 0);
            assert_eq!(c.add_working_days(from, 1.0), to, "from {before}");
            assert_eq!(c.working_between(from, to), c.day_length(), "{before}");
        }
    }

    #[test]
    fn cn_makeup_days_are_working() {
        let c = cal();
        let days = [
            date(2025, 1, 26),
            date(2025, 2, 8),
            date(2025, 4, 27),
            date(2025, 9, 28),
            date(2025, 10, 11),
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ];
        for d in days {
            assert_eq!(c.day_kind(d), DayKind::MakeupWorkday, "{d}");
            assert!(c.is_working_day(d), "{d}");
            let (s, e) = c.working_day_bounds(d).unwrap();
            assert_eq!(c.local(s).time(), hm(9, 0));
            assert_eq!(c.local(e).time(), hm(17, 30));
            // The neighbouring weekend day of a make-up Saturday/Sunday is
            // not itself a make-up day unless listed.
        }
        // A make-up day's weekend neighbour stays weekend.
        assert_eq!(c.day_kind(date(2026, 10, 11)), DayKind::Weekend);
        assert_eq!(c.day_kind(date(2025, 10, 12)), DayKind::Weekend);
    }

    #[test]
    fn builtin_none_is_monday_to_friday() {
        let c = Calendar::new(
            chrono_tz::Asia::Shanghai,
            hm(9, 0),
            hm(17, 30),
            Builtin::None,
            &[],
            &[],
            &[],
        );
        assert_eq!(c.day_kind(date(2026, 10, 1)), DayKind::Workday);
        assert_eq!(c.day_kind(date(2026, 10, 10)), DayKind::Weekend);
        assert_eq!(c.day_kind(date(2026, 10, 11)), DayKind::Weekend);
        assert_eq!(c.day_kind(date(2026, 2, 16)), DayKind::Workday);
    }

    #[test]
    fn extra_days_apply_on_top() {
        let c = Calendar::new(
            chrono_tz::Asia::Shanghai,
            hm(9, 0),
            hm(17, 30),
            Builtin::Cn,
            &[],
            &[date(2026, 11, 26), date(2026, 10, 10), date(2026, 12, 1)],
            &[date(2026, 10, 2), date(2026, 11, 28), date(2026, 12, 1)],
        );
        assert_eq!(c.day_kind(date(2026, 11, 26)), DayKind::Holiday);
        // An extra holiday beats a built-in make-up day.
        assert_eq!(c.day_kind(date(2026, 10, 10)), DayKind::Holiday);
        // An extra workday beats a built-in holiday.
        assert_eq!(c.day_kind(date(2026, 10, 2)), DayKind::Workday);
        assert_eq!(c.day_kind(date(2026, 11, 28)), DayKind::MakeupWorkday);
        // An extra workday beats an extra holiday.
        assert_eq!(c.day_kind(date(2026, 12, 1)), DayKind::Workday);
    }

    #[test]
    fn national_day_2026_example() {
        // docs/process.md: 5 working days after Wed 2026-09-30 10:00 is Tue
        // 2026-10-13 10:00.
        let c = cal();
        let t = c.add_working_days(sh(2026, 9, 30, 10, 0), 5.0);
        assert_eq!(t, sh(2026, 10, 13, 10, 0));
        assert_eq!(
            c.working_between(sh(2026, 9, 30, 10, 0), t),
            c.day_length() * 5
        );
        // One working day after Wed 30 Sep 10:00 lands on Thu 8 Oct.
        assert_eq!(
            c.add_working_days(sh(2026, 9, 30, 10, 0), 1.0),
            sh(2026, 10, 8, 10, 0)
        );
        // The make-up Saturday 10 Oct is worked.
        assert_eq!(
            c.add_working_days(sh(2026, 10, 9, 9, 0), 1.0),
            sh(2026, 10, 9, 17, 30)
        );
        assert_eq!(
            c.add_working_days(sh(2026, 10, 9, 12, 0), 1.0),
            sh(2026, 10, 10, 12, 0)
        );
        assert_eq!(
            c.add_working_days(sh(2026, 10, 10, 12, 0), 1.0),
            sh(2026, 10, 12, 12, 0)
        );
    }

    #[test]
    fn spring_festival_2026() {
        let c = cal();
        // Fri 13 Feb 10:00 + 1 day → Sat 14 Feb (make-up) 10:00.
        assert_eq!(
            c.add_working_days(sh(2026, 2, 13, 10, 0), 1.0),
            sh(2026, 2, 14, 10, 0)
        );
        // Sat 14 Feb 10:00 + 1 day → Tue 24 Feb 10:00 (15–23 off).
        assert_eq!(
            c.add_working_days(sh(2026, 2, 14, 10, 0), 1.0),
            sh(2026, 2, 24, 10, 0)
        );
        // A moment inside the holiday counts from Tue 24 Feb 09:00.
        assert_eq!(
            c.next_working_start(sh(2026, 2, 18, 15, 0)),
            sh(2026, 2, 24, 9, 0)
        );
        assert_eq!(
            c.add_working_days(sh(2026, 2, 18, 15, 0), 2.0),
            sh(2026, 2, 25, 17, 30)
        );
        // Fri 27 Feb 10:00 + 1 day → Sat 28 Feb (make-up) 10:00.
        assert_eq!(
            c.add_working_days(sh(2026, 2, 27, 10, 0), 1.0),
            sh(2026, 2, 28, 10, 0)
        );
        // Sat 28 Feb 10:00 + 1 day → Mon 2 Mar 10:00.
        assert_eq!(
            c.add_working_days(sh(2026, 2, 28, 10, 0), 1.0),
            sh(2026, 3, 2, 10, 0)
        );
        // 5 working days from Thu 12 Feb 09:00: 12, 13, 14, 24, 25.
        assert_eq!(
            c.add_working_days(sh(2026, 2, 12, 9, 0), 5.0),
            sh(2026, 2, 25, 17, 30)
        );
    }

    #[test]
    fn half_day_over_a_weekend() {
        let c = cal();
        // Fri 2026-11-27 16:00 + 4h15m: 1h30 on Friday, 2h45 on Monday.
        assert_eq!(
            c.add_working_days(sh(2026, 11, 27, 16, 0), 0.5),
            sh(2026, 11, 30, 11, 45)
        );
        // Fri 17:00 + half a day → Mon 12:45.
        assert_eq!(
            c.add_working_days(sh(2026, 11, 27, 17, 0), 0.5),
            sh(2026, 11, 30, 12, 45)
        );
    }

    #[test]
    fn sunday_counts_from_monday_morning() {
        let c = cal();
        let sunday = sh(2026, 11, 29, 14, 0);
        assert!(!c.is_working_time(sunday));
        assert_eq!(c.next_working_start(sunday), sh(2026, 11, 30, 9, 0));
        assert_eq!(c.add_working_days(sunday, 1.0), sh(2026, 11, 30, 17, 30));
        assert_eq!(
            c.add_working(sunday, Duration::hours(2)),
            sh(2026, 11, 30, 11, 0)
        );
        // Early morning and evening too.
        assert_eq!(
            c.add_working(sh(2026, 11, 30, 6, 0), Duration::hours(1)),
            sh(2026, 11, 30, 10, 0)
        );
        assert_eq!(
            c.add_working(sh(2026, 11, 30, 20, 0), Duration::hours(1)),
            sh(2026, 12, 1, 10, 0)
        );
    }

    #[test]
    fn national_day_2025() {
        let c = cal();
        // Sun 28 Sep 2025 is a make-up day, Oct 1–8 off, Sat 11 Oct worked.
        assert!(c.is_working_time(sh(2025, 9, 28, 10, 0)));
        assert_eq!(
            c.add_working_days(sh(2025, 9, 26, 10, 0), 1.0),
            sh(2025, 9, 28, 10, 0)
        );
        // Tue 30 Sep 10:00 + 1 day → Thu 9 Oct 10:00.
        assert_eq!(
            c.add_working_days(sh(2025, 9, 30, 10, 0), 1.0),
            sh(2025, 10, 9, 10, 0)
        );
        // Tue 30 Sep 10:00 + 3 days → Sat 11 Oct 10:00 (9, 10, 11).
        assert_eq!(
            c.add_working_days(sh(2025, 9, 30, 10, 0), 3.0),
            sh(2025, 10, 11, 10, 0)
        );
        // + 4 days → Mon 13 Oct 10:00 (Sun 12 off).
        assert_eq!(
            c.add_working_days(sh(2025, 9, 30, 10, 0), 4.0),
            sh(2025, 10, 13, 10, 0)
        );
        assert_eq!(
            c.next_working_start(sh(2025, 10, 1, 0, 0)),
            sh(2025, 10, 9, 9, 0)
        );
    }

    #[test]
    fn end_of_day_is_not_next_morning() {
        let c = cal();
        assert_eq!(
            c.add_working(sh(2026, 11, 26, 16, 0), Duration::minutes(90)),
            sh(2026, 11, 26, 17, 30)
        );
        assert_eq!(
            c.add_working_days(sh(2026, 11, 26, 9, 0), 1.0),
            sh(2026, 11, 26, 17, 30)
        );
        assert_eq!(
            c.add_working(sh(2026, 11, 26, 16, 0), Duration::minutes(91)),
            sh(2026, 11, 27, 9, 1)
        );
        // 17:30 itself is outside working hours.
        assert!(!c.is_working_time(sh(2026, 11, 26, 17, 30)));
        assert!(c.is_working_time(sh(2026, 11, 26, 9, 0)));
        assert!(c.is_working_time(sh(2026, 11, 26, 17, 29)));
        assert_eq!(
            c.next_working_start(sh(2026, 11, 26, 17, 30)),
            sh(2026, 11, 27, 9, 0)
        );
        let inside = sh(2026, 11, 26, 11, 11);
        assert_eq!(c.next_working_start(inside), inside);
    }

    #[test]
    fn zero_and_negative_additions() {
        let c = cal();
        let t = sh(2026, 11, 29, 14, 0);
        assert_eq!(c.add_working(t, Duration::zero()), t);
        assert_eq!(c.add_working(t, Duration::hours(-3)), t);
        assert_eq!(c.add_working_days(t, 0.0), t);
        assert_eq!(c.add_working_days(t, -1.0), t);
        assert_eq!(c.add_working_days(t, f64::NAN), t);
    }

    #[test]
    fn working_between_checks() {
        let c = cal();
        let a = sh(2026, 9, 30, 10, 0);
        let b = sh(2026, 10, 13, 10, 0);
        assert_eq!(c.working_between(a, b), c.day_length() * 5);
        assert_eq!(c.working_between(b, a), Duration::zero());
        assert_eq!(c.working_between(a, a), Duration::zero());
        // Additive over a split point.
        let m = sh(2026, 10, 4, 12, 0);
        assert_eq!(
            c.working_between(a, m) + c.working_between(m, b),
            c.working_between(a, b)
        );
        // Within one day.
        assert_eq!(
            c.working_between(sh(2026, 11, 26, 8, 0), sh(2026, 11, 26, 10, 0)),
            Duration::hours(1)
        );
        // A weekend alone has no working time.
        assert_eq!(
            c.working_between(sh(2026, 11, 28, 0, 0), sh(2026, 11, 30, 0, 0)),
            Duration::zero()
        );
        // A whole normal week.
        assert_eq!(
            c.working_between(sh(2026, 11, 23, 0, 0), sh(2026, 11, 30, 0, 0)),
            c.day_length() * 5
        );
    }

    #[test]
    fn working_day_bounds_in_utc() {
        let c = cal();
        let (s, e) = c.working_day_bounds(date(2026, 11, 26)).unwrap();
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap());
        assert!(c.working_day_bounds(date(2026, 11, 28)).is_none());
    }

    #[test]
    fn degenerate_calendars_do_not_hang() {
        // Zero-length working days.
        let c = Calendar::new(
            chrono_tz::Asia::Shanghai,
            hm(9, 0),
            hm(9, 0),
            Builtin::None,
            &[],
            &[],
            &[],
        );
        let t = sh(2026, 11, 26, 10, 0);
        assert_eq!(c.day_length(), Duration::zero());
        assert!(c.add_working(t, Duration::hours(1)) > t + Duration::days(3000));
        assert!(c.next_working_start(t) > t + Duration::days(3000));
        assert_eq!(c.add_working_days(t, 5.0), t);
        // End before start is clamped.
        let c = Calendar::new(
            chrono_tz::Asia::Shanghai,
            hm(17, 0),
            hm(9, 0),
            Builtin::None,
            &[],
            &[],
            &[],
        );
        assert_eq!(c.day_length(), Duration::zero());
        // No working day at all for more than ten years.
        let mut off = Vec::new();
        let mut d = date(2026, 1, 1);
        while d < date(2037, 1, 1) {
            off.push(d);
            d = d.succ_opt().unwrap();
        }
        let c = Calendar::new(
            chrono_tz::Asia::Shanghai,
            hm(9, 0),
            hm(17, 30),
            Builtin::None,
            &[],
            &off,
            &[],
        );
        let t = sh(2026, 1, 1, 10, 0);
        assert!(c.add_working(t, Duration::hours(1)) > t + Duration::days(3000));
        assert!(c.next_working_start(t) > t + Duration::days(3000));
        // Huge durations and extreme moments terminate without panicking.
        let c = cal();
        let _ = c.add_working(t, Duration::MAX);
        let _ = c.add_working_days(t, f64::INFINITY);
        let _ = c.add_working(DateTime::<Utc>::MAX_UTC, Duration::hours(1));
        let _ = c.next_working_start(DateTime::<Utc>::MAX_UTC);
        let _ = c.next_working_start(DateTime::<Utc>::MIN_UTC);
        let _ = c.is_working_time(DateTime::<Utc>::MIN_UTC);
        let _ = c.working_between(
            DateTime::<Utc>::MAX_UTC - Duration::days(3),
            DateTime::<Utc>::MAX_UTC,
        );
    }

    #[test]
    fn dst_time_zone_is_handled() {
        // New York 2026-03-08: 02:00–03:00 does not exist.
        let tz = chrono_tz::America::New_York;
        let c = Calendar::new(
            tz,
            hm(2, 30),
            hm(10, 0),
            Builtin::None,
            &[],
            &[],
            &[date(2026, 3, 8)],
        );
        let (s, e) = c.working_day_bounds(date(2026, 3, 8)).unwrap();
        assert!(s < e);
        let c = Calendar::new(tz, hm(9, 0), hm(17, 0), Builtin::None, &[], &[], &[]);
        let fri = tz
            .with_ymd_and_hms(2026, 3, 6, 9, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let mon = tz
            .with_ymd_and_hms(2026, 3, 9, 9, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            c.add_working_days(fri, 1.0),
            tz.with_ymd_and_hms(2026, 3, 6, 17, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        );
        assert_eq!(
            c.next_working_start(
                tz.with_ymd_and_hms(2026, 3, 7, 9, 0, 0)
                    .unwrap()
                    .with_timezone(&Utc)
            ),
            mon
        );
    }

    fn working_moment() -> impl Strategy<Value = DateTime<Utc>> {
        // A working day in 2025–2026 and a minute inside its working hours.
        (0i64..730, 0i64..(8 * 60 + 30)).prop_filter_map("working day", |(day, min)| {
            let c = Calendar::cn_default();
            let d = date(2025, 1, 1) + Duration::days(day);
            let (s, _) = c.working_day_bounds(d)?;
            Some(s + Duration::minutes(min))
        })
    }

    proptest! {
        #[test]
        fn add_then_measure(t in working_moment(), n in 0u32..20) {
            let c = Calendar::cn_default();
            let end = c.add_working_days(t, f64::from(n));
            prop_assert_eq!(c.working_between(t, end), c.day_length() * n as i32);
        }

        #[test]
        fn add_is_monotonic(
            t in working_moment(),
            a in 0i64..(60 * 24 * 30),
            b in 0i64..(60 * 24 * 30),
        ) {
            let c = Calendar::cn_default();
            let (a, b) = (a.min(b), a.max(b));
            let ta = c.add_working(t, Duration::minutes(a));
            let tb = c.add_working(t, Duration::minutes(b));
            prop_assert!(ta <= tb);
            prop_assert!(ta >= t);
            prop_assert_eq!(c.working_between(t, tb), Duration::minutes(b));
        }

        #[test]
        fn any_moment_no_panic(secs in -4_000_000_000i64..4_000_000_000, mins in -10i64..100_000) {
            let c = Calendar::cn_default();
            let t = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
            let r = c.add_working(t, Duration::minutes(mins));
            prop_assert!(r >= t);
            let n = c.next_working_start(t);
            prop_assert!(n >= t);
            prop_assert!(c.is_working_time(n) || n == t || n > t + Duration::days(3000));
        }
    }
}
