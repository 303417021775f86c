//! Mapping between a ticket (and its events) and table rows.

use std::sync::LazyLock;

use rusqlite::{Connection, Row, ToSql, params};

use super::{Damaged, Result, StoreError, from_ts, ts};
use crate::domain::calendar::Calendar;
use crate::domain::command::NewTicket;
use crate::domain::event::{self, Change, Event};
use crate::domain::settings::Settings;
use crate::domain::sla;
use crate::domain::ticket::*;

pub const TICKET_COLUMNS: &str = "ticket_no, source, status, service_type, priority, special, urge, \
phone_invalid, out_of_coverage, customer_name, phones, address, district, product_line, model, \
serial, warranty, fault, note, t1, t2, t4, engineer, site, printed_at, progress, version, updated_at";

/// How many columns [`TICKET_COLUMNS`] names.
pub const TICKET_COLUMN_COUNT: usize = 28;

/// Phones are stored joined by '/', which never occurs inside one number.
const PHONE_SEP: &str = "/";

fn parse<T>(what: &str, v: &str, f: fn(&str) -> Option<T>) -> std::result::Result<T, String> {
    f(v).ok_or_else(|| format!("unknown {what} '{v}'"))
}

/// A ticket from a row selected with [`TICKET_COLUMNS`]; the inner error is
/// stored data that does not parse, naming the ticket.
pub fn ticket_from_row(r: &Row) -> rusqlite::Result<std::result::Result<Ticket, Damaged>> {
    ticket_from_row_at(r, 0)
}

/// [`ticket_from_row`] with [`TICKET_COLUMNS`] starting at column `o`.
pub fn ticket_from_row_at(
    r: &Row,
    o: usize,
) -> rusqlite::Result<std::result::Result<Ticket, Damaged>> {
    // Every column is read inside `build`: a value of the wrong type (NULL,
    // a number where text belongs) damages this ticket only.
    let text = |i: usize| -> std::result::Result<String, String> {
        r.get::<_, String>(i).map_err(|e| e.to_string())
    };
    let opt_ts = |i: usize| -> rusqlite::Result<Option<Time>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(from_ts))
    };
    let build = || -> std::result::Result<Ticket, String> {
        let (source, status, service) = (text(o + 1)?, text(o + 2)?, text(o + 3)?);
        let (priority, phones, warranty, progress) =
            (text(o + 4)?, text(o + 10)?, text(o + 16)?, text(o + 25)?);
        Ok(Ticket {
            ticket_no: r.get(o).map_err(|e| e.to_string())?,
            source: parse("source", &source, Source::parse)?,
            status: parse("status", &status, Status::parse)?,
            service_type: parse("service type", &service, ServiceType::parse)?,
            priority: parse("priority", &priority, Priority::parse)?,
            special: r.get(o + 5).map_err(|e| e.to_string())?,
            urge: r.get(o + 6).map_err(|e| e.to_string())?,
            phone_invalid: r.get(o + 7).map_err(|e| e.to_string())?,
            out_of_coverage: r.get(o + 8).map_err(|e| e.to_string())?,
            customer: Customer {
                name: r.get(o + 9).map_err(|e| e.to_string())?,
                phones: phones
                    .split(PHONE_SEP)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
                address: r.get(o + 11).map_err(|e| e.to_string())?,
                district: r.get(o + 12).map_err(|e| e.to_string())?,
            },
            product: Product {
                line: r.get(o + 13).map_err(|e| e.to_string())?,
                model: r.get(o + 14).map_err(|e| e.to_string())?,
                serial: r.get(o + 15).map_err(|e| e.to_string())?,
                warranty: parse("warranty", &warranty, Warranty::parse)?,
            },
            fault: r.get(o + 17).map_err(|e| e.to_string())?,
            note: r.get(o + 18).map_err(|e| e.to_string())?,
            t1: from_ts(r.get(o + 19).map_err(|e| e.to_string())?),
            t2: opt_ts(o + 20).map_err(|e| e.to_string())?,
            t4: opt_ts(o + 21).map_err(|e| e.to_string())?,
            engineer: r.get(o + 22).map_err(|e| e.to_string())?,
            site: r.get(o + 23).map_err(|e| e.to_string())?,
            printed_at: opt_ts(o + 24).map_err(|e| e.to_string())?,
            progress: serde_json::from_str(&progress).map_err(|e| format!("progress: {e}"))?,
            version: r.get(o + 26).map_err(|e| e.to_string())?,
            updated_at: from_ts(r.get(o + 27).map_err(|e| e.to_string())?),
        })
    };
    Ok(build().map_err(|detail| Damaged {
        // A number that is not text is shown as SQLite would print it.
        ticket_no: r
            .get::<_, rusqlite::types::Value>(0)
            .map(|v| match v {
                rusqlite::types::Value::Text(s) => s,
                rusqlite::types::Value::Integer(i) => i.to_string(),
                other => format!("{other:?}"),
            })
            .unwrap_or_default(),
        detail,
    }))
}

fn progress_json(t: &Ticket) -> Result<String> {
    compact_progress(&t.progress)
}

/// Empty fields are left out (see [`Progress`]).
fn compact_progress(p: &Progress) -> Result<String> {
    serde_json::to_string(p).map_err(|e| StoreError::Data(e.to_string()))
}

/// The columns a recorded change may touch, in the order of [`with_picture`]'s
/// values. The fixed ones (number, source, service type, priority, fault,
/// T1) are written once, on insert; the note is corrected (R19) like the
/// customer's fields.
pub(in crate::store) const PICTURE_COLUMNS: [&str; 24] = [
    "status",
    "special",
    "urge",
    "phone_invalid",
    "out_of_coverage",
    "customer_name",
    "phones",
    "address",
    "district",
    "product_line",
    "model",
    "serial",
    "warranty",
    "note",
    "t2",
    "t3",
    "t3_count",
    "t4",
    "engineer",
    "site",
    "printed_at",
    "progress",
    "version",
    "updated_at",
];

/// The schedule columns (migration 8), written after [`PICTURE_COLUMNS`] in
/// a SQLite file (a server keeps none).
const SCHEDULE_COLUMNS: [&str; 3] = ["alert_from", "alert_due", "quiet_due"];

/// What a ticket's row needs beyond the ticket: the settings and calendar
/// its schedule is computed with (`None`: a ticket copied as it is; its
/// schedule is marked not known).
pub type Policy<'a> = Option<(&'a Settings, &'a Calendar)>;

/// The schedule columns of a ticket (see migration 8).
fn schedule_values(t: &Ticket, policy: Policy) -> [Option<i64>; 3] {
    let Some((settings, cal)) = policy else {
        return [None; 3];
    };
    let s = sla::schedule(t, settings, cal);
    [
        Some(s.alert_from.map_or(NEVER, ts)),
        s.alert_due.map(ts),
        s.quiet_due.map(ts),
    ]
}

/// `alert_from` of a ticket no alert can show for.
pub const NEVER: i64 = i64::MAX;

/// The schedule of every open ticket already in the file, computed with the
/// default settings (migration 8: the configuration is not known to the
/// store; the next change of a ticket writes it with the desk's own).
pub(super) fn schedule_open_tickets(conn: &Connection) -> Result<()> {
    let settings = Settings::default();
    let cal = settings.calendar();
    let mut read = conn.prepare(&format!(
        "SELECT id, {TICKET_COLUMNS} FROM tickets WHERE status NOT IN ('resolved', 'cancelled')"
    ))?;
    let mut write = conn.prepare(
        "UPDATE tickets SET alert_from = ?2, alert_due = ?3, quiet_due = ?4 WHERE id = ?1",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let Ok(t) = ticket_from_row_at(r, 1)? else {
            continue; // does not read: stays not known
        };
        let [from, due, quiet] = schedule_values(&t, Some((&settings, &cal)));
        write.execute(params![id, from, due, quiet])?;
    }
    Ok(())
}

/// Hands the ticket's current picture, as SQL values in [`PICTURE_COLUMNS`]
/// then [`SCHEDULE_COLUMNS`] order, to `f`: one list for both the insert and
/// the update.
fn with_picture<R>(
    t: &Ticket,
    policy: Policy,
    f: impl FnOnce(&[&dyn ToSql]) -> Result<R>,
) -> Result<R> {
    let phones = t.customer.phones.join(PHONE_SEP);
    let progress = progress_json(t)?;
    let (status, warranty) = (t.status.code(), t.product.warranty.code());
    let (t2, t3, t4) = (t.t2.map(ts), t.due_at().map(ts), t.t4.map(ts));
    let t3_count = t.promises().len() as i64;
    let (printed_at, updated_at) = (t.printed_at.map(ts), ts(t.updated_at));
    let [alert_from, alert_due, quiet_due] = schedule_values(t, policy);
    f(&[
        &status,
        &t.special,
        &t.urge,
        &t.phone_invalid,
        &t.out_of_coverage,
        &t.customer.name,
        &phones,
        &t.customer.address,
        &t.customer.district,
        &t.product.line,
        &t.product.model,
        &t.product.serial,
        &warranty,
        &t.note,
        &t2,
        &t3,
        &t3_count,
        &t4,
        &t.engineer,
        &t.site,
        &printed_at,
        &progress,
        &t.version,
        &updated_at,
        &alert_from,
        &alert_due,
        &quiet_due,
    ])
}

static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    let fixed = "ticket_no, source, service_type, priority, fault, t1";
    let n = 6 + PICTURE_COLUMNS.len() + SCHEDULE_COLUMNS.len();
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO tickets ({fixed}, {}, {}) VALUES ({})",
        PICTURE_COLUMNS.join(", "),
        SCHEDULE_COLUMNS.join(", "),
        marks.join(", ")
    )
});

static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = PICTURE_COLUMNS
        .iter()
        .chain(&SCHEDULE_COLUMNS)
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    let guard = PICTURE_COLUMNS.len() + SCHEDULE_COLUMNS.len() + 2;
    format!(
        "UPDATE tickets SET {} WHERE id = ?1 AND (?{guard} IS NULL OR version = ?{guard})",
        sets.join(", ")
    )
});

/// Inserts a new ticket row; returns its id.
pub fn insert_ticket(conn: &Connection, t: &Ticket, policy: Policy) -> Result<i64> {
    let mut stmt = conn.prepare_cached(&INSERT_SQL)?;
    let (source, service, priority, t1) = (
        t.source.code(),
        t.service_type.code(),
        t.priority.code(),
        ts(t.t1),
    );
    with_picture(t, policy, |picture| {
        let fixed: [&dyn ToSql; 6] = [&t.ticket_no, &source, &service, &priority, &t.fault, &t1];
        let values: Vec<&dyn ToSql> = fixed.iter().chain(picture).copied().collect();
        stmt.execute(values.as_slice())?;
        Ok(())
    })?;
    Ok(conn.last_insert_rowid())
}

/// Writes the new picture of a ticket. With `if_version`, only if the row is
/// still at that version (otherwise a conflict, nothing written).
pub fn write_ticket(
    conn: &Connection,
    id: i64,
    t: &Ticket,
    policy: Policy,
    if_version: Option<i64>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&UPDATE_SQL)?;
    let n = with_picture(t, policy, |picture| {
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(picture.len() + 2);
        values.push(&id);
        values.extend_from_slice(picture);
        values.push(&if_version);
        Ok(stmt.execute(values.as_slice())?)
    })?;
    if n == 0 {
        return Err(StoreError::Conflict {
            ticket_no: t.ticket_no.clone(),
            expected: if_version.unwrap_or_default(),
            actual: -1,
        });
    }
    Ok(())
}

/// The columns [`event_from_row`] reads, in its order.
pub const EVENT_COLUMNS: &str = "at, actor, from_status, to_status, data, recorded_at";

pub fn insert_event(conn: &Connection, ticket_id: i64, e: &Event) -> Result<()> {
    let data = serde_json::to_string(&e.change).map_err(|err| StoreError::Data(err.to_string()))?;
    insert_event_data(conn, ticket_id, e, &data)
}

/// A new ticket's whole history: the `received` event without the ticket
/// it carries when the row (`t`, what the events make) gives it back
/// exactly (see [`compact_received`]), the others as they are.
pub fn insert_history(
    conn: &Connection,
    ticket_id: i64,
    t: &Ticket,
    events: &[Event],
) -> Result<()> {
    let compact = compact_received(t, events)?;
    for (i, e) in events.iter().enumerate() {
        match (i, &compact) {
            (0, Some(data)) => insert_event_data(conn, ticket_id, e, data)?,
            _ => insert_event(conn, ticket_id, e)?,
        }
    }
    Ok(())
}

/// A `received` event as stored when the ticket row holds what it
/// received (migration 6): only what the row does not hold. `special` and
/// `urge` are the dispatch's (the row's may change later); the flags are
/// what the rules decided on receipt.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReceived {
    kind: String,
    #[serde(default, skip_serializing_if = "is_false")]
    special: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    urge: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    phone_invalid: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    out_of_coverage: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The ticket row's fields as a dispatch, as the row reads back (phones
/// joined and split again).
fn row_as_dispatch(t: &Ticket, special: bool, urge: bool) -> NewTicket {
    let phones = t.customer.phones.join(PHONE_SEP);
    NewTicket {
        ticket_no: t.ticket_no.clone(),
        source: t.source,
        t1: t.t1,
        service_type: t.service_type,
        priority: t.priority,
        special,
        urge,
        customer: Customer {
            name: t.customer.name.clone(),
            phones: phones
                .split(PHONE_SEP)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            address: t.customer.address.clone(),
            district: t.customer.district.clone(),
        },
        product: t.product.clone(),
        fault: t.fault.clone(),
        note: t.note.clone(),
    }
}

/// The stored text of `events[0]` when it is a `received` event that the
/// row `t` (with the corrections among the later events taken back) gives
/// back exactly; `None` otherwise (it is then stored whole).
pub fn compact_received(t: &Ticket, events: &[Event]) -> Result<Option<String>> {
    let Some((first, later)) = events.split_first() else {
        return Ok(None);
    };
    let Change::Received {
        ticket,
        phone_invalid,
        out_of_coverage,
    } = &first.change
    else {
        return Ok(None);
    };
    let from_row = event::as_received(row_as_dispatch(t, ticket.special, ticket.urge), later);
    if from_row.as_ref() != Some(ticket.as_ref()) {
        return Ok(None);
    }
    let stored = StoredReceived {
        kind: first.change.kind().to_string(),
        special: ticket.special,
        urge: ticket.urge,
        phone_invalid: *phone_invalid,
        out_of_coverage: *out_of_coverage,
    };
    serde_json::to_string(&stored)
        .map(Some)
        .map_err(|e| StoreError::Data(e.to_string()))
}

/// Migration 6: every `received` event stored whole that the ticket's row
/// gives back exactly is stored compact instead; the others (a damaged row,
/// a `refreshed` event after it) stay as they are. How many were rewritten.
pub fn compact_history(conn: &Connection) -> Result<u64> {
    let mut received = conn.prepare(&format!(
        "SELECT {TICKET_COLUMNS}, e.id, e.ticket_id
         FROM events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.kind = 'received' ORDER BY e.id"
    ))?;
    let mut history = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 AND id >= ?2 ORDER BY id"
    ))?;
    let mut rewrite = conn.prepare("UPDATE events SET data = ?2 WHERE id = ?1")?;
    let mut rows = received.query([])?;
    let mut rewritten = 0;
    while let Some(r) = rows.next()? {
        let n = TICKET_COLUMN_COUNT;
        let (event_id, ticket_id): (i64, i64) = (r.get(n)?, r.get(n + 1)?);
        let Ok(t) = ticket_from_row(r)? else {
            continue;
        };
        let events: std::result::Result<Vec<Event>, String> = history
            .query_map(params![ticket_id, event_id], event_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .collect();
        let Ok(events) = events else { continue };
        if is_compact(&events) {
            continue;
        }
        if let Some(data) = compact_received(&t, &events)? {
            rewrite.execute(params![event_id, data])?;
            rewritten += 1;
        }
    }
    Ok(rewritten)
}

/// Does the history start with a compact `received` event, as read (before
/// [`restore_received`])?
pub fn is_compact(events: &[Event]) -> bool {
    matches!(events.first().map(|e| &e.change),
        Some(Change::Received { ticket, .. }) if ticket.ticket_no.is_empty())
}

/// Puts back the ticket a compact `received` event (the first of
/// `events`, as [`event_from_row`] read it) left to the row `t`.
pub fn restore_received(t: &Ticket, events: &mut [Event]) -> std::result::Result<(), String> {
    let Some((first, later)) = events.split_first_mut() else {
        return Ok(());
    };
    let Change::Received { ticket, .. } = &mut first.change else {
        return Ok(());
    };
    if !ticket.ticket_no.is_empty() {
        return Ok(());
    }
    let restored = event::as_received(row_as_dispatch(t, ticket.special, ticket.urge), later)
        .ok_or("its received event holds no ticket and a refreshed event follows it")?;
    **ticket = restored;
    Ok(())
}

/// A compact `received` event as read, before [`restore_received`]: a
/// ticket with no number (a real one always has one).
fn received_placeholder(s: StoredReceived) -> Change {
    Change::Received {
        ticket: Box::new(NewTicket {
            ticket_no: String::new(),
            source: Source::Cc,
            t1: Time::default(),
            service_type: ServiceType::Onsite,
            priority: Priority::Normal,
            special: s.special,
            urge: s.urge,
            customer: Customer::default(),
            product: Product {
                line: String::new(),
                model: String::new(),
                serial: String::new(),
                warranty: Warranty::In,
            },
            fault: String::new(),
            note: String::new(),
        }),
        phone_invalid: s.phone_invalid,
        out_of_coverage: s.out_of_coverage,
    }
}

/// An event's change from its stored text.
fn change_from_data(data: &str) -> std::result::Result<Change, String> {
    if data.starts_with(r#"{"kind":"received""#) && !data.contains(r#""ticket":"#) {
        let s: StoredReceived = serde_json::from_str(data).map_err(|e| format!("event: {e}"))?;
        return Ok(received_placeholder(s));
    }
    serde_json::from_str(data).map_err(|e| format!("event: {e}"))
}

fn insert_event_data(conn: &Connection, ticket_id: i64, e: &Event, data: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (ticket_id, at, actor, kind, from_status, to_status, data, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute(params![
        ticket_id,
        ts(e.at),
        e.actor,
        e.change.kind(),
        e.from.map(Status::code),
        e.to.code(),
        data,
        ts(e.recorded_at),
    ])?;
    Ok(())
}

/// An event from `SELECT` [`EVENT_COLUMNS`]. Events written before the
/// real moment was kept (R20) read it as their own time.
pub fn event_from_row(r: &Row) -> rusqlite::Result<std::result::Result<Event, String>> {
    event_from_row_at(r, 0)
}

/// An event whose [`EVENT_COLUMNS`] start at column `first`.
pub fn event_from_row_at(
    r: &Row,
    first: usize,
) -> rusqlite::Result<std::result::Result<Event, String>> {
    let at: i64 = r.get(first)?;
    let actor: String = r.get(first + 1)?;
    let from: Option<String> = r.get(first + 2)?;
    let to: String = r.get(first + 3)?;
    let data: String = r.get(first + 4)?;
    let recorded_at: Option<i64> = r.get(first + 5)?;
    let build = || -> std::result::Result<Event, String> {
        let change = change_from_data(&data)?;
        Ok(Event {
            at: from_ts(at),
            recorded_at: from_ts(recorded_at.unwrap_or(at)),
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
    fn column_lists_agree() {
        assert_eq!(TICKET_COLUMNS.split(',').count(), TICKET_COLUMN_COUNT);
        for c in PICTURE_COLUMNS {
            assert!(
                TICKET_COLUMNS.contains(c) || ["t3", "t3_count"].contains(&c),
                "{c}"
            );
        }
        assert!(
            UPDATE_SQL.ends_with("(?29 IS NULL OR version = ?29)"),
            "{}",
            *UPDATE_SQL
        );
        assert!(INSERT_SQL.contains("?33)"), "{}", *INSERT_SQL);
    }

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
