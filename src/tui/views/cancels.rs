//! Cancel requests waiting for the region's decision (R15).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{list_title, theme};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::list;
use crate::tui::widgets::text::fit;

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let w = list::body(area).width as usize;
    let cols = [16usize, 10, 14, 17];
    let rest = w.saturating_sub(cols.iter().sum::<usize>() + cols.len());
    let header = Line::from(format!(
        "{} {} {} {} {}",
        fit(l.pick("单号", "ticket"), 16),
        fit(l.pick("用户", "customer"), 10),
        fit(l.pick("原因", "reason"), 14),
        fit(l.pick("申请时间", "requested"), 17),
        fit(l.pick("说明", "note"), rest)
    ));
    let src = &d.cancels;
    let line = |k: usize| -> Line {
        let i = &src[k];
        let t = &d.rows[*i].ticket;
        let c = t.progress.cancel.as_ref();
        Line::from(format!(
            "{} {} {} {} {}",
            fit(&terminal_safe(&t.ticket_no), 16),
            fit(&terminal_safe(&t.customer.name), 10),
            fit(c.map(|c| c.reason.name(l)).unwrap_or("—"), 14),
            fit(
                &c.map(|c| d.app.fmt(c.requested_at)).unwrap_or_default(),
                17
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
}
