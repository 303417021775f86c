//! One engineer's day (工程师当天安排), as the engineer reads it before going
//! out: the site visits in arrival-time order (the promised T3, or the
//! appointment agreed after T33, R12) with everything needed at the door,
//! the carry-in (送修) machines on their bench apart, and the clashes of
//! the plan. Built from the tickets the store's `engineer_day` reads; the
//! command line's sheet and the dashboard's cards both show this.

use chrono::NaiveDate;

use super::fmt_minutes;
use super::sanitize::terminal_safe;
use crate::domain::calendar::Calendar;
use crate::domain::text::Lang;
use crate::domain::ticket::{
    BenchRepair, PromiseKind, RepairResult, Status, Ticket, Time, Visit, Warranty,
};

/// The time a visit was planned for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A promised time: T31, T32 or T33.
    Promise(u8),
    /// An appointment agreed after T33 (R12).
    Appointment,
    /// No time was in force (a visit without a promise).
    Unplanned,
}

/// One site visit of the day.
#[derive(Clone, Debug)]
pub struct Stop {
    pub ticket: Ticket,
    /// When the engineer is expected on site (the slot's time); for a visit
    /// made without a time in force, its arrival.
    pub at: Time,
    pub slot: Slot,
    /// The visit made for this slot by this engineer on this day.
    pub done: Option<Visit>,
    /// Nothing left to do at this slot without a visit of the day: the
    /// machine was fixed earlier, or the ticket is closed.
    pub finished: bool,
    /// The visit before this one, on a repeat visit.
    pub previous: Option<Visit>,
}

impl Stop {
    /// Still to be made.
    pub fn pending(&self) -> bool {
        self.done.is_none() && !self.finished
    }
}

/// A carry-in machine on the engineer's bench.
#[derive(Clone, Debug)]
pub struct Bench {
    pub ticket: Ticket,
    /// The bench repair this engineer finished on this day.
    pub repair: Option<BenchRepair>,
}

/// Two visits planned at the same time in different districts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    pub at: Time,
    /// (ticket number, district) of each.
    pub visits: Vec<(String, String)>,
}

/// The day.
#[derive(Clone, Debug)]
pub struct DaySheet {
    pub name: String,
    pub day: NaiveDate,
    pub visits: Vec<Stop>,
    pub bench: Vec<Bench>,
    pub clashes: Vec<Clash>,
}

/// What a slot was at the moment of a visit: the latest T3 (with a time) or
/// appointment written by its arrival, not counting the next time agreed by
/// that very visit (written as it was recorded) — as the figures count it.
fn slot_in_force(t: &Ticket, v: &Visit) -> Option<(Time, Slot, Time)> {
    let in_force = |written: Time| written <= v.arrived && written < v.at;
    let promise = t
        .promises()
        .iter()
        .rev()
        .filter(|p| p.kind == PromiseKind::Time)
        .find(|p| in_force(p.written_at))
        .and_then(|p| Some((p.at?, Slot::Promise(p.seq), p.written_at)));
    let appointment = t
        .progress
        .appointments
        .iter()
        .rev()
        .find(|a| in_force(a.written_at))
        .map(|a| (a.at, Slot::Appointment, a.written_at));
    match (promise, appointment) {
        (Some(p), Some(a)) => Some(if a.2 >= p.2 { a } else { p }),
        (p, a) => p.or(a),
    }
}

/// The slot the ticket is due at now: the appointment after T33, else the
/// T3 in force (see [`Ticket::due_at`]), with when it was agreed.
fn slot_now(t: &Ticket) -> Option<(Time, Slot, Time)> {
    if let Some(a) = t.last_appointment() {
        return Some((a.at, Slot::Appointment, a.written_at));
    }
    let p = t.last_promise()?;
    Some((p.at?, Slot::Promise(p.seq), p.written_at))
}

impl DaySheet {
    /// The day of `name` on `day` from the tickets the store read for it.
    /// `today` decides where a machine waiting on the bench is listed: on
    /// today's sheet, and on the day of its collection time ahead.
    pub fn build(
        cal: &Calendar,
        name: &str,
        day: NaiveDate,
        today: NaiveDate,
        tickets: Vec<Ticket>,
    ) -> DaySheet {
        let on_day = |at: Time| cal.local(at).date_naive() == day;
        let mut visits = Vec::new();
        let mut bench = Vec::new();
        for t in tickets {
            if t.is_carry_in() {
                let repair = t
                    .progress
                    .repairs
                    .iter()
                    .rev()
                    .find(|r| r.by == name && on_day(r.done))
                    .cloned();
                let collection = t.promised_at().map(|at| cal.local(at).date_naive());
                let waiting = t.engineer.as_deref() == Some(name)
                    && t.status.is_workable()
                    && t.fixed_at().is_none()
                    && (day == today || (day > today && collection == Some(day)));
                if repair.is_some() || waiting {
                    bench.push(Bench { ticket: t, repair });
                }
                continue;
            }
            let vs = &t.progress.visits;
            let mut made = Vec::new();
            for (i, v) in vs.iter().enumerate() {
                if v.engineer != name || !on_day(v.arrived) {
                    continue;
                }
                // A visit under another day's time (late, or early) sits at
                // its arrival.
                let (at, slot) = match slot_in_force(&t, v) {
                    Some((at, slot, _)) if on_day(at) => (at, slot),
                    _ => (v.arrived, Slot::Unplanned),
                };
                made.push(Stop {
                    ticket: t.clone(),
                    at,
                    slot,
                    done: Some(v.clone()),
                    finished: false,
                    previous: i.checked_sub(1).and_then(|p| vs.get(p)).cloned(),
                });
            }
            // The time the ticket is due at now, if it is this engineer's on
            // this day and no visit of the day already answers it.
            if let Some((at, slot, agreed)) = slot_now(&t)
                && t.engineer.as_deref() == Some(name)
                && on_day(at)
                && !made.iter().any(|s| s.slot == slot && s.at == at)
            {
                // A visit recorded after the time was agreed answered it
                // (one that agreed it is recorded at the same moment).
                let answered = vs.iter().any(|v| v.at > agreed);
                let finished = answered || !t.status.is_workable() || t.fixed_at().is_some();
                if made.is_empty() || !finished {
                    if t.status == Status::Cancelled && made.is_empty() {
                        continue;
                    }
                    let previous = vs.last().cloned();
                    made.push(Stop {
                        ticket: t.clone(),
                        at,
                        slot,
                        done: None,
                        finished,
                        previous,
                    });
                }
            }
            visits.extend(made);
        }
        visits.sort_by(|a, b| (a.at, &a.ticket.ticket_no).cmp(&(b.at, &b.ticket.ticket_no)));
        bench.sort_by(|a, b| {
            let key = |x: &Bench| {
                (
                    x.repair.is_some(),
                    x.ticket.due_at(),
                    x.ticket.ticket_no.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        let clashes = clashes(&visits);
        DaySheet {
            name: name.to_string(),
            day,
            visits,
            bench,
            clashes,
        }
    }

    /// Visits and bench machines together.
    pub fn len(&self) -> usize {
        self.visits.len() + self.bench.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ticket of entry `i` (visits first, then the bench).
    pub fn ticket(&self, i: usize) -> Option<&Ticket> {
        match self.visits.get(i) {
            Some(s) => Some(&s.ticket),
            None => self.bench.get(i - self.visits.len()).map(|b| &b.ticket),
        }
    }

    /// Visits still to be made.
    pub fn pending(&self) -> usize {
        self.visits.iter().filter(|s| s.pending()).count()
    }
}

/// Pending visits at one time in more than one district (a district left
/// empty is not counted as different).
fn clashes(visits: &[Stop]) -> Vec<Clash> {
    let mut out: Vec<Clash> = Vec::new();
    let pending: Vec<&Stop> = visits.iter().filter(|s| s.pending()).collect();
    for (i, s) in pending.iter().enumerate() {
        if out.iter().any(|c| c.at == s.at) {
            continue;
        }
        let same: Vec<&&Stop> = pending[i..].iter().filter(|o| o.at == s.at).collect();
        let mut districts: Vec<&str> = same
            .iter()
            .map(|o| o.ticket.customer.district.trim())
            .filter(|d| !d.is_empty())
            .collect();
        districts.sort_unstable();
        districts.dedup();
        if districts.len() > 1 {
            out.push(Clash {
                at: s.at,
                visits: same
                    .iter()
                    .map(|o| {
                        (
                            o.ticket.ticket_no.clone(),
                            o.ticket.customer.district.clone(),
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

/// `HH:MM` in station time.
pub fn hm(cal: &Calendar, t: Time) -> String {
    cal.local(t).format("%H:%M").to_string()
}

/// `T32`, `约定` (appointment after T33), or nothing.
pub fn slot_label(slot: Slot, lang: Lang) -> String {
    match slot {
        Slot::Promise(seq) => super::t3_label(seq),
        Slot::Appointment => lang.pick("约定", "appt").to_string(),
        Slot::Unplanned => String::new(),
    }
}

/// The parts to bring: each order's part and quantity; undelivered ones
/// are marked.
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
    parts.join(", ")
}

/// What to collect on a paid repair (P5), or nothing in warranty.
pub fn collect_line(t: &Ticket, lang: Lang) -> Option<String> {
    if t.product.warranty != Warranty::Out {
        return None;
    }
    Some(match (t.progress.charge, &t.progress.quote) {
        (Some(c), _) => format!(
            "{} ¥{c:.2}",
            lang.pick("保外，已收费", "paid repair, charged")
        ),
        (None, Some(q)) => format!(
            "¥{:.2} {}",
            q.amount,
            lang.pick(
                "（保外，用户已确认报价）",
                "(out of warranty, quote approved by the customer)"
            )
        ),
        (None, None) => lang
            .pick(
                "保外：先检测并报价，用户确认后才修（P5）",
                "out of warranty: inspect and quote; repair only once the customer approves (P5)",
            )
            .to_string(),
    })
}

/// `11-28 孙浩 未修复：主板需更换`.
fn visit_summary(cal: &Calendar, v: &Visit, lang: Lang) -> String {
    let mut s = format!(
        "{} {} {}",
        cal.local(v.arrived).format("%m-%d %H:%M"),
        v.engineer,
        v.result.name(lang)
    );
    if !v.note.is_empty() {
        s.push_str(lang.pick("：", ": "));
        s.push_str(&v.note);
    }
    s
}

/// `✓ 已修复 13:50–14:20`, `✓ 已解决`: the mark of a finished stop; empty
/// while pending.
pub fn done_mark(cal: &Calendar, s: &Stop, lang: Lang) -> String {
    match (&s.done, s.finished) {
        (Some(v), _) => format!(
            "✓ {} {}–{}",
            v.result.name(lang),
            hm(cal, v.arrived),
            hm(cal, v.done)
        ),
        (None, true) => match s.ticket.fixed_visit() {
            Some(v) if s.ticket.status.is_workable() => format!(
                "✓ {} {}",
                v.result.name(lang),
                cal.local(v.done).format("%m-%d %H:%M")
            ),
            _ => format!("✓ {}", s.ticket.status.name(lang)),
        },
        (None, false) => String::new(),
    }
}

/// The first line of a visit: `14:00 T32 ! W202611260001 ✓ 已修复 13:50–14:20`.
pub fn stop_title(cal: &Calendar, s: &Stop, lang: Lang) -> String {
    let mut parts = vec![hm(cal, s.at)];
    let label = slot_label(s.slot, lang);
    if !label.is_empty() {
        parts.push(label);
    }
    let marks = super::markers(&s.ticket).trim().to_string();
    if !marks.is_empty() {
        parts.push(marks);
    }
    parts.push(terminal_safe(&s.ticket.ticket_no).into_owned());
    let done = done_mark(cal, s, lang);
    if !done.is_empty() {
        parts.push(done);
    }
    parts.join(" ")
}

/// The labelled lines of a visit, in the order an engineer needs them.
/// Values are made terminal-safe; empty ones are left out.
pub fn stop_lines(cal: &Calendar, s: &Stop, lang: Lang) -> Vec<(&'static str, String)> {
    let t = &s.ticket;
    let mut out = vec![
        (lang.pick("用户", "customer"), t.customer.name.clone()),
        (lang.pick("电话", "phones"), t.customer.phones.join(" / ")),
        (
            lang.pick("地址", "address"),
            format!("{} {}", t.customer.district, t.customer.address),
        ),
        (
            lang.pick("产品", "product"),
            format!(
                "{} {} {}",
                t.product.line, t.product.model, t.product.serial
            ),
        ),
        (lang.pick("故障", "fault"), t.fault.clone()),
    ];
    if s.pending() {
        out.push((lang.pick("带备件", "bring"), parts_to_bring(t, lang)));
    }
    if let Some(v) = &s.previous {
        out.push((lang.pick("上次", "previous"), visit_summary(cal, v, lang)));
    }
    if let Some(c) = collect_line(t, lang) {
        out.push((lang.pick("收费", "collect"), c));
    }
    if let Some(v) = &s.done
        && !v.note.is_empty()
    {
        out.push((lang.pick("本次", "this visit"), v.note.clone()));
    }
    clean(out)
}

/// The first line of a bench machine: `W202611250015 已修好 11-30 14:00`.
pub fn bench_title(cal: &Calendar, b: &Bench, lang: Lang) -> String {
    let t = &b.ticket;
    let mut parts = Vec::new();
    let marks = super::markers(t).trim().to_string();
    if !marks.is_empty() {
        parts.push(marks);
    }
    parts.push(terminal_safe(&t.ticket_no).into_owned());
    match &b.repair {
        Some(r) => parts.push(format!("✓ {} {}", r.result.name(lang), hm(cal, r.done))),
        None => parts.push(format!("[{}]", t.status.name(lang))),
    }
    parts.join(" ")
}

/// The labelled lines of a bench machine: no address, nothing to bring.
pub fn bench_lines(cal: &Calendar, b: &Bench, lang: Lang) -> Vec<(&'static str, String)> {
    let t = &b.ticket;
    let mut out = vec![
        (lang.pick("用户", "customer"), t.customer.name.clone()),
        (lang.pick("电话", "phones"), t.customer.phones.join(" / ")),
        (
            lang.pick("产品", "product"),
            format!(
                "{} {} {}",
                t.product.line, t.product.model, t.product.serial
            ),
        ),
        (lang.pick("故障", "fault"), t.fault.clone()),
        (
            lang.pick("约定取机", "collection"),
            t.promised_at()
                .map(|at| fmt_minutes(cal, at))
                .unwrap_or_default(),
        ),
        (lang.pick("备件", "parts"), parts_to_bring(t, lang)),
    ];
    let earlier = t
        .progress
        .repairs
        .iter()
        .rev()
        .find(|r| Some(*r) != b.repair.as_ref() && r.result == RepairResult::NotFixed);
    if let Some(r) = earlier {
        let mut s = format!(
            "{} {} {}",
            cal.local(r.done).format("%m-%d %H:%M"),
            r.by,
            r.result.name(lang)
        );
        if !r.note.is_empty() {
            s.push_str(lang.pick("：", ": "));
            s.push_str(&r.note);
        }
        out.push((lang.pick("上次", "previous"), s));
    }
    if let Some(c) = collect_line(t, lang) {
        out.push((lang.pick("收费", "collect"), c));
    }
    clean(out)
}

fn clean(lines: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    lines
        .into_iter()
        .map(|(k, v)| (k, terminal_safe(v.trim()).into_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// `⚠ 10:00 两个上门在不同区县：W1 海淀区、W2 朝阳区`.
pub fn clash_line(cal: &Calendar, c: &Clash, lang: Lang) -> String {
    let list: Vec<String> = c
        .visits
        .iter()
        .map(|(no, d)| terminal_safe(&format!("{no} {d}")).trim().to_string())
        .collect();
    format!(
        "⚠ {} {}{}",
        hm(cal, c.at),
        lang.pick(
            "同一时间在不同区县有两个上门：",
            "two visits at the same time in different districts: "
        ),
        list.join(lang.pick("、", ", "))
    )
}

/// `上门 5 · 送修 2 · 待上门 3`.
pub fn summary(s: &DaySheet, lang: Lang) -> String {
    format!(
        "{} {} · {} {} · {} {}",
        lang.pick("上门", "visits"),
        s.visits.len(),
        lang.pick("送修", "bench"),
        s.bench.len(),
        lang.pick("待上门", "to go"),
        s.pending()
    )
}

/// `repairdesk engineer NAME --plain`: the day as text.
pub fn plain(cal: &Calendar, s: &DaySheet, lang: Lang) -> String {
    let mut o = format!(
        "{} — {} — {}\n",
        terminal_safe(&s.name),
        s.day.format("%Y-%m-%d"),
        summary(s, lang)
    );
    for c in &s.clashes {
        o.push_str(&format!("{}\n", clash_line(cal, c, lang)));
    }
    let labelled = |o: &mut String, lines: Vec<(&str, String)>| {
        for (k, v) in lines {
            o.push_str(&format!("   {k}: {v}\n"));
        }
    };
    if s.visits.is_empty() {
        o.push_str(lang.pick(
            "\n（当天没有上门安排）\n",
            "\n(no site visits planned that day)\n",
        ));
    }
    for (i, v) in s.visits.iter().enumerate() {
        o.push_str(&format!("\n{}. {}\n", i + 1, stop_title(cal, v, lang)));
        labelled(&mut o, stop_lines(cal, v, lang));
    }
    if !s.bench.is_empty() {
        o.push_str(&format!(
            "\n{}\n",
            lang.pick(
                "== 送修（站内维修台，不上门）==",
                "== Bench work (carry-in, at the station) =="
            )
        ));
        for (i, b) in s.bench.iter().enumerate() {
            o.push_str(&format!("\n{}. {}\n", i + 1, bench_title(cal, b, lang)));
            labelled(&mut o, bench_lines(cal, b, lang));
        }
    }
    o
}

fn visit_json(cal: &Calendar, v: &Visit) -> serde_json::Value {
    serde_json::json!({
        "engineer": v.engineer,
        "result": v.result.code(),
        "arrived": super::rfc3339(cal, v.arrived),
        "done": super::rfc3339(cal, v.done),
        "note": v.note,
    })
}

/// `engineer NAME --json`: the day as one object (the `collect` text in
/// the interface language; `slot` is `T31`–`T33` or `appt`).
pub fn json(cal: &Calendar, s: &DaySheet, lang: Lang) -> serde_json::Value {
    use serde_json::json;
    let common = |t: &Ticket| {
        json!({
            "ticket_no": t.ticket_no,
            "status": t.status.code(),
            "customer": t.customer.name,
            "phones": t.customer.phones,
            "fault": t.fault,
            "parts": t.progress.parts.iter().map(|p| json!({
                "part": p.part, "qty": p.qty, "delivered": p.arrived_at.is_some(),
            })).collect::<Vec<_>>(),
            "collect": collect_line(t, lang),
            "quote": t.progress.quote.as_ref().map(|q| q.amount),
        })
    };
    let visits: Vec<_> = s
        .visits
        .iter()
        .map(|v| {
            let mut o = common(&v.ticket);
            o["at"] = json!(super::rfc3339(cal, v.at));
            o["slot"] = json!(slot_label(v.slot, crate::domain::text::Lang::En));
            o["pending"] = json!(v.pending());
            o["address"] = json!(v.ticket.customer.address);
            o["district"] = json!(v.ticket.customer.district);
            o["done"] = v
                .done
                .as_ref()
                .map_or(serde_json::Value::Null, |d| visit_json(cal, d));
            o["previous"] = v
                .previous
                .as_ref()
                .map_or(serde_json::Value::Null, |d| visit_json(cal, d));
            o
        })
        .collect();
    let bench: Vec<_> = s
        .bench
        .iter()
        .map(|b| {
            let mut o = common(&b.ticket);
            o["collection"] = json!(b.ticket.promised_at().map(|t| super::rfc3339(cal, t)));
            o["repair"] = b.repair.as_ref().map_or(serde_json::Value::Null, |r| {
                json!({
                    "by": r.by,
                    "result": r.result.code(),
                    "done": super::rfc3339(cal, r.done),
                    "note": r.note,
                })
            });
            o
        })
        .collect();
    let clashes: Vec<_> = s
        .clashes
        .iter()
        .map(|c| {
            json!({
                "at": super::rfc3339(cal, c.at),
                "tickets": c.visits.iter().map(|(no, _)| no).collect::<Vec<_>>(),
                "districts": c.visits.iter().map(|(_, d)| d).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "engineer": s.name,
        "day": s.day.format("%Y-%m-%d").to_string(),
        "visits": visits,
        "bench": bench,
        "clashes": clashes,
    })
}
