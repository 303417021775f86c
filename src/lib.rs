//! repairdesk: the repair station's desk. See README.md.

pub mod atomic_file;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod interchange;
pub mod present;
pub mod report;
pub mod setup;
pub mod store;
pub mod tui;
