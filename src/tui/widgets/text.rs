//! Display-width text helpers (see `crate::width`).
pub use crate::width::*;
