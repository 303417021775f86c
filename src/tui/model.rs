//! What the dashboard reads from the store. Pages, never whole tables: the
//! open set is bounded (a few thousand even on a million-ticket database),
//! closed tickets are read a page at a time, counts come from the
//! `tickets_open` partial index.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::rules::StaffLoad;
use crate::domain::sla::{self, Alert};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::present::engineer_day::DaySheet;
use crate::setup::app::App;
use crate::store::{ListFilter, Store, StoreError};

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
        None => store.open_tickets(limit + 1)?,
    };
    let cut = tickets.len() > limit;
    tickets.truncate(limit);
    Ok((tickets, cut))
}

/// Open tickets per status, from the partial index.
pub fn open_counts(store: &Store) -> Result<BTreeMap<Status, usize>, StoreError> {
    Ok(store
        .status_counts(true)?
        .into_iter()
        .map(|(s, n)| (s, n as usize))
        .collect())
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
        None => store.closed_recent(PAGE),
    }
}

/// One engineer's day: visits in arrival-time order, bench work apart.
pub fn engineer_day(
    store: &Store,
    app: &App,
    name: &str,
    day: NaiveDate,
) -> Result<DaySheet, StoreError> {
    let tickets = store.engineer_day(&app.calendar, name, day)?;
    let today = app.calendar.local(app.now()).date_naive();
    Ok(DaySheet::build(&app.calendar, name, day, today, tickets))
}

/// The active engineers and their planned visits on `day`.
pub fn staff_day(store: &Store, app: &App, day: NaiveDate) -> Result<Vec<StaffLoad>, StoreError> {
    store.staff_loads(&app.calendar, day)
}

/// Alerts of a ticket now, most urgent first.
pub fn alerts_of(app: &App, t: &Ticket, now: Time) -> Vec<Alert> {
    sla::ticket_alerts(t, now, &app.settings, &app.calendar)
}
