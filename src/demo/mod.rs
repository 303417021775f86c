//! `demo`: a realistic, deterministic demo station. Engineers with daily
//! capacities, and tickets spread over the recent past whose whole history
//! is made by running the real domain commands at the simulated moment of
//! each step, so every rule holds for the demo data as for real data.

mod data;
mod plan;

use std::collections::BTreeMap;

use chrono::Duration;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::domain::command::NewTicket;
use crate::domain::staff::StaffChange;
use crate::domain::text::Lang;
use crate::domain::ticket::*;
use crate::setup::app::App;
use crate::store::{Env, Store, StoreError};
use data::{Rng, pick};
use plan::{Actor, Planner, Scenario, Spec};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds {0} tickets")]
    NotEmpty(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the demo made.
#[derive(Debug, Default)]
pub struct Summary {
    pub tickets: u64,
    pub events: u64,
    pub engineers: Vec<(String, u32)>,
    pub by_status: BTreeMap<Status, u64>,
    /// Steps a rule refused; the ticket keeps the history it had (should be 0).
    pub refused_steps: u64,
}

impl Summary {
    pub fn json(&self) -> serde_json::Value {
        json!({
            "tickets": self.tickets,
            "events": self.events,
            "engineers": self.engineers.iter().map(|(n, c)| json!({"name": n, "capacity": c})).collect::<Vec<_>>(),
            "by_status": self.by_status.iter().map(|(s, n)| (s.code().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "refused_steps": self.refused_steps,
        })
    }

    pub fn text(&self, lang: Lang) -> String {
        let mut s = match lang {
            Lang::Zh => format!(
                "演示站点已生成：{} 张维修单，{} 条事件，{} 位工程师\n",
                self.tickets,
                self.events,
                self.engineers.len()
            ),
            Lang::En => format!(
                "demo station created: {} tickets, {} events, {} engineers\n",
                self.tickets,
                self.events,
                self.engineers.len()
            ),
        };
        for st in Status::ALL {
            let n = self.by_status.get(st).copied().unwrap_or(0);
            let name = st.name(lang);
            let pad = 18usize.saturating_sub(unicode_width::UnicodeWidthStr::width(name));
            s.push_str(&format!("  {name}{}{n}\n", " ".repeat(pad)));
        }
        if self.refused_steps > 0 {
            s.push_str(&match lang {
                Lang::Zh => format!(
                    "  （{} 个步骤被规则拒绝，对应维修单停在当时的状态）\n",
                    self.refused_steps
                ),
                Lang::En => format!(
                    "  ({} steps refused by a rule; those tickets stay where they were)\n",
                    self.refused_steps
                ),
            });
        }
        s
    }
}

/// Tickets per transaction: big enough to be fast, small enough to keep
/// the write-ahead log in bounds for a million tickets.
const BATCH: usize = 100_000;

/// Fills an empty database with a demo station of `n` tickets.
pub fn seed(store: &mut Store, app: &App, n: u32, seed: u64) -> Result<Summary, DemoError> {
    let existing = store.ticket_count()?;
    if existing > 0 {
        return Err(DemoError::NotEmpty(existing as i64));
    }
    // Indexes of a million tickets stay in memory instead of being spilled
    // to the log and read back for every event.
    store.expect_bulk_writes(512)?;
    let now = app.now();
    let cal = &app.calendar;
    let settings = &app.settings;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sites = &settings.station.sites;
    let mut summary = Summary::default();
    // The engineers join through the one path for staff changes, so the
    // staff history shows who added them.
    for (i, (name, cap)) in data::ENGINEERS.iter().enumerate() {
        let site = (!sites.is_empty()).then(|| sites[i % sites.len()].clone());
        let add = StaffChange::Add {
            name: name.to_string(),
            capacity: *cap,
            site,
        };
        store.staff_change(&add, &app.env_at(now))?;
        summary.engineers.push((name.to_string(), *cap));
    }
    let t1s = report_times(&mut rng, cal, now, n);
    let numbers = ticket_numbers(cal, &t1s);
    let planner = Planner { settings, cal };
    // The demo writes its weeks of history now: every event keeps this
    // real moment next to its time (R20).
    let written = app.clock.real_now();
    let env_at = |at: Time, actor: &'static str| Env {
        now: at,
        recorded_at: written,
        actor,
        settings,
        calendar: cal,
    };
    for (chunk_t1, chunk_no) in t1s.chunks(BATCH).zip(numbers.chunks(BATCH)) {
        let mut tx = store.begin()?;
        for (&t1, no) in chunk_t1.iter().zip(chunk_no) {
            let (new, spec) = ticket(&mut rng, settings, now, t1, no.clone());
            let mut steps = planner.plan(&mut rng, &spec);
            // A few tickets of the last days got stuck somewhere: the daily
            // review (P3) and the alerts have something real to show, while
            // the station stays mostly healthy.
            if now - t1 < Duration::days(4) && steps.len() > 1 && rng.random_bool(0.03) {
                let keep = rng.random_range(1..steps.len());
                steps.truncate(keep);
            }
            tx.create(new, &env_at(spec.created, data::COORDINATOR))?;
            summary.tickets += 1;
            for step in steps {
                if step.at > now {
                    break;
                }
                let actor = match step.actor {
                    Actor::Coordinator => data::COORDINATOR,
                    Actor::Engineer(name) => name,
                    Actor::CallCentre => data::CALL_CENTRE,
                };
                match tx.execute(no, &step.cmd, &env_at(step.at, actor), None) {
                    Ok(_) => {}
                    Err(StoreError::Refused(r)) => {
                        tracing::debug!(ticket = %no, cmd = step.cmd.name(), rule = %r.rule, "demo step refused: {}", r.msg.en);
                        summary.refused_steps += 1;
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        tx.commit()?;
    }
    summary.events = store.event_count()?;
    summary.by_status = store.status_counts(false)?;
    Ok(summary)
}

/// Report times (T1), oldest first: spread over recent weeks (more days for
/// many tickets), on the call centre's hours (08:00–20:00).
fn report_times(
    rng: &mut Rng,
    cal: &crate::domain::calendar::Calendar,
    now: Time,
    n: u32,
) -> Vec<Time> {
    let days = ((i64::from(n) + 39) / 40).clamp(14, 3650);
    let today = cal.local(now).date_naive();
    let mut out: Vec<Time> = (0..n)
        .map(|_| {
            let back = rng.random_range(0..days);
            let minute = rng.random_range(8 * 60..20 * 60);
            let day = today - Duration::days(back);
            let t = local_minute(cal.tz(), day, minute).unwrap_or(now);
            if t >= now {
                now - Duration::minutes(rng.random_range(1..600))
            } else {
                t
            }
        })
        .collect();
    out.sort();
    out
}

/// Midnight of `day` plus `minute` minutes, station time.
fn local_minute(tz: chrono_tz::Tz, day: chrono::NaiveDate, minute: i64) -> Option<Time> {
    use chrono::TimeZone;
    let t = day.and_hms_opt(0, 0, 0)? + Duration::minutes(minute);
    tz.from_local_datetime(&t).earliest().map(|t| t.to_utc())
}

/// Call-centre numbers: `W` + date of T1 + the day's sequence.
fn ticket_numbers(cal: &crate::domain::calendar::Calendar, t1s: &[Time]) -> Vec<String> {
    let mut out = Vec::with_capacity(t1s.len());
    let mut day = None;
    let mut seq = 0u32;
    for &t in t1s {
        let d = cal.local(t).date_naive();
        if day != Some(d) {
            day = Some(d);
            seq = 0;
        }
        seq += 1;
        out.push(format!("W{}{seq:04}", d.format("%Y%m%d")));
    }
    out
}

/// One dispatch and the story it will have.
fn ticket(
    rng: &mut Rng,
    settings: &crate::domain::settings::Settings,
    now: Time,
    t1: Time,
    ticket_no: String,
) -> (NewTicket, Spec) {
    let roll = rng.random_range(0..1000);
    let mut scenario = match roll {
        0..100 => Scenario::PhoneResolved,
        100..145 => Scenario::Unreachable,
        145..165 => Scenario::WrongNumber,
        165..182 => Scenario::Refused,
        182..205 => Scenario::Duplicate,
        205..430 => Scenario::Parts,
        _ => Scenario::Service,
    };
    let special = rng.random_bool(0.03);
    let priority = match rng.random_range(0..100) {
        0..2 => Priority::Emergency,
        2..7 => Priority::Urgent,
        _ => Priority::Normal,
    };
    let coverage = &settings.station.coverage;
    let district = if !coverage.is_empty() && rng.random_bool(0.97) {
        pick(rng, coverage).clone()
    } else {
        pick(rng, data::DISTRICTS).0.to_string()
    };
    let carry_in = rng.random_bool(0.25);
    let address = if carry_in && rng.random_bool(0.5) {
        String::new()
    } else {
        data::address(rng, &district)
    };
    let person = data::person(rng);
    let name = if special {
        data::special_customer(rng)
    } else {
        person.clone()
    };
    let mut phones = vec![data::mobile(rng)];
    if rng.random_bool(0.2) {
        phones.push(data::landline(rng));
    }
    // R3: an impossible number on the dispatch; the coordinator finds it out.
    if rng.random_bool(0.01) {
        phones = vec![data::impossible_phone(rng)];
        scenario = Scenario::WrongNumber;
    }
    // A carry-in machine is repaired at the bench: nobody refuses on site.
    if carry_in && scenario == Scenario::Refused {
        scenario = Scenario::Service;
    }
    let out_of_warranty = matches!(
        scenario,
        Scenario::Service | Scenario::Parts | Scenario::Refused
    ) && rng.random_bool(0.15);
    let fault = if scenario == Scenario::PhoneResolved {
        pick(rng, data::SOFTWARE_FAULTS)
    } else {
        pick(rng, data::HARDWARE_FAULTS)
    };
    let (line, model, serial) = data::product(rng);
    let engineer = pick(rng, data::ENGINEERS).0;
    let created = (t1 + Duration::minutes(rng.random_range(2..20))).min(now);
    let note = if rng.random_bool(0.1) {
        pick(
            rng,
            &[
                "用户要求下午上门",
                "请提前电话联系",
                "公司前台代收",
                "机器有重要数据，注意备份",
            ],
        )
        .to_string()
    } else {
        String::new()
    };
    let new = NewTicket {
        ticket_no,
        source: Source::Cc,
        t1,
        service_type: if carry_in {
            ServiceType::CarryIn
        } else {
            ServiceType::Onsite
        },
        priority,
        special,
        urge: !special && rng.random_bool(0.04),
        customer: Customer {
            name,
            phones,
            address,
            district,
        },
        product: Product {
            line,
            model,
            serial,
            warranty: if out_of_warranty {
                Warranty::Out
            } else {
                Warranty::In
            },
        },
        fault: fault.to_string(),
        note,
    };
    let spec = Spec {
        t1,
        created,
        scenario,
        special,
        emergency: priority == Priority::Emergency,
        out_of_warranty,
        customer: person,
        engineer,
        carry_in,
    };
    (new, spec)
}
