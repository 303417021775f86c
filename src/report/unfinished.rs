//! The daily review (P3): every ticket unfinished at the end of a day, with
//! its owner, age, latest promise and what is overdue; those open over 24
//! hours stand out.

use chrono::Duration;

use super::{local_midnight, unfinished_at};
use crate::domain::calendar::Calendar;
use crate::domain::settings::Settings;
use crate::domain::sla::{self, Alert, AlertKind, Level};
use crate::domain::ticket::{Ticket, Time};
use crate::store::{Result, Store};

/// One line of the review.
#[derive(Clone, Debug)]
pub struct ReviewRow {
    pub ticket: Ticket,
    /// From T1 to the review moment.
    pub age: Duration,
    /// Open over 24 hours (P3): shown with a mark.
    pub over_24h: bool,
    /// The ticket's broken deadlines at the review moment.
    pub overdue: Vec<Alert>,
    /// A deadline of the ticket counted in a year without a holiday table.
    pub calendar_unknown: Option<Alert>,
}

/// The review moment for `day`: the end of that day, or now if the day is
/// not over yet.
pub fn review_moment(day: chrono::NaiveDate, now: Time, cal: &Calendar) -> Time {
    let end = local_midnight(cal, day.succ_opt().unwrap_or(day));
    now.min(end)
}

/// The review rows at `as_of`, oldest ticket first.
pub fn rows(
    tickets: Vec<Ticket>,
    as_of: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Vec<ReviewRow> {
    tickets
        .into_iter()
        .map(|t| {
            let age = as_of - t.t1;
            let (unknown, alerts): (Vec<Alert>, Vec<Alert>) =
                sla::ticket_alerts(&t, as_of, settings, cal)
                    .into_iter()
                    .partition(|a| a.kind == AlertKind::CalendarUnknown);
            ReviewRow {
                over_24h: age > Duration::hours(24),
                age,
                overdue: alerts
                    .into_iter()
                    .filter(|a| a.level == Level::Breach)
                    .collect(),
                calendar_unknown: unknown.into_iter().next(),
                ticket: t,
            }
        })
        .collect()
}

/// The daily review of the store at `as_of`.
pub fn review(
    store: &Store,
    as_of: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Result<Vec<ReviewRow>> {
    Ok(rows(unfinished_at(store, as_of)?, as_of, settings, cal))
}
