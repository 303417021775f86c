//! Print the work order (R7): the file is written and the print recorded
//! together; the form says where the file goes.

use super::{Form, FormCtx, FormKind, title};
use crate::domain::ticket::Ticket;
use crate::interchange::print::default_path;
use crate::present::sanitize::terminal_safe;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let path = default_path(&ctx.app.data_dir(), &t.ticket_no);
    Form::new(
        FormKind::Print,
        title(l.pick("打印维修单", "Print work order"), t),
        Some(t),
    )
    .note(format!(
        "{} {}",
        l.pick("维修单写入：", "the work order is written to:"),
        terminal_safe(&path.display().to_string())
    ))
    .note(l.pick(
        "并登记已打印（R7：派工前必须打印）",
        "and the print is recorded (R7: print before dispatch)",
    ))
}
