//! `backup`.

use std::path::PathBuf;

use super::{CliError, CliResult};
use crate::app::App;

pub fn backup(_app: App, _file: PathBuf) -> CliResult {
    Err(CliError::internal(
        "backup: not available in this build yet",
    ))
}
