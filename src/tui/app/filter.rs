//! The filter line: typing narrows the panes (and the closed list) at once.

use crossterm::event::{Event as CtEvent, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::{Dashboard, Screen};
use crate::tui::keymap::{Action, Context};

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
                self.reload();
            }
            _ => {
                if let Some(i) = self.filter.as_mut()
                    && i.handle_event(&CtEvent::Key(key)).is_some()
                {
                    self.reload();
                    if matches!(self.screen, Screen::Closed) {
                        self.load_closed();
                    }
                }
            }
        }
    }

    pub(super) fn search(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|i| i.value().trim().to_string())
            .filter(|s| !s.is_empty())
    }
}
