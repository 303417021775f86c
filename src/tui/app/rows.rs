//! The open set held in memory, kept up to date without starting over.
//!
//! The dashboard holds every open ticket (100,000 on a busy station). Reading
//! and parsing them all costs about half a second there, and computing all
//! their alerts and sorting the panes tens of milliseconds, so only the
//! first start and `F5` do it. After another desk's change only the tickets
//! changed since the last read are read again (`Store::open_changes`), and
//! at each tick the alerts are computed again for at most [`TICK_ROWS`]
//! rows (all of them below that). Either way the rows that changed are
//! taken out of the panes and the alert list and put back where they now
//! belong, by binary search: the panes stay in the order a full sort gives.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::Dashboard;
use crate::domain::ticket::{Status, Ticket};
use crate::store::OpenChanges;
use crate::tui::model::Row;

/// At most this many rows have their alerts computed again at one tick; a
/// larger open set is gone through over several ticks (at 100,000 open
/// tickets, every ticket every 10 seconds).
pub(super) const TICK_ROWS: usize = 10_000;

/// Above this share of the rows changed at once, sorting everything again is
/// cheaper than moving each.
const RESORT_SHARE: usize = 8;

impl Dashboard {
    /// Holds `rows` as the whole open set.
    pub(super) fn replace_rows(&mut self, rows: Vec<Row>) {
        self.rows = rows;
        self.index_rows();
        self.next_tick_row = 0;
        self.order();
        self.order_alerts();
    }

    fn index_rows(&mut self) {
        self.by_no = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.ticket.ticket_no.clone(), i))
            .collect();
    }

    /// The changes read from the store, applied; false when the store could
    /// not tell what changed (the caller reads everything again).
    pub(super) fn apply_changes(&mut self, changes: OpenChanges) -> bool {
        let OpenChanges::Since {
            changed,
            tickets,
            mark,
        } = changes
        else {
            return false;
        };
        self.mark = mark;
        if changed.is_empty() {
            return true;
        }
        self.now = self.app.now();
        let mut fresh: HashMap<String, Ticket> = tickets
            .into_iter()
            .map(|t| (t.ticket_no.clone(), t))
            .collect();
        // Rows whose ticket is closed now (or no longer reads) go; the others
        // take their new state in place; new open tickets come at the end.
        let mut gone: Vec<usize> = Vec::new();
        let mut touched: Vec<usize> = Vec::new();
        for no in &changed {
            let Some(&i) = self.by_no.get(no) else {
                continue;
            };
            match fresh.remove(no) {
                Some(t) => {
                    self.rows[i] = Row::new(&self.app, t, self.now);
                    touched.push(i);
                }
                None => gone.push(i),
            }
        }
        let mut added: Vec<Ticket> = fresh.into_values().collect();
        added.sort_by(|a, b| a.ticket_no.cmp(&b.ticket_no));
        for t in added {
            let i = self.rows.len();
            self.by_no.insert(t.ticket_no.clone(), i);
            self.rows.push(Row::new(&self.app, t, self.now));
            touched.push(i);
        }
        let remap = self.remove_rows(gone);
        self.reposition(touched, remap);
        true
    }

    /// Removes these rows (swapping the last row into each place); returns
    /// where every old row went (`None`: removed), or nothing when no row
    /// was removed.
    fn remove_rows(&mut self, mut gone: Vec<usize>) -> Option<Vec<Option<usize>>> {
        if gone.is_empty() {
            return None;
        }
        gone.sort_unstable();
        gone.dedup();
        let mut remap: Vec<Option<usize>> = (0..self.rows.len()).map(Some).collect();
        // From the highest: the row swapped in is always one that stays.
        for &i in gone.iter().rev() {
            let last = self.rows.len() - 1;
            let row = self.rows.swap_remove(i);
            self.by_no.remove(&row.ticket.ticket_no);
            remap[i] = None;
            if i != last {
                remap[last] = Some(i);
                let moved = &self.rows[i].ticket.ticket_no;
                if let Some(slot) = self.by_no.get_mut(moved) {
                    *slot = i;
                }
            }
        }
        Some(remap)
    }

    /// At a tick: the alerts of the next rows at the new moment; those that
    /// changed move to their new places.
    pub(super) fn tick_alerts(&mut self) {
        self.now = self.app.now();
        let n = self.rows.len();
        if n == 0 {
            return;
        }
        let count = n.min(TICK_ROWS);
        let start = self.next_tick_row % n;
        let mut touched = Vec::new();
        for k in 0..count {
            let i = (start + k) % n;
            if self.rows[i].refresh(&self.app, self.now) {
                touched.push(i);
            }
        }
        self.next_tick_row = (start + count) % n;
        self.reposition(touched, None);
    }

    /// Puts changed rows (`touched`, indices after `remap`) back in order in
    /// the panes, the cancel requests and the alert list, after renumbering
    /// the rows that moved.
    fn reposition(&mut self, touched: Vec<usize>, remap: Option<Vec<Option<usize>>>) {
        if touched.is_empty() && remap.is_none() {
            return;
        }
        let touched: Vec<usize> = match &remap {
            Some(m) => touched.into_iter().filter_map(|i| m[i]).collect(),
            None => touched,
        };
        let before = self.before();
        if touched.len() * RESORT_SHARE > self.rows.len() {
            self.order();
            self.order_alerts();
            self.settle(before);
            return;
        }
        let mut dirty = vec![false; self.rows.len()];
        for &i in &touched {
            dirty[i] = true;
        }
        let keep = |i: usize| -> Option<usize> {
            let i = match &remap {
                Some(m) => m[i]?,
                None => i,
            };
            (!dirty[i]).then_some(i)
        };
        for pane in self.panes.iter_mut() {
            *pane = pane.iter().filter_map(|&i| keep(i)).collect();
        }
        self.cancels = self.cancels.iter().filter_map(|&i| keep(i)).collect();
        let alerts = std::mem::take(&mut self.alerts);
        self.alerts = alerts
            .into_iter()
            .filter_map(|(i, n)| keep(i).map(|i| (i, n)))
            .collect();
        for i in touched {
            self.insert_row(i);
        }
        self.settle(before);
    }

    /// Puts row `i` where it belongs: its pane (if the filter shows it), the
    /// cancel requests, and each of its alerts in the alert list.
    fn insert_row(&mut self, i: usize) {
        let t = &self.rows[i].ticket;
        let shown = self.shown(&t.ticket_no);
        if shown && let Some(p) = Status::PANES.iter().position(|s| *s == t.status) {
            let at = self.panes[p]
                .binary_search_by(|&j| self.pane_cmp(j, i))
                .unwrap_or_else(|e| e);
            self.panes[p].insert(at, i);
        }
        if shown && t.status == Status::CancelRequested {
            let at = self
                .cancels
                .binary_search_by(|&j| self.cancel_cmp(j, i))
                .unwrap_or_else(|e| e);
            self.cancels.insert(at, i);
        }
        for n in 0..self.rows[i].alerts.len() {
            let at = self
                .alerts
                .binary_search_by(|&entry| self.alert_order(entry, (i, n)))
                .unwrap_or_else(|e| e);
            self.alerts.insert(at, (i, n));
        }
    }

    /// Every alert over the open set, most urgent first.
    pub(super) fn order_alerts(&mut self) {
        let mut alerts: Vec<(usize, usize)> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(i, r)| (0..r.alerts.len()).map(move |n| (i, n)))
            .collect();
        alerts.sort_by(|a, b| self.alert_order(*a, *b));
        self.alerts = alerts;
    }

    /// The alert list's order: the most urgent first; between equals, by
    /// ticket number, then as the ticket lists them.
    fn alert_order(&self, (i, n): (usize, usize), (j, m): (usize, usize)) -> Ordering {
        let (a, b) = (&self.rows[i], &self.rows[j]);
        match (a.alerts.get(n), b.alerts.get(m)) {
            (Some(x), Some(y)) => crate::domain::sla::urgency_order(x, y),
            _ => Ordering::Equal,
        }
        .then_with(|| a.ticket.ticket_no.cmp(&b.ticket.ticket_no))
        .then(n.cmp(&m))
    }
}
