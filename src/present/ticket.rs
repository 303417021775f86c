//! A ticket's facts, labelled once: `ticket show` prints them as lines, the
//! dashboard's detail view draws them in sections, and both say the same
//! thing with the same words.

use super::sanitize::terminal_safe;
use super::{fmt_minutes, promise_line, visit_times};
use crate::domain::calendar::Calendar;
use crate::domain::next_step::NextStep;
use crate::domain::text::Lang;
use crate::domain::ticket::*;

/// One labelled fact: `服务方式  上门 · 优先级 普通`. Both parts are safe to
/// print (control characters made visible).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// How a section's facts read: fields of the ticket, or a list of entries
/// whose label is the entry's time or code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Fields,
    Entries,
}

/// Which part of the ticket a section shows (front ends place their own
/// material, such as the dashboard's alerts, between them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Head,
    Timeline,
    Contacts,
    Parts,
    Visits,
    Repairs,
    Other,
    Version,
}

/// A group of facts under one title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub part: Part,
    pub shape: Shape,
    /// The section heading (`联系记录`); empty for the head and the version.
    pub title: String,
    /// What one entry of a list is called on a line of its own (`联系`).
    pub entry: String,
    pub facts: Vec<Fact>,
}

const NONE: &str = "—";

fn safe(x: &str) -> String {
    terminal_safe(x).into_owned()
}

fn fact(label: &str, value: String) -> Fact {
    Fact {
        label: label.to_string(),
        value: value.trim_end().to_string(),
    }
}

/// Every fact of a ticket, in reading order; empty list sections are left
/// out. `next` is what the ticket needs next (`next_step` at the moment shown).
pub fn sections(cal: &Calendar, t: &Ticket, next: Option<NextStep>, l: Lang) -> Vec<Section> {
    let time = |x: Time| fmt_minutes(cal, x);
    let opt = |x: Option<Time>| x.map_or_else(|| NONE.to_string(), time);
    let yes = |b: bool| {
        if b {
            l.pick("是", "yes")
        } else {
            l.pick("否", "no")
        }
    };
    let mut out = Vec::new();
    let mut push = |part: Part, shape: Shape, title: &str, entry: &str, facts: Vec<Fact>| {
        if !facts.is_empty() {
            out.push(Section {
                part,
                shape,
                title: title.to_string(),
                entry: entry.to_string(),
                facts,
            });
        }
    };

    let p = &t.progress;
    let mut head = vec![
        fact(
            l.pick("维修单号", "Ticket"),
            format!("{}  ({})", safe(&t.ticket_no), t.source.name(l)),
        ),
        fact(l.pick("状态", "Status"), t.status.name(l).to_string()),
        fact(
            l.pick("下一步", "Next step"),
            next.map_or(NONE, |n| n.name(l)).to_string(),
        ),
        fact(
            l.pick("服务方式", "Service"),
            format!(
                "{} · {} {}",
                t.service_type.name(l),
                l.pick("优先级", "priority"),
                t.priority.name(l)
            ),
        ),
        fact(
            l.pick("标记", "Flags"),
            format!(
                "{} {}  {} {}  {} {}  {} {}",
                l.pick("特殊用户", "special"),
                yes(t.special),
                l.pick("催上门", "urge"),
                yes(t.urge),
                l.pick("空号", "phone invalid"),
                yes(t.phone_invalid),
                l.pick("超出服务范围", "outside coverage"),
                yes(t.out_of_coverage)
            ),
        ),
        fact(l.pick("用户", "Customer"), safe(&t.customer.name)),
        fact(
            l.pick("电话", "Phones"),
            safe(&t.customer.phones.join(" / ")),
        ),
        fact(
            l.pick("地址", "Address"),
            safe(format!("{} {}", t.customer.district, t.customer.address).trim()),
        ),
        fact(l.pick("产品", "Product"), product(&t.product, l)),
        fact(l.pick("故障", "Fault"), safe(&t.fault)),
    ];
    if let Some(c) = p.fault_class {
        head.push(fact(
            l.pick("故障分类", "Fault class"),
            c.name(l).to_string(),
        ));
    }
    if !t.note.is_empty() {
        head.push(fact(l.pick("备注", "Note"), safe(&t.note)));
    }
    head.push(fact(
        l.pick("工程师", "Engineer"),
        format!(
            "{}{}",
            safe(t.engineer.as_deref().unwrap_or(NONE)),
            t.site
                .as_ref()
                .map(|x| format!(" @{}", safe(x)))
                .unwrap_or_default()
        ),
    ));
    head.push(fact(l.pick("打印", "Printed"), opt(t.printed_at)));
    push(Part::Head, Shape::Fields, "", "", head);

    // T1–T4, with what each point means for this service type (R7).
    let meaning = |n: u8| {
        let (zh, en) = t.service_type.time_point(n);
        format!("  · {}", l.pick(zh, en))
    };
    let mut timeline = vec![fact("T1", time(t.t1)), fact("T2", opt(t.t2) + &meaning(2))];
    if t.promises().is_empty() {
        timeline.push(fact("T3", NONE.to_string() + &meaning(3)));
    }
    for pr in t.promises() {
        let line = promise_line(cal, pr, l);
        let (label, rest) = line.split_once(' ').unwrap_or(("T3", &line));
        timeline.push(fact(
            label,
            format!(
                "{}   ({} {}){}",
                safe(rest),
                l.pick("写于", "written"),
                time(pr.written_at),
                meaning(3)
            ),
        ));
    }
    for e in &p.escalations {
        timeline.push(fact(
            l.pick("上报大区", "Escalated"),
            format!("{} {}", time(e.at), safe(&e.note))
                .trim_end()
                .to_string(),
        ));
    }
    for a in &p.appointments {
        timeline.push(fact(
            l.pick("约定", "Appointment"),
            format!("{} {}", time(a.at), safe(&a.note))
                .trim_end()
                .to_string(),
        ));
    }
    timeline.push(fact("T4", opt(t.t4) + &meaning(4)));
    push(
        Part::Timeline,
        Shape::Fields,
        l.pick("时间点 T1–T4", "Timeline T1–T4"),
        "",
        timeline,
    );

    push(
        Part::Contacts,
        Shape::Entries,
        l.pick("联系记录", "Contacts"),
        l.pick("联系", "Contact"),
        p.contacts
            .iter()
            .map(|c| {
                fact(
                    &time(c.at),
                    format!("{} {}", c.result.name(l), safe(&c.note)),
                )
            })
            .collect(),
    );
    push(
        Part::Parts,
        Shape::Entries,
        l.pick("备件", "Parts"),
        l.pick("备件", "Parts"),
        p.parts
            .iter()
            .map(|x| {
                fact(
                    &safe(&format!("{}:{}", x.order, x.part)),
                    format!(
                        "×{}  {} {}  {} {}",
                        x.qty,
                        l.pick("预计", "eta"),
                        opt(x.eta),
                        l.pick("到货", "arrived"),
                        opt(x.arrived_at)
                    ),
                )
            })
            .collect(),
    );
    push(
        Part::Visits,
        Shape::Entries,
        l.pick("上门", "Visits"),
        l.pick("上门", "Visit"),
        p.visits
            .iter()
            .map(|v| {
                fact(
                    &visit_times(cal, v, l),
                    format!(
                        "{} {} {}",
                        safe(&v.engineer),
                        v.result.name(l),
                        safe(&v.note)
                    ),
                )
            })
            .collect(),
    );
    push(
        Part::Repairs,
        Shape::Entries,
        l.pick("送修维修", "Bench repairs"),
        l.pick("送修维修", "Bench repair"),
        p.repairs
            .iter()
            .map(|r| {
                fact(
                    &format!("{} {}", l.pick("完成", "done"), time(r.done)),
                    format!("{} {} {}", safe(&r.by), r.result.name(l), safe(&r.note)),
                )
            })
            .collect(),
    );

    let mut other = Vec::new();
    if let Some(r) = &p.dispatch_override {
        other.push(fact(l.pick("未打印派工", "Unprinted"), safe(r)));
    }
    if let Some(f) = &p.special_case {
        other.push(fact(
            l.pick("特殊情况表", "Special case"),
            format!("{} {}", time(f.at), safe(&f.note)),
        ));
    }
    if let Some(q) = &p.quote {
        other.push(fact(l.pick("报价", "Quote"), format!("{:.2}", q.amount)));
    }
    if let Some(by) = &p.signed_by {
        other.push(fact(l.pick("签字人", "Signed by"), safe(by)));
    }
    if let Some(c) = p.charge {
        other.push(fact(l.pick("收费", "Charged"), format!("{c:.2}")));
    }
    if !p.returned_parts.is_empty() {
        other.push(fact(
            l.pick("旧件", "Returned"),
            safe(&p.returned_parts.join(", ")),
        ));
    }
    if let Some(c) = &p.cancel {
        let decision = match c.approved {
            Some(true) => l.pick("已批准", "approved"),
            Some(false) => l.pick("已驳回", "rejected"),
            None => l.pick("待审批", "pending"),
        };
        other.push(fact(
            l.pick("撤单", "Cancel"),
            format!(
                "{} {} · {} · {decision}",
                c.reason.name(l),
                safe(&c.note),
                time(c.requested_at)
            ),
        ));
    }
    if let Some(at) = p.region_notified_at {
        other.push(fact(l.pick("通知大区", "Region told"), time(at)));
    }
    if let Some(fu) = &p.followup {
        other.push(fact(
            l.pick("回访", "Follow-up"),
            format!("{} {}", time(fu.at), fu.result.name(l)),
        ));
    }
    push(
        Part::Other,
        Shape::Fields,
        l.pick("其他", "Other"),
        "",
        other,
    );
    push(
        Part::Version,
        Shape::Fields,
        "",
        "",
        vec![fact(l.pick("版本", "Version"), t.version.to_string())],
    );
    out
}

/// `ThinkPad X1 Yoga · 主机号 SN-1 · 保内`, leaving out what is not known.
fn product(p: &Product, l: Lang) -> String {
    let name = safe(format!("{} {}", p.line, p.model).trim());
    let serial = (!p.serial.is_empty())
        .then(|| format!("{} {}", l.pick("主机号", "serial"), safe(&p.serial)));
    [
        Some(name).filter(|n| !n.is_empty()),
        serial,
        Some(format!("{}{}", l.pick("", "warranty "), p.warranty.name(l))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::{hours, pct};

    fn ticket() -> Ticket {
        let t1 = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 26, 1, 0, 0)
            .single()
            .expect("valid time");
        let new = crate::domain::command::NewTicket {
            ticket_no: "W1".into(),
            source: Source::Cc,
            t1,
            service_type: ServiceType::Onsite,
            priority: Priority::Normal,
            special: true,
            urge: false,
            customer: Customer::default(),
            product: Product::default(),
            fault: "黑屏".into(),
            note: String::new(),
        };
        let e = crate::domain::event::Event {
            at: t1,
            recorded_at: t1,
            actor: "coord".into(),
            from: None,
            to: Status::Queued,
            change: crate::domain::event::Change::Received {
                ticket: Box::new(new),
                phone_invalid: false,
                out_of_coverage: false,
            },
        };
        let mut t = crate::domain::event::create(&e).expect("a received ticket");
        t.progress.contacts.push(Contact {
            at: t1,
            result: ContactResult::Reached,
            note: String::new(),
        });
        t
    }

    fn find<'a>(s: &'a [Section], label: &str) -> Option<&'a Fact> {
        s.iter().flat_map(|x| &x.facts).find(|f| f.label == label)
    }

    #[test]
    fn the_facts_are_labelled_in_the_process_language() {
        let cal = Calendar::cn_default();
        let s = sections(&cal, &ticket(), None, Lang::Zh);
        let service = find(&s, "服务方式").expect("a service line");
        assert_eq!(service.value, "上门 · 优先级 普通");
        let flags = find(&s, "标记").expect("a flags line");
        assert!(
            flags.value.starts_with("特殊用户 是") && flags.value.contains("空号 否"),
            "{flags:?}"
        );
        // Nothing known of the product but its warranty.
        assert_eq!(find(&s, "产品").map(|f| f.value.as_str()), Some("保内"));
        assert_eq!(
            find(&s, "T3").map(|f| f.value.as_str()),
            Some("—  · 承诺服务时间")
        );
    }

    #[test]
    fn lists_appear_only_when_they_have_entries() {
        let cal = Calendar::cn_default();
        let s = sections(&cal, &ticket(), None, Lang::En);
        let parts: Vec<Part> = s.iter().map(|x| x.part).collect();
        assert_eq!(
            parts,
            vec![Part::Head, Part::Timeline, Part::Contacts, Part::Version]
        );
        let contacts = &s[2];
        assert_eq!(contacts.shape, Shape::Entries);
        assert_eq!(contacts.entry, "Contact");
        // An empty note leaves no trailing space.
        assert_eq!(contacts.facts[0].value, "reached");
    }

    #[test]
    fn figures_have_one_precision() {
        assert_eq!(pct(Some(0.875)), "87.5%");
        assert_eq!(pct(None), "—");
        assert_eq!(hours(Some(73.26)), "73.3 h");
        assert_eq!(hours(None), "—");
    }
}
