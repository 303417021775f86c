//! The four panes (待处理 / 处理中 / 备件申领中 / 多次维修中): a 2×2 grid from
//! 120 columns, tabs below that, one pane when zoomed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{shorten, split, theme};
use crate::domain::next_step::NextStep;
use crate::domain::sla::Level;
use crate::domain::text::Lang;
use crate::domain::ticket::{ServiceType, Status};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::app::SortKey;
use crate::tui::model::Row;
use crate::tui::widgets::countdown::{deadline_cell, level_mark};
use crate::tui::widgets::list;
use crate::tui::widgets::text::{fit, width};
use crate::tui::widgets::theme::Theme;

/// From this width all four panes are shown at once.
pub const GRID_MIN_W: u16 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Marks,
    No,
    Customer,
    Phone,
    Next,
    Deadline,
    Engineer,
    Service,
    Product,
    Address,
}

/// Left to right.
const ORDER: [Col; 10] = [
    Col::Marks,
    Col::No,
    Col::Customer,
    Col::Phone,
    Col::Next,
    Col::Deadline,
    Col::Engineer,
    Col::Service,
    Col::Product,
    Col::Address,
];

impl Col {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Col::Marks => "",
            Col::No => lang.pick("单号", "ticket"),
            Col::Customer => lang.pick("用户", "customer"),
            Col::Phone => lang.pick("电话", "phone"),
            Col::Next => lang.pick("下一步", "next step"),
            Col::Deadline => lang.pick("期限", "deadline"),
            Col::Engineer => lang.pick("工程师", "eng."),
            Col::Service => lang.pick("服务", "service"),
            Col::Product => lang.pick("机型", "model"),
            Col::Address => lang.pick("地址", "address"),
        }
    }

    /// The column the sort orders by (T1 is not shown: the ticket number
    /// says it).
    fn sorted_by(self, sort: SortKey) -> bool {
        matches!(
            (self, sort),
            (Col::Deadline, SortKey::Deadline)
                | (Col::No, SortKey::T1)
                | (Col::Customer, SortKey::Customer)
                | (Col::Engineer, SortKey::Engineer)
        )
    }
}

/// The customer's first width: six Chinese characters.
const CUSTOMER_FIRST: usize = 12;

/// The model's first width.
const PRODUCT_FIRST: usize = 6;

/// How wide each column would like to be: its widest cell in view (never
/// narrower than its header).
type Wants = [usize; ORDER.len()];

fn want(wants: &Wants, c: Col) -> usize {
    ORDER
        .iter()
        .position(|x| *x == c)
        .map(|i| wants[i])
        .unwrap_or(0)
}

/// Which columns fit in `w` and how wide each is, in display order. The
/// ticket number, customer, next step and deadline are always shown and,
/// while there is any room, whole; then the model, service and engineer (the
/// sorted column first); zoomed, the phone comes before them and the
/// address after. What does not fit is left out, never squeezed into a few
/// letters.
fn columns(w: usize, wants: &Wants, zoom: bool, sorted: Option<Col>) -> Vec<(Col, usize)> {
    // A long name (a company with a contact person) starts at six Chinese
    // characters and gets its whole width from the room left at the end.
    let mut chosen: Vec<(Col, usize)> =
        [Col::Marks, Col::No, Col::Customer, Col::Next, Col::Deadline]
            .iter()
            .map(|c| match c {
                Col::Customer => (*c, want(wants, *c).min(CUSTOMER_FIRST)),
                _ => (*c, want(wants, *c)),
            })
            .collect();
    let used = |cols: &[(Col, usize)]| -> usize {
        cols.iter().map(|c| c.1).sum::<usize>() + cols.len().saturating_sub(1)
    };
    // Too narrow for all of them whole: the long names give way first.
    for (c, floor) in [
        (Col::Customer, 6),
        (Col::Deadline, 12),
        (Col::No, 10),
        (Col::Next, 4),
    ] {
        let over = used(&chosen).saturating_sub(w);
        if over == 0 {
            break;
        }
        if let Some(e) = chosen.iter_mut().find(|e| e.0 == c) {
            e.1 -= over.min(e.1.saturating_sub(floor));
        }
    }
    // The model starts at six columns (`X1 Car…`) and is widened from the
    // room left at the end.
    let mut optional = vec![
        (Col::Product, want(wants, Col::Product).min(PRODUCT_FIRST)),
        (Col::Service, want(wants, Col::Service)),
        (Col::Engineer, want(wants, Col::Engineer)),
    ];
    // Zoomed: the phone first (a narrow terminal zooms to call), the
    // address last, from the room left.
    if zoom {
        optional.insert(0, (Col::Phone, want(wants, Col::Phone)));
        optional.push((Col::Address, want(wants, Col::Address).min(12)));
    }
    // The column the rows are sorted by is never the one left out.
    if let Some(i) = optional.iter().position(|e| Some(e.0) == sorted) {
        let e = optional.remove(i);
        optional.insert(0, e);
    }
    for (c, cw) in optional {
        if used(&chosen) + 1 + cw <= w {
            chosen.push((c, cw));
        }
    }
    // The room left widens what was cut, then the address takes the rest.
    for c in [Col::Customer, Col::Product, Col::Address] {
        let room = w.saturating_sub(used(&chosen));
        if let Some(e) = chosen.iter_mut().find(|e| e.0 == c) {
            let cap = if c == Col::Address {
                usize::MAX
            } else {
                want(wants, c)
            };
            e.1 += room.min(cap.saturating_sub(e.1));
        }
    }
    ORDER
        .iter()
        .filter_map(|c| chosen.iter().find(|e| e.0 == *c).copied())
        .collect()
}

fn header(cols: &[(Col, usize)], lang: Lang, sort: SortKey, reverse: bool) -> Line<'static> {
    let cells: Vec<String> = cols
        .iter()
        .map(|(c, w)| {
            let name = if c.sorted_by(sort) {
                format!("{}{}", c.name(lang), if reverse { "↑" } else { "↓" })
            } else {
                c.name(lang).to_string()
            };
            fit(&name, *w)
        })
        .collect();
    Line::from(cells.join(" "))
}

/// The text of one cell.
fn cell(d: &Dashboard, r: &Row, c: Col) -> String {
    let t = &r.ticket;
    let l = d.app.lang;
    let alert = r.alert();
    match c {
        Col::Marks => format!("{}{}", level_mark(alert), crate::present::markers(t)),
        Col::No => terminal_safe(&t.ticket_no).into_owned(),
        Col::Customer => terminal_safe(&t.customer.name).into_owned(),
        Col::Phone => terminal_safe(&t.customer.phones.join(" ")).into_owned(),
        Col::Next => d
            .app
            .next_step(t, d.now)
            .map(|s| s.name(l))
            .unwrap_or("—")
            .to_string(),
        Col::Deadline => deadline_cell(t, alert, d.now, &d.app.settings, &d.app.calendar, l),
        Col::Engineer => terminal_safe(t.engineer.as_deref().unwrap_or("—")).into_owned(),
        Col::Service => t.service_type.name(l).to_string(),
        Col::Product => terminal_safe(if t.product.model.trim().is_empty() {
            &t.product.line
        } else {
            &t.product.model
        })
        .into_owned(),
        Col::Address => terminal_safe(&t.customer.address).into_owned(),
    }
}

/// The widest cell of each column over the rows in view, at most a sane
/// maximum (a company name, a pasted address).
fn wants(d: &Dashboard, rows: &[&Row]) -> Wants {
    let l = d.app.lang;
    let mut out = [0; ORDER.len()];
    for (i, c) in ORDER.iter().enumerate() {
        // The sorted column's header carries the sort mark.
        let head = width(c.name(l)) + usize::from(c.sorted_by(d.sort));
        let floor = match c {
            Col::Marks => 5,
            // Every step, so the column does not move with the scroll.
            Col::Next => NextStep::ALL
                .iter()
                .map(|s| width(s.name(l)))
                .max()
                .unwrap_or(0),
            Col::Service => ServiceType::ALL
                .iter()
                .map(|s| width(s.name(l)))
                .max()
                .unwrap_or(0),
            _ => 0,
        };
        let cap = match c {
            Col::Customer => 20,
            Col::Engineer => 10,
            Col::Product => 16,
            Col::Phone => 27,
            _ => 60,
        };
        let widest = rows
            .iter()
            .map(|r| width(&cell(d, r, *c)))
            .max()
            .unwrap_or(0);
        out[i] = widest.min(cap).max(head).max(floor);
    }
    out
}

fn row_line(d: &Dashboard, r: &Row, cols: &[(Col, usize)], th: Theme) -> Line<'static> {
    let level_style = match r.alert().map(|a| a.level) {
        Some(Level::Breach) => th.breach(),
        Some(Level::Warning) => th.warning(),
        None => Style::new(),
    };
    let mut spans = Vec::new();
    for (i, (c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let style = match c {
            Col::Marks | Col::Deadline => level_style,
            _ => Style::new(),
        };
        spans.push(Span::styled(fit(&cell(d, r, *c), *w), style));
    }
    Line::from(spans)
}

fn title(d: &Dashboard, p: usize, focused: bool) -> String {
    let l = d.app.lang;
    let status = Status::PANES[p];
    let total = d.counts.get(&status).copied().unwrap_or(0);
    let shown = d.panes[p].len();
    let count = if d.filter.is_some() {
        format!("{shown}/{total}")
    } else {
        total.to_string()
    };
    format!(
        " {}{} {} {count} ",
        if focused { "▶ " } else { "" },
        p + 1,
        status.name(l)
    )
}

/// Where each pane is drawn inside the body.
fn layout(d: &Dashboard, body: Rect) -> Vec<(usize, Rect)> {
    if body.width < GRID_MIN_W {
        let pane = Rect {
            y: body.y + 1,
            height: body.height.saturating_sub(1),
            ..body
        };
        return vec![(d.focus, pane)];
    }
    if d.zoom {
        return vec![(d.focus, body)];
    }
    let (w1, h1) = (body.width / 2, body.height / 2);
    let (w2, h2) = (body.width - w1, body.height - h1);
    vec![
        (0, Rect::new(body.x, body.y, w1, h1)),
        (1, Rect::new(body.x + w1, body.y, w2, h1)),
        (2, Rect::new(body.x, body.y + h1, w1, h2)),
        (3, Rect::new(body.x + w1, body.y + h1, w2, h2)),
    ]
}

/// The panes' rectangles for a terminal of size `area` (mouse hit-testing).
pub fn pane_rects(d: &Dashboard, area: Rect) -> Vec<(usize, Rect)> {
    layout(d, split(d, area).1)
}

/// The row of pane `p` at screen row `y`.
pub fn row_at(d: &Dashboard, p: usize, rect: Rect, y: u16) -> Option<usize> {
    let b = list::body(rect);
    if y < b.y || y >= b.y + b.height {
        return None;
    }
    let i = list::offset(d.pane_index(p).unwrap_or(0), b.height as usize) + (y - b.y) as usize;
    (i < d.panes[p].len()).then_some(i)
}

fn draw_tabs(d: &Dashboard, f: &mut Frame, area: Rect, th: Theme) {
    let l = d.app.lang;
    let counts: Vec<String> = Status::PANES
        .iter()
        .enumerate()
        .map(|(p, status)| {
            let total = d.counts.get(status).copied().unwrap_or(0);
            if d.filter.is_some() {
                format!("{}/{total}", d.panes[p].len())
            } else {
                total.to_string()
            }
        })
        .collect();
    // Every tab and its count stay; the separators narrow, then the names
    // are shortened ("Multi-repair" → "Multi").
    let names: Vec<&str> = Status::PANES.iter().map(|s| s.name(l)).collect();
    let longest = names.iter().map(|n| width(n)).max().unwrap_or(0);
    let labels = |cap: usize| -> Vec<String> {
        (0..names.len())
            .map(|p| {
                let name = shorten(names[p], cap);
                format!("{} {name} {}", p + 1, counts[p]).replace("  ", " ")
            })
            .collect()
    };
    // Each tab is padded (the focused one has brackets instead).
    let line_w = |labels: &[String], pad: bool, sep: &str| -> usize {
        1 + labels.iter().map(|x| width(x)).sum::<usize>()
            + if pad { 2 * labels.len() } else { 2 }
            + width(sep) * (labels.len() - 1)
    };
    let w = area.width as usize;
    let mut chosen = (labels(longest), true, " │ ");
    'fit: for cap in (0..=longest).rev() {
        for (pad, sep) in [(true, " │ "), (true, "│"), (false, "│")] {
            let ls = labels(cap);
            if line_w(&ls, pad, sep) <= w {
                chosen = (ls, pad, sep);
                break 'fit;
            }
        }
    }
    let (labels, pad, sep) = chosen;
    let mut spans = vec![Span::raw(" ")];
    for (p, label) in labels.into_iter().enumerate() {
        if p > 0 {
            spans.push(Span::styled(sep, th.dim()));
        }
        if p == d.focus {
            spans.push(Span::styled(format!("[{label}]"), th.selected()));
        } else if pad {
            spans.push(Span::raw(format!(" {label} ")));
        } else {
            spans.push(Span::raw(label));
        }
    }
    f.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect { height: 1, ..area },
    );
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let th = theme(d);
    let l = d.app.lang;
    if body.width < GRID_MIN_W {
        draw_tabs(d, f, body, th);
    }
    let panes = layout(d, body);
    // One set of widths for every pane in view, so the grid's columns line up.
    let in_view: Vec<&Row> = panes
        .iter()
        .flat_map(|(p, rect)| {
            let h = list::body(*rect).height as usize;
            let start = list::offset(d.pane_index(*p).unwrap_or(0), h);
            d.panes[*p].iter().skip(start).take(h).map(|i| &d.rows[*i])
        })
        .collect();
    let wants = wants(d, &in_view);
    for (p, rect) in panes {
        let focused = p == d.focus;
        let rows = d.pane_rows(p);
        let sorted = ORDER.iter().copied().find(|c| c.sorted_by(d.sort));
        let cols = columns(list::body(rect).width as usize, &wants, d.zoom, sorted);
        let line = |k: usize| row_line(d, rows[k], &cols, th);
        let empty = if d.filter.is_some() {
            l.pick("（无匹配）", "(no match)")
        } else {
            l.pick("（空）", "(empty)")
        };
        let t = title(d, p, focused);
        let title_line = Line::from(Span::styled(
            t,
            if focused {
                th.focus_border()
            } else {
                th.header()
            },
        ));
        list::draw(
            f,
            rect,
            title_line,
            header(&cols, l, d.sort, d.reverse),
            rows.len(),
            line,
            d.pane_index(p),
            focused,
            th,
            empty,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wants as the demo station's rows in English give them.
    fn demo_wants() -> Wants {
        // Marks, No, Customer, Phone, Next, Deadline, Engineer, Service, Product, Address
        [5, 13, 10, 11, 9, 19, 6, 8, 14, 30]
    }

    fn total(cols: &[(Col, usize)]) -> usize {
        cols.iter().map(|c| c.1).sum::<usize>() + cols.len() - 1
    }

    #[test]
    fn the_important_columns_are_whole_at_80_columns() {
        let wants = demo_wants();
        let cols = columns(78, &wants, false, Some(Col::Deadline));
        assert!(total(&cols) <= 78, "{cols:?}");
        for c in [Col::No, Col::Customer, Col::Next, Col::Deadline] {
            assert_eq!(
                cols.iter().find(|e| e.0 == c).map(|e| e.1),
                Some(want(&wants, c)),
                "{c:?} whole in {cols:?}"
            );
        }
        // Then the model and the service, before the engineer.
        assert!(cols.iter().any(|e| e.0 == Col::Product), "{cols:?}");
        assert!(cols.iter().any(|e| e.0 == Col::Service), "{cols:?}");
        assert!(!cols.iter().any(|e| e.0 == Col::Engineer), "{cols:?}");
        assert!(!cols.iter().any(|e| e.0 == Col::Phone), "phone only zoomed");
    }

    #[test]
    fn the_sorted_column_is_never_left_out() {
        let cols = columns(78, &demo_wants(), false, Some(Col::Engineer));
        assert!(total(&cols) <= 78, "{cols:?}");
        assert!(cols.iter().any(|e| e.0 == Col::Engineer), "{cols:?}");
        assert!(cols.iter().any(|e| e.0 == Col::Product), "{cols:?}");
    }

    #[test]
    fn with_room_every_column_is_shown() {
        let cols = columns(90, &demo_wants(), false, None);
        for c in [Col::Product, Col::Service, Col::Engineer] {
            assert!(cols.iter().any(|e| e.0 == c), "{c:?} in {cols:?}");
        }
    }

    #[test]
    fn zoomed_at_80_columns_the_phone_comes_first() {
        let cols = columns(78, &demo_wants(), true, Some(Col::Deadline));
        assert!(total(&cols) <= 78, "{cols:?}");
        assert!(cols.iter().any(|e| e.0 == Col::Phone), "{cols:?}");
    }

    #[test]
    fn too_narrow_cuts_the_name_before_the_number() {
        let cols = columns(50, &demo_wants(), false, None);
        assert!(total(&cols) <= 50, "{cols:?}");
        assert_eq!(cols.iter().find(|e| e.0 == Col::No).map(|e| e.1), Some(13));
        assert!(cols.iter().any(|e| e.0 == Col::Deadline));
    }

    #[test]
    fn zoom_adds_the_phone_and_the_address() {
        let wants = demo_wants();
        let cols = columns(158, &wants, true, None);
        assert_eq!(total(&cols), 158, "the address takes the room left");
        assert_eq!(
            cols.iter().find(|e| e.0 == Col::Phone).map(|e| e.1),
            Some(11)
        );
        assert!(cols.iter().any(|e| e.0 == Col::Address));
        let wide = columns(158, &wants, false, None);
        assert!(!wide.iter().any(|e| e.0 == Col::Address), "{wide:?}");
        assert_eq!(
            wide.iter().find(|e| e.0 == Col::Customer).map(|e| e.1),
            Some(10),
            "the customer is not widened into empty space"
        );
    }
}
