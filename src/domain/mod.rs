//! The rules, pure: no I/O, no clock, no SQL.

pub mod calendar;
pub mod clock;
pub mod command;
pub mod event;
pub mod holidays;
pub mod phone;
pub mod rule;
pub mod rules;
pub mod sla;
pub mod staff;
pub mod ticket;
pub mod when;
