//! The dashboard at scale: loading its model (the four panes, counts and
//! the alerts of every open ticket), drawing one 200×60 frame, and a key
//! press with the frame after it. See `benches/common` for the database.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use repairdesk::domain::command::Command;
use repairdesk::domain::ticket::Field;
use repairdesk::tui::Dashboard;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn dashboard(c: &mut Criterion) {
    let fx = common::Fixture::get();
    let mut dash = Dashboard::new(fx.app(), fx.store()).expect("dashboard");
    dash.resize(200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut g = c.benchmark_group("dashboard");
    g.sample_size(30).measurement_time(Duration::from_secs(5));
    g.bench_function("model load", |b| b.iter(|| dash.reload()));
    g.bench_function("frame 200x60", |b| {
        b.iter(|| {
            term.draw(|f| dash.render(f)).expect("draw");
        })
    });
    g.bench_function("key j + frame", |b| {
        b.iter(|| {
            dash.handle_key(key('j'));
            term.draw(|f| dash.render(f)).expect("draw");
        })
    });
    g.bench_function("first frame (open + load + draw)", |b| {
        b.iter(|| {
            let mut d = Dashboard::new(fx.app(), fx.store()).expect("dashboard");
            d.resize(200, 60);
            term.draw(|f| d.render(f)).expect("draw");
            black_box(d)
        })
    });
    g.finish();
}

/// Filter as you type: `/` and the term but its last character, then the
/// timed key press of the last character and the frame after it.
fn filter(c: &mut Criterion) {
    let fx = common::Fixture::get();
    let store = fx.store();
    let (name, phone, serial) = common::sample_terms(&store);
    let mut dash = Dashboard::new(fx.app(), store).expect("dashboard");
    dash.resize(200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut g = c.benchmark_group("dashboard filter");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    for (what, text) in [("name2", name), ("phone4", phone), ("serial", serial)] {
        g.bench_function(format!("last key of {what} + frame"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    dash.handle_key(key('/'));
                    let chars: Vec<char> = text.chars().collect();
                    let (last, head) = chars.split_last().expect("a term");
                    for ch in head {
                        dash.handle_key(key(*ch));
                    }
                    let t = std::time::Instant::now();
                    dash.handle_key(key(*last));
                    term.draw(|f| dash.render(f)).expect("draw");
                    spent += t.elapsed();
                    dash.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                }
                spent
            })
        });
    }
    g.finish();
}

/// Another desk's change (a note corrected on an open ticket, from its own
/// connection), then the dashboard's next tick reading what changed and the
/// frame after it; and a tick with nothing changed (the alerts of up to
/// 10,000 rows computed again). On a private copy of the database.
fn catch_up(c: &mut Criterion) {
    // `scripts/bench.sh` leaves these out on the million-ticket demo (the
    // copy would be 3 GB) and runs them on the open-ticket database.
    if std::env::var_os("REPAIRDESK_BENCH_CHANGES").is_some_and(|v| v == "0") {
        return;
    }
    let fx = common::Fixture::get().copy();
    let app = fx.app();
    let mut dash = Dashboard::new(fx.app(), fx.store()).expect("dashboard");
    dash.resize(200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut other = fx.store();
    let open: Vec<String> = (0..4)
        .flat_map(|p| dash.pane_tickets(p).into_iter().take(100))
        .map(|t| t.ticket_no.clone())
        .collect();
    let mut g = c.benchmark_group("dashboard changes");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    let mut n = 0usize;
    g.bench_function("change at another desk, tick + frame", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let no = &open[n % open.len()];
                let edit = Command::Edit {
                    fields: vec![(Field::Note, format!("bench {n}"))],
                };
                other.execute(no, &edit, &app.env(), None).expect("edit");
                let t = std::time::Instant::now();
                dash.tick();
                term.draw(|f| dash.render(f)).expect("draw");
                spent += t.elapsed();
            }
            spent
        })
    });
    g.bench_function("tick, nothing changed", |b| b.iter(|| dash.tick()));
    g.finish();
}

criterion_group!(benches, dashboard, filter, catch_up);
criterion_main!(benches);
