//! The help overlay: the key table itself, grouped by where keys work, and
//! the row markers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme;
use crate::tui::app::Dashboard;
use crate::tui::keymap::scope_title;
use crate::tui::widgets::text::{fit, wrap};

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

/// A key column this wide, then the description.
const KEY_W: usize = 18;

/// The help's sections, each wrapped to `w` columns: a description too long
/// for its line continues under itself, never cut at the border.
fn blocks(d: &Dashboard, w: usize) -> Vec<Vec<Line<'static>>> {
    let l = d.app.lang;
    let th = theme(d);
    let title = |t: &str| Line::from(Span::styled(t.to_string(), th.title()));
    let mut out: Vec<Vec<Line>> = Vec::new();
    let mut last = None;
    for (scope, keys, desc) in d.keys.help_rows(l) {
        if last != Some(scope) {
            out.push(vec![title(scope_title(scope, l))]);
            last = Some(scope);
        }
        let mut chunks = wrap(desc, w.saturating_sub(KEY_W).max(10)).into_iter();
        let block = out.last_mut().expect("a section was pushed");
        block.push(Line::from(vec![
            Span::styled(format!("  {}", fit(&keys, KEY_W - 2)), th.key()),
            Span::raw(chunks.next().unwrap_or_default()),
        ]));
        block.extend(chunks.map(|c| Line::from(format!("{}{c}", " ".repeat(KEY_W)))));
    }
    let markers = [
        ("✗", l.pick("已超时", "breached")),
        ("~", l.pick("将到期", "due soon")),
        ("!", l.pick("特急", "emergency")),
        ("S", l.pick("特殊用户", "special customer")),
        ("U", l.pick("催上门", "urge")),
        ("X", l.pick("空号", "invalid phone")),
    ]
    .iter()
    // One marker and its meaning never part at the end of a line.
    .map(|(m, t)| format!("{m} {t}").replace(' ', "\u{a0}"))
    .collect::<Vec<_>>()
    .join("   ");
    let note = l.pick(
        "按键可在配置文件 [keys] 中修改，如 dispatch = \"F5\"",
        "keys can be changed in the config file's [keys], e.g. dispatch = \"F5\"",
    );
    let mut block = vec![title(l.pick("行标记", "Row markers"))];
    for text in [markers.as_str(), note] {
        block.extend(
            wrap(text, w.saturating_sub(2).max(10))
                .into_iter()
                .map(|c| Line::from(format!("  {c}"))),
        );
    }
    out.push(block);
    out
}

/// Sections one after the other, a blank line between when `gap`.
fn join(blocks: &[Vec<Line<'static>>], gap: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && gap {
            lines.push(Line::from(""));
        }
        lines.extend(b.iter().cloned());
    }
    lines
}

/// Two columns, the left one `h` lines tall (or half, if that is more),
/// never ending on a section title or starting with a blank line. The
/// blank lines between sections go when they would make it scroll.
fn flow(blocks: &[Vec<Line<'static>>], h: usize) -> Vec<Vec<Line<'static>>> {
    let gap = join(blocks, true).len() <= 2 * h;
    let mut lines = join(blocks, gap);
    // Where each section's title is in the joined lines.
    let mut titles = Vec::new();
    let mut at = 0;
    for b in blocks {
        titles.push(at);
        at += b.len() + usize::from(gap);
    }
    let mut cut = h.max(lines.len().div_ceil(2)).min(lines.len());
    while cut > 1 && (titles.contains(&(cut - 1)) || lines[cut - 1].width() == 0) {
        cut -= 1;
    }
    let mut right = lines.split_off(cut);
    if right.first().is_some_and(|l| l.width() == 0) {
        right.remove(0);
    }
    vec![lines, right]
}

/// The popup and its columns in a terminal of size `area`.
fn layout(d: &Dashboard, area: Rect) -> (Rect, Vec<Vec<Line<'static>>>) {
    // Two columns when there is room, split at the section boundary that
    // evens them out.
    let two = area.width >= 150;
    let popup = centered(
        area,
        if two { 150 } else { 96 },
        area.height.saturating_sub(2),
    );
    let inner_w = popup.width.saturating_sub(2);
    let col_w = if two { inner_w / 2 } else { inner_w };
    let blocks = blocks(d, usize::from(col_w.saturating_sub(1)));
    let inner_h = usize::from(popup.height.saturating_sub(2));
    let columns = if two {
        let height =
            |b: &[Vec<Line>]| b.iter().map(Vec::len).sum::<usize>() + b.len().saturating_sub(1);
        let cut = (1..blocks.len())
            .min_by_key(|k| height(&blocks[..*k]).max(height(&blocks[*k..])))
            .unwrap_or(blocks.len());
        if height(&blocks[..cut]).max(height(&blocks[cut..])) <= inner_h {
            vec![join(&blocks[..cut], true), join(&blocks[cut..], true)]
        } else {
            // No section boundary evens them out: the left column is filled
            // and a section continues at the top of the right one.
            flow(&blocks, inner_h)
        }
    } else {
        vec![join(&blocks, true)]
    };
    (popup, columns)
}

/// How far the help scrolls in a terminal of size `area` (0 when it fits).
pub fn max_scroll(d: &Dashboard, area: Rect) -> u16 {
    let (popup, columns) = layout(d, area);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let inner_h = usize::from(popup.height.saturating_sub(2));
    u16::try_from(tallest.saturating_sub(inner_h)).unwrap_or(u16::MAX)
}

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, scroll: u16) {
    let l = d.app.lang;
    let th = theme(d);
    let (popup, columns) = layout(d, area);
    clear_popup(f, popup, area);
    let inner_h = usize::from(popup.height.saturating_sub(2));
    let col_w = if columns.len() == 2 {
        popup.width.saturating_sub(2) / 2
    } else {
        popup.width.saturating_sub(2)
    };
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    // What does not fit scrolls (j/k, PgUp/PgDn); the title says so.
    let scroll = scroll.min(tallest.saturating_sub(inner_h) as u16);
    let title = match (tallest > inner_h, l) {
        (false, _) => l.pick(
            "按键帮助（?、F1 或 esc 关闭）",
            "Keys (?, F1 or esc closes)",
        ),
        (true, crate::domain::text::Lang::Zh) => "按键帮助（j/k 滚动；?、F1 或 esc 关闭）",
        (true, crate::domain::text::Lang::En) => "Keys (j/k scroll; ?, F1 or esc closes)",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus_border())
        .title(Span::styled(format!(" {title} "), th.focus_border()));
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let mut x = inner.x;
    for (i, col) in columns.into_iter().enumerate() {
        let w = if i + 1 == 2 {
            inner.width - col_w
        } else {
            col_w
        };
        f.render_widget(
            Paragraph::new(col).scroll((scroll, 0)),
            Rect {
                x,
                width: w,
                ..inner
            },
        );
        x += w;
    }
}
