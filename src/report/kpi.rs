//! The monthly figures of docs/figures.md (P6), and the series the
//! dashboard's reports view draws. How each figure is counted, with its edge
//! cases, is in `docs/figures.md`; the code follows it line by line.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use super::{Month, tickets_received, unfinished_t1_at};
use crate::domain::calendar::Calendar;
use crate::domain::settings::Settings;
use crate::domain::ticket::*;
use crate::store::{Result, Store};

/// `met` of `of` counted tickets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    pub met: u32,
    pub of: u32,
}

impl Ratio {
    fn count(&mut self, met: bool) {
        self.of += 1;
        self.met += u32::from(met);
    }

    /// The fraction, rounded to 4 decimals; `None` when nothing is counted.
    pub fn rate(&self) -> Option<f64> {
        (self.of > 0).then(|| round(f64::from(self.met) / f64::from(self.of), 4))
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Median and 90th percentile of turnaround (T4 − T1) in hours.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread {
    pub count: u32,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

impl Spread {
    /// Median: the middle value, or the mean of the two middle values;
    /// 90th percentile: nearest rank, the value at rank ⌈0.9 n⌉.
    pub fn of(mut hours: Vec<f64>) -> Spread {
        hours.sort_by(f64::total_cmp);
        let n = hours.len();
        if n == 0 {
            return Spread::default();
        }
        let median = if n % 2 == 1 {
            hours[n / 2]
        } else {
            (hours[n / 2 - 1] + hours[n / 2]) / 2.0
        };
        let rank = (n * 9).div_ceil(10).max(1);
        Spread {
            count: n as u32,
            median_hours: Some(round(median, 2)),
            p90_hours: Some(round(hours[rank - 1], 2)),
        }
    }

    fn json(&self) -> Value {
        json!({"count": self.count, "median_hours": self.median_hours, "p90_hours": self.p90_hours})
    }
}

/// Backlog labels of docs/interface.md.
pub const BACKLOG_LABELS: [&str; 4] = ["0-1d", "1-3d", "3-7d", ">7d"];

/// Unfinished tickets by age at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Backlog {
    pub as_of: Time,
    /// Counts for [`BACKLOG_LABELS`].
    pub buckets: [u32; 4],
}

/// The backlog bucket of an age: under 1 day, under 3, under 7, 7 and more.
pub fn backlog_bucket(age: Duration) -> usize {
    match age.num_seconds() {
        s if s < 86_400 => 0,
        s if s < 3 * 86_400 => 1,
        s if s < 7 * 86_400 => 2,
        _ => 3,
    }
}

/// Unfinished tickets at `as_of` (their T1) by age since T1.
pub fn backlog(unfinished_t1: &[Time], as_of: Time) -> Backlog {
    let mut buckets = [0; 4];
    for &t1 in unfinished_t1 {
        buckets[backlog_bucket(as_of - t1)] += 1;
    }
    Backlog { as_of, buckets }
}

/// One engineer's visits in the month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineerFigures {
    pub name: String,
    pub visits: u32,
    pub fixed: u32,
    pub multi_repair: u32,
    pub promises_kept: u32,
}

/// Paid repairs (P5): how many and the amount charged.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Paid {
    pub count: u32,
    pub amount: f64,
}

/// What became of one T3 write (docs/figures.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseOutcome {
    /// What it promised happened by its time: onsite, the engineer arrived;
    /// carry-in, the machine was repaired and ready; or solved by phone.
    Kept,
    /// The station's miss.
    Missed,
    /// Broken by the customer: not at home, or asked for another time
    /// (the next T3 is of type `customer`). Reported apart.
    CustomerMissed,
    /// Nothing has happened under it yet.
    Pending,
}

/// A moment that fulfils a promise: an onsite arrival (with whether the
/// customer was at home), or a carry-in machine repaired and ready; and
/// when it was recorded.
struct Attempt {
    at: Time,
    recorded: Time,
    not_home: bool,
}

fn attempts(t: &Ticket) -> Vec<Attempt> {
    if t.is_carry_in() {
        t.progress
            .repairs
            .iter()
            .filter(|r| r.result == RepairResult::Fixed)
            .map(|r| Attempt {
                at: r.done,
                recorded: r.at,
                not_home: false,
            })
            .collect()
    } else {
        t.progress
            .visits
            .iter()
            .map(|v| Attempt {
                at: v.arrived,
                recorded: v.at,
                not_home: v.result == VisitResult::NotHome,
            })
            .collect()
    }
}

/// The T3 in force at an arrival (or a bench repair's finish): the latest
/// written by then, not counting the next time agreed by that very visit
/// (written as it was recorded).
pub fn promise_in_force(promises: &[Promise], at: Time, recorded: Time) -> Option<usize> {
    promises
        .iter()
        .rposition(|p| p.written_at <= at && p.written_at < recorded)
}

/// The outcome of each T3 write, in order. The first attempt under a
/// promise (while it was in force) decides it: an engineer arriving late
/// breaks it even if the machine is then fixed. With no attempt under it,
/// it was broken by whoever asked for the next T3: the customer (type
/// `customer`) or the station.
pub fn promise_outcomes(t: &Ticket) -> Vec<PromiseOutcome> {
    let promises = t.promises();
    let tries = attempts(t);
    let in_force: Vec<Option<usize>> = tries
        .iter()
        .map(|a| promise_in_force(promises, a.at, a.recorded))
        .collect();
    promises
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let at = match (p.kind, p.at) {
                (PromiseKind::PhoneResolved, _) => return PromiseOutcome::Kept,
                (PromiseKind::Time, Some(at)) => at,
                // The unreachable marking promises nothing (R2).
                _ => return PromiseOutcome::Missed,
            };
            let under = tries
                .iter()
                .zip(&in_force)
                .find(|(_, f)| **f == Some(i))
                .map(|(a, _)| a);
            match (under, promises.get(i + 1)) {
                (Some(a), _) if a.at > at => PromiseOutcome::Missed,
                (Some(a), _) if a.not_home => PromiseOutcome::CustomerMissed,
                (Some(_), _) => PromiseOutcome::Kept,
                (None, Some(n)) if n.ptype == PromiseType::Customer => {
                    PromiseOutcome::CustomerMissed
                }
                (None, Some(_)) => PromiseOutcome::Missed,
                (None, None) => PromiseOutcome::Pending,
            }
        })
        .collect()
}

/// The month's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    pub month: Month,
    pub tickets: u32,
    pub resolved: u32,
    pub cancelled: u32,
    pub contact_4h: Ratio,
    pub timeliness: Ratio,
    pub first_promise: Ratio,
    pub completion: Ratio,
    pub first_visit_fix: Ratio,
    pub followup: Ratio,
    pub satisfaction: Ratio,
    pub turnaround: Spread,
    pub turnaround_by_service: Vec<(ServiceType, Spread)>,
    pub cancelled_by_reason: Vec<(CancelReason, u32)>,
    pub parts_late: u32,
    pub backlog: Backlog,
    pub engineers: Vec<EngineerFigures>,
    /// Promises broken by the customer, reported apart from the station's misses.
    pub customer_missed: u32,
    /// Paid repairs (P5) among the month's resolved tickets.
    pub paid: Paid,
}

/// Turnaround distribution labels (dashboard chart).
pub const TURNAROUND_LABELS: [&str; 5] = ["<4h", "4-24h", "1-3d", "3-7d", ">7d"];

/// Received and resolved on one day (dashboard chart).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayFlow {
    pub date: NaiveDate,
    pub received: u32,
    pub resolved: u32,
}

/// Everything the dashboard's reports view shows for a month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthReport {
    pub kpi: Kpi,
    pub daily: Vec<DayFlow>,
    /// Counts for [`TURNAROUND_LABELS`], over the month's resolved tickets.
    pub turnaround_buckets: [u32; 5],
}

fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// Is the customer counted as contacted within the R1 limit? Onsite: T2
/// set by a real contact (a time promise or a phone resolution, not the
/// unreachable marking). Carry-in, whose T2 is the collection notice: the
/// first reached contact (or the phone resolution). Within
/// `contact_breach` of T1 on the contact clock.
fn contacted_in_time(t: &Ticket, settings: &Settings, cal: &Calendar) -> Option<bool> {
    let s = &settings.sla;
    let limit = s.deadline(cal, s.clocks.contact, t.t1, s.contact_breach);
    let first = t.promises().first();
    if t.is_carry_in() {
        let reached = t
            .progress
            .contacts
            .iter()
            .find(|c| c.result == ContactResult::Reached)
            .map(|c| c.at);
        let phone = first
            .filter(|p| p.kind == PromiseKind::PhoneResolved)
            .map(|p| p.written_at);
        let contact = match (reached, phone) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        return contact.map(|c| c <= limit);
    }
    match (t.t2, first) {
        (Some(t2), Some(p)) => Some(p.kind != PromiseKind::Unreachable && t2 <= limit),
        _ => None,
    }
}

/// The month's figures from its tickets (T1 in the month), the tickets
/// visited in the month, and the T1 of the tickets unfinished at the backlog
/// moment (the end of the month, or now).
pub fn figures(
    month: Month,
    tickets: &[Ticket],
    visited: &[Ticket],
    unfinished_t1: &[Time],
    now: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Kpi {
    let s = &settings.sla;
    let mut k = Kpi {
        month,
        tickets: tickets.len() as u32,
        resolved: 0,
        cancelled: 0,
        contact_4h: Ratio::default(),
        timeliness: Ratio::default(),
        first_promise: Ratio::default(),
        completion: Ratio::default(),
        first_visit_fix: Ratio::default(),
        followup: Ratio::default(),
        satisfaction: Ratio::default(),
        turnaround: Spread::default(),
        turnaround_by_service: Vec::new(),
        cancelled_by_reason: CancelReason::ALL.iter().map(|&r| (r, 0)).collect(),
        parts_late: 0,
        backlog: backlog(unfinished_t1, now.min(month.end)),
        engineers: Vec::new(),
        customer_missed: 0,
        paid: Paid::default(),
    };
    let mut turnaround: Vec<(ServiceType, f64)> = Vec::new();
    for t in tickets {
        // 4-hour contact: every ticket, except one still inside its limit
        // and not contacted yet (not late yet).
        match contacted_in_time(t, settings, cal) {
            Some(ok) => k.contact_4h.count(ok),
            None => {
                if s.deadline(cal, s.clocks.contact, t.t1, s.contact_breach) <= now {
                    k.contact_4h.count(false);
                }
            }
        }
        if t.status == Status::Cancelled {
            k.cancelled += 1;
            if let Some(c) = &t.progress.cancel
                && let Some(slot) = k
                    .cancelled_by_reason
                    .iter_mut()
                    .find(|(r, _)| *r == c.reason)
            {
                slot.1 += 1;
            }
        }
        if t.progress.parts.iter().any(|o| {
            o.eta
                .is_some_and(|eta| o.arrived_at.map_or(now > eta, |a| a > eta))
        }) {
            k.parts_late += 1;
        }
        if let Some(f) = &t.progress.followup
            && f.result != FollowupResult::Unreachable
        {
            k.satisfaction.count(f.result == FollowupResult::Satisfied);
        }
        if t.status != Status::Cancelled {
            k.completion.count(t.status == Status::Resolved);
        }
        let outcomes = promise_outcomes(t);
        k.customer_missed += outcomes
            .iter()
            .filter(|o| **o == PromiseOutcome::CustomerMissed)
            .count() as u32;
        if t.status != Status::Resolved {
            continue;
        }
        let Some(t4) = t.t4 else { continue };
        k.resolved += 1;
        if let Some(c) = t.progress.charge.filter(|c| *c > 0.0) {
            k.paid.count += 1;
            k.paid.amount += c;
        }
        let phone = t.is_phone_resolved();
        // A promise the customer broke is reported apart, not as a miss.
        let count = |r: &mut Ratio, o: Option<&PromiseOutcome>| match o {
            Some(PromiseOutcome::CustomerMissed) => {}
            o => r.count(o == Some(&PromiseOutcome::Kept)),
        };
        count(&mut k.timeliness, outcomes.last());
        count(&mut k.first_promise, outcomes.first());
        if !phone {
            k.first_visit_fix.count(!t.progress.was_multi_repair);
        }
        let reopened = t.progress.reopened_at;
        k.followup
            .count(t.progress.followup.as_ref().is_some_and(|f| {
                f.result != FollowupResult::Unreachable && reopened.is_none_or(|r| f.at > r)
            }));
        turnaround.push((t.service_type, hours(t4 - t.t1)));
    }
    k.turnaround = Spread::of(turnaround.iter().map(|x| x.1).collect());
    k.turnaround_by_service = ServiceType::ALL
        .iter()
        .map(|&st| {
            let h = turnaround
                .iter()
                .filter(|x| x.0 == st)
                .map(|x| x.1)
                .collect();
            (st, Spread::of(h))
        })
        .collect();
    k.engineers = engineer_figures(visited, month);
    k
}

/// Per engineer, the visits whose arrival falls in the month: fixed, not
/// fixed (a multi-repair), and on time (arrived no later than the promised
/// time in force at the arrival).
pub fn engineer_figures(visited: &[Ticket], month: Month) -> Vec<EngineerFigures> {
    let mut by: BTreeMap<&str, EngineerFigures> = BTreeMap::new();
    for t in visited {
        for v in &t.progress.visits {
            if v.arrived < month.start || v.arrived >= month.end {
                continue;
            }
            let e = by.entry(&v.engineer).or_insert_with(|| EngineerFigures {
                name: v.engineer.clone(),
                ..EngineerFigures::default()
            });
            e.visits += 1;
            match v.result {
                VisitResult::Fixed => e.fixed += 1,
                VisitResult::NotFixed => e.multi_repair += 1,
                VisitResult::Refused | VisitResult::NotHome => {}
            }
            let promised = promise_in_force(t.promises(), v.arrived, v.at)
                .and_then(|i| t.promises().get(i))
                .and_then(|p| p.at);
            if promised.is_some_and(|p| v.arrived <= p) {
                e.promises_kept += 1;
            }
        }
    }
    by.into_values().collect()
}

/// Counts for [`TURNAROUND_LABELS`] over the resolved tickets.
pub fn turnaround_buckets(tickets: &[Ticket]) -> [u32; 5] {
    let mut b = [0; 5];
    for t in tickets.iter().filter(|t| t.status == Status::Resolved) {
        let Some(t4) = t.t4 else { continue };
        let h = hours(t4 - t.t1);
        let i = match h {
            h if h < 4.0 => 0,
            h if h < 24.0 => 1,
            h if h < 72.0 => 2,
            h if h < 168.0 => 3,
            _ => 4,
        };
        b[i] += 1;
    }
    b
}

/// Received (by T1) and resolved (by the day the close or phone
/// resolution was recorded) per day of the month.
pub fn daily_flow(
    month: Month,
    received: &[Ticket],
    resolutions: &[Time],
    cal: &Calendar,
) -> Vec<DayFlow> {
    let mut days: Vec<DayFlow> = month
        .days()
        .into_iter()
        .map(|date| DayFlow {
            date,
            received: 0,
            resolved: 0,
        })
        .collect();
    let first = month.first;
    let mut bump = |t: Time, resolved: bool| {
        let d = cal.local(t).date_naive();
        let i = (d - first).num_days();
        if let Some(day) = usize::try_from(i).ok().and_then(|i| days.get_mut(i)) {
            if resolved {
                day.resolved += 1;
            } else {
                day.received += 1;
            }
        }
    };
    for t in received {
        bump(t.t1, false);
    }
    for &t in resolutions {
        bump(t, true);
    }
    days
}

/// How long after an arrival a visit may be typed in and still be found
/// for the month of its arrival.
const VISIT_TYPED_WITHIN_DAYS: i64 = 7;

/// Tickets with a visit recorded in the month, or in the week after it (a
/// visit is counted by its arrival and may be typed in later).
fn tickets_visited(store: &Store, month: Month) -> Result<Vec<Ticket>> {
    let until = month.end + Duration::days(VISIT_TYPED_WITHIN_DAYS);
    store.tickets_visited(month.start, until)
}

/// When tickets were resolved in the month: close and phone-resolution events.
fn resolutions(store: &Store, month: Month) -> Result<Vec<Time>> {
    store.resolution_times(month.start, month.end)
}

/// The month's figures, read from the store.
pub fn load(
    store: &Store,
    month: Month,
    now: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Result<Kpi> {
    Ok(month_report(store, month, now, settings, cal)?.kpi)
}

/// The station a region's desk names in a ticket's `STATION/NUMBER`
/// (docs/interface.md); `""` for a bare number.
pub fn station_of(t: &Ticket) -> &str {
    t.ticket_no.split_once('/').map_or("", |(s, _)| s)
}

/// The month's figures of each station a region's desk reads, side by
/// side, in station order: the same figures as [`load`], each over its
/// station's tickets (the region's desk names them `STATION/NUMBER`).
pub fn station_figures(
    store: &Store,
    month: Month,
    now: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Result<Vec<(String, Kpi)>> {
    let tickets = tickets_received(store, month.start, month.end)?;
    let visited = tickets_visited(store, month)?;
    let unfinished = store.unfinished_at(now.min(month.end))?;
    let mut stations: Vec<String> = store.stations()?;
    for t in tickets.iter().chain(&visited).chain(&unfinished) {
        if !stations.iter().any(|s| s == station_of(t)) {
            stations.push(station_of(t).to_string());
        }
    }
    stations.sort();
    let of = |list: &[Ticket], s: &str| -> Vec<Ticket> {
        list.iter()
            .filter(|t| station_of(t) == s)
            .cloned()
            .collect()
    };
    Ok(stations
        .into_iter()
        .map(|s| {
            let t1: Vec<Time> = unfinished
                .iter()
                .filter(|t| station_of(t) == s)
                .map(|t| t.t1)
                .collect();
            let k = figures(
                month,
                &of(&tickets, &s),
                &of(&visited, &s),
                &t1,
                now,
                settings,
                cal,
            );
            (s, k)
        })
        .collect())
}

/// The figures plus the dashboard's series for the month.
pub fn month_report(
    store: &Store,
    month: Month,
    now: Time,
    settings: &Settings,
    cal: &Calendar,
) -> Result<MonthReport> {
    let tickets = tickets_received(store, month.start, month.end)?;
    let visited = tickets_visited(store, month)?;
    let unfinished = unfinished_t1_at(store, now.min(month.end))?;
    let kpi = figures(month, &tickets, &visited, &unfinished, now, settings, cal);
    let daily = daily_flow(month, &tickets, &resolutions(store, month)?, cal);
    Ok(MonthReport {
        turnaround_buckets: turnaround_buckets(&tickets),
        kpi,
        daily,
    })
}

impl Kpi {
    /// The seven rates in report order, with their names (zh, en): the
    /// command line, the files and the dashboard all list them from here.
    pub fn rates(&self) -> [(&'static str, &'static str, &Ratio); 7] {
        [
            ("4小时联系率", "4-hour contact rate", &self.contact_4h),
            ("及时率", "timeliness rate", &self.timeliness),
            ("首次承诺达成率", "first-promise rate", &self.first_promise),
            ("完成率", "completion rate", &self.completion),
            ("一次修复率", "first-visit fix rate", &self.first_visit_fix),
            ("回访率", "follow-up rate", &self.followup),
            ("满意率", "satisfaction rate", &self.satisfaction),
        ]
    }

    /// The `report kpi --json` object of docs/interface.md, plus the counts
    /// behind each rate and the turnaround by service type.
    pub fn to_json(&self, cal: &Calendar) -> Value {
        let reasons: serde_json::Map<String, Value> = self
            .cancelled_by_reason
            .iter()
            .map(|(r, n)| (r.code().to_string(), json!(n)))
            .collect();
        let backlog: serde_json::Map<String, Value> = BACKLOG_LABELS
            .iter()
            .zip(self.backlog.buckets)
            .map(|(l, n)| (l.to_string(), json!(n)))
            .collect();
        let by_service: serde_json::Map<String, Value> = self
            .turnaround_by_service
            .iter()
            .map(|(st, s)| (st.code().to_string(), s.json()))
            .collect();
        let ratio = |r: &Ratio| json!({"met": r.met, "of": r.of});
        json!({
            "month": self.month.label(),
            "tickets": self.tickets,
            "resolved": self.resolved,
            "cancelled": self.cancelled,
            "contact_4h_rate": self.contact_4h.rate(),
            "timeliness_rate": self.timeliness.rate(),
            "first_promise_rate": self.first_promise.rate(),
            "completion_rate": self.completion.rate(),
            "first_visit_fix_rate": self.first_visit_fix.rate(),
            "followup_rate": self.followup.rate(),
            "satisfaction_rate": self.satisfaction.rate(),
            "turnaround_median_hours": self.turnaround.median_hours,
            "turnaround_p90_hours": self.turnaround.p90_hours,
            "turnaround_by_service_type": by_service,
            "cancelled_by_reason": reasons,
            "parts_late": self.parts_late,
            "backlog": backlog,
            "backlog_as_of": crate::present::rfc3339(cal, self.backlog.as_of),
            "customer_missed": self.customer_missed,
            "paid": {"count": self.paid.count, "amount": round(self.paid.amount, 2)},
            "engineers": self.engineers.iter().map(|e| json!({
                "name": e.name,
                "visits": e.visits,
                "fixed": e.fixed,
                "multi_repair": e.multi_repair,
                "promises_kept": e.promises_kept,
            })).collect::<Vec<_>>(),
            "counts": {
                "contact_4h": ratio(&self.contact_4h),
                "timeliness": ratio(&self.timeliness),
                "first_promise": ratio(&self.first_promise),
                "completion": ratio(&self.completion),
                "first_visit_fix": ratio(&self.first_visit_fix),
                "followup": ratio(&self.followup),
                "satisfaction": ratio(&self.satisfaction),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_nearest_rank_p90() {
        let s = Spread::of(vec![5.0, 1.0, 3.0, 2.0]);
        // sorted 1 2 3 5: median (2+3)/2; p90 rank ⌈3.6⌉ = 4 → 5.
        assert_eq!(s.median_hours, Some(2.5));
        assert_eq!(s.p90_hours, Some(5.0));
        let s = Spread::of((1..=10).map(f64::from).collect());
        assert_eq!((s.median_hours, s.p90_hours), (Some(5.5), Some(9.0)));
        assert_eq!(Spread::of(vec![7.0]).p90_hours, Some(7.0));
        assert_eq!(Spread::of(vec![]).median_hours, None);
    }

    #[test]
    fn ratios_are_null_when_nothing_counted() {
        assert_eq!(Ratio::default().rate(), None);
        assert_eq!(Ratio { met: 2, of: 3 }.rate(), Some(0.6667));
    }

    #[test]
    fn backlog_buckets_edges() {
        assert_eq!(backlog_bucket(Duration::hours(23)), 0);
        assert_eq!(backlog_bucket(Duration::hours(24)), 1);
        assert_eq!(backlog_bucket(Duration::hours(71)), 1);
        assert_eq!(backlog_bucket(Duration::days(3)), 2);
        assert_eq!(backlog_bucket(Duration::days(7)), 3);
    }
}
