//! repairdesk: the repair station's desk. See README.md.

pub mod app;
pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod interchange;
pub mod present;
pub mod report;
pub mod sanitize;
pub mod store;
pub mod text;
pub mod tui;
pub mod width;
