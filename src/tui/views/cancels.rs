//! Cancel requests waiting for the region's decision (R15); under the
//! list, the selected request's note in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{below, list_title, theme};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
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

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let l = d.app.lang;
    let area = list_area(d, body);
    let w = list::body(area).width as usize;
    let src = &d.cancels;
    let tickets = || src.iter().map(|i| &d.rows[*i].ticket);
    // Each column as wide as its widest cell (the name at most six Chinese
    // characters); the note takes the rest and is whole in the panel below.
    let no_w = tickets()
        .map(|t| width(&terminal_safe(&t.ticket_no)))
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
    let at_w = width("2026-11-26 09:30");
    let cols = [no_w, name_w, reason_w, at_w];
    let rest = w.saturating_sub(cols.iter().sum::<usize>() + cols.len());
    let header = Line::from(format!(
        "{} {} {} {} {}",
        fit(l.pick("单号", "ticket"), no_w),
        fit(l.pick("用户", "customer"), name_w),
        fit(l.pick("原因", "reason"), reason_w),
        fit(l.pick("申请时间", "requested"), at_w),
        fit(l.pick("说明", "note"), rest)
    ));
    let line = |k: usize| -> Line {
        let t = &d.rows[src[k]].ticket;
        let c = t.progress.cancel.as_ref();
        Line::from(format!(
            "{} {} {} {} {}",
            fit(&terminal_safe(&t.ticket_no), no_w),
            fit(&terminal_safe(&t.customer.name), name_w),
            fit(c.map(|c| c.reason.name(l)).unwrap_or("—"), reason_w),
            fit(
                &c.map(|c| d.app.fmt(c.requested_at)).unwrap_or_default(),
                at_w
            ),
            fit(
                &terminal_safe(c.map(|c| c.note.as_str()).unwrap_or("")),
                rest
            ),
        ))
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
        theme(d),
        l.pick("（没有待审批的撤单申请）", "(no cancel requests waiting)"),
    );
    below::draw(d, f, body, area, l.pick("说明", "Note"), note(d, body));
}
