//! The dispatch file's columns (docs/files.md "Dispatch file") and how one
//! row becomes a new ticket, or the reasons it cannot.

use chrono::TimeZone;
use chrono_tz::Tz;

use super::sheet::{Cell, Row};
use crate::domain::command::NewTicket;
use crate::domain::phone::split_phones;
use crate::domain::text::Msg;
use crate::domain::ticket::*;
use crate::domain::when;
use crate::present::sanitize::clean_field;

/// A column of the dispatch file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    TicketNo,
    T1,
    Customer,
    Phone,
    Address,
    District,
    ProductLine,
    Model,
    Serial,
    Fault,
    ServiceType,
    Special,
    Urge,
    Warranty,
    Priority,
    Note,
}

/// Field, Chinese header, English header, required column.
pub const COLUMNS: &[(Field, &str, &str, bool)] = &[
    (Field::TicketNo, "维修单号", "ticket_no", true),
    (Field::T1, "报修时间", "t1", true),
    (Field::Customer, "用户姓名", "customer", true),
    (Field::Phone, "联系电话", "phone", true),
    (Field::Address, "地址", "address", false),
    (Field::District, "区县", "district", false),
    (Field::ProductLine, "产品线", "product_line", false),
    (Field::Model, "机型", "model", false),
    (Field::Serial, "主机号", "serial", false),
    (Field::Fault, "故障描述", "fault", true),
    (Field::ServiceType, "服务方式", "service_type", true),
    (Field::Special, "特殊用户", "special", false),
    (Field::Urge, "催上门", "urge", false),
    (Field::Warranty, "保修状态", "warranty", false),
    (Field::Priority, "优先级", "priority", false),
    (Field::Note, "备注", "note", false),
];

const FIELD_COUNT: usize = 16;

fn field_index(f: Field) -> usize {
    f as usize
}

/// Which file column holds which field.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Per field: the column index and the header as written in the file.
    columns: [Option<(usize, String)>; FIELD_COUNT],
    /// Headers no field uses, as written.
    pub unknown: Vec<String>,
}

/// What is wrong with a header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Required columns not found: their Chinese and English names.
    Missing(Vec<(&'static str, &'static str)>),
    /// The same field appears under two headers.
    Twice(String, String),
}

fn normalize_header(h: &str) -> String {
    h.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

impl Layout {
    pub fn from_header(header: &[String]) -> Result<Layout, HeaderError> {
        let mut columns: [Option<(usize, String)>; FIELD_COUNT] = Default::default();
        let mut unknown = Vec::new();
        for (i, raw) in header.iter().enumerate() {
            let h = normalize_header(raw);
            if h.is_empty() {
                continue;
            }
            let shown = clean_field(raw);
            match COLUMNS.iter().find(|(_, zh, en, _)| h == *zh || h == *en) {
                Some((f, ..)) => {
                    let slot = &mut columns[field_index(*f)];
                    if let Some((_, first)) = slot {
                        return Err(HeaderError::Twice(first.clone(), shown));
                    }
                    *slot = Some((i, shown));
                }
                None => unknown.push(shown),
            }
        }
        let missing: Vec<_> = COLUMNS
            .iter()
            .filter(|(f, _, _, required)| *required && columns[field_index(*f)].is_none())
            .map(|(_, zh, en, _)| (*zh, *en))
            .collect();
        if !missing.is_empty() {
            return Err(HeaderError::Missing(missing));
        }
        Ok(Layout { columns, unknown })
    }

    /// The header of a field as the file writes it (for messages).
    pub fn header(&self, f: Field) -> &str {
        match &self.columns[field_index(f)] {
            Some((_, h)) => h,
            None => COLUMNS.iter().find(|c| c.0 == f).map_or("", |c| c.1),
        }
    }

    fn cell<'r>(&self, row: &'r Row, f: Field) -> Option<&'r Cell> {
        let (i, _) = self.columns[field_index(f)].as_ref()?;
        row.cells.get(*i)
    }

    /// The cleaned text of a field ("" when absent).
    pub fn text(&self, row: &Row, f: Field) -> String {
        self.cell(row, f)
            .map_or(String::new(), |c| clean_field(&c.text()))
    }
}

/// One problem with one row.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub reason: Msg,
}

/// Is every cell of the row empty (Excel's trailing blank rows)?
pub fn is_blank(row: &Row) -> bool {
    row.cells.iter().all(|c| match c {
        Cell::Text(s) => s.trim().is_empty(),
        Cell::Date(_) => false,
    })
}

/// A row as a new call-centre ticket, or every problem found in it.
pub fn read_row(layout: &Layout, row: &Row, tz: Tz) -> Result<NewTicket, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut err = |f: Field, reason: Msg| {
        errors.push(RowError {
            line: row.line,
            column: layout.header(f).to_string(),
            reason,
        })
    };
    let missing = || Msg::new("缺少必填内容", "required value is missing");
    let required = |f: Field, err: &mut dyn FnMut(Field, Msg)| {
        let v = layout.text(row, f);
        if v.is_empty() {
            err(f, missing());
        }
        v
    };
    // The number is the ticket's identity with the call centre: it is taken
    // as written (only surrounding spaces dropped) or the row is refused,
    // never cleaned into another number.
    let ticket_no = match layout.cell(row, Field::TicketNo) {
        Some(c) => c.text().trim_matches([' ', '\t', '\u{3000}']).to_string(),
        None => String::new(),
    };
    if ticket_no.is_empty() {
        err(Field::TicketNo, missing());
    } else if let Some(problem) = ticket_no_problem(&ticket_no) {
        err(Field::TicketNo, problem);
    }
    let customer = required(Field::Customer, &mut err);
    let fault = required(Field::Fault, &mut err);
    let phone_cell = required(Field::Phone, &mut err);
    let phones = split_phones(&phone_cell);
    if !phone_cell.is_empty() && phones.is_empty() {
        err(Field::Phone, missing());
    }
    let t1 = match layout.cell(row, Field::T1) {
        Some(Cell::Date(d)) => tz.from_local_datetime(d).earliest().map(|t| t.to_utc()),
        Some(Cell::Text(s)) if !s.trim().is_empty() => when::parse_datetime(s, tz).ok(),
        _ => {
            err(Field::T1, missing());
            None
        }
    };
    if t1.is_none() && !layout.text(row, Field::T1).is_empty() {
        let shown = layout.text(row, Field::T1);
        err(
            Field::T1,
            Msg::new(
                format!(
                    "无法识别的时间「{shown}」；可用：{}，或 Excel 日期单元格",
                    when::ABSOLUTE_FORMS
                ),
                format!(
                    "cannot read '{shown}' as a time; accepted: {}, or an Excel date cell",
                    when::ABSOLUTE_FORMS
                ),
            ),
        );
    }
    let service_text = required(Field::ServiceType, &mut err);
    let service_type = if service_text.is_empty() {
        None
    } else {
        let s = ServiceType::parse(&service_text);
        if s.is_none() {
            err(
                Field::ServiceType,
                Msg::new(
                    format!(
                        "未知的服务方式「{service_text}」；应为 上门 / 送修 / onsite / carry-in"
                    ),
                    format!(
                        "unknown service type '{service_text}'; expected 上门 / 送修 / onsite / carry-in"
                    ),
                ),
            );
        }
        s
    };
    let address = layout.text(row, Field::Address);
    if service_type == Some(ServiceType::Onsite) && address.is_empty() {
        err(
            Field::Address,
            Msg::new("上门服务需要地址", "an onsite ticket needs the address"),
        );
    }
    let flag = |f: Field, err: &mut dyn FnMut(Field, Msg)| -> bool {
        let v = layout.text(row, f);
        match parse_yes_no(&v) {
            Some(b) => b,
            None => {
                err(
                    f,
                    Msg::new(
                        format!("无法识别「{v}」；应为 是/否、yes/no 或 1/0"),
                        format!("cannot read '{v}'; expected 是/否, yes/no or 1/0"),
                    ),
                );
                false
            }
        }
    };
    let special = flag(Field::Special, &mut err);
    let urge = flag(Field::Urge, &mut err);
    let warranty_text = layout.text(row, Field::Warranty);
    let warranty = if warranty_text.is_empty() {
        Warranty::In
    } else {
        Warranty::parse(&warranty_text).unwrap_or_else(|| {
            err(
                Field::Warranty,
                Msg::new(
                    format!("无法识别的保修状态「{warranty_text}」；应为 保内/保外、in/out"),
                    format!("unknown warranty '{warranty_text}'; expected 保内/保外, in/out"),
                ),
            );
            Warranty::In
        })
    };
    let priority_text = layout.text(row, Field::Priority);
    let priority = if priority_text.is_empty() {
        Priority::Normal
    } else {
        Priority::parse(&priority_text).unwrap_or_else(|| {
            err(
                Field::Priority,
                Msg::new(
                    format!("无法识别的优先级「{priority_text}」；应为 普通/紧急/特急、normal/urgent/emergency"),
                    format!("unknown priority '{priority_text}'; expected 普通/紧急/特急, normal/urgent/emergency"),
                ),
            );
            Priority::Normal
        })
    };
    match (t1, service_type, errors.is_empty()) {
        (Some(t1), Some(service_type), true) => Ok(NewTicket {
            ticket_no,
            source: Source::Cc,
            t1,
            service_type,
            priority,
            special,
            urge,
            customer: Customer {
                name: customer,
                phones,
                address,
                district: layout.text(row, Field::District),
            },
            product: Product {
                line: layout.text(row, Field::ProductLine),
                model: layout.text(row, Field::Model),
                serial: layout.text(row, Field::Serial),
                warranty,
            },
            fault,
            note: layout.text(row, Field::Note),
        }),
        _ => Err(errors),
    }
}

/// The longest call-centre ticket number accepted, in characters.
pub const MAX_TICKET_NO_CHARS: usize = 64;

/// Why a ticket number cannot be a call-centre number, if it cannot: it is
/// letters, digits and ASCII punctuation (`ZD-20261126-0001`, `A1/2`); a
/// control character, a NUL, a BOM, a zero-width or bidi character, a space
/// inside or an unreadable byte (U+FFFD) is refused.
pub fn ticket_no_problem(no: &str) -> Option<Msg> {
    let bad = no
        .chars()
        .find(|c| !(c.is_alphanumeric() || (c.is_ascii_punctuation() && *c != '"')));
    if let Some(c) = bad {
        let code = format!("U+{:04X}", c as u32);
        return Some(Msg::new(
            format!("维修单号含有单号中不可能出现的字符 {code}"),
            format!("the ticket number holds {code}, a character a call-centre number cannot have"),
        ));
    }
    let n = no.chars().count();
    (n > MAX_TICKET_NO_CHARS).then(|| {
        Msg::new(
            format!("维修单号有 {n} 个字符，超过 {MAX_TICKET_NO_CHARS} 的上限"),
            format!(
                "the ticket number has {n} characters, more than the limit of {MAX_TICKET_NO_CHARS}"
            ),
        )
    })
}

/// 是/否, yes/no, y/n, 1/0, true/false; empty = no.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "0" | "false" | "无" => Some(false),
        "是" | "yes" | "y" | "1" | "true" | "有" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|c| Cell::Text(c.to_string())).collect(),
        }
    }

    fn header(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_in_either_language_any_order() {
        let l = Layout::from_header(&header(&[
            "Fault",
            "服务方式",
            "ticket_no",
            "T1",
            "用户姓名",
            "phone",
            "颜色",
        ]))
        .expect("layout");
        assert_eq!(l.unknown, vec!["颜色"]);
        let r = row(
            2,
            &[
                "不开机",
                "送修",
                "A1",
                "2026-11-26 09:30",
                "张伟",
                "13812345678",
                "红",
            ],
        );
        let n = read_row(&l, &r, chrono_tz::Asia::Shanghai).expect("row");
        assert_eq!(n.ticket_no, "A1");
        assert_eq!(n.service_type, ServiceType::CarryIn);
        assert_eq!(n.t1.to_rfc3339(), "2026-11-26T01:30:00+00:00");
    }

    #[test]
    fn ticket_numbers_are_taken_as_written_or_refused() {
        assert_eq!(ticket_no_problem("ZD-20261126-0001"), None);
        assert_eq!(ticket_no_problem("维修A1/2"), None);
        for bad in [
            "A\u{0}1",
            "A\u{FEFF}1",
            "A\u{200B}1",
            "A\u{202E}1",
            "A\u{1b}1",
            "A 1",
            "A\u{FFFD}",
        ] {
            assert!(ticket_no_problem(bad).is_some(), "{bad:?}");
        }
        assert!(ticket_no_problem(&"9".repeat(65)).is_some());
    }

    #[test]
    fn missing_required_column_named() {
        let e = Layout::from_header(&header(&[
            "维修单号",
            "报修时间",
            "用户姓名",
            "联系电话",
            "服务方式",
        ]))
        .expect_err("fault missing");
        assert_eq!(e, HeaderError::Missing(vec![("故障描述", "fault")]));
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let l = Layout::from_header(&header(&[
            "维修单号",
            "报修时间",
            "用户姓名",
            "联系电话",
            "故障描述",
            "服务方式",
            "特殊用户",
        ]))
        .expect("layout");
        let r = row(7, &["", "昨天", "张伟", "138", "", "快递", "也许"]);
        let errs = read_row(&l, &r, chrono_tz::Asia::Shanghai).expect_err("bad row");
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            cols,
            vec!["维修单号", "故障描述", "报修时间", "服务方式", "特殊用户"]
        );
        assert!(errs.iter().all(|e| e.line == 7));
    }
}
