//! `demo`, `import`, `export writeback`, `ticket print`: the call centre's files.

use std::path::PathBuf;

use super::args::{DemoArgs, ExportCmd, ImportArgs};
use super::{CliError, CliResult};
use crate::app::App;
use crate::store::Store;

fn not_yet(what: &str) -> CliError {
    CliError::internal(format!("{what}: not available in this build yet"))
}

pub fn demo(_app: App, _args: DemoArgs) -> CliResult {
    Err(not_yet("demo"))
}

pub fn import(_app: App, _args: ImportArgs) -> CliResult {
    Err(not_yet("import"))
}

pub fn export(_app: App, _cmd: ExportCmd) -> CliResult {
    Err(not_yet("export"))
}

/// `repairdesk ticket print`.
pub fn print(_app: &App, _store: &mut Store, _no: &str, _output: Option<PathBuf>) -> CliResult {
    Err(not_yet("ticket print"))
}
