//! What is on screen: the panes, a ticket's detail, a list, an engineer's
//! day or the month's figures; and the one-line status message.

use chrono::NaiveDate;

use crate::domain::event::Event;
use crate::domain::rules::StaffLoad;
use crate::domain::ticket::Ticket;
use crate::present::engineer_day::DaySheet;
use crate::report::Month;
use crate::report::kpi::{Kpi, MonthReport};

/// The selected ticket's full picture.
#[derive(Clone, Debug)]
pub struct Detail {
    pub ticket: Ticket,
    pub history: Vec<Event>,
    pub scroll: u16,
}

/// One engineer's day: `sel` counts the visits, then the bench machines.
#[derive(Clone, Debug)]
pub struct EngineerDay {
    pub staff: Vec<StaffLoad>,
    pub idx: usize,
    pub day: NaiveDate,
    pub sheet: DaySheet,
    pub sel: usize,
}

impl EngineerDay {
    pub fn name(&self) -> Option<&str> {
        self.staff.get(self.idx).map(|s| s.name.as_str())
    }
}

/// One month's figures, computed when the view opens, the month changes or
/// the database changes; never while drawing.
#[derive(Clone, Debug)]
pub struct Reports {
    pub month: Month,
    /// `None` when reading failed (the error is flashed).
    pub report: Option<MonthReport>,
    /// Rows scrolled down when the terminal is too small for the whole view.
    pub scroll: u16,
    /// The dashboard's reload count when the figures were computed.
    pub(super) loaded_at: u64,
}

/// The region's month: each station's figures side by side (computed
/// like [`Reports`], when the view opens, the month changes or the database
/// changes).
#[derive(Clone, Debug)]
pub struct Stations {
    pub month: Month,
    /// Each station's code and figures; `None` when reading failed.
    pub figures: Option<Vec<(String, Kpi)>>,
    /// Rows scrolled down when the terminal is too small for the table.
    pub scroll: u16,
    pub(super) loaded_at: u64,
}

#[derive(Clone, Debug)]
pub enum Screen {
    Panes,
    Detail(Box<Detail>),
    Cancels,
    Closed,
    Alerts,
    Engineer(Box<EngineerDay>),
    Reports(Box<Reports>),
    /// Special customers' tickets (R14), oldest first.
    Specials,
    /// The region's figures, one column per station.
    Stations(Box<Stations>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}
