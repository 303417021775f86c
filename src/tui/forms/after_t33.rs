//! The promise form once T31–T33 are used (R12): never a "T34", but the
//! escalation to the region or an appointment agreed afterwards.

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let escalated = !t.progress.escalations.is_empty();
    let options = vec![
        (
            "appoint".to_string(),
            l.pick("记录约定时间", "record an appointment").to_string(),
        ),
        (
            "escalate".to_string(),
            l.pick("上报大区", "escalate to the region").to_string(),
        ),
    ];
    // Not yet escalated: that comes first.
    let idx = if escalated { 0 } else { 1 };
    Form::new(
        FormKind::AfterT33,
        title(l.pick("T33 已用完", "T33 used"), t),
        Some(t),
    )
    .field(Field::choice("what", l.pick("操作", "Action"), options, idx))
    .field(Field::text(
        "at",
        l.pick("约定时间", "Time"),
        "",
    ))
    .field(Field::text("note", l.pick("说明", "Note"), ""))
    .note(l.pick(
        "T3 最多三次（R12）：上报大区，之后约定的时间记为约定，不回写为 T3",
        "at most three T3s (R12): escalate to the region; times agreed afterwards are appointments, not written back as T3",
    ))
    .note(ctx.time_note())
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    let note = f.get("note").to_string();
    if f.get("what") == "escalate" {
        return Ok(Command::Escalate { note });
    }
    Ok(Command::Appoint {
        at: ctx.time(f, "at")?,
        note,
    })
}
