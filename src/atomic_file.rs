//! Every file repairdesk writes (write-back, reports, printouts, backups)
//! goes through [`AtomicFile`]: the bytes go to a private temporary file in
//! the target's folder, which is synced and renamed over the target only
//! when complete. A failed write (a full disk, a killed process) leaves the
//! old file as it was and no temporary behind (a killed process's stale
//! temporaries are removed by [`remove_stale`] on the next write).
//!
//! The file is `0600` whatever the old one's mode was (a new inode), and a
//! symbolic link planted at the target is replaced, never followed: the
//! temporary is created with `O_EXCL` and the rename replaces the link.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The suffix of every temporary, so that stale ones can be recognised.
const TEMP_SUFFIX: &str = ".partial";

/// A file being written; it replaces its target on [`AtomicFile::commit`],
/// and is removed if dropped before.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The folder a path's file lives in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A write that failed for want of space says so, naming the folder (the
/// system's words, "No space left on device", name neither); any other
/// error is as the system gave it. Either way the target is unchanged.
fn explained(e: io::Error, target: &Path) -> io::Error {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT)) {
        let what = match e.raw_os_error() {
            Some(libc::EDQUOT) => "disk quota exceeded",
            _ => "disk full",
        };
        let dir = folder_of(target);
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        return io::Error::new(
            io::ErrorKind::StorageFull,
            format!(
                "{what} at {}: nothing was written (a file already there is unchanged)",
                dir.display()
            ),
        );
    }
    e
}

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    format!(".{name}.")
}

impl AtomicFile {
    /// Starts writing `target`: creates the private temporary beside it.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        if target.file_name().is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a file name",
            ));
        }
        let dir = folder_of(target);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let temp = dir.join(format!(
                "{}{}-{n}{TEMP_SUFFIX}",
                temp_prefix(target),
                std::process::id()
            ));
            match create_new_private(&temp) {
                Ok(file) => {
                    return Ok(AtomicFile {
                        target: target.to_path_buf(),
                        temp,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(explained(e, target)),
            }
        }
    }

    /// Where the bytes go until the commit (for writers that open the path
    /// themselves, like SQLite's backup).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Syncs the temporary and renames it over the target.
    pub fn commit(mut self) -> io::Result<()> {
        let explain = |e| explained(e, &self.target);
        let file = match self.file.take() {
            Some(f) => f,
            None => File::open(&self.temp).map_err(explain)?,
        };
        file.sync_all().map_err(explain)?;
        drop(file);
        std::fs::rename(&self.temp, &self.target).map_err(explain)?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(folder_of(&self.target)) {
            let _ = d.sync_all();
        }
        // Committed: nothing to remove on drop.
        self.temp = PathBuf::new();
        Ok(())
    }

    /// Writes all of `bytes` and commits.
    pub fn write_all_and_commit(target: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut f = AtomicFile::create(target)?;
        f.write_all(bytes)?;
        f.commit()
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf).map_err(|e| explained(e, &self.target)),
            None => Err(io::Error::other("file already closed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush().map_err(|e| explained(e, &self.target)),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            self.file = None;
            let _ = std::fs::remove_file(&self.temp);
            // SQLite's journal of a temporary it wrote (backups).
            let mut journal = self.temp.clone().into_os_string();
            journal.push("-journal");
            let _ = std::fs::remove_file(journal);
        }
    }
}

fn create_new_private(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// Removes the temporaries (and their SQLite journals) that a killed
/// process left beside `target`; returns how many. A temporary of a process
/// that still runs is left alone.
pub fn remove_stale(target: &Path) -> usize {
    let prefix = temp_prefix(target);
    let Ok(entries) = std::fs::read_dir(folder_of(target)) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let rest = rest.strip_suffix("-journal").unwrap_or(rest);
        let Some(tag) = rest.strip_suffix(TEMP_SUFFIX) else {
            continue;
        };
        let pid = tag.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid == std::process::id() || process_runs(pid) {
            continue;
        }
        // Only plain files: never follow or delete anything else.
        let plain = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if plain && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 checks existence; EPERM means it exists under another user.
    // SAFETY: kill with signal 0 sends nothing.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_full_disk_is_named_with_its_folder_and_other_errors_are_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("wb.csv");
        let full = explained(io::Error::from_raw_os_error(libc::ENOSPC), &target);
        let shown = full.to_string();
        let folder = std::fs::canonicalize(dir.path()).expect("folder");
        assert!(
            shown.starts_with(&format!("disk full at {}", folder.display())),
            "{shown}"
        );
        assert!(shown.contains("nothing was written"), "{shown}");
        let quota = explained(io::Error::from_raw_os_error(libc::EDQUOT), &target);
        assert!(quota.to_string().starts_with("disk quota exceeded at"));
        let denied = explained(io::Error::from_raw_os_error(libc::EACCES), &target);
        assert_eq!(denied.kind(), io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_dropped_file_leaves_the_old_one_and_no_temporary() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old").expect("write");
        {
            let mut f = AtomicFile::create(&target).expect("create");
            f.write_all(b"new, half").expect("write");
        }
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "old");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
        AtomicFile::write_all_and_commit(&target, b"new").expect("commit");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("b.db");
        // No process has pid 2^31-2 on Linux (pid_max is at most 2^22).
        let stale = dir.path().join(".b.db.2147483646-0.partial");
        let journal = dir.path().join(".b.db.2147483646-0.partial-journal");
        let other = dir.path().join(".c.db.2147483646-0.partial");
        for p in [&stale, &journal, &other] {
            std::fs::write(p, "x").expect("write");
        }
        let own = AtomicFile::create(&target).expect("create");
        assert_eq!(remove_stale(&target), 2);
        assert!(!stale.exists() && !journal.exists());
        assert!(other.exists() && own.temp_path().exists());
    }
}
