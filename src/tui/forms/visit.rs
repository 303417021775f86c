//! Record an engineer's visit (R9, R10, R11).

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{Ticket, VisitResult};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::Visit,
        title(l.pick("上门结果", "Visit"), t),
        Some(t),
    )
    .field(Field::choice(
        "result",
        l.pick("结果", "Result"),
        enum_options(VisitResult::ALL, VisitResult::code, |v| v.name(l)),
        0,
    ))
    .field(Field::text("next", l.pick("下次时间", "Next time"), ""))
    .field(Field::text("note", l.pick("备注", "Note"), ""))
    .note(l.pick(
        "未修复时写下次时间（R10，写入下一个 T3）",
        "not fixed: give the next time (R10, writes the next T3)",
    ))
    .note(ctx.time_note())
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::Visit {
        result: VisitResult::parse(f.get("result")).unwrap_or(VisitResult::Fixed),
        next: ctx.opt_time(f, "next")?,
        note: f.get("note").trim().to_string(),
    })
}
