//! Record an engineer's visit with the arrival and completion times the
//! engineer reports (Visits, R9, R10, R11).

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{Ticket, VisitResult};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let now = ctx.app.fmt(ctx.now());
    Form::new(
        FormKind::Visit,
        title(l.pick("上门结果", "Visit"), t),
        Some(t),
    )
    .field(Field::choice_unset(
        "result",
        l.pick("结果", "Result"),
        enum_options(VisitResult::ALL, VisitResult::code, |v| v.name(l)),
    ))
    .field(Field::text("arrived", l.pick("到场时间", "Arrived"), &now))
    .field(Field::text("done", l.pick("完成时间", "Done"), &now))
    .field(Field::text("next", l.pick("下次时间", "Next time"), ""))
    .field(Field::text("note", l.pick("备注", "Note"), ""))
    .note(l.pick(
        "到场、完成时间按工程师所报填写，可补录；完成时间即修复时的 T4",
        "arrival and completion as the engineer reports them; may be entered later; a fixing visit's completion is T4",
    ))
    .note(l.pick(
        "未修复或用户不在时写下次时间（写入下一个 T3）",
        "not fixed or not at home: give the next time (writes the next T3)",
    ))
    .note(ctx.time_note())
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::Visit {
        result: VisitResult::parse(f.get("result")).unwrap_or(VisitResult::Fixed),
        arrived: ctx.opt_time(f, "arrived")?,
        done: ctx.opt_time(f, "done")?,
        next: ctx.opt_time(f, "next")?,
        note: f.get("note").to_string(),
    })
}
