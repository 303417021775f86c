//! The customer approved a quote for an out-of-warranty repair (P5).

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(FormKind::Quote, title(l.pick("报价", "Quote"), t), Some(t)).field(Field::text(
        "amount",
        l.pick("金额", "Amount"),
        "",
    ))
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    let amount = ctx
        .opt_amount(f, "amount")?
        .ok_or_else(|| ctx.lang().pick("请填写金额", "give the amount").to_string())?;
    Ok(Command::Quote { amount })
}
