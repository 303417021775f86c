//! Cancel requests waiting for the region's decision (R15), oldest first,
//! with how long each has waited and the decision's countdown
//! (`decision_wait`); on the region's desk, which reads every station, the
//! station of each. Under the list, the selected request's note in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{below, list_title, theme};
use crate::domain::sla::{AlertKind, Level};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::countdown::{alert_countdown, span};
use crate::tui::widgets::list;
use crate::tui::widgets::text::{fit, width};

/// The selected request: ticket, customer, reason and the whole note.
fn note(d: &Dashboard, body: Rect) -> Vec<String> {
    let l = d.app.lang;
    let Some(t) = d.cancels.get(d.list_index()).map(|i| &d.rows[*i].ticket) else {
        return Vec::new();
    };
    let Some(c) = t.progress.cancel.as_ref() else {
        return Vec::new();
    };
    let mut text = format!(
        "{} {} · {}",
        terminal_safe(&t.ticket_no),
        terminal_safe(&t.customer.name),
        c.reason.name(l)
    );
    if !c.note.trim().is_empty() {
        text.push_str(&format!("{}{}", l.pick("：", ": "), terminal_safe(&c.note)));
    }
    below::lines(&text, body)
}

/// The list's part of the body (also for the mouse).
pub fn list_area(d: &Dashboard, body: Rect) -> Rect {
    below::list_area(body, note(d, body).len())
}

/// The station and the number of a ticket as the desk names it: the
/// region's desk names each `STATION/NUMBER`; other desks have one station.
pub fn station_and_number<'t>(d: &Dashboard, name: &'t str) -> (&'t str, &'t str) {
    match name.split_once('/') {
        Some((s, no)) if d.region => (s, no),
        _ => ("", name),
    }
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let area = list_area(d, body);
    let w = list::body(area).width as usize;
    let src = &d.cancels;
    let rows = || src.iter().map(|i| &d.rows[*i]);
    let tickets = || rows().map(|r| &r.ticket);
    // Each column as wide as its widest cell (the name at most six Chinese
    // characters); the note takes the rest and is whole in the panel below.
    let station_w = if d.region {
        tickets()
            .map(|t| width(&terminal_safe(station_and_number(d, &t.ticket_no).0)))
            .max()
            .unwrap_or(0)
            .clamp(width(l.pick("维修站", "station")), 12)
    } else {
        0
    };
    let no_w = tickets()
        .map(|t| width(&terminal_safe(station_and_number(d, &t.ticket_no).1)))
        .max()
        .unwrap_or(0)
        .clamp(width(l.pick("单号", "ticket")), 20);
    let name_w = tickets()
        .map(|t| width(&terminal_safe(&t.customer.name)))
        .max()
        .unwrap_or(0)
        .clamp(width(l.pick("用户", "customer")), 12);
    let reason_w = tickets()
        .filter_map(|t| t.progress.cancel.as_ref())
        .map(|c| width(c.reason.name(l)))
        .max()
        .unwrap_or(0)
        .max(width(l.pick("原因", "reason")));
    let at_w = width("11-26 09:30");
    // How long it has waited, and the decision's countdown once near.
    let wait = |r: &crate::tui::model::Row| -> (String, Option<Level>) {
        let waited = r
            .ticket
            .progress
            .cancel
            .as_ref()
            .map(|c| span(d.now - c.requested_at, l))
            .unwrap_or_default();
        match r.alerts.iter().find(|a| a.kind == AlertKind::DecisionWait) {
            Some(a) => (
                format!("{waited} · {}", alert_countdown(a, &r.ticket, d.now, l)),
                Some(a.level),
            ),
            None => (waited, None),
        }
    };
    let wait_w = rows()
        .map(|r| width(&wait(r).0))
        .max()
        .unwrap_or(0)
        .clamp(width(l.pick("已等待", "waiting")), 26);
    let mut cols = vec![no_w, name_w, reason_w, at_w, wait_w];
    if d.region {
        cols.insert(0, station_w);
    }
    let rest = w.saturating_sub(cols.iter().sum::<usize>() + cols.len());
    let station_cell = |s: &str| {
        if d.region {
            format!("{} ", fit(s, station_w))
        } else {
            String::new()
        }
    };
    let header = Line::from(format!(
        "{}{} {} {} {} {} {}",
        station_cell(l.pick("维修站", "station")),
        fit(l.pick("单号", "ticket"), no_w),
        fit(l.pick("用户", "customer"), name_w),
        fit(l.pick("原因", "reason"), reason_w),
        fit(l.pick("申请时间", "requested"), at_w),
        fit(l.pick("已等待", "waiting"), wait_w),
        fit(l.pick("说明", "note"), rest)
    ));
    let line = |k: usize| -> Line {
        let r = &d.rows[src[k]];
        let t = &r.ticket;
        let c = t.progress.cancel.as_ref();
        let (station, no) = station_and_number(d, &t.ticket_no);
        let (waited, level) = wait(r);
        let style = match level {
            Some(Level::Breach) => th.breach(),
            Some(Level::Warning) => th.warning(),
            _ => ratatui::style::Style::new(),
        };
        Line::from(vec![
            Span::raw(format!(
                "{}{} {} {} {} ",
                station_cell(&terminal_safe(station)),
                fit(&terminal_safe(no), no_w),
                fit(&terminal_safe(&t.customer.name), name_w),
                fit(c.map(|c| c.reason.name(l)).unwrap_or("—"), reason_w),
                fit(
                    &c.map(|c| d
                        .app
                        .fmt(c.requested_at)
                        .chars()
                        .skip(5)
                        .collect::<String>())
                        .unwrap_or_default(),
                    at_w
                ),
            )),
            Span::styled(fit(&waited, wait_w), style),
            Span::raw(format!(
                " {}",
                fit(
                    &terminal_safe(c.map(|c| c.note.as_str()).unwrap_or("")),
                    rest
                )
            )),
        ])
    };
    list::draw(
        f,
        area,
        Line::from(list_title(
            l.pick(
                "撤单申请（待大区审批）",
                "Cancel requests (waiting for the region)",
            ),
            src.len(),
        )),
        header,
        src.len(),
        line,
        Some(d.list_index()),
        true,
        th,
        l.pick("（没有待审批的撤单申请）", "(no cancel requests waiting)"),
    );
    below::draw(d, f, body, area, l.pick("说明", "Note"), note(d, body));
}
