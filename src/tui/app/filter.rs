//! The filter line: typing narrows the panes (and the closed list) at once.
//! The open set stays loaded whole, so the header's alert counts remain the
//! station's; the filter only chooses which rows the panes show.

use crossterm::event::{Event as CtEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::{Dashboard, Flash, FlashKind, Screen};
use crate::tui::keymap::{Action, Context};
use crate::tui::model;

impl Dashboard {
    pub(super) fn filter_key(&mut self, key: KeyEvent) {
        match self.keys.action(Context::Form, &key) {
            Some(Action::FormSubmit) => {
                self.filter_editing = false;
                if self
                    .filter
                    .as_ref()
                    .is_some_and(|i| i.value().trim().is_empty())
                {
                    self.filter = None;
                }
            }
            Some(Action::FormCancel) => {
                self.filter_editing = false;
                self.filter = None;
                self.refilter();
            }
            _ => {
                if let Some(i) = self.filter.as_mut()
                    && i.handle_event(&CtEvent::Key(key)).is_some()
                {
                    self.refilter();
                    if matches!(self.screen, Screen::Closed) {
                        self.load_closed();
                    }
                }
            }
        }
    }

    /// The filter changed: the panes show its matches, and when the focused
    /// pane has none, the first pane that has one takes the focus.
    pub(super) fn refilter(&mut self) {
        let before = self.before();
        self.find_matches();
        self.order();
        self.settle(before);
        if self.matches.is_some()
            && self.panes[self.focus].is_empty()
            && let Some(p) = (0..4).find(|p| !self.panes[*p].is_empty())
        {
            self.focus = p;
        }
    }

    /// Reads which open tickets match the filter (the store's search: number,
    /// name, phone, serial, address, fault).
    pub(super) fn find_matches(&mut self) {
        let Some(text) = self.search() else {
            self.matches = None;
            return;
        };
        match model::search_open(&self.store, &text) {
            Ok(tickets) => {
                self.matches = Some(tickets.into_iter().map(|t| t.ticket_no).collect());
            }
            Err(e) => {
                self.matches = None;
                self.error(e);
            }
        }
    }

    /// Whether the panes show this ticket (no filter, or it matches).
    pub(crate) fn shown(&self, no: &str) -> bool {
        self.matches.as_ref().is_none_or(|m| m.contains(no))
    }

    /// `n`/`N`: the next or previous match, across the panes in order.
    pub(super) fn step_match(&mut self, forward: bool) {
        if self.matches.is_none() {
            self.flash = Some(Flash {
                kind: FlashKind::Warn,
                text: self
                    .app
                    .lang
                    .pick(
                        "没有过滤条件：先按 / 查找",
                        "no filter: press / to filter first",
                    )
                    .into(),
            });
            return;
        }
        let all: Vec<(usize, usize)> = (0..4)
            .flat_map(|p| (0..self.panes[p].len()).map(move |i| (p, i)))
            .collect();
        if all.is_empty() {
            return;
        }
        let here = self
            .pane_index(self.focus)
            .and_then(|i| all.iter().position(|x| *x == (self.focus, i)));
        let n = all.len();
        let next = match (here, forward) {
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
            (None, true) => all.iter().position(|x| x.0 > self.focus).unwrap_or(0),
            (None, false) => all.iter().rposition(|x| x.0 < self.focus).unwrap_or(n - 1),
        };
        let (p, i) = all[next];
        self.focus = p;
        self.pick_pane_row(p, i);
    }

    pub(super) fn search(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|i| i.value().trim().to_string())
            .filter(|s| !s.is_empty())
    }
}
