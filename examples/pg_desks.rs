//! Many desks making transitions at once on one PostgreSQL database, for
//! `scripts/pg-region.sh`:
//! `cargo run --release --example pg_desks -- SECONDS URL=STATION ...`.
//!
//! Each `URL=STATION` is one desk: a connection as that URL's login, working
//! on that station's open tickets. Every desk records, as fast as it can for
//! SECONDS, a failed call to the customer (`ticket contact --result
//! no-answer`, R1) on its station's open tickets in turn, through the same
//! store function as the command line (`Store::execute`: one transaction,
//! the rules, the history, the notification to the other desks). It prints
//! the number of transitions, the refusals by a rule, the errors, and the
//! median, p95, p99 and longest time of one transition, in milliseconds.

use repairdesk::domain::clock::Clock;
use repairdesk::domain::command::Command;
use repairdesk::domain::settings::{Settings, Station};
use repairdesk::domain::ticket::ContactResult;
use repairdesk::setup::app::SystemClock;
use repairdesk::store::{Env, Store, StoreError};
use std::path::Path;
use std::time::{Duration, Instant};

struct Tally {
    done: Vec<Duration>,
    refused: usize,
    errors: Vec<String>,
}

fn desk(url: &str, station: &str, seconds: u64) -> Result<Tally, String> {
    let mut store = Store::open_station(Path::new(url), station).map_err(|e| e.to_string())?;
    let mut numbers = Vec::new();
    store
        .open_set(|t| numbers.push(t.ticket_no))
        .map_err(|e| e.to_string())?;
    if numbers.is_empty() {
        return Err(format!("station {station}: no open ticket"));
    }
    let settings = Settings {
        station: Station {
            code: station.to_string(),
            ..Settings::default().station
        },
        ..Settings::default()
    };
    let calendar = settings.calendar();
    let clock = SystemClock;
    let cmd = Command::Contact {
        result: ContactResult::NoAnswer,
        note: "pg_desks".to_string(),
    };
    let mut tally = Tally {
        done: Vec::new(),
        refused: 0,
        errors: Vec::new(),
    };
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut i = 0;
    while Instant::now() < end {
        let no = &numbers[i % numbers.len()];
        i += 1;
        let env = Env {
            now: clock.now(),
            recorded_at: clock.real_now(),
            actor: "pg_desks",
            settings: &settings,
            calendar: &calendar,
        };
        let start = Instant::now();
        match store.execute(no, &cmd, &env, None) {
            Ok(_) => tally.done.push(start.elapsed()),
            Err(StoreError::Refused(_)) => tally.refused += 1,
            Err(e) => tally.errors.push(format!("{station} {no}: {e}")),
        }
    }
    Ok(tally)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(seconds) = args.first().and_then(|s| s.parse::<u64>().ok()) else {
        eprintln!("usage: pg_desks SECONDS URL=STATION ...");
        std::process::exit(2);
    };
    let desks: Vec<(String, String)> = args[1..]
        .iter()
        .filter_map(|a| {
            a.rsplit_once('=')
                .map(|(u, s)| (u.to_string(), s.to_string()))
        })
        .collect();
    if desks.is_empty() {
        eprintln!("usage: pg_desks SECONDS URL=STATION ...");
        std::process::exit(2);
    }
    let handles: Vec<_> = desks
        .into_iter()
        .map(|(url, station)| std::thread::spawn(move || desk(&url, &station, seconds)))
        .collect();
    let mut all = Vec::new();
    let mut refused = 0;
    let mut errors = Vec::new();
    for h in handles {
        match h.join() {
            Ok(Ok(t)) => {
                all.extend(t.done);
                refused += t.refused;
                errors.extend(t.errors);
            }
            Ok(Err(e)) => errors.push(e),
            Err(_) => errors.push("a desk's thread panicked".to_string()),
        }
    }
    all.sort();
    let pick = |q: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        let k = ((all.len() as f64 - 1.0) * q).round() as usize;
        ms(all[k])
    };
    println!(
        "transitions {} refused {} errors {} median_ms {:.2} p95_ms {:.2} p99_ms {:.2} max_ms {:.2}",
        all.len(),
        refused,
        errors.len(),
        pick(0.5),
        pick(0.95),
        pick(0.99),
        all.last().map_or(f64::NAN, |d| ms(*d))
    );
    for e in errors.iter().take(5) {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
