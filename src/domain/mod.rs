//! The rules, pure: no I/O, no clock, no SQL.

pub mod calendar;
pub mod clock;
pub mod command;
pub mod event;
pub mod holidays;
pub mod next_step;
pub mod people;
pub mod phone;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod sla;
pub mod staff;
pub mod text;
pub mod ticket;
pub mod when;
