//! Display-width text helpers (see `crate::present::width`).
pub use crate::present::width::*;
