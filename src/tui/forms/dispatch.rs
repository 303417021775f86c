//! Dispatch an engineer (R7, R16, R17): the staff list with each engineer's
//! planned visits that day against their capacity.

use super::{Field, Form, FormCtx, FormKind, title};
use crate::domain::command::Command;
use crate::domain::ticket::Ticket;
use crate::present::sanitize::terminal_safe;

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let options: Vec<(String, String)> = ctx
        .staff
        .iter()
        .map(|s| {
            let full = if s.load >= s.capacity {
                l.pick(" 已满", " full")
            } else {
                ""
            };
            (
                s.name.clone(),
                format!(
                    "{}  {}/{}{full}",
                    terminal_safe(&s.name),
                    s.load,
                    s.capacity
                ),
            )
        })
        .collect();
    let idx = t
        .engineer
        .as_ref()
        .and_then(|e| options.iter().position(|o| &o.0 == e))
        .or_else(|| ctx.staff.iter().position(|s| s.load < s.capacity))
        .unwrap_or(0);
    let day = t
        .due_at()
        .map(|at| ctx.app.calendar.local(at).format("%m-%d").to_string())
        .unwrap_or_else(|| l.pick("今天", "today").to_string());
    let mut form = Form::new(
        FormKind::Dispatch,
        title(l.pick("派工", "Dispatch"), t),
        Some(t),
    )
    .field(Field::choice(
        "engineer",
        l.pick("工程师", "Engineer"),
        options,
        idx,
    ))
    .field(Field::text("site", l.pick("站点", "Site"), ""))
    .note(format!(
        "{} {day}",
        l.pick(
            "数字为当天已约上门 / 每日容量：",
            "numbers: visits planned / daily capacity on"
        )
    ));
    if t.printed_at.is_none() {
        form = form
            .field(Field::text(
                "override",
                l.pick("未打印原因", "Unprinted why"),
                "",
            ))
            .note(l.pick(
                "维修单尚未打印（R7）：先打印，或在系统故障时写明原因",
                "the work order is not printed (R7): print it, or during an outage give the reason",
            ));
    }
    if ctx.staff.is_empty() {
        form = form.note(l.pick(
            "人员名单为空：用 `repairdesk staff add` 添加",
            "no engineers: add them with `repairdesk staff add`",
        ));
    }
    form
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<Command, String> {
    let engineer = f.get("engineer").trim().to_string();
    if engineer.is_empty() {
        return Err(ctx
            .lang()
            .pick("没有可选的工程师", "there is no engineer to choose")
            .to_string());
    }
    // Blank site or override means none (`Command::normalized`).
    Ok(Command::Dispatch {
        engineer,
        site: Some(f.get("site").to_string()),
        override_reason: Some(f.get("override").to_string()),
    })
}
