//! Closed tickets, newest first (one page): resolved ones still awaiting the
//! call centre's follow-up (R13) are marked. Under the list, the selected
//! ticket's product and fault in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{below, list_title, theme};
use crate::domain::ticket::{FollowupResult, Status, Ticket};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::list;
use crate::tui::widgets::text::{fit, width};

/// `X1 Carbon · 屏幕不亮`.
fn product_fault(t: &Ticket) -> String {
    let product = if t.product.model.trim().is_empty() {
        &t.product.line
    } else {
        &t.product.model
    };
    terminal_safe(&format!("{product} · {}", t.fault)).into_owned()
}

/// The selected ticket: number, customer, product and the whole fault.
fn fault(d: &Dashboard, body: Rect) -> Vec<String> {
    let Some(t) = d.closed.get(d.list_index()) else {
        return Vec::new();
    };
    let text = format!(
        "{} {} · {}",
        terminal_safe(&t.ticket_no),
        terminal_safe(&t.customer.name),
        product_fault(t)
    );
    below::lines(&text, body)
}

/// The list's part of the body (also for the mouse).
pub fn list_area(d: &Dashboard, body: Rect) -> Rect {
    below::list_area(body, fault(d, body).len())
}

fn followup(t: &Ticket, d: &Dashboard) -> String {
    let l = d.app.lang;
    match (&t.progress.followup, t.status) {
        (Some(fu), _) if fu.result != FollowupResult::Unreachable => fu.result.name(l).to_string(),
        (_, Status::Resolved) => format!("◌ {}", l.pick("待回访", "awaiting")),
        _ => "—".into(),
    }
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let l = d.app.lang;
    let area = list_area(d, body);
    let w = list::body(area).width as usize;
    let src = &d.closed;
    // Each column as wide as its widest cell (the name at most six Chinese
    // characters); product and fault take the rest, whole in the panel below.
    let widest = |cell: &dyn Fn(&Ticket) -> String, head: &str, cap: usize| {
        src.iter()
            .map(|t| width(&cell(t)))
            .max()
            .unwrap_or(0)
            .clamp(width(head), cap)
    };
    let head = [
        l.pick("单号", "ticket"),
        l.pick("用户", "customer"),
        l.pick("状态", "status"),
        "T4",
        l.pick("回访", "follow-up"),
        l.pick("产品/故障", "product / fault"),
    ];
    let no_w = widest(&|t| terminal_safe(&t.ticket_no).into_owned(), head[0], 20);
    let name_w = widest(
        &|t| terminal_safe(&t.customer.name).into_owned(),
        head[1],
        12,
    );
    let status_w = [Status::Resolved, Status::Cancelled]
        .iter()
        .map(|s| width(s.name(l)))
        .max()
        .unwrap_or(0)
        .max(width(head[2]));
    let t4_w = width("2026-11-26 09:30");
    let fu_w = widest(&|t| followup(t, d), head[4], 14);
    let fixed = [no_w, name_w, status_w, t4_w, fu_w];
    let rest = w.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let header = Line::from(format!(
        "{} {} {} {} {} {}",
        fit(head[0], no_w),
        fit(head[1], name_w),
        fit(head[2], status_w),
        fit(head[3], t4_w),
        fit(head[4], fu_w),
        fit(head[5], rest)
    ));
    let line = |k: usize| -> Line {
        let t = &src[k];
        Line::from(format!(
            "{} {} {} {} {} {}",
            fit(&terminal_safe(&t.ticket_no), no_w),
            fit(&terminal_safe(&t.customer.name), name_w),
            fit(t.status.name(l), status_w),
            fit(
                &t.t4.map(|x| d.app.fmt(x)).unwrap_or_else(|| "—".into()),
                t4_w
            ),
            fit(&followup(t, d), fu_w),
            fit(&product_fault(t), rest),
        ))
    };
    list::draw(
        f,
        area,
        Line::from(list_title(
            l.pick(
                "已关闭（最近，待回访标 ◌）",
                "Closed (latest; ◌ awaiting follow-up)",
            ),
            src.len(),
        )),
        header,
        src.len(),
        line,
        Some(d.list_index()),
        true,
        theme(d),
        l.pick("（没有已关闭的维修单）", "(no closed tickets)"),
    );
    below::draw(
        d,
        f,
        body,
        area,
        l.pick("产品/故障", "Product / fault"),
        fault(d, body),
    );
}
