//! Resolve with the customer's signature (R11, P5). Irreversible: confirmed.

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::{Ticket, Warranty};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let mut form = Form::new(
        FormKind::Close,
        title(l.pick("签字关闭", "Close"), t),
        Some(t),
    )
    .field(Field::text(
        "signed_by",
        l.pick("签字人", "Signed by"),
        &t.customer.name,
    ))
    .field(Field::text(
        "returned",
        l.pick("旧件编码", "Returned parts"),
        "",
    ))
    .field(Field::text("charge", l.pick("收费", "Charge"), ""))
    .note(l.pick(
        "旧件编码可写多个，用逗号分隔",
        "several returned parts: separate with commas",
    ))
    .confirmed();
    if t.product.warranty == Warranty::Out {
        form = form.note(l.pick(
            "保外：需填写收费金额（P5）",
            "out of warranty: the charge is required (P5)",
        ));
    }
    form
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::Close {
        signed_by: f.get("signed_by").trim().to_string(),
        returned_parts: f
            .get("returned")
            .split([',', '，', ';', '；'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        charge: ctx.opt_amount(f, "charge")?,
    })
}
