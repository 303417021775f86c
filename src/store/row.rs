//! Mapping between a ticket (and its events) and table rows.

use rusqlite::{Connection, Row, params};

use super::{Result, StoreError, from_ts, ts};
use crate::domain::event::{Change, Event};
use crate::domain::ticket::*;

pub const TICKET_COLUMNS: &str = "ticket_no, source, status, service_type, priority, special, urge, \
phone_invalid, out_of_coverage, customer_name, phones, address, district, product_line, model, \
serial, warranty, fault, note, t1, t2, t4, engineer, site, printed_at, progress, version, updated_at";

/// Phones are stored joined by '/', which never occurs inside one number.
const PHONE_SEP: &str = "/";

fn parse<T>(what: &str, v: &str, f: fn(&str) -> Option<T>) -> std::result::Result<T, String> {
    f(v).ok_or_else(|| format!("unknown {what} '{v}'"))
}

/// A ticket from a row selected with [`TICKET_COLUMNS`]; the inner error is
/// stored data that does not parse.
pub fn ticket_from_row(r: &Row) -> rusqlite::Result<std::result::Result<Ticket, String>> {
    let status: String = r.get(2)?;
    let service: String = r.get(3)?;
    let priority: String = r.get(4)?;
    let source: String = r.get(1)?;
    let warranty: String = r.get(16)?;
    let phones: String = r.get(10)?;
    let progress: String = r.get(25)?;
    let opt_ts = |i: usize| -> rusqlite::Result<Option<Time>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(from_ts))
    };
    let build = || -> std::result::Result<Ticket, String> {
        Ok(Ticket {
            ticket_no: r.get(0).map_err(|e| e.to_string())?,
            source: parse("source", &source, Source::parse)?,
            status: parse("status", &status, Status::parse)?,
            service_type: parse("service type", &service, ServiceType::parse)?,
            priority: parse("priority", &priority, Priority::parse)?,
            special: r.get(5).map_err(|e| e.to_string())?,
            urge: r.get(6).map_err(|e| e.to_string())?,
            phone_invalid: r.get(7).map_err(|e| e.to_string())?,
            out_of_coverage: r.get(8).map_err(|e| e.to_string())?,
            customer: Customer {
                name: r.get(9).map_err(|e| e.to_string())?,
                phones: phones
                    .split(PHONE_SEP)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
                address: r.get(11).map_err(|e| e.to_string())?,
                district: r.get(12).map_err(|e| e.to_string())?,
            },
            product: Product {
                line: r.get(13).map_err(|e| e.to_string())?,
                model: r.get(14).map_err(|e| e.to_string())?,
                serial: r.get(15).map_err(|e| e.to_string())?,
                warranty: parse("warranty", &warranty, Warranty::parse)?,
            },
            fault: r.get(17).map_err(|e| e.to_string())?,
            note: r.get(18).map_err(|e| e.to_string())?,
            t1: from_ts(r.get(19).map_err(|e| e.to_string())?),
            t2: opt_ts(20).map_err(|e| e.to_string())?,
            t4: opt_ts(21).map_err(|e| e.to_string())?,
            engineer: r.get(22).map_err(|e| e.to_string())?,
            site: r.get(23).map_err(|e| e.to_string())?,
            printed_at: opt_ts(24).map_err(|e| e.to_string())?,
            progress: serde_json::from_str(&progress).map_err(|e| format!("progress: {e}"))?,
            version: r.get(26).map_err(|e| e.to_string())?,
            updated_at: from_ts(r.get(27).map_err(|e| e.to_string())?),
        })
    };
    Ok(build())
}

fn progress_json(t: &Ticket) -> Result<String> {
    compact_progress(&t.progress)
}

/// Empty fields are left out (see [`Progress`]).
fn compact_progress(p: &Progress) -> Result<String> {
    serde_json::to_string(p).map_err(|e| StoreError::Data(e.to_string()))
}

/// Inserts a new ticket row; returns its id.
pub fn insert_ticket(conn: &Connection, t: &Ticket) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tickets (ticket_no, source, status, service_type, priority, special, urge,
            phone_invalid, out_of_coverage, customer_name, phones, address, district, product_line,
            model, serial, warranty, fault, note, t1, t2, t3, t3_count, t4, engineer, site,
            printed_at, progress, version, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    )?;
    stmt.execute(params![
        t.ticket_no,
        t.source.code(),
        t.status.code(),
        t.service_type.code(),
        t.priority.code(),
        t.special,
        t.urge,
        t.phone_invalid,
        t.out_of_coverage,
        t.customer.name,
        t.customer.phones.join(PHONE_SEP),
        t.customer.address,
        t.customer.district,
        t.product.line,
        t.product.model,
        t.product.serial,
        t.product.warranty.code(),
        t.fault,
        t.note,
        ts(t.t1),
        t.t2.map(ts),
        t.promised_at().map(ts),
        t.promises().len() as i64,
        t.t4.map(ts),
        t.engineer,
        t.site,
        t.printed_at.map(ts),
        progress_json(t)?,
        t.version,
        ts(t.updated_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Writes the new picture of a ticket. With `if_version`, only if the row is
/// still at that version (otherwise a conflict, nothing written).
pub fn write_ticket(conn: &Connection, id: i64, t: &Ticket, if_version: Option<i64>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE tickets SET status = ?2, special = ?3, urge = ?4, phone_invalid = ?5,
            out_of_coverage = ?6, customer_name = ?7, phones = ?8, address = ?9, district = ?10,
            product_line = ?11, model = ?12, serial = ?13, warranty = ?14, t2 = ?15, t3 = ?16,
            t3_count = ?17, t4 = ?18, engineer = ?19, site = ?20, printed_at = ?21, progress = ?22,
            version = ?23, updated_at = ?24
         WHERE id = ?1 AND (?25 IS NULL OR version = ?25)",
    )?;
    let n = stmt.execute(params![
        id,
        t.status.code(),
        t.special,
        t.urge,
        t.phone_invalid,
        t.out_of_coverage,
        t.customer.name,
        t.customer.phones.join(PHONE_SEP),
        t.customer.address,
        t.customer.district,
        t.product.line,
        t.product.model,
        t.product.serial,
        t.product.warranty.code(),
        t.t2.map(ts),
        t.promised_at().map(ts),
        t.promises().len() as i64,
        t.t4.map(ts),
        t.engineer,
        t.site,
        t.printed_at.map(ts),
        progress_json(t)?,
        t.version,
        ts(t.updated_at),
        if_version,
    ])?;
    if n == 0 {
        return Err(StoreError::Conflict {
            ticket_no: t.ticket_no.clone(),
            expected: if_version.unwrap_or_default(),
            actual: -1,
        });
    }
    Ok(())
}

pub fn insert_event(conn: &Connection, ticket_id: i64, e: &Event) -> Result<()> {
    let data = serde_json::to_string(&e.change).map_err(|err| StoreError::Data(err.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (ticket_id, at, actor, kind, from_status, to_status, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![
        ticket_id,
        ts(e.at),
        e.actor,
        e.change.kind(),
        e.from.map(Status::code),
        e.to.code(),
        data,
    ])?;
    Ok(())
}

/// An event from `SELECT at, actor, from_status, to_status, data`.
pub fn event_from_row(r: &Row) -> rusqlite::Result<std::result::Result<Event, String>> {
    let at: i64 = r.get(0)?;
    let actor: String = r.get(1)?;
    let from: Option<String> = r.get(2)?;
    let to: String = r.get(3)?;
    let data: String = r.get(4)?;
    let build = || -> std::result::Result<Event, String> {
        let change: Change = serde_json::from_str(&data).map_err(|e| format!("event: {e}"))?;
        Ok(Event {
            at: from_ts(at),
            actor,
            from: match from {
                Some(f) => Some(parse("status", &f, Status::parse)?),
                None => None,
            },
            to: parse("status", &to, Status::parse)?,
            change,
        })
    };
    Ok(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_without_its_defaults_reads_back_the_same() {
        let empty = Progress::default();
        assert_eq!(compact_progress(&empty).expect("json"), "{}");
        // Zero where the default is "none" is kept: no charge vs a free repair.
        let p = Progress {
            charge: Some(0.0),
            reopened: 2,
            was_multi_repair: true,
            returned_parts: vec!["主板".into()],
            signed_by: Some(String::new()),
            ..Progress::default()
        };
        let json = compact_progress(&p).expect("json");
        assert!(json.contains("\"charge\":0.0"), "{json}");
        assert!(!json.contains("promises"), "{json}");
        let back: Progress = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, p);
        // What earlier versions wrote, every field present, still reads.
        let full = serde_json::to_string(&p).expect("full");
        assert_eq!(serde_json::from_str::<Progress>(&full).expect("parse"), p);
    }
}
