//! The first screen before the whole open set.
//!
//! Reading and sorting every open ticket takes most of a second at 100,000
//! open tickets. The first frame needs only the rows it shows: for each
//! pane, its most urgent rows are read in the order of the schedule the
//! store keeps with each ticket (`domain::sla::schedule`), stopping as soon
//! as no unread ticket can come before them; the whole open set is read by
//! a thread on its own connection meanwhile, and takes their place when it
//! is there (the selection stays on its tickets, as after any reload).
//!
//! Why the first screen is exact: a ticket with an alert up at `now` has
//! `alert_from <= now`, and none is ahead of the bound its `alert_due`
//! gives; a ticket with no alert up sorts by its quiet deadline
//! (`quiet_due`). So reading the first by `alert_due`, then by `quiet_due`,
//! each until the pane's rows already read are all ahead of the next
//! ticket's bound, finds exactly the first rows of the full sort.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::Dashboard;
use crate::domain::sla::{Schedule, Urgency};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::store::{ChangeMark, Damaged, Scan, Store, StoreError};
use crate::tui::model::{self, Row};

/// The rows of each pane read before the whole open set: more than a pane
/// shows on any terminal up to 100 lines.
pub(super) const FIRST_ROWS: usize = 100;

/// Below this many open tickets the whole set is read at once (a few
/// milliseconds): no thread.
pub(super) const QUICK_FROM: usize = 2_000;

/// The whole open set, read by the thread.
pub(super) struct Loaded {
    rows: Vec<Row>,
    mark: ChangeMark,
    damaged: Vec<Damaged>,
}

/// The whole open set behind the first screen.
pub(super) enum Loading {
    /// To be read as of this moment once the first frame is drawn (the
    /// thread would take the CPU the first frame needs).
    Due(Time),
    /// Being read by the thread.
    Reading(Receiver<Result<Loaded, StoreError>>),
}

impl Dashboard {
    /// The first screen: the first rows of each pane, and the rest read
    /// behind (see the module). Falls back to reading everything now when
    /// the store keeps no schedules or the open set is small.
    pub(super) fn start(&mut self) {
        if self.show_first() {
            self.loading = Some(Loading::Due(self.now));
        }
    }

    /// A change while the whole set is read behind: the first screen again.
    pub(super) fn first_again(&mut self) {
        self.show_first();
    }

    /// Reads and shows the first rows of each pane; false when everything
    /// was read instead (or reading failed).
    fn show_first(&mut self) -> bool {
        self.reloads += 1;
        let counts = match model::open_counts(&self.store) {
            Ok(c) => c,
            Err(e) => {
                self.error(e);
                return false;
            }
        };
        let open: usize = counts.values().sum();
        if open < QUICK_FROM {
            self.reload();
            return false;
        }
        let now = self.app.now();
        let rows = match self.first_rows(now) {
            Ok(Some(rows)) => rows,
            Ok(None) => {
                self.reload();
                return false;
            }
            Err(e) => {
                self.error(e);
                return false;
            }
        };
        let before = self.before();
        self.counts = counts;
        self.now = now;
        self.find_matches();
        self.replace_rows(rows);
        self.settle(before);
        true
    }

    /// The first [`FIRST_ROWS`] of every pane, most urgent first, and any
    /// ticket whose schedule the store does not know; `None`: the store
    /// keeps no schedules.
    fn first_rows(&self, now: Time) -> Result<Option<Vec<Row>>, StoreError> {
        let mut rows: HashMap<String, Row> = HashMap::new();
        let (settings, cal) = (&self.app.settings, &self.app.calendar);
        for status in Status::PANES {
            let keep = |rows: &mut HashMap<String, Row>, t: Ticket| {
                let row = Row::with(settings, cal, t, now);
                rows.insert(row.ticket.ticket_no.clone(), row);
            };
            if !self.store.open_scan(status, Scan::NotKnown, |t, _| {
                keep(&mut rows, t);
                true
            })? {
                return Ok(None);
            }
            // Those with an alert up, until the pane's first rows are all
            // ahead of the next one's bound.
            let mut pane = Pane::default();
            self.store.open_scan(status, Scan::Alerted(now), |t, due| {
                let row = Row::with(settings, cal, t, now);
                pane.add(&row);
                rows.insert(row.ticket.ticket_no.clone(), row);
                let bound = due.map(|d| Schedule::alerted_bound(d, now));
                !bound.is_some_and(|b| pane.ahead(b))
            })?;
            // Then the quiet ones by their deadline.
            let mut done = false;
            self.store.open_scan(status, Scan::Quiet, |t, due| {
                let row = Row::with(settings, cal, t, now);
                pane.add(&row);
                rows.insert(row.ticket.ticket_no.clone(), row);
                done = pane.ahead(Schedule::quiet_bound(due));
                !done
            })?;
            // Tickets with no deadline at all come last: read only when
            // the pane is not full without them.
            if !done && !pane.ahead(Schedule::quiet_bound(None)) {
                self.store.open_scan(status, Scan::NoQuietDue, |t, _| {
                    keep(&mut rows, t);
                    true
                })?;
            }
        }
        Ok(Some(rows.into_values().collect()))
    }

    /// Starts the thread reading the whole open set on a connection of its
    /// own.
    fn read_behind(&self, now: Time) -> Loading {
        let (tx, rx) = mpsc::channel();
        let path = self.app.db_path.clone();
        let station = self.app.settings.station.code.clone();
        let settings = self.app.settings.clone();
        let cal = self.app.calendar.clone();
        std::thread::spawn(move || {
            let read = || -> Result<Loaded, StoreError> {
                let store = Store::open_station(&path, &station)?;
                store.expect_one_pass()?;
                // Room for them all at once: growing the list would hold
                // two copies of it for a moment.
                let open: usize = model::open_counts(&store)?.values().sum();
                let mut rows = Vec::with_capacity(open + open / 64 + 16);
                let mark = store.open_set(|t| rows.push(Row::with(&settings, &cal, t, now)))?;
                Ok(Loaded {
                    rows,
                    mark,
                    damaged: store.damaged(),
                })
            };
            // The dashboard may have gone meanwhile: nobody to tell.
            let _ = tx.send(read());
        });
        Loading::Reading(rx)
    }

    /// Whether the whole open set is still being read behind the first
    /// screen.
    pub fn loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Starts reading the whole open set after the first frame, and takes
    /// it when the thread has read it (`wait`: until it has); true when it
    /// was taken now.
    pub fn take_loaded(&mut self, wait: bool) -> bool {
        if let Some(Loading::Due(now)) = self.loading {
            self.loading = Some(self.read_behind(now));
        }
        let Some(Loading::Reading(rx)) = &self.loading else {
            return false;
        };
        let got = if wait {
            rx.recv().map_err(|_| TryRecvError::Disconnected)
        } else {
            rx.try_recv()
        };
        let result = match got {
            Err(TryRecvError::Empty) => return false,
            Ok(r) => r,
            Err(TryRecvError::Disconnected) => Err(StoreError::Data(
                "the reading of the open tickets stopped".into(),
            )),
        };
        self.loading = None;
        match result {
            Ok(loaded) => {
                self.store.note_damaged(loaded.damaged);
                let before = self.before();
                self.mark = loaded.mark;
                self.replace_rows(loaded.rows);
                self.settle(before);
                // What changed since the thread's snapshot.
                self.catch_up();
                self.refresh_screen();
            }
            Err(e) => {
                self.error(e);
                self.reload();
            }
        }
        true
    }
}

/// The most urgent places read so far in one pane, each ticket once.
#[derive(Default)]
struct Pane {
    seen: HashSet<String>,
    /// At most [`FIRST_ROWS`] once trimmed: only the first rows matter.
    first: Vec<Urgency>,
}

impl Pane {
    fn add(&mut self, row: &Row) {
        if self.seen.insert(row.ticket.ticket_no.clone()) {
            self.first.push(row.urgency);
        }
    }

    /// Whether the pane's first [`FIRST_ROWS`] are all ahead of `bound`
    /// (no ticket at the bound or after can take their place).
    fn ahead(&mut self, bound: Urgency) -> bool {
        if self.first.len() < FIRST_ROWS {
            return false;
        }
        self.first.select_nth_unstable(FIRST_ROWS - 1);
        self.first.truncate(FIRST_ROWS);
        self.first[FIRST_ROWS - 1] < bound
    }
}
