//! One engineer's day as cards, one per visit (time, ticket, customer,
//! phones, full address, fault, parts to bring, the previous visit, what to
//! collect), the carry-in bench work apart: readable from 40 columns (a
//! phone's SSH app) to a desk's wide terminal. Long values wrap, never cut;
//! the cards scroll to keep the selected one in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::present::engineer_day::{self as sheet, DaySheet};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::{Dashboard, EngineerDay};
use crate::tui::keymap::Action;
use crate::tui::widgets::text::{fit, width, wrap};
use crate::tui::widgets::theme::Theme;

/// The smallest terminal the engineer view is drawn in (a phone).
pub const MIN_W: u16 = 40;
pub const MIN_H: u16 = 10;

/// Below the dashboard's 80×24 the view has the whole screen: its own title
/// line instead of the station header.
pub fn compact(area: Rect) -> bool {
    area.width < super::MIN_W || area.height < super::MIN_H
}

/// What kind of line a card line is (for its style).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Warning,
    Section,
    Title,
    Body,
    Blank,
}

/// A piece of a screen line: one card's line, or a line across the view.
struct Seg {
    text: String,
    kind: Kind,
    /// The entry (visits first, then the bench) it belongs to.
    entry: Option<usize>,
}

/// One screen line: a segment, or two side by side (two columns of cards).
type Row = Vec<Seg>;

fn across(text: String, kind: Kind) -> Row {
    vec![Seg {
        text,
        kind,
        entry: None,
    }]
}

/// From this width the cards sit two side by side.
const TWO_COLUMNS: usize = 120;
/// Columns between two cards side by side.
const GAP: usize = 2;

/// The lines of one card at `w` columns (its mark column included).
fn card(title: String, body: Vec<(&str, String)>, label_w: usize, w: usize) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    for part in wrap(&title, w.saturating_sub(1)) {
        out.push((part, Kind::Title));
    }
    // Values aligned after the widest label.
    let label_w = body
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(0)
        .max(label_w);
    let value_w = w.saturating_sub(label_w + 3).max(8);
    for (k, v) in body {
        for (n, part) in wrap(&v, value_w).into_iter().enumerate() {
            let label = if n == 0 { k } else { "" };
            let pad = label_w - width(label);
            out.push((format!(" {label}{} {part}", " ".repeat(pad)), Kind::Body));
        }
    }
    out
}

/// Cards laid out `cols` a row, each `cw` columns wide, a blank line after
/// each row; `first` is the entry number of the first card.
fn grid(out: &mut Vec<Row>, cards: Vec<Vec<(String, Kind)>>, first: usize, cols: usize, cw: usize) {
    for (r, chunk) in cards.chunks(cols).enumerate() {
        let height = chunk.iter().map(Vec::len).max().unwrap_or(0);
        for n in 0..height {
            let row = chunk
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let (text, kind) = c.get(n).cloned().unwrap_or((String::new(), Kind::Blank));
                    // A card beside another fills its width, so the next lines up.
                    let text = if k + 1 < chunk.len() {
                        fit(&text, cw.saturating_sub(1))
                    } else {
                        text
                    };
                    Seg {
                        text,
                        kind,
                        entry: Some(first + r * cols + k),
                    }
                })
                .collect();
            out.push(row);
        }
        out.push(across(String::new(), Kind::Blank));
    }
}

/// The lines of the whole day at `w` columns.
fn lines(d: &Dashboard, e: &EngineerDay, w: usize) -> Vec<Row> {
    let l = d.app.lang;
    let cal = &d.app.calendar;
    let s: &DaySheet = &e.sheet;
    let (cols, cw) = if w >= TWO_COLUMNS {
        (2, (w - GAP) / 2)
    } else {
        (1, w)
    };
    let mut out = Vec::new();
    for c in &s.clashes {
        for part in wrap(&sheet::clash_line(cal, c, l), w) {
            out.push(across(part, Kind::Warning));
        }
    }
    if s.visits.is_empty() {
        out.push(across(
            l.pick("（当天没有上门安排）", "(no site visits planned that day)")
                .to_string(),
            Kind::Blank,
        ));
    }
    // One label column for the whole day, so the values line up card to card.
    let label_w = [
        l.pick("用户", "customer"),
        l.pick("带备件", "bring"),
        l.pick("约定取机", "collection"),
        l.pick("本次", "this visit"),
    ]
    .iter()
    .map(|k| width(k))
    .max()
    .unwrap_or(0);
    let visits = s
        .visits
        .iter()
        .map(|v| {
            card(
                sheet::stop_title(cal, v, l),
                sheet::stop_lines(cal, v, l),
                label_w,
                cw,
            )
        })
        .collect();
    grid(&mut out, visits, 0, cols, cw);
    if !s.bench.is_empty() {
        for part in wrap(
            l.pick(
                "── 送修：站内维修台（不上门）──",
                "── Bench work: carry-in, at the station ──",
            ),
            w,
        ) {
            out.push(across(part, Kind::Section));
        }
        let bench = s
            .bench
            .iter()
            .map(|b| {
                card(
                    sheet::bench_title(cal, b, l),
                    sheet::bench_lines(cal, b, l),
                    label_w,
                    cw,
                )
            })
            .collect();
        grid(&mut out, bench, s.visits.len(), cols, cw);
    }
    out
}

/// First line shown: the selected card in view, whole when it fits.
fn offset(rows: &[Row], sel: usize, height: usize) -> usize {
    let mine: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|s| s.entry == Some(sel)))
        .map(|(n, _)| n)
        .collect();
    let (Some(&first), Some(&last)) = (mine.first(), mine.last()) else {
        return 0;
    };
    let end = last + 1;
    if end <= height {
        0
    } else if end - first > height {
        first
    } else {
        end - height
    }
}

/// The cards' area: inside a border on a desk, the whole body on a phone.
fn cards_area(area: Rect, compact: bool) -> Rect {
    if compact {
        area
    } else {
        Block::default().borders(Borders::ALL).inner(area)
    }
}

/// `王建国 · 2026-11-30 周一 · 上门 5 · 送修 2 · 待上门 3`; on a phone
/// `王建国 · 11-30 周一 · 上门 5 · 送修 2`.
fn title(d: &Dashboard, e: &EngineerDay, compact: bool) -> String {
    let l = d.app.lang;
    match e.name() {
        Some(name) if compact => format!(
            "{} · {} {} · {} {} · {} {}",
            terminal_safe(name),
            e.day.format("%m-%d"),
            super::weekday_name(l, e.day),
            l.pick("上门", "visits"),
            e.sheet.visits.len(),
            l.pick("送修", "bench"),
            e.sheet.bench.len()
        ),
        Some(name) => format!(
            "{} · {} {} · {}",
            terminal_safe(name),
            e.day.format("%Y-%m-%d"),
            super::weekday_name(l, e.day),
            sheet::summary(&e.sheet, l)
        ),
        None => l
            .pick("工程师（人员名单为空）", "Engineer (no staff)")
            .to_string(),
    }
}

/// The body of the screen (`area`: below the header, above the status line).
pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, e: &EngineerDay, compact: bool) {
    let th = theme(d);
    let inner = cards_area(area, compact);
    if !compact {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(th.focus_border())
            .title(Line::from(format!(
                " {} {} ",
                d.app.lang.pick("工程师", "Engineer"),
                title(d, e, false)
            )));
        f.render_widget(block, area);
    }
    let w = inner.width as usize;
    let h = inner.height as usize;
    let all = lines(d, e, w);
    let start = offset(&all, e.sel, h);
    let shown: Vec<Line> = all
        .iter()
        .skip(start)
        .take(h)
        .map(|row| {
            let mut spans = Vec::new();
            for (k, seg) in row.iter().enumerate() {
                if k > 0 {
                    spans.push(Span::raw(" ".repeat(GAP)));
                }
                spans.extend(styled(seg, e.sel, th));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

fn styled(seg: &Seg, sel: usize, th: Theme) -> Vec<Span<'static>> {
    let selected = seg.entry == Some(sel);
    let style = match seg.kind {
        Kind::Warning => th.warning(),
        Kind::Section => th.title(),
        Kind::Title if selected => th.selected(),
        Kind::Title => th.title(),
        Kind::Blank => th.dim(),
        Kind::Body => Style::new(),
    };
    let text = Span::styled(seg.text.clone(), style);
    if seg.entry.is_none() {
        return vec![text];
    }
    let mark = if selected && seg.kind != Kind::Blank {
        "▌"
    } else {
        " "
    };
    vec![Span::styled(mark.to_string(), th.key()), text]
}

/// The phone layout's title line, in place of the station header.
pub fn draw_title(d: &Dashboard, f: &mut Frame, area: Rect, e: &EngineerDay) {
    let th = theme(d);
    let text = format!(" {}", title(d, e, true));
    let line = wrap(&text, area.width as usize)
        .into_iter()
        .next()
        .unwrap_or_default();
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(line, th.title()))),
        area,
    );
}

/// The keys of the engineer view, the day's first: as many whole `key
/// word` pairs as fit the line.
pub fn draw_footer(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    // Shown in this order; on a phone the day keys are kept longest, then
    // the help that lists the rest.
    let shown = [
        Action::PrevDay,
        Action::NextDay,
        Action::Today,
        Action::Open,
        Action::Visit,
        Action::PrevEngineer,
        Action::NextEngineer,
        Action::Quit,
        Action::Help,
    ];
    let kept_longest = [
        Action::PrevDay,
        Action::NextDay,
        Action::Today,
        Action::Help,
        Action::Quit,
        Action::Open,
        Action::Visit,
        Action::PrevEngineer,
        Action::NextEngineer,
    ];
    let hints: Vec<_> = shown
        .iter()
        .map(|a| {
            let mut h = d.keys.hint(*a, l);
            h.rank = kept_longest.iter().position(|k| k == a).unwrap_or(0) as u8 + 1;
            h
        })
        .filter(|h| !h.key.is_empty())
        .collect();
    super::draw_hints(d, f, area, &hints);
}

/// The status line when nothing else is said: where the selection is.
pub fn status(d: &Dashboard, e: &EngineerDay) -> String {
    let l = d.app.lang;
    if e.sheet.is_empty() {
        return String::new();
    }
    let (k, n, what) = if e.sel < e.sheet.visits.len() {
        (e.sel + 1, e.sheet.visits.len(), l.pick("上门", "visit"))
    } else {
        (
            e.sel + 1 - e.sheet.visits.len(),
            e.sheet.bench.len(),
            l.pick("送修", "bench"),
        )
    };
    format!(
        " {what} {k}/{n} · {} {} · ↑↓ {}",
        l.pick("待上门", "to go"),
        e.sheet.pending(),
        l.pick("选择", "select")
    )
}

/// Which entry a click at screen column `x`, row `y` lands on.
pub fn entry_at(d: &Dashboard, e: &EngineerDay, screen: Rect, x: u16, y: u16) -> Option<usize> {
    let compact = compact(screen);
    let (_, body, _, _) = super::split(d, screen);
    let inner = cards_area(body, compact);
    if y < inner.y || y >= inner.y + inner.height || x < inner.x {
        return None;
    }
    let w = inner.width as usize;
    let all = lines(d, e, w);
    let start = offset(&all, e.sel, inner.height as usize);
    let row = all.get(start + (y - inner.y) as usize)?;
    // Two cards side by side: the right one from half the width.
    let k = if row.len() > 1 && usize::from(x - inner.x) >= (w - GAP) / 2 + GAP / 2 {
        1
    } else {
        0
    };
    row.get(k).and_then(|s| s.entry)
}
