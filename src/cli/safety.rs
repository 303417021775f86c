//! `backup`: a consistent copy of the live database while coordinators and
//! the dashboard keep working ([`crate::store::Store::backup_to`]). Here:
//! the checks on the target, and the report.

use std::path::{Path, PathBuf};

use super::{CliError, CliResult, print_json};
use crate::domain::text::Lang;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub fn backup(app: App, file: PathBuf) -> CliResult {
    let lang = app.lang;
    let db = app.db_path.clone();
    let server = db.to_str().is_some_and(crate::store::pg::is_url);
    if !server && !db.exists() {
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
    let summary = store.backup_to(&file).map_err(|e| {
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

/// `migrate --to URL|FILE`: everything the station holds, copied into an
/// empty database (see `store/copy.rs`).
pub fn migrate(app: App, to: &str) -> CliResult {
    let lang = app.lang;
    let fail = |e| CliError::from_store(e, lang);
    let target_path = Path::new(to);
    let to_server = crate::store::pg::is_url(to);
    if !to_server && (to.trim().is_empty() || target_path.is_dir()) {
        return Err(CliError::usage(match lang {
            Lang::Zh => format!("--to：{} 不是数据库地址或文件名", terminal_safe(to)),
            Lang::En => format!(
                "--to: {} is neither a PostgreSQL URL nor a file name",
                terminal_safe(to)
            ),
        }));
    }
    if to_server {
        // The URL's own mistakes first, before anything is opened.
        crate::store::pg::url::parse(to).map_err(|e| CliError::usage(e.0))?;
    }
    let source = app.open_store().map_err(fail)?;
    let (held, to) = if !to_server && !target_path.exists() {
        // A new file appears only complete, in a private folder like --db's.
        if let Some(dir) = target_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::store::create_private_dir(dir).map_err(|e| {
                CliError::internal(format!(
                    "{}: {e}",
                    terminal_safe(&dir.display().to_string())
                ))
            })?;
        }
        let held = source.copy_to_new_file(target_path).map_err(fail)?;
        (held, target_path.display().to_string())
    } else {
        let mut target = crate::store::Store::open_station(target_path, &app.settings.station.code)
            .map_err(fail)?;
        (source.copy_into(&mut target).map_err(fail)?, target.shown())
    };
    let (from, to) = (
        terminal_safe(&source.shown()).into_owned(),
        terminal_safe(&to).into_owned(),
    );
    if app.json {
        return print_json(&serde_json::json!({
            "from": from,
            "to": to,
            "tickets": held.tickets,
            "events": held.events,
            "staff": held.staff,
            "staff_events": held.staff_events,
        }));
    }
    crate::outln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已从 {from} 复制到 {to}：{} 张维修单（{} 条记录），{} 位工程师（{} 次人员变动）；数目已核对",
                held.tickets, held.events, held.staff, held.staff_events
            ),
            Lang::En => format!(
                "copied {} tickets ({} events) and {} engineers ({} staff changes) from {from} to {to}; the counts agree",
                held.tickets, held.events, held.staff, held.staff_events
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
