//! The call centre's follow-up call (R13).

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{FollowupResult, Ticket};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::Followup,
        title(l.pick("回访", "Follow-up"), t),
        Some(t),
    )
    .field(Field::choice(
        "result",
        l.pick("结果", "Result"),
        enum_options(FollowupResult::ALL, FollowupResult::code, |v| v.name(l)),
        0,
    ))
    .field(Field::choice(
        "reopen",
        l.pick("重新打开", "Reopen"),
        vec![
            ("no".into(), l.pick("否", "no").into()),
            ("yes".into(), l.pick("是（返修）", "yes (rework)").into()),
        ],
        0,
    ))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::Followup {
        result: FollowupResult::parse(f.get("result")).unwrap_or(FollowupResult::Satisfied),
        reopen: f.get("reopen") == "yes",
    })
}
