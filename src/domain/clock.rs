//! The clock: where "now" comes from.
//!
//! Every part of the program receives "now" from a [`Clock`], so that
//! deadlines (docs/process.md R1, R2, R14, P1, P2, P4) and the time points T1–T4
//! can be tested with a [`FixedClock`]. The system clock is read at the
//! edge ([`crate::setup::app::SystemClock`]), never here.

use chrono::{DateTime, Utc};

/// A source of the current moment.
pub trait Clock: Send + Sync {
    /// The current moment, as the process counts it (deadlines, events).
    fn now(&self) -> DateTime<Utc>;
    /// The real moment of writing, kept on every event next to its time
    /// (R20): differs from [`Clock::now`] only when pretending (`--now`).
    fn real_now(&self) -> DateTime<Utc>;
}

/// A clock that always answers the same moment, for both (tests, replays).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn real_now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_returns_its_moment() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 6, 30, 0).single();
        assert!(t.is_some());
        if let Some(t) = t {
            let c = FixedClock(t);
            assert_eq!(c.now(), t);
            assert_eq!(c.real_now(), t);
        }
    }
}
