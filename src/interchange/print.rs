//! The printed work order (R7): what the engineer takes to the customer and
//! the customer signs (R11). HTML for any browser (one A4 page) or plain
//! text for a dot-matrix printer.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::calendar::Calendar;
use crate::domain::settings::Settings;
use crate::domain::ticket::*;
use crate::present::sanitize::terminal_safe;
use crate::present::{fmt_minutes, t3_label};

/// A label in Chinese with its English gloss.
#[derive(Clone, Copy)]
struct Label(&'static str, &'static str);

/// Everything printed, as safe display text.
pub struct WorkOrder {
    pub station: String,
    pub ticket_no: String,
    service: String,
    flags: Vec<&'static str>,
    rows: Vec<(Label, String)>,
    fault: String,
    note: String,
    parts: Vec<String>,
    engineer: String,
    /// P5: out of warranty, the quote and charge box.
    paid: Option<Option<f64>>,
    printed_at: String,
    /// A carry-in (送修) work order: bench words, collection instead of a visit.
    carry_in: bool,
}

/// Untrusted text made safe to show or print (controls visible, one line).
fn safe(s: &str) -> String {
    terminal_safe(s).into_owned()
}

impl WorkOrder {
    pub fn new(settings: &Settings, cal: &Calendar, t: &Ticket, printed_at: Time) -> WorkOrder {
        let st = &settings.station;
        let mut flags = Vec::new();
        match t.priority {
            Priority::Emergency => flags.push("特急 emergency"),
            Priority::Urgent => flags.push("紧急 urgent"),
            Priority::Normal => {}
        }
        if t.special {
            flags.push("特殊用户 special");
        }
        if t.urge {
            flags.push("催上门 urge");
        }
        // After T33 the engineer goes at the appointment (R12).
        let promise = match (t.last_appointment(), t.last_promise()) {
            (Some(a), _) => format!("{}  (约定 appointment)", fmt_minutes(cal, a.at)),
            (None, None) => String::new(),
            (None, Some(p)) => match (p.kind, p.at) {
                // Carry-in: the agreed collection time, without the
                // commitment type (its words are about visits).
                (PromiseKind::Time, Some(at)) if t.is_carry_in() => {
                    format!("{}  ({})", fmt_minutes(cal, at), t3_label(p.seq))
                }
                (PromiseKind::Time, Some(at)) => {
                    format!(
                        "{} {}  ({})",
                        fmt_minutes(cal, at),
                        p.ptype.zh(),
                        t3_label(p.seq)
                    )
                }
                (k, _) => format!("{} ({})", k.zh(), t3_label(p.seq)),
            },
        };
        let address = [t.customer.district.as_str(), t.customer.address.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let rows = vec![
            (Label("报修时间", "Reported (T1)"), fmt_minutes(cal, t.t1)),
            (Label("用户姓名", "Customer"), safe(&t.customer.name)),
            (
                Label("联系电话", "Phone"),
                safe(&t.customer.phones.join(" / ")),
            ),
            (Label("地址", "Address"), safe(&address)),
            (
                Label("产品", "Product"),
                safe(format!("{} {}", t.product.line, t.product.model).trim()),
            ),
            (Label("主机号", "Serial"), safe(&t.product.serial)),
            (
                Label("保修状态", "Warranty"),
                format!("{} {}", t.product.warranty.zh(), t.product.warranty.en()),
            ),
            if t.is_carry_in() {
                (Label("约定取机", "Collection (T3)"), promise)
            } else {
                (Label("承诺时间", "Promised (T3)"), promise)
            },
        ];
        let mut rows = rows;
        if let Some(c) = t.progress.fault_class {
            rows.push((
                Label("故障分类", "Fault class"),
                format!("{} {}", c.zh(), c.en()),
            ));
        }
        let parts = t
            .progress
            .parts
            .iter()
            .map(|o| {
                let state = match o.arrived_at {
                    Some(_) => "已到货 arrived".to_string(),
                    None => match o.eta {
                        Some(eta) => format!("预计 eta {}", fmt_minutes(cal, eta)),
                        None => "未到货 pending".to_string(),
                    },
                };
                safe(&format!("{}:{}×{}  {state}", o.order, o.part, o.qty))
            })
            .collect();
        let engineer = match (&t.engineer, &t.site) {
            (Some(e), Some(s)) => safe(&format!("{e} @{s}")),
            (Some(e), None) => safe(e),
            (None, _) => String::new(),
        };
        WorkOrder {
            station: safe(&format!("{}（{}）", st.name, st.code)),
            ticket_no: safe(&t.ticket_no),
            service: format!("{} {}", t.service_type.zh(), t.service_type.en()),
            flags,
            rows,
            fault: safe(&t.fault),
            note: safe(&t.note),
            parts,
            engineer,
            paid: (t.product.warranty == Warranty::Out)
                .then(|| t.progress.quote.as_ref().map(|q| q.amount)),
            printed_at: fmt_minutes(cal, printed_at),
            carry_in: t.is_carry_in(),
        }
    }

    /// One A4 page of HTML, every field escaped.
    pub fn html(&self) -> String {
        let e = |s: &str| html_escape::encode_text(s).into_owned();
        let mut rows = String::new();
        let mut row = |l: Label, value: &str, class: &str| {
            rows.push_str(&format!(
                "<tr><th>{}<span class=\"en\">{}</span></th><td class=\"{class}\">{}</td></tr>\n",
                l.0,
                l.1,
                e(value)
            ));
        };
        for (l, v) in &self.rows {
            row(*l, v, "");
        }
        row(Label("故障描述", "Fault"), &self.fault, "fault");
        if !self.note.is_empty() {
            row(Label("备注", "Note"), &self.note, "");
        }
        let parts = if self.parts.is_empty() {
            "—".to_string()
        } else {
            self.parts
                .iter()
                .map(|p| e(p))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let parts_label = if self.carry_in {
            "所需备件<span class=\"en\">Parts needed</span>"
        } else {
            "携带备件<span class=\"en\">Parts to bring</span>"
        };
        rows.push_str(&format!(
            "<tr><th>{parts_label}</th><td>{parts}</td></tr>\n"
        ));
        rows.push_str(&format!(
            "<tr><th>工程师<span class=\"en\">Engineer</span></th><td>{}</td></tr>\n",
            e(&self.engineer)
        ));
        rows.push_str(if self.carry_in {
            "<tr><th>送修维修<span class=\"en\">Bench repair</span></th><td class=\"box\">\
             <span class=\"hint\">□ 已修好 fixed　□ 未修好 not fixed　\
             更换备件 / 返还备件 parts used / returned：</span></td></tr>\n"
        } else {
            "<tr><th>处理结果<span class=\"en\">Work done</span></th><td class=\"box\">\
             <span class=\"hint\">□ 已修复 fixed　□ 未修复 not fixed　□ 用户拒绝 refused　□ 用户不在 not at home　\
             更换备件 / 返还备件 parts used / returned：</span></td></tr>\n"
        });
        let paid = match self.paid {
            None => String::new(),
            Some(quote) => format!(
                "<table class=\"fee\"><tr><th>保外收费<span class=\"en\">Paid repair (P5)</span></th>\
                 <td>报价 Quote：{}　用户确认 Approved：______　实收 Charged：______ 元</td></tr></table>\n",
                quote.map_or("________ 元".to_string(), |q| format!("{q:.2} 元"))
            ),
        };
        let flags = if self.flags.is_empty() {
            String::new()
        } else {
            format!(
                "<div class=\"flags\">{}</div>",
                self.flags
                    .iter()
                    .map(|f| e(f))
                    .collect::<Vec<_>>()
                    .join(" · ")
            )
        };
        format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>维修单 {no}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 10.5pt; line-height: 1.35; color: #000; background: #fff; }}
.sheet {{ width: 186mm; max-height: 272mm; overflow: hidden; margin: 0 auto; padding: 0; }}
@media screen {{ body {{ background: #ddd; }} .sheet {{ background: #fff; padding: 12mm; width: 210mm; margin: 8mm auto; }} }}
header {{ display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #000; padding-bottom: 2mm; }}
.station {{ font-size: 11pt; }}
h1 {{ font-size: 15pt; margin: 1mm 0; font-weight: bold; }}
.no {{ font-size: 22pt; font-weight: bold; font-family: "DejaVu Sans Mono", Consolas, monospace; letter-spacing: 0.3mm; word-break: break-all; }}
.meta {{ margin-top: 1mm; }}
.flags {{ margin-top: 1mm; font-weight: bold; }}
.qr svg {{ width: 30mm; height: 30mm; display: block; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 3mm; page-break-inside: avoid; }}
th, td {{ border: 1px solid #000; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
th {{ width: 30mm; background: #eee; font-weight: bold; white-space: nowrap; }}
td {{ word-break: break-all; }}
.en {{ display: block; font-size: 7pt; font-weight: normal; color: #333; }}
.fault {{ min-height: 14mm; height: 14mm; }}
.box {{ height: 30mm; }}
.hint {{ font-size: 8.5pt; color: #333; }}
.sign {{ display: flex; justify-content: space-between; margin-top: 8mm; }}
.sign div {{ width: 48%; }}
.line {{ display: inline-block; border-bottom: 1px solid #000; width: 45mm; height: 6mm; vertical-align: bottom; }}
footer {{ margin-top: 5mm; font-size: 8pt; color: #333; border-top: 1px solid #999; padding-top: 1mm; }}
</style>
</head>
<body>
<div class="sheet">
<header>
<div>
<div class="station">{station}</div>
<h1>维修单 <span class="en" style="display:inline">Work order</span></h1>
<div class="no">{no}</div>
<div class="meta">{service}</div>
{flags}
</div>
<div class="qr">{qr}</div>
</header>
<table>
{rows}</table>
{paid}<div class="sign">
<div>{customer_sign}<br><br>
日期 <span class="en" style="display:inline">Date</span> ______ 年 ____ 月 ____ 日 ____ 时</div>
<div>工程师签字 <span class="en" style="display:inline">Engineer</span> <span class="line"></span><br><br>
{engineer_times}</div>
</div>
<footer>{footer} · 打印 Printed {printed}</footer>
</div>
</body>
</html>
"#,
            no = e(&self.ticket_no),
            station = e(&self.station),
            service = e(&self.service),
            qr = qr_svg(&self.ticket_no),
            printed = e(&self.printed_at),
            customer_sign = if self.carry_in {
                "用户取机签字 <span class=\"en\" style=\"display:inline\">Collected, signature</span> <span class=\"line\"></span>"
            } else {
                "用户签字 <span class=\"en\" style=\"display:inline\">Customer signature</span> <span class=\"line\"></span>"
            },
            engineer_times = if self.carry_in {
                "修好时间 <span class=\"en\" style=\"display:inline\">Repaired</span> ______ 年 ____ 月 ____ 日 ____ 时"
            } else {
                "到场 <span class=\"en\" style=\"display:inline\">Arrived</span> ____ 日 ____ 时 ____ 分　\
                 完成 <span class=\"en\" style=\"display:inline\">Completed</span> ____ 日 ____ 时 ____ 分"
            },
            footer = if self.carry_in {
                "用户取机签字即确认维修完成 (R11) · The customer's signature on collection confirms the repair is complete"
            } else {
                "用户签字即确认服务完成 (R11) · The customer's signature confirms the service is complete"
            },
        )
    }

    /// Plain text, fixed width, for a dot-matrix printer (CRLF line ends).
    pub fn text(&self) -> String {
        const WIDTH: usize = 78;
        const LABEL: usize = 12;
        let mut out: Vec<String> = Vec::new();
        let rule = |c: char| c.to_string().repeat(WIDTH);
        out.push(rule('='));
        out.push(spread(&self.station, "维修单 Work order", WIDTH));
        out.push(format!("单号 No.  {}", self.ticket_no));
        let mut meta = self.service.clone();
        for f in &self.flags {
            meta.push_str("  ");
            meta.push_str(f);
        }
        out.push(meta);
        out.push(rule('-'));
        let mut field = |label: &str, value: &str| {
            let lines = wrap(value, WIDTH - LABEL);
            for (i, l) in lines.iter().enumerate() {
                let head = if i == 0 {
                    pad(label, LABEL)
                } else {
                    " ".repeat(LABEL)
                };
                out.push(format!("{head}{l}").trim_end().to_string());
            }
        };
        for (l, v) in &self.rows {
            field(l.0, v);
        }
        field("故障描述", &self.fault);
        if !self.note.is_empty() {
            field("备注", &self.note);
        }
        let parts_label = if self.carry_in {
            "所需备件"
        } else {
            "携带备件"
        };
        if self.parts.is_empty() {
            field(parts_label, "—");
        }
        for (i, p) in self.parts.iter().enumerate() {
            field(if i == 0 { parts_label } else { "" }, p);
        }
        field("工程师", &self.engineer);
        out.push(rule('-'));
        out.push(if self.carry_in {
            "送修维修  [ ]已修好  [ ]未修好".into()
        } else {
            "处理结果  [ ]已修复  [ ]未修复  [ ]用户拒绝  [ ]用户不在".into()
        });
        out.push("更换/返还备件：".into());
        out.push(String::new());
        out.push(String::new());
        if let Some(quote) = self.paid {
            out.push(rule('-'));
            out.push(format!(
                "保外收费 (P5)  报价：{}  用户确认：________  实收金额：________ 元",
                quote.map_or("________ 元".to_string(), |q| format!("{q:.2} 元"))
            ));
        }
        out.push(rule('-'));
        out.push(String::new());
        if self.carry_in {
            out.push("用户取机签字：________________  日期：______年____月____日____时".into());
            out.push(String::new());
            out.push("工程师签字：______________    修好：______年____月____日____时".into());
        } else {
            out.push("用户签字：________________    日期：______年____月____日____时".into());
            out.push(String::new());
            out.push(
                "工程师签字：__________  到场：____日____时____分  完成：____日____时____分".into(),
            );
        }
        out.push(rule('='));
        out.push(format!(
            "打印 {}   {}",
            self.printed_at,
            if self.carry_in {
                "用户取机签字即确认维修完成 (R11)"
            } else {
                "用户签字即确认服务完成 (R11)"
            }
        ));
        let mut s = out.join("\r\n");
        s.push_str("\r\n");
        s
    }
}

/// The ticket number as an inline SVG QR code ("" if it cannot be encoded).
fn qr_svg(data: &str) -> String {
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(120, 120)
                .quiet_zone(true)
                .build();
            // Inline in HTML: drop the XML declaration.
            match svg.find("<svg") {
                Some(i) => svg[i..].to_string(),
                None => String::new(),
            }
        }
        Err(_) => String::new(),
    }
}

/// Pads to a display width (CJK characters count two).
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Left and right text on one line of the given display width.
fn spread(left: &str, right: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(left) + UnicodeWidthStr::width(right);
    format!(
        "{left}{}{right}",
        " ".repeat(width.saturating_sub(used).max(2))
    )
}

/// Breaks text into lines of at most `width` display columns.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            lines.push(String::new());
            w = 0;
        }
        if let Some(l) = lines.last_mut() {
            l.push(c);
        }
        w += cw;
    }
    lines
}

/// Why a printout was not made. Nothing is recorded in either case.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{path}: unknown file type; expected .html or .txt")]
    FileType { path: std::path::PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Where a ticket's printout goes by default: `<data dir>/print/NO.html`.
pub fn default_path(data_dir: &std::path::Path, ticket_no: &str) -> std::path::PathBuf {
    data_dir
        .join("print")
        .join(format!("{}.html", file_stem(ticket_no)))
}

/// Records the printing (R7) and writes the work order to `path` (`.html` or
/// `.txt`), in one transaction: if the file cannot be written, nothing is
/// recorded. The command line and the dashboard both print through here.
pub fn print_work_order(
    store: &mut crate::store::Store,
    env: &crate::store::Env,
    ticket_no: &str,
    path: &std::path::Path,
    expected_version: Option<i64>,
) -> Result<crate::store::Outcome, PrintError> {
    use std::io::Write;
    let html = match crate::interchange::extension(path).as_str() {
        "html" | "htm" => true,
        "txt" => false,
        _ => {
            return Err(PrintError::FileType {
                path: path.to_path_buf(),
            });
        }
    };
    let io = |source| PrintError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_private_dir(dir).map_err(io)?;
    }
    let mut tx = store.begin()?;
    let out = tx.execute(
        ticket_no,
        &crate::domain::command::Command::Print,
        env,
        expected_version,
    )?;
    let order = WorkOrder::new(env.settings, env.calendar, &out.ticket, env.now);
    let body = if html { order.html() } else { order.text() };
    // The printout is complete on disk before the printing is recorded; a
    // failed write leaves the previous printout as it was.
    let mut f = crate::atomic_file::AtomicFile::create(path).map_err(io)?;
    f.write_all(body.as_bytes()).map_err(io)?;
    f.commit().map_err(io)?;
    tx.commit()?;
    Ok(out)
}

/// A file name for the ticket's printout: anything unusual becomes `_`.
pub fn file_stem(ticket_no: &str) -> String {
    let s: String = ticket_no
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() { "ticket".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_counts_wide_characters_twice() {
        assert_eq!(wrap("张伟张伟", 5), vec!["张伟", "张伟"]);
        assert_eq!(wrap("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(pad("用户", 6), "用户  ");
    }

    #[test]
    fn file_names_stay_in_the_folder() {
        assert_eq!(file_stem("../etc/passwd"), "_etc_passwd");
        assert_eq!(file_stem("ZD-20261126-0001"), "ZD-20261126-0001");
    }
}
