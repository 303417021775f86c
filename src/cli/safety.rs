//! `backup`: a consistent copy of the live database through SQLite's online
//! backup API, while coordinators and the dashboard keep working.
//!
//! The copy is one read snapshot of the database (in WAL mode a reader does
//! not stop writers), written to a private temporary file beside the target,
//! checked with `PRAGMA quick_check`, then renamed into place: a crash or a
//! full disk leaves either the old file or the new one, never half a copy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{CliError, CliResult, print_json};
use crate::atomic_file::AtomicFile;
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;
use crate::store::BUSY_TIMEOUT;

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub fn backup(app: App, file: PathBuf) -> CliResult {
    let lang = app.lang;
    let db = app.db_path.clone();
    if !db.exists() {
        return Err(CliError::new(
            super::exit::NOT_FOUND,
            match lang {
                Lang::Zh => format!("{}：没有数据库，无可备份", show(&db)),
                Lang::En => format!("{}: no database there, nothing to back up", show(&db)),
            },
        ));
    }
    check_target(&db, &file, lang)?;
    // Opening validates and migrates the live database like any command.
    let store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, lang))?;
    let summary = copy_to(store.conn(), &file).map_err(|e| {
        CliError::internal(match lang {
            Lang::Zh => format!("备份到 {} 失败：{e}；原文件未改动", show(&file)),
            Lang::En => format!(
                "backup to {} failed: {e}; nothing was replaced",
                show(&file)
            ),
        })
    })?;
    if app.json {
        return print_json(&serde_json::json!({
            "file": file.display().to_string(),
            "bytes": summary.bytes,
            "tickets": summary.tickets,
            "events": summary.events,
        }));
    }
    crate::outln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已备份到 {}（{} 张维修单，{} 条记录，{} 字节）",
                show(&file),
                summary.tickets,
                summary.events,
                summary.bytes
            ),
            Lang::En => format!(
                "backed up to {} ({} tickets, {} events, {} bytes)",
                show(&file),
                summary.tickets,
                summary.events,
                summary.bytes
            ),
        }
    );
    Ok(())
}

fn show(p: &Path) -> String {
    terminal_safe(&p.display().to_string()).into_owned()
}

/// Refuses a target that is the live database (or one of its side files),
/// and any existing file that is not an SQLite database.
fn check_target(db: &Path, target: &Path, lang: Lang) -> CliResult {
    let refuse = |zh: String, en: String| Err(CliError::usage(lang.pick(&zh, &en).to_string()));
    if target.as_os_str().is_empty() || target.is_dir() {
        return refuse(
            format!("备份文件：{} 不是文件名", show(target)),
            format!("backup FILE: {} is not a file name", show(target)),
        );
    }
    // The database and its companions under every name: as given, with its
    // folder resolved, and with every link resolved (`--db` may be a link).
    let mut names = vec![absolute(db)];
    if let Ok(real) = db.canonicalize() {
        names.push(real);
    }
    let companions: Vec<PathBuf> = names
        .iter()
        .flat_map(|live| {
            ["", "-wal", "-shm", "-journal"].map(|suffix| {
                let mut s = live.clone().into_os_string();
                s.push(suffix);
                PathBuf::from(s)
            })
        })
        .collect();
    let mut wanted = vec![absolute(target)];
    if let Ok(real) = target.canonicalize() {
        wanted.push(real);
    }
    // A link to a companion that does not exist yet (`-journal`) is one too.
    let mut hop = target.to_path_buf();
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&hop) else {
            break;
        };
        hop = crate::atomic_file::folder_of(&hop).join(next);
        wanted.push(absolute(&hop));
    }
    let is_live = wanted.iter().any(|w| companions.contains(w))
        || companions.iter().any(|c| same_file(c, target));
    if is_live {
        return refuse(
            format!(
                "备份文件不能是正在使用的数据库或其附属文件（{}、-wal、-shm、-journal）；请另选文件",
                show(db)
            ),
            format!(
                "the backup cannot overwrite the live database or its -wal, -shm or -journal file ({}); choose another file",
                show(db)
            ),
        );
    }
    if target.exists() {
        let mut head = [0u8; 16];
        let is_db = std::fs::File::open(target)
            .and_then(|mut f| {
                use std::io::Read;
                let n = f.read(&mut head)?;
                Ok(n == 0 || &head == SQLITE_MAGIC)
            })
            .unwrap_or(false);
        if !is_db {
            return refuse(
                format!("{} 已存在且不是数据库，不会覆盖；请另选文件", show(target)),
                format!(
                    "{} exists and is not a database; it was not overwritten. Choose another file",
                    show(target)
                ),
            );
        }
    }
    Ok(())
}

/// The path made absolute with its directory resolved (the file itself may
/// not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| abs.clone()),
        _ => abs,
    }
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

struct Summary {
    bytes: u64,
    tickets: i64,
    events: i64,
}

/// Copies the database of `src` to `target` through a private temporary
/// file, checks the copy and renames it into place. Partial copies left by
/// a killed backup to the same target are removed first.
fn copy_to(src: &Connection, target: &Path) -> Result<Summary, String> {
    crate::atomic_file::remove_stale(target);
    let file = AtomicFile::create(target).map_err(|e| e.to_string())?;
    let summary = write_copy(src, file.temp_path())?;
    file.commit().map_err(|e| e.to_string())?;
    Ok(summary)
}

fn write_copy(src: &Connection, tmp: &Path) -> Result<Summary, String> {
    let err = |e: rusqlite::Error| e.to_string();
    // The temporary is created 0600 before SQLite opens it: SQLite keeps the
    // mode, and gives its journal the same one.
    let mut dst = Connection::open_with_flags(
        tmp,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    {
        let backup = Backup::new(src, &mut dst).map_err(err)?;
        // All pages in one step: one consistent read snapshot. In WAL mode
        // it does not block writers, and no write can restart it.
        let started = Instant::now();
        loop {
            match backup.step(-1).map_err(err)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => {
                    if started.elapsed() > BUSY_TIMEOUT {
                        return Err("the database stayed locked; try again".into());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => return Err("unexpected state of the SQLite backup".into()),
            }
        }
    }
    let check: String = dst
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(err)?;
    if check != "ok" {
        return Err(format!("the copy failed its check: {check}"));
    }
    let count = |sql: &str| dst.query_row(sql, [], |r| r.get::<_, i64>(0));
    let tickets = count("SELECT COUNT(*) FROM tickets").map_err(err)?;
    let events = count("SELECT COUNT(*) FROM events").map_err(err)?;
    dst.close().map_err(|(_, e)| e.to_string())?;
    let bytes = std::fs::metadata(tmp).map(|m| m.len()).unwrap_or(0);
    Ok(Summary {
        bytes,
        tickets,
        events,
    })
}
