//! The help overlay: the key table itself, grouped by where keys work, and
//! the row markers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme;
use crate::tui::app::Dashboard;
use crate::tui::keymap::scope_title;
use crate::tui::widgets::text::fit;

/// Clears a popup and the column either side of it, so a wide character cut
/// by the popup's border does not leave half a glyph behind.
pub fn clear_popup(f: &mut ratatui::Frame, popup: Rect, area: Rect) {
    let x = popup.x.saturating_sub(1).max(area.x);
    let right = (popup.right() + 1).min(area.right());
    f.render_widget(
        Clear,
        Rect {
            x,
            width: right - x,
            ..popup
        },
    );
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, scroll: u16) {
    let l = d.app.lang;
    let th = theme(d);
    let mut lines: Vec<Line> = Vec::new();
    let mut last = None;
    for (scope, keys, desc) in d.keys.help_rows(l) {
        if last != Some(scope) {
            if last.is_some() {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(
                scope_title(scope, l).to_string(),
                th.title(),
            )));
            last = Some(scope);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", fit(&keys, 16)), th.key()),
            Span::raw(desc),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        l.pick("行标记", "Row markers").to_string(),
        th.title(),
    )));
    lines.push(Line::from(format!(
        "  ✗ {}   ~ {}   ! {}   S {}   U {}   X {}",
        l.pick("已超时", "breached"),
        l.pick("将到期", "due soon"),
        l.pick("特急", "emergency"),
        l.pick("特殊用户", "special customer"),
        l.pick("催上门", "urge"),
        l.pick("空号", "invalid phone"),
    )));
    lines.push(Line::from(format!(
        "  {}",
        l.pick(
            "按键可在配置文件 [keys] 中修改，如 dispatch = \"F5\"",
            "keys can be changed in the config file's [keys], e.g. dispatch = \"F5\""
        )
    )));
    // Two columns when there is room, split at a section boundary.
    let two = area.width >= 150;
    let popup = centered(
        area,
        if two { 150 } else { 96 },
        area.height.saturating_sub(2),
    );
    clear_popup(f, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus_border())
        .title(Span::styled(
            format!(
                " {} ",
                l.pick(
                    "按键帮助（?、F1 或 esc 关闭）",
                    "Keys (?, F1 or esc closes)"
                )
            ),
            th.focus_border(),
        ));
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    if !two {
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
        return;
    }
    let half = lines.len() / 2;
    let cut = (half..lines.len())
        .find(|i| lines[*i].spans.is_empty() || lines[*i].width() == 0)
        .unwrap_or(half);
    let right: Vec<Line> = lines.split_off(cut).into_iter().skip(1).collect();
    let w = inner.width / 2;
    f.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)),
        Rect { width: w, ..inner },
    );
    f.render_widget(
        Paragraph::new(right).scroll((scroll, 0)),
        Rect {
            x: inner.x + w,
            width: inner.width - w,
            ..inner
        },
    );
}
