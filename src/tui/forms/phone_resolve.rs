//! Solved on the phone: the special T31 (R4).

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{PhoneFix, Ticket};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::PhoneResolve,
        title(l.pick("电话解决", "Phone fix"), t),
        Some(t),
    )
    .field(Field::choice(
        "kind",
        l.pick("问题", "Problem"),
        enum_options(PhoneFix::ALL, PhoneFix::code, |v| v.name(l)),
        0,
    ))
    .note(l.pick(
        "写入特殊 T31 并关闭；电话解决的单永远不能撤单（R4）",
        "writes the special T31 and resolves; never cancellable afterwards (R4)",
    ))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::PhoneResolve {
        kind: PhoneFix::parse(f.get("kind")).unwrap_or(PhoneFix::Software),
    })
}
