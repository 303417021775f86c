//! The selected ticket and moving the selection.

use super::{Dashboard, Screen};
use crate::domain::ticket::Ticket;
use crate::tui::model::Row;

impl Dashboard {
    pub(crate) fn pane_rows(&self, p: usize) -> Vec<&Row> {
        self.panes[p].iter().map(|i| &self.rows[*i]).collect()
    }

    pub(super) fn list_len(&self) -> usize {
        match &self.screen {
            Screen::Cancels => self.cancels.len(),
            Screen::Closed => self.closed.len(),
            Screen::Alerts => self.alerts.len(),
            Screen::Engineer(e) => e.tickets.len(),
            _ => 0,
        }
    }

    /// The ticket the transitions act on.
    pub fn selected(&self) -> Option<&Ticket> {
        match &self.screen {
            Screen::Panes => self.panes[self.focus]
                .get(self.sel[self.focus])
                .map(|i| &self.rows[*i].ticket),
            Screen::Detail(d) => Some(&d.ticket),
            Screen::Cancels => self
                .cancels
                .get(self.list_sel)
                .map(|i| &self.rows[*i].ticket),
            Screen::Alerts => self
                .alerts
                .get(self.list_sel)
                .map(|(i, _)| &self.rows[*i].ticket),
            Screen::Closed => self.closed.get(self.list_sel),
            Screen::Engineer(e) => e.tickets.get(e.sel),
            Screen::Reports(_) => None,
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
                self.sel[p] = step(self.sel[p], self.panes[p].len());
                self.sel_no[p] = self.panes[p]
                    .get(self.sel[p])
                    .map(|i| self.rows[*i].ticket.ticket_no.clone());
            }
            Screen::Detail(d) => {
                let lines = crate::tui::views::detail::line_count(d, &self.app) as i64;
                d.scroll = (d.scroll as i64)
                    .saturating_add(by)
                    .clamp(0, lines.max(1) - 1) as u16;
            }
            Screen::Engineer(e) => e.sel = step(e.sel, e.tickets.len()),
            Screen::Reports(r) => {
                let size = self.size;
                let max = crate::tui::views::reports::max_scroll(r, size);
                r.scroll = (i64::from(r.scroll))
                    .saturating_add(by)
                    .clamp(0, i64::from(max)) as u16;
            }
            _ => {
                let len = self.list_len();
                self.list_sel = step(self.list_sel, len);
            }
        }
    }
}
