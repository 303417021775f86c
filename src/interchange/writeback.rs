//! `export writeback`: the write-back file (回写) for the call centre, with
//! T1–T4 per ticket (docs/files.md "Write-back file").

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::atomic_file::AtomicFile;
use crate::domain::calendar::Calendar;
use crate::domain::ticket::*;
use crate::present::fmt_seconds;
use crate::present::sanitize::{csv_cell, sheet_cell};
use crate::store::{Store, StoreError, day_bounds};

/// The columns, in the order the call centre reads them.
pub const COLUMNS: [&str; 20] = [
    "维修单号",
    "状态",
    "服务方式",
    "T1",
    "T2",
    "T31",
    "T31类型",
    "T31原因",
    "T32",
    "T32类型",
    "T32原因",
    "T33",
    "T33类型",
    "T33原因",
    "T4",
    "工程师",
    "备件订单",
    "签字人",
    "撤单原因",
    "回访结果",
];

/// The CC system's special T31 (R2 unreachable, R4 phone resolved).
pub const SPECIAL_T31: &str = "2010-01-01 00:00:00";

/// The most rows an XLSX sheet holds (with the header).
const XLSX_MAX_ROWS: u64 = 1_048_575;

#[derive(Debug, thiserror::Error)]
pub enum WritebackError {
    #[error("{path}: unknown file type; expected .csv or .xlsx")]
    UnknownType { path: PathBuf },
    #[error("{path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("{path}: {count} tickets do not fit in one XLSX sheet; use .csv or narrow --from/--to")]
    TooMany { path: PathBuf, count: u64 },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Which tickets: last changed on or after `from`, on or before `to` (station days).
#[derive(Clone, Copy, Debug, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One ticket's row of the write-back file.
pub fn row(cal: &Calendar, t: &Ticket) -> [String; 20] {
    let time = |x: Option<Time>| x.map(|x| fmt_seconds(cal, x)).unwrap_or_default();
    let promise = |i: usize| -> [String; 3] {
        match t.promises().get(i) {
            None => Default::default(),
            Some(p) => [
                match p.kind {
                    PromiseKind::Time => time(p.at),
                    PromiseKind::Unreachable | PromiseKind::PhoneResolved => SPECIAL_T31.into(),
                },
                p.ptype.zh().into(),
                p.reason.clone(),
            ],
        }
    };
    let [t31, t31_type, t31_reason] = promise(0);
    let [t32, t32_type, t32_reason] = promise(1);
    let [t33, t33_type, t33_reason] = promise(2);
    let parts = t
        .progress
        .parts
        .iter()
        .map(|o| format!("{}:{}×{}", o.order, o.part, o.qty))
        .collect::<Vec<_>>()
        .join(";");
    // A rejected request is no cancellation (R15).
    let cancel = t
        .progress
        .cancel
        .as_ref()
        .filter(|c| c.approved != Some(false))
        .map(|c| c.reason.zh().to_string())
        .unwrap_or_default();
    [
        t.ticket_no.clone(),
        t.status.zh().into(),
        t.service_type.zh().into(),
        fmt_seconds(cal, t.t1),
        time(t.t2),
        t31,
        t31_type,
        t31_reason,
        t32,
        t32_type,
        t32_reason,
        t33,
        t33_type,
        t33_reason,
        time(t.t4),
        t.engineer.clone().unwrap_or_default(),
        parts,
        t.progress.signed_by.clone().unwrap_or_default(),
        cancel,
        t.progress
            .followup
            .as_ref()
            .map(|f| f.result.zh().to_string())
            .unwrap_or_default(),
    ]
}

/// Writes the write-back file; returns how many tickets it holds.
pub fn export(
    store: &Store,
    cal: &Calendar,
    period: Period,
    path: &Path,
) -> Result<u64, WritebackError> {
    let ext = super::extension(path);
    if ext != "csv" && ext != "xlsx" {
        return Err(WritebackError::UnknownType {
            path: path.to_path_buf(),
        });
    }
    let from = period.from.map(|d| day_bounds(cal, d).0);
    let to = period.to.map(|d| day_bounds(cal, d).1);
    let wr = |detail: String| WritebackError::Write {
        path: path.to_path_buf(),
        detail,
    };
    if ext == "xlsx" {
        let count = store.count_updated(from, to)?;
        if count > XLSX_MAX_ROWS {
            return Err(WritebackError::TooMany {
                path: path.to_path_buf(),
                count,
            });
        }
    }
    let mut count = 0u64;
    if ext == "csv" {
        let file = AtomicFile::create(path).map_err(|e| wr(e.to_string()))?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| wr(e.to_string()))?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(COLUMNS).map_err(|e| wr(e.to_string()))?;
        store.each_updated(from, to, |t| -> Result<(), WritebackError> {
            let r = row(cal, &t);
            w.write_record(r.iter().map(|s| csv_cell(s)))
                .map_err(|e| wr(e.to_string()))?;
            count += 1;
            Ok(())
        })?;
        let out = w.into_inner().map_err(|e| wr(e.error().to_string()))?;
        let file = out.into_inner().map_err(|e| wr(e.error().to_string()))?;
        file.commit().map_err(|e| wr(e.to_string()))?;
    } else {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("回写").map_err(|e| wr(e.to_string()))?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in COLUMNS.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(|e| wr(e.to_string()))?;
        }
        store.each_updated(from, to, |t| -> Result<(), WritebackError> {
            count += 1;
            for (c, v) in row(cal, &t).iter().enumerate() {
                if !v.is_empty() {
                    sheet
                        .write_string(count as u32, c as u16, sheet_cell(v))
                        .map_err(|e| wr(e.to_string()))?;
                }
            }
            Ok(())
        })?;
        sheet
            .set_freeze_panes(1, 1)
            .map_err(|e| wr(e.to_string()))?;
        for (c, width) in [
            (0u16, 18.0),
            (3, 20.0),
            (4, 20.0),
            (5, 20.0),
            (8, 20.0),
            (11, 20.0),
            (14, 20.0),
        ] {
            sheet
                .set_column_width(c, width)
                .map_err(|e| wr(e.to_string()))?;
        }
        let bytes = book.save_to_buffer().map_err(|e| wr(e.to_string()))?;
        AtomicFile::write_all_and_commit(path, &bytes).map_err(|e| wr(e.to_string()))?;
    }
    Ok(count)
}
