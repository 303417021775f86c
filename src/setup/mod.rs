//! Setting up a command: the configuration file, the system clock, who
//! acts, the language and where the database is.

pub mod app;
pub mod config;
