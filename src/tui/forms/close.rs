//! Resolve with the customer's signature (R11, P5). Irreversible: confirmed.

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::{NotReturned, Ticket, Warranty};

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
    .field(Field::text(
        "not_returned",
        l.pick("未返还（编码=原因）", "Not returned (CODE=why)"),
        "",
    ))
    .field(Field::text("charge", l.pick("收费", "Charge"), ""))
    .note(l.pick(
        "旧件编码可写多个，用逗号分隔",
        "several returned parts: separate with commas",
    ))
    .confirmed();
    let todo = t.parts_to_account();
    if !todo.is_empty() {
        form = form.note(format!(
            "{}{}",
            l.pick("需说明是否返还（R11）：", "say whether returned (R11): "),
            crate::present::sanitize::terminal_safe(&todo.join(", "))
        ));
    }
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
        signed_by: f.get("signed_by").to_string(),
        returned_parts: f
            .get("returned")
            .split([',', '，', ';', '；'])
            .map(str::to_string)
            .collect(),
        not_returned: f
            .get("not_returned")
            .split([',', '，', ';', '；'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| match p.split_once(['=', '＝']) {
                Some((part, why)) => Ok(NotReturned {
                    part: part.to_string(),
                    reason: why.to_string(),
                }),
                None => Err(format!(
                    "'{}': {}",
                    p.trim(),
                    ctx.lang().pick(
                        "未返还请写成 编码=原因",
                        "write a part not returned as CODE=why"
                    )
                )),
            })
            .collect::<Result<_, _>>()?,
        charge: ctx.opt_amount(f, "charge")?,
    })
}
