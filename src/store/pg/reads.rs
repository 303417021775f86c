//! The named reads behind the screens, the reports and the files, on
//! PostgreSQL: the same questions, the same answers in the same order as the
//! SQLite store's (`store/reads.rs`).

use std::collections::BTreeMap;

use super::sql::Sql;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::{PgStore, Phase, describe, row};
use crate::domain::event::{self, Change, Event};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::store::{
    DispatchOverride, EVENT_COLUMNS, Result, StoreError, TICKET_COLUMNS, from_ts, ts,
};

/// `[from, to)` as stored seconds; an open end is unbounded.
fn bounds(from: Option<Time>, to: Option<Time>) -> (i64, i64) {
    (from.map_or(i64::MIN, ts), to.map_or(i64::MAX, ts))
}

/// The engineer's open onsite tickets due within `span` (their planned
/// visits that day, R17), leaving out `except`: the one query behind the
/// dispatch check and the dashboard's engineer list, as on SQLite.
pub(super) fn planned_visits(
    c: &mut impl Sql,
    name: &str,
    (start, end): (i64, i64),
    except: Option<&str>,
) -> Result<u32> {
    let n: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM tickets WHERE engineer = $1 AND t3 >= $2 AND t3 < $3
               AND ($4::TEXT IS NULL OR ticket_no <> $4) AND status NOT IN ('resolved', 'cancelled')
               AND service_type = 'onsite'",
            &[&name, &start, &end, &except],
        )?
        .get(0);
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

impl PgStore {
    /// The desk's own station as a condition on `table` (a name or an
    /// alias), for a desk that has one: the policies alone already keep
    /// every other station's rows out, but only a condition the server can
    /// match against its station-first indexes (migration 4) spares it
    /// reading and refusing them one by one on a database of many stations.
    /// Empty for the region's and the administrator's desks that name no
    /// station: they read every station.
    pub(super) fn scope(&self, table: &str) -> String {
        if self.me.station.is_some() {
            format!(" AND {table}.station = repairdesk_station()")
        } else {
            String::new()
        }
    }

    /// Runs a read; a failure is the one line naming the server.
    fn read<T>(&mut self, f: impl FnOnce(&mut postgres::Client) -> Result<T>) -> Result<T> {
        let r = f(&mut self.client);
        r.map_err(|e| self.fail(e, Phase::Read))
    }

    fn tickets(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<Vec<Ticket>> {
        let read = self.read(|c| Ok(c.query(sql, args)?.iter().map(row::readable).collect()))?;
        Ok(self.keep_readable(read))
    }

    fn times(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<Vec<Time>> {
        self.read(|c| {
            Ok(c.query(sql, args)?
                .iter()
                .map(|r| from_ts(r.get(0)))
                .collect())
        })
    }

    fn count(&mut self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.read(|c| Ok(u64::try_from(c.query_one(sql, args)?.get::<_, i64>(0)).unwrap_or(0)))
    }

    pub fn open_tickets(&mut self, limit: usize) -> Result<Vec<Ticket>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.tickets(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status NOT IN ('resolved', 'cancelled'){} LIMIT $1",
                self.scope("tickets")
            ),
            &[&limit],
        )
    }

    pub fn closed_recent(&mut self, limit: usize) -> Result<Vec<Ticket>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.tickets(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status IN ('resolved', 'cancelled'){} \
                 ORDER BY updated_at DESC, id DESC LIMIT $1",
                self.scope("tickets")
            ),
            &[&limit],
        )
    }

    pub fn status_counts(&mut self, open_only: bool) -> Result<BTreeMap<Status, u64>> {
        let sql = format!(
            "SELECT status, COUNT(*) FROM tickets WHERE {}{} GROUP BY status",
            if open_only {
                "status NOT IN ('resolved', 'cancelled')"
            } else {
                "true"
            },
            self.scope("tickets")
        );
        self.read(|c| {
            let mut out = BTreeMap::new();
            for r in c.query(sql.as_str(), &[])? {
                let s: String = r.get(0);
                if let Some(status) = Status::parse(&s) {
                    out.insert(status, u64::try_from(r.get::<_, i64>(1)).unwrap_or(0));
                }
            }
            Ok(out)
        })
    }

    pub fn ticket_count(&mut self) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM tickets WHERE true{}",
            self.scope("tickets")
        );
        self.count(&sql, &[])
    }

    pub fn event_count(&mut self) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM events WHERE true{}",
            self.scope("events")
        );
        self.count(&sql, &[])
    }

    pub fn planned_visits(&mut self, name: &str, span: (i64, i64)) -> Result<u32> {
        self.read(|c| planned_visits(c, name, span, None))
    }

    pub fn tickets_received(&mut self, start: Time, end: Time) -> Result<Vec<Ticket>> {
        self.tickets(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE t1 >= $1 AND t1 < $2{} ORDER BY t1, id",
                self.scope("tickets")
            ),
            &[&ts(start), &ts(end)],
        )
    }

    pub fn unfinished_t1_at(&mut self, as_of: Time) -> Result<Vec<Time>> {
        let sql = format!(
            "SELECT t1 FROM tickets
             WHERE status NOT IN ('resolved', 'cancelled') AND t1 < $1 AND updated_at < $1{}",
            self.scope("tickets")
        );
        let mut out = self.times(&sql, &[&ts(as_of)])?;
        out.extend(self.changed_since(as_of)?.into_iter().map(|t| t.t1));
        Ok(out)
    }

    pub fn unfinished_at(&mut self, as_of: Time) -> Result<Vec<Ticket>> {
        let mut out = self.tickets(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets
                 WHERE status NOT IN ('resolved', 'cancelled') AND t1 < $1 AND updated_at < $1{}",
                self.scope("tickets")
            ),
            &[&ts(as_of)],
        )?;
        out.extend(self.changed_since(as_of)?);
        out.sort_by(|a, b| (a.t1, &a.ticket_no).cmp(&(b.t1, &b.ticket_no)));
        Ok(out)
    }

    /// Tickets received before `as_of`, changed since and unfinished then:
    /// rebuilt from their events before it, in one round trip.
    fn changed_since(&mut self, as_of: Time) -> Result<Vec<Ticket>> {
        let cut = ts(as_of);
        let sql = format!(
            "SELECT e.ticket_id, {} FROM events e JOIN tickets t ON t.id = e.ticket_id
             WHERE t.updated_at >= $1 AND t.t1 < $1 AND e.at < $1{}
             ORDER BY e.ticket_id, e.id",
            prefixed("e", EVENT_COLUMNS),
            self.scope("t")
        );
        self.read(|c| {
            let rows = c.query(sql.as_str(), &[&cut])?;
            let mut out = Vec::new();
            let mut current: Option<i64> = None;
            let mut events: Vec<Event> = Vec::new();
            let flush = |events: &mut Vec<Event>, out: &mut Vec<Ticket>| {
                if let Some(t) = replay(events)
                    && !t.status.is_closed()
                {
                    out.push(t);
                }
                events.clear();
            };
            for r in &rows {
                let id: i64 = r.get(0);
                if current.is_some_and(|c| c != id) {
                    flush(&mut events, &mut out);
                }
                current = Some(id);
                events.push(row::event_from_row_at(r, 1)?);
            }
            flush(&mut events, &mut out);
            Ok(out)
        })
    }

    pub fn tickets_visited(&mut self, start: Time, end: Time) -> Result<Vec<Ticket>> {
        self.tickets(
            &format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE id IN
                   (SELECT ticket_id FROM events WHERE kind = 'visited' AND at >= $1 AND at < $2{})",
                self.scope("events")
            ),
            &[&ts(start), &ts(end)],
        )
    }

    pub fn resolution_times(&mut self, start: Time, end: Time) -> Result<Vec<Time>> {
        let sql = format!(
            "SELECT at FROM events WHERE kind IN ('closed', 'phone_resolved') AND at >= $1 AND at < $2{}",
            self.scope("events")
        );
        self.times(&sql, &[&ts(start), &ts(end)])
    }

    /// Dispatches without a printed work order (R7) in `[from, to)`.
    pub fn dispatch_overrides(&mut self, from: Time, to: Time) -> Result<Vec<DispatchOverride>> {
        let sql = format!(
            "SELECT t.ticket_no, {} FROM events e JOIN tickets t ON t.id = e.ticket_id
             WHERE e.kind = 'dispatched' AND e.at >= $1 AND e.at < $2
               AND (e.data::jsonb ->> 'override_reason') IS NOT NULL{}
             ORDER BY e.at, e.id",
            prefixed("e", EVENT_COLUMNS),
            self.scope("e")
        );
        self.read(|c| {
            let mut out = Vec::new();
            for r in c.query(sql.as_str(), &[&ts(from), &ts(to)])? {
                let e = row::event_from_row_at(&r, 1)?;
                if let Change::Dispatched {
                    engineer,
                    override_reason: Some(reason),
                    ..
                } = e.change
                {
                    out.push(DispatchOverride {
                        ticket_no: r.get(0),
                        at: e.at,
                        actor: e.actor,
                        engineer,
                        reason,
                    });
                }
            }
            Ok(out)
        })
    }

    pub fn count_updated(&mut self, from: Option<Time>, to: Option<Time>) -> Result<u64> {
        let (from, to) = bounds(from, to);
        let sql = format!(
            "SELECT COUNT(*) FROM tickets WHERE updated_at >= $1 AND updated_at < $2{}",
            self.scope("tickets")
        );
        self.count(&sql, &[&from, &to])
    }

    /// Hands every ticket changed in `[from, to)` to `f`, by T1, streamed
    /// from the server a row at a time.
    pub fn each_updated<E: From<StoreError>>(
        &mut self,
        from: Option<Time>,
        to: Option<Time>,
        mut f: impl FnMut(Ticket) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let (from, to) = bounds(from, to);
        let shown = self.shown.clone();
        let lost = |e| describe(&shown, e, Phase::Read);
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE updated_at >= $1 AND updated_at < $2{} ORDER BY t1, id",
            self.scope("tickets")
        );
        let args: [&(dyn ToSql + Sync); 2] = [&from, &to];
        let mut rows = self.client.query_raw(sql.as_str(), args).map_err(lost)?;
        while let Some(r) = rows.next().map_err(lost)? {
            match row::readable(&r) {
                Ok(t) => f(t)?,
                Err(d) => {
                    if !self.damaged.contains(&d) {
                        self.damaged.push(d);
                    }
                }
            }
        }
        Ok(())
    }
}

/// `a, b` as `e.a, e.b`.
fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
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
