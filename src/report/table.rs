//! Report files: CSV (UTF-8 with BOM, so Excel opens it correctly) or XLSX,
//! chosen by the file's extension. Files are created readable by the owner
//! only (customer data).

use std::path::Path;

use crate::atomic_file::AtomicFile;
use crate::present::sanitize::{csv_cell, sheet_cell};

/// One cell of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Num(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Num(f64::from(n))
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A titled table: a worksheet in XLSX, a block in CSV.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Which file format an output path asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// The format of `path` by extension, or `None` if it is neither.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: the file name must end in .csv or .xlsx")]
    Extension { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Xlsx { path: String, message: String },
}

/// Writes the sheets to `path` (CSV: one block per sheet, separated by an
/// empty line; XLSX: one worksheet per sheet).
pub fn write(path: &Path, sheets: &[Sheet]) -> Result<(), WriteError> {
    let p = path.display().to_string();
    let bytes = match format_of(path) {
        Some(Format::Csv) => csv_bytes(sheets),
        Some(Format::Xlsx) => xlsx_bytes(sheets).map_err(|e| WriteError::Xlsx {
            path: p.clone(),
            message: e.to_string(),
        })?,
        None => return Err(WriteError::Extension { path: p }),
    };
    let io = |source| WriteError::Io {
        path: p.clone(),
        source,
    };
    AtomicFile::write_all_and_commit(path, &bytes).map_err(io)
}

fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn csv_bytes(sheets: &[Sheet]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    for (i, sheet) in sheets.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        if sheets.len() > 1 {
            let _ = w.write_record([csv_cell(&sheet.name)]);
        }
        let _ = w.write_record(sheet.headers.iter().map(|h| csv_cell(h)));
        for row in &sheet.rows {
            let _ = w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => csv_cell(s),
                Cell::Num(n) => num_text(*n),
                Cell::Empty => String::new(),
            }));
        }
        if let Ok(bytes) = w.into_inner() {
            out.extend(bytes);
        }
    }
    out
}

fn xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        // Sheet names: at most 31 characters, some punctuation forbidden.
        let name: String = sheet
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        if !name.is_empty() {
            ws.set_name(name)?;
        }
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, sheet_cell(h), &bold)?;
            ws.set_column_width(c as u16, 14)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c as u16, sheet_cell(s))?;
                    }
                    Cell::Num(n) => {
                        ws.write_number(r, c as u16, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_blocks_and_defused_formulas() {
        let sheets = [
            Sheet {
                name: "a".into(),
                headers: vec!["x".into(), "y".into()],
                rows: vec![vec![Cell::from("=1+1"), Cell::Num(2.0)]],
            },
            Sheet {
                name: "b".into(),
                headers: vec!["z".into()],
                rows: vec![vec![Cell::Num(0.5)], vec![Cell::Empty]],
            },
        ];
        let text = String::from_utf8(csv_bytes(&sheets)).unwrap();
        assert_eq!(text, "\u{feff}a\nx,y\n'=1+1,2\n\nb\nz\n0.5\n\"\"\n");
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(format_of(Path::new("k.CSV")), Some(Format::Csv));
        assert_eq!(format_of(Path::new("k.xlsx")), Some(Format::Xlsx));
        assert_eq!(format_of(Path::new("k.txt")), None);
        assert_eq!(format_of(Path::new("k")), None);
    }
}
