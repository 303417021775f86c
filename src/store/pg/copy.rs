//! The reads and writes of a copy between stores (`store/copy.rs`), on
//! PostgreSQL.

use super::{PgStore, Phase, describe, row};
use crate::domain::event::Event;
use crate::domain::staff::{StaffEntry, StaffEvent};
use crate::domain::ticket::Ticket;
use crate::store::copy::Holdings;
use crate::store::{EVENT_COLUMNS, Result, TICKET_COLUMN_COUNT, TICKET_COLUMNS, ts};

impl PgStore {
    /// Starts one read-only snapshot for the reads that follow (ended by
    /// [`PgStore::rollback`]).
    pub fn begin_snapshot(&mut self) -> Result<()> {
        let r = self
            .client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        r.map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    pub fn holdings(&mut self) -> Result<Holdings> {
        let r = self.client.query_one(
            "SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM events),
                    (SELECT COUNT(*) FROM staff), (SELECT COUNT(*) FROM staff_events)",
            &[],
        );
        let r = r.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        let n = |i: usize| u64::try_from(r.get::<_, i64>(i)).unwrap_or(0);
        Ok(Holdings {
            tickets: n(0),
            events: n(1),
            staff: n(2),
            staff_events: n(3),
        })
    }

    pub fn staff_entries(&mut self) -> Result<Vec<StaffEntry>> {
        let rows = self.client.query(
            "SELECT name, capacity, site, active FROM staff ORDER BY name COLLATE \"C\"",
            &[],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        Ok(rows
            .iter()
            .map(|r| StaffEntry {
                name: r.get(0),
                capacity: u32::try_from(r.get::<_, i64>(1)).unwrap_or(u32::MAX),
                site: r.get(2),
                active: r.get(3),
            })
            .collect())
    }

    pub fn station_counters(&mut self) -> Result<Vec<(String, i64)>> {
        let rows = self.client.query(
            "SELECT name, value FROM counters WHERE name LIKE 'station:%' ORDER BY name",
            &[],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub fn tickets_page(&mut self, after: i64, limit: usize) -> Result<Vec<(i64, Ticket)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.client.query(
            format!("SELECT {TICKET_COLUMNS}, id FROM tickets WHERE id > $1 ORDER BY id LIMIT $2")
                .as_str(),
            &[&after, &limit],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        rows.iter()
            .map(|r| Ok((r.get(TICKET_COLUMN_COUNT), row::ticket_from_row(r)?)))
            .collect()
    }

    pub fn events_of_tickets(&mut self, first: i64, last: i64) -> Result<Vec<(i64, Event)>> {
        let rows = self.client.query(
            format!(
                "SELECT ticket_id, {EVENT_COLUMNS} FROM events
                 WHERE ticket_id BETWEEN $1 AND $2 ORDER BY ticket_id, id"
            )
            .as_str(),
            &[&first, &last],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        rows.iter()
            .map(|r| Ok((r.get(0), row::event_from_row_at(r, 1)?)))
            .collect()
    }

    // The writes, inside the transaction `PgStore::begin` opened.

    pub fn copy_ticket(&mut self, t: &Ticket, history: &[Event]) -> Result<()> {
        let r = (|| {
            let mut db = self.db();
            let id = row::insert_ticket(&mut db, t)?;
            for e in history {
                row::insert_event(&mut db, id, e)?;
            }
            Ok(())
        })();
        r.map_err(|e| self.fail(e, Phase::Work))
    }

    pub fn copy_staff(&mut self, e: &StaffEntry) -> Result<()> {
        let r = self.client.execute(
            "INSERT INTO staff(name, capacity, site, active) VALUES ($1, $2, $3, $4)",
            &[&e.name, &i64::from(e.capacity), &e.site, &e.active],
        );
        r.map(drop)
            .map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    pub fn copy_staff_event(&mut self, e: &StaffEvent, data: &str) -> Result<()> {
        let r = self.client.execute(
            "INSERT INTO staff_events(at, actor, kind, name, data) VALUES ($1, $2, $3, $4, $5)",
            &[&ts(e.at), &e.actor, &e.kind.code(), &e.name, &data],
        );
        r.map(drop)
            .map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    pub fn set_counter(&mut self, name: &str, value: i64) -> Result<()> {
        let r = self.client.execute(
            "INSERT INTO counters(name, value) VALUES ($1, $2)
             ON CONFLICT(station, name) DO UPDATE SET value = excluded.value",
            &[&name, &value],
        );
        r.map(drop)
            .map_err(|e| describe(&self.shown, e, Phase::Work))
    }
}
