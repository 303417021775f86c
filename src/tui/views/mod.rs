//! Drawing: pure functions of `&Dashboard`. One file per thing drawn.

pub mod alerts;
pub mod below;
pub mod cancels;
pub mod closed;
pub mod detail;
pub mod engineer;
pub mod form;
pub mod help;
pub mod panes;
pub mod reports;
pub mod small;
pub mod specials;
pub mod stations;

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Dashboard, FlashKind, Screen};
use super::keymap::{Action, Hint};
use super::widgets::list;
use super::widgets::text::{fit, truncate, width, wrap};
use super::widgets::theme::Theme;
use crate::domain::calendar::DayKind;
use crate::domain::sla::{self, Level};
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

pub fn theme(d: &Dashboard) -> Theme {
    Theme { color: !d.no_color }
}

/// Header, body, status line, footer. The status line takes a second or
/// third row for a message too long for one (a printout's path), so it is
/// never cut; the body gives them up.
pub fn split(d: &Dashboard, area: Rect) -> (Rect, Rect, Rect, Rect) {
    let h = area.height;
    let rows = flash_lines(d, area.width)
        .map_or(1, |l| l.len() as u16)
        .clamp(1, MAX_STATUS_ROWS)
        .min(h.saturating_sub(5).max(1));
    let header = Rect {
        height: 1.min(h),
        ..area
    };
    let footer = Rect {
        y: area.y + h.saturating_sub(1),
        height: 1.min(h),
        ..area
    };
    let status = Rect {
        y: area.y + h.saturating_sub(1 + rows),
        height: rows.min(h),
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: h.saturating_sub(2 + rows),
        ..area
    };
    (header, body, status, footer)
}

/// The most rows a status message takes.
const MAX_STATUS_ROWS: u16 = 3;

/// The status message as the status line shows it, wrapped to `w` columns
/// (each row after a leading space); `None` when the status line shows
/// something else (the filter being typed, `:`) or nothing is said.
fn flash_lines(d: &Dashboard, w: u16) -> Option<Vec<Line<'static>>> {
    let fl = d.flash.as_ref()?;
    if d.goto.is_some() || (d.filter.is_some() && d.filter_editing) {
        return None;
    }
    let l = d.app.lang;
    let th = theme(d);
    let style = match fl.kind {
        FlashKind::Info => th.ok(),
        FlashKind::Warn => th.warning(),
        FlashKind::Error => th.breach(),
    };
    let mark = match fl.kind {
        FlashKind::Info => "",
        FlashKind::Warn => "! ",
        FlashKind::Error => "✗ ",
    };
    let cols = (w as usize).saturating_sub(1);
    let mut rows: Vec<(String, ratatui::style::Style)> = wrap(&format!("{mark}{}", fl.text), cols)
        .into_iter()
        .map(|r| (r, style))
        .collect();
    // A filter stays on while the message shows: said after it, dimmed.
    if let Some(input) = &d.filter {
        let text = format!(
            "· {} /{}",
            l.pick("查找", "filter"),
            terminal_safe(input.value())
        );
        let last = rows.last().map_or(0, |r| width(&r.0));
        if rows.len() == 1 && last + 3 + width(&text) <= cols {
            return Some(vec![Line::from(vec![
                Span::styled(format!(" {}", rows[0].0), style),
                Span::styled(format!("   {text}"), th.dim()),
            ])]);
        }
        rows.extend(wrap(&text, cols).into_iter().map(|r| (r, th.dim())));
    }
    Some(
        rows.into_iter()
            .map(|(r, st)| Line::from(Span::styled(format!(" {r}"), st)))
            .collect(),
    )
}

pub fn draw(d: &Dashboard, f: &mut Frame) {
    let area = f.area();
    // The engineer's day is read on a phone too: it has a layout from 40
    // columns; every other screen needs the desk's 80×24.
    if let Screen::Engineer(e) = &d.screen
        && engineer::compact(area)
    {
        if area.width < engineer::MIN_W || area.height < engineer::MIN_H {
            small::draw(d, f, area, (engineer::MIN_W, engineer::MIN_H));
            return;
        }
        let (header, body, status, footer) = split(d, area);
        engineer::draw_title(d, f, header, e);
        engineer::draw(d, f, body, e, true);
        draw_status(d, f, status);
        engineer::draw_footer(d, f, footer);
        draw_overlay(d, f, area);
        return;
    }
    if area.width < MIN_W || area.height < MIN_H {
        small::draw(d, f, area, (MIN_W, MIN_H));
        return;
    }
    let (header, body, status, footer) = split(d, area);
    draw_header(d, f, header);
    if let Screen::Engineer(e) = &d.screen {
        engineer::draw(d, f, body, e, false);
        draw_status(d, f, status);
        engineer::draw_footer(d, f, footer);
        draw_overlay(d, f, area);
        return;
    }
    match &d.screen {
        Screen::Panes => panes::draw(d, f, body),
        Screen::Detail(det) => detail::draw(d, f, body, det),
        Screen::Cancels => cancels::draw(d, f, body),
        Screen::Closed => closed::draw(d, f, body),
        Screen::Alerts => alerts::draw(d, f, body),
        Screen::Engineer(_) => {}
        Screen::Reports(r) => reports::draw(d, f, body, r),
        Screen::Specials => specials::draw(d, f, body),
        Screen::Stations(r) => stations::draw(d, f, body, r),
    }
    draw_status(d, f, status);
    draw_footer(d, f, footer);
    draw_overlay(d, f, area);
}

/// A form or the help, over the screen.
fn draw_overlay(d: &Dashboard, f: &mut Frame, area: Rect) {
    if let Some(form) = &d.form {
        form::draw(d, f, area, form);
    } else if let Some(scroll) = d.help {
        help::draw(d, f, area, scroll);
    }
}

/// `周一`, `Mon`.
pub fn weekday_name(lang: Lang, day: chrono::NaiveDate) -> &'static str {
    weekday(lang, day.weekday())
}

fn weekday(lang: Lang, w: chrono::Weekday) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

fn day_kind(lang: Lang, k: DayKind) -> &'static str {
    match k {
        DayKind::Workday => lang.pick("工作日", "working day"),
        DayKind::MakeupWorkday => lang.pick("调休工作日", "make-up working day"),
        DayKind::Weekend => lang.pick("周末", "weekend"),
        DayKind::Holiday => lang.pick("节假日", "holiday"),
    }
}

fn draw_header(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let st = &d.app.settings.station;
    let local = d.app.calendar.local(d.now);
    let date = local.date_naive();
    // The region's desk works on every station, not the configured one.
    let place = if d.region {
        l.pick("大区 · 全部维修站", "Region · every station")
            .to_string()
    } else {
        format!("{} {}", terminal_safe(&st.name), terminal_safe(&st.code))
    };
    let left = format!(
        " {place} · {} {}",
        l.pick("操作人", "as"),
        terminal_safe(&d.app.actor)
    );
    let mut warnings = Vec::new();
    // The server out of reach: said first (the panes show the last
    // picture read).
    if d.offline.is_some() {
        warnings.push(format!(
            "⚠ {}",
            l.pick("离线，重连中", "offline, reconnecting")
        ));
    }
    // calendar_unknown: working-day deadlines of a year without a holiday
    // table are Monday–Friday only; the header says so.
    let missing = sla::missing_years(&d.app.calendar, d.now, d.alert_entries().map(|(_, a)| a));
    if let Some(text) = sla::missing_years_text(&missing, l) {
        warnings.push(format!("⚠ {text}"));
    }
    // A database that cannot be written (a full disk, a read-only folder):
    // everything shows, every change fails naming the cause.
    // (The cause is on stderr at start and in the error of any change.)
    if d.store.read_only().is_some() {
        warnings.push(format!("⚠ {}", l.pick("只读", "read only")));
    }
    // A ticket whose stored record does not read is left out of the panes;
    // the header names it (`ticket show` says what is wrong).
    let damaged = d.store.damaged();
    if let Some(first) = damaged.first() {
        let no = terminal_safe(&first.ticket_no);
        warnings.push(match (l, damaged.len()) {
            (Lang::Zh, 1) => format!("⚠ {no} 无法读取"),
            (Lang::Zh, n) => format!("⚠ {n} 单无法读取（{no} …）"),
            (Lang::En, 1) => format!("⚠ {no} unreadable"),
            (Lang::En, n) => format!("⚠ {n} unreadable ({no} …)"),
        });
    }
    let day = weekday(l, date.weekday());
    let kind = day_kind(l, d.app.calendar.day_kind(date));
    let (ymd, hms) = (local.format("%Y-%m-%d"), local.format("%H:%M:%S"));
    // From the most to the least said, so a narrow terminal keeps spaces
    // between the parts instead of running them together.
    let clocks = [
        format!("{ymd} {day} {hms} · {kind}"),
        format!("{ymd} {day} {hms}"),
        format!("{ymd} {day} {}", local.format("%H:%M")),
        format!("{} {}", local.format("%m-%d"), local.format("%H:%M")),
    ];
    let breaches = d
        .alert_entries()
        .filter(|(_, a)| a.level == Level::Breach)
        .count();
    let warnings_n = d.alerts.len() - breaches;
    let right = if d.loading() {
        // Counted over every open ticket: not known before they are read.
        format!("{} ✗… ~… ", l.pick("告警", "alerts"))
    } else {
        format!("{} ✗{breaches} ~{warnings_n} ", l.pick("告警", "alerts"))
    };
    let w = area.width as usize;
    let (left, clock, warn) = header_fit(w, &left, &clocks, &warnings.join(" · "), &right);
    let mid_w = width(&clock)
        + width(&warn)
        + if clock.is_empty() || warn.is_empty() {
            0
        } else {
            3
        };
    let gap = w.saturating_sub(width(&left) + mid_w + width(&right));
    let (g1, g2) = (gap / 2, gap - gap / 2);
    let alert_style = if breaches > 0 {
        th.breach()
    } else if warnings_n > 0 {
        th.warning()
    } else {
        th.ok()
    };
    let warn_style = if d.offline.is_some() {
        th.breach()
    } else {
        th.warning()
    };
    let mut spans = vec![
        Span::styled(left, th.title()),
        Span::raw(" ".repeat(g1)),
        Span::styled(clock.clone(), th.header()),
    ];
    if !warn.is_empty() {
        if !clock.is_empty() {
            spans.push(Span::styled(" · ", th.header()));
        }
        spans.push(Span::styled(warn, warn_style));
    }
    spans.push(Span::raw(" ".repeat(g2)));
    spans.push(Span::styled(right, alert_style));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The header in `w` columns: the station and who acts (`left`), the clock
/// (`clocks`, from the most to the least said) with the warnings, and the
/// alert counts (`right`). The alert counts are always whole; the
/// warnings come next: the clock shortens first, then the station and
/// actor give way, then the clock goes, and only then is the warning
/// itself shortened. Returns the left part, the clock and the warning.
fn header_fit(
    w: usize,
    left: &str,
    clocks: &[String],
    warn: &str,
    right: &str,
) -> (String, String, String) {
    let mid_w = |clock: &str| {
        width(clock)
            + width(warn)
            + if clock.is_empty() || warn.is_empty() {
                0
            } else {
                3
            }
    };
    // At least one space between the parts.
    let room = w.saturating_sub(width(right) + 1);
    for clock in clocks {
        if width(left) + 1 + mid_w(clock) <= room {
            return (left.to_string(), clock.clone(), warn.to_string());
        }
    }
    let shortest = clocks.last().cloned().unwrap_or_default();
    if mid_w(&shortest) <= room {
        let keep = room.saturating_sub(mid_w(&shortest) + 1);
        let left = if keep >= 2 {
            truncate(left, keep)
        } else {
            String::new()
        };
        return (left, shortest, warn.to_string());
    }
    if warn.is_empty() {
        return (truncate(left, room), String::new(), String::new());
    }
    (String::new(), String::new(), truncate(warn, room))
}

fn draw_status(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    if let Some(input) = &d.goto {
        let prefix = format!(" {} :", l.pick("跳到单号", "go to ticket"));
        let avail = (area.width as usize).saturating_sub(width(&prefix) + 1);
        let scroll = input.visual_scroll(avail);
        let visible = skip_cols(&terminal_safe(input.value()), scroll);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), th.key()),
            Span::raw(fit(&visible, avail)),
        ]);
        f.render_widget(Paragraph::new(line), area);
        if d.form.is_none() && d.help.is_none() {
            let x = area.x
                + width(&prefix) as u16
                + (input.visual_cursor().saturating_sub(scroll)) as u16;
            f.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        }
        return;
    }
    // A status message stays visible while a filter is on; the filter line
    // returns with the next key.
    let flash_first = d.flash.is_some() && !d.filter_editing;
    if let Some(input) = d.filter.as_ref().filter(|_| !flash_first) {
        let prefix = format!(" {} /", l.pick("查找", "filter"));
        let shown: usize = match d.screen {
            Screen::Cancels => d.cancels.len(),
            Screen::Specials => d.specials.len(),
            Screen::Closed => d.closed.len(),
            _ => d.panes.iter().map(Vec::len).sum(),
        };
        let suffix = format!("   ({} {shown})", l.pick("匹配", "matches"));
        let avail = (area.width as usize).saturating_sub(width(&prefix) + width(&suffix) + 1);
        let scroll = input.visual_scroll(avail);
        let value: String = terminal_safe(input.value()).into_owned();
        let visible = skip_cols(&value, scroll);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), th.key()),
            Span::raw(fit(&visible, avail)),
            Span::styled(suffix, th.dim()),
        ]);
        f.render_widget(Paragraph::new(line), area);
        if d.filter_editing && d.form.is_none() && d.help.is_none() {
            let x = area.x
                + width(&prefix) as u16
                + (input.visual_cursor().saturating_sub(scroll)) as u16;
            f.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        }
        return;
    }
    if let Some(lines) = flash_lines(d, area.width) {
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    if let Screen::Engineer(e) = &d.screen {
        let s = engineer::status(d, e);
        f.render_widget(Paragraph::new(Line::from(Span::styled(s, th.dim()))), area);
        return;
    }
    // A list over the panes: where the selection is in it (the panes'
    // sort and open count say nothing of it).
    let listed = match d.screen {
        Screen::Cancels => Some(d.cancels.len()),
        Screen::Specials => Some(d.specials.len()),
        Screen::Closed => Some(d.closed.len()),
        Screen::Alerts => Some(d.alerts.len()),
        _ => None,
    };
    if let Some(n) = listed {
        let s = list_position(d.list_index(), n);
        f.render_widget(Paragraph::new(Line::from(Span::styled(s, th.dim()))), area);
        return;
    }
    if let Screen::Reports(r) = &d.screen {
        let s = reports::status(d, r);
        f.render_widget(Paragraph::new(Line::from(Span::styled(s, th.dim()))), area);
        return;
    }
    if let Screen::Stations(r) = &d.screen {
        let s = stations::status(d, r);
        f.render_widget(Paragraph::new(Line::from(Span::styled(s, th.dim()))), area);
        return;
    }
    let open: usize = d.counts.values().sum();
    let s = format!(
        " {} {}{} · {} {open}",
        l.pick("排序", "sort"),
        d.sort.name(l),
        if d.reverse { " ↑" } else { " ↓" },
        l.pick("未关闭", "open"),
    );
    f.render_widget(Paragraph::new(Line::from(Span::styled(s, th.dim()))), area);
}

/// Drops the first `cols` display columns.
fn skip_cols(s: &str, cols: usize) -> String {
    let mut used = 0;
    s.chars()
        .skip_while(|c| {
            let w = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            if used < cols {
                used += w;
                true
            } else {
                false
            }
        })
        .collect()
}

fn draw_footer(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let hints = if (d.filter_editing || d.goto.is_some()) && d.form.is_none() {
        [Action::FormSubmit, Action::FormCancel]
            .iter()
            .map(|a| d.keys.hint(*a, l))
            .collect()
    } else {
        let mut hints = d.keys.hints(d.context(), l);
        // The alert list is not filtered (`/` there says so).
        if matches!(d.screen, Screen::Alerts) {
            let filter = d.keys.hint(Action::Filter, l);
            hints.retain(|h| *h != filter);
        }
        if d.region && d.form.is_none() && d.help.is_none() {
            // The station's transitions are not the region's to make.
            hints.retain(|h| {
                !Action::ALL.iter().any(|a| {
                    a.scope() == crate::tui::keymap::Scope::Ticket && d.keys.hint(*a, l) == *h
                })
            });
            hints.extend(region_hints(d));
        }
        hints
    };
    draw_hints(d, f, area, &hints);
}

/// The region's desk: its decision on the screen that asks for it, and its
/// three views (after the screen's own hints).
fn region_hints(d: &Dashboard) -> Vec<Hint> {
    let l = d.app.lang;
    let decide = match d.screen {
        Screen::Cancels => Some(Action::DecideCancel),
        Screen::Specials => Some(Action::NotifyRegion),
        _ => None,
    };
    let views = [
        (Action::ViewCancels, !matches!(d.screen, Screen::Cancels)),
        (Action::ViewSpecials, !matches!(d.screen, Screen::Specials)),
        (
            Action::ViewReports,
            !matches!(d.screen, Screen::Stations(_)),
        ),
    ];
    decide
        .into_iter()
        .map(|a| Hint {
            rank: 3,
            ..d.keys.hint(a, l)
        })
        .chain(
            views
                .into_iter()
                .filter(|(_, other)| *other)
                .map(|(a, _)| Hint {
                    rank: 5,
                    ..d.keys.hint(a, l)
                }),
        )
        .collect()
}

/// `key word` pairs in one line: see [`footer_fit`].
pub fn draw_hints(d: &Dashboard, f: &mut Frame, area: Rect, hints: &[Hint]) {
    let th = theme(d);
    let (lead, kept, sep) = footer_fit(hints, area.width as usize);
    let mut spans = vec![Span::raw(lead)];
    for (i, h) in kept.iter().map(|k| &hints[*k]).enumerate() {
        if i > 0 {
            spans.push(Span::raw(sep));
        }
        spans.push(Span::styled(h.key.clone(), th.key()));
        spans.push(Span::raw(format!(" {}", h.word)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The footer in `w` columns, in whole words: the spacing narrows first,
/// then the hints the screen needs least give way (the help key, which
/// lists every key, stays longest). Returns the leading space, the hints
/// kept (indices, in order) and the separator.
fn footer_fit(hints: &[Hint], w: usize) -> (&'static str, Vec<usize>, &'static str) {
    let line = |lead: &str, kept: &[usize], sep: &str| -> usize {
        width(lead)
            + kept
                .iter()
                .map(|k| width(&hints[*k].key) + 1 + width(hints[*k].word))
                .sum::<usize>()
            + kept.len().saturating_sub(1) * width(sep)
    };
    let mut kept: Vec<usize> = (0..hints.len()).collect();
    loop {
        for (lead, sep) in [(" ", "  "), (" ", " "), ("", " ")] {
            if line(lead, &kept, sep) <= w {
                return (lead, kept, sep);
            }
        }
        // The least needed (the highest rank, the later among equals) goes.
        let Some(drop) = kept
            .iter()
            .enumerate()
            .max_by_key(|(i, k)| (hints[**k].rank, *i))
            .map(|(i, _)| i)
        else {
            return ("", kept, " ");
        };
        kept.remove(drop);
    }
}

/// At most `cap` columns of a word, cut without a mark (`dispatch` → `disp`).
pub(crate) fn shorten(word: &str, cap: usize) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if width(&out) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > cap {
            break;
        }
        out.push(c);
    }
    out
}

/// Which row of a list screen is at screen row `y`.
pub fn list_row_at(d: &Dashboard, area: Rect, y: u16) -> Option<usize> {
    let (_, body, _, _) = split(d, area);
    let body = match &d.screen {
        Screen::Alerts => alerts::list_area(d, body),
        Screen::Cancels => cancels::list_area(d, body),
        Screen::Specials => specials::list_area(d, body),
        Screen::Closed => closed::list_area(d, body),
        _ => body,
    };
    let b = list::body(body);
    if y < b.y || y >= b.y + b.height {
        return None;
    }
    let sel = match &d.screen {
        Screen::Engineer(e) => e.sel,
        _ => d.list_index(),
    };
    Some(list::offset(sel, b.height as usize) + (y - b.y) as usize)
}

/// `No. 3/12`-style title with the view name.
pub fn list_title(name: &str, n: usize) -> String {
    format!(" {name} ({n}) ")
}

/// The status line of a list: ` 3/15` (the selected row of `n`), nothing
/// for an empty list.
fn list_position(index: usize, n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" {}/{n}", index.min(n - 1) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clocks() -> Vec<String> {
        [
            "2026-12-31 Thu 16:30:00 · working day",
            "2026-12-31 Thu 16:30:00",
            "2026-12-31 Thu 16:30",
            "12-31 16:30",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_list_says_where_its_selection_is() {
        assert_eq!(list_position(0, 15), " 1/15");
        assert_eq!(list_position(14, 15), " 15/15");
        // A selection past the end (the list shrank) is its last row.
        assert_eq!(list_position(20, 3), " 3/3");
        assert_eq!(list_position(0, 0), "");
    }

    /// #11: whatever the warning, the alert counts stay whole at every
    /// width from 40, and the line never runs past the terminal.
    #[test]
    fn the_alert_counts_stay_whole_at_every_width() {
        let right = "alerts ✗118 ~12 ";
        let lefts = [
            " 维修站 ST · as 小李",
            " 北京市海淀区中关村联想授权服务站 BJ-0101 · as 调度员小李",
        ];
        let warns = [
            "",
            "⚠ no holiday table for 2027",
            "⚠ offline, reconnecting · ⚠ no holiday table for 2027, 2028 · ⚠ read only",
        ];
        for w in 40..=200 {
            for left in lefts {
                for warn in warns {
                    let (l, c, x) = header_fit(w, left, &clocks(), warn, right);
                    let mid = [c.as_str(), x.as_str()]
                        .iter()
                        .filter(|p| !p.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let used = width(&l) + width(&mid) + width(right);
                    assert!(used < w, "{w}: {l:?} {mid:?} {right:?}");
                    if !warn.is_empty() {
                        assert!(x.starts_with('⚠'), "{w}: the warning is said: {x:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_clock_and_the_name_give_way_before_the_warning() {
        let right = "alerts ✗118 ~0 ";
        let warn = "⚠ no holiday table for 2027";
        let (l, c, x) = header_fit(80, " 维修站 ST · as 小李", &clocks(), warn, right);
        assert_eq!(x, warn);
        assert_eq!(l, " 维修站 ST · as 小李");
        assert!(c.contains("16:30"), "{c}");
        let long = " 北京市海淀区中关村联想授权服务站 BJ-0101 · as 调度员小李";
        let (l, c, x) = header_fit(80, long, &clocks(), warn, right);
        assert_eq!((c.as_str(), x.as_str()), ("12-31 16:30", warn));
        assert!(l.ends_with('…'), "{l}");
        let (l, c, x) = header_fit(40, long, &clocks(), warn, right);
        assert_eq!((l.as_str(), c.as_str()), ("", ""));
        assert_eq!(x, "⚠ no holiday table for …");
    }
}
