//! The selected ticket and moving the selection.
//!
//! The selection is kept by ticket number only (`Selection`); row indices
//! are derived from it when needed. A re-sort, a reload or a ticket moving
//! to another pane therefore cannot leave the selection on a neighbour: the
//! ticket acted on stays selected and the focus follows it to its new pane.

use super::{Dashboard, Flash, FlashKind, Screen};
use crate::domain::ticket::{Status, Ticket};
use crate::present::sanitize::terminal_safe;
use crate::tui::model::Row;

/// What is selected, by ticket number.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Per pane: the selected ticket (`None` only while the pane is empty).
    panes: [Option<String>; 4],
    /// On a list screen (alerts, cancel requests, closed): the ticket and
    /// which of its rows (a ticket has one alert row per alert).
    list: Option<(String, usize)>,
}

/// Where the selection was, as row positions, before the rows changed: a
/// ticket that left a pane (or a list) hands the selection to the row that
/// took its place.
pub(super) struct Before {
    panes: [Option<usize>; 4],
    list: Option<usize>,
}

impl Dashboard {
    pub(crate) fn pane_rows(&self, p: usize) -> Vec<&Row> {
        self.panes[p].iter().map(|i| &self.rows[*i]).collect()
    }

    fn pane_ticket(&self, p: usize, i: usize) -> Option<&Ticket> {
        self.panes.get(p)?.get(i).map(|r| &self.rows[*r].ticket)
    }

    fn pane_position(&self, p: usize, no: &str) -> Option<usize> {
        self.panes
            .get(p)?
            .iter()
            .position(|r| self.rows[*r].ticket.ticket_no == no)
    }

    /// The selected row of pane `p`, derived from the selected ticket.
    pub(crate) fn pane_index(&self, p: usize) -> Option<usize> {
        if self.panes.get(p).is_none_or(Vec::is_empty) {
            return None;
        }
        let no = self.selection.panes[p].as_deref();
        Some(no.and_then(|no| self.pane_position(p, no)).unwrap_or(0))
    }

    pub(super) fn list_len(&self) -> usize {
        match &self.screen {
            Screen::Cancels => self.cancels.len(),
            Screen::Specials => self.specials.len(),
            Screen::Closed => self.closed.len(),
            Screen::Alerts => self.alerts.len(),
            Screen::Engineer(e) => e.sheet.len(),
            _ => 0,
        }
    }

    /// The ticket on row `i` of the list screen on top.
    fn list_ticket(&self, i: usize) -> Option<&Ticket> {
        match &self.screen {
            Screen::Cancels => self.cancels.get(i).map(|r| &self.rows[*r].ticket),
            Screen::Specials => self.specials.get(i).map(|r| &self.rows[*r].ticket),
            Screen::Alerts => self.alerts.get(i).map(|(r, _)| &self.rows[*r].ticket),
            Screen::Closed => self.closed.get(i),
            _ => None,
        }
    }

    /// The key of list row `i`: its ticket and how many rows of the same
    /// ticket come before it.
    fn list_key(&self, i: usize) -> Option<(String, usize)> {
        let no = &self.list_ticket(i)?.ticket_no;
        let nth = (0..i)
            .filter(|j| self.list_ticket(*j).is_some_and(|t| &t.ticket_no == no))
            .count();
        Some((no.clone(), nth))
    }

    fn list_position(&self, key: &(String, usize)) -> Option<usize> {
        (0..self.list_len())
            .filter(|i| self.list_ticket(*i).is_some_and(|t| t.ticket_no == key.0))
            .nth(key.1)
    }

    /// The selected row of the list screen on top, derived from its ticket.
    pub(crate) fn list_index(&self) -> usize {
        self.selection
            .list
            .as_ref()
            .and_then(|k| self.list_position(k))
            .unwrap_or(0)
    }

    /// The ticket the transitions act on.
    pub fn selected(&self) -> Option<&Ticket> {
        match &self.screen {
            Screen::Panes => self.pane_ticket(self.focus, self.pane_index(self.focus)?),
            Screen::Detail(d) => Some(&d.ticket),
            Screen::Cancels | Screen::Alerts | Screen::Closed | Screen::Specials => {
                self.list_ticket(self.list_index())
            }
            Screen::Engineer(e) => e.sheet.ticket(e.sel),
            Screen::Reports(_) | Screen::Stations(_) => None,
        }
    }

    /// Selects row `i` of pane `p`.
    pub(super) fn pick_pane_row(&mut self, p: usize, i: usize) {
        if let Some(no) = self.pane_ticket(p, i).map(|t| t.ticket_no.clone()) {
            self.selection.panes[p] = Some(no);
        }
    }

    /// Selects row `i` of the list screen on top.
    pub(super) fn pick_list_row(&mut self, i: usize) {
        let i = i.min(self.list_len().saturating_sub(1));
        self.selection.list = self.list_key(i);
    }

    /// A new list screen starts at its first row.
    pub(super) fn clear_list_pick(&mut self) {
        self.selection.list = None;
    }

    /// Selects ticket `no` wherever it is shown: in its pane (which gets the
    /// focus) and on the list screen on top. False when no pane shows it.
    pub(super) fn select_ticket(&mut self, no: &str) -> bool {
        if let Some(i) =
            (0..self.list_len()).find(|i| self.list_ticket(*i).is_some_and(|t| t.ticket_no == no))
        {
            self.selection.list = self.list_key(i);
        }
        match (0..4).find(|p| self.pane_position(*p, no).is_some()) {
            Some(p) => {
                self.focus = p;
                self.selection.panes[p] = Some(no.to_string());
                true
            }
            None => false,
        }
    }

    /// Row positions of the selection, read before the rows change.
    pub(super) fn before(&self) -> Before {
        Before {
            panes: std::array::from_fn(|p| {
                let no = self.selection.panes[p].as_deref()?;
                self.pane_position(p, no)
            }),
            list: self
                .selection
                .list
                .as_ref()
                .and_then(|k| self.list_position(k)),
        }
    }

    /// After the rows changed: the focused pane's ticket, if it moved to
    /// another pane (an action here or a change made elsewhere), takes the
    /// focus with it, and the status line says where it went. A pane whose
    /// ticket left selects the row that took its place.
    pub(super) fn settle(&mut self, before: Before) {
        self.order_specials();
        let followed = self.selection.panes[self.focus]
            .clone()
            .filter(|no| self.pane_position(self.focus, no).is_none());
        if let Some(no) = followed
            && let Some(p) = (0..4).find(|p| self.pane_position(*p, &no).is_some())
        {
            self.focus = p;
            self.selection.panes[p] = Some(no.clone());
            if self.flash.is_none() && matches!(self.screen, Screen::Panes) {
                let lang = self.app.lang;
                self.flash = Some(Flash {
                    kind: FlashKind::Info,
                    text: format!("{} → {}", terminal_safe(&no), Status::PANES[p].name(lang)),
                });
            }
        }
        for p in 0..4 {
            let kept = self.selection.panes[p]
                .as_deref()
                .is_some_and(|no| self.pane_position(p, no).is_some());
            if !kept {
                let len = self.panes[p].len();
                let i = before.panes[p].unwrap_or(0).min(len.saturating_sub(1));
                self.selection.panes[p] = self.pane_ticket(p, i).map(|t| t.ticket_no.clone());
            }
        }
        let kept = self
            .selection
            .list
            .as_ref()
            .is_some_and(|k| self.list_position(k).is_some());
        if !kept && self.selection.list.is_some() {
            let i = before.list.unwrap_or(0);
            self.pick_list_row(i);
        }
    }

    pub(super) fn move_sel(&mut self, by: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64).saturating_add(by).clamp(0, len as i64 - 1) as usize
        };
        match &mut self.screen {
            Screen::Panes => {
                let p = self.focus;
                let i = step(self.pane_index(p).unwrap_or(0), self.panes[p].len());
                self.pick_pane_row(p, i);
            }
            Screen::Detail(d) => {
                let lines = crate::tui::views::detail::line_count(d, &self.app, self.size.0) as i64;
                // The last page stays full: header, status, footer and the border take 5 rows.
                let view = i64::from(self.size.1.saturating_sub(5)).max(1);
                d.scroll = (d.scroll as i64)
                    .saturating_add(by)
                    .clamp(0, (lines - view).max(0)) as u16;
            }
            Screen::Engineer(e) => e.sel = step(e.sel, e.sheet.len()),
            Screen::Reports(r) => {
                let size = self.size;
                let max = crate::tui::views::reports::max_scroll(r, size);
                r.scroll = (i64::from(r.scroll))
                    .saturating_add(by)
                    .clamp(0, i64::from(max)) as u16;
            }
            Screen::Stations(r) => {
                let max = crate::tui::views::stations::max_scroll(r, self.size);
                r.scroll = (i64::from(r.scroll))
                    .saturating_add(by)
                    .clamp(0, i64::from(max)) as u16;
            }
            _ => {
                let len = self.list_len();
                let i = step(self.list_index(), len);
                self.pick_list_row(i);
            }
        }
    }
}
