//! The open set and what changed since it was read: the dashboard holds
//! every open ticket (100,000 on a busy region's station) and, after another
//! desk's change, reads again only the tickets that changed.
//!
//! Every change of a ticket appends at least one event in the same
//! transaction, and on a SQLite file the writers take turns, so event ids
//! grow in commit order: the newest event id a reader has seen is a
//! watermark. The tickets changed after it are those with a newer event,
//! found on the `events` primary key (a range of the rowid) — no scan of
//! the open set. Measured at 100,000 open tickets: a full read ~0.5 s, the
//! changes after one transition well under a millisecond.
//!
//! On PostgreSQL, sequence values are taken before commit, so an event id
//! below the watermark can still appear later: the id is no watermark
//! there, and [`Store::open_changes`] answers [`OpenChanges::Unknown`] (read
//! the whole open set) until the server says which tickets changed
//! (LISTEN/NOTIFY feeding [`Store::tickets_by_no`]).

use rusqlite::OptionalExtension;

use super::row::{NEVER, ticket_from_row_at};
use super::{Result, Store, TICKET_COLUMNS, from_ts, ticket_from_row, ts};
use crate::domain::sla::Schedule;
use crate::domain::ticket::{Status, Ticket, Time};

/// How far into the history a read of the open set went: the newest event
/// it reflects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeMark(i64);

/// An order of one status's open tickets by their stored schedule
/// (`domain::sla::schedule`, see [`Store::open_scan`]).
#[derive(Clone, Copy, Debug)]
pub enum Scan {
    /// Those whose schedule is not known (a copied ticket), in no order.
    NotKnown,
    /// Those that may have an alert up at this moment, by `alert_due`.
    Alerted(Time),
    /// Those with a quiet deadline, by it.
    Quiet,
    /// Those without a quiet deadline, in no order.
    NoQuietDue,
}

/// What changed after a [`ChangeMark`].
#[derive(Debug)]
pub enum OpenChanges {
    /// `changed`: the number of every ticket changed since the mark (open
    /// or closed now, readable or not); `tickets`: those of them that are
    /// open and read; `mark`: the new watermark.
    Since {
        changed: Vec<String>,
        tickets: Vec<Ticket>,
        mark: ChangeMark,
    },
    /// The store cannot tell: read the whole open set again.
    Unknown,
}

impl Store {
    /// Every open ticket (not resolved or cancelled), in no particular
    /// order, handed to `each` as it is read (the caller keeps what it
    /// makes of them, not a second list), and the mark of the history they
    /// reflect, read in one snapshot.
    pub fn open_set(&self, mut each: impl FnMut(Ticket)) -> Result<ChangeMark> {
        if let Some(pg) = &self.pg {
            let tickets = pg.borrow_mut().open_tickets(usize::MAX)?;
            tickets.into_iter().for_each(each);
            return Ok(ChangeMark::default());
        }
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        let mark = newest_event(&tx)?;
        {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status NOT IN ('resolved', 'cancelled')"
            ))?;
            let rows = stmt.query_map([], ticket_from_row)?;
            for r in rows {
                if let Some(t) = self.keep_readable(r?) {
                    each(t);
                }
            }
        }
        tx.commit()?;
        Ok(mark)
    }

    /// The open tickets of `status` in one [`Scan`] order, each handed to
    /// `each` with the value it is ordered by, until `each` says stop
    /// (false). `Ok(false)`: this store keeps no schedules (a server), read
    /// the open set instead.
    pub fn open_scan(
        &self,
        status: Status,
        scan: Scan,
        mut each: impl FnMut(Ticket, Option<Time>) -> bool,
    ) -> Result<bool> {
        if self.pg.is_some() {
            return Ok(false);
        }
        // The partial indexes' own condition, literally, so SQLite uses them.
        let open = "status NOT IN ('resolved', 'cancelled') AND status = ?1";
        let (sql, now) = match scan {
            Scan::NotKnown => (
                format!(
                    "SELECT NULL, {TICKET_COLUMNS} FROM tickets WHERE {open} AND alert_from IS NULL"
                ),
                None,
            ),
            Scan::Alerted(now) => (
                format!(
                    "SELECT alert_due, {TICKET_COLUMNS} FROM tickets INDEXED BY tickets_open_alert \
                     WHERE {open} AND alert_from <= ?2 ORDER BY alert_due"
                ),
                Some(ts(now)),
            ),
            Scan::Quiet => (
                format!(
                    "SELECT quiet_due, {TICKET_COLUMNS} FROM tickets INDEXED BY tickets_open_quiet \
                     WHERE {open} AND quiet_due IS NOT NULL AND alert_from IS NOT NULL ORDER BY quiet_due"
                ),
                None,
            ),
            Scan::NoQuietDue => (
                format!(
                    "SELECT NULL, {TICKET_COLUMNS} FROM tickets WHERE {open} AND quiet_due IS NULL"
                ),
                None,
            ),
        };
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut rows = match now {
                Some(now) => stmt.query(rusqlite::params![status.code(), now])?,
                None => stmt.query([status.code()])?,
            };
            while let Some(r) = rows.next()? {
                let at: Option<i64> = r.get(0)?;
                if let Some(t) = self.keep_readable(ticket_from_row_at(r, 1)?)
                    && !each(t, at.map(from_ts))
                {
                    break;
                }
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// The schedule stored with a ticket (migration 8); `None`: no such
    /// ticket, a schedule not known (a copied ticket), or a store that
    /// keeps none (a server).
    pub fn stored_schedule(&self, ticket_no: &str) -> Result<Option<Schedule>> {
        if self.pg.is_some() {
            return Ok(None);
        }
        let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = self
            .conn()?
            .prepare_cached(
                "SELECT alert_from, alert_due, quiet_due FROM tickets WHERE ticket_no = ?1",
            )?
            .query_row([ticket_no], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(row.and_then(|(from, due, quiet)| {
            Some(Schedule {
                alert_from: from.filter(|f| *f != NEVER).map(from_ts),
                alert_due: due.map(from_ts),
                quiet_due: quiet.map(from_ts),
            })
            .filter(|_| from.is_some())
        }))
    }

    /// The tickets changed after `since` (see [`OpenChanges`]).
    pub fn open_changes(&self, since: ChangeMark) -> Result<OpenChanges> {
        if self.pg.is_some() {
            return Ok(OpenChanges::Unknown);
        }
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        let mark = newest_event(&tx)?;
        if mark.0 < since.0 {
            // The history never shrinks; a file replaced under us does.
            return Ok(OpenChanges::Unknown);
        }
        let ids = "SELECT DISTINCT ticket_id FROM events WHERE id > ?1 AND id <= ?2";
        let changed: Vec<String> = tx
            .prepare_cached(&format!(
                "SELECT ticket_no FROM tickets WHERE id IN ({ids})"
            ))?
            .query_map([since.0, mark.0], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let tickets = self.read_tickets(
            &tx,
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE id IN ({ids}) \
                 AND status NOT IN ('resolved', 'cancelled')"
            ),
            [since.0, mark.0],
        )?;
        tx.commit()?;
        Ok(OpenChanges::Since {
            changed,
            tickets,
            mark,
        })
    }

    /// The tickets with these numbers that exist and read (for a change
    /// told by the server, or a dashboard catching up on a few tickets).
    pub fn tickets_by_no(&self, numbers: &[String]) -> Result<Vec<Ticket>> {
        let mut out = Vec::with_capacity(numbers.len());
        for no in numbers {
            if let Some(t) = self.load(no)? {
                out.push(t);
            }
        }
        Ok(out)
    }

    fn read_tickets(
        &self,
        conn: &rusqlite::Connection,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Ticket>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, ticket_from_row)?;
        let mut out = Vec::new();
        for r in rows {
            out.extend(self.keep_readable(r?));
        }
        Ok(out)
    }
}

fn newest_event(conn: &rusqlite::Connection) -> Result<ChangeMark> {
    let id: Option<i64> = conn
        .query_row("SELECT MAX(id) FROM events", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(ChangeMark(id.unwrap_or(0)))
}
