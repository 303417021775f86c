//! The online copy behind `repairdesk backup`: SQLite's backup API, while
//! coordinators and the dashboard keep working.
//!
//! The copy is one read snapshot of the database (in WAL mode a reader does
//! not stop writers), written to a private temporary file beside the target,
//! checked with `PRAGMA quick_check`, then renamed into place: a crash or a
//! full disk leaves either the old file or the new one, never half a copy.
//! Partial copies left by a killed backup to the same target are removed
//! first.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Store};
use crate::atomic_file::AtomicFile;

impl Store {
    /// Copies the database to `target` (see the module's comment); what the
    /// copy holds, or why it failed.
    ///
    /// A shared station on a server is copied into a repairdesk file the
    /// same way `migrate --to FILE` copies it (one snapshot of the server,
    /// every ticket with its history, the staff list with its history):
    /// it opens like any station's file, and `migrate --to URL` puts it back
    /// on an empty server database.
    pub fn backup_to(&self, target: &Path) -> Result<BackupSummary, String> {
        if self.is_server() {
            let held = self.copy_to_new_file(target).map_err(|e| e.to_string())?;
            return Ok(BackupSummary {
                bytes: std::fs::metadata(target).map(|m| m.len()).unwrap_or(0),
                tickets: held.tickets as i64,
                events: held.events as i64,
            });
        }
        copy_to(self.conn().map_err(|e| e.to_string())?, target)
    }

    /// Copies everything into a new repairdesk file at `target`, written
    /// beside it and renamed into place once complete (a file already there
    /// is replaced only then).
    pub fn copy_to_new_file(&self, target: &Path) -> super::Result<super::Holdings> {
        let io = |source| super::StoreError::Io {
            path: target.to_path_buf(),
            source,
        };
        crate::atomic_file::remove_stale(target);
        let file = AtomicFile::create(target).map_err(io)?;
        let held = {
            let mut dst = Store::open(file.temp_path())?;
            self.copy_into(&mut dst)?
        };
        file.commit().map_err(io)?;
        Ok(held)
    }
}

/// What a finished copy holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub bytes: u64,
    pub tickets: i64,
    pub events: i64,
}

/// Copies the database of `src` to `target` through a private temporary
/// file, checks the copy and renames it into place. Partial copies left by
/// a killed backup to the same target are removed first.
fn copy_to(src: &Connection, target: &Path) -> Result<BackupSummary, String> {
    crate::atomic_file::remove_stale(target);
    let file = AtomicFile::create(target).map_err(|e| e.to_string())?;
    let summary = write_copy(src, file.temp_path())?;
    file.commit().map_err(|e| e.to_string())?;
    Ok(summary)
}

fn write_copy(src: &Connection, tmp: &Path) -> Result<BackupSummary, String> {
    let err = |e: rusqlite::Error| match e.sqlite_error_code() {
        // SQLite's words ("database or disk is full") name no place.
        Some(rusqlite::ErrorCode::DiskFull) => {
            let dir = crate::atomic_file::folder_of(tmp);
            let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            format!("disk full at {}", dir.display())
        }
        _ => e.to_string(),
    };
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
    Ok(BackupSummary {
        bytes,
        tickets,
        events,
    })
}
