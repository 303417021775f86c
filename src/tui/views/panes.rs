//! The four panes (待处理 / 处理中 / 备件申领中 / 多次维修中): a 2×2 grid from
//! 120 columns, tabs below that, one pane when zoomed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{split, theme};
use crate::domain::sla::Level;
use crate::domain::text::Lang;
use crate::domain::ticket::Status;
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::model::Row;
use crate::tui::widgets::countdown::{deadline_cell, level_mark};
use crate::tui::widgets::list;
use crate::tui::widgets::text::fit;
use crate::tui::widgets::theme::Theme;

/// From this width all four panes are shown at once.
pub const GRID_MIN_W: u16 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Marks,
    No,
    Customer,
    Product,
    Service,
    Deadline,
    Engineer,
}

/// Which columns fit in `w` and how wide each is, in display order.
fn columns(w: usize, lang: Lang) -> Vec<(Col, usize)> {
    let deadline = if lang == Lang::Zh { 15 } else { 21 };
    let service = if lang == Lang::Zh { 4 } else { 8 };
    // In order of importance; what does not fit is left out.
    let wanted = [
        (Col::Marks, 5),
        (Col::No, 16),
        (Col::Deadline, deadline),
        (Col::Customer, 6),
        (Col::Engineer, 6),
        (Col::Service, service),
        (Col::Product, 6),
    ];
    let mut chosen: Vec<(Col, usize)> = Vec::new();
    let mut used = 0;
    for (c, cw) in wanted {
        let need = cw + usize::from(!chosen.is_empty());
        if used + need <= w {
            chosen.push((c, cw));
            used += need;
        }
    }
    let mut extra = w.saturating_sub(used);
    for (c, cap) in [
        (Col::Customer, 4),
        (Col::Engineer, 2),
        (Col::Product, 10),
        (Col::Customer, 60),
    ] {
        if let Some(e) = chosen.iter_mut().find(|e| e.0 == c) {
            let add = extra.min(cap);
            e.1 += add;
            extra -= add;
        }
    }
    let order = [
        Col::Marks,
        Col::No,
        Col::Customer,
        Col::Product,
        Col::Service,
        Col::Deadline,
        Col::Engineer,
    ];
    order
        .iter()
        .filter_map(|c| chosen.iter().find(|e| e.0 == *c).copied())
        .collect()
}

fn header(cols: &[(Col, usize)], lang: Lang) -> Line<'static> {
    let cells: Vec<String> = cols
        .iter()
        .map(|(c, w)| {
            let name = match c {
                Col::Marks => "",
                Col::No => lang.pick("单号", "ticket"),
                Col::Customer => lang.pick("用户", "customer"),
                Col::Product => lang.pick("产品/机型", "product"),
                Col::Service => lang.pick("服务", "service"),
                Col::Deadline => lang.pick("下一期限", "next deadline"),
                Col::Engineer => lang.pick("工程师", "eng."),
            };
            fit(name, *w)
        })
        .collect();
    Line::from(cells.join(" "))
}

fn row_line(d: &Dashboard, r: &Row, cols: &[(Col, usize)], th: Theme) -> Line<'static> {
    let t = &r.ticket;
    let l = d.app.lang;
    let alert = r.alert();
    let mut spans = Vec::new();
    for (i, (c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let (text, style) = match c {
            Col::Marks => (
                format!("{}{}", level_mark(alert), crate::present::markers(t)),
                Style::new(),
            ),
            Col::No => (terminal_safe(&t.ticket_no).into_owned(), Style::new()),
            Col::Customer => (terminal_safe(&t.customer.name).into_owned(), Style::new()),
            Col::Product => (
                terminal_safe(if t.product.model.trim().is_empty() {
                    &t.product.line
                } else {
                    &t.product.model
                })
                .into_owned(),
                Style::new(),
            ),
            Col::Service => (t.service_type.name(l).to_string(), Style::new()),
            Col::Deadline => (
                deadline_cell(t, alert, d.now, &d.app.calendar, l),
                match alert.map(|a| a.level) {
                    Some(Level::Breach) => th.breach(),
                    Some(Level::Warning) => th.warning(),
                    None => Style::new(),
                },
            ),
            Col::Engineer => (
                terminal_safe(t.engineer.as_deref().unwrap_or("—")).into_owned(),
                Style::new(),
            ),
        };
        let style = if *c == Col::Marks {
            match alert.map(|a| a.level) {
                Some(Level::Breach) => th.breach(),
                Some(Level::Warning) => th.warning(),
                None => style,
            }
        } else {
            style
        };
        spans.push(Span::styled(fit(&text, *w), style));
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
    layout(d, split(area).1)
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
    let mut spans = vec![Span::raw(" ")];
    for (p, status) in Status::PANES.iter().enumerate() {
        let total = d.counts.get(status).copied().unwrap_or(0);
        let n = if d.filter.is_some() {
            format!("{}/{total}", d.panes[p].len())
        } else {
            total.to_string()
        };
        let label = format!("{} {} {n}", p + 1, status.name(l));
        if p == d.focus {
            spans.push(Span::styled(format!("[{label}]"), th.selected()));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
        spans.push(Span::styled(" │ ", th.dim()));
    }
    spans.pop();
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
    for (p, rect) in layout(d, body) {
        let focused = p == d.focus;
        let cols = columns(list::body(rect).width as usize, l);
        let rows = d.pane_rows(p);
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
            header(&cols, l),
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

    #[test]
    fn columns_fit_the_width_exactly() {
        for w in [58usize, 78, 118, 158] {
            for lang in [Lang::Zh, Lang::En] {
                let cols = columns(w, lang);
                let total: usize = cols.iter().map(|c| c.1).sum::<usize>() + cols.len() - 1;
                assert!(total <= w, "{w} {lang:?} {cols:?}");
                assert!(cols.iter().any(|c| c.0 == Col::Deadline), "{w}");
            }
        }
        // The widest layouts use the whole row.
        let cols = columns(78, Lang::En);
        let total: usize = cols.iter().map(|c| c.1).sum::<usize>() + cols.len() - 1;
        assert_eq!(total, 78);
    }
}
