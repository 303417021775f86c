//! A bordered list of pre-formatted rows with a header line and a selection
//! that stays in view. The scroll offset is derived from the selection, so
//! drawing needs no mutable state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;

/// First visible row for a selection in a viewport of `height` rows.
pub fn offset(sel: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        sel.saturating_sub(height - 1)
    }
}

/// The rows' area inside the border, below the header line.
pub fn body(area: Rect) -> Rect {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

#[allow(clippy::too_many_arguments)]
pub fn draw(
    f: &mut Frame,
    area: Rect,
    title: Line,
    header: Line,
    rows: Vec<Line>,
    sel: Option<usize>,
    focused: bool,
    theme: Theme,
    empty: &str,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focus_border()
        } else {
            Style::new()
        })
        .title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    f.render_widget(
        Paragraph::new(header.style(theme.dim())),
        Rect { height: 1, ..inner },
    );
    let b = body(area);
    let h = b.height as usize;
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(Line::from(empty.to_string()).style(theme.dim())),
            Rect {
                height: 1.min(b.height),
                ..b
            },
        );
        return;
    }
    let start = sel.map(|s| offset(s, h)).unwrap_or(0);
    for (i, line) in rows.into_iter().enumerate().skip(start).take(h) {
        let y = b.y + (i - start) as u16;
        let mut line = line;
        if sel == Some(i) && focused {
            line = line.patch_style(theme.selected());
        } else if sel == Some(i) {
            line = line.patch_style(ratatui::style::Modifier::UNDERLINED);
        }
        f.render_widget(Paragraph::new(line), Rect { y, height: 1, ..b });
    }
}
