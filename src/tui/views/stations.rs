//! The region's month, station by station: the same figures as the
//! reports view and `report kpi` (`report/kpi.rs`), one column per station
//! the region reads, side by side. Computed in `app` when the view opens,
//! the month changes or the database changes; drawing only lays them out.
//! Stations beyond the terminal's width are named in the status line; the
//! rows scroll with the moving keys when the terminal is too short.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;
use crate::present::{hours, pct};
use crate::report::kpi::Kpi;
use crate::tui::app::{Dashboard, Stations};
use crate::tui::widgets::text::{fit, fit_right};

/// The name column and each station's column.
const NAME_W: usize = 20;
const COL_W: usize = 15;

/// The table's lines: a header, then one row per figure.
fn lines(l: Lang, figures: &[(String, Kpi)], shown: usize) -> Vec<(String, bool)> {
    let figures = &figures[..shown.min(figures.len())];
    let row = |name: &str, cell: &dyn Fn(&Kpi) -> String| -> String {
        let mut s = fit(name, NAME_W);
        for (_, k) in figures {
            s.push(' ');
            s.push_str(&fit_right(&cell(k), COL_W));
        }
        s
    };
    let mut out = Vec::new();
    let mut head = fit("", NAME_W);
    for (code, _) in figures {
        head.push(' ');
        head.push_str(&fit_right(&terminal_safe(code), COL_W));
    }
    out.push((head, true));
    out.push((
        row(l.pick("本月单数", "tickets"), &|k| {
            k.tickets.to_string()
        }),
        false,
    ));
    out.push((
        row(l.pick("已解决", "resolved"), &|k| k.resolved.to_string()),
        false,
    ));
    out.push((
        row(l.pick("已撤单", "cancelled"), &|k| {
            k.cancelled.to_string()
        }),
        false,
    ));
    for i in 0..7 {
        let Some((zh, en, _)) = figures.first().map(|(_, k)| k.rates()[i]) else {
            break;
        };
        out.push((
            row(l.pick(zh, en), &|k| {
                let r = k.rates()[i].2;
                format!("{} {}/{}", pct(r.rate()), r.met, r.of)
            }),
            false,
        ));
    }
    out.push((
        row(l.pick("周转中位数", "turnaround median"), &|k| {
            hours(k.turnaround.median_hours)
        }),
        false,
    ));
    out.push((
        row(l.pick("备件超期", "parts late"), &|k| {
            k.parts_late.to_string()
        }),
        false,
    ));
    out.push((
        row(l.pick("积压（未完成）", "backlog (open)"), &|k| {
            k.backlog.buckets.iter().sum::<u32>().to_string()
        }),
        false,
    ));
    out
}

/// How many stations' columns fit in `w` columns (borders included).
fn fitting(w: u16) -> usize {
    (usize::from(w).saturating_sub(2 + NAME_W) / (COL_W + 1)).max(1)
}

/// Body rows of the dashboard at a terminal size (header, status, footer).
fn body_h(size: (u16, u16)) -> u16 {
    size.1.saturating_sub(3)
}

/// How far the table scrolls at a terminal size (0 when it all fits).
pub fn max_scroll(r: &Stations, size: (u16, u16)) -> u16 {
    let n = r
        .figures
        .as_ref()
        .map_or(0, |f| lines(Lang::En, f, 1).len());
    (n as u16 + 2).saturating_sub(body_h(size))
}

/// The status line: the month, and the stations the width leaves out.
pub fn status(d: &Dashboard, r: &Stations) -> String {
    let l = d.app.lang;
    let mut s = format!(" {} {}", l.pick("月份", "month"), r.month.label());
    if let Some(f) = &r.figures {
        let shown = fitting(d.size.0);
        if f.len() > shown {
            let rest: Vec<String> = f[shown..]
                .iter()
                .map(|(c, _)| terminal_safe(c).into_owned())
                .collect();
            s.push_str(&format!(
                " · {} {}",
                l.pick("放不下的维修站：", "not shown (too narrow):"),
                rest.join(", ")
            ));
        }
    }
    s
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect, r: &Stations) {
    let l = d.app.lang;
    let th = theme(d);
    let n = r.figures.as_ref().map_or(0, Vec::len);
    let title = format!(
        " {} {} ({n}) ",
        l.pick("各站月度指标", "Stations side by side"),
        r.month.label()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(Span::styled(title, th.title())));
    let text: Vec<Line> = match &r.figures {
        Some(figures) if !figures.is_empty() => lines(l, figures, fitting(body.width))
            .into_iter()
            .skip(usize::from(r.scroll.min(max_scroll(r, d.size))))
            .map(|(s, head)| {
                if head {
                    Line::from(Span::styled(format!(" {s}"), th.dim()))
                } else {
                    Line::from(format!(" {s}"))
                }
            })
            .collect(),
        Some(_) => vec![Line::from(Span::styled(
            format!(
                " {}",
                l.pick("（没有维修站的数据）", "(no station has tickets)")
            ),
            th.dim(),
        ))],
        None => vec![Line::from(Span::styled(
            format!(
                " {}",
                l.pick("（无法读取指标）", "(the figures could not be read)")
            ),
            th.dim(),
        ))],
    };
    f.render_widget(Paragraph::new(text).block(block), body);
}
