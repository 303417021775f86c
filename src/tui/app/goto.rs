//! `:` jumps to a ticket by its number: the whole number, or its end
//! (`:0007` finds `ZD-20261126-0007` when only one open ticket ends so).

use crossterm::event::{Event as CtEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{Dashboard, Flash, FlashKind, Internal, Screen};
use crate::domain::ticket::Status;
use crate::present::sanitize::terminal_safe;
use crate::store::StoreError;
use crate::tui::keymap::{Action, Context};

impl Dashboard {
    pub(super) fn open_goto(&mut self) {
        self.goto = Some(Input::default());
    }

    pub(super) fn goto_key(&mut self, key: KeyEvent) {
        match self.keys.action(Context::Form, &key) {
            Some(Action::FormSubmit) => {
                let text = self
                    .goto
                    .take()
                    .map(|i| i.value().trim().to_string())
                    .unwrap_or_default();
                if !text.is_empty() {
                    self.go_to(&text);
                }
            }
            Some(Action::FormCancel) => self.goto = None,
            _ => {
                if let Some(i) = self.goto.as_mut() {
                    i.handle_event(&CtEvent::Key(key));
                }
            }
        }
    }

    /// An open ticket is selected in its pane (the filter is cleared if it
    /// hides it); any other ticket (one waiting for the region's decision
    /// too) opens in the detail view.
    fn go_to(&mut self, text: &str) {
        let wanted = text.to_uppercase();
        let open: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.ticket.ticket_no.clone())
            .filter(|no| no.to_uppercase() == wanted)
            .chain(
                self.rows
                    .iter()
                    .map(|r| r.ticket.ticket_no.clone())
                    .filter(|no| no.to_uppercase().ends_with(&wanted)),
            )
            .collect();
        let lang = self.app.lang;
        let exact = open.first().filter(|no| no.to_uppercase() == wanted);
        let unique = (open.len() == 1).then(|| open.first()).flatten();
        if let Some(no) = exact.or(unique).cloned() {
            // A request waiting for the region is in no pane: its detail.
            let in_pane = self
                .rows
                .iter()
                .any(|r| r.ticket.ticket_no == no && Status::PANES.contains(&r.ticket.status));
            if !in_pane {
                self.queue.push_back(Internal::OpenDetail(no));
                return;
            }
            if !self.shown(&no) {
                self.filter = None;
                self.filter_editing = false;
                self.refilter();
            }
            self.back.clear();
            self.screen = Screen::Panes;
            self.select_ticket(&no);
            return;
        }
        if open.len() > 1 {
            self.flash = Some(Flash {
                kind: FlashKind::Warn,
                text: format!(
                    "{} {}: {}",
                    open.len(),
                    lang.pick("张维修单以此结尾，请输入更多", "tickets end so; type more"),
                    open.iter()
                        .take(4)
                        .map(|n| terminal_safe(n).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            return;
        }
        match self.store.get(text) {
            Ok(t) => self.queue.push_back(Internal::OpenDetail(t.ticket_no)),
            Err(StoreError::NoSuchTicket(_)) => {
                self.flash = Some(Flash {
                    kind: FlashKind::Warn,
                    text: format!(
                        "{}{}",
                        lang.pick("没有这张维修单：", "no such ticket: "),
                        terminal_safe(text)
                    ),
                });
            }
            Err(e) => self.error(e),
        }
    }
}
