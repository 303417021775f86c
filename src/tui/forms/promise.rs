//! Write the next T3 (R5, R8, R10, R12). The type defaults to what the rules
//! would choose; when parts are late the R8 reason is filled in.

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::rules::parts_late_reason;
use crate::domain::ticket::{ContactResult, PromiseType, Ticket};

/// The reason proposed for the promise after an unreachable customer is
/// reached (R2): type `customer`.
pub const REACHED_AGAIN: &str = "用户此前无法联系，现已联系上";
use crate::present::t3_label;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let seq = t.promises().len() + 1;
    let late = t
        .open_parts()
        .find(|p| p.eta.is_some_and(|eta| eta < ctx.now()));
    let ptype = if seq == 1 {
        PromiseType::Within
    } else if late.is_some() {
        PromiseType::Parts
    } else {
        PromiseType::Customer
    };
    // R2: the customer is reached at last after the unreachable T31; the
    // delay was theirs, and the form says so.
    let reached_again = t.is_unreachable()
        && t.progress.unreachable_at.is_some_and(|marked| {
            t.progress
                .contacts
                .iter()
                .any(|c| c.at >= marked && c.result == ContactResult::Reached)
        });
    let reason = match late {
        Some(o) => parts_late_reason(&o.order, &o.part),
        None if reached_again => REACHED_AGAIN.to_string(),
        None => String::new(),
    };
    let idx = PromiseType::ALL
        .iter()
        .position(|p| *p == ptype)
        .unwrap_or(0);
    let mut form = Form::new(
        FormKind::Promise,
        title(
            &format!(
                "{} {}",
                l.pick("承诺", "Promise"),
                t3_label(seq.min(9) as u8)
            ),
            t,
        ),
        Some(t),
    )
    .field(Field::text("at", l.pick("时间", "Time"), ""))
    .field(Field::choice(
        "type",
        l.pick("类型", "Type"),
        enum_options(PromiseType::ALL, PromiseType::code, |v| v.name(l)),
        idx,
    ))
    .field(Field::text("reason", l.pick("原因", "Reason"), &reason))
    .note(ctx.time_note());
    if let Some(p) = t.last_promise() {
        form = form.note(format!(
            "{} {}",
            l.pick("上次：", "last:"),
            crate::present::sanitize::terminal_safe(&crate::present::promise_line(
                &ctx.app.calendar,
                p,
                l
            ))
        ));
    }
    if reached_again && late.is_none() {
        form = form.note(l.pick(
            "用户已联系上：类型为用户原因，已填入原因",
            "the customer is reached at last: type customer, with the reason filled in",
        ));
    }
    if late.is_some() {
        form = form.note(l.pick(
            "备件未按时到货：已填入 R8 原因",
            "parts are late: the R8 reason is filled in",
        ));
    }
    form
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    let reason = f.get("reason").trim();
    Ok(Command::Promise {
        at: ctx.time(f, "at")?,
        ptype: PromiseType::parse(f.get("type")),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}
