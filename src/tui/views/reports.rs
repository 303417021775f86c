//! The reports view: one month's figures (every rate with the counts behind
//! it, turnaround, cancellations, parts late, engineers) and charts where a
//! picture says more: received vs resolved per day, the turnaround
//! distribution, the backlog by age. The figures are computed in `app` when
//! the view opens, the month changes or the database changes; drawing only
//! lays them out.
//!
//! When the terminal is too small for the whole view it is drawn at its
//! natural height and scrolled with the moving keys.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, Paragraph, Widget,
};

use super::theme;
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;
use crate::present::{hours, pct};
use crate::report::kpi::{BACKLOG_LABELS, MonthReport, Spread, TURNAROUND_LABELS};
use crate::tui::app::{Dashboard, Reports};
use crate::tui::keymap::Action;
use crate::tui::widgets::text::{fit, fit_right, width};
use crate::tui::widgets::theme::Theme;

/// From this width the three tables sit side by side.
const WIDE: u16 = 140;
/// Rows of the figures and turnaround panels, borders included.
const TABLES_H: u16 = 15;
const DAILY_MIN_H: u16 = 12;
const PAIR_MIN_H: u16 = 11;

/// Where each panel goes, in a canvas `height` rows tall.
struct Panels {
    figures: Rect,
    turnaround: Rect,
    engineers: Rect,
    daily: Rect,
    distribution: Rect,
    backlog: Rect,
    height: u16,
}

fn engineers_h(r: &Reports) -> u16 {
    let n = r.report.as_ref().map_or(0, |m| m.kpi.engineers.len());
    // Borders, header, one row per engineer (or the "none" line).
    (n.max(1) as u16).saturating_add(3)
}

/// The layout for a width; `avail` rows are filled when the natural height
/// is smaller, the extra going mostly to the daily chart.
fn layout(width: u16, avail: u16, r: &Reports) -> Panels {
    let eng_h = engineers_h(r);
    let wide = width >= WIDE;
    let top = if wide {
        TABLES_H.max(eng_h)
    } else {
        TABLES_H.saturating_add(eng_h)
    };
    let natural = top.saturating_add(DAILY_MIN_H + PAIR_MIN_H);
    let height = natural.max(avail);
    let extra = height - natural;
    let pair_h = PAIR_MIN_H + extra / 3;
    let daily_h = height - top - pair_h;
    let row = |y: u16, h: u16| Rect::new(0, y, width, h);
    let (figures, turnaround, engineers) = if wide {
        let fw = 56.min(width / 3);
        let tw = 48.min(width / 3);
        (
            Rect::new(0, 0, fw, top),
            Rect::new(fw, 0, tw, top),
            Rect::new(fw + tw, 0, width - fw - tw, top),
        )
    } else {
        let fw = width / 2;
        (
            Rect::new(0, 0, fw, TABLES_H),
            Rect::new(fw, 0, width - fw, TABLES_H),
            row(TABLES_H, eng_h),
        )
    };
    let daily = row(top, daily_h);
    let half = width / 2;
    let y = top + daily_h;
    Panels {
        figures,
        turnaround,
        engineers,
        daily,
        distribution: Rect::new(0, y, half, pair_h),
        backlog: Rect::new(half, y, width - half, pair_h),
        height,
    }
}

/// Body rows of the dashboard at a terminal size (header, status, footer).
fn body_h(size: (u16, u16)) -> u16 {
    size.1.saturating_sub(3)
}

/// How far the view scrolls at a terminal size (0 when it all fits).
pub fn max_scroll(r: &Reports, size: (u16, u16)) -> u16 {
    let h = body_h(size);
    layout(size.0, h, r).height.saturating_sub(h)
}

/// The status line of the view: the month and, when scrolled, where.
pub fn status(d: &Dashboard, r: &Reports) -> String {
    let l = d.app.lang;
    let mut s = format!(" {} {}", l.pick("月份", "month"), r.month.label());
    if let Some(m) = &r.report {
        s.push_str(&format!(
            " · {} {}",
            l.pick("积压截至", "backlog as of"),
            d.app
                .calendar
                .local(m.kpi.backlog.as_of)
                .format("%m-%d %H:%M")
        ));
    }
    let max = max_scroll(r, d.size);
    if max > 0 {
        let h = body_h(d.size);
        let top = r.scroll.min(max);
        s.push_str(&format!(
            " · {} {}–{}/{} ({} {} {})",
            l.pick("行", "rows"),
            top + 1,
            top + h,
            h + max,
            d.keys.label(Action::Up),
            d.keys.label(Action::Down),
            l.pick("滚动", "scroll")
        ));
    }
    s
}

fn block<'a>(title: String, th: Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, th.title()))
}

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, r: &Reports) {
    let l = d.app.lang;
    let th = theme(d);
    let Some(m) = &r.report else {
        let p = Paragraph::new(l.pick(
            "无法读取本月指标（原因见下方提示）",
            "the month's figures could not be read (see the message below)",
        ))
        .block(block(format!(" {} ", r.month.label()), th));
        f.render_widget(p, area);
        return;
    };
    let p = layout(area.width, area.height, r);
    let mut buf = Buffer::empty(Rect::new(0, 0, area.width, p.height));
    let this_month = {
        let today = d.app.calendar.local(d.now).date_naive();
        r.month.days().contains(&today)
    };
    let inner = |r: Rect| r.width.saturating_sub(2) as usize;
    figures(m, r, l, th, this_month, inner(p.figures)).render(p.figures, &mut buf);
    turnaround(m, l, th, inner(p.turnaround)).render(p.turnaround, &mut buf);
    engineers(m, l, th).render(p.engineers, &mut buf);
    daily(m, p.daily, &mut buf, l, th);
    let dist = bucket_texts(&turnaround_labels(l), &m.turnaround_buckets);
    let ages = bucket_texts(&backlog_labels(l), &m.kpi.backlog.buckets);
    // Both charts stand or both lie, whichever the narrower labels allow.
    let upright = fits_upright(&dist, p.distribution) && fits_upright(&ages, p.backlog);
    // The longest title that fits the chart's border.
    let titled = |rect: Rect, titles: [String; 2]| {
        let room = (rect.width as usize).saturating_sub(2);
        let [long, short] = titles;
        if width(&long) <= room { long } else { short }
    };
    buckets(
        titled(
            p.distribution,
            match l {
                Lang::Zh => [
                    " 周转时间分布（本月已解决） ".into(),
                    " 周转时间分布 ".into(),
                ],
                Lang::En => [
                    " Turnaround T4−T1 of the resolved tickets ".into(),
                    " Turnaround T4−T1 (resolved) ".into(),
                ],
            },
        ),
        dist,
        &m.turnaround_buckets,
        th,
        p.distribution,
        upright,
    )
    .render(p.distribution, &mut buf);
    let as_of = d
        .app
        .calendar
        .local(m.kpi.backlog.as_of)
        .format("%m-%d %H:%M");
    buckets(
        titled(
            p.backlog,
            match l {
                Lang::Zh => [
                    format!(" 积压（未完成单按单龄）截至 {as_of} "),
                    format!(" 积压单龄 截至 {as_of} "),
                ],
                Lang::En => [
                    format!(" Backlog by age as of {as_of} "),
                    format!(" Backlog {as_of} "),
                ],
            },
        ),
        ages,
        &m.kpi.backlog.buckets,
        th,
        p.backlog,
        upright,
    )
    .render(p.backlog, &mut buf);
    // The window of the canvas that is in view.
    let top = r.scroll.min(p.height.saturating_sub(area.height));
    let out = f.buffer_mut();
    for y in 0..area.height.min(p.height) {
        for x in 0..area.width {
            out[(area.x + x, area.y + y)] = buf[(x, y + top)].clone();
        }
    }
}

/// The figures panel; `w` is its inner width (the counts are never cut:
/// a narrow panel puts the totals on two lines instead of a blank one).
fn figures<'a>(
    m: &MonthReport,
    r: &Reports,
    l: Lang,
    th: Theme,
    to_date: bool,
    w: usize,
) -> Paragraph<'a> {
    let k = &m.kpi;
    let totals = [
        format!("{} {}", l.pick("维修单", "tickets"), k.tickets),
        format!("{} {}", l.pick("已解决", "resolved"), k.resolved),
        format!("{} {}", l.pick("已撤单", "cancelled"), k.cancelled),
    ];
    let one_line = totals.join(" · ");
    let split = width(&one_line) > w;
    let mut lines = if split {
        vec![
            Line::from(format!("{} · {}", totals[0], totals[1])),
            Line::from(totals[2].clone()),
        ]
    } else {
        vec![Line::from(one_line)]
    };
    lines.extend([Line::from(Span::styled(
        format!(
            "{} {} {}",
            fit(l.pick("指标", "rate"), 20),
            fit_right("%", 6),
            fit_right(l.pick("达标/计入", "met/of"), 9)
        ),
        th.dim(),
    ))]);
    for (zh, en, ratio) in k.rates() {
        // P6: follow-up has a 100% target; the mark says so without colour,
        // after the numbers when there is room, else before the name.
        let missed = std::ptr::eq(ratio, &k.followup) && ratio.met < ratio.of;
        let target = format!(" ! {}", l.pick("目标100%", "target 100%"));
        let after = missed && width(&target) <= w.saturating_sub(37);
        let name = if missed && !after {
            format!("! {}", l.pick(zh, en))
        } else {
            l.pick(zh, en).to_string()
        };
        let mut spans = vec![Span::raw(format!(
            "{} {} {}",
            fit(&name, 20),
            fit_right(&pct(ratio.rate()), 6),
            fit_right(&format!("{}/{}", ratio.met, ratio.of), 9)
        ))];
        if after {
            spans.push(Span::styled(target, th.warning()));
        }
        lines.push(Line::from(spans));
    }
    if !split {
        lines.push(Line::from(""));
    }
    let late = format!(
        "{} {}",
        fit(l.pick("备件逾期单数", "parts late"), 20),
        fit_right(&k.parts_late.to_string(), 6)
    );
    lines.push(if k.parts_late > 0 {
        Line::from(vec![Span::raw(late), Span::styled(" !", th.warning())])
    } else {
        Line::from(late)
    });
    // Promises the customer broke: apart from the station's misses.
    lines.push(Line::from(format!(
        "{} {}",
        fit(l.pick("用户原因失约", "customer missed"), 20),
        fit_right(&k.customer_missed.to_string(), 6)
    )));
    lines.push(Line::from(format!(
        "{} {} {}",
        fit(l.pick("保外收费（P5）", "paid repairs (P5)"), 20),
        fit_right(&k.paid.count.to_string(), 6),
        fit_right(&format!("{:.2}", k.paid.amount), 9)
    )));
    let title = match (l, to_date) {
        (Lang::Zh, true) => format!(" {} 月度指标（按 T1，截至今日） ", r.month.label()),
        (Lang::Zh, false) => format!(" {} 月度指标（按 T1） ", r.month.label()),
        (Lang::En, true) => format!(" Figures {} (by T1, to date) ", r.month.label()),
        (Lang::En, false) => format!(" Figures {} (by T1) ", r.month.label()),
    };
    Paragraph::new(lines).block(block(title, th))
}

/// Turnaround and cancellations; `w` is the inner width: the names give
/// way, never the numbers.
fn turnaround<'a>(m: &MonthReport, l: Lang, th: Theme, w: usize) -> Paragraph<'a> {
    let k = &m.kpi;
    let name_w = w.saturating_sub(26).clamp(6, 17);
    let reason_w = w.saturating_sub(6).clamp(6, 36);
    let row = |name: &str, s: &Spread| {
        Line::from(format!(
            "{} {} {} {}",
            fit(name, name_w),
            fit_right(&hours(s.median_hours), 9),
            fit_right(&hours(s.p90_hours), 9),
            fit_right(&s.count.to_string(), 5)
        ))
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {}",
            fit(
                // Narrow: the panel's title already says "turnaround".
                [l.pick("周转 T4−T1", "turnaround T4−T1"), "T4−T1"]
                    .into_iter()
                    .find(|h| width(h) <= name_w)
                    .unwrap_or("T4−T1"),
                name_w
            ),
            fit_right(l.pick("中位数", "median"), 9),
            fit_right(l.pick("90分位", "p90"), 9),
            fit_right(l.pick("单数", "n"), 5)
        ),
        th.dim(),
    ))];
    lines.push(row(l.pick("全部", "all"), &k.turnaround));
    for (st, s) in &k.turnaround_by_service {
        lines.push(row(st.name(l), s));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} {}",
            fit(l.pick("撤单原因", "cancelled by reason"), reason_w),
            fit_right(&k.cancelled.to_string(), 5)
        ),
        th.dim(),
    )));
    for (reason, n) in &k.cancelled_by_reason {
        lines.push(Line::from(format!(
            "{} {}",
            fit(reason.name(l), reason_w),
            fit_right(&n.to_string(), 5)
        )));
    }
    Paragraph::new(lines).block(block(
        format!(
            " {} ",
            l.pick("周转时间与撤单", "Turnaround and cancellations")
        ),
        th,
    ))
}

fn engineers<'a>(m: &MonthReport, l: Lang, th: Theme) -> Paragraph<'a> {
    let k = &m.kpi;
    let cols = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        format!(
            "{} {} {} {} {}",
            fit(a, 14),
            fit_right(b, 6),
            fit_right(c, 6),
            fit_right(d, 9),
            fit_right(e, 9)
        )
    };
    let mut lines = vec![Line::from(Span::styled(
        cols(
            l.pick("工程师", "engineer"),
            l.pick("上门", "visits"),
            l.pick("修复", "fixed"),
            l.pick("多次维修", "multi"),
            l.pick("守约", "kept"),
        ),
        th.dim(),
    ))];
    // The layout gives the panel a row per engineer.
    for e in &k.engineers {
        lines.push(Line::from(cols(
            &terminal_safe(&e.name),
            &e.visits.to_string(),
            &e.fixed.to_string(),
            &e.multi_repair.to_string(),
            &e.promises_kept.to_string(),
        )));
    }
    if k.engineers.is_empty() {
        lines.push(Line::from(Span::styled(
            l.pick("（本月没有上门记录）", "(no visits this month)"),
            th.dim(),
        )));
    }
    Paragraph::new(lines).block(block(
        format!(
            " {} ",
            l.pick("工程师（本月上门）", "Engineers (visits this month)")
        ),
        th,
    ))
}

/// The chart's scale: at least 2, even, so the middle label is whole.
fn y_max(m: &MonthReport) -> u32 {
    let top = m
        .daily
        .iter()
        .map(|d| d.received.max(d.resolved))
        .max()
        .unwrap_or(0);
    top.max(2).div_ceil(2) * 2
}

/// Received (solid `█`) and resolved (dotted `•`) per day as bars side by
/// side; the glyphs, named in the title, tell them apart without colour.
/// The day numbers under the bars are placed here, on the columns the
/// chart's canvas puts each day at (the chart's own labels are spread
/// evenly, not on the data).
fn daily(m: &MonthReport, area: Rect, buf: &mut Buffer, l: Lang, th: Theme) {
    let n = m.daily.len().max(1);
    let ymax = y_max(m);
    let title = format!(
        " {} ",
        l.pick(
            "每日报修 █ 与解决 • （件）",
            "Received █ and resolved • per day (tickets)"
        )
    );
    let y_labels: Vec<Line> = [0, ymax / 2, ymax]
        .iter()
        .map(|v| Line::from(v.to_string()))
        .collect();
    let outer = block(title, th);
    let inner = outer.inner(area);
    outer.render(area, buf);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
    // Chart layout (ratatui): y labels, the y axis, then the graph; the
    // two bottom rows hold the x axis and (empty) x labels.
    let label_w = y_labels.iter().map(Line::width).max().unwrap_or(0) as u16;
    let graph_x = inner.x + label_w.min(inner.width / 3) + 1;
    let graph_w = inner.right().saturating_sub(graph_x);
    let (lo, hi) = (0.5, n as f64 + 0.5);
    // One column in data units: received one column left of the day's
    // point, resolved one right, so a day's pair is always adjacent.
    let col = (hi - lo) / f64::from(graph_w.saturating_sub(1).max(1));
    let mut received = Vec::new();
    let mut resolved = Vec::new();
    for (i, d) in m.daily.iter().enumerate() {
        let x = (i + 1) as f64;
        // A day with none draws nothing (a bar of 0 would look like 1).
        if d.received > 0 {
            received.push((x - col / 2.0, f64::from(d.received)));
        }
        if d.resolved > 0 {
            resolved.push((x + col / 2.0, f64::from(d.resolved)));
        }
    }
    Chart::new(vec![
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Bar)
            .style(th.title())
            .data(&received),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Bar)
            .style(th.ok())
            .data(&resolved),
    ])
    .legend_position(None)
    .x_axis(
        Axis::default()
            .bounds([lo, hi])
            .labels(vec![Line::from(""), Line::from("")])
            .style(th.dim()),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, f64::from(ymax)])
            .labels(y_labels)
            .style(th.dim()),
    )
    .render(inner, buf);
    // Day 1 and every fifth day, centred on the day's pair.
    let y = inner.bottom() - 1;
    let mut free_from = graph_x;
    for day in (1..=n).filter(|d| *d == 1 || d % 5 == 0) {
        let at = graph_x as f64 + (day as f64 - lo) / col;
        let text = day.to_string();
        let x = (at.round() as u16).saturating_sub(text.len() as u16 / 2);
        if x >= free_from && x + text.len() as u16 <= inner.right() {
            buf.set_string(x, y, &text, th.dim());
            free_from = x + text.len() as u16 + 1;
        }
    }
}

fn turnaround_labels(l: Lang) -> Vec<&'static str> {
    match l {
        Lang::En => TURNAROUND_LABELS.to_vec(),
        Lang::Zh => vec!["<4小时", "4-24小时", "1-3天", "3-7天", ">7天"],
    }
}

fn backlog_labels(l: Lang) -> Vec<&'static str> {
    match l {
        Lang::En => BACKLOG_LABELS.to_vec(),
        Lang::Zh => vec!["0-1天", "1-3天", "3-7天", ">7天"],
    }
}

const GAP: u16 = 2;

fn upright_width(area: Rect, n: u16) -> u16 {
    (area.width.saturating_sub(2 + GAP * n.saturating_sub(1)) / n.max(1)).min(18)
}

/// `label: count` for each bucket.
fn bucket_texts(labels: &[&str], counts: &[u32]) -> Vec<String> {
    labels
        .iter()
        .zip(counts)
        .map(|(label, c)| format!("{label}: {c}"))
        .collect()
}

/// Do the labels fit under upright bars?
fn fits_upright(texts: &[String], area: Rect) -> bool {
    let w = upright_width(area, texts.len() as u16);
    texts.iter().all(|t| width(t) <= w as usize)
}

/// A bar per bucket, its count in the label so a zero is shown too.
/// Upright bars when the labels fit under them, else lying bars with the
/// labels on the left.
fn buckets<'a>(
    title: String,
    texts: Vec<String>,
    counts: &[u32],
    th: Theme,
    area: Rect,
    upright: bool,
) -> BarChart<'a> {
    let n = texts.len().max(1) as u16;
    let bars: Vec<Bar> = texts
        .into_iter()
        .zip(counts)
        .map(|(text, c)| {
            Bar::new(u64::from(*c))
                .label(Line::from(text))
                .text_value(String::new())
        })
        .collect();
    let chart = BarChart::default()
        .block(block(title, th))
        .data(BarGroup::default().bars(&bars))
        .bar_style(th.title().remove_modifier(Modifier::BOLD))
        .label_style(Style::new());
    if upright {
        chart.bar_width(upright_width(area, n)).bar_gap(GAP)
    } else {
        let rows = area.height.saturating_sub(2);
        let thick = (rows.saturating_sub(n - 1) / n).max(1);
        chart
            .direction(Direction::Horizontal)
            .bar_width(thick)
            .bar_gap(u16::from(rows >= n * thick + (n - 1)))
    }
}
