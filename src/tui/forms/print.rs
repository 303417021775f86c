//! Record that the work order was printed (R7).

use super::{Form, FormCtx, FormKind, title};
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    Form::new(FormKind::Print, title(l.pick("打印维修单", "Print work order"), t), Some(t)).note(l.pick(
        "登记已打印（R7：派工前必须打印）；打印文件用 `repairdesk ticket print` 生成",
        "records the print (R7: print before dispatch); the file itself comes from `repairdesk ticket print`",
    ))
}
