//! The coordinator dashboard (ratatui). `app` holds the state and the only
//! `update`; `views` draw it; `keymap` is the one key table; `forms` build
//! domain commands for `Store::execute`, the command line's path.

pub mod app;
pub mod forms;
pub mod keymap;
pub mod model;
pub mod views;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen};

pub use app::Dashboard;

use crate::setup::app::App;

/// Where the dashboard starts.
pub enum Start {
    Panes,
    Engineer {
        name: String,
        day: chrono::NaiveDate,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("{}", .0.join("\n"))]
    Keys(Vec<String>),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("terminal: {0}")]
    Io(#[from] std::io::Error),
}

/// Logs go to `<data dir>/dashboard.log`, never to the screen.
fn init_logging(app: &App) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = app.data_dir();
    crate::store::create_private_dir(&dir).ok()?;
    // The owner's only, appended to, and never through a symlink planted
    // beside the database: then the dashboard runs without a log.
    let file = crate::store::open_private_append(&dir.join("dashboard.log")).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Opens the dashboard on the terminal until the user quits. The terminal
/// is restored on quit, on error and on panic.
pub fn run(app: App, start: Start) -> Result<(), TuiError> {
    run_with(app, start, Until::Quit)
}

/// How long the dashboard runs (`scripts/bench.sh` times its start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Until the user quits.
    Quit,
    /// Until the first frame is drawn.
    FirstFrame,
    /// Until the whole open set is read and drawn.
    Loaded,
}

/// [`run`], ending as `until` says.
pub fn run_with(app: App, start: Start, until: Until) -> Result<(), TuiError> {
    let store = app.open_store()?;
    let _guard = init_logging(&app);
    let mut dash = Dashboard::new_quick(app, store).map_err(TuiError::Keys)?;
    if let Start::Engineer { name, day } = &start {
        dash.open_engineer(name, *day);
    }
    tracing::info!("dashboard started");
    // SIGTERM and SIGHUP (the terminal closed, `kill`) end the loop like
    // `q`, so the terminal is restored on the way out.
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook restores raw mode and the screen; mouse capture too.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        restore(info);
    }));
    if dash.mouse() {
        let _ = execute!(std::io::stdout(), EnableMouseCapture);
    }
    let result = event_loop(&mut terminal, &mut dash, &stop, until);
    drain_input();
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    if let Err(e) = &result {
        tracing::error!(error = %e, "dashboard stopped");
    }
    result
}

/// Keys typed after quitting (or still queued when `q` was read) are
/// dropped, so they reach neither the dashboard nor the shell.
fn drain_input() {
    while !terminal_gone() && event::poll(Duration::ZERO).unwrap_or(false) {
        if event::read().is_err() {
            break;
        }
    }
}

/// The terminal hung up (its window or SSH session closed): input reads
/// end-of-file forever, and crossterm's `read` would spin on it waiting for
/// an event that never comes, deaf to SIGTERM. Seen as dashboards left
/// running at full CPU after their terminal was gone.
fn terminal_gone() -> bool {
    wait_tty(Duration::ZERO) == Tty::Gone
}

#[derive(PartialEq)]
enum Tty {
    Input,
    Idle,
    Gone,
}

/// Waits for the terminal to have input, at most `wait` and at most 100 ms
/// (so a resize, which arrives by signal, is drawn soon).
fn wait_tty(wait: Duration) -> Tty {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = wait.as_millis().min(100) as libc::c_int;
    // SAFETY: one valid pollfd; poll only writes `revents`.
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    if n <= 0 {
        Tty::Idle
    } else if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        // A pseudo-terminal whose other side closed reports POLLHUP.
        Tty::Gone
    } else {
        Tty::Input
    }
}

/// Ctrl-Z: hand the terminal back to the shell, stop until `fg`, then take
/// the terminal again and redraw everything.
fn suspend(terminal: &mut ratatui::DefaultTerminal, mouse: bool) -> Result<(), TuiError> {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    terminal.clear()?;
    Ok(())
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    dash: &mut Dashboard,
    stop: &AtomicBool,
    until: Until,
) -> Result<(), TuiError> {
    let size = terminal.size()?;
    dash.resize(size.width, size.height);
    let second = Duration::from_secs(1);
    let mut last_tick = Instant::now();
    let mut mouse = dash.mouse();
    loop {
        terminal.draw(|f| dash.render(f))?;
        match until {
            Until::FirstFrame => return Ok(()),
            Until::Loaded if !dash.loading() => return Ok(()),
            _ => {}
        }
        let mut wait = second.saturating_sub(last_tick.elapsed());
        if dash.loading() {
            // The whole open set is read behind the first screen: look for
            // it often.
            wait = wait.min(Duration::from_millis(20));
        }
        // Wait on the terminal ourselves first: crossterm's own wait spins
        // for ever on a terminal that hung up (see `terminal_gone`).
        if wait_tty(wait) == Tty::Gone {
            tracing::info!("terminal closed");
            return Ok(());
        }
        // Every event crossterm holds (a paste is many keys at once; a
        // resize comes from a signal, not the terminal), stopping at a quit
        // so that keys typed after it are dropped.
        while !terminal_gone() && event::poll(Duration::ZERO)? {
            let ev = event::read()?;
            dash.handle_event(&ev);
            if dash.should_quit() {
                break;
            }
        }
        dash.take_loaded(false);
        if last_tick.elapsed() >= second {
            dash.tick();
            last_tick = Instant::now();
        }
        if dash.take_suspend() {
            suspend(terminal, mouse)?;
        }
        if dash.mouse() != mouse {
            mouse = dash.mouse();
            if mouse {
                execute!(std::io::stdout(), EnableMouseCapture)?;
            } else {
                execute!(std::io::stdout(), DisableMouseCapture)?;
            }
        }
        if dash.should_quit() || stop.load(Ordering::Relaxed) {
            tracing::info!("dashboard stopped");
            return Ok(());
        }
    }
}
