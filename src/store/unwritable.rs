//! A database that cannot be written (a full disk, a read-only folder or
//! file system): reading it anyway, and saying why nothing can be written.
//!
//! SQLite in WAL mode needs its `-wal` and `-shm` files even to read; when
//! they cannot be created or grown, every statement fails with "disk I/O
//! error", reads included. [`Store::open`] then comes here: first an
//! ordinary read-only connection (enough when the side files exist), else
//! SQLite's `immutable` mode, which reads the main file with no lock and no
//! side file. The trade-off of `immutable`: changes committed but still in
//! a `-wal` file (left by a crash, not yet copied into the main file) are
//! not seen — [`ReadOnly::stale_wal`] says so — and neither is anything
//! another process writes meanwhile, which cannot happen while nobody can
//! write. The cause comes from `statvfs` and `access` on the folder, for the
//! message of every change that then fails.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Result, Store, StoreError, refuse_newer_or_foreign, schema, schema_of};
use crate::domain::text::Lang;

/// Why the database cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteTrouble {
    /// Less free space than SQLite needs to grow its log (or no inode left).
    DiskFull {
        dir: PathBuf,
        free_kib: u64,
    },
    ReadOnlyFileSystem {
        dir: PathBuf,
    },
    /// The folder is not writable: the side files cannot be created.
    ReadOnlyDirectory {
        dir: PathBuf,
    },
    ReadOnlyFile {
        path: PathBuf,
    },
    /// None of the above: an input/output error in this folder.
    Other {
        dir: PathBuf,
    },
}

impl WriteTrouble {
    /// The cause for the database at `path`, as the file system says it.
    pub fn of(path: &Path) -> WriteTrouble {
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        #[cfg(unix)]
        {
            use std::ffi::CString;
            use std::os::unix::ffi::OsStrExt;
            let c_path = |p: &Path| CString::new(p.as_os_str().as_bytes()).ok();
            let writable = |p: &Path| {
                c_path(p)
                    // SAFETY: a valid NUL-terminated path; access only reads it.
                    .map(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
                    .unwrap_or(true)
            };
            if let Some(c) = c_path(&dir) {
                // SAFETY: `st` is plain data, filled by statvfs on success only.
                let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
                if unsafe { libc::statvfs(c.as_ptr(), &mut st) } == 0 {
                    if st.f_flag & libc::ST_RDONLY != 0 {
                        return WriteTrouble::ReadOnlyFileSystem { dir };
                    }
                    #[allow(clippy::unnecessary_cast)] // the field types differ by platform
                    let free = st.f_bavail as u64 * st.f_frsize as u64;
                    // Less than a few pages: SQLite cannot grow its log.
                    if free < 256 * 1024 || st.f_favail == 0 {
                        return WriteTrouble::DiskFull {
                            dir,
                            free_kib: free / 1024,
                        };
                    }
                }
            }
            if !writable(&dir) {
                return WriteTrouble::ReadOnlyDirectory { dir };
            }
            if path.exists() && !writable(path) {
                return WriteTrouble::ReadOnlyFile {
                    path: path.to_path_buf(),
                };
            }
        }
        WriteTrouble::Other { dir }
    }

    pub fn render(&self, lang: Lang) -> String {
        use WriteTrouble::*;
        match (self, lang) {
            (DiskFull { dir, free_kib }, Lang::Zh) => {
                format!("磁盘已满：{}（剩余 {free_kib} KiB）", dir.display())
            }
            (DiskFull { dir, free_kib }, Lang::En) => {
                format!("disk full at {} ({free_kib} KiB free)", dir.display())
            }
            (ReadOnlyFileSystem { dir }, Lang::Zh) => format!("只读文件系统：{}", dir.display()),
            (ReadOnlyFileSystem { dir }, Lang::En) => {
                format!("read-only file system at {}", dir.display())
            }
            (ReadOnlyDirectory { dir }, Lang::Zh) => format!(
                "只读目录 {}（无法在其中创建 -wal 和 -shm 文件）",
                dir.display()
            ),
            (ReadOnlyDirectory { dir }, Lang::En) => format!(
                "read-only directory {} (its -wal and -shm files cannot be created)",
                dir.display()
            ),
            (ReadOnlyFile { path }, Lang::Zh) => format!("只读文件 {}", path.display()),
            (ReadOnlyFile { path }, Lang::En) => format!("read-only file {}", path.display()),
            (Other { dir }, Lang::Zh) => format!("{} 中的输入/输出错误", dir.display()),
            (Other { dir }, Lang::En) => format!("an input/output error in {}", dir.display()),
        }
    }
}

impl std::fmt::Display for WriteTrouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// A store opened for reading only, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOnly {
    pub cause: WriteTrouble,
    /// Read as an immutable file while a `-wal` file holds changes: the
    /// latest of them are not shown.
    pub stale_wal: bool,
}

impl ReadOnly {
    pub fn render(&self, lang: Lang) -> String {
        let cause = self.cause.render(lang);
        match (self.stale_wal, lang) {
            (false, _) => cause,
            (true, Lang::Zh) => format!("{cause}；最近的改动仍在 -wal 文件中，未显示"),
            (true, Lang::En) => {
                format!("{cause}; the latest changes, still in the -wal file, are not shown")
            }
        }
    }
}

impl Store {
    /// The database for reading only, when it cannot be written (see the
    /// top of this file).
    pub(super) fn open_read_only(path: &Path) -> Result<Store> {
        let probe = |conn: Connection, stale_wal: bool| -> Result<Store> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let (found, foreign) = schema_of(&conn)?;
            let supported = schema::MIGRATIONS.len() as i64;
            refuse_newer_or_foreign(path, found, supported, foreign)?;
            if found < supported {
                // An upgrade needs writing; reading an older schema would
                // fail query by query.
                return Err(StoreError::Migration {
                    path: path.to_path_buf(),
                    from: found,
                    to: supported,
                    detail: format!("cannot write: {}", WriteTrouble::of(path)),
                });
            }
            conn.pragma_update(None, "cache_size", -32 * 1024)?;
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            Ok(Store {
                conn: Some(conn),
                path: path.to_path_buf(),
                pg: None,
                damaged: Default::default(),
                read_only: Some(ReadOnly {
                    cause: WriteTrouble::of(path),
                    stale_wal,
                }),
            })
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        match Connection::open_with_flags(path, flags)
            .map_err(StoreError::from)
            .and_then(|conn| probe(conn, false))
        {
            Err(e) if e.is_cannot_write() => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?;
                let mut wal = path.as_os_str().to_owned();
                wal.push("-wal");
                let stale_wal = Path::new(&wal).metadata().is_ok_and(|m| m.len() > 0);
                probe(conn, stale_wal)
            }
            other => other,
        }
    }

    /// Why this store reads only (the file or its folder cannot be
    /// written), or `None` when it can write.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }
}

/// A path for an SQLite `file:` URI: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_escape_what_a_uri_would_read() {
        assert_eq!(uri_path(Path::new("/a b/x.db")), "/a b/x.db");
        assert_eq!(uri_path(Path::new("/a?b#c%d.db")), "/a%3Fb%23c%25d.db");
    }

    #[test]
    fn a_writable_folder_is_no_disk_trouble() {
        let dir = tempfile::tempdir().expect("dir");
        let cause = WriteTrouble::of(&dir.path().join("x.db"));
        assert!(matches!(cause, WriteTrouble::Other { .. }), "{cause:?}");
    }
}
