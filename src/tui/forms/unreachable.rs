//! Mark the customer unreachable: the special T31 (R2).

use super::{Form, FormCtx, FormKind, title};
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(
        FormKind::Unreachable,
        title(l.pick("无法联系", "Unreachable"), t),
        Some(t),
    )
    .note(l.pick(
        "写入特殊 T31「无法联系」（R2）；之后每天继续联系",
        "writes the special T31 'unreachable' (R2); keep calling every day",
    ))
}
