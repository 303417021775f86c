//! `import`: dispatch files into the store, one transaction per file.
//!
//! Rows whose number is already in the database are skipped (local progress
//! is never overwritten), so importing a file twice changes nothing; with
//! `update`, customer and product fields of those tickets are corrected
//! through the domain's `Edit` command (R19), as a coordinator would. New rows go through
//! [`crate::store::create_in`], i.e. `decide_new` (R3 phone flag, R17).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::decode::TextEncoding;
use super::dispatch::{self, HeaderError, Layout, RowError};
use super::sheet::{Sheet, SheetError};
use crate::domain::command::{Command, NewTicket};
use crate::domain::rule::{Refusal, Rule};
use crate::domain::text::Msg;
use crate::store::{Env, Store, StoreError, Tx};

/// Why a whole file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error("{path}: {}", header_problem(.problem))]
    Header { path: PathBuf, problem: HeaderError },
    #[error("{path}: {}", .refusal.render(crate::domain::text::Lang::En))]
    Refused { path: PathBuf, refusal: Refusal },
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The store failed after some batches were committed: those stay.
    #[error(
        "{}: the first {imported} tickets were written in whole batches; then: {source}. Import the file again for the rest (those already in are skipped)",
        path.display()
    )]
    Interrupted {
        path: PathBuf,
        imported: u64,
        source: StoreError,
    },
}

/// A failure of the store in the middle of a file: after whole batches were
/// committed, it says how far the import got.
fn stopped(path: &std::path::Path, committed: u64, e: StoreError) -> ImportError {
    if committed == 0 {
        ImportError::Store(e)
    } else {
        ImportError::Interrupted {
            path: path.to_path_buf(),
            imported: committed,
            source: e,
        }
    }
}

fn header_problem(p: &HeaderError) -> String {
    match p {
        HeaderError::Missing(cols) => format!(
            "required column missing: {}; nothing was imported",
            cols.iter()
                .map(|(zh, en)| format!("{zh} ({en})"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        HeaderError::Twice(a, b) => {
            format!("columns '{a}' and '{b}' are the same field; nothing was imported")
        }
    }
}

impl ImportError {
    /// The message in the user's language.
    pub fn render(&self, lang: crate::domain::text::Lang) -> String {
        use crate::domain::text::Lang;
        match (self, lang) {
            (ImportError::Header { path, problem }, Lang::Zh) => match problem {
                HeaderError::Missing(cols) => format!(
                    "{}：缺少必需的列：{}；整个文件未导入",
                    path.display(),
                    cols.iter()
                        .map(|(zh, en)| format!("{zh}（{en}）"))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                HeaderError::Twice(a, b) => format!(
                    "{}：列「{a}」与「{b}」是同一字段；整个文件未导入",
                    path.display()
                ),
            },
            (ImportError::Refused { path, refusal }, l) => {
                format!("{}: {}", path.display(), refusal.render(l))
            }
            (ImportError::Sheet(SheetError::Header { path, reason }), Lang::Zh) => {
                format!("{}：{}（表头）；整个文件未导入", path.display(), reason.zh)
            }
            (ImportError::Sheet(SheetError::UnknownType { path }), Lang::Zh) => {
                format!("{}：无法识别的文件类型；应为 .csv 或 .xlsx", path.display())
            }
            (ImportError::Sheet(SheetError::NotSpreadsheet { path, detail }), Lang::Zh) => {
                format!("{}：不是可读取的电子表格（{detail}）", path.display())
            }
            (e, _) => e.to_string(),
        }
    }
}

/// What happened to one file.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub path: PathBuf,
    pub encoding: Option<TextEncoding>,
    pub imported: u64,
    /// Already in the database, left as they are.
    pub skipped: u64,
    /// Already present and refreshed (`--update`).
    pub updated: u64,
    /// Rows rejected (each with at least one entry in `errors`).
    pub rejected: u64,
    /// The first [`MAX_LISTED_ERRORS`] problems, with line and column.
    pub errors: Vec<RowError>,
    /// Problems beyond those, only counted.
    pub unlisted_errors: u64,
    pub unknown_columns: Vec<String>,
    /// New tickets whose phone cannot be a real number (R3).
    pub phone_invalid: Vec<String>,
    /// New tickets outside the station's coverage (R17).
    pub out_of_coverage: u64,
}

/// Problems listed per file; the rest are only counted, so a huge file of
/// bad rows cannot fill the memory (or the screen).
pub const MAX_LISTED_ERRORS: usize = 1000;

impl FileReport {
    fn problem(&mut self, e: RowError) {
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(e);
        } else {
            self.unlisted_errors += 1;
        }
    }
}

/// A file opened and checked: its header has every required column.
pub struct Checked {
    sheet: Sheet,
    layout: Layout,
}

impl Checked {
    pub fn path(&self) -> &Path {
        &self.sheet.path
    }
    /// Bytes (CSV) or rows (XLSX) to read, and how far the reading is.
    pub fn progress(&self) -> (u64, u64) {
        (self.sheet.total, self.sheet.position())
    }
}

/// Opens a file and checks its header, before anything is written.
pub fn check(path: &Path) -> Result<Checked, ImportError> {
    let sheet = Sheet::open(path)?;
    let layout = Layout::from_header(&sheet.header).map_err(|problem| ImportError::Header {
        path: path.to_path_buf(),
        problem,
    })?;
    Ok(Checked { sheet, layout })
}

/// Rows (not counting empty lines) of the first transaction: a file of up to this many
/// rows — a daily dispatch list — is imported all or nothing. A larger file
/// goes on in batches of [`BATCH_TIME`] of work each, so that other writers
/// wait for one batch at most instead of the whole file. An interrupted
/// large import leaves whole batches; running it again skips them (already
/// present) and imports the rest.
pub const ALL_OR_NOTHING_ROWS: usize = 5_000;

/// The longest a batch after the first holds the write lock. Batches are
/// bounded by time, not rows: each one ends with a commit (a checkpoint of
/// the log) and a pause, which cost the same for 5,000 rows as for 50,000.
const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// The pause after each batch. SQLite's busy handler, in a writer waiting
/// for the lock, sleeps at most 100 ms between tries: a longer pause lets
/// every waiting writer in before the next batch.
const BATCH_PAUSE: std::time::Duration = std::time::Duration::from_millis(120);

/// Imports one checked file, in batches (see [`ALL_OR_NOTHING_ROWS`]), each
/// one transaction. `tick` is called now and then with the file's progress.
pub fn import_file(
    store: &mut Store,
    mut file: Checked,
    env: &Env,
    update: bool,
    tick: &mut dyn FnMut(&Checked),
) -> Result<FileReport, ImportError> {
    let tz = env.settings.station.timezone;
    let mut report = FileReport {
        path: file.sheet.path.clone(),
        encoding: file.sheet.encoding,
        unknown_columns: file.layout.unknown.clone(),
        ..FileReport::default()
    };
    // A page cache large enough for a batch's changed pages (they are
    // written to the log only at its commit), small enough for the import's
    // peak memory to stay under 200 MB at a million rows.
    store.expect_bulk_writes(64)?;
    let mut tx = store.begin()?;
    // New and refreshed tickets in the batches committed so far.
    let mut committed = 0u64;
    let path = report.path.clone();
    let stop = |committed: u64| {
        let path = &path;
        move |e: StoreError| stopped(path, committed, e)
    };
    let mut batch_rows = 0usize;
    let mut batches = 0u32;
    let mut batch_started = std::time::Instant::now();
    // Ticket number → the line it was first seen on.
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows = 0u64;
    while let Some(row) = file.sheet.next_row()? {
        rows += 1;
        if rows.is_multiple_of(4096) {
            tick(&file);
        }
        let first = batches == 0;
        if (first && batch_rows >= ALL_OR_NOTHING_ROWS)
            || (!first && batch_rows > 0 && batch_started.elapsed() > BATCH_TIME)
        {
            // Other desks' writers get their turn between batches.
            tx.commit().map_err(stop(committed))?;
            committed = report.imported + report.updated;
            batches += 1;
            std::thread::sleep(BATCH_PAUSE);
            tx = store.begin().map_err(stop(committed))?;
            batch_rows = 0;
            batch_started = std::time::Instant::now();
        }
        let row = match row {
            Ok(row) => row,
            Err(broken) => {
                report.rejected += 1;
                report.problem(RowError {
                    line: broken.line,
                    column: String::new(),
                    reason: broken.reason,
                });
                continue;
            }
        };
        if dispatch::is_blank(&row) {
            continue;
        }
        batch_rows += 1;
        let new = match dispatch::read_row(&file.layout, &row, tz) {
            Ok(n) => n,
            Err(errors) => {
                report.rejected += 1;
                for e in errors {
                    report.problem(e);
                }
                continue;
            }
        };
        if let Some(first) = seen.get(&new.ticket_no) {
            report.rejected += 1;
            report.problem(RowError {
                line: row.line,
                column: file.layout.header(dispatch::Field::TicketNo).to_string(),
                reason: Msg::new(
                    format!("维修单号在文件中重复（第 {first} 行已有）"),
                    format!("duplicate ticket number in the file (also on line {first})"),
                ),
            });
            continue;
        }
        seen.insert(new.ticket_no.clone(), row.line);
        if tx.exists(&new.ticket_no).map_err(stop(committed))? {
            if update && refresh(&mut tx, &new, env).map_err(stop(committed))? {
                report.updated += 1;
            } else {
                report.skipped += 1;
            }
            continue;
        }
        let no = new.ticket_no.clone();
        match tx.create(new, env) {
            Ok(out) => {
                report.imported += 1;
                if out.ticket.phone_invalid {
                    report.phone_invalid.push(no);
                }
                if out.ticket.out_of_coverage {
                    report.out_of_coverage += 1;
                }
            }
            // Whoever acts may not create tickets at all: the whole file fails.
            Err(StoreError::Refused(r)) if r.rule == Rule::Role => {
                return Err(ImportError::Refused {
                    path: report.path,
                    refusal: r,
                });
            }
            Err(StoreError::Refused(r)) => {
                report.rejected += 1;
                report.problem(RowError {
                    line: row.line,
                    column: String::new(),
                    reason: Msg::new(
                        format!("拒绝 ({})：{}", r.rule, r.msg.zh),
                        format!("refused ({}): {}", r.rule, r.msg.en),
                    ),
                });
            }
            Err(e) => return Err(stop(committed)(e)),
        }
    }
    tick(&file);
    // The new tickets into the search blocks, in one pass.
    tx.commit().map_err(stop(committed))?;
    Ok(report)
}

/// `--update`: refreshes customer and product when they differ from the
/// file; returns whether anything changed.
fn refresh(tx: &mut Tx, new: &NewTicket, env: &Env) -> Result<bool, StoreError> {
    let current = tx
        .load(&new.ticket_no)?
        .ok_or_else(|| StoreError::NoSuchTicket(new.ticket_no.clone()))?;
    if current.customer == new.customer && current.product == new.product {
        return Ok(false);
    }
    // The same correction (R19) a coordinator makes: one event with the
    // old and new value of each field that differs.
    let cmd = Command::Edit {
        fields: new.refreshable_fields(),
    };
    tx.execute(&new.ticket_no, &cmd, env, None)?;
    Ok(true)
}
