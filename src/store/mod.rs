//! The one door to the data: SQLite schema and migrations, loading, and one
//! transaction per command.
//!
//! [`Store::execute`] is the one path by which a ticket changes: it loads the
//! ticket, asks [`crate::domain::rules::decide`], applies the events and
//! writes the new picture plus the events, all in one immediate transaction.
//!
//! Every statement of the program is here, behind named methods of
//! [`Store`] (and of [`Tx`], several commands in one transaction, on either backend) that
//! take and return domain types; no SQL, connection or SQLite error leaves
//! this folder ([`DbError`] is opaque). Those methods are the whole interface
//! of the data: a second database (PostgreSQL) becomes a second variant
//! behind them — an enum of backends inside `Store`, each method matching
//! on it — rather than a trait, because a batch borrows a transaction of its
//! backend, and a trait object for that would make every caller generic or
//! boxed for no gain while there are two backends. The reads for screens,
//! reports and files are in `reads.rs`; the online
//! copy in `backup.rs`; reading a database that cannot be written (a full
//! disk, a read-only folder) in `unwritable.rs`.

mod backup;
mod changes;
#[cfg(test)]
mod compact_tests;
pub mod copy;
pub mod pg;
mod reads;
mod row;
pub mod schema;
mod search;
#[cfg(test)]
mod search_tests;
mod unwritable;

pub use backup::BackupSummary;
pub use changes::{ChangeMark, OpenChanges, Scan};
pub use copy::Holdings;
pub use unwritable::{ReadOnly, WriteTrouble};

use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::domain::calendar::Calendar;
use crate::domain::command::{Command, NewTicket};
use crate::domain::event::{self, Event};
use crate::domain::rule::{Refusal, Warning};
use crate::domain::rules::{self, Context, Role, StaffLoad};
use crate::domain::settings::Settings;
use crate::domain::staff::{
    self, StaffChange, StaffDecision, StaffEntry, StaffEvent, StaffEventKind,
};
use crate::domain::ticket::{Status, Ticket, Time};

use row::{EVENT_COLUMNS, TICKET_COLUMN_COUNT, TICKET_COLUMNS, event_from_row, ticket_from_row};

/// The kinds of event looked up by time (`events_kind_at`, migration 7,
/// holds only these): a query by kind and time adds this term, which SQLite
/// needs to see, word for word, to use the partial index.
pub(crate) const KINDS_BY_TIME: &str =
    "kind IN ('visited', 'repaired', 'closed', 'phone_resolved', 'dispatched')";

/// How long a writer waits for another's transaction before giving up.
pub const BUSY_TIMEOUT: StdDuration = StdDuration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such ticket: {0}")]
    NoSuchTicket(String),
    /// A bare ticket number that several stations the desk reads hold.
    #[error(
        "ticket {ticket_no} is at several stations ({}): name it STATION/NUMBER, e.g. {}/{ticket_no}",
        stations.join(", "),
        stations.first().map_or("", String::as_str)
    )]
    Ambiguous {
        ticket_no: String,
        stations: Vec<String>,
    },
    #[error("no such engineer: {0}")]
    NoSuchEngineer(String),
    /// A grant for a login the server does not have.
    #[error("no such login on the server: {0} (create it first: createuser --pwprompt {0})")]
    NoSuchLogin(String),
    /// Who may do what is a shared database's: a file has no logins.
    #[error(
        "admin: who may do what is kept on a shared PostgreSQL database (--db postgres://…); a repairdesk file is one station, guarded by its file permissions"
    )]
    NotShared,
    /// The server refused the login something its role does not allow
    /// (its grants or row-level policies).
    #[error(
        "{server}: the database does not allow this login to do that ({detail}); nothing was written"
    )]
    Denied { server: String, detail: String },
    #[error("{}", .0.render(crate::domain::text::Lang::En))]
    Refused(Refusal),
    #[error(
        "conflict: ticket {ticket_no} was changed by someone else (version {expected} expected, {actual} found); nothing was written"
    )]
    Conflict {
        ticket_no: String,
        expected: i64,
        actual: i64,
    },
    #[error("ticket {0} already exists")]
    Duplicate(String),
    #[error(
        "{path}: written by a newer repairdesk (schema {found}, this one knows {supported}); it was not changed. Use a newer repairdesk."
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path}: another program's database ({holds}), not a repairdesk one; it was left unchanged. Point --db at a repairdesk database or a new file."
    )]
    Foreign { path: PathBuf, holds: String },
    #[error(
        "{path}: not a usable repairdesk database ({detail}). Restore a copy made with `repairdesk backup FILE`, or point --db elsewhere."
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: could not upgrade the database from schema {from} to {to} ({detail}); it was left at schema {from}, unchanged"
    )]
    Migration {
        path: PathBuf,
        from: i64,
        to: i64,
        detail: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(DbError),
    #[error("stored data could not be read: {0}")]
    Data(String),
    /// One ticket whose stored row or events do not read (a value put there
    /// by another tool, a damaged page): named, so the rest of the station
    /// keeps working and the coordinator knows which one to look at.
    #[error(
        "ticket {}: its stored record cannot be read ({}); the other tickets are not affected. Restore it from a `repairdesk backup` copy or correct the row.",
        .0.ticket_no, .0.detail
    )]
    Damaged(Damaged),
    /// A PostgreSQL error not yet told apart (see `pg::describe`).
    #[error("database: {0}")]
    Postgres(#[from] postgres::Error),
    /// The server, and what failed there, in one line.
    #[error("{server}: {detail}")]
    Server { server: String, detail: String },
    /// A `--db` URL that cannot be used (a usage error).
    #[error("{0}")]
    BadUrl(String),
    /// A batch that failed and was rolled back (its own error is returned).
    #[error("the batch was rolled back")]
    RolledBack,
    #[error(
        "{target} already holds {tickets} tickets and {staff} engineers; a station is copied into an empty repairdesk database only. Nothing was copied."
    )]
    TargetNotEmpty {
        target: String,
        tickets: u64,
        staff: u64,
    },
    #[error(
        "{server}: this database holds another application's tables (e.g. '{table}'); repairdesk leaves it alone. Give repairdesk a database of its own (createdb repairdesk)."
    )]
    NotOurs { server: String, table: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A failure of the database itself (a lock held too long, a full disk, a
/// damaged file), as the database reported it.
#[derive(Debug)]
pub struct DbError(rusqlite::Error);

impl DbError {
    /// The database's verdict that the file is not (or no longer) a sound
    /// database.
    pub fn is_damage(&self) -> bool {
        matches!(
            self.0.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        )
    }
}

impl DbError {
    /// The database could not write its file or side files: a full disk,
    /// a read-only folder or file system, an I/O error.
    pub fn is_cannot_write(&self) -> bool {
        use rusqlite::ErrorCode::*;
        matches!(
            self.0.sqlite_error_code(),
            Some(SystemIoFailure | DiskFull | ReadOnly | CannotOpen | PermissionDenied)
        )
    }
}

impl StoreError {
    /// See [`DbError::is_cannot_write`].
    pub fn is_cannot_write(&self) -> bool {
        matches!(self, StoreError::Database(e) if e.is_cannot_write())
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Database(DbError(e))
    }
}

/// Who acts, when, and under which settings: the non-ticket half of a
/// decision's context.
pub struct Env<'a> {
    pub now: Time,
    /// The real moment of writing, from the system clock even under
    /// `--now`: kept on every event (R20).
    pub recorded_at: Time,
    pub actor: &'a str,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
}

/// What a successful command did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub ticket: Ticket,
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
}

/// A ticket left out of a read because its stored values do not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub ticket_no: String,
    /// What does not read, e.g. `unknown status 'bogus'`.
    pub detail: String,
}

pub struct Store {
    /// The SQLite file; none for a shared station on a server.
    conn: Option<Connection>,
    path: PathBuf,
    /// A shared station on a PostgreSQL server, when `--db` is a URL.
    pg: Option<std::cell::RefCell<pg::PgStore>>,
    /// The tickets the reads so far had to leave out (see [`Store::damaged`]).
    damaged: std::cell::RefCell<Vec<Damaged>>,
    /// Opened for reading only, and why (see [`Store::read_only`]).
    read_only: Option<ReadOnly>,
}

fn ts(t: Time) -> i64 {
    t.timestamp()
}

fn from_ts(s: i64) -> Time {
    DateTime::<Utc>::from_timestamp(s, 0).unwrap_or_default()
}

impl Store {
    /// Opens (creating on first use, readable by the owner only) and migrates.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_station(path, &Settings::default().station.code)
    }

    /// [`Store::open`] for the desk of the station `station` (`[station]
    /// code`): on a server holding several stations, this desk's rows. A
    /// file is one station whatever its code.
    pub fn open_station(path: &Path, station: &str) -> Result<Store> {
        Store::open_desk(path, station, true)
    }

    /// [`Store::open_station`] for a desk whose configuration may leave the
    /// station at its default (`named` false): on a shared database the
    /// region's desk then works on every station, naming each ticket
    /// `STATION/NUMBER`; a coordinator's or an engineer's desk is its
    /// granted station's either way.
    pub fn open_desk(path: &Path, station: &str, named: bool) -> Result<Store> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Ok(Store {
                conn: None,
                path: path.to_path_buf(),
                pg: Some(std::cell::RefCell::new(pg::PgStore::open(
                    url, station, named,
                )?)),
                damaged: Default::default(),
                read_only: None,
            });
        }
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io)?;
        }
        if !path.exists() {
            // Never truncate: another process may have created it meanwhile.
            match create_private_new(path) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(io(e)),
                _ => {}
            }
        }
        let writable = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(StoreError::from)
        .and_then(|conn| Store::init(conn, path, schema::MIGRATIONS));
        match writable {
            // A full disk or a read-only folder: SQLite cannot make its
            // `-wal`/`-shm` files, so even a read fails. Read without them;
            // any change then fails naming the file and the cause.
            Err(e) if e.is_cannot_write() => Store::open_read_only(path).map_err(|_| e),
            other => other,
        }
    }

    /// A private in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            schema::MIGRATIONS,
        )
    }

    fn init(conn: Connection, path: &Path, migrations: &[&str]) -> Result<Store> {
        // Only SQLite's verdict on the file makes it "not usable"; anything
        // else (a lock, an I/O error) is reported as itself.
        let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                }
            }
            _ => StoreError::from(e),
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read the version and the tables before anything writes, in one
        // snapshot (another first use may be migrating meanwhile): a newer
        // database, and another program's, are left exactly as they are.
        let (found, foreign) = schema_of(&conn).map_err(damaged)?;
        let supported = migrations.len() as i64;
        // No tables added and no switch to WAL (which changes the file).
        refuse_newer_or_foreign(path, found, supported, foreign)?;
        // WAL lets the dashboard read while a coordinator writes. NORMAL
        // synchronous: a power cut may lose the last commits, never corrupt.
        // Switching a new file to WAL needs it to itself; SQLite does not
        // wait for that even with a busy timeout, so wait here (several
        // first uses at once).
        retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL")).map_err(damaged)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Up to 32 MiB of pages (allocated as used): the dashboard reloads
        // the open set without going back to the file. Sorts stay in memory.
        // No mmap: mapped pages count as the process's memory, and a search
        // touches every block.
        conn.pragma_update(None, "cache_size", -32 * 1024)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store {
            conn: Some(conn),
            path: path.to_path_buf(),
            pg: None,
            damaged: Default::default(),
            read_only: None,
        };
        store.migrate(found, migrations)?;
        Ok(store)
    }

    /// Applies the migrations after `from`, each in its own transaction: a
    /// failure (or a crash) leaves the database at the last complete one.
    fn migrate(&mut self, from: i64, migrations: &[&str]) -> Result<()> {
        let path = self.path.clone();
        for (i, sql) in migrations.iter().enumerate().skip(from as usize) {
            let failed = |e: rusqlite::Error| StoreError::Migration {
                path: path.clone(),
                from: i as i64,
                to: i as i64 + 1,
                detail: e.to_string(),
            };
            let tx = self
                .conn_mut()?
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql).map_err(failed)?;
            schema::after(i + 1, &tx)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(failed)?;
            tx.commit().map_err(failed)?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Is this a shared station on a PostgreSQL server?
    pub fn is_server(&self) -> bool {
        self.pg.is_some()
    }

    /// Is the connection to the server lost? (Never for a file.)
    pub fn connection_lost(&self) -> bool {
        self.pg.as_ref().is_some_and(|pg| pg.borrow().is_closed())
    }

    /// After a lost connection to the server, connects again; `true` when
    /// it did (a file is never lost).
    pub fn reconnect(&self) -> Result<bool> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().reconnect(),
            None => Ok(false),
        }
    }

    /// Starts a transaction for several commands (an imported file, a
    /// printing with its file); nothing of it is written unless
    /// [`Tx::commit`] is called.
    pub fn begin(&mut self) -> Result<Tx<'_>> {
        match (&self.pg, &mut self.conn) {
            (Some(pg), _) => {
                pg.borrow_mut().begin()?;
                Ok(Tx::Pg(pg::PgTx::new(pg)))
            }
            (None, Some(conn)) => Ok(Tx::Sqlite(
                conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            )),
            (None, None) => Err(StoreError::Data(format!(
                "{}: no database open",
                self.path.display()
            ))),
        }
    }

    /// The SQLite file's connection. Every method answers for a server
    /// before it gets here; the error only keeps a slip from panicking.
    fn conn(&self) -> Result<&Connection> {
        self.conn.as_ref().ok_or_else(|| self.no_file())
    }

    fn conn_mut(&mut self) -> Result<&mut Connection> {
        let missing = self.no_file();
        self.conn.as_mut().ok_or(missing)
    }

    fn no_file(&self) -> StoreError {
        StoreError::Data(format!(
            "{}: a shared station on a server has no SQLite file",
            self.shown()
        ))
    }

    /// The tickets that reads of this store left out so far because their
    /// stored values do not read, each once: a list, the alerts, an export
    /// or the dashboard works without them, and names them.
    pub fn damaged(&self) -> Vec<Damaged> {
        match &self.pg {
            Some(pg) => pg.borrow().damaged().to_vec(),
            None => self.damaged.borrow().clone(),
        }
    }

    /// Starts the list of [`Store::damaged`] tickets afresh (the dashboard
    /// before each reload: a ticket corrected meanwhile is no longer named).
    pub fn forget_damaged(&self) {
        match &self.pg {
            Some(pg) => pg.borrow_mut().forget_damaged(),
            None => self.damaged.borrow_mut().clear(),
        }
    }

    /// Keeps a ticket read as `r`, or notes it as left out.
    /// Tickets another reading of the same database found damaged (the
    /// dashboard's reader thread), named like this store's own.
    pub fn note_damaged(&self, found: Vec<Damaged>) {
        let mut seen = self.damaged.borrow_mut();
        for d in found {
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
    }

    fn keep_readable(&self, r: std::result::Result<Ticket, Damaged>) -> Option<Ticket> {
        match r {
            Ok(t) => Some(t),
            Err(d) => {
                let mut seen = self.damaged.borrow_mut();
                if !seen.contains(&d) {
                    seen.push(d);
                }
                None
            }
        }
    }

    /// Who the actor is: an engineer on the staff list (a removed one
    /// included: leaving the list does not make anyone a coordinator), or a
    /// coordinator.
    fn role_of(conn: &Connection, actor: &str) -> Result<Role> {
        let engineer: Option<String> = conn
            .prepare_cached("SELECT name FROM staff WHERE name = ?1")?
            .query_row([actor], |r| r.get(0))
            .optional()?;
        Ok(engineer.map_or(Role::Coordinator, Role::Engineer))
    }

    /// Decides and records a command on a ticket, in one transaction. With
    /// `expected_version`, a ticket changed since it was read is refused.
    pub fn execute(
        &mut self,
        ticket_no: &str,
        cmd: &Command,
        env: &Env,
        expected_version: Option<i64>,
    ) -> Result<Outcome> {
        if let Some(pg) = &self.pg {
            return pg
                .borrow_mut()
                .execute(ticket_no, cmd, env, expected_version);
        }
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = execute_in(&tx, ticket_no, cmd, env, expected_version)?;
        search::refresh(&tx)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// What [`Store::execute`] would record, without writing: the same
    /// loading and the same decision (the dashboard's forms show it as the
    /// user types, before any confirmation).
    pub fn preview(&self, ticket_no: &str, cmd: &Command, env: &Env) -> Result<Outcome> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().preview(ticket_no, cmd, env);
        }
        let (_, ticket, decision) = decide_in(self.conn()?, ticket_no, cmd, env, None)?;
        let mut after = ticket;
        for e in &decision.events {
            event::apply(&mut after, e);
        }
        Ok(Outcome {
            ticket: after,
            events: decision.events,
            warnings: decision.warnings,
        })
    }

    /// Records a new ticket (R18 station ticket, or one dispatch row).
    pub fn create(&mut self, new: NewTicket, env: &Env) -> Result<Outcome> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().create(new, env);
        }
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = create_in(&tx, new, env)?;
        search::refresh(&tx)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// The next station ticket number for the day, `ZD-YYYYMMDD-NNNN` (R18).
    pub fn create_station_ticket(&mut self, mut new: NewTicket, env: &Env) -> Result<Outcome> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().create_station_ticket(new, env);
        }
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let day = env.calendar.local(env.now).format("%Y%m%d").to_string();
        let key = format!("station:{day}");
        let n: i64 = tx.query_row(
            "INSERT INTO counters(name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
            [&key],
            |r| r.get(0),
        )?;
        new.ticket_no = format!("ZD-{day}-{n:04}");
        let outcome = create_in(&tx, new, env)?;
        search::refresh(&tx)?;
        tx.commit()?;
        Ok(outcome)
    }

    pub fn load(&self, ticket_no: &str) -> Result<Option<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().load(ticket_no);
        }
        load_ticket(self.conn()?, ticket_no)
    }

    pub fn get(&self, ticket_no: &str) -> Result<Ticket> {
        self.load(ticket_no)?
            .ok_or_else(|| StoreError::NoSuchTicket(ticket_no.to_string()))
    }

    /// The ticket's events, oldest first.
    pub fn history(&self, ticket_no: &str) -> Result<Vec<Event>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().history(ticket_no);
        }
        let damaged = |detail| {
            StoreError::Damaged(Damaged {
                ticket_no: ticket_no.to_string(),
                detail,
            })
        };
        let id: i64 = self
            .conn()?
            .query_row(
                "SELECT id FROM tickets WHERE ticket_no = ?1",
                [ticket_no],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchTicket(ticket_no.to_string()))?;
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([id], event_from_row)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?.map_err(damaged)?);
        }
        // A `received` event stored compact takes the ticket from the row.
        if row::is_compact(&out) {
            let (_, ticket) = load_for_update(self.conn()?, ticket_no)?;
            row::restore_received(&ticket, &mut out).map_err(damaged)?;
        }
        Ok(out)
    }

    /// Starts hearing about other desks' changes as they commit (a shared
    /// database: its station's channel); `false` when there is nothing to
    /// listen to (a file, or a connection naming no station), and the
    /// caller keeps asking [`Store::data_version`].
    pub fn listen(&self) -> Result<bool> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().listen(),
            None => Ok(false),
        }
    }

    /// What other desks changed since the last call, when listening
    /// ([`Store::listen`]); `None` otherwise.
    pub fn changes(&self) -> Result<Option<pg::Changes>> {
        match &self.pg {
            Some(pg) if pg.borrow().is_listening() => pg.borrow_mut().changes().map(Some),
            _ => Ok(None),
        }
    }

    /// Who the connected login is on a shared database (`None` for a file).
    pub fn person(&self) -> Option<crate::domain::people::Person> {
        self.pg.as_ref().map(|pg| pg.borrow().me().clone())
    }

    /// Grants or revokes a login's role (a shared database only), with the
    /// database's privileges, recorded; `None` when nothing changed.
    pub fn people_change(
        &mut self,
        change: &crate::domain::people::PeopleChange,
        env: &Env,
    ) -> Result<Option<crate::domain::people::PeopleEvent>> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().people_change(change, env),
            None => Err(StoreError::NotShared),
        }
    }

    /// Everyone granted on a shared database, the revoked included.
    pub fn people(&self) -> Result<Vec<crate::domain::people::Person>> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().people(),
            None => Err(StoreError::NotShared),
        }
    }

    /// Every grant and revoke on a shared database, oldest first.
    pub fn people_history(&self) -> Result<Vec<crate::domain::people::PeopleEvent>> {
        match &self.pg {
            Some(pg) => pg.borrow_mut().people_history(),
            None => Err(StoreError::NotShared),
        }
    }

    /// Dispatches of unprinted work orders (the R7 system-outage override)
    /// recorded in `[from, to)`, oldest first: the daily review lists them.
    pub fn dispatch_overrides(&self, from: Time, to: Time) -> Result<Vec<DispatchOverride>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().dispatch_overrides(from, to);
        }
        let mut stmt = self.conn()?.prepare_cached(&format!(
            "SELECT t.ticket_no, {EVENT_COLUMNS} FROM events e JOIN tickets t ON t.id = e.ticket_id
             WHERE e.kind = 'dispatched' AND e.at >= ?1 AND e.at < ?2 AND {KINDS_BY_TIME}
               AND json_extract(e.data, '$.override_reason') IS NOT NULL
             ORDER BY e.at, e.id"
        ))?;
        let rows = stmt.query_map(params![ts(from), ts(to)], |r| {
            let no: String = r.get(0)?;
            // The event's columns follow the ticket number.
            let e = row::event_from_row_at(r, 1)?;
            Ok((no, e))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (ticket_no, e) = row?;
            let e = match e {
                Ok(e) => e,
                Err(detail) => {
                    self.keep_readable(Err(Damaged { ticket_no, detail }));
                    continue;
                }
            };
            if let crate::domain::event::Change::Dispatched {
                engineer,
                override_reason: Some(reason),
                ..
            } = e.change
            {
                out.push(DispatchOverride {
                    ticket_no,
                    at: e.at,
                    actor: e.actor,
                    engineer,
                    reason,
                });
            }
        }
        Ok(out)
    }

    /// Tickets matching a filter; see [`ListFilter`].
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Ticket>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().list(filter);
        }
        // Ids first, sorted and cut to the limit, then those rows: the sort
        // handles small records even when a short term matches thousands.
        let mut sql = String::from("SELECT id FROM tickets WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        // Open statuses only: the partial index `tickets_open` holds them
        // (a few thousand rows even in a million-ticket database).
        let open_only = if filter.statuses.is_empty() {
            filter.open_only
        } else {
            filter.statuses.iter().all(|s| !s.is_closed())
        };
        if open_only {
            sql.push_str(" AND status NOT IN ('resolved', 'cancelled')");
        }
        if !filter.statuses.is_empty() {
            let marks: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| {
                    args.push(s.code().to_string().into());
                    format!("?{}", args.len())
                })
                .collect();
            sql.push_str(&format!(" AND status IN ({})", marks.join(",")));
        }
        if let Some(e) = &filter.engineer {
            args.push(e.clone().into());
            sql.push_str(&format!(" AND engineer = ?{}", args.len()));
        }
        if let Some(text) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if open_only {
                // Few rows to look at: `LIKE` over the open set is cheaper
                // than reading the blocks of every ticket.
                args.push(format!("%{}%", search::escape_like(text)).into());
                let n = args.len();
                sql.push_str(&format!(" AND {}", search::like_clause(n)));
            } else {
                let ids = search::matching_ids(self.conn()?, text)?;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                args.push(format!("[{}]", list.join(",")).into());
                sql.push_str(&format!(
                    " AND id IN (SELECT value FROM json_each(?{}))",
                    args.len()
                ));
            }
        }
        if open_only {
            // Emergencies first, then the oldest (P4); urgency by deadline is
            // refined by the caller where alerts are known.
            sql.push_str(
                " ORDER BY CASE priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, t1, id",
            );
        } else {
            // With closed tickets (hundreds of thousands): the newest first,
            // walking the T1 index backwards until the limit is reached.
            sql.push_str(" ORDER BY t1 DESC, id DESC");
        }
        if let Some(limit) = filter.limit {
            args.push((limit as i64).into());
            sql.push_str(&format!(" LIMIT ?{}", args.len()));
        }
        // One snapshot for the ids and their rows; it also spares each row
        // read its own lock and unlock of the file.
        let tx = self.conn()?.unchecked_transaction()?;
        let ids: Vec<i64> = tx
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        {
            let mut one = tx.prepare_cached(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"
            ))?;
            for id in ids {
                out.extend(self.keep_readable(one.query_row([id], ticket_from_row)?));
            }
        }
        tx.commit()?;
        Ok(out)
    }

    // --- staff (R16, R17, Role) ---

    /// Decides and records a change of the staff list, with its history
    /// event, in one transaction (see [`crate::domain::staff`]). `Ok(None)`:
    /// the list already said so, nothing was written.
    pub fn staff_change(&mut self, change: &StaffChange, env: &Env) -> Result<Option<StaffEvent>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().staff_change(change, env);
        }
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = staff_entry(&tx, change.name())?;
        let role = Store::role_of(&tx, env.actor)?;
        let decision = staff::decide_staff(change, current.as_ref(), &role, env.actor, env.now)
            .map_err(StoreError::Refused)?;
        let event = match decision {
            StaffDecision::Record(e) => e,
            StaffDecision::Unchanged => return Ok(None),
            StaffDecision::NoSuchEngineer => {
                return Err(StoreError::NoSuchEngineer(change.name().to_string()));
            }
        };
        let a = &event.after;
        tx.execute(
            "INSERT INTO staff(name, capacity, site, active) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET capacity = excluded.capacity, site = excluded.site,
                 active = excluded.active",
            params![a.name, a.capacity, a.site, a.active],
        )?;
        let data = serde_json::json!({ "before": event.before, "after": event.after });
        tx.execute(
            "INSERT INTO staff_events(at, actor, kind, name, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                ts(event.at),
                event.actor,
                event.kind.code(),
                event.name,
                data.to_string()
            ],
        )?;
        tx.commit()?;
        Ok(Some(event))
    }

    /// The staff list's history, oldest first; of one engineer with `name`.
    pub fn staff_history(&self, name: Option<&str>) -> Result<Vec<StaffEvent>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().staff_history(name);
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT at, actor, kind, name, data FROM staff_events
             WHERE ?1 IS NULL OR name = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([name], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, actor, kind, name, data) = row?;
            out.push(staff_event(at, actor, &kind, name, &data)?);
        }
        Ok(out)
    }

    pub fn staff_list(&self) -> Result<Vec<Staff>> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().staff_list();
        }
        let mut stmt = self.conn()?.prepare(
            "SELECT s.name, s.capacity, s.site,
                    (SELECT COUNT(*) FROM tickets t WHERE t.engineer = s.name
                       AND t.status NOT IN ('resolved', 'cancelled'))
             FROM staff s WHERE s.active = 1 ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Staff {
                name: r.get(0)?,
                capacity: r.get(1)?,
                site: r.get(2)?,
                open_tickets: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes since this connection last looked (for the dashboard's refresh).
    pub fn data_version(&self) -> Result<i64> {
        if let Some(pg) = &self.pg {
            return pg.borrow_mut().data_version();
        }
        Ok(self
            .conn()?
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

/// Several commands in one transaction (see [`Store::begin`]). Dropped
/// without [`Tx::commit`], nothing of it is written.
pub enum Tx<'a> {
    Sqlite(rusqlite::Transaction<'a>),
    Pg(pg::PgTx<'a>),
}

impl Tx<'_> {
    /// Is there a ticket with this number?
    pub fn exists(&mut self, ticket_no: &str) -> Result<bool> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached("SELECT 1 FROM tickets WHERE ticket_no = ?1")?;
                Ok(stmt
                    .query_row([ticket_no], |_| Ok(()))
                    .optional()?
                    .is_some())
            }
            Tx::Pg(t) => t.store().exists(ticket_no),
        }
    }

    pub fn load(&mut self, ticket_no: &str) -> Result<Option<Ticket>> {
        match self {
            Tx::Sqlite(tx) => load_ticket(tx, ticket_no),
            Tx::Pg(t) => t.store().load(ticket_no),
        }
    }

    /// Decides and inserts a new ticket (a duplicate number is refused
    /// without spoiling the rest).
    pub fn create(&mut self, new: NewTicket, env: &Env) -> Result<Outcome> {
        match self {
            Tx::Sqlite(tx) => create_in(tx, new, env),
            Tx::Pg(t) => t.store().create_in_open(new, env),
        }
    }

    /// Decides and records a command on a ticket.
    pub fn execute(
        &mut self,
        ticket_no: &str,
        cmd: &Command,
        env: &Env,
        expected_version: Option<i64>,
    ) -> Result<Outcome> {
        match self {
            Tx::Sqlite(tx) => execute_in(tx, ticket_no, cmd, env, expected_version),
            Tx::Pg(t) => t
                .store()
                .execute_in_open(ticket_no, cmd, env, expected_version),
        }
    }

    /// Writes everything (on SQLite the new tickets go into the search
    /// blocks first, in one pass).
    pub fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                search::refresh(&tx)?;
                tx.commit()?;
                Ok(())
            }
            Tx::Pg(t) => t.commit(),
        }
    }
}

/// A dispatch without a printed work order (R7), for the daily review.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DispatchOverride {
    pub ticket_no: String,
    pub at: Time,
    pub actor: String,
    pub engineer: String,
    pub reason: String,
}

/// An engineer's entry, removed or not.
fn staff_entry(conn: &Connection, name: &str) -> Result<Option<StaffEntry>> {
    Ok(conn
        .prepare_cached("SELECT name, capacity, site, active FROM staff WHERE name = ?1")?
        .query_row([name], |r| {
            Ok(StaffEntry {
                name: r.get(0)?,
                capacity: r.get(1)?,
                site: r.get(2)?,
                active: r.get(3)?,
            })
        })
        .optional()?)
}

/// A staff event from the columns of `staff_events`.
pub(crate) fn staff_event(
    at: i64,
    actor: String,
    kind: &str,
    name: String,
    data: &str,
) -> Result<StaffEvent> {
    let bad = |what: &str| StoreError::Data(format!("staff event of {name}: {what}"));
    let kind = StaffEventKind::parse(kind).ok_or_else(|| bad(&format!("unknown kind '{kind}'")))?;
    let data: StaffEventData = serde_json::from_str(data).map_err(|e| bad(&e.to_string()))?;
    Ok(StaffEvent {
        at: from_ts(at),
        actor,
        kind,
        name,
        before: data.before,
        after: data.after,
    })
}

/// `staff_events.data`.
#[derive(serde::Deserialize)]
struct StaffEventData {
    before: Option<StaffEntry>,
    after: StaffEntry,
}

/// An engineer on the staff list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Staff {
    pub name: String,
    pub capacity: u32,
    pub site: Option<String>,
    pub open_tickets: u32,
}

/// Which tickets `list` returns: open ones most urgent first (emergencies,
/// then the oldest); with closed statuses, the newest first.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub statuses: Vec<Status>,
    /// Without explicit statuses: only tickets not resolved or cancelled.
    pub open_only: bool,
    pub engineer: Option<String>,
    pub search: Option<String>,
    pub limit: Option<usize>,
}

/// Creates a folder (and its parents) readable by the owner only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// What makes a database someone else's, or `None` when the file is new,
/// empty, or a repairdesk database: a file never touched by repairdesk
/// (schema 0) holding anything, or one at a repairdesk schema number without
/// the tables every repairdesk database has.
/// The schema version of a file and, when it holds another program's
/// tables, what they are: read in one snapshot (another first use may be
/// migrating meanwhile).
fn schema_of(conn: &Connection) -> rusqlite::Result<(i64, Option<String>)> {
    retry_busy(|| {
        let tx = conn.unchecked_transaction()?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let foreign = foreign_tables(&tx, found)?;
        tx.commit()?;
        Ok((found, foreign))
    })
}

/// A file of a newer repairdesk, or another program's, is refused as it is.
fn refuse_newer_or_foreign(
    path: &Path,
    found: i64,
    supported: i64,
    foreign: Option<String>,
) -> Result<()> {
    if found > supported {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    if let Some(holds) = foreign {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
            holds,
        });
    }
    Ok(())
}

fn foreign_tables(conn: &Connection, version: i64) -> rusqlite::Result<Option<String>> {
    let names: Vec<(String, String)> = conn
        .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let has = |t: &str| names.iter().any(|(kind, n)| kind == "table" && n == t);
    let ours = ["tickets", "events", "staff", "counters"];
    if (version == 0 && names.is_empty()) || (version > 0 && ours.iter().all(|t| has(t))) {
        return Ok(None);
    }
    let tables: Vec<&str> = names
        .iter()
        .filter(|(kind, _)| kind == "table" || kind == "view")
        .map(|(_, n)| n.as_str())
        .collect();
    Ok(Some(match tables.len() {
        0 => format!("schema {version} without repairdesk's tables"),
        n if n <= 6 => format!("tables {}", tables.join(", ")),
        n => format!("tables {} and {} more", tables[..6].join(", "), n - 6),
    }))
}

/// Opens a log file for appending, creating it readable by the owner only;
/// a symlink in its place is refused, not followed.
pub fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = o.open(path)?;
    // A log made before this version may be world-readable.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Runs `f` again while SQLite answers "busy" without having waited itself,
/// up to [`BUSY_TIMEOUT`].
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(StdDuration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Creates a new empty file readable by the owner only; fails if it exists.
fn create_private_new(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

fn load_ticket(conn: &Connection, ticket_no: &str) -> Result<Option<Ticket>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets WHERE ticket_no = ?1"
    ))?;
    match stmt.query_row([ticket_no], ticket_from_row).optional()? {
        Some(r) => Ok(Some(r.map_err(StoreError::Damaged)?)),
        None => Ok(None),
    }
}

/// The ticket and its row id, in one read.
fn load_for_update(conn: &Connection, ticket_no: &str) -> Result<(i64, Ticket)> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TICKET_COLUMNS}, id FROM tickets WHERE ticket_no = ?1"
    ))?;
    let row = stmt
        .query_row([ticket_no], |r| {
            Ok((r.get::<_, i64>(TICKET_COLUMN_COUNT)?, ticket_from_row(r)?))
        })
        .optional()?;
    let (id, t) = row.ok_or_else(|| StoreError::NoSuchTicket(ticket_no.to_string()))?;
    Ok((id, t.map_err(StoreError::Damaged)?))
}

/// The engineer and their planned visits on the day of this ticket's promise (R17).
fn staff_load(conn: &Connection, name: &str, t: &Ticket, cal: &Calendar) -> Result<StaffLoad> {
    let row: Option<(u32, Option<String>)> = conn
        .prepare_cached("SELECT capacity, site FROM staff WHERE name = ?1 AND active = 1")?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (capacity, site) = row.ok_or_else(|| StoreError::NoSuchEngineer(name.to_string()))?;
    let day = cal.local(t.due_at().unwrap_or(t.t1)).date_naive();
    let load = planned_visits(conn, name, day_span(cal, day), Some(&t.ticket_no))?;
    Ok(StaffLoad {
        name: name.to_string(),
        capacity,
        site,
        load,
    })
}

/// The engineer's open tickets promised within `span` (their planned visits
/// that day, R17), leaving out `except`: the one query behind the dispatch
/// check and the dashboard's engineer list.
fn planned_visits(
    conn: &Connection,
    name: &str,
    (start, end): (i64, i64),
    except: Option<&str>,
) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM tickets WHERE engineer = ?1 AND t3 >= ?2 AND t3 < ?3
               AND (?4 IS NULL OR ticket_no <> ?4) AND status NOT IN ('resolved', 'cancelled')
               AND service_type = 'onsite'",
        )?
        .query_row(params![name, start, end, except], |r| r.get(0))?)
}

/// The first moment of a local calendar day and of the next.
pub fn day_bounds(cal: &Calendar, day: chrono::NaiveDate) -> (Time, Time) {
    let (start, end) = day_span(cal, day);
    (from_ts(start), from_ts(end))
}

/// Unix-second bounds of a local calendar day.
fn day_span(cal: &Calendar, day: chrono::NaiveDate) -> (i64, i64) {
    use chrono::TimeZone;
    let tz = cal.tz();
    let start = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or(0)
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

/// Decides and records a command inside the caller's transaction (for
/// batches: the demo, `import --update`). [`Store::execute`] wraps it.
pub(crate) fn execute_in(
    tx: &Connection,
    ticket_no: &str,
    cmd: &Command,
    env: &Env,
    expected_version: Option<i64>,
) -> Result<Outcome> {
    let (id, ticket, decision) = decide_in(tx, ticket_no, cmd, env, expected_version)?;
    let mut after = ticket.clone();
    for e in &decision.events {
        event::apply(&mut after, e);
    }
    write_ticket(
        tx,
        id,
        &after,
        Some((env.settings, env.calendar)),
        Some(ticket.version),
    )?;
    for e in &decision.events {
        insert_event(tx, id, e)?;
    }
    Ok(Outcome {
        ticket: after,
        events: decision.events,
        warnings: decision.warnings,
    })
}

/// Loads the ticket and decides the command (the rules' context read from
/// the same connection): the part of [`execute_in`] that writes nothing.
fn decide_in(
    tx: &Connection,
    ticket_no: &str,
    cmd: &Command,
    env: &Env,
    expected_version: Option<i64>,
) -> Result<(i64, Ticket, rules::Decision)> {
    let (id, ticket) = load_for_update(tx, ticket_no)?;
    check_version(ticket_no, expected_version, &ticket)?;
    let staff = match engineer_named(cmd) {
        Some(name) => Some(staff_load(tx, name, &ticket, env.calendar)?),
        None => None,
    };
    let ctx = Context {
        now: env.now,
        actor: env.actor,
        role: Store::role_of(tx, env.actor)?,
        settings: env.settings,
        calendar: env.calendar,
        staff,
    };
    let decision = decide_stamped(&ticket, cmd, &ctx, env)?;
    Ok((id, ticket, decision))
}

// The part of a command that is the same on every backend: the version
// check, the engineer whose load the rules weigh, and the decision with
// R20's real writing moment. Each backend only loads, locks and writes.

/// `--expect-version`: the ticket changed meanwhile (exit 5).
pub(crate) fn check_version(ticket_no: &str, expected: Option<i64>, ticket: &Ticket) -> Result<()> {
    match expected {
        Some(expected) if expected != ticket.version => Err(StoreError::Conflict {
            ticket_no: ticket_no.to_string(),
            expected,
            actual: ticket.version,
        }),
        _ => Ok(()),
    }
}

/// The engineer a command sends or names, whose day the rules check (R17).
pub(crate) fn engineer_named(cmd: &Command) -> Option<&str> {
    match cmd {
        // Trimmed as `decide` reads them (`Command::normalized`).
        Command::Dispatch { engineer, .. } => Some(engineer.trim()),
        Command::Repair { by: Some(by), .. } if !by.trim().is_empty() => Some(by.trim()),
        _ => None,
    }
}

/// [`rules::decide`], with every event keeping the real moment it was
/// written (R20).
pub(crate) fn decide_stamped(
    ticket: &Ticket,
    cmd: &Command,
    ctx: &Context,
    env: &Env,
) -> Result<rules::Decision> {
    let mut decision = rules::decide(ticket, cmd, ctx).map_err(StoreError::Refused)?;
    stamp(&mut decision.events, env);
    Ok(decision)
}

/// Every event keeps the real moment it was written (R20).
pub(crate) fn stamp(events: &mut [Event], env: &Env) {
    for e in events {
        e.recorded_at = env.recorded_at;
    }
}

/// Decides and inserts a new ticket inside the caller's transaction.
pub(crate) fn create_in(conn: &Connection, new: NewTicket, env: &Env) -> Result<Outcome> {
    let no = new.ticket_no.clone();
    let ctx = Context {
        now: env.now,
        actor: env.actor,
        role: Store::role_of(conn, env.actor)?,
        settings: env.settings,
        calendar: env.calendar,
        staff: None,
    };
    let mut decision = rules::decide_new(new, &ctx).map_err(StoreError::Refused)?;
    stamp(&mut decision.events, env);
    let first = decision
        .events
        .first()
        .ok_or_else(|| StoreError::Data("creation decided no event".into()))?;
    let mut ticket = event::create(first)
        .ok_or_else(|| StoreError::Data("creation event does not create".into()))?;
    for e in &decision.events[1..] {
        event::apply(&mut ticket, e);
    }
    // The unique index on ticket_no answers "already there?" as it inserts.
    let id = match insert_ticket(conn, &ticket, Some((env.settings, env.calendar))) {
        Err(StoreError::Database(DbError(rusqlite::Error::SqliteFailure(e, Some(msg)))))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && msg.contains("tickets.ticket_no") =>
        {
            return Err(StoreError::Duplicate(no));
        }
        other => other?,
    };
    insert_history(conn, id, &ticket, &decision.events)?;
    Ok(Outcome {
        ticket,
        events: decision.events,
        warnings: decision.warnings,
    })
}

use row::{insert_event, insert_history, insert_ticket, write_ticket};

#[cfg(test)]
mod tests {
    use super::*;

    /// A migration that fails half-way (its first statement succeeds) must
    /// leave the database at the previous schema, usable as before.
    #[test]
    fn failed_migration_leaves_old_schema_usable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        drop(Store::open(&path).unwrap());
        let current = schema::MIGRATIONS.len() as i64;
        let mut with_bad: Vec<&str> = schema::MIGRATIONS.to_vec();
        with_bad.push(
            "ALTER TABLE tickets ADD COLUMN half_done TEXT;
             CREATE TABLE staff (name TEXT);",
        );
        let conn = Connection::open(&path).unwrap();
        let err = match Store::init(conn, &path, &with_bad) {
            Err(e) => e,
            Ok(_) => panic!("the conflicting migration succeeded"),
        };
        match &err {
            StoreError::Migration { from, to, .. } => {
                assert_eq!((*from, *to), (current, current + 1));
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert!(err.to_string().contains("m.db"), "{err}");

        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn()
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, current);
        let half: i64 = store
            .conn()
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('tickets') WHERE name = 'half_done'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(half, 0, "the failed migration's first step stayed");
        assert!(store.staff_list().unwrap().is_empty());
    }
}
