//! Closed tickets, newest first (one page): resolved ones still awaiting the
//! call centre's follow-up (R13) are marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{list_title, theme};
use crate::domain::ticket::{FollowupResult, Status};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::list;
use crate::tui::widgets::text::fit;

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let w = list::body(area).width as usize;
    let fixed = [16usize, 10, 10, 17, 12];
    let rest = w.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let header = Line::from(format!(
        "{} {} {} {} {} {}",
        fit(l.pick("单号", "ticket"), 16),
        fit(l.pick("用户", "customer"), 10),
        fit(l.pick("状态", "status"), 10),
        fit("T4", 17),
        fit(l.pick("回访", "follow-up"), 12),
        fit(l.pick("产品/故障", "product / fault"), rest)
    ));
    let src = &d.closed;
    let line = |k: usize| -> Line {
        let t = &src[k];
        let followup = match (&t.progress.followup, t.status) {
            (Some(fu), _) if fu.result != FollowupResult::Unreachable => {
                fu.result.name(l).to_string()
            }
            (_, Status::Resolved) => format!("◌ {}", l.pick("待回访", "awaiting")),
            _ => "—".into(),
        };
        Line::from(format!(
            "{} {} {} {} {} {}",
            fit(&terminal_safe(&t.ticket_no), 16),
            fit(&terminal_safe(&t.customer.name), 10),
            fit(t.status.name(l), 10),
            fit(
                &t.t4.map(|x| d.app.fmt(x)).unwrap_or_else(|| "—".into()),
                17
            ),
            fit(&followup, 12),
            fit(
                &terminal_safe(&format!("{} · {}", t.product.model, t.fault)),
                rest
            ),
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
}
