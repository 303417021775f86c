//! A PostgreSQL connection URL (`postgres://` or `postgresql://`, as libpq
//! reads it) and its password, which comes only from `PGPASSWORD` or the
//! password file (`PGPASSFILE`, else `~/.pgpass`), never from the command
//! line, and is never shown.
//!
//! The `postgres` crate reads neither `PGPASSWORD` nor `~/.pgpass`, nor
//! libpq's defaults for a URL without host or user; they are filled in here.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

/// Does `--db` name a server rather than a file?
pub fn is_url(db: &str) -> bool {
    let lower = db.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Where the server is, for messages: `user@host:port/database`, no password.
#[derive(Debug, Clone)]
pub struct Target {
    pub config: postgres::Config,
    pub shown: String,
}

/// Why a URL cannot be used (a usage error: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadUrl(pub String);

/// Where libpq looks for the password file.
fn pgpass_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".pgpass"))
}

/// Parses a URL, fills libpq's defaults and finds the password.
pub fn parse(url: &str) -> Result<Target, BadUrl> {
    let url = url.trim();
    let mut config = postgres::Config::from_str(url).map_err(|e| {
        BadUrl(format!(
            "--db: not a usable PostgreSQL URL ({e}); expected postgres://USER@HOST[:PORT]/DATABASE"
        ))
    })?;
    if config.get_password().is_some() {
        return Err(BadUrl(
            "--db: the URL holds a password; command lines are visible to other users of the \
             machine. Remove it and put it in PGPASSWORD or ~/.pgpass"
                .into(),
        ));
    }
    if config.get_hosts().is_empty() {
        // libpq's default: the local socket directory.
        let socket = Path::new("/var/run/postgresql");
        if socket.is_dir() {
            config.host_path(socket);
        } else {
            config.host("localhost");
        }
    }
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .or_else(|_| std::env::var("LOGNAME"))
            .map_err(|_| {
                BadUrl("--db: the URL names no user (postgres://USER@HOST/DATABASE)".into())
            })?;
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        let user = config.get_user().unwrap_or_default().to_string();
        config.dbname(&user);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("repairdesk");
    }
    // A server that vanishes (cable, crash) is noticed within a minute
    // instead of the system's two hours.
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30))
        .keepalives_interval(Duration::from_secs(10))
        .keepalives_retries(3);
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => String::new(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default().to_string();
    let db = config.get_dbname().unwrap_or_default().to_string();
    let shown = format!("postgres://{user}@{host}:{port}/{db}");
    let password = std::env::var("PGPASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            let file = pgpass_path()?;
            let text = read_private(&file)?;
            // libpq matches a socket connection against "localhost".
            let host = if host.starts_with('/') {
                "localhost"
            } else {
                &host
            };
            pgpass_lookup(&text, host, port, &db, &user)
        });
    if let Some(p) = password {
        config.password(p);
    }
    Ok(Target { config, shown })
}

/// The password file, unless others may read it (libpq ignores it then too).
fn read_private(file: &Path) -> Option<String> {
    let meta = std::fs::metadata(file).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    std::fs::read_to_string(file).ok()
}

/// The password of the first line `host:port:database:user:password` that
/// matches (`*` matches anything; `\:` and `\\` are escapes), as libpq.
pub fn pgpass_lookup(text: &str, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_escaped(line);
        if fields.len() < 5 {
            continue;
        }
        let want = [host, port.as_str(), db, user];
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

fn split_escaped(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(n), Some(s)) = (chars.next(), out.last_mut()) {
                    s.push(n);
                }
            }
            ':' => out.push(String::new()),
            c => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_files() {
        assert!(is_url("postgres://a@b/c"));
        assert!(is_url("postgresql://a@b/c"));
        assert!(is_url("PostgreSQL://a@b/c"));
        assert!(!is_url("/tmp/postgres.db"));
        assert!(!is_url("postgres.db"));
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_echoing_it() {
        let err = parse("postgres://desk:s3cret@db.example/station").unwrap_err();
        assert!(err.0.contains("PGPASSWORD"), "{err}");
        assert!(!err.0.contains("s3cret"), "{err}");
    }

    #[test]
    fn the_shown_target_names_user_host_port_and_database() {
        let t = parse("postgresql://desk@db.example:6543/station").unwrap();
        assert_eq!(t.shown, "postgres://desk@db.example:6543/station");
        assert!(parse("postgres://desk@db.example:notaport/x").is_err());
    }

    #[test]
    fn pgpass_lines_match_like_libpq() {
        let text = "# comment\n\
                    other:5432:*:desk:wrong\n\
                    db.example:5432:station:desk:pa\\:ss\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, "db.example", 5432, "station", "desk").as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_lookup(text, "db.example", 6000, "station", "desk").as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:1:b:c\n", "a", 1, "b", "c"), None);
    }
}
