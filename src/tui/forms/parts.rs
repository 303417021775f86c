//! Order spare parts (R6).

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::OrderParts,
        title(l.pick("申领备件", "Order parts"), t),
        Some(t),
    )
    .field(Field::text("order", l.pick("订单号", "Order"), ""))
    .field(Field::text("part", l.pick("备件编码", "Part code"), ""))
    .field(Field::text("qty", l.pick("数量", "Quantity"), "1"))
    .field(Field::text("eta", l.pick("预计到货", "Expected"), ""))
    .note(ctx.time_note())
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    let qty_text = f.get("qty").trim();
    let qty = if qty_text.is_empty() {
        1
    } else {
        qty_text.parse::<u32>().map_err(|_| {
            format!(
                "{} '{qty_text}': {}",
                ctx.lang().pick("数量", "Quantity"),
                ctx.lang().pick("应为正整数", "must be a whole number")
            )
        })?
    };
    Ok(Command::OrderParts {
        order: f.get("order").to_string(),
        part: f.get("part").to_string(),
        qty,
        eta: ctx.opt_time(f, "eta")?,
    })
}
