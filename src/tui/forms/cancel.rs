//! Ask the region to cancel (R15). Irreversible for the station: confirmed.

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{CancelReason, Ticket};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let reason = if t.phone_invalid {
        CancelReason::WrongNumber
    } else if t.is_unreachable() {
        CancelReason::Unreachable
    } else if t.progress.refused_at.is_some() {
        CancelReason::Refused
    } else {
        CancelReason::Duplicate
    };
    let idx = CancelReason::ALL
        .iter()
        .position(|r| *r == reason)
        .unwrap_or(0);
    Form::new(
        FormKind::RequestCancel,
        title(l.pick("申请撤单", "Request cancellation"), t),
        Some(t),
    )
    .field(Field::choice(
        "reason",
        l.pick("原因", "Reason"),
        enum_options(CancelReason::ALL, CancelReason::code, |v| v.name(l)),
        idx,
    ))
    .field(Field::text("note", l.pick("说明", "Note"), ""))
    .note(l.pick(
        "提交后等待大区审批，期间不能处理（R15）",
        "the ticket then waits for the region's decision (R15)",
    ))
    .confirmed()
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::RequestCancel {
        reason: CancelReason::parse(f.get("reason")).unwrap_or(CancelReason::Other),
        note: f.get("note").to_string(),
    })
}
