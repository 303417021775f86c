//! The region's decision on a cancellation request (R15).

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::DecideCancel,
        title(l.pick("大区决定", "Region's decision"), t),
        Some(t),
    )
    .field(Field::choice_unset(
        "decision",
        l.pick("决定", "Decision"),
        vec![
            ("approve".into(), l.pick("批准撤单", "approve").into()),
            ("reject".into(), l.pick("驳回", "reject").into()),
        ],
    ))
    // The region deciding at its own desk is who decided (the rules record
    // it so whatever is typed): its name is already there.
    .field(Field::text(
        "by",
        l.pick("决定人", "Decided by"),
        if ctx.region { &ctx.app.actor } else { "" },
    ))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::DecideCancel {
        approve: f.get("decision") == "approve",
        by: f.get("by").to_string(),
    })
}
