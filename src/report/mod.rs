//! The monthly and daily figures (PROCESS.md P3, P6, "Figures"). Reads the
//! store, never writes it; the counting rules are in `docs/figures.md`.

pub mod kpi;
pub mod table;
pub mod unfinished;

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use crate::domain::calendar::Calendar;
use crate::domain::event::{self, Event};
use crate::domain::ticket::{Ticket, Time};
use crate::store::{
    EVENT_COLUMNS, Result, Store, StoreError, TICKET_COLUMNS, day_span, event_from_row, from_ts,
    ticket_from_row, ts,
};

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
    from_ts(day_span(cal, day).0)
}

fn tickets_where(store: &Store, clause: &str, args: impl rusqlite::Params) -> Result<Vec<Ticket>> {
    let mut stmt = store.conn().prepare(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE {clause}"
    ))?;
    let rows = stmt.query_map(args, ticket_from_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?.map_err(StoreError::Data)?);
    }
    Ok(out)
}

/// Tickets whose T1 falls in `[start, end)` (index `tickets_t1`).
pub fn tickets_received(store: &Store, start: Time, end: Time) -> Result<Vec<Ticket>> {
    tickets_where(
        store,
        "t1 >= ?1 AND t1 < ?2 ORDER BY t1, id",
        params![ts(start), ts(end)],
    )
}

// In the queries below, `+column` keeps SQLite from reading the whole table
// through `tickets_updated` or `tickets_t1`: the unfinished tickets are few,
// and the partial index `tickets_open` lists exactly them.

/// The T1 of every ticket unfinished at `as_of` (for the backlog by age),
/// without reading the tickets' progress where the row is unchanged since.
pub fn unfinished_t1_at(store: &Store, as_of: Time) -> Result<Vec<Time>> {
    let cut = ts(as_of);
    let mut stmt = store.conn().prepare(
        "SELECT t1 FROM tickets
         WHERE status NOT IN ('resolved', 'cancelled') AND +t1 < ?1 AND +updated_at < ?1",
    )?;
    let mut out: Vec<Time> = stmt
        .query_map([cut], |r| r.get::<_, i64>(0))?
        .map(|r| r.map(from_ts))
        .collect::<rusqlite::Result<_>>()?;
    out.extend(changed_since(store, as_of)?.into_iter().map(|t| t.t1));
    Ok(out)
}

/// Every ticket unfinished (not resolved or cancelled) at `as_of`, as it
/// stood then. A ticket changed since is rebuilt from its events before
/// `as_of`, so a past day's review shows that day's picture.
pub fn unfinished_at(store: &Store, as_of: Time) -> Result<Vec<Ticket>> {
    let cut = ts(as_of);
    // Unchanged since `as_of`: the row is still the picture of then.
    let mut out = tickets_where(
        store,
        "status NOT IN ('resolved', 'cancelled') AND +t1 < ?1 AND +updated_at < ?1",
        params![cut],
    )?;
    out.extend(changed_since(store, as_of)?);
    out.sort_by(|a, b| (a.t1, &a.ticket_no).cmp(&(b.t1, &b.ticket_no)));
    Ok(out)
}

/// Tickets received before `as_of`, changed since and unfinished at
/// `as_of`: rebuilt from their events before it (index `tickets_updated`).
fn changed_since(store: &Store, as_of: Time) -> Result<Vec<Ticket>> {
    let cut = ts(as_of);
    let mut out = Vec::new();
    let ids: Vec<i64> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM tickets WHERE updated_at >= ?1 AND t1 < ?1")?;
        stmt.query_map([cut], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events
         WHERE ticket_id = ?1 AND at < ?2 ORDER BY id"
    ))?;
    for id in ids {
        let events: Vec<Event> = stmt
            .query_map(params![id, cut], event_from_row)?
            .map(|r| r.map_err(StoreError::from)?.map_err(StoreError::Data))
            .collect::<Result<_>>()?;
        let Some(t) = replay(&events) else { continue };
        if !t.status.is_closed() {
            out.push(t);
        }
    }
    Ok(out)
}

/// The ticket its events make (none before it was received).
fn replay(events: &[Event]) -> Option<Ticket> {
    let (first, rest) = events.split_first()?;
    let mut t = event::create(first)?;
    for e in rest {
        event::apply(&mut t, e);
    }
    Some(t)
}
