//! One ticket: every field, the T1–T4 timeline, contacts, parts, visits,
//! alerts and the full event history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::domain::sla::Level;
use crate::domain::ticket::{Ticket, Time};
use crate::present::describe;
use crate::present::sanitize::terminal_safe;
use crate::present::ticket::{Part, Shape, sections};
use crate::setup::app::App;
use crate::tui::app::{Dashboard, Detail};
use crate::tui::model;
use crate::tui::widgets::countdown::alert_countdown;
use crate::tui::widgets::text::{fit, width, wrap};
use crate::tui::widgets::theme::Theme;

const LABEL: usize = 12;

fn s(x: &str) -> String {
    terminal_safe(x).into_owned()
}

/// `prefix` then `text` wrapped to `w` columns; the lines after the first
/// are indented to where the text began, so a long history entry or
/// address reads as one block instead of being cut at the border.
fn wrapped(prefix: Vec<Span<'static>>, text: &str, w: usize) -> Vec<Line<'static>> {
    let indent: usize = prefix.iter().map(|s| width(&s.content)).sum();
    let room = w.saturating_sub(indent).max(8);
    let mut chunks = wrap(text, room).into_iter();
    let mut first = prefix;
    first.push(Span::raw(chunks.next().unwrap_or_default()));
    let mut out = vec![Line::from(first)];
    out.extend(chunks.map(|c| Line::from(format!("{}{c}", " ".repeat(indent)))));
    out
}

fn kv(k: &str, v: String, w: usize) -> Vec<Line<'static>> {
    wrapped(vec![Span::raw(" "), Span::raw(fit(k, LABEL))], &v, w)
}

/// A row of a list section: a time or code, then the rest.
fn item(head: &str, rest: String, w: usize) -> Vec<Line<'static>> {
    wrapped(vec![Span::raw(format!(" {head}  "))], &rest, w)
}

fn section(title: &str, th: Theme) -> Line<'static> {
    Line::from(Span::styled(format!(" ── {title} ──"), th.title()))
}

/// The lines of the detail view, wrapped to `w` columns (also used to
/// bound scrolling).
pub fn lines(det: &Detail, app: &App, now: Time, th: Theme, w: usize) -> Vec<Line<'static>> {
    let t = &det.ticket;
    let l = app.lang;
    let cal = &app.calendar;
    let mut o = Vec::new();
    let mut version = Vec::new();
    for sec in sections(cal, t, app.next_step(t, now), l) {
        if sec.part == Part::Version {
            version = sec.facts;
            continue;
        }
        if !sec.title.is_empty() {
            o.push(section(&sec.title, th));
        }
        for f in sec.facts {
            o.extend(match sec.shape {
                Shape::Fields => kv(&f.label, f.value, w),
                Shape::Entries => item(&f.label, f.value, w),
            });
        }
        if sec.part == Part::Timeline {
            alerts(&mut o, app, t, now, th, w);
        }
    }

    o.push(section(
        &format!("{} ({})", l.pick("历史", "History"), det.history.len()),
        th,
    ));
    for e in &det.history {
        let from = e.from.map(|x| x.name(l)).unwrap_or("—");
        o.extend(wrapped(
            vec![
                Span::styled(format!(" {} ", app.fmt(e.at)), th.dim()),
                Span::raw(format!("{} ", fit(&s(&e.actor), 10))),
            ],
            &format!("{} → {}  {}", from, e.to.name(l), s(&describe(cal, e, l))),
            w,
        ));
    }
    // The version closes the view, after the history.
    o.extend(version.into_iter().flat_map(|f| kv(&f.label, f.value, w)));
    o
}

/// The ticket's alerts with their countdowns, under the timeline.
fn alerts(o: &mut Vec<Line<'static>>, app: &App, t: &Ticket, now: Time, th: Theme, w: usize) {
    let l = app.lang;
    let alerts = model::alerts_of(app, t, now);
    if alerts.is_empty() {
        return;
    }
    o.push(section(l.pick("告警", "Alerts"), th));
    for a in &alerts {
        let style = if a.level == Level::Breach {
            th.breach()
        } else {
            th.warning()
        };
        o.extend(wrapped(
            vec![
                Span::raw(" "),
                Span::styled(
                    format!(
                        "{} {:<4} {}",
                        if a.level == Level::Breach { "✗" } else { "~" },
                        a.rule.to_string(),
                        alert_countdown(a, t, now, l)
                    ),
                    style,
                ),
                Span::raw(" — "),
            ],
            a.message.get(l),
            w,
        ));
    }
}

/// How many lines the view has in a terminal `cols` wide.
pub fn line_count(det: &Detail, app: &App, cols: u16) -> usize {
    lines(det, app, app.now(), Theme { color: false }, inner(cols)).len()
}

/// The text width inside the border.
fn inner(cols: u16) -> usize {
    usize::from(cols.saturating_sub(2))
}

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, det: &Detail) {
    let th = theme(d);
    let l = d.app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus_border())
        .title(Span::styled(
            format!(
                " {} {} ",
                l.pick("详情", "Detail"),
                s(&det.ticket.ticket_no)
            ),
            th.focus_border(),
        ));
    let body = lines(det, &d.app, d.now, th, inner(area.width));
    f.render_widget(
        Paragraph::new(body)
            .block(block)
            .style(Style::new())
            .scroll((det.scroll, 0)),
        area,
    );
}
