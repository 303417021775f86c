//! Log a contact attempt (R1–R3).

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{ContactResult, Ticket};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let phones =
        crate::present::sanitize::terminal_safe(&t.customer.phones.join(" / ")).into_owned();
    Form::new(
        FormKind::Contact,
        title(l.pick("联系用户", "Contact"), t),
        Some(t),
    )
    .field(Field::choice_unset(
        "result",
        l.pick("结果", "Result"),
        enum_options(ContactResult::ALL, ContactResult::code, |v| v.name(l)),
    ))
    .field(Field::text("note", l.pick("备注", "Note"), ""))
    .note(format!("{} {phones}", l.pick("电话：", "Phone:")))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::Contact {
        result: ContactResult::parse(f.get("result")).unwrap_or(ContactResult::Reached),
        note: f.get("note").to_string(),
    })
}
