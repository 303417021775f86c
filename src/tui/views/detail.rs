//! One ticket: every field, the T1–T4 timeline, contacts, parts, visits,
//! alerts and the full event history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::domain::sla::Level;
use crate::present::sanitize::terminal_safe;
use crate::present::{describe, promise_line};
use crate::setup::app::App;
use crate::tui::app::{Dashboard, Detail};
use crate::tui::model;
use crate::tui::widgets::countdown::alert_countdown;
use crate::tui::widgets::text::fit;
use crate::tui::widgets::theme::Theme;

const LABEL: usize = 12;

fn s(x: &str) -> String {
    terminal_safe(x).into_owned()
}

fn kv(k: &str, v: String) -> Line<'static> {
    Line::from(vec![Span::raw(" "), Span::raw(fit(k, LABEL)), Span::raw(v)])
}

/// A row of a list section: a time or code, then the rest.
fn item(head: &str, rest: String) -> Line<'static> {
    Line::from(format!(" {head}  {rest}"))
}

fn section(title: &str, th: Theme) -> Line<'static> {
    Line::from(Span::styled(format!(" ── {title} ──"), th.title()))
}

/// The lines of the detail view (also used to bound scrolling).
pub fn lines(
    det: &Detail,
    app: &App,
    now: crate::domain::ticket::Time,
    th: Theme,
) -> Vec<Line<'static>> {
    let t = &det.ticket;
    let l = app.lang;
    let cal = &app.calendar;
    let dash = || "—".to_string();
    let fmt = |x: Option<crate::domain::ticket::Time>| x.map(|x| app.fmt(x)).unwrap_or_else(dash);
    let mut o = Vec::new();
    o.push(kv(
        l.pick("维修单号", "Ticket"),
        format!("{}  ({})", s(&t.ticket_no), t.source.name(l)),
    ));
    o.push(kv(l.pick("状态", "Status"), t.status.name(l).to_string()));
    o.push(kv(
        l.pick("服务", "Service"),
        format!(
            "{} · {} {} · {}{}",
            t.service_type.name(l),
            l.pick("优先级", "priority"),
            t.priority.name(l),
            l.pick("", "warranty "),
            t.product.warranty.name(l)
        ),
    ));
    let mut flags = Vec::new();
    if t.priority == crate::domain::ticket::Priority::Emergency {
        flags.push(format!("! {}", l.pick("特急", "emergency")));
    }
    if t.special {
        flags.push(format!("S {}", l.pick("特殊用户", "special customer")));
    }
    if t.urge {
        flags.push(format!("U {}", l.pick("催上门", "urge")));
    }
    if t.phone_invalid {
        flags.push(format!("X {}", l.pick("空号", "phone invalid")));
    }
    if t.out_of_coverage {
        flags.push(l.pick("超出服务范围", "outside coverage").to_string());
    }
    o.push(kv(
        l.pick("标记", "Flags"),
        if flags.is_empty() {
            dash()
        } else {
            flags.join(", ")
        },
    ));
    o.push(kv(l.pick("用户", "Customer"), s(&t.customer.name)));
    o.push(kv(
        l.pick("电话", "Phones"),
        s(&t.customer.phones.join(" / ")),
    ));
    o.push(kv(
        l.pick("地址", "Address"),
        s(format!("{} {}", t.customer.district, t.customer.address).trim()),
    ));
    o.push(kv(
        l.pick("产品", "Product"),
        if t.product.line.is_empty() && t.product.model.is_empty() && t.product.serial.is_empty() {
            dash()
        } else {
            format!(
                "{} {} · {} {}",
                s(&t.product.line),
                s(&t.product.model),
                l.pick("主机号", "serial"),
                s(&t.product.serial)
            )
        },
    ));
    o.push(kv(l.pick("故障", "Fault"), s(&t.fault)));
    if !t.note.is_empty() {
        o.push(kv(l.pick("备注", "Note"), s(&t.note)));
    }
    o.push(kv(
        l.pick("工程师", "Engineer"),
        format!(
            "{}{} · {} {}",
            s(t.engineer.as_deref().unwrap_or("—")),
            t.site
                .as_ref()
                .map(|x| format!(" @{}", s(x)))
                .unwrap_or_default(),
            l.pick("打印", "printed"),
            fmt(t.printed_at)
        ),
    ));

    o.push(section(l.pick("时间点 T1–T4", "Timeline T1–T4"), th));
    let meaning = |n: u8| {
        let (zh, en) = t.service_type.time_point(n);
        format!("  · {}", l.pick(zh, en))
    };
    o.push(kv("T1", app.fmt(t.t1)));
    o.push(kv("T2", fmt(t.t2) + &meaning(2)));
    if t.promises().is_empty() {
        o.push(kv("T3", dash() + &meaning(3)));
    }
    for p in t.promises() {
        let line = promise_line(cal, p, l);
        let (label, rest) = line.split_once(' ').unwrap_or(("T3", &line));
        o.push(kv(
            label,
            format!(
                "{}   ({} {}){}",
                s(rest),
                l.pick("写于", "written"),
                app.fmt(p.written_at),
                meaning(3)
            ),
        ));
    }
    o.push(kv("T4", fmt(t.t4) + &meaning(4)));

    let alerts = model::alerts_of(app, t, now);
    if !alerts.is_empty() {
        o.push(section(l.pick("告警", "Alerts"), th));
        for a in &alerts {
            let style = if a.level == Level::Breach {
                th.breach()
            } else {
                th.warning()
            };
            o.push(Line::from(vec![
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
                Span::raw(format!(" — {}", a.message.get(l))),
            ]));
        }
    }

    let p = &t.progress;
    if !p.contacts.is_empty() {
        o.push(section(l.pick("联系记录", "Contacts"), th));
        for c in &p.contacts {
            o.push(item(
                &app.fmt(c.at),
                format!("{} {}", c.result.name(l), s(&c.note)),
            ));
        }
    }
    if !p.parts.is_empty() {
        o.push(section(l.pick("备件", "Parts"), th));
        for x in &p.parts {
            o.push(item(
                &s(&format!("{}:{}", x.order, x.part)),
                format!(
                    "×{}  {} {}  {} {}",
                    x.qty,
                    l.pick("预计", "eta"),
                    fmt(x.eta),
                    l.pick("到货", "arrived"),
                    fmt(x.arrived_at)
                ),
            ));
        }
    }
    if !p.visits.is_empty() {
        o.push(section(l.pick("上门", "Visits"), th));
        for v in &p.visits {
            o.push(item(
                &crate::present::visit_times(&app.calendar, v, l),
                format!("{} {} {}", s(&v.engineer), v.result.name(l), s(&v.note)),
            ));
        }
    }
    if !p.repairs.is_empty() {
        o.push(section(l.pick("送修维修", "Bench repairs"), th));
        for r in &p.repairs {
            o.push(item(
                &format!("{} {}", l.pick("完成", "done"), app.fmt(r.done)),
                format!("{} {} {}", s(&r.by), r.result.name(l), s(&r.note)),
            ));
        }
    }
    let mut other = Vec::new();
    if let Some(q) = &p.quote {
        other.push(kv(l.pick("报价", "Quote"), format!("{:.2}", q.amount)));
    }
    if let Some(by) = &p.signed_by {
        other.push(kv(l.pick("签字人", "Signed by"), s(by)));
    }
    if let Some(c) = p.charge {
        other.push(kv(l.pick("收费", "Charged"), format!("{c:.2}")));
    }
    if !p.returned_parts.is_empty() {
        other.push(kv(
            l.pick("旧件", "Returned"),
            s(&p.returned_parts.join(", ")),
        ));
    }
    if let Some(c) = &p.cancel {
        let decision = match c.approved {
            Some(true) => l.pick("已批准", "approved"),
            Some(false) => l.pick("已驳回", "rejected"),
            None => l.pick("待审批", "pending"),
        };
        other.push(kv(
            l.pick("撤单", "Cancel"),
            format!(
                "{} {} · {} · {decision}",
                c.reason.name(l),
                s(&c.note),
                app.fmt(c.requested_at)
            ),
        ));
    }
    if let Some(at) = p.region_notified_at {
        other.push(kv(l.pick("通知大区", "Region told"), app.fmt(at)));
    }
    if let Some(fu) = &p.followup {
        other.push(kv(
            l.pick("回访", "Follow-up"),
            format!("{} {}", app.fmt(fu.at), fu.result.name(l)),
        ));
    }
    if !other.is_empty() {
        o.push(section(l.pick("其他", "Other"), th));
        o.extend(other);
    }

    o.push(section(
        &format!("{} ({})", l.pick("历史", "History"), det.history.len()),
        th,
    ));
    for e in &det.history {
        let from = e.from.map(|x| x.name(l)).unwrap_or("—");
        o.push(Line::from(vec![
            Span::styled(format!(" {} ", app.fmt(e.at)), th.dim()),
            Span::raw(fit(&s(&e.actor), 10)),
            Span::raw(format!(" {} → {}  ", from, e.to.name(l))),
            Span::raw(s(&describe(cal, e, l))),
        ]));
    }
    o.push(kv(l.pick("版本", "Version"), t.version.to_string()));
    o
}

pub fn line_count(det: &Detail, app: &App) -> usize {
    lines(det, app, app.now(), Theme { color: false }).len()
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
    let body = lines(det, &d.app, d.now, th);
    f.render_widget(
        Paragraph::new(body)
            .block(block)
            .style(Style::new())
            .scroll((det.scroll, 0)),
        area,
    );
}
