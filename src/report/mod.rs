//! The monthly and daily figures (docs/process.md P3, P6; docs/figures.md). Reads the
//! store, never writes it; the counting rules are in `docs/figures.md`.

pub mod kpi;
pub mod table;
pub mod unfinished;

use chrono::{Datelike, NaiveDate};

use crate::domain::calendar::Calendar;
use crate::domain::ticket::{Ticket, Time};
use crate::store::{Result, Store, day_bounds};

/// A calendar month in the station's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
    /// Local midnight of the first day.
    pub start: Time,
    /// Local midnight of the first day of the next month.
    pub end: Time,
}

impl Month {
    /// Reads `YYYY-MM`.
    pub fn parse(text: &str, cal: &Calendar) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
        Some(Month::of(first, cal))
    }

    /// The month containing `day`.
    pub fn of(day: NaiveDate, cal: &Calendar) -> Month {
        let first = day.with_day(1).unwrap_or(day);
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(first);
        Month {
            first,
            start: local_midnight(cal, first),
            end: local_midnight(cal, next),
        }
    }

    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        self.first.format("%Y-%m").to_string()
    }

    /// Every date of the month.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.first
            .iter_days()
            .take_while(|d| d.month() == self.first.month())
            .collect()
    }
}

/// The first moment of a local calendar day.
pub fn local_midnight(cal: &Calendar, day: NaiveDate) -> Time {
    day_bounds(cal, day).0
}

/// Tickets whose T1 falls in `[start, end)`.
pub fn tickets_received(store: &Store, start: Time, end: Time) -> Result<Vec<Ticket>> {
    store.tickets_received(start, end)
}

/// The T1 of every ticket unfinished at `as_of` (for the backlog by age).
pub fn unfinished_t1_at(store: &Store, as_of: Time) -> Result<Vec<Time>> {
    store.unfinished_t1_at(as_of)
}

/// Every ticket unfinished (not resolved or cancelled) at `as_of`, as it
/// stood then.
pub fn unfinished_at(store: &Store, as_of: Time) -> Result<Vec<Ticket>> {
    store.unfinished_at(as_of)
}
