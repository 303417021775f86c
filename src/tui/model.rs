//! What the dashboard reads from the store. The open set is held whole
//! (every open ticket, 100,000 on a busy station) and kept up to date with
//! the tickets changed since it was read; closed tickets are read a page at
//! a time, counts come from the `tickets_open` partial index.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::calendar::Calendar;
use crate::domain::rules::StaffLoad;
use crate::domain::settings::Settings;
use crate::domain::sla::{self, Alert, Urgency};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::present::engineer_day::DaySheet;
use crate::setup::app::App;
use crate::store::{ListFilter, Store, StoreError};

/// A page of filtered or closed tickets.
pub const PAGE: usize = 200;

/// An open ticket and its alerts at the last tick, most urgent first, with
/// its place in "most urgent first" kept beside them.
#[derive(Clone, Debug)]
pub struct Row {
    pub ticket: Ticket,
    pub alerts: Vec<Alert>,
    pub urgency: Urgency,
}

impl Row {
    /// The row of a ticket with its alerts at `now`.
    pub fn new(app: &App, ticket: Ticket, now: Time) -> Row {
        Row::with(&app.settings, &app.calendar, ticket, now)
    }

    /// [`Row::new`] with the settings and calendar alone (a reader thread
    /// holds no `App`).
    pub fn with(settings: &Settings, cal: &Calendar, ticket: Ticket, now: Time) -> Row {
        let mut alerts = sla::ticket_alerts(&ticket, now, settings, cal);
        // Held for every open ticket: no room for alerts it does not have.
        alerts.shrink_to_fit();
        let urgency = sla::urgency_key(&ticket, alerts.first(), settings, cal);
        Row {
            ticket,
            alerts,
            urgency,
        }
    }

    pub fn alert(&self) -> Option<&Alert> {
        self.alerts.first()
    }

    /// Its alerts again at `now`; true when they changed.
    pub fn refresh(&mut self, app: &App, now: Time) -> bool {
        let mut alerts = alerts_of(app, &self.ticket, now);
        if alerts == self.alerts {
            return false;
        }
        alerts.shrink_to_fit();
        self.urgency = sla::urgency_key(&self.ticket, alerts.first(), &app.settings, &app.calendar);
        self.alerts = alerts;
        true
    }
}

/// One page of the open tickets matching `text` (number, name, phone,
/// serial, address, fault).
pub fn search_open(store: &Store, text: &str) -> Result<Vec<Ticket>, StoreError> {
    store.list(&ListFilter {
        open_only: true,
        search: Some(text.to_string()),
        limit: Some(PAGE),
        ..ListFilter::default()
    })
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
