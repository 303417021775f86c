//! Everything a station holds, copied from one store into another, either
//! backend to either: `repairdesk migrate --to` (a station's file into a
//! server, and back so a station can leave) and `backup` of a shared
//! station (into a repairdesk file).
//!
//! What is copied: every ticket with its whole history, the staff list
//! (removed engineers included) with its history, and the day counters of
//! station tickets (R18), so the next `ZD-` number continues. The copy goes
//! through the domain types, not table rows, so the one code copies between
//! the two schemas; a round trip gives back the same `ticket show --json`
//! of every ticket.
//!
//! The source is read in one snapshot (others may keep working meanwhile);
//! the target is written in one transaction, counted, and committed only
//! if the counts are the source's: a failure leaves the target as it was.

use rusqlite::{Connection, params};

use super::row::{self, EVENT_COLUMNS, TICKET_COLUMN_COUNT, TICKET_COLUMNS, ticket_from_row};
use super::{Result, Store, StoreError, Tx, ts};
use crate::domain::event::Event;
use crate::domain::staff::{StaffEntry, StaffEvent};
use crate::domain::ticket::Ticket;

/// Tickets read from the source at a time (with their events).
const PAGE: usize = 2_000;

/// What a database holds, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Holdings {
    pub tickets: u64,
    pub events: u64,
    /// Engineers on the staff list, removed ones included.
    pub staff: u64,
    /// Changes of the staff list.
    pub staff_events: u64,
}

impl Holdings {
    pub fn is_empty(&self) -> bool {
        *self == Holdings::default()
    }
}

impl Store {
    /// Copies everything this store holds into `target`, which must hold
    /// nothing (see the module's comment); what was copied.
    pub fn copy_into(&self, target: &mut Store) -> Result<Holdings> {
        let held = target.holdings()?;
        if !held.is_empty() {
            return Err(StoreError::TargetNotEmpty {
                target: target.shown(),
                tickets: held.tickets,
                staff: held.staff,
            });
        }
        self.in_snapshot(|src| {
            let want = src.holdings()?;
            let mut tx = target.begin()?;
            copy(src, &mut tx)?;
            let got = tx.holdings()?;
            if got != want {
                return Err(StoreError::Data(format!(
                    "the copy does not add up (read {want:?}, written {got:?}); nothing was copied"
                )));
            }
            tx.commit()?;
            Ok(want)
        })
    }
}

fn copy(src: &Store, tx: &mut Tx) -> Result<()> {
    for entry in src.staff_entries()? {
        tx.copy_staff(&entry)?;
    }
    for e in src.staff_history(None)? {
        tx.copy_staff_event(&e)?;
    }
    for (name, value) in src.station_counters()? {
        tx.set_counter(&name, value)?;
    }
    let mut after = 0;
    loop {
        let page = src.tickets_page(after, PAGE)?;
        let (Some((first, _)), Some((last, _))) = (page.first(), page.last()) else {
            break;
        };
        let mut events = src.events_of_tickets(*first, *last)?.into_iter().peekable();
        for (id, ticket) in &page {
            let mut history = Vec::new();
            while let Some((_, e)) = events.next_if(|(of, _)| of == id) {
                history.push(e);
            }
            row::restore_received(ticket, &mut history).map_err(|detail| {
                StoreError::Damaged(super::Damaged {
                    ticket_no: ticket.ticket_no.clone(),
                    detail,
                })
            })?;
            tx.copy_ticket(ticket, &history)?;
        }
        after = *last;
    }
    Ok(())
}

// The reads and writes of the copy, SQLite's here, PostgreSQL's in
// `pg/copy.rs`.

impl Store {
    /// The database, as messages name it (never a password).
    pub fn shown(&self) -> String {
        match &self.pg {
            Some(pg) => pg.borrow().shown().to_string(),
            None => self.path.display().to_string(),
        }
    }

    /// What the database holds, counted.
    pub fn holdings(&self) -> Result<Holdings> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().holdings();
        }
        holdings(self.conn()?)
    }

    /// Runs `f` with every read in one snapshot of the database.
    fn in_snapshot<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().begin_snapshot()?,
            None => self.conn()?.execute_batch("BEGIN DEFERRED")?,
        }
        let out = f(self);
        match &self.pg {
            Some(pg) => pg.borrow_mut().rollback(),
            None => {
                let _ = self.conn()?.execute_batch("ROLLBACK");
            }
        }
        out
    }

    /// Every entry of the staff list, removed ones included, by name.
    fn staff_entries(&self) -> Result<Vec<StaffEntry>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().staff_entries();
        }
        let mut stmt = self
            .conn()?
            .prepare("SELECT name, capacity, site, active FROM staff ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(StaffEntry {
                name: r.get(0)?,
                capacity: r.get(1)?,
                site: r.get(2)?,
                active: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The day counters of station tickets (R18): `station:YYYYMMDD`.
    fn station_counters(&self) -> Result<Vec<(String, i64)>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().station_counters();
        }
        let mut stmt = self.conn()?.prepare(
            "SELECT name, value FROM counters WHERE name LIKE 'station:%' ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `limit` tickets with their row ids, the ids after `after`, in order.
    fn tickets_page(&self, after: i64, limit: usize) -> Result<Vec<(i64, Ticket)>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().tickets_page(after, limit);
        }
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS}, id FROM tickets WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((r.get::<_, i64>(TICKET_COLUMN_COUNT)?, ticket_from_row(r)?))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (id, t) = r?;
            out.push((id, t.map_err(StoreError::Damaged)?));
        }
        Ok(out)
    }

    /// The events of the tickets with row ids in `[first, last]`, by
    /// ticket, oldest first.
    fn events_of_tickets(&self, first: i64, last: i64) -> Result<Vec<(i64, Event)>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().events_of_tickets(first, last);
        }
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT ticket_id, {EVENT_COLUMNS} FROM events
             WHERE ticket_id BETWEEN ?1 AND ?2 ORDER BY ticket_id, id"
        ))?;
        let rows = stmt.query_map(params![first, last], |r| {
            Ok((r.get::<_, i64>(0)?, row::event_from_row_at(r, 1)?))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (id, e) = r?;
            out.push((id, e.map_err(StoreError::Data)?));
        }
        Ok(out)
    }
}

fn holdings(conn: &Connection) -> Result<Holdings> {
    let count =
        |sql: &str| -> Result<u64> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    Ok(Holdings {
        tickets: count("SELECT COUNT(*) FROM tickets")?,
        events: count("SELECT COUNT(*) FROM events")?,
        staff: count("SELECT COUNT(*) FROM staff")?,
        staff_events: count("SELECT COUNT(*) FROM staff_events")?,
    })
}

impl Tx<'_> {
    /// What the database holds so far in this transaction.
    pub fn holdings(&mut self) -> Result<Holdings> {
        match self {
            Tx::Sqlite(tx) => holdings(tx),
            Tx::Pg(t) => t.store().holdings(),
        }
    }

    /// A ticket copied as it is, with its whole history.
    pub fn copy_ticket(&mut self, t: &Ticket, history: &[Event]) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                // Its schedule is not known here (no settings): the
                // dashboard reads it as such until its next change.
                let id = row::insert_ticket(tx, t, None)?;
                row::insert_history(tx, id, t, history)
            }
            Tx::Pg(p) => p.store().copy_ticket(t, history),
        }
    }

    /// An entry of the staff list copied as it is.
    pub fn copy_staff(&mut self, e: &StaffEntry) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                tx.execute(
                    "INSERT INTO staff(name, capacity, site, active) VALUES (?1, ?2, ?3, ?4)",
                    params![e.name, e.capacity, e.site, e.active],
                )?;
                Ok(())
            }
            Tx::Pg(p) => p.store().copy_staff(e),
        }
    }

    /// A change of the staff list copied as it is.
    pub fn copy_staff_event(&mut self, e: &StaffEvent) -> Result<()> {
        let data = serde_json::json!({ "before": e.before, "after": e.after }).to_string();
        match self {
            Tx::Sqlite(tx) => {
                tx.execute(
                    "INSERT INTO staff_events(at, actor, kind, name, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![ts(e.at), e.actor, e.kind.code(), e.name, data],
                )?;
                Ok(())
            }
            Tx::Pg(p) => p.store().copy_staff_event(e, &data),
        }
    }

    pub fn set_counter(&mut self, name: &str, value: i64) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                tx.execute(
                    "INSERT INTO counters(name, value) VALUES (?1, ?2)
                     ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    params![name, value],
                )?;
                Ok(())
            }
            Tx::Pg(p) => p.store().set_counter(name, value),
        }
    }
}
