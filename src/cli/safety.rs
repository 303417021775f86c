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
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;
use crate::store::{BUSY_TIMEOUT, create_private_file};

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
    println!(
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
    let live = absolute(db);
    let wanted = absolute(target);
    let side = |suffix: &str| {
        let mut s = live.clone().into_os_string();
        s.push(suffix);
        PathBuf::from(s)
    };
    let same_inode = same_file(db, target);
    if same_inode || [live.clone(), side("-wal"), side("-shm"), side("-journal")].contains(&wanted)
    {
        return refuse(
            format!(
                "备份文件不能是正在使用的数据库本身（{}）；请另选文件",
                show(db)
            ),
            format!(
                "the backup cannot overwrite the live database ({}); choose another file",
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
/// file, checks the copy and renames it into place.
fn copy_to(src: &Connection, target: &Path) -> Result<Summary, String> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let tmp = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let result = write_copy(src, &tmp).and_then(|summary| {
        std::fs::rename(&tmp, target).map_err(|e| e.to_string())?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(summary)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let mut journal = tmp.into_os_string();
        journal.push("-journal");
        let _ = std::fs::remove_file(journal);
    }
    result
}

fn write_copy(src: &Connection, tmp: &Path) -> Result<Summary, String> {
    let err = |e: rusqlite::Error| e.to_string();
    // Created 0600 before SQLite opens it: SQLite keeps the mode, and gives
    // its journal the same one.
    create_private_file(tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
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
    let f = std::fs::File::open(tmp).map_err(|e| e.to_string())?;
    f.sync_all().map_err(|e| e.to_string())?;
    let bytes = f.metadata().map(|m| m.len()).unwrap_or(0);
    Ok(Summary {
        bytes,
        tickets,
        events,
    })
}
