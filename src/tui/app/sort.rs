//! The order of the panes and of the cancel requests.

use super::Dashboard;
use crate::domain::ticket::Status;
use crate::present::collate::sort_key;
use crate::tui::model::Row;

/// How the panes are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Most urgent first: breaches, then the nearest deadline, emergencies first.
    Deadline,
    T1,
    Customer,
    Engineer,
}

impl SortKey {
    pub(super) fn next(self) -> SortKey {
        match self {
            SortKey::Deadline => SortKey::T1,
            SortKey::T1 => SortKey::Customer,
            SortKey::Customer => SortKey::Engineer,
            SortKey::Engineer => SortKey::Deadline,
        }
    }
    pub fn name(self, lang: crate::domain::text::Lang) -> &'static str {
        match self {
            SortKey::Deadline => lang.pick("期限", "deadline"),
            SortKey::T1 => "T1",
            SortKey::Customer => lang.pick("用户", "customer"),
            SortKey::Engineer => lang.pick("工程师", "engineer"),
        }
    }
}

impl Dashboard {
    /// Orders the panes again (the sort changed); the selection stays on
    /// its tickets.
    pub(super) fn resort(&mut self) {
        let before = self.before();
        self.order();
        self.settle(before);
    }

    /// The order of every pane and of the cancel requests, from `rows`.
    pub(super) fn order(&mut self) {
        for (p, status) in Status::PANES.iter().enumerate() {
            let mut idx: Vec<usize> = (0..self.rows.len())
                .filter(|i| {
                    let t = &self.rows[*i].ticket;
                    t.status == *status && self.shown(&t.ticket_no)
                })
                .collect();
            let rows = &self.rows;
            let sort = self.sort;
            match sort {
                // Names by pinyin: one key per row, not one per comparison.
                SortKey::Customer | SortKey::Engineer => {
                    idx.sort_by_cached_key(|i| name_key(&rows[*i], sort))
                }
                _ => idx.sort_by(|a, b| compare(&rows[*a], &rows[*b], sort)),
            }
            if self.reverse {
                idx.reverse();
            }
            self.panes[p] = idx;
        }
        let mut cancels: Vec<usize> = (0..self.rows.len())
            .filter(|i| {
                let t = &self.rows[*i].ticket;
                t.status == Status::CancelRequested && self.shown(&t.ticket_no)
            })
            .collect();
        cancels.sort_by(|a, b| self.cancel_cmp(*a, *b));
        self.cancels = cancels;
    }

    /// The special customers' open tickets (R14) the filter shows, oldest
    /// first: read again from the rows after every change (they are few).
    pub(super) fn order_specials(&mut self) {
        let rows = &self.rows;
        let mut specials: Vec<usize> = (0..rows.len())
            .filter(|i| rows[*i].ticket.special && self.shown(&rows[*i].ticket.ticket_no))
            .collect();
        specials.sort_by(|a, b| {
            let key = |i: usize| (rows[i].ticket.t1, &rows[i].ticket.ticket_no);
            key(*a).cmp(&key(*b))
        });
        self.specials = specials;
    }

    /// Pane order between rows `a` and `b` (the sort and its direction).
    pub(super) fn pane_cmp(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (ra, rb) = (&self.rows[a], &self.rows[b]);
        let o = match self.sort {
            SortKey::Customer | SortKey::Engineer => {
                name_key(ra, self.sort).cmp(&name_key(rb, self.sort))
            }
            sort => compare(ra, rb, sort),
        };
        if self.reverse { o.reverse() } else { o }
    }

    /// The cancel requests' order: the oldest request first.
    pub(super) fn cancel_cmp(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let key = |i: usize| {
            let t = &self.rows[i].ticket;
            (
                t.progress.cancel.as_ref().map(|c| c.requested_at),
                &t.ticket_no,
            )
        };
        key(a).cmp(&key(b))
    }
}

/// The key of a name sort: unassigned tickets after the named ones, names
/// by pinyin.
fn name_key(
    row: &Row,
    sort: SortKey,
) -> (
    bool,
    Option<String>,
    Option<String>,
    crate::domain::ticket::Time,
    String,
) {
    let t = &row.ticket;
    let name = match sort {
        SortKey::Customer => Some(t.customer.name.as_str()),
        _ => t.engineer.as_deref(),
    };
    (
        name.is_none(),
        name.map(sort_key),
        name.map(str::to_string),
        t.t1,
        t.ticket_no.clone(),
    )
}

/// Pane order. Deadline: breaches, then the nearest due, emergencies first;
/// tickets without an alert after, by promised time. (Names are sorted by
/// their pinyin keys in `name_key`.)
fn compare(a: &Row, b: &Row, sort: SortKey) -> std::cmp::Ordering {
    let (ta, tb) = (&a.ticket, &b.ticket);
    let tie = || (ta.t1, &ta.ticket_no).cmp(&(tb.t1, &tb.ticket_no));
    match sort {
        SortKey::Deadline => a.urgency.cmp(&b.urgency).then_with(tie),
        SortKey::T1 | SortKey::Customer | SortKey::Engineer => tie(),
    }
}
