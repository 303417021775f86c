//! The dashboard (no command) and the engineer's day.

use super::args::EngineerArgs;
use super::{CliError, CliResult};
use crate::app::App;

fn not_yet(what: &str) -> CliError {
    CliError::internal(format!("{what}: not available in this build yet"))
}

/// `repairdesk` with no command.
pub fn dashboard(_app: App) -> CliResult {
    Err(not_yet("dashboard"))
}

/// `repairdesk engineer NAME`.
pub fn engineer(_app: App, _args: EngineerArgs) -> CliResult {
    Err(not_yet("engineer"))
}
