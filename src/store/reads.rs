//! The reads behind the screens, the reports and the files: each a named
//! query returning domain types.
//!
//! Pages, never whole tables where a screen asks: the open set is bounded (a
//! few thousand even on a million-ticket database), closed tickets are read
//! a page at a time, counts come from the `tickets_open` partial index.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{
    Damaged, EVENT_COLUMNS, KINDS_BY_TIME, Result, Store, StoreError, TICKET_COLUMNS, day_span,
    event_from_row, from_ts, planned_visits, ticket_from_row, ts,
};
use crate::domain::calendar::Calendar;
use crate::domain::event::{self, Event};
use crate::domain::rules::StaffLoad;
use crate::domain::ticket::{Status, Ticket, Time};

/// How long after a day its visits may be typed in and still be found on
/// the engineer's day: 31 days, in seconds.
pub const RECORDED_WITHIN: i64 = 31 * 24 * 3600;

/// The tickets a statement selects (its columns: [`TICKET_COLUMNS`]); one
/// whose stored values do not read is left out and noted (see
/// [`Store::damaged`]).
fn tickets(store: &Store, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Ticket>> {
    let mut stmt = store.conn()?.prepare_cached(sql)?;
    let rows = stmt.query_map(args, ticket_from_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(store.keep_readable(r?));
    }
    Ok(out)
}

/// `[from, to)` as stored seconds; an open end is unbounded.
fn bounds(from: Option<Time>, to: Option<Time>) -> (i64, i64) {
    (from.map_or(i64::MIN, ts), to.map_or(i64::MAX, ts))
}

impl Store {
    // --- the dashboard ---

    /// The newest `limit` closed tickets (resolved or cancelled), by last change.
    pub fn closed_recent(&self, limit: usize) -> Result<Vec<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().closed_recent(limit);
        }
        tickets(
            self,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status IN ('resolved', 'cancelled') \
                 ORDER BY updated_at DESC, id DESC LIMIT ?1"
            ),
            [limit as i64],
        )
    }

    /// Tickets per status; with `open_only`, the open ones only (from the
    /// partial index).
    pub fn status_counts(&self, open_only: bool) -> Result<BTreeMap<Status, u64>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().status_counts(open_only);
        }
        let sql = if open_only {
            "SELECT status, COUNT(*) FROM tickets WHERE status NOT IN ('resolved', 'cancelled') GROUP BY status"
        } else {
            "SELECT status, COUNT(*) FROM tickets GROUP BY status"
        };
        let mut stmt = self.conn()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = BTreeMap::new();
        for r in rows {
            let (s, n) = r?;
            if let Some(status) = Status::parse(&s) {
                out.insert(status, n as u64);
            }
        }
        Ok(out)
    }

    /// How many tickets there are.
    pub fn ticket_count(&self) -> Result<u64> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().ticket_count();
        }
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// How many events there are.
    pub fn event_count(&self) -> Result<u64> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().event_count();
        }
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Whether a ticket with this number exists.
    pub fn exists(&self, ticket_no: &str) -> Result<bool> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().exists(ticket_no);
        }
        exists(self.conn()?, ticket_no)
    }

    /// What one engineer's day is made of, by ticket number: the onsite
    /// tickets promised (or appointed, R12) to them on a local day, every
    /// ticket with a visit or bench repair recorded since the day began
    /// (the caller keeps those of this engineer on this day: a visit is
    /// recorded at or after its arrival), and the carry-in machines open on
    /// their bench. Cancelled tickets included: a visit made before the
    /// cancellation is still part of the day. Visits are looked for among
    /// those recorded within [`RECORDED_WITHIN`] of the day's end (index
    /// `events_kind_at`), so an old day does not read every visit since.
    pub fn engineer_day(&self, cal: &Calendar, name: &str, day: NaiveDate) -> Result<Vec<Ticket>> {
        let (start, end) = day_span(cal, day);
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().engineer_day(name, start, end);
        }
        tickets(
            self,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE id IN (
                   SELECT id FROM tickets WHERE engineer = ?1 AND t3 >= ?2 AND t3 < ?3
                   UNION SELECT id FROM tickets WHERE engineer = ?1 AND service_type = 'carry_in'
                     AND status NOT IN ('resolved', 'cancelled')
                   UNION SELECT ticket_id FROM events WHERE kind IN ('visited', 'repaired')
                     AND at >= ?2 AND at < ?4 AND {KINDS_BY_TIME})
                 ORDER BY ticket_no"
            ),
            params![name, start, end, end + RECORDED_WITHIN],
        )
    }

    /// The active engineers and their planned visits on a local day (R17).
    pub fn staff_loads(&self, cal: &Calendar, day: NaiveDate) -> Result<Vec<StaffLoad>> {
        let span = day_span(cal, day);
        let mut out = Vec::new();
        for s in self.staff_list()? {
            let load = match &self.pg {
                Some(pg) => pg.borrow_mut().planned_visits(&s.name, span)?,
                None => planned_visits(self.conn()?, &s.name, span, None)?,
            };
            out.push(StaffLoad {
                name: s.name,
                capacity: s.capacity,
                site: s.site,
                load,
            });
        }
        Ok(out)
    }

    // --- the reports ---

    /// Tickets whose T1 falls in `[start, end)` (index `tickets_t1`).
    pub fn tickets_received(&self, start: Time, end: Time) -> Result<Vec<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().tickets_received(start, end);
        }
        tickets(
            self,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE t1 >= ?1 AND t1 < ?2 ORDER BY t1, id"
            ),
            params![ts(start), ts(end)],
        )
    }

    /// The codes of the stations whose tickets this desk reads, in order:
    /// on a shared database, the region's desk reads several; a file is one
    /// station and names none.
    pub fn stations(&self) -> Result<Vec<String>> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().stations(),
            None => Ok(Vec::new()),
        }
    }

    // In the queries below, `+column` keeps SQLite from reading the whole table
    // through `tickets_updated` or `tickets_t1`: the unfinished tickets are few,
    // and the partial index `tickets_open` lists exactly them.

    /// The T1 of every ticket unfinished at `as_of` (for the backlog by age),
    /// without reading the tickets' progress where the row is unchanged since.
    pub fn unfinished_t1_at(&self, as_of: Time) -> Result<Vec<Time>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().unfinished_t1_at(as_of);
        }
        let cut = ts(as_of);
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT t1 FROM tickets
             WHERE status NOT IN ('resolved', 'cancelled') AND +t1 < ?1 AND +updated_at < ?1",
        )?;
        let mut out: Vec<Time> = stmt
            .query_map([cut], |r| r.get::<_, i64>(0))?
            .map(|r| r.map(from_ts))
            .collect::<rusqlite::Result<_>>()?;
        out.extend(self.changed_since(as_of)?.into_iter().map(|t| t.t1));
        Ok(out)
    }

    /// Every ticket unfinished (not resolved or cancelled) at `as_of`, as it
    /// stood then. A ticket changed since is rebuilt from its events before
    /// `as_of`, so a past day's review shows that day's picture.
    pub fn unfinished_at(&self, as_of: Time) -> Result<Vec<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().unfinished_at(as_of);
        }
        // Unchanged since `as_of`: the row is still the picture of then.
        let mut out = tickets(
            self,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets
                 WHERE status NOT IN ('resolved', 'cancelled') AND +t1 < ?1 AND +updated_at < ?1"
            ),
            params![ts(as_of)],
        )?;
        out.extend(self.changed_since(as_of)?);
        out.sort_by(|a, b| (a.t1, &a.ticket_no).cmp(&(b.t1, &b.ticket_no)));
        Ok(out)
    }

    /// Tickets received before `as_of`, changed since and unfinished at
    /// `as_of`: rebuilt from their events before it (index `tickets_updated`).
    fn changed_since(&self, as_of: Time) -> Result<Vec<Ticket>> {
        let cut = ts(as_of);
        let mut out = Vec::new();
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn()?
                .prepare_cached("SELECT id FROM tickets WHERE updated_at >= ?1 AND t1 < ?1")?;
            stmt.query_map([cut], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        // Every event: a `received` event stored compact is restored from
        // the row with the later corrections taken back, then cut.
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 ORDER BY id"
        ))?;
        let mut number = self
            .conn()?
            .prepare_cached("SELECT ticket_no FROM tickets WHERE id = ?1")?;
        let mut row = self.conn()?.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"
        ))?;
        for id in ids {
            let events: std::result::Result<Vec<Event>, String> = stmt
                .query_map(params![id], event_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .collect();
            let events = events.and_then(|mut events| {
                if super::row::is_compact(&events) {
                    let t = row
                        .query_row([id], ticket_from_row)
                        .map_err(|e| e.to_string())?
                        .map_err(|d| d.detail)?;
                    super::row::restore_received(&t, &mut events)?;
                }
                events.retain(|e| ts(e.at) < cut);
                Ok(events)
            });
            let events = match events {
                Ok(events) => events,
                Err(detail) => {
                    let ticket_no = number.query_row([id], |r| r.get(0))?;
                    self.keep_readable(Err(Damaged { ticket_no, detail }));
                    continue;
                }
            };
            let Some(t) = replay(&events) else { continue };
            if !t.status.is_closed() {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Tickets with a visit recorded in `[start, end)` (index `events_kind_at`).
    pub fn tickets_visited(&self, start: Time, end: Time) -> Result<Vec<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().tickets_visited(start, end);
        }
        tickets(
            self,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE id IN
                   (SELECT ticket_id FROM events WHERE kind = 'visited' AND at >= ?1 AND at < ?2
                      AND {KINDS_BY_TIME})"
            ),
            params![ts(start), ts(end)],
        )
    }

    /// When tickets were resolved in `[start, end)`: close and
    /// phone-resolution events (index `events_kind_at`).
    pub fn resolution_times(&self, start: Time, end: Time) -> Result<Vec<Time>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().resolution_times(start, end);
        }
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT at FROM events WHERE kind IN ('closed', 'phone_resolved') AND at >= ?1 AND at < ?2
               AND {KINDS_BY_TIME}"
        ))?;
        let rows = stmt.query_map(params![ts(start), ts(end)], |r| r.get::<_, i64>(0))?;
        Ok(rows
            .map(|r| r.map(from_ts))
            .collect::<rusqlite::Result<_>>()?)
    }

    // --- the write-back file ---

    /// How many tickets changed in `[from, to)`.
    pub fn count_updated(&self, from: Option<Time>, to: Option<Time>) -> Result<u64> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().count_updated(from, to);
        }
        let (from, to) = bounds(from, to);
        Ok(self.conn()?.query_row(
            "SELECT COUNT(*) FROM tickets WHERE updated_at >= ?1 AND updated_at < ?2",
            [from, to],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Hands every ticket changed in `[from, to)` to `f`, by T1, one at a
    /// time (the write-back of a year need not fit in memory).
    pub fn each_updated<E: From<StoreError>>(
        &self,
        from: Option<Time>,
        to: Option<Time>,
        mut f: impl FnMut(Ticket) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().each_updated(from, to, f);
        }
        let (from, to) = bounds(from, to);
        let mut stmt = self
            .conn()?
            .prepare(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE updated_at >= ?1 AND updated_at < ?2 ORDER BY t1, id"
            ))
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map([from, to], ticket_from_row)
            .map_err(StoreError::from)?;
        for r in rows {
            if let Some(t) = self.keep_readable(r.map_err(StoreError::from)?) {
                f(t)?;
            }
        }
        Ok(())
    }

    // --- bulk writes ---

    /// Before a large batch (an import, the demo): keep up to `mib` MiB of
    /// pages in memory, so the indexes are not spilled to the log and read
    /// back for every row.
    /// (On PostgreSQL the server's own settings decide; nothing to do.)
    pub fn expect_bulk_writes(&self, mib: i64) -> Result<()> {
        if self.pg.is_some() {
            return Ok(());
        }
        self.conn()?
            .pragma_update(None, "cache_size", -mib * 1024)?;
        Ok(())
    }

    /// A connection that reads the open set once (the dashboard's thread
    /// reading behind its first screen): its pages are not kept (1 MiB),
    /// they would only add to the memory the rows take.
    pub fn expect_one_pass(&self) -> Result<()> {
        if self.pg.is_some() {
            return Ok(());
        }
        self.conn()?.pragma_update(None, "cache_size", -1024)?;
        Ok(())
    }
}

pub(super) fn exists(conn: &Connection, ticket_no: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM tickets WHERE ticket_no = ?1")?;
    Ok(stmt
        .query_row([ticket_no], |_| Ok(()))
        .optional()?
        .is_some())
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
