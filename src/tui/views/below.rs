//! Under a list, the selected row's long text in full, wrapped: what the
//! list's last column has no room for (an alert's advice, a cancel
//! request's note, a closed ticket's product and fault).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::tui::app::Dashboard;
use crate::tui::widgets::text::wrap;

/// At most this many lines of text; the list keeps the rest of the body.
const MAX_LINES: usize = 4;

/// `text` wrapped to the panel inside `body` (at most [`MAX_LINES`]).
pub fn lines(text: &str, body: Rect) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut lines = wrap(text, (body.width as usize).saturating_sub(3));
    lines.truncate(MAX_LINES);
    lines
}

/// The list's part of `body` when `n` lines of text go under it.
pub fn list_area(body: Rect, n: usize) -> Rect {
    let panel = if n == 0 { 0 } else { n as u16 + 2 };
    Rect {
        height: body.height.saturating_sub(panel),
        ..body
    }
}

/// Draws `lines` under the list (which takes `list` of `body`).
pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect, list: Rect, title: &str, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    let th = theme(d);
    let panel = Rect {
        y: list.y + list.height,
        height: body.height.saturating_sub(list.height),
        ..body
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(Span::styled(format!(" {title} "), th.title())));
    let text: Vec<Line> = lines
        .into_iter()
        .map(|s| Line::from(format!(" {s}")))
        .collect();
    f.render_widget(Paragraph::new(text).block(block), panel);
}
