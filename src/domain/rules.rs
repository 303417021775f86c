//! `decide`: for a ticket, a command and a context, the events to record or
//! a refusal naming the rule of docs/process.md. Pure: no I/O, no clock, no SQL.

use chrono::{Datelike, Duration};

use super::calendar::Calendar;
use super::command::{Command, NewTicket};
use super::event::{self, Change, Event};
use super::phone::{is_valid_phone, split_phones};
use super::rule::{Missing, Refusal, Rule, Warning};
use super::ticket::*;
use crate::domain::settings::Settings;

/// Who is acting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Coordinator,
    /// An engineer of the station, by name: records visits on own tickets only.
    Engineer(String),
    /// The region's interface person (大区接口人): decides cancellations
    /// (R15) on any of its stations' tickets, and nothing else.
    Region,
}

/// An engineer and their load on the day in question (R16, R17).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffLoad {
    pub name: String,
    pub capacity: u32,
    pub site: Option<String>,
    /// Visits already planned that day, not counting this ticket.
    pub load: u32,
}

/// Everything a decision may depend on besides the ticket and the command.
pub struct Context<'a> {
    pub now: Time,
    pub actor: &'a str,
    pub role: Role,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    /// For `Dispatch`: the named engineer, if on the staff list.
    pub staff: Option<StaffLoad>,
}

impl Context<'_> {
    fn fmt(&self, t: Time) -> String {
        self.calendar.local(t).format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The events to record, and what the coordinator should be warned of.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
}

type Decided = Result<Decision, Refusal>;

/// R8: the reason text for a promise moved because parts were late.
pub fn parts_late_reason(order: &str, part: &str) -> String {
    format!("由于{order}订单{part}编码的备件未按时配送")
}

/// Does the district lie outside the station's coverage (R17)?
pub fn outside_coverage(settings: &Settings, district: &str) -> bool {
    let cov = &settings.station.coverage;
    !cov.is_empty() && !district.trim().is_empty() && !cov.iter().any(|c| c == district.trim())
}

/// A new ticket: a dispatch row or a station ticket (R3, R7, R17, R18).
pub fn decide_new(n: NewTicket, ctx: &Context) -> Decided {
    // Input is read once, here, whoever sent it.
    let n = n.normalized();
    if ctx.role != Role::Coordinator {
        return Err(Refusal::new(
            Rule::Role,
            "只有协调员可以新建维修单",
            "only a coordinator creates tickets",
        ));
    }
    sane(ctx, ctx.now)?;
    sane(ctx, n.t1)?;
    if n.ticket_no.trim().is_empty() {
        return Err(Refusal::new(
            Rule::R18,
            "缺少维修单号",
            "the ticket number is missing",
        ));
    }
    if n.customer.name.trim().is_empty() || n.customer.phones.is_empty() {
        return Err(Refusal::new(
            Rule::R1,
            "需要用户姓名和联系电话，才能在 4 小时内联系用户",
            "a customer name and phone are needed to contact the customer (R1)",
        ));
    }
    if n.fault.trim().is_empty() {
        return Err(Refusal::new(
            Rule::R1,
            "需要故障描述",
            "a fault description is needed",
        ));
    }
    if n.service_type == ServiceType::Onsite && n.customer.address.trim().is_empty() {
        return Err(Refusal::new(
            Rule::R5,
            "上门服务需要地址",
            "an onsite ticket needs the customer's address",
        ));
    }
    if n.source == Source::Station && n.t1 != ctx.now {
        return Err(Refusal::new(
            Rule::R7,
            "站端维修单的报修时间就是创建时间，不能倒填（R18）",
            "a station ticket's T1 is its creation time and cannot be back-dated (R18)",
        ));
    }
    let phone_invalid = !n.customer.phones.iter().any(|p| is_valid_phone(p));
    // R17: a carry-in machine comes to the station; coverage is about visits.
    let out_of_coverage = n.service_type == ServiceType::Onsite
        && outside_coverage(ctx.settings, &n.customer.district);
    let mut warnings = Vec::new();
    if phone_invalid {
        warnings.push(Warning::new(
            Rule::R3,
            "电话号码不可能存在，已标记；核实后向大区申请撤单",
            "the phone number cannot exist and is flagged; verify it, then ask the region to cancel",
        ));
    }
    if out_of_coverage {
        warnings.push(Warning::new(
            Rule::R17,
            format!("区县「{}」不在本站服务范围内", n.customer.district),
            format!(
                "district '{}' is outside the station's coverage",
                n.customer.district
            ),
        ));
    }
    let event = Event {
        at: ctx.now,
        recorded_at: ctx.now,
        actor: ctx.actor.to_string(),
        from: None,
        to: Status::Queued,
        change: Change::Received {
            ticket: Box::new(n),
            phone_invalid,
            out_of_coverage,
        },
    };
    Ok(Decision {
        events: vec![event],
        warnings,
    })
}

/// Decides a command on an existing ticket.
pub fn decide(t: &Ticket, cmd: &Command, ctx: &Context) -> Decided {
    // Input is read once, here, whoever sent it.
    let cmd = &cmd.normalized();
    // The region decides cancellation requests (R15) and issues commission
    // orders on special customers' tickets (R14); telling the region is the
    // station's.
    if ctx.role == Role::Region
        && !matches!(
            cmd,
            Command::DecideCancel { .. }
                | Command::NotifyRegion {
                    commission: Some(_)
                }
        )
    {
        return Err(Refusal::new(
            Rule::Role,
            "大区只对撤单申请作出决定、为特殊用户开具委托单",
            "the region decides cancellation requests and records commission orders, nothing else",
        ));
    }
    if let Role::Engineer(name) = &ctx.role {
        let own = t.engineer.as_deref() == Some(name.as_str());
        // A bench repair is the acting engineer's own, whoever had it before.
        let own_repair = matches!(cmd, Command::Repair { by, .. }
            if by.as_deref().is_none_or(|b| b.trim() == name));
        // P5: the engineer may record the quote the customer approved on site.
        let own_visit = matches!(cmd, Command::Visit { .. } | Command::Quote { .. }) && own;
        if !own_visit && !own_repair {
            return Err(Refusal::new(
                Rule::Role,
                "工程师只能为派给自己的维修单登记上门结果或报价",
                "an engineer can only record visits and quotes on tickets dispatched to them",
            ));
        }
    }
    in_order(t, ctx)?;
    let mut warnings = Vec::new();
    let change = match cmd {
        Command::Contact { result, note } => {
            not_closed(t)?;
            Change::ContactLogged {
                result: *result,
                note: note.to_string(),
            }
        }
        Command::MarkUnreachable => mark_unreachable(t, ctx)?,
        Command::Promise { at, ptype, reason } => {
            workable(t)?;
            sane(ctx, *at)?;
            let promise = next_promise(t, ctx, *at, *ptype, reason.as_deref())?;
            Change::Promised { promise }
        }
        Command::PhoneResolve { kind } => phone_resolve(t, ctx, *kind)?,
        Command::OrderParts {
            order,
            part,
            qty,
            eta,
        } => {
            workable(t)?;
            let (order, part) = (order.as_str(), part.as_str());
            if order.is_empty() || part.is_empty() {
                return Err(Refusal::new(
                    Rule::R6,
                    "备件订单需要订单号和备件编码",
                    "a parts order needs an order number and a part code",
                ));
            }
            if let Some(eta) = eta {
                sane(ctx, *eta)?;
            }
            if *qty == 0 {
                return Err(Refusal::new(
                    Rule::R6,
                    "数量至少为 1",
                    "the quantity must be at least 1",
                ));
            }
            if eta.is_none() {
                return Err(Refusal::new(
                    Rule::R6,
                    "备件订单需要预计到货时间，服务时间据此约定",
                    "a parts order needs its expected delivery: the service time is agreed from it",
                )
                .lacking(Missing::PartsEta));
            }
            if t.progress
                .parts
                .iter()
                .any(|p| p.order == order && p.part == part)
            {
                return Err(Refusal::new(
                    Rule::R6,
                    format!("订单 {order} 的备件 {part} 已经登记过"),
                    format!("part {part} of order {order} is already recorded"),
                ));
            }
            Change::PartsOrdered {
                order: PartsOrder {
                    order: order.to_string(),
                    part: part.to_string(),
                    qty: *qty,
                    eta: *eta,
                    ordered_at: ctx.now,
                    arrived_at: None,
                },
            }
        }
        Command::PartsArrived { order } => {
            not_closed(t)?;
            let order = order.as_str();
            if !t.open_parts().any(|p| p.order == order) {
                return Err(Refusal::new(
                    Rule::R8,
                    format!("没有待到货的订单 {order}"),
                    format!("there is no undelivered order {order}"),
                ));
            }
            Change::PartsArrived {
                order: order.to_string(),
            }
        }
        Command::Print => Change::Printed,
        Command::Dispatch {
            engineer,
            site,
            override_reason,
        } => dispatch(
            t,
            ctx,
            engineer,
            site.as_deref(),
            override_reason.as_deref(),
            &mut warnings,
        )?,
        Command::Visit {
            result,
            arrived,
            done,
            next,
            note,
        } => visit(t, ctx, *result, (*arrived, *done), *next, note)?,
        Command::Repair {
            result,
            by,
            done,
            note,
        } => bench_repair(t, ctx, *result, by.as_deref(), *done, note)?,
        Command::Close {
            signed_by,
            returned_parts,
            not_returned,
            charge,
        } => close(t, ctx, signed_by, (returned_parts, not_returned), *charge)?,
        Command::RequestCancel { reason, note } => request_cancel(t, ctx, *reason, note)?,
        Command::DecideCancel { approve, by } => {
            if t.status != Status::CancelRequested {
                return Err(Refusal::new(
                    Rule::R15,
                    "没有待大区审批的撤单申请",
                    "there is no cancellation request waiting for the region",
                ));
            }
            if by.is_empty() {
                return Err(Refusal::new(
                    Rule::R15,
                    "请写明作出决定的大区人员",
                    "name the region's person who decided",
                ));
            }
            Change::CancelDecided {
                approved: *approve,
                // The region deciding itself is who decided, whatever
                // name was typed.
                by: match ctx.role {
                    Role::Region => ctx.actor.to_string(),
                    _ => by.to_string(),
                },
            }
        }
        Command::NotifyRegion { commission } => {
            not_closed(t)?;
            if !t.special {
                return Err(Refusal::new(
                    Rule::R14,
                    "只有特殊用户的维修单需要通知大区",
                    "only a special customer's ticket is reported to the region",
                ));
            }
            if commission.is_some_and(|c| !c.is_finite() || c <= 0.0) {
                return Err(Refusal::new(
                    Rule::R14,
                    "委托单金额必须大于 0",
                    "the commission amount must be positive",
                ));
            }
            Change::RegionNotified {
                commission: *commission,
            }
        }
        Command::Followup { result, reopen } => followup(t, *result, *reopen)?,
        Command::Quote { amount } => {
            workable(t)?;
            if t.product.warranty != Warranty::Out {
                return Err(Refusal::new(
                    Rule::P5,
                    "保内维修不需要报价",
                    "an in-warranty repair needs no quote",
                ));
            }
            if !amount.is_finite() || *amount <= 0.0 {
                return Err(Refusal::new(
                    Rule::P5,
                    "报价金额必须大于 0",
                    "the quoted amount must be positive",
                ));
            }
            Change::Quoted { amount: *amount }
        }
        Command::Edit { fields } => correct(t, ctx, fields)?,
        Command::Escalate { note } => {
            workable(t)?;
            if t.promises().len() < 3 {
                return Err(Refusal::new(
                    Rule::R12,
                    format!(
                        "T3 只写了 {} 次，还可以写下一个承诺时间；用完 T33 后才上报大区",
                        t.promises().len()
                    ),
                    format!(
                        "only {} of the three T3 writes are used; write the next promise — escalation is for after T33",
                        t.promises().len()
                    ),
                ));
            }
            if note.is_empty() {
                return Err(Refusal::new(
                    Rule::R12,
                    "上报大区需要写明说明",
                    "an escalation needs a note",
                ));
            }
            Change::Escalated {
                note: note.to_string(),
            }
        }
        Command::Appoint { at, note } => {
            workable(t)?;
            Change::Appointed {
                appointment: appointment(t, ctx, *at, note)?,
            }
        }
        Command::SpecialCase { note } => {
            workable(t)?;
            if t.progress.refused_at.is_none() {
                return Err(Refusal::new(
                    Rule::R9,
                    "没有「用户拒绝」的上门记录，不需要特殊情况说明表",
                    "no visit records the customer refusing; there is no special case to report",
                ));
            }
            if note.is_empty() {
                return Err(Refusal::new(
                    Rule::R9,
                    "特殊情况说明表需要写明用户拒绝的内容和原因",
                    "the special-case form needs what was refused and why",
                ));
            }
            Change::SpecialCaseSubmitted {
                note: note.to_string(),
            }
        }
    };
    let to = next_status(t, &change, ctx.now);
    let event = Event {
        at: ctx.now,
        recorded_at: ctx.now,
        actor: ctx.actor.to_string(),
        from: Some(t.status),
        to,
        change,
    };
    Ok(Decision {
        events: vec![event],
        warnings,
    })
}

/// The first moment not absurd (R20).
const EARLIEST_YEAR: i32 = 2000;
/// The last year not absurd (R20).
const LATEST_YEAR: i32 = 2099;

/// R20: a moment before 2000 or after 2099 is a typing slip, not a date.
fn sane(ctx: &Context, at: Time) -> Result<(), Refusal> {
    let year = ctx.calendar.local(at).year();
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&year) {
        return Ok(());
    }
    Err(Refusal::new(
        Rule::R20,
        format!(
            "时间 {} 不合理：只接受 {EARLIEST_YEAR}–{LATEST_YEAR} 年",
            ctx.fmt(at)
        ),
        format!(
            "the moment {} is absurd: only the years {EARLIEST_YEAR}–{LATEST_YEAR} are accepted",
            ctx.fmt(at)
        ),
    ))
}

/// R20: nothing is recorded earlier than the ticket's T1 or its previous
/// event, nor at an absurd moment.
fn in_order(t: &Ticket, ctx: &Context) -> Result<(), Refusal> {
    sane(ctx, ctx.now)?;
    let (what_zh, what_en, floor) = match t.progress.last_event_at {
        Some(last) if last > t.t1 => ("上一条记录", "the ticket's previous event", last),
        _ => ("报修时间 T1", "the ticket's T1", t.t1),
    };
    if ctx.now < floor {
        return Err(Refusal::new(
            Rule::R20,
            format!(
                "{} 早于{what_zh}（{}）：记录不能倒退",
                ctx.fmt(ctx.now),
                ctx.fmt(floor)
            ),
            format!(
                "{} is earlier than {what_en} ({}); events are recorded in order",
                ctx.fmt(ctx.now),
                ctx.fmt(floor)
            ),
        ));
    }
    Ok(())
}

/// R19: a correction, one event with each field's old and new value. Fields
/// whose value does not change are left out; the fixed ones are refused.
fn correct(t: &Ticket, ctx: &Context, fields: &[(Field, String)]) -> Result<Change, Refusal> {
    let mut corrections: Vec<Correction> = Vec::new();
    for (field, value) in fields {
        let field = *field;
        if field.is_fixed() {
            return Err(Refusal::new(
                Rule::R19,
                format!(
                    "{}不能修改：维修单号、来源、T1 和各时间点永不修改",
                    field.zh()
                ),
                format!(
                    "the {} cannot be corrected: the ticket number, source, T1 and the time points are never edited",
                    field.en()
                ),
            ));
        }
        let bad = |zh: &str, en: &str| {
            Err(Refusal::new(
                Rule::R19,
                format!("{}：{zh}", field.zh()),
                format!("{}: {en}", field.en()),
            ))
        };
        let new = match field {
            Field::Phones => {
                let phones = split_phones(value);
                if phones.is_empty() {
                    return bad("至少需要一个联系电话", "at least one phone is needed");
                }
                phones.join("/")
            }
            Field::Customer if value.is_empty() => {
                return bad("用户姓名不能为空", "the customer's name cannot be empty");
            }
            Field::Address if value.is_empty() && t.service_type == ServiceType::Onsite => {
                return bad("上门服务需要地址", "an onsite ticket needs the address");
            }
            Field::Warranty => match Warranty::parse(value) {
                Some(w) => w.code().to_string(),
                None => return bad("只能是 in 或 out", "must be in or out"),
            },
            Field::FaultClass => match FaultClass::parse(value) {
                Some(c) => c.code().to_string(),
                None => {
                    return bad(
                        "只能是 hardware、software 或 other",
                        "must be hardware, software or other",
                    );
                }
            },
            _ => value.to_string(),
        };
        let old = current_value(t, field);
        corrections.retain(|c| c.field != field);
        if old != new {
            corrections.push(Correction { field, old, new });
        }
    }
    if corrections.is_empty() {
        return Err(Refusal::new(
            Rule::R19,
            "没有需要修改的内容：新值与维修单上的相同",
            "nothing to correct: the values are the ones already on the ticket",
        ));
    }
    let new_value = |f: Field| corrections.iter().find(|c| c.field == f).map(|c| &c.new);
    // R3: a corrected phone is judged afresh; a valid one clears the flag.
    let phone_invalid = match new_value(Field::Phones) {
        Some(phones) => !phones.split('/').any(is_valid_phone),
        None => t.phone_invalid,
    };
    let out_of_coverage = match new_value(Field::District) {
        // R17: coverage is about visits; a carry-in machine comes to the station.
        Some(d) => !t.is_carry_in() && outside_coverage(ctx.settings, d),
        None => t.out_of_coverage,
    };
    Ok(Change::Corrected {
        corrections,
        phone_invalid,
        out_of_coverage,
    })
}

/// The current value of a correctable field, as [`Correction`] writes it.
fn current_value(t: &Ticket, field: Field) -> String {
    match field {
        Field::Customer => t.customer.name.clone(),
        Field::Phones => t.customer.phones.join("/"),
        Field::Address => t.customer.address.clone(),
        Field::District => t.customer.district.clone(),
        Field::ProductLine => t.product.line.clone(),
        Field::Model => t.product.model.clone(),
        Field::Serial => t.product.serial.clone(),
        Field::Warranty => t.product.warranty.code().to_string(),
        Field::FaultClass => t
            .progress
            .fault_class
            .map(|c| c.code().to_string())
            .unwrap_or_default(),
        Field::Note => t.note.clone(),
        Field::TicketNo => t.ticket_no.clone(),
        Field::Source => t.source.code().to_string(),
        Field::T1 | Field::T2 | Field::T3 | Field::T4 => String::new(),
    }
}

/// R12: a visit time agreed after T33 is an appointment, not a fourth T3.
fn appointment(t: &Ticket, ctx: &Context, at: Time, note: &str) -> Result<Appointment, Refusal> {
    sane(ctx, at)?;
    if t.promises().len() < 3 {
        return Err(Refusal::new(
            Rule::R12,
            format!(
                "T3 只写了 {} 次：请写下一个承诺时间（promise），T33 之后才记约定",
                t.promises().len()
            ),
            format!(
                "only {} of the three T3 writes are used: write the next promise; appointments are for after T33",
                t.promises().len()
            ),
        ));
    }
    if at < ctx.now {
        return Err(Refusal::new(
            Rule::R12,
            format!("约定时间 {} 已经过去", ctx.fmt(at)),
            format!("the appointed time {} is in the past", ctx.fmt(at)),
        ));
    }
    if t.due_at() == Some(at) {
        return Err(Refusal::new(
            Rule::R12,
            format!("已经约定在 {}，无需重复记录", ctx.fmt(at)),
            format!(
                "{} is already the agreed time; nothing to record",
                ctx.fmt(at)
            ),
        ));
    }
    Ok(Appointment {
        at,
        note: note.to_string(),
        written_at: ctx.now,
    })
}

/// R7: the only reason to dispatch an unprinted work order is a system outage.
pub fn is_system_outage(reason: &str) -> bool {
    let r = reason.trim().to_lowercase();
    ["系统故障", "system outage", "system down"]
        .iter()
        .any(|k| r.contains(k))
}

/// The status after a change: explicit for closing and cancelling, otherwise
/// where the ticket's progress puts it.
fn next_status(t: &Ticket, change: &Change, now: Time) -> Status {
    match change {
        Change::PhoneResolved { .. } | Change::Closed { .. } => Status::Resolved,
        Change::CancelRequested { .. } => Status::CancelRequested,
        Change::CancelDecided { approved: true, .. } => Status::Cancelled,
        Change::CancelDecided {
            approved: false, ..
        } => t
            .progress
            .cancel
            .as_ref()
            .map(|c| c.prior_status)
            .unwrap_or(Status::Queued),
        Change::FollowedUp { reopen: true, .. } => Status::MultiRepair,
        _ if !t.status.is_workable() => t.status,
        _ => {
            let mut after = t.clone();
            let probe = Event {
                at: now,
                recorded_at: now,
                actor: String::new(),
                from: Some(t.status),
                to: t.status,
                change: change.clone(),
            };
            event::apply(&mut after, &probe);
            event::resting_status(&after)
        }
    }
}

fn closed_refusal(t: &Ticket) -> Option<Refusal> {
    match t.status {
        Status::Resolved if t.is_phone_resolved() => Some(Refusal::new(
            Rule::R4,
            "该单已电话解决并关闭",
            "the ticket was solved by phone and is closed",
        )),
        Status::Resolved => Some(Refusal::new(
            Rule::R11,
            "该单已解决；用户不满意时由回访重新打开（R13）",
            "the ticket is resolved; an unsatisfied follow-up reopens it (R13)",
        )),
        Status::Cancelled => Some(Refusal::new(
            Rule::R15,
            "该单已撤单",
            "the ticket is cancelled",
        )),
        _ => None,
    }
}

fn not_closed(t: &Ticket) -> Result<(), Refusal> {
    closed_refusal(t).map_or(Ok(()), Err)
}

/// Open and not waiting for the region's decision (R15).
fn workable(t: &Ticket) -> Result<(), Refusal> {
    not_closed(t)?;
    if t.status == Status::CancelRequested {
        return Err(Refusal::new(
            Rule::R15,
            "撤单申请待大区审批，期间不能处理",
            "a cancellation request is waiting for the region's decision",
        ));
    }
    Ok(())
}

/// R12: the seq of the next T3 write, or the refusal of a fourth.
fn next_seq(t: &Ticket) -> Result<u8, Refusal> {
    let n = t.progress.promises.len();
    if n >= 3 {
        return Err(Refusal::new(
            Rule::R12,
            "T3 最多写三次（T31、T32、T33），已用完；请上报大区（escalate），之后约定的时间记为约定（appoint）",
            "T3 can be written at most three times (T31, T32, T33) and all are used; escalate to the region (escalate) and record further visit times as appointments (appoint)",
        ));
    }
    Ok(n as u8 + 1)
}

/// Builds the next time promise, with the default type and reason.
fn next_promise(
    t: &Ticket,
    ctx: &Context,
    at: Time,
    ptype: Option<PromiseType>,
    reason: Option<&str>,
) -> Result<Promise, Refusal> {
    let seq = next_seq(t)?;
    if t.promised_at() == Some(at) {
        return Err(Refusal::new(
            Rule::R12,
            format!(
                "T3 已经是 {}：再写一次相同的时间会白白用掉三次中的一次",
                ctx.fmt(at)
            ),
            format!(
                "the T3 in force is already {}; writing it again would use up one of the three",
                ctx.fmt(at)
            ),
        ));
    }
    if at < ctx.now {
        return Err(Refusal::new(
            Rule::R5,
            format!("承诺时间 {} 已经过去", ctx.fmt(at)),
            format!("the promised time {} is in the past", ctx.fmt(at)),
        ));
    }
    // R6: not before the parts the service needs can be there.
    if let Some(o) = t.open_parts().find(|o| o.eta.is_some_and(|eta| at < eta)) {
        let eta = o.eta.map(|e| ctx.fmt(e)).unwrap_or_default();
        return Err(Refusal::new(
            Rule::R6,
            format!(
                "承诺时间 {} 早于订单 {} 的备件 {} 预计到货时间 {eta}",
                ctx.fmt(at),
                o.order,
                o.part
            ),
            format!(
                "the promised time {} is before the expected delivery of order {} (part {}) at {eta}",
                ctx.fmt(at),
                o.order,
                o.part
            ),
        ));
    }
    let late = t
        .open_parts()
        .find(|p| p.eta.is_some_and(|eta| eta < ctx.now));
    let ptype = ptype.unwrap_or(if seq == 1 {
        PromiseType::Within
    } else if late.is_some() {
        PromiseType::Parts
    } else {
        PromiseType::Customer
    });
    let mut reason = reason.map(str::trim).unwrap_or("").to_string();
    if reason.is_empty() {
        reason = match ptype {
            PromiseType::Parts => {
                let order = late
                    .or_else(|| t.open_parts().next())
                    .or(t.progress.parts.last());
                match order {
                    Some(o) => parts_late_reason(&o.order, &o.part),
                    None => {
                        return Err(Refusal::new(
                            Rule::R8,
                            "备件原因需要先登记备件订单",
                            "type 'parts' needs a parts order on the ticket",
                        ));
                    }
                }
            }
            PromiseType::Within => String::new(),
            PromiseType::Customer | PromiseType::Other => {
                let rule = if seq == 1 { Rule::R5 } else { Rule::R10 };
                return Err(Refusal::new(
                    rule,
                    format!("承诺类型「{}」需要写明原因", ptype.zh()),
                    format!("a promise of type '{}' needs a reason", ptype.code()),
                ));
            }
        };
    }
    if ptype == PromiseType::Within
        && (reason == PhoneFix::Software.reason() || reason == PhoneFix::Other.reason())
    {
        return Err(Refusal::new(
            Rule::R4,
            "电话解决请用「电话解决」操作，它会写入特殊的 T31",
            "use phone-resolve for a problem solved by phone; it writes the special T31",
        ));
    }
    Ok(Promise {
        seq,
        kind: PromiseKind::Time,
        at: Some(at),
        ptype,
        reason,
        written_at: ctx.now,
    })
}

fn mark_unreachable(t: &Ticket, ctx: &Context) -> Result<Change, Refusal> {
    workable(t)?;
    if !t.progress.promises.is_empty() {
        return Err(Refusal::new(
            Rule::R2,
            "T31 已写，不能再标记为无法联系",
            "T31 is already written; 'unreachable' can only be the first T3",
        ));
    }
    let s = &ctx.settings.sla;
    let earliest = s.deadline(
        ctx.calendar,
        s.clocks.unreachable,
        t.t1,
        s.unreachable_after,
    );
    if ctx.now < earliest {
        return Err(Refusal::new(
            Rule::R2,
            format!(
                "报修后满 3.5 小时（{} 起）才能标记无法联系；请继续联系",
                ctx.fmt(earliest)
            ),
            format!(
                "a customer can be marked unreachable only 3.5 hours after T1 (from {}); keep calling",
                ctx.fmt(earliest)
            ),
        ));
    }
    let tried = t
        .progress
        .contacts
        .iter()
        .any(|c| c.result == ContactResult::NoAnswer);
    if !tried {
        return Err(Refusal::new(
            Rule::R2,
            "请先登记未接通的联系记录",
            "record the unanswered calls first",
        ));
    }
    Ok(Change::MarkedUnreachable {
        promise: Promise {
            seq: 1,
            kind: PromiseKind::Unreachable,
            at: None,
            ptype: PromiseType::Customer,
            reason: "用户无法联系".to_string(),
            written_at: ctx.now,
        },
    })
}

fn phone_resolve(t: &Ticket, ctx: &Context, kind: PhoneFix) -> Result<Change, Refusal> {
    workable(t)?;
    if !t.progress.promises.is_empty() {
        return Err(Refusal::new(
            Rule::R4,
            "电话解决只能作为第一次承诺（特殊 T31）写入",
            "a phone resolution can only be the first T3 (the special T31)",
        ));
    }
    Ok(Change::PhoneResolved {
        promise: Promise {
            seq: 1,
            kind: PromiseKind::PhoneResolved,
            at: None,
            ptype: PromiseType::Within,
            reason: kind.reason().to_string(),
            written_at: ctx.now,
        },
    })
}

fn dispatch(
    t: &Ticket,
    ctx: &Context,
    engineer: &str,
    site: Option<&str>,
    override_reason: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Result<Change, Refusal> {
    workable(t)?;
    if t.is_carry_in() {
        return Err(carry_in_refusal());
    }
    let Some(staff) = ctx.staff.as_ref().filter(|s| s.name == engineer) else {
        return Err(Refusal::new(
            Rule::R16,
            format!("工程师「{engineer}」不在本站人员名单中"),
            format!("engineer '{engineer}' is not on the station's staff list"),
        ));
    };
    if t.promised_at().is_none() {
        return Err(Refusal::new(
            Rule::R5,
            "请先与用户约定服务时间（写 T3）再派工",
            "agree a service time with the customer (write T3) before dispatching",
        ));
    }
    let override_reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    if t.printed_at.is_none() {
        match override_reason {
            None => {
                return Err(Refusal::new(
                    Rule::R7,
                    "派工前必须打印维修单；系统故障时须写明原因（系统故障）",
                    "print the work order before dispatching; during a system outage, the reason (system outage) is needed",
                )
                .lacking(Missing::OutageReason));
            }
            Some(r) if !is_system_outage(r) => {
                return Err(Refusal::new(
                    Rule::R7,
                    format!("「{r}」不是可接受的原因：未打印派工只接受系统故障"),
                    format!(
                        "'{r}' is not an accepted reason: only a system outage (系统故障) allows dispatching unprinted"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    // P5: an out-of-warranty machine may be inspected without a quote; the
    // approved quote is needed before the repair is recorded as fixed.
    let site = site.map(str::to_string).or_else(|| staff.site.clone());
    if let Some(s) = &site
        && !ctx.settings.station.sites.is_empty()
        && !ctx.settings.station.sites.contains(s)
    {
        return Err(Refusal::new(
            Rule::R16,
            format!("站点「{s}」不在本站配置的站点中"),
            format!("site '{s}' is not one of the station's sites"),
        ));
    }
    if staff.load >= staff.capacity {
        warnings.push(Warning::new(
            Rule::R17,
            format!(
                "{engineer} 当天已有 {} 个上门，超过每日容量 {}",
                staff.load + 1,
                staff.capacity
            ),
            format!(
                "{engineer} now has {} visits that day, over the daily capacity of {}",
                staff.load + 1,
                staff.capacity
            ),
        ));
    }
    if t.out_of_coverage {
        warnings.push(Warning::new(
            Rule::R17,
            "用户所在区县不在本站服务范围内",
            "the customer's district is outside the station's coverage",
        ));
    }
    Ok(Change::Dispatched {
        engineer: engineer.to_string(),
        site,
        override_reason: if t.printed_at.is_none() {
            override_reason.map(str::to_string)
        } else {
            None
        },
    })
}

/// The arrival and completion times an engineer reports (Visits): now when
/// not given, never before the dispatch nor after now, done not before arrived.
/// `since` is the earliest allowed moment with its name (zh, en).
fn reported_times(
    ctx: &Context,
    since: Option<(Time, &str, &str)>,
    arrived: Option<Time>,
    done: Option<Time>,
) -> Result<(Time, Time), Refusal> {
    let done = done.unwrap_or(ctx.now);
    let arrived = arrived.unwrap_or_else(|| done.min(ctx.now));
    for (what_zh, what_en, at) in [("到场", "arrival", arrived), ("完成", "completion", done)] {
        if at > ctx.now {
            return Err(Refusal::new(
                Rule::Visit,
                format!(
                    "{what_zh}时间 {} 还没到（现在 {}）",
                    ctx.fmt(at),
                    ctx.fmt(ctx.now)
                ),
                format!(
                    "the {what_en} time {} is later than now ({})",
                    ctx.fmt(at),
                    ctx.fmt(ctx.now)
                ),
            ));
        }
        if let Some((since, since_zh, since_en)) = since
            && at < since
        {
            return Err(Refusal::new(
                Rule::Visit,
                format!(
                    "{what_zh}时间 {} 早于{since_zh} {}",
                    ctx.fmt(at),
                    ctx.fmt(since)
                ),
                format!(
                    "the {what_en} time {} is before {since_en} at {}",
                    ctx.fmt(at),
                    ctx.fmt(since)
                ),
            ));
        }
    }
    if done < arrived {
        return Err(Refusal::new(
            Rule::Visit,
            format!(
                "完成时间 {} 早于到场时间 {}",
                ctx.fmt(done),
                ctx.fmt(arrived)
            ),
            format!(
                "the completion time {} is before the arrival time {}",
                ctx.fmt(done),
                ctx.fmt(arrived)
            ),
        ));
    }
    Ok((arrived, done))
}

fn visit(
    t: &Ticket,
    ctx: &Context,
    result: VisitResult,
    (arrived, done): (Option<Time>, Option<Time>),
    next: Option<Time>,
    note: &str,
) -> Result<Change, Refusal> {
    workable(t)?;
    if t.is_carry_in() {
        return Err(carry_in_refusal());
    }
    let Some(engineer) = t.engineer.clone() else {
        return Err(Refusal::new(
            Rule::R7,
            "尚未派工，不能登记上门结果",
            "no engineer has been dispatched; a visit cannot be recorded",
        ));
    };
    let dispatched = t
        .progress
        .dispatched_at
        .map(|d| (d, "派工时间", "the dispatch"));
    let (arrived, done) = reported_times(ctx, dispatched, arrived, done)?;
    if result == VisitResult::Fixed
        && t.product.warranty == Warranty::Out
        && t.progress.quote.is_none()
    {
        return Err(Refusal::new(
            Rule::P5,
            "保外维修：修复前需登记用户确认的报价（quote）",
            "out of warranty: record the quote the customer approved (quote) before the repair is recorded as fixed",
        ));
    }
    let after_t33 = t.promises().len() >= 3;
    let mut appointed = None;
    let next = match (result, next) {
        (VisitResult::NotFixed, Some(at)) if after_t33 => {
            // R12: the return visit after T33 is an appointment.
            appointed = Some(appointment(t, ctx, at, "上次维修未修复，需再次维修")?);
            None
        }
        (VisitResult::NotHome, Some(at)) if after_t33 => {
            appointed = Some(appointment(t, ctx, at, "用户不在，已留言，另约时间")?);
            None
        }
        (VisitResult::NotFixed, Some(at)) => {
            sane(ctx, at)?;
            Some(next_promise(
                t,
                ctx,
                at,
                Some(PromiseType::Other),
                Some("上次维修未修复，需再次维修"),
            )?)
        }
        // Visits: the customer was not at home; the new time is theirs.
        (VisitResult::NotHome, Some(at)) => {
            sane(ctx, at)?;
            Some(next_promise(
                t,
                ctx,
                at,
                Some(PromiseType::Customer),
                Some("用户不在，已留言，另约时间"),
            )?)
        }
        (_, Some(_)) => {
            return Err(Refusal::new(
                Rule::R10,
                "只有未修复或用户不在时才约定下次时间",
                "a next time is only agreed when the visit did not fix the machine or the customer was not at home",
            ));
        }
        (_, None) => None,
    };
    Ok(Change::Visited {
        visit: Visit {
            at: ctx.now,
            engineer,
            result,
            note: note.to_string(),
            arrived,
            done,
        },
        next,
        appointment: appointed,
    })
}

/// Carry-in tickets are repaired at the station: nobody is sent, nobody visits.
fn carry_in_refusal() -> Refusal {
    Refusal::new(
        Rule::CarryIn,
        "送修单在站内维修，不派工、不上门；维修结果请用「送修维修」登记",
        "a carry-in ticket is repaired at the station's bench, never dispatched or visited; record the bench repair instead",
    )
}

/// A carry-in bench repair: who (on the staff list, R16) and when it was
/// finished (not in the future, not before T1).
fn bench_repair(
    t: &Ticket,
    ctx: &Context,
    result: RepairResult,
    by: Option<&str>,
    done: Option<Time>,
    note: &str,
) -> Result<Change, Refusal> {
    workable(t)?;
    if !t.is_carry_in() {
        return Err(Refusal::new(
            Rule::CarryIn,
            "上门单的维修结果请用「上门结果」登记（含到场、完成时间）",
            "an onsite ticket records visits (with arrival and completion times), not bench repairs",
        ));
    }
    let by = match (by.map(str::trim).filter(|b| !b.is_empty()), &ctx.role) {
        (Some(b), _) => b.to_string(),
        (None, Role::Engineer(name)) => name.clone(),
        (None, Role::Coordinator | Role::Region) => match &t.engineer {
            Some(e) => e.clone(),
            None => {
                return Err(Refusal::new(
                    Rule::R16,
                    "需要写明维修的工程师",
                    "the engineer who repaired it is needed",
                )
                .lacking(Missing::RepairedBy));
            }
        },
    };
    if ctx.staff.as_ref().is_some_and(|s| s.name != by) {
        return Err(Refusal::new(
            Rule::R16,
            format!("工程师「{by}」不在本站人员名单中"),
            format!("engineer '{by}' is not on the station's staff list"),
        ));
    }
    if result == RepairResult::Fixed
        && t.product.warranty == Warranty::Out
        && t.progress.quote.is_none()
    {
        return Err(Refusal::new(
            Rule::P5,
            "保外维修需先由用户确认报价",
            "an out-of-warranty repair needs a quote the customer approved first",
        ));
    }
    let received = Some((t.t1, "报修时间", "T1"));
    let (_, done) = reported_times(ctx, received, done, done)?;
    Ok(Change::Repaired {
        repair: BenchRepair {
            at: ctx.now,
            by,
            result,
            note: note.to_string(),
            done,
        },
    })
}

fn close(
    t: &Ticket,
    ctx: &Context,
    signed_by: &str,
    (returned_parts, not_returned): (&[String], &[NotReturned]),
    charge: Option<f64>,
) -> Result<Change, Refusal> {
    workable(t)?;
    if signed_by.is_empty() {
        return Err(Refusal::new(
            Rule::R11,
            "只有用户在维修单上签字后才能关闭；请写明签字人",
            "a ticket is resolved only with the customer's signature; name who signed",
        ));
    }
    let Some(fixed_at) = t.fixed_at() else {
        return Err(if t.is_carry_in() {
            Refusal::new(
                Rule::R11,
                "还没有「已修好」的送修维修记录",
                "no bench repair has been recorded as fixed yet",
            )
        } else {
            Refusal::new(
                Rule::R11,
                "还没有「已修复」的上门记录",
                "no visit has been recorded as fixed yet",
            )
        });
    };
    if t.is_carry_in() && t.promised_at().is_none() {
        return Err(Refusal::new(
            Rule::R5,
            "请先与用户约定取机时间（写 T3）",
            "agree the collection time with the customer (write T3) first",
        ));
    }
    if t.open_parts().next().is_some() {
        return Err(Refusal::new(
            Rule::R11,
            "还有未到货的备件订单",
            "parts orders are still undelivered",
        ));
    }
    if let Some(c) = charge
        && (!c.is_finite() || c < 0.0)
    {
        return Err(Refusal::new(
            Rule::P5,
            "收费金额不能为负",
            "the charge cannot be negative",
        ));
    }
    if t.product.warranty == Warranty::Out && charge.is_none() {
        return Err(Refusal::new(
            Rule::P5,
            "保外维修关闭时需记录收费金额",
            "an out-of-warranty repair records the amount charged when closing",
        )
        .lacking(Missing::Charge));
    }
    let returned: Vec<String> = returned_parts
        .iter()
        .map(|p| p.to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let not_returned: Vec<NotReturned> = not_returned
        .iter()
        .map(|n| NotReturned {
            part: n.part.to_string(),
            reason: n.reason.to_string(),
        })
        .filter(|n| !n.part.is_empty())
        .collect();
    account_parts(t, &returned, &not_returned)?;
    Ok(Change::Closed {
        signed_by: signed_by.to_string(),
        returned_parts: returned,
        not_returned,
        charge,
        // R11: onsite, the fixing visit's completion; carry-in, the
        // collection, which is the signing now.
        t4: if t.is_carry_in() { ctx.now } else { fixed_at },
    })
}

/// R11: every received part is returned (返还) or said why not; the codes
/// named are parts the ticket received.
fn account_parts(
    t: &Ticket,
    returned: &[String],
    not_returned: &[NotReturned],
) -> Result<(), Refusal> {
    let received = |code: &str| {
        t.progress
            .parts
            .iter()
            .any(|o| o.part == code && o.arrived_at.is_some())
    };
    let named = returned
        .iter()
        .map(String::as_str)
        .chain(not_returned.iter().map(|n| n.part.as_str()));
    for code in named {
        if !received(code) {
            return Err(Refusal::new(
                Rule::R11,
                format!("该单没有收到编码为 {code} 的备件"),
                format!("no part {code} was received on this ticket"),
            ));
        }
    }
    if let Some(n) = not_returned.iter().find(|n| n.reason.is_empty()) {
        return Err(Refusal::new(
            Rule::R11,
            format!("备件 {} 未返还：请写明原因（{}=原因）", n.part, n.part),
            format!("part {} not returned: say why ({}=REASON)", n.part, n.part),
        ));
    }
    let missing: Vec<String> = t
        .parts_to_account()
        .into_iter()
        .filter(|c| !returned.contains(c) && !not_returned.iter().any(|n| &n.part == c))
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Err(Refusal::new(
            Rule::R11,
            format!(
                "关闭前须说明每个已收到备件的旧件是否返还（未返还的写明原因）：{list}"
            ),
            format!(
                "before closing, say for every part received whether the faulty part was returned (and why not): {list}"
            ),
        )
        .lacking(Missing::ReturnedParts));
    }
    Ok(())
}

fn request_cancel(
    t: &Ticket,
    ctx: &Context,
    reason: CancelReason,
    note: &str,
) -> Result<Change, Refusal> {
    if t.is_phone_resolved() {
        return Err(Refusal::new(
            Rule::R4,
            "电话解决的维修单永远不能撤单",
            "a ticket solved by phone can never be cancelled",
        ));
    }
    workable(t)?;
    match reason {
        CancelReason::WrongNumber if !t.phone_invalid => {
            return Err(Refusal::new(
                Rule::R3,
                "电话未被标记为空号；请先登记「空号」的联系结果",
                "the phone is not flagged invalid; log a 'wrong-number' contact first",
            ));
        }
        CancelReason::Unreachable => {
            if !t.is_unreachable() {
                return Err(Refusal::new(
                    Rule::R2,
                    "用户未被标记为无法联系",
                    "the customer has not been marked unreachable",
                ));
            }
            let s = &ctx.settings.sla;
            let due = s.unreachable_cancel_from(ctx.calendar, t.t1);
            if ctx.now < due {
                return Err(Refusal::new(
                    Rule::R2,
                    format!(
                        "报修后满 {} 个工作日（{}）仍无法联系才能申请撤单；请继续每天联系",
                        s.cancel_after_workdays,
                        ctx.fmt(due)
                    ),
                    format!(
                        "an unreachable ticket goes for cancellation only {} working days after T1 ({}); keep calling",
                        s.cancel_after_workdays,
                        ctx.fmt(due)
                    ),
                ));
            }
        }
        CancelReason::Refused if t.progress.refused_at.is_none() => {
            return Err(Refusal::new(
                Rule::R9,
                "没有「用户拒绝」的上门记录；需工程师上报并填写特殊情况说明表",
                "no visit records the customer refusing; the engineer reports it with a special-case form",
            ));
        }
        CancelReason::Refused
            if t.progress
                .special_case
                .as_ref()
                .zip(t.progress.refused_at)
                .is_none_or(|(form, refused)| form.at < refused) =>
        {
            return Err(Refusal::new(
                Rule::R9,
                "需要先打印并提交特殊情况说明表",
                "the special-case form must be printed and submitted first",
            )
            .lacking(Missing::SpecialCaseForm));
        }
        CancelReason::Other if note.is_empty() => {
            return Err(Refusal::new(
                Rule::R15,
                "「其他」原因需要写明说明",
                "reason 'other' needs a note",
            ));
        }
        _ => {}
    }
    Ok(Change::CancelRequested {
        reason,
        note: note.to_string(),
    })
}

fn followup(t: &Ticket, result: FollowupResult, reopen: bool) -> Result<Change, Refusal> {
    if t.status != Status::Resolved {
        return Err(Refusal::new(
            Rule::R13,
            "只有已解决的维修单才回访",
            "only a resolved ticket is followed up",
        ));
    }
    // One follow-up per closure; an unanswered call may be tried again.
    let done =
        t.progress.followup.as_ref().is_some_and(|f| {
            f.round == t.progress.closures && f.result != FollowupResult::Unreachable
        });
    if done {
        return Err(Refusal::new(
            Rule::R13,
            "该单已回访",
            "the ticket has already been followed up",
        ));
    }
    if reopen && result != FollowupResult::Unsatisfied {
        return Err(Refusal::new(
            Rule::R13,
            "只有用户不满意时才能重新打开",
            "only an unsatisfied customer reopens the ticket",
        ));
    }
    Ok(Change::FollowedUp { result, reopen })
}

/// How long until a deadline, for messages (e.g. "0:48").
pub fn hm(d: Duration) -> String {
    let m = d.num_minutes().abs();
    format!("{}:{:02}", m / 60, m % 60)
}
