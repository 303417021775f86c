//! One engineer's day: visits in promised-time order, with address, phone,
//! fault and the parts to bring.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::theme;
use crate::domain::text::Lang;
use crate::domain::ticket::Ticket;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;
use crate::tui::app::{Dashboard, EngineerDay};
use crate::tui::widgets::list;
use crate::tui::widgets::text::fit;

/// The parts to bring: delivered orders; undelivered ones are marked.
pub fn parts_to_bring(t: &Ticket, lang: Lang) -> String {
    let parts: Vec<String> = t
        .progress
        .parts
        .iter()
        .map(|p| {
            let mut s = format!("{}×{}", p.part, p.qty);
            if p.arrived_at.is_none() {
                s.push_str(lang.pick("（未到货）", " (not delivered)"));
            }
            s
        })
        .collect();
    terminal_safe(&parts.join(", ")).into_owned()
}

/// `09:30` of the promised time.
pub fn promised_hm(app: &App, t: &Ticket) -> String {
    t.due_at()
        .map(|at| app.calendar.local(at).format("%H:%M").to_string())
        .unwrap_or_else(|| "--:--".into())
}

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, e: &EngineerDay) {
    let l = d.app.lang;
    let w = list::body(area).width as usize;
    let fixed = [5usize, 16, 8, 12, 24, 18];
    let rest = w.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let header = Line::from(format!(
        "{} {} {} {} {} {} {}",
        fit(l.pick("时间", "time"), 5),
        fit(l.pick("单号", "ticket"), 16),
        fit(l.pick("用户", "customer"), 8),
        fit(l.pick("电话", "phone"), 12),
        fit(l.pick("地址", "address"), 24),
        fit(l.pick("故障", "fault"), 18),
        fit(l.pick("带备件", "parts to bring"), rest)
    ));
    let src = &e.tickets;
    let line = |k: usize| -> Line {
        let t = &src[k];
        Line::from(format!(
            "{} {} {} {} {} {} {}",
            fit(&promised_hm(&d.app, t), 5),
            fit(&terminal_safe(&t.ticket_no), 16),
            fit(&terminal_safe(&t.customer.name), 8),
            fit(&terminal_safe(t.first_phone()), 12),
            fit(
                &terminal_safe(&format!("{}{}", t.customer.district, t.customer.address)),
                24
            ),
            fit(&terminal_safe(&t.fault), 18),
            fit(&parts_to_bring(t, l), rest),
        ))
    };
    let title = match e.staff.get(e.idx) {
        Some(s) => format!(
            " {} {} · {} · {} {}/{} ",
            l.pick("工程师", "Engineer"),
            terminal_safe(&s.name),
            e.day.format("%Y-%m-%d"),
            l.pick("上门", "visits"),
            e.tickets.len(),
            s.capacity
        ),
        None => format!(
            " {} ",
            l.pick("工程师（人员名单为空）", "Engineer (no staff)")
        ),
    };
    list::draw(
        f,
        area,
        Line::from(title),
        header,
        src.len(),
        line,
        Some(e.sel),
        true,
        theme(d),
        l.pick("（当天没有安排）", "(nothing planned that day)"),
    );
}

/// `repairdesk engineer NAME --plain`: the same day as text.
pub fn plain(app: &App, name: &str, day: chrono::NaiveDate, tickets: &[Ticket]) -> String {
    let l = app.lang;
    let mut o = format!(
        "{} — {} — {} {}\n",
        terminal_safe(name),
        day.format("%Y-%m-%d"),
        tickets.len(),
        l.pick("个上门", "visits")
    );
    for (i, t) in tickets.iter().enumerate() {
        o.push_str(&format!(
            "\n{}. {}  {}  {}  {}  [{}]\n",
            i + 1,
            promised_hm(app, t),
            terminal_safe(&t.ticket_no),
            terminal_safe(&t.customer.name),
            terminal_safe(&t.customer.phones.join(" / ")),
            t.status.name(l)
        ));
        let lines = [
            (
                l.pick("地址", "address"),
                format!("{} {}", t.customer.district, t.customer.address),
            ),
            (
                l.pick("产品", "product"),
                format!(
                    "{} {} {}",
                    t.product.line, t.product.model, t.product.serial
                ),
            ),
            (l.pick("故障", "fault"), t.fault.clone()),
            (l.pick("带备件", "bring"), parts_to_bring(t, l)),
        ];
        for (k, v) in lines {
            let v = v.trim();
            if !v.is_empty() {
                o.push_str(&format!("   {}: {}\n", k, terminal_safe(v)));
            }
        }
    }
    if tickets.is_empty() {
        o.push_str(l.pick("（当天没有安排）\n", "(nothing planned that day)\n"));
    }
    o
}
