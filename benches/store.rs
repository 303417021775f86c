//! The store at scale: one transition decided and recorded, the search
//! behind `ticket list --search` and the dashboard's `/` filter, and the
//! month's figures.
//! See `benches/common` for the database used.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use repairdesk::domain::command::Command;
use repairdesk::domain::ticket::ContactResult;
use repairdesk::report::{Month, kpi};
use repairdesk::store::ListFilter;

fn transition(c: &mut Criterion) {
    let fx = common::Fixture::get().copy();
    let app = fx.app();
    let mut store = fx.store();
    // Rotate over the queued tickets so that none piles up contacts.
    let queued: Vec<String> = {
        let conn = rusqlite::Connection::open(store.path()).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT ticket_no FROM tickets WHERE status = 'queued' ORDER BY t1 DESC LIMIT 2000",
            )
            .expect("queued");
        stmt.query_map([], |r| r.get(0))
            .expect("queued")
            .collect::<Result<_, _>>()
            .expect("queued")
    };
    assert!(
        !queued.is_empty(),
        "the benchmark database has queued tickets"
    );
    let cmd = Command::Contact {
        result: ContactResult::NoAnswer,
        note: "未接".into(),
    };
    let mut i = 0;
    let mut g = c.benchmark_group("transition");
    g.bench_function("contact", |b| {
        b.iter(|| {
            let no = &queued[i % queued.len()];
            i += 1;
            black_box(store.execute(no, &cmd, &app.env(), None).expect("contact"))
        })
    });
    g.finish();
}

/// `report kpi`: the month of `now` (the demo's month), figures and series.
fn month(c: &mut Criterion) {
    let fx = common::Fixture::get();
    let app = fx.app();
    let store = fx.store();
    let day = app.calendar.local(fx.now).date_naive();
    let month = Month::of(day, &app.calendar);
    let mut g = c.benchmark_group("report");
    g.sample_size(10).measurement_time(Duration::from_secs(6));
    g.bench_function("month figures", |b| {
        b.iter(|| {
            black_box(
                kpi::month_report(&store, month, fx.now, &app.settings, &app.calendar)
                    .expect("figures"),
            )
        })
    });
    g.finish();
}

/// Terms as a coordinator types them: a two-character name, four digits of
/// a phone, a serial; open tickets (the panes) and all tickets.
fn filter(c: &mut Criterion) {
    let fx = common::Fixture::get();
    let store = fx.store();
    let (name, phone, serial) = common::sample_terms(&store);
    let mut g = c.benchmark_group("filter");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for (what, term) in [("name2", &name), ("phone4", &phone), ("serial", &serial)] {
        g.bench_function(format!("{what} open"), |b| {
            b.iter(|| {
                black_box(
                    store
                        .list(&ListFilter {
                            open_only: true,
                            search: Some(term.clone()),
                            limit: Some(201),
                            ..ListFilter::default()
                        })
                        .expect("search"),
                )
            })
        });
        g.bench_function(format!("{what} all"), |b| {
            b.iter(|| {
                black_box(
                    store
                        .list(&ListFilter {
                            search: Some(term.clone()),
                            limit: Some(200),
                            ..ListFilter::default()
                        })
                        .expect("search"),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, transition, filter, month);
criterion_main!(benches);
