//! Every alert over the open tickets, most urgent first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{list_title, theme};
use crate::domain::sla::Level;
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::widgets::countdown::alert_countdown;
use crate::tui::widgets::list;
use crate::tui::widgets::text::fit;

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let w = list::body(area).width as usize;
    let fixed = [2usize, 4, 16, 10, 20];
    let rest = w.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let header = Line::from(format!(
        "{} {} {} {} {} {}",
        fit("", 2),
        fit(l.pick("规则", "rule"), 4),
        fit(l.pick("单号", "ticket"), 16),
        fit(l.pick("用户", "customer"), 10),
        fit(l.pick("期限", "deadline"), 20),
        fit(l.pick("要做的事", "what to do"), rest)
    ));
    let src = &d.alerts;
    let line = |k: usize| -> Line {
        let (i, a) = &src[k];
        let t = &d.rows[*i].ticket;
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
                fit(&terminal_safe(&t.ticket_no), 16),
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
}
