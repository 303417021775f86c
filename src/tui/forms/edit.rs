//! Correct the ticket (R19): every correctable field, filled with what the
//! ticket says now; what is left unchanged is not recorded.

use super::{Field, Form, FormCtx, FormKind, enum_options, title};
use crate::domain::command::Command;
use crate::domain::ticket::{FaultClass, Field as TicketField, Ticket, Warranty};

pub fn open(t: &Ticket, ctx: &FormCtx) -> Form {
    let l = ctx.lang();
    let warranty = Warranty::ALL
        .iter()
        .position(|w| *w == t.product.warranty)
        .unwrap_or(0);
    // "—": no class judged yet; choosing it leaves the field alone.
    let mut classes = vec![(String::new(), "—".to_string())];
    classes.extend(enum_options(FaultClass::ALL, FaultClass::code, |v| {
        v.name(l)
    }));
    let class = t
        .progress
        .fault_class
        .and_then(|c| FaultClass::ALL.iter().position(|x| *x == c))
        .map_or(0, |i| i + 1);
    Form::new(FormKind::Edit, title(l.pick("修改", "Correct"), t), Some(t))
        .field(Field::text(
            "customer",
            TicketField::Customer.name(l),
            &t.customer.name,
        ))
        .field(Field::text(
            "phones",
            TicketField::Phones.name(l),
            &t.customer.phones.join("/"),
        ))
        .field(Field::text(
            "address",
            TicketField::Address.name(l),
            &t.customer.address,
        ))
        .field(Field::text(
            "district",
            TicketField::District.name(l),
            &t.customer.district,
        ))
        .field(Field::text(
            "product_line",
            TicketField::ProductLine.name(l),
            &t.product.line,
        ))
        .field(Field::text(
            "model",
            TicketField::Model.name(l),
            &t.product.model,
        ))
        .field(Field::text(
            "serial",
            TicketField::Serial.name(l),
            &t.product.serial,
        ))
        .field(Field::choice(
            "warranty",
            TicketField::Warranty.name(l),
            enum_options(Warranty::ALL, Warranty::code, |v| v.name(l)),
            warranty,
        ))
        .field(Field::choice(
            "fault_class",
            TicketField::FaultClass.name(l),
            classes,
            class,
        ))
        .field(Field::text("note", TicketField::Note.name(l), &t.note))
        .note(l.pick(
            "每次修改记为一条记录（原值与新值）；单号、来源、T1 和时间点不能修改（R19）",
            "each correction is one event with the old and new values; the number, source, T1 and time points are never edited (R19)",
        ))
}

pub fn build(f: &Form, _ctx: &FormCtx) -> Result<Command, String> {
    let mut fields: Vec<(TicketField, String)> = [
        ("customer", TicketField::Customer),
        ("phones", TicketField::Phones),
        ("address", TicketField::Address),
        ("district", TicketField::District),
        ("product_line", TicketField::ProductLine),
        ("model", TicketField::Model),
        ("serial", TicketField::Serial),
        ("warranty", TicketField::Warranty),
        ("note", TicketField::Note),
    ]
    .into_iter()
    .map(|(id, field)| (field, f.get(id).to_string()))
    .collect();
    let class = f.get("fault_class");
    if !class.is_empty() {
        fields.push((TicketField::FaultClass, class.to_string()));
    }
    Ok(Command::Edit { fields })
}
