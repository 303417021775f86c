//! Mouse: the wheel scrolls, a click selects (hit-testing with the same
//! layout as drawing).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{Dashboard, Screen};

impl Dashboard {
    pub(super) fn handle_mouse(&mut self, m: MouseEvent) {
        if self.form.is_some() || self.help.is_some() {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.move_sel(3),
            MouseEventKind::ScrollUp => self.move_sel(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                let area = Rect::new(0, 0, self.size.0, self.size.1);
                let pos = Position::new(m.column, m.row);
                if matches!(self.screen, Screen::Panes) {
                    for (p, rect) in crate::tui::views::panes::pane_rects(self, area) {
                        if rect.contains(pos) {
                            self.focus = p;
                            if let Some(i) = crate::tui::views::panes::row_at(self, p, rect, pos.y)
                            {
                                self.pick_pane_row(p, i);
                            }
                        }
                    }
                } else if let Screen::Engineer(e) = &self.screen {
                    if let Some(i) =
                        crate::tui::views::engineer::entry_at(self, e, area, pos.x, pos.y)
                        && let Screen::Engineer(e) = &mut self.screen
                    {
                        e.sel = i;
                    }
                } else if let Some(i) = crate::tui::views::list_row_at(self, area, pos.y) {
                    match &mut self.screen {
                        Screen::Detail(_) | Screen::Reports(_) => {}
                        _ => self.pick_list_row(i),
                    }
                }
            }
            _ => {}
        }
    }
}
