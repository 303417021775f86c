//! Every alert over the open tickets, most urgent first; under the list,
//! the selected alert's "what to do" in full, wrapped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{below, list_title, theme};
use crate::domain::sla::Level;
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::countdown::alert_countdown;
use crate::tui::widgets::list;
use crate::tui::widgets::text::{fit, width};

/// The selected alert's "what to do", wrapped to the panel under the list.
fn advice(d: &Dashboard, body: Rect) -> Vec<String> {
    let l = d.app.lang;
    let Some((i, a)) = d.alert_entry(d.list_index()) else {
        return Vec::new();
    };
    let t = &d.rows[i].ticket;
    let text = format!(
        "{} {} · {}",
        terminal_safe(&t.ticket_no),
        terminal_safe(&t.customer.name),
        a.message.get(l)
    );
    below::lines(&text, body)
}

/// The list's part of the body (also for the mouse).
pub fn list_area(d: &Dashboard, body: Rect) -> Rect {
    below::list_area(body, advice(d, body).len())
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let area = list_area(d, body);
    let w = list::body(area).width as usize;
    let src = &d.alerts;
    let no_w = src
        .iter()
        .map(|(i, _)| width(&d.rows[*i].ticket.ticket_no))
        .max()
        .unwrap_or(0)
        .clamp(6, 20);
    let fixed = [2usize, 4, no_w, 10, 20];
    let rest = w.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let header = Line::from(format!(
        "{} {} {} {} {} {}",
        fit("", 2),
        fit(l.pick("规则", "rule"), 4),
        fit(l.pick("单号", "ticket"), no_w),
        fit(l.pick("用户", "customer"), 10),
        fit(l.pick("期限", "deadline"), 20),
        fit(l.pick("要做的事", "what to do"), rest)
    ));
    let line = |k: usize| -> Line {
        let Some((i, a)) = d.alert_entry(k) else {
            return Line::default();
        };
        let t = &d.rows[i].ticket;
        let (mark, style) = match a.level {
            Level::Breach => ("✗", th.breach()),
            Level::Warning => ("~", th.warning()),
        };
        Line::from(vec![
            Span::styled(
                format!("{} {} ", fit(mark, 2), fit(&a.rule.to_string(), 4)),
                style,
            ),
            Span::raw(format!(
                "{} {} ",
                fit(&terminal_safe(&t.ticket_no), no_w),
                fit(&terminal_safe(&t.customer.name), 10)
            )),
            Span::styled(fit(&alert_countdown(a, t, d.now, l), 20), style),
            Span::raw(format!(" {}", fit(a.message.get(l), rest))),
        ])
    };
    list::draw(
        f,
        area,
        Line::from(list_title(l.pick("告警", "Alerts"), src.len())),
        header,
        src.len(),
        line,
        Some(d.list_index()),
        true,
        th,
        l.pick("（没有告警）", "(no alerts)"),
    );
    below::draw(
        d,
        f,
        body,
        area,
        l.pick("要做的事", "What to do"),
        advice(d, body),
    );
}
