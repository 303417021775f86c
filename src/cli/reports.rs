//! `alerts` and `report …`.

use super::args::ReportCmd;
use super::{CliError, CliResult};
use crate::app::App;

fn not_yet(what: &str) -> CliError {
    CliError::internal(format!("{what}: not available in this build yet"))
}

pub fn alerts(_app: App) -> CliResult {
    Err(not_yet("alerts"))
}

pub fn report(_app: App, _cmd: ReportCmd) -> CliResult {
    Err(not_yet("report"))
}
