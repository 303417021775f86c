//! How tickets, times and events are shown: shared by the command line, the
//! dashboard and the files, so they say the same thing the same way.

pub mod collate;
pub mod engineer_day;
pub mod error;
pub mod sanitize;
pub mod ticket;
pub mod width;

use serde_json::{Value, json};

use crate::domain::calendar::Calendar;
use crate::domain::event::{Change, Event};
use crate::domain::text::Lang;
use crate::domain::ticket::*;

/// `YYYY-MM-DD HH:MM` in station time.
pub fn fmt_minutes(cal: &Calendar, t: Time) -> String {
    cal.local(t).format("%Y-%m-%d %H:%M").to_string()
}

/// `YYYY-MM-DD HH:MM:SS` in station time (the write-back file's form).
pub fn fmt_seconds(cal: &Calendar, t: Time) -> String {
    cal.local(t).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// RFC 3339 with the station's offset, for JSON.
pub fn rfc3339(cal: &Calendar, t: Time) -> String {
    cal.local(t).to_rfc3339()
}

/// A rate as a percentage with one decimal (`87.5%`), `—` when nothing was counted.
pub fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |x| format!("{:.1}%", x * 100.0))
}

/// Hours with one decimal (`73.5 h`), `—` when there is nothing to measure.
pub fn hours(h: Option<f64>) -> String {
    h.map_or_else(|| "—".to_string(), |h| format!("{h:.1} h"))
}

fn opt_time(cal: &Calendar, t: Option<Time>) -> Value {
    t.map_or(Value::Null, |t| Value::String(rfc3339(cal, t)))
}

/// The `ticket show --json` object of docs/interface.md. `full` adds the nested arrays.
pub fn ticket_json(cal: &Calendar, t: &Ticket, full: bool) -> Value {
    let p = &t.progress;
    let t3: Vec<Value> = p
        .promises
        .iter()
        .map(|pr| {
            json!({
                "seq": pr.seq,
                "kind": pr.kind.code(),
                "at": opt_time(cal, pr.at),
                "type": pr.ptype.code(),
                "reason": pr.reason,
                "written_at": rfc3339(cal, pr.written_at),
            })
        })
        .collect();
    let mut v = json!({
        "ticket_no": t.ticket_no,
        "source": t.source.code(),
        "status": t.status.code(),
        "service_type": t.service_type.code(),
        "priority": t.priority.code(),
        "special": t.special,
        "urge": t.urge,
        "phone_invalid": t.phone_invalid,
        "out_of_coverage": t.out_of_coverage,
        "customer": {
            "name": t.customer.name,
            "phones": t.customer.phones,
            "address": t.customer.address,
            "district": t.customer.district,
        },
        "product": {
            "line": t.product.line,
            "model": t.product.model,
            "serial": t.product.serial,
            "warranty": t.product.warranty.code(),
        },
        "fault": t.fault,
        "fault_class": p.fault_class.map(FaultClass::code),
        "note": t.note,
        "t1": rfc3339(cal, t.t1),
        "t2": opt_time(cal, t.t2),
        "t3": t3,
        "t4": opt_time(cal, t.t4),
        "engineer": t.engineer,
        "site": t.site,
        "printed_at": opt_time(cal, t.printed_at),
        "signed_by": p.signed_by,
        "cancel": p.cancel.as_ref().map(|c| json!({
            "reason": c.reason.code(),
            "note": c.note,
            "requested_at": rfc3339(cal, c.requested_at),
            "decided_at": opt_time(cal, c.decided_at),
            "decided_by": c.decided_by,
            "approved": c.approved,
        })),
        "followup": p.followup.as_ref().map(|f| json!({
            "at": rfc3339(cal, f.at),
            "result": f.result.code(),
        })),
        "region_notified_at": opt_time(cal, p.region_notified_at),
        "commission": p.commission,
        "quote": p.quote.as_ref().map(|q| q.amount),
        "dispatch_override": p.dispatch_override,
        "special_case": p.special_case.as_ref().map(|f| json!({
            "at": rfc3339(cal, f.at),
            "note": f.note,
        })),
        "charge": p.charge,
        "returned_parts": p.returned_parts,
        "not_returned_parts": p.not_returned_parts.iter()
            .map(|n| json!({"part": n.part, "reason": n.reason})).collect::<Vec<_>>(),
        "version": t.version,
        "updated_at": rfc3339(cal, t.updated_at),
    });
    if full && let Some(obj) = v.as_object_mut() {
        obj.insert(
            "escalations".into(),
            p.escalations
                .iter()
                .map(|e| json!({"at": rfc3339(cal, e.at), "note": e.note}))
                .collect(),
        );
        obj.insert(
            "appointments".into(),
            p.appointments
                .iter()
                .map(|a| {
                    json!({"at": rfc3339(cal, a.at), "note": a.note,
                           "written_at": rfc3339(cal, a.written_at)})
                })
                .collect(),
        );
        obj.insert(
            "parts".into(),
            p.parts
                .iter()
                .map(|o| {
                    json!({
                        "order": o.order, "part": o.part, "qty": o.qty,
                        "eta": opt_time(cal, o.eta), "ordered_at": rfc3339(cal, o.ordered_at),
                        "arrived_at": opt_time(cal, o.arrived_at),
                    })
                })
                .collect(),
        );
        obj.insert(
            "contacts".into(),
            p.contacts
                .iter()
                .map(|c| json!({"at": rfc3339(cal, c.at), "result": c.result.code(), "note": c.note}))
                .collect(),
        );
        obj.insert(
            "visits".into(),
            p.visits
                .iter()
                .map(|vi| {
                    json!({"at": rfc3339(cal, vi.at), "engineer": vi.engineer,
                           "result": vi.result.code(), "note": vi.note,
                           "arrived": rfc3339(cal, vi.arrived), "done": rfc3339(cal, vi.done)})
                })
                .collect(),
        );
        obj.insert(
            "repairs".into(),
            p.repairs
                .iter()
                .map(|r| {
                    json!({"at": rfc3339(cal, r.at), "by": r.by, "result": r.result.code(),
                           "note": r.note, "done": rfc3339(cal, r.done)})
                })
                .collect(),
        );
    }
    v
}

pub fn event_json(cal: &Calendar, e: &Event) -> Value {
    json!({
        "at": rfc3339(cal, e.at),
        "recorded_at": rfc3339(cal, e.recorded_at),
        "actor": e.actor,
        "kind": e.change.kind(),
        "from": e.from.map(Status::code),
        "to": e.to.code(),
        "change": e.change,
    })
}

/// `!SUX` markers: emergency (P4), special customer (R14), urge order,
/// invalid phone (R3); a space where a marker does not apply.
pub fn markers(t: &Ticket) -> String {
    [
        (t.priority == Priority::Emergency, '!'),
        (t.special, 'S'),
        (t.urge, 'U'),
        (t.phone_invalid, 'X'),
    ]
    .iter()
    .map(|&(on, c)| if on { c } else { ' ' })
    .collect()
}

/// `T31`, `T32`, `T33`.
pub fn t3_label(seq: u8) -> String {
    format!("T3{seq}")
}

/// `到场 2026-11-28 13:50 完成 14:20` (the date once when both fall on one day).
pub fn visit_times(cal: &Calendar, v: &Visit, lang: Lang) -> String {
    let arrived = fmt_minutes(cal, v.arrived);
    let done = fmt_minutes(cal, v.done);
    let done = match (arrived.split_once(' '), done.split_once(' ')) {
        (Some((d1, _)), Some((d2, hm))) if d1 == d2 => hm.to_string(),
        _ => done,
    };
    format!(
        "{} {arrived} {} {done}",
        lang.pick("到场", "arrived"),
        lang.pick("完成", "done")
    )
}

/// One line about a promise: `T32 2026-11-28 10:00 用户原因：…`.
pub fn promise_line(cal: &Calendar, p: &Promise, lang: Lang) -> String {
    let when = match p.kind {
        PromiseKind::Time => p.at.map(|t| fmt_minutes(cal, t)).unwrap_or_default(),
        k => format!("[{}]", k.name(lang)),
    };
    let mut s = format!("{} {} {}", t3_label(p.seq), when, p.ptype.name(lang));
    if !p.reason.is_empty() {
        s.push_str(lang.pick("：", ": "));
        s.push_str(&p.reason);
    }
    s
}

/// A corrected value as the user reads it: warranty and fault class by name.
fn correction_value(field: Field, v: &str, lang: Lang) -> String {
    match field {
        Field::Warranty => Warranty::parse(v).map_or(v, |w| w.name(lang)).to_string(),
        Field::FaultClass => FaultClass::parse(v).map_or(v, |c| c.name(lang)).to_string(),
        Field::Phones => v.replace('/', " / "),
        _ => v.to_string(),
    }
}

/// One line about an appointment after T33 (R12): `约定 2026-12-01 10:00：…`.
pub fn appointment_line(cal: &Calendar, a: &Appointment, lang: Lang) -> String {
    let mut s = format!(
        "{} {}",
        lang.pick("约定", "appointment"),
        fmt_minutes(cal, a.at)
    );
    if !a.note.is_empty() {
        s.push_str(lang.pick("：", ": "));
        s.push_str(&a.note);
    }
    s
}

/// `(recorded 2026-11-30 12:01)` when an event was written at another moment
/// than its time (R20: `--now`, or entered after the fact); empty otherwise.
/// Under a minute apart counts as the same moment.
pub fn recorded_note(cal: &Calendar, e: &Event, lang: Lang) -> String {
    if (e.recorded_at - e.at).num_seconds().abs() < 60 {
        return String::new();
    }
    format!(
        " ({} {})",
        lang.pick("录入于", "recorded"),
        fmt_minutes(cal, e.recorded_at)
    )
}

/// One line saying what an event did, in the user's language.
pub fn describe(cal: &Calendar, e: &Event, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let f = |t: Time| fmt_minutes(cal, t);
    match &e.change {
        Change::Received { ticket, .. } => {
            if zh {
                format!("接单（{}），报修时间 {}", ticket.source.zh(), f(ticket.t1))
            } else {
                format!("received ({}), T1 {}", ticket.source.en(), f(ticket.t1))
            }
        }
        Change::Refreshed { .. } => lang
            .pick("更新用户与产品信息", "customer and product refreshed")
            .into(),
        Change::Corrected { corrections, .. } => {
            let each: Vec<String> = corrections
                .iter()
                .map(|c| {
                    let show = |v: &str| {
                        if v.is_empty() {
                            "—".to_string()
                        } else {
                            correction_value(c.field, v, lang)
                        }
                    };
                    format!("{} {} → {}", c.field.name(lang), show(&c.old), show(&c.new))
                })
                .collect();
            format!(
                "{}{}",
                lang.pick("修改：", "corrected: "),
                each.join(lang.pick("；", "; "))
            )
        }
        Change::Escalated { note } => {
            format!(
                "{} — {note}",
                lang.pick("上报大区", "escalated to the region")
            )
        }
        Change::Appointed { appointment } => appointment_line(cal, appointment, lang),
        Change::SpecialCaseSubmitted { note } => format!(
            "{} — {note}",
            lang.pick("提交特殊情况说明表", "special-case form submitted")
        ),
        Change::ContactLogged { result, note } => {
            let mut s = format!(
                "{} {}",
                lang.pick("联系用户：", "contact:"),
                result.name(lang)
            );
            if !note.is_empty() {
                s.push_str(&format!(" — {note}"));
            }
            s
        }
        Change::MarkedUnreachable { promise }
        | Change::Promised { promise }
        | Change::PhoneResolved { promise } => promise_line(cal, promise, lang),
        Change::PartsOrdered { order } => {
            let eta = order.eta.map(f).unwrap_or_else(|| "?".into());
            if zh {
                format!(
                    "申领备件 {}:{}×{}，预计到货 {eta}",
                    order.order, order.part, order.qty
                )
            } else {
                format!(
                    "parts ordered {}:{}×{}, expected {eta}",
                    order.order, order.part, order.qty
                )
            }
        }
        Change::PartsArrived { order } => {
            format!("{} {order}", lang.pick("备件到货", "parts arrived"))
        }
        Change::Printed => lang.pick("打印维修单", "work order printed").into(),
        Change::Dispatched {
            engineer,
            site,
            override_reason,
        } => {
            let mut s = format!("{} {engineer}", lang.pick("派工", "dispatched"));
            if let Some(site) = site {
                s.push_str(&format!(" @{site}"));
            }
            if let Some(r) = override_reason {
                s.push_str(&format!(
                    " ({} {r})",
                    lang.pick("未打印，原因：", "unprinted, override:")
                ));
            }
            s
        }
        Change::Visited {
            visit,
            next,
            appointment,
        } => {
            let mut s = format!(
                "{} {}：{} ({})",
                lang.pick("上门", "visit"),
                visit.engineer,
                visit.result.name(lang),
                visit_times(cal, visit, lang)
            );
            if !visit.note.is_empty() {
                s.push_str(&format!(" — {}", visit.note));
            }
            if let Some(p) = next {
                s.push_str(&format!("; {}", promise_line(cal, p, lang)));
            }
            if let Some(a) = appointment {
                s.push_str(&format!("; {}", appointment_line(cal, a, lang)));
            }
            s
        }
        Change::Repaired { repair } => {
            let mut s = format!(
                "{} {}：{} ({} {})",
                lang.pick("送修维修", "bench repair"),
                repair.by,
                repair.result.name(lang),
                lang.pick("完成", "done"),
                f(repair.done)
            );
            if !repair.note.is_empty() {
                s.push_str(&format!(" — {}", repair.note));
            }
            s
        }
        Change::Closed {
            signed_by,
            charge,
            t4,
            ..
        } => {
            let mut s = if zh {
                format!("关闭，签字人 {signed_by}，T4 {}", f(*t4))
            } else {
                format!("closed, signed by {signed_by}, T4 {}", f(*t4))
            };
            if let Some(c) = charge {
                s.push_str(&format!(", {} {c:.2}", lang.pick("收费", "charged")));
            }
            s
        }
        Change::CancelRequested { reason, note } => {
            let mut s = format!(
                "{} {}",
                lang.pick("申请撤单：", "cancellation requested:"),
                reason.name(lang)
            );
            if !note.is_empty() {
                s.push_str(&format!(" — {note}"));
            }
            s
        }
        Change::CancelDecided { approved, by } => match (approved, zh) {
            (true, true) => format!("大区批准撤单（{by}）"),
            (false, true) => format!("大区驳回撤单（{by}）"),
            (true, false) => format!("region approved cancellation ({by})"),
            (false, false) => format!("region rejected cancellation ({by})"),
        },
        Change::RegionNotified { commission } => {
            let mut s = lang.pick("已通知大区", "region notified").to_string();
            if let Some(c) = commission {
                s.push_str(&format!(
                    ", {} {c:.2}",
                    lang.pick("委托单金额", "commission")
                ));
            }
            s
        }
        Change::FollowedUp { result, reopen } => {
            let mut s = format!(
                "{} {}",
                lang.pick("回访：", "follow-up:"),
                result.name(lang)
            );
            if *reopen {
                s.push_str(lang.pick("，重新打开返修", ", reopened for rework"));
            }
            s
        }
        Change::Quoted { amount } => format!(
            "{} {amount:.2}",
            lang.pick("用户确认报价", "quote approved")
        ),
    }
}
