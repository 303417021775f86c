//! Rows of a CSV or XLSX file, one cell list per line, whatever the format:
//! the import reads dispatch files through this.

use std::cell::Cell as Counter;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use calamine::{Data, Range, Reader};
use chrono::{NaiveDate, NaiveDateTime};

use super::csv_rows::{CsvRows, MAX_CELL_BYTES, MAX_COLUMNS, Record};
use super::decode::{TextEncoding, utf8_reader};
use crate::domain::text::Msg;

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// An Excel date/time cell (local time, no zone).
    Date(NaiveDateTime),
}

impl Cell {
    /// The cell as text (an Excel date as `YYYY-MM-DD HH:MM:SS`).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(s) => std::borrow::Cow::Borrowed(s),
            Cell::Date(d) => std::borrow::Cow::Owned(d.format("%Y-%m-%d %H:%M:%S").to_string()),
        }
    }
}

/// One row: its line number in the file (1 = the header) and its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A row that cannot be read as cells (an unbalanced quote, a cell or a row
/// over the limits): it is rejected with its line, like a row with a bad
/// value.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenRow {
    pub line: u64,
    pub reason: Msg,
}

/// Why a file cannot be read as rows.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a readable spreadsheet ({detail})")]
    NotSpreadsheet { path: PathBuf, detail: String },
    #[error("{path}: {} (the header); nothing was imported", .reason.en)]
    Header { path: PathBuf, reason: Msg },
    #[error("{path}: {part} of the workbook expands to more than {} MiB{}, the limit; nothing was imported (save a list this large as CSV)", .limit / (1024 * 1024), if *.total { " in all" } else { "" })]
    TooLarge {
        path: PathBuf,
        part: String,
        limit: u64,
        /// The limit on all parts together, not one.
        total: bool,
    },
    #[error("{path}: unknown file type; expected .csv or .xlsx")]
    UnknownType { path: PathBuf },
}

/// The most bytes one part of a workbook (a sheet, the shared strings) may
/// expand to: the workbook reader holds a sheet in memory, so this bounds
/// its memory (a "zip bomb" of 1 GB of shared strings is refused at it).
/// A daily list of 5,000 rows is ~3 MB.
pub const MAX_XLSX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes all parts of a workbook may expand to together.
pub const MAX_XLSX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// Expands every part of a workbook (without keeping it) to check it stays
/// under the limits. A file that is not a zip archive is left for the
/// workbook reader to refuse.
fn check_parts(path: &Path) -> Result<(), SheetError> {
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("part {i}"));
        let too_large = |total: bool| SheetError::TooLarge {
            path: path.to_path_buf(),
            part: crate::present::sanitize::terminal_safe(&name).into_owned(),
            limit: if total {
                MAX_XLSX_TOTAL_BYTES
            } else {
                MAX_XLSX_PART_BYTES
            },
            total,
        };
        // A damaged part is the workbook reader's to report.
        let n = io::copy(
            &mut (&mut part).take(MAX_XLSX_PART_BYTES + 1),
            &mut io::sink(),
        )
        .unwrap_or(0);
        if n > MAX_XLSX_PART_BYTES {
            return Err(too_large(false));
        }
        total += n;
        if total > MAX_XLSX_TOTAL_BYTES {
            return Err(too_large(true));
        }
    }
    Ok(())
}

/// An open dispatch file, positioned after its header.
pub struct Sheet {
    pub path: PathBuf,
    pub header: Vec<String>,
    /// `None` for a spreadsheet.
    pub encoding: Option<TextEncoding>,
    /// Bytes of the file (CSV) or rows (XLSX) in all, for a progress bar.
    pub total: u64,
    rows: Rows,
}

enum Rows {
    Csv {
        reader: CsvRows<BufReader<Box<dyn Read>>>,
        consumed: Rc<Counter<u64>>,
    },
    Xlsx {
        range: Range<Data>,
        next: usize,
        first_line: u64,
        pad: usize,
    },
}

impl Sheet {
    /// Opens a `.csv`, `.xlsx` (or `.xlsm`, `.xls`) file and reads its header.
    pub fn open(path: &Path) -> Result<Sheet, SheetError> {
        match super::extension(path).as_str() {
            "csv" | "txt" => Sheet::open_csv(path),
            "xlsx" | "xlsm" | "xls" => Sheet::open_workbook(path),
            _ => Err(SheetError::UnknownType {
                path: path.to_path_buf(),
            }),
        }
    }

    fn open_csv(path: &Path) -> Result<Sheet, SheetError> {
        let io_err = |source| SheetError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io_err)?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let consumed = Rc::new(Counter::new(0));
        let counting = Counting {
            inner: file,
            consumed: Rc::clone(&consumed),
        };
        let (enc, text) =
            utf8_reader(BufReader::with_capacity(256 * 1024, counting)).map_err(io_err)?;
        let mut text = BufReader::with_capacity(64 * 1024, text);
        let delimiter = sniff_delimiter(&mut text).map_err(io_err)?;
        let mut reader = CsvRows::new(text, delimiter);
        let header = reader
            .header()
            .map_err(io_err)?
            .map_err(|reason| SheetError::Header {
                path: path.to_path_buf(),
                reason,
            })?;
        Ok(Sheet {
            path: path.to_path_buf(),
            header,
            encoding: Some(enc),
            total,
            rows: Rows::Csv { reader, consumed },
        })
    }

    fn open_workbook(path: &Path) -> Result<Sheet, SheetError> {
        if let Err(source) = File::open(path) {
            return Err(SheetError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        if super::extension(path) != "xls" {
            check_parts(path)?;
        }
        let not_sheet = |detail: String| SheetError::NotSpreadsheet {
            path: path.to_path_buf(),
            detail,
        };
        // The workbook reader is a third party's parser of untrusted bytes:
        // should it panic on a damaged file (calamine 0.38 overflows on an
        // absurd cell reference), the file is refused like any other
        // damaged one.
        let read = std::panic::catch_unwind(|| {
            let mut book = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
            match book.worksheet_range_at(0) {
                Some(r) => r.map_err(|e| e.to_string()),
                None => Err("it has no worksheet".to_string()),
            }
        });
        let range = match read {
            Ok(r) => r.map_err(not_sheet)?,
            Err(_) => return Err(not_sheet("the workbook is damaged".into())),
        };
        let first_line = range.start().map_or(1, |(r, _)| u64::from(r) + 1);
        // Columns left of the used range are empty; keep positions as in the file.
        let pad = range.start().map_or(0, |(_, c)| c as usize);
        let mut sheet = Sheet {
            path: path.to_path_buf(),
            header: Vec::new(),
            encoding: None,
            total: range.height() as u64,
            rows: Rows::Xlsx {
                range,
                next: 0,
                first_line,
                pad,
            },
        };
        match sheet.next_row()? {
            Some(Ok(row)) => {
                sheet.header = row.cells.iter().map(|c| c.text().into_owned()).collect();
            }
            Some(Err(broken)) => {
                return Err(SheetError::Header {
                    path: path.to_path_buf(),
                    reason: broken.reason,
                });
            }
            None => {}
        }
        Ok(sheet)
    }

    /// The next row (or the reason it cannot be read), or `None` at the end
    /// of the file.
    pub fn next_row(&mut self) -> Result<Option<Result<Row, BrokenRow>>, SheetError> {
        match &mut self.rows {
            Rows::Csv { reader, .. } => match reader.next_record() {
                Ok(None) => Ok(None),
                Ok(Some(Record::Cells { line, cells })) => Ok(Some(Ok(Row {
                    line,
                    cells: cells.into_iter().map(Cell::Text).collect(),
                }))),
                Ok(Some(Record::Broken { line, reason })) => {
                    Ok(Some(Err(BrokenRow { line, reason })))
                }
                Err(source) => Err(SheetError::Io {
                    path: self.path.clone(),
                    source,
                }),
            },
            Rows::Xlsx {
                range,
                next,
                first_line,
                pad,
            } => {
                if *next >= range.height() {
                    return Ok(None);
                }
                let r = *next;
                let line = *first_line + r as u64;
                *next += 1;
                let width = *pad + range.width();
                if width > MAX_COLUMNS {
                    return Ok(Some(Err(BrokenRow {
                        line,
                        reason: too_wide(width),
                    })));
                }
                let mut cells = vec![Cell::Text(String::new()); *pad];
                cells.extend(
                    (0..range.width())
                        .map(|c| range.get((r, c)).map_or(Cell::Text(String::new()), cell_of)),
                );
                if let Some(col) = cells.iter().position(|c| c.text().len() > MAX_CELL_BYTES) {
                    return Ok(Some(Err(BrokenRow {
                        line,
                        reason: Msg::new(
                            format!(
                                "第 {} 列的单元格超过 {} KiB 的上限",
                                col + 1,
                                MAX_CELL_BYTES / 1024
                            ),
                            format!(
                                "the cell in column {} is longer than the limit of {} KiB for a cell",
                                col + 1,
                                MAX_CELL_BYTES / 1024
                            ),
                        ),
                    })));
                }
                Ok(Some(Ok(Row { line, cells })))
            }
        }
    }

    /// How far through the file the reading is, in the unit of `total`.
    pub fn position(&self) -> u64 {
        match &self.rows {
            Rows::Csv { consumed, .. } => consumed.get(),
            Rows::Xlsx { next, .. } => *next as u64,
        }
    }
}

fn too_wide(width: usize) -> Msg {
    Msg::new(
        format!("有 {width} 列，超过 {MAX_COLUMNS} 列的上限"),
        format!("{width} cells, more than the limit of {MAX_COLUMNS}"),
    )
}

/// Comma, unless the header line has tabs or semicolons and no comma.
fn sniff_delimiter<R: io::BufRead>(r: &mut R) -> io::Result<u8> {
    let buf = r.fill_buf()?;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let has = |c: u8| line.contains(&c);
    Ok(if has(b',') {
        b','
    } else if has(b'\t') {
        b'\t'
    } else if has(b';') {
        b';'
    } else {
        b','
    })
}

/// A spreadsheet cell as the import sees it.
fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Text(String::new()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Text(i.to_string()),
        // Phone and ticket numbers typed into Excel become numbers.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => Cell::Text(format!("{f:.0}")),
        Data::Float(f) => Cell::Text(f.to_string()),
        Data::Bool(b) => Cell::Text(if *b { "1" } else { "0" }.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
                .and_then(|date| date.and_hms_opt(u32::from(h), u32::from(mi), u32::from(s)))
            {
                Some(t) => Cell::Date(t),
                None => Cell::Text(dt.as_f64().to_string()),
            }
        }
        Data::DateTime(dt) => Cell::Text(dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e}")),
    }
}

/// Counts the bytes read from a file (for the progress bar).
struct Counting<R> {
    inner: R,
    consumed: Rc<Counter<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}
