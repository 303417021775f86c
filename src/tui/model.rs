//! What the dashboard reads from the store. Pages, never whole tables: the
//! open set is bounded (a few thousand even on a million-ticket database),
//! closed tickets are read a page at a time, counts come from the
//! `tickets_open` partial index.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;

use crate::domain::sla::{self, Alert};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::setup::app::App;
use crate::store::{self, ListFilter, Store, StoreError, TICKET_COLUMNS, ticket_from_row};

/// At most this many open tickets are held (alerts are computed over them).
pub const OPEN_LIMIT: usize = 20_000;
/// A page of filtered or closed tickets.
pub const PAGE: usize = 200;

/// An open ticket and its alerts at the last tick, most urgent first.
#[derive(Clone, Debug)]
pub struct Row {
    pub ticket: Ticket,
    pub alerts: Vec<Alert>,
}

impl Row {
    pub fn alert(&self) -> Option<&Alert> {
        self.alerts.first()
    }
}

/// An engineer with their visits planned on one day (R17).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffDay {
    pub name: String,
    pub capacity: u32,
    pub site: Option<String>,
    pub load: u32,
}

fn collect(
    stmt: &mut rusqlite::Statement,
    args: impl rusqlite::Params,
) -> Result<Vec<Ticket>, StoreError> {
    let rows = stmt.query_map(args, ticket_from_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?.map_err(StoreError::Data)?);
    }
    Ok(out)
}

/// Open tickets (the four panes and cancel requests); with `search`, one page
/// of matches. The flag says the set was cut at its limit.
pub fn load_open(store: &Store, search: Option<&str>) -> Result<(Vec<Ticket>, bool), StoreError> {
    let limit = if search.is_some() { PAGE } else { OPEN_LIMIT };
    let mut tickets = match search {
        Some(text) => store.list(&ListFilter {
            open_only: true,
            search: Some(text.to_string()),
            limit: Some(limit + 1),
            ..ListFilter::default()
        })?,
        None => {
            let mut stmt = store.conn().prepare_cached(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status NOT IN ('resolved', 'cancelled') LIMIT ?1"
            ))?;
            collect(&mut stmt, [(limit + 1) as i64])?
        }
    };
    let cut = tickets.len() > limit;
    tickets.truncate(limit);
    Ok((tickets, cut))
}

/// Open tickets per status, from the partial index.
pub fn open_counts(store: &Store) -> Result<BTreeMap<Status, usize>, StoreError> {
    let mut stmt = store.conn().prepare_cached(
        "SELECT status, COUNT(*) FROM tickets WHERE status NOT IN ('resolved', 'cancelled') GROUP BY status",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = BTreeMap::new();
    for r in rows {
        let (s, n) = r?;
        if let Some(status) = Status::parse(&s) {
            out.insert(status, n as usize);
        }
    }
    Ok(out)
}

/// The latest page of closed tickets (resolved or cancelled), newest first.
pub fn closed_page(store: &Store, search: Option<&str>) -> Result<Vec<Ticket>, StoreError> {
    match search {
        Some(text) => {
            let mut t = store.list(&ListFilter {
                statuses: vec![Status::Resolved, Status::Cancelled],
                search: Some(text.to_string()),
                limit: Some(PAGE),
                ..ListFilter::default()
            })?;
            t.sort_by_key(|x| std::cmp::Reverse(x.updated_at));
            Ok(t)
        }
        None => {
            let mut stmt = store.conn().prepare_cached(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE status IN ('resolved', 'cancelled') \
                 ORDER BY updated_at DESC, id DESC LIMIT ?1"
            ))?;
            collect(&mut stmt, [PAGE as i64])
        }
    }
}

/// One engineer's assignments on a day, in promised-time order (not cancelled).
pub fn engineer_day(
    store: &Store,
    app: &App,
    name: &str,
    day: NaiveDate,
) -> Result<Vec<Ticket>, StoreError> {
    let (start, end) = store::day_span(&app.calendar, day);
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE engineer = ?1 AND t3 >= ?2 AND t3 < ?3 \
         AND status <> 'cancelled' ORDER BY t3, id"
    ))?;
    collect(&mut stmt, params![name, start, end])
}

/// The active engineers and their planned visits on `day`.
pub fn staff_day(store: &Store, app: &App, day: NaiveDate) -> Result<Vec<StaffDay>, StoreError> {
    let (start, end) = store::day_span(&app.calendar, day);
    let staff = store.staff_list()?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT COUNT(*) FROM tickets WHERE engineer = ?1 AND t3 >= ?2 AND t3 < ?3 \
         AND status NOT IN ('resolved', 'cancelled')",
    )?;
    let mut out = Vec::new();
    for s in staff {
        let load: u32 = stmt.query_row(params![s.name, start, end], |r| r.get(0))?;
        out.push(StaffDay {
            name: s.name,
            capacity: s.capacity,
            site: s.site,
            load,
        });
    }
    Ok(out)
}

/// Alerts of a ticket now, most urgent first.
pub fn alerts_of(app: &App, t: &Ticket, now: Time) -> Vec<Alert> {
    sla::ticket_alerts(t, now, &app.settings, &app.calendar)
}
