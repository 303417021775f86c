//! The command line of docs/interface.md: every subcommand becomes a domain
//! command handed to the store, or a read of it.

mod admin;
mod args;
mod dash;
mod files;
pub mod out;
mod reports;
mod safety;
mod staff;
mod ticket;
mod values;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::*;

use crate::domain::clock::Clock;
use crate::domain::rule::Missing;
use crate::domain::text::Lang;
use crate::domain::when;
use crate::present::error::{Trouble, store_error};
use crate::setup::app::{App, PretendClock, SystemClock, default_config_path, default_data_dir};
use crate::setup::config::Config;
use crate::store::StoreError;

/// Exit codes of docs/interface.md.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INTERNAL: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const REFUSED: u8 = 3;
    pub const NOT_FOUND: u8 = 4;
    pub const CONFLICT: u8 = 5;
    pub const REJECTED_ROWS: u8 = 6;
    /// The change was recorded, but what the command prints could not be
    /// written (stdout full or closed): do not run it again.
    pub const OUTPUT_FAILED: u8 = 7;
}

/// A failed command: its exit code and the one message for the user.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn new(code: u8, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(exit::USAGE, message)
    }
    pub fn internal(message: impl std::fmt::Display) -> CliError {
        CliError::new(exit::INTERNAL, message.to_string())
    }
    /// A store error in the user's language (`present::error`), with its exit code.
    pub fn from_store(e: StoreError, lang: Lang) -> CliError {
        let db = DB_PATH.get().map(|p| p.as_path());
        let hint = match &e {
            StoreError::Refused(r) => r.missing.map(|m| flag_hint(m, lang)),
            _ => None,
        };
        let (trouble, mut message) = store_error(e, lang, db);
        if let Some(h) = hint {
            message.push_str(lang.pick("；", "; "));
            message.push_str(&h);
        }
        let code = match trouble {
            Trouble::Refused => exit::REFUSED,
            Trouble::NotFound => exit::NOT_FOUND,
            Trouble::Conflict => exit::CONFLICT,
            Trouble::Usage => exit::USAGE,
            Trouble::Internal => exit::INTERNAL,
        };
        CliError::new(code, message)
    }
}

/// How to give a missing fact on the command line.
fn flag_hint(m: Missing, lang: Lang) -> String {
    let (zh, en) = match m {
        Missing::PartsEta => ("用 --eta 给出", "give it with --eta"),
        Missing::OutageReason => (
            "用 --override 系统故障 给出",
            "give it with --override \"system outage\"",
        ),
        Missing::RepairedBy => ("用 --by 给出", "give it with --by"),
        Missing::Charge => ("用 --charge 给出", "give it with --charge"),
        Missing::ReturnedParts => (
            "用 --returned-part 编码 或 --not-returned 编码=原因 给出",
            "give them with --returned-part CODE or --not-returned CODE=REASON",
        ),
        Missing::SpecialCaseForm => (
            "先 ticket print --form special-case，再 ticket special-case",
            "ticket print --form special-case, then ticket special-case",
        ),
    };
    lang.pick(zh, en).to_string()
}

pub type CliResult = Result<(), CliError>;

/// The database this run works on, so that damage found deep inside any
/// command can name the file.
static DB_PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let changes = records_something(&cli);
    if !changes {
        // Like other Unix tools, a read ends quietly when the reader of its
        // output goes away (`repairdesk ticket list | head`). A change keeps
        // running to report "recorded" (exit 7) instead of dying unheard.
        #[cfg(unix)]
        // SAFETY: called before any thread starts; restores the default action.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let result = run(cli);
    if let Some(e) = out::finish() {
        // The change (if any) is committed; only what was to be shown is
        // lost. A script must not run the command again.
        let recorded = changes && matches!(&result, Ok(()))
            || matches!(&result, Err(e) if e.code == exit::REJECTED_ROWS);
        if recorded {
            crate::errln!("recorded, but the output could not be written: {e}");
            return ExitCode::from(exit::OUTPUT_FAILED);
        }
        if result.is_ok() {
            crate::errln!("the output could not be written: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    }
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            // An empty message: the details were printed already (import's exit 6).
            if !e.message.is_empty() {
                crate::errln!("{}", crate::present::sanitize::terminal_safe(&e.message));
            }
            ExitCode::from(e.code)
        }
    }
}

/// Does the command record a change (or write a file) when it succeeds?
fn records_something(cli: &Cli) -> bool {
    match &cli.command {
        Some(Cmd::Ticket(t)) => !matches!(
            t.command,
            TicketSub::Show { .. } | TicketSub::List { .. } | TicketSub::History { .. }
        ),
        Some(Cmd::Staff(s)) => !matches!(s.command, StaffSub::List),
        Some(Cmd::Admin(a)) => {
            matches!(a.command, AdminSub::Grant { .. } | AdminSub::Revoke { .. })
        }
        Some(
            Cmd::Demo(_)
            | Cmd::Import(_)
            | Cmd::Export(_)
            | Cmd::Backup { .. }
            | Cmd::Migrate { .. },
        ) => true,
        Some(Cmd::Report(ReportCmd::Kpi { output, .. } | ReportCmd::Unfinished { output, .. })) => {
            output.is_some()
        }
        _ => false,
    }
}

/// Builds the application context from the global options.
pub fn build_app(g: &Global) -> Result<App, CliError> {
    let lang = match g.lang.as_deref() {
        Some(l) if l.eq_ignore_ascii_case("zh") => Lang::Zh,
        Some(l) if l.eq_ignore_ascii_case("en") => Lang::En,
        Some(other) => {
            return Err(CliError::usage(format!(
                "--lang: '{other}' is not zh or en"
            )));
        }
        None => Lang::from_env(),
    };
    let path = g.config.clone().unwrap_or_else(default_config_path);
    let config = if g.config.is_some() || path.exists() {
        let config = Config::load(&path).map_err(|e| CliError::usage(e.to_string()))?;
        check_keys(&config, &path)?;
        config
    } else {
        Config::default()
    };
    let tz = config.settings.station.timezone;
    let clock: Box<dyn Clock> = match g.now.as_deref().map(str::trim) {
        // An empty --now is a mistake (an unset variable in a script), not
        // a request for the real clock: refuse it.
        Some("") => {
            return Err(CliError::usage(
                "--now / REPAIRDESK_NOW: empty; give a moment such as '2026-11-26 09:30', or leave it out for the real clock",
            ));
        }
        Some(text) => {
            let t = when::parse_datetime(text, tz)
                .map_err(|e| CliError::usage(format!("--now / REPAIRDESK_NOW: '{text}': {e}")))?;
            Box::new(PretendClock(t))
        }
        None => Box::new(SystemClock),
    };
    let actor = g
        .actor
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .or_else(|| std::env::var("LOGNAME").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "coordinator".to_string());
    let db =
        g.db.clone()
            .unwrap_or_else(|| default_data_dir().join("repairdesk.db"));
    let mut app = App::new(config.settings, clock, actor.trim().to_string(), lang, db);
    app.keys = config.keys;
    app.dashboard = config.dashboard;
    app.station_named = config.station_named;
    app.json = g.json;
    Ok(app)
}

/// `[keys]` is checked at start-up like the rest of the configuration, for
/// every command: each problem names the file and the line of the entry.
fn check_keys(config: &Config, path: &std::path::Path) -> CliResult {
    let Err(problems) = crate::tui::keymap::KeyMap::with_overrides(&config.keys) else {
        return Ok(());
    };
    let lines: Vec<String> = problems
        .iter()
        .map(|p| {
            // The entry the problem is about: the first `[keys]` name it cites.
            let at = config
                .key_positions
                .iter()
                .filter_map(|(name, pos)| p.find(&format!(" {name}")).map(|i| (i, *pos)))
                .min()
                .map(|(_, pos)| pos);
            match at {
                Some((line, column)) => format!("{}:{line}:{column}: {p}", path.display()),
                None => format!("{}: {p}", path.display()),
            }
        })
        .collect();
    Err(CliError::usage(lines.join("\n")))
}

pub fn run(cli: Cli) -> CliResult {
    let app = build_app(&cli.global)?;
    let _ = DB_PATH.set(app.db_path.clone());
    match cli.command {
        None => dash::dashboard(
            app,
            if cli.exit_after_first_frame {
                crate::tui::Until::FirstFrame
            } else if cli.exit_after_load {
                crate::tui::Until::Loaded
            } else {
                crate::tui::Until::Quit
            },
        ),
        Some(Cmd::Ticket(t)) => ticket::run(app, t.command),
        Some(Cmd::Staff(s)) => staff::run(app, s.command),
        Some(Cmd::Admin(a)) => admin::run(app, a.command),
        Some(Cmd::Completions { shell }) => {
            let mut cmd = Cli::command();
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut cmd, "repairdesk", &mut text);
            crate::out!("{}", String::from_utf8_lossy(&text));
            Ok(())
        }
        Some(Cmd::Man) => {
            let man = clap_mangen::Man::new(Cli::command());
            let mut text = Vec::new();
            man.render(&mut text).map_err(CliError::internal)?;
            crate::out!("{}", String::from_utf8_lossy(&text));
            Ok(())
        }
        Some(Cmd::Demo(a)) => files::demo(app, a),
        Some(Cmd::Import(a)) => files::import(app, a),
        Some(Cmd::Export(c)) => files::export(app, c),
        Some(Cmd::Engineer(a)) => dash::engineer(app, a),
        Some(Cmd::Alerts) => reports::alerts(app),
        Some(Cmd::Report(c)) => reports::report(app, c),
        Some(Cmd::Backup { file }) => safety::backup(app, file),
        Some(Cmd::Migrate { to }) => safety::migrate(app, &to),
    }
}

/// Parses a time flag, or exits 2 naming the flag and the accepted forms.
pub fn parse_time_flag(
    app: &App,
    flag: &str,
    value: &str,
) -> Result<crate::domain::ticket::Time, CliError> {
    when::parse_when(value, app.now(), app.settings.station.timezone).map_err(|e| match e {
        // The text was read: say what is wrong with it (a clock change, the
        // range), as --now does.
        when::WhenError::NonexistentLocalTime(..) | when::WhenError::OutOfRange(_) => {
            CliError::usage(format!("{flag}: {e}"))
        }
        _ => CliError::usage(format!(
            "{flag}: cannot read '{value}' as a time; accepted: {}",
            when::ACCEPTED_FORMS
        )),
    })
}

/// Prints a JSON document on stdout.
/// Names, on stderr, the tickets a read had to leave out because their
/// stored values do not read: the rest of the answer stands.
pub fn warn_damaged(store: &crate::store::Store, lang: Lang) {
    for d in store.damaged() {
        crate::errln!("{}", damaged_line(&d, lang));
    }
}

/// One line naming a ticket left out of a read, and why.
pub fn damaged_line(d: &crate::store::Damaged, lang: Lang) -> String {
    use crate::present::sanitize::terminal_safe;
    let (no, detail) = (terminal_safe(&d.ticket_no), terminal_safe(&d.detail));
    match lang {
        Lang::Zh => format!(
            "警告：维修单 {no} 的存储记录无法读取（{detail}），已略过；其他维修单不受影响。用 `ticket show {no}` 查看。"
        ),
        Lang::En => format!(
            "warning: ticket {no} left out: its stored record cannot be read ({detail}); the other tickets are not affected. See `ticket show {no}`."
        ),
    }
}

pub fn print_json(v: &serde_json::Value) -> CliResult {
    let text = serde_json::to_string_pretty(v).map_err(CliError::internal)?;
    crate::outln!("{}", crate::present::sanitize::json_safe(&text));
    Ok(())
}

/// Used by tests and the man page: the full command definition.
pub fn command() -> clap::Command {
    Cli::command()
}
