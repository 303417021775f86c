//! A station ticket (R18): its number is the day's next `ZD-YYYYMMDD-NNNN`
//! and its T1 is now.

use super::{Field, Form, FormCtx, FormKind, enum_options};
use crate::domain::command::NewTicket;
use crate::domain::phone::split_phones;
use crate::domain::ticket::*;

pub fn open(ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let yes_no = || {
        vec![
            ("no".to_string(), l.pick("否", "no").to_string()),
            ("yes".to_string(), l.pick("是", "yes").to_string()),
        ]
    };
    Form::new(
        FormKind::NewTicket,
        l.pick("新建站端维修单", "New station ticket").to_string(),
        None,
    )
    .field(Field::text("customer", l.pick("用户姓名", "Customer"), ""))
    .field(Field::text("phone", l.pick("联系电话", "Phone"), ""))
    .field(Field::text("fault", l.pick("故障描述", "Fault"), ""))
    .field(Field::choice(
        "service",
        l.pick("服务方式", "Service"),
        enum_options(ServiceType::ALL, ServiceType::code, |v| v.name(l)),
        0,
    ))
    .field(Field::text("address", l.pick("地址", "Address"), ""))
    .field(Field::text("district", l.pick("区县", "District"), ""))
    .field(Field::text("line", l.pick("产品线", "Product line"), ""))
    .field(Field::text("model", l.pick("机型", "Model"), ""))
    .field(Field::text("serial", l.pick("主机号", "Serial"), ""))
    .field(Field::choice(
        "priority",
        l.pick("优先级", "Priority"),
        enum_options(Priority::ALL, Priority::code, |v| v.name(l)),
        0,
    ))
    .field(Field::choice(
        "warranty",
        l.pick("保修", "Warranty"),
        enum_options(Warranty::ALL, Warranty::code, |v| v.name(l)),
        0,
    ))
    .field(Field::choice(
        "special",
        l.pick("特殊用户", "Special"),
        yes_no(),
        0,
    ))
    .note(l.pick(
        "报修时间为现在（R18，不能倒填）",
        "T1 is now (R18: no back-dating)",
    ))
}

pub fn build(f: &Form, ctx: &FormCtx) -> Result<NewTicket, String> {
    Ok(NewTicket {
        ticket_no: String::new(),
        source: Source::Station,
        t1: ctx.now(),
        service_type: ServiceType::parse(f.get("service")).unwrap_or(ServiceType::Onsite),
        priority: Priority::parse(f.get("priority")).unwrap_or(Priority::Normal),
        special: f.get("special") == "yes",
        urge: false,
        customer: Customer {
            name: f.get("customer").to_string(),
            phones: split_phones(f.get("phone")),
            address: f.get("address").to_string(),
            district: f.get("district").to_string(),
        },
        product: Product {
            line: f.get("line").to_string(),
            model: f.get("model").to_string(),
            serial: f.get("serial").to_string(),
            warranty: Warranty::parse(f.get("warranty")).unwrap_or(Warranty::In),
        },
        fault: f.get("fault").to_string(),
        note: String::new(),
    })
}
