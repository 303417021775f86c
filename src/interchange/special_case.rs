//! The special-case form (特殊情况说明表, R9): what the station sends the
//! region when a customer refuses the service plan — who, which machine,
//! what was refused and why, the engineer — with room for the signatures
//! of the customer, the engineer, the station and the region. HTML (one A4
//! page) or plain text, like the work order.

use crate::domain::calendar::Calendar;
use crate::domain::rule::{Refusal, Rule};
use crate::domain::settings::Settings;
use crate::domain::ticket::*;
use crate::present::fmt_minutes;
use crate::present::sanitize::terminal_safe;

/// Everything the form shows, as safe display text.
pub struct SpecialCaseForm {
    station: String,
    ticket_no: String,
    rows: Vec<(&'static str, &'static str, String)>,
    printed_at: String,
}

fn safe(s: &str) -> String {
    terminal_safe(s).into_owned()
}

impl SpecialCaseForm {
    /// The form of a ticket whose customer refused the service plan; any
    /// other ticket has no special case to report (R9).
    pub fn new(
        settings: &Settings,
        cal: &Calendar,
        t: &Ticket,
        printed_at: Time,
    ) -> Result<SpecialCaseForm, Refusal> {
        let Some(refused) = t
            .progress
            .visits
            .iter()
            .rev()
            .find(|v| v.result == VisitResult::Refused)
        else {
            return Err(Refusal::new(
                Rule::R9,
                "没有「用户拒绝」的上门记录，没有特殊情况可报",
                "no visit records the customer refusing; there is no special case to report",
            ));
        };
        let product = format!(
            "{} {}  主机号 {}  {}",
            t.product.line,
            t.product.model,
            t.product.serial,
            t.product.warranty.zh()
        );
        let address = format!("{} {}", t.customer.district, t.customer.address);
        let explained = t
            .progress
            .special_case
            .as_ref()
            .map(|f| f.note.clone())
            .unwrap_or_default();
        let rows = vec![
            ("报修时间", "Reported (T1)", fmt_minutes(cal, t.t1)),
            ("用户姓名", "Customer", safe(&t.customer.name)),
            ("联系电话", "Phone", safe(&t.customer.phones.join(" / "))),
            ("地址", "Address", safe(address.trim())),
            ("产品", "Product", safe(product.trim())),
            ("故障描述", "Fault", safe(&t.fault)),
            ("拒绝时间", "Refused at", fmt_minutes(cal, refused.at)),
            ("工程师记录", "Engineer's note", safe(&refused.note)),
            (
                "拒绝内容及原因",
                "What was refused, and why",
                safe(&explained),
            ),
            ("服务工程师", "Engineer", safe(&refused.engineer)),
        ];
        Ok(SpecialCaseForm {
            station: safe(&format!(
                "{}（{}）",
                settings.station.name, settings.station.code
            )),
            ticket_no: safe(&t.ticket_no),
            rows,
            printed_at: fmt_minutes(cal, printed_at),
        })
    }

    /// One A4 page of HTML, every field escaped.
    pub fn html(&self) -> String {
        let e = |s: &str| html_escape::encode_text(s).into_owned();
        let rows: String = self
            .rows
            .iter()
            .map(|(zh, en, v)| {
                format!(
                    "<tr><th>{zh}<span class=\"en\">{en}</span></th><td>{}</td></tr>\n",
                    e(v)
                )
            })
            .collect();
        format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>特殊情况说明表 {no}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10.5pt; }}
h1 {{ font-size: 15pt; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 3mm; }}
th, td {{ border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
th {{ width: 40mm; background: #eee; }}
td {{ word-break: break-all; min-height: 8mm; }}
.en {{ display: block; font-size: 7pt; font-weight: normal; color: #333; }}
.sign td {{ height: 16mm; }}
</style>
</head>
<body>
<div>{station}</div>
<h1>特殊情况说明表 <span class="en" style="display:inline">Special-case form (R9)</span></h1>
<div>维修单号 No. <b>{no}</b></div>
<table>
{rows}</table>
<table class="sign">
<tr><th>用户签字<span class="en">Customer</span></th><td></td><th>工程师签字<span class="en">Engineer</span></th><td></td></tr>
<tr><th>站长/协调员<span class="en">Station</span></th><td></td><th>大区审批<span class="en">Region's approval</span></th><td></td></tr>
</table>
<p>打印 Printed {printed} · 用户拒绝服务方案的维修单须经大区批准后撤单 (R9, R15)</p>
</body>
</html>
"#,
            no = e(&self.ticket_no),
            station = e(&self.station),
            printed = e(&self.printed_at),
        )
    }

    /// Plain text for a dot-matrix printer (CRLF line ends).
    pub fn text(&self) -> String {
        let mut out = vec![
            "=".repeat(78),
            format!("{}    特殊情况说明表 Special-case form", self.station),
            format!("单号 No.  {}", self.ticket_no),
            "-".repeat(78),
        ];
        for (zh, _, v) in &self.rows {
            out.push(format!("{zh}：{v}"));
        }
        out.push("-".repeat(78));
        out.push(String::new());
        out.push("用户签字：____________    工程师签字：____________".into());
        out.push(String::new());
        out.push("站长/协调员：__________    大区审批：______________".into());
        out.push("=".repeat(78));
        out.push(format!("打印 {}   (R9, R15)", self.printed_at));
        let mut s = out.join("\r\n");
        s.push_str("\r\n");
        s
    }
}

/// Where the form goes by default: `<data dir>/print/NO-special-case.html`.
pub fn default_path(data_dir: &std::path::Path, ticket_no: &str) -> std::path::PathBuf {
    data_dir.join("print").join(format!(
        "{}-special-case.html",
        super::print::file_stem(ticket_no)
    ))
}
