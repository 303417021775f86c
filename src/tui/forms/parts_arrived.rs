//! Parts delivered (R8).

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;
use crate::present::sanitize::terminal_safe;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let open: Vec<String> = t
        .open_parts()
        .map(|p| terminal_safe(&format!("{}:{}×{}", p.order, p.part, p.qty)).into_owned())
        .collect();
    let first = t
        .open_parts()
        .next()
        .map(|p| p.order.clone())
        .unwrap_or_default();
    Form::new(
        FormKind::PartsArrived,
        title(l.pick("备件到货", "Parts arrived"), t),
        Some(t),
    )
    .field(Field::text("order", l.pick("订单号", "Order"), &first))
    .note(format!(
        "{} {}",
        l.pick("未到货：", "undelivered:"),
        if open.is_empty() {
            "—".to_string()
        } else {
            open.join("; ")
        }
    ))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::PartsArrived {
        order: f.get("order").to_string(),
    })
}
