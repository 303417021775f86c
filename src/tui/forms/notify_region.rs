//! The region was told of a special customer (R14): the station records
//! the notice, with the region's commission order amount if it issued one;
//! the region's desk records its commission order (the same command; the
//! rules refuse the region a notice without an amount: telling the region
//! is the station's).

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    // The region records its commission order; the station, that it told
    // the region.
    let (heading, note) = if ctx.region {
        (
            l.pick("大区委托单", "Commission order"),
            l.pick(
                "大区为特殊用户开具委托单，登记金额（R14）",
                "the region's commission order for a special customer: its amount (R14)",
            ),
        )
    } else {
        (
            l.pick("通知大区", "Region notified"),
            l.pick(
                "特殊用户须在半个工作日内报大区（R14）",
                "special customers are reported within half a working day (R14)",
            ),
        )
    };
    Form::new(FormKind::NotifyRegion, title(heading, t), Some(t))
        .field(Field::text(
            "commission",
            l.pick("委托单金额", "Commission"),
            "",
        ))
        .note(note)
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    Ok(Command::NotifyRegion {
        commission: ctx.opt_amount(f, "commission")?,
    })
}
