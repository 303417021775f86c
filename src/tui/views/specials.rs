//! Special customers' open tickets (R14), oldest first: when the region was
//! told, or the half-day deadline to tell it (the `special_notify`
//! countdown), and the region's commission order. The station records the
//! notice (`i`); the region's desk records its commission order with the
//! same form. Under the list, the selected ticket's fault and address.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::cancels::station_and_number;
use super::{below, list_title, theme};
use crate::domain::sla::{AlertKind, Level};
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::model::Row;
use crate::tui::widgets::countdown::alert_countdown;
use crate::tui::widgets::list;
use crate::tui::widgets::text::{fit, fit_right, width};

/// The selected ticket: number, customer, fault and address.
fn about(d: &Dashboard, body: Rect) -> Vec<String> {
    let l = d.app.lang;
    let Some(t) = d.specials.get(d.list_index()).map(|i| &d.rows[*i].ticket) else {
        return Vec::new();
    };
    let text = format!(
        "{} {} · {}{}{}",
        terminal_safe(&t.ticket_no),
        terminal_safe(&t.customer.name),
        terminal_safe(&t.fault),
        l.pick("；", "; "),
        terminal_safe(&t.customer.address)
    );
    below::lines(&text, body)
}

/// The list's part of the body (also for the mouse).
pub fn list_area(d: &Dashboard, body: Rect) -> Rect {
    below::list_area(body, about(d, body).len())
}

/// The R14 cell: when the region was told, or the countdown to telling it.
fn notice(d: &Dashboard, r: &Row) -> (String, Option<Level>) {
    let l = d.app.lang;
    if let Some(at) = r.ticket.progress.region_notified_at {
        let when: String = d.app.fmt(at).chars().skip(5).collect();
        return (format!("{} {when}", l.pick("已通知", "told")), None);
    }
    match r.alerts.iter().find(|a| a.kind == AlertKind::SpecialNotify) {
        Some(a) => (alert_countdown(a, &r.ticket, d.now, l), Some(a.level)),
        None => (l.pick("待通知", "to tell").to_string(), None),
    }
}

pub fn draw(d: &Dashboard, f: &mut Frame, body: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let area = list_area(d, body);
    let w = list::body(area).width as usize;
    let src = &d.specials;
    let rows = || src.iter().map(|i| &d.rows[*i]);
    let station_w = if d.region {
        rows()
            .map(|r| width(&terminal_safe(station_and_number(d, &r.ticket.ticket_no).0)))
            .max()
            .unwrap_or(0)
            .clamp(width(l.pick("维修站", "station")), 12)
    } else {
        0
    };
    let no_w = rows()
        .map(|r| width(&terminal_safe(station_and_number(d, &r.ticket.ticket_no).1)))
        .max()
        .unwrap_or(0)
        .clamp(width(l.pick("单号", "ticket")), 20);
    let name_w = rows()
        .map(|r| width(&terminal_safe(&r.ticket.customer.name)))
        .max()
        .unwrap_or(0)
        .clamp(width(l.pick("用户", "customer")), 12);
    // The status only where there is room (80 columns keep the notice).
    let status_w = if w >= 100 {
        rows()
            .map(|r| width(r.ticket.status.name(l)))
            .max()
            .unwrap_or(0)
            .clamp(width(l.pick("状态", "status")), 12)
    } else {
        0
    };
    let status_cell = |s: &str| {
        if status_w > 0 {
            format!("{} ", fit(s, status_w))
        } else {
            String::new()
        }
    };
    let commission_w = rows()
        .filter_map(|r| r.ticket.progress.commission)
        .map(|c| width(&format!("{c:.2}")))
        .max()
        .unwrap_or(0)
        .max(width(l.pick("委托单", "commission")));
    let t1_w = width("11-26 09:30");
    let mut cols = vec![no_w, name_w, t1_w, commission_w];
    if status_w > 0 {
        cols.push(status_w);
    }
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
        "{}{} {} {}{} {} {}",
        station_cell(l.pick("维修站", "station")),
        fit(l.pick("单号", "ticket"), no_w),
        fit(l.pick("用户", "customer"), name_w),
        status_cell(l.pick("状态", "status")),
        fit("T1", t1_w),
        fit_right(l.pick("委托单", "commission"), commission_w),
        fit(l.pick("通知大区", "region told"), rest)
    ));
    let line = |k: usize| -> Line {
        let r = &d.rows[src[k]];
        let t = &r.ticket;
        let (station, no) = station_and_number(d, &t.ticket_no);
        let (told, level) = notice(d, r);
        let style = match level {
            Some(Level::Breach) => th.breach(),
            Some(Level::Warning) => th.warning(),
            _ => Style::new(),
        };
        let commission = t
            .progress
            .commission
            .map_or_else(|| "—".to_string(), |c| format!("{c:.2}"));
        Line::from(vec![
            Span::raw(format!(
                "{}{} {} {}{} {} ",
                station_cell(&terminal_safe(station)),
                fit(&terminal_safe(no), no_w),
                fit(&terminal_safe(&t.customer.name), name_w),
                status_cell(t.status.name(l)),
                fit(&d.app.fmt(t.t1).chars().skip(5).collect::<String>(), t1_w),
                fit_right(&commission, commission_w),
            )),
            Span::styled(fit(&told, rest), style),
        ])
    };
    list::draw(
        f,
        area,
        Line::from(list_title(
            l.pick("特殊用户单（R14）", "Special customers (R14)"),
            src.len(),
        )),
        header,
        src.len(),
        line,
        Some(d.list_index()),
        true,
        th,
        l.pick(
            "（没有特殊用户的未关闭单）",
            "(no open tickets of special customers)",
        ),
    );
    below::draw(
        d,
        f,
        body,
        area,
        l.pick("故障与地址", "Fault and address"),
        about(d, body),
    );
}
