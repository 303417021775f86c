//! The dashboard (no command) and the engineer's day.

use super::args::EngineerArgs;
use super::{CliError, CliResult};
use crate::domain::when;
use crate::setup::app::App;
use crate::tui::{self, Start, TuiError};

fn from_tui(e: TuiError, app_lang: crate::domain::text::Lang) -> CliError {
    match e {
        TuiError::Keys(lines) => CliError::usage(lines.join("\n")),
        TuiError::Store(e) => CliError::from_store(e, app_lang),
        e @ TuiError::Io(_) => CliError::internal(e),
    }
}

/// `repairdesk` with no command.
pub fn dashboard(app: App, until: tui::Until) -> CliResult {
    let lang = app.lang;
    tui::run_with(app, Start::Panes, until).map_err(|e| from_tui(e, lang))
}

/// `repairdesk engineer NAME`: the day's visits in arrival-time order and
/// the bench work, in the dashboard or (`--plain`) on stdout.
pub fn engineer(app: App, args: EngineerArgs) -> CliResult {
    let lang = app.lang;
    let day = match args
        .date
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(text) => {
            when::parse_date(text).map_err(|e| CliError::usage(format!("--date: {e}")))?
        }
        None => app.calendar.local(app.now()).date_naive(),
    };
    let name = args.name.trim().to_string();
    let store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, lang))?;
    let staff = store
        .staff_list()
        .map_err(|e| CliError::from_store(e, lang))?;
    if !staff.iter().any(|s| s.name == name) {
        return Err(CliError::from_store(
            crate::store::StoreError::NoSuchEngineer(name),
            lang,
        ));
    }
    // Piped or redirected (a script, a printer): the plain sheet, not a
    // dashboard that cannot be drawn.
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if !args.plain && !app.json && terminal {
        drop(store);
        return tui::run(app, Start::Engineer { name, day }).map_err(|e| from_tui(e, lang));
    }
    let sheet = tui::model::engineer_day(&store, &app, &name, day)
        .map_err(|e| CliError::from_store(e, lang))?;
    if app.json {
        return super::print_json(&crate::present::engineer_day::json(
            &app.calendar,
            &sheet,
            lang,
        ));
    }
    crate::out!(
        "{}",
        crate::present::engineer_day::plain(&app.calendar, &sheet, lang)
    );
    Ok(())
}
