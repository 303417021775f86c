//! Mapping between a ticket (and its events) and PostgreSQL rows: the same
//! columns as the SQLite file, booleans as `BOOLEAN`, times as Unix seconds.

use postgres::Row;
use postgres::types::ToSql;

use super::sql::Sql;

use crate::domain::event::{Change, Event};
use crate::domain::ticket::*;
use crate::store::{Damaged, Result, StoreError, from_ts, ts};

/// Phones are stored joined by '/', as in the SQLite file.
const PHONE_SEP: &str = "/";

fn parse<T>(what: &str, v: &str, f: fn(&str) -> Option<T>) -> std::result::Result<T, String> {
    f(v).ok_or_else(|| format!("unknown {what} '{v}'"))
}

/// A ticket from a row selected with [`crate::store::TICKET_COLUMNS`]; a
/// stored value that does not read is an error naming the ticket.
pub fn ticket_from_row(r: &Row) -> Result<Ticket> {
    readable(r).map_err(StoreError::Damaged)
}

/// A ticket of a list, or the ticket it left out ([`readable`]).
pub type Readable = std::result::Result<Ticket, Damaged>;

/// A ticket from a row of a list, or the ticket named as left out: one
/// stored value that does not read costs that ticket its place in a list,
/// not the list (as on SQLite; see `Store::damaged`).
pub fn readable(r: &Row) -> Readable {
    fields(r).map_err(|e| Damaged {
        ticket_no: r.try_get::<_, String>(0).unwrap_or_default(),
        detail: match e {
            StoreError::Data(detail) => detail,
            other => other.to_string(),
        },
    })
}

/// The ticket's fields, each checked.
fn fields(r: &Row) -> Result<Ticket> {
    let bad = |e: postgres::Error| StoreError::Data(e.to_string());
    let text = |i: usize| -> Result<String> { r.try_get::<_, String>(i).map_err(bad) };
    let flag = |i: usize| -> Result<bool> { r.try_get::<_, bool>(i).map_err(bad) };
    let opt_text = |i: usize| -> Result<Option<String>> { r.try_get(i).map_err(bad) };
    let opt_ts = |i: usize| -> Result<Option<Time>> {
        Ok(r.try_get::<_, Option<i64>>(i).map_err(bad)?.map(from_ts))
    };
    let data = StoreError::Data;
    let phones = text(10)?;
    Ok(Ticket {
        ticket_no: text(0)?,
        source: parse("source", &text(1)?, Source::parse).map_err(data)?,
        status: parse("status", &text(2)?, Status::parse).map_err(data)?,
        service_type: parse("service type", &text(3)?, ServiceType::parse).map_err(data)?,
        priority: parse("priority", &text(4)?, Priority::parse).map_err(data)?,
        special: flag(5)?,
        urge: flag(6)?,
        phone_invalid: flag(7)?,
        out_of_coverage: flag(8)?,
        customer: Customer {
            name: text(9)?,
            phones: phones
                .split(PHONE_SEP)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            address: text(11)?,
            district: text(12)?,
        },
        product: Product {
            line: text(13)?,
            model: text(14)?,
            serial: text(15)?,
            warranty: parse("warranty", &text(16)?, Warranty::parse).map_err(data)?,
        },
        fault: text(17)?,
        note: text(18)?,
        t1: from_ts(r.try_get(19).map_err(bad)?),
        t2: opt_ts(20)?,
        t4: opt_ts(21)?,
        engineer: opt_text(22)?,
        site: opt_text(23)?,
        printed_at: opt_ts(24)?,
        progress: serde_json::from_str(&text(25)?)
            .map_err(|e| StoreError::Data(format!("progress: {e}")))?,
        version: r.try_get(26).map_err(bad)?,
        updated_at: from_ts(r.try_get(27).map_err(bad)?),
    })
}

/// The columns a recorded change may touch: the same as on SQLite.
use crate::store::row::PICTURE_COLUMNS;

/// The values of [`PICTURE_COLUMNS`], owned, for one statement.
struct Picture {
    status: &'static str,
    phones: String,
    warranty: &'static str,
    t2: Option<i64>,
    t3: Option<i64>,
    t3_count: i64,
    t4: Option<i64>,
    printed_at: Option<i64>,
    progress: String,
    updated_at: i64,
}

impl Picture {
    fn of(t: &Ticket) -> Result<Picture> {
        Ok(Picture {
            status: t.status.code(),
            phones: t.customer.phones.join(PHONE_SEP),
            warranty: t.product.warranty.code(),
            t2: t.t2.map(ts),
            // The time the engineer is due: an appointment after T33 (R12)
            // drives the day like a T3, as on SQLite.
            t3: t.due_at().map(ts),
            t3_count: t.promises().len() as i64,
            t4: t.t4.map(ts),
            printed_at: t.printed_at.map(ts),
            progress: serde_json::to_string(&t.progress)
                .map_err(|e| StoreError::Data(e.to_string()))?,
            updated_at: ts(t.updated_at),
        })
    }

    fn values<'a>(&'a self, t: &'a Ticket) -> [&'a (dyn ToSql + Sync); 24] {
        [
            &self.status,
            &t.special,
            &t.urge,
            &t.phone_invalid,
            &t.out_of_coverage,
            &t.customer.name,
            &self.phones,
            &t.customer.address,
            &t.customer.district,
            &t.product.line,
            &t.product.model,
            &t.product.serial,
            &self.warranty,
            &t.note,
            &self.t2,
            &self.t3,
            &self.t3_count,
            &self.t4,
            &t.engineer,
            &t.site,
            &self.printed_at,
            &self.progress,
            &t.version,
            &self.updated_at,
        ]
    }
}

fn insert_sql() -> String {
    let fixed = "ticket_no, source, service_type, priority, fault, t1";
    let n = 6 + PICTURE_COLUMNS.len();
    let marks: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO tickets ({fixed}, {}) VALUES ({}) ON CONFLICT (station, ticket_no) DO NOTHING RETURNING id",
        PICTURE_COLUMNS.join(", "),
        marks.join(", ")
    )
}

fn update_sql() -> String {
    let sets: Vec<String> = PICTURE_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 2))
        .collect();
    let guard = PICTURE_COLUMNS.len() + 2;
    format!(
        "UPDATE tickets SET {} WHERE id = $1 AND (${guard}::BIGINT IS NULL OR version = ${guard})",
        sets.join(", ")
    )
}

/// Inserts a new ticket row; returns its id (a number already there is
/// [`StoreError::Duplicate`]).
pub fn insert_ticket(c: &mut impl Sql, t: &Ticket) -> Result<i64> {
    let p = Picture::of(t)?;
    let (source, service, priority, t1) = (
        t.source.code(),
        t.service_type.code(),
        t.priority.code(),
        ts(t.t1),
    );
    let fixed: [&(dyn ToSql + Sync); 6] =
        [&t.ticket_no, &source, &service, &priority, &t.fault, &t1];
    let values: Vec<&(dyn ToSql + Sync)> =
        fixed.iter().chain(p.values(t).iter()).copied().collect();
    // A number already there inserts nothing and aborts nothing: the
    // caller's batch goes on.
    match c.query_opt(insert_sql().as_str(), &values)? {
        Some(row) => Ok(row.get(0)),
        None => Err(StoreError::Duplicate(t.ticket_no.clone())),
    }
}

/// Writes the new picture of a ticket. With `if_version`, only if the row is
/// still at that version (otherwise a conflict, nothing written).
pub fn write_ticket(c: &mut impl Sql, id: i64, t: &Ticket, if_version: Option<i64>) -> Result<()> {
    let p = Picture::of(t)?;
    let mut values: Vec<&(dyn ToSql + Sync)> = vec![&id];
    values.extend(p.values(t));
    values.push(&if_version);
    let n = c.execute(update_sql().as_str(), &values)?;
    if n == 0 {
        return Err(StoreError::Conflict {
            ticket_no: t.ticket_no.clone(),
            expected: if_version.unwrap_or_default(),
            actual: -1,
        });
    }
    Ok(())
}

pub fn insert_event(c: &mut impl Sql, ticket_id: i64, e: &Event) -> Result<()> {
    let data = serde_json::to_string(&e.change).map_err(|err| StoreError::Data(err.to_string()))?;
    c.execute(
        "INSERT INTO events (ticket_id, at, actor, kind, from_status, to_status, data, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &ticket_id,
            &ts(e.at),
            &e.actor,
            &e.change.kind(),
            &e.from.map(Status::code),
            &e.to.code(),
            &data,
            &ts(e.recorded_at),
        ],
    )?;
    Ok(())
}

/// An event from `SELECT` [`crate::store::EVENT_COLUMNS`]; one written
/// before the real moment was kept (R20) reads it as its own time.
pub fn event_from_row(r: &Row) -> Result<Event> {
    event_from_row_at(r, 0)
}

/// An event whose [`crate::store::EVENT_COLUMNS`] start at column `first`.
pub fn event_from_row_at(r: &Row, first: usize) -> Result<Event> {
    let bad = |e: postgres::Error| StoreError::Data(e.to_string());
    let from: Option<String> = r.try_get(first + 2).map_err(bad)?;
    let to: String = r.try_get(first + 3).map_err(bad)?;
    let data: String = r.try_get(first + 4).map_err(bad)?;
    let at: i64 = r.try_get(first).map_err(bad)?;
    let recorded_at: Option<i64> = r.try_get(first + 5).map_err(bad)?;
    let change: Change =
        serde_json::from_str(&data).map_err(|e| StoreError::Data(format!("event: {e}")))?;
    Ok(Event {
        at: from_ts(at),
        recorded_at: from_ts(recorded_at.unwrap_or(at)),
        actor: r.try_get(first + 1).map_err(bad)?,
        from: match from {
            Some(f) => Some(parse("status", &f, Status::parse).map_err(StoreError::Data)?),
            None => None,
        },
        to: parse("status", &to, Status::parse).map_err(StoreError::Data)?,
        change,
    })
}
