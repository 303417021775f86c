//! PostgreSQL: the same store on a shared server, for a station whose
//! coordinators work at several desks (see `docs/scaling.md`).
//!
//! One transaction per command, as on SQLite; instead of SQLite's one writer
//! at a time, the ticket's row is locked (`SELECT … FOR UPDATE`) so desks
//! working on different tickets do not wait for each other, and two desks on
//! the same ticket are put in line; `--expect-version` then refuses the
//! second with a conflict. The server rolls back whatever a lost connection
//! or a killed client left open: nothing is half-written.

mod copy;
mod day;
mod listen;
mod people;
mod reads;
mod row;
pub mod schema;
pub mod search;
mod sql;
pub mod url;

use postgres::error::SqlState;
use postgres::{Client, NoTls};
use sql::{Db, Sql};

use super::{Damaged, Env, ListFilter, Outcome, Result, Staff, StoreError};
use crate::domain::calendar::Calendar;
use crate::domain::command::{Command, NewTicket};
use crate::domain::event::{self, Event};
use crate::domain::people::{Person, PersonRole};
use crate::domain::rules::{self, Context, Role, StaffLoad};
use crate::domain::staff::{self, StaffChange, StaffDecision, StaffEntry, StaffEvent};
use crate::domain::ticket::Ticket;
use crate::store::ts;

pub use listen::Changes;
pub use url::is_url;

/// The advisory lock key migrations take (any constant; "rdsk").
const MIGRATION_LOCK: i64 = 0x7264_736b;

/// The `counters` row bumped by every change of the staff list, so that the
/// dashboard notices it (tickets are noticed by their events).
const STAFF_CHANGES: &str = "staff:changes";

/// A connection to a repairdesk database on a PostgreSQL server.
pub struct PgStore {
    client: Client,
    /// `postgres://user@host:port/db`, for messages (never the password).
    shown: String,
    /// Statements prepared on this connection, by their text (`sql.rs`).
    prepared: std::collections::HashMap<String, postgres::Statement>,
    /// How to connect again after the connection was lost.
    config: postgres::Config,
    /// After a failed reconnection: not before then, and why it failed.
    retry: Option<(std::time::Instant, String)>,
    /// The tickets lists left out because a stored value does not read.
    damaged: Vec<Damaged>,
    /// The desk's station (`[station] code`), told to the server on every
    /// connection: the administrator's rows are scoped to it (schema.rs).
    station: String,
    /// Who the login is here.
    me: Person,
    /// Listening on the station's channel (`listen.rs`).
    listening: bool,
}

/// Between two attempts to connect again, and the longest one may take: a
/// dashboard without its server keeps drawing.
const RETRY_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
const RECONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Where in a command a connection was lost: before the commit nothing was
/// written; during it, the server may or may not have recorded it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Connect,
    /// A read: nothing was to be written.
    Read,
    Work,
    Commit,
}

impl PgStore {
    /// Connects to the URL, refuses a database of another application or of
    /// a newer repairdesk, and applies the migrations it lacks.
    /// `station` is the desk's `[station] code`.
    pub fn open(db_url: &str, station: &str) -> Result<PgStore> {
        let target = url::parse(db_url).map_err(|e| StoreError::BadUrl(e.0))?;
        let mut client = target
            .config
            .connect(NoTls)
            .map_err(|e| describe(&target.shown, e, Phase::Connect))?;
        tell_station(&mut client, station).map_err(|e| describe(&target.shown, e, Phase::Work))?;
        let login = target.config.get_user().unwrap_or_default().to_string();
        let mut store = PgStore {
            client,
            shown: target.shown,
            prepared: Default::default(),
            config: target.config,
            retry: None,
            damaged: Vec::new(),
            station: station.to_string(),
            me: Person {
                role: PersonRole::Admin,
                station: None,
                name: login.clone(),
                login,
                active: true,
            },
            listening: false,
        };
        store.init(schema::MIGRATIONS)?;
        store.me = store.whoami()?;
        Ok(store)
    }

    /// Who the connected login is, or a refusal naming it when it has no
    /// place in this database.
    fn whoami(&mut self) -> Result<Person> {
        let row = self
            .client
            .query_one(
                "SELECT session_user::TEXT, repairdesk_role(), repairdesk_station(), repairdesk_name()",
                &[],
            )
            .map_err(|e| describe(&self.shown, e, Phase::Read))?;
        let login: String = row.get(0);
        let role: Option<String> = row.get(1);
        match role.as_deref().and_then(PersonRole::parse) {
            Some(role) => Ok(Person {
                login,
                role,
                station: row.get(2),
                name: row.get::<_, Option<String>>(3).unwrap_or_default(),
                active: true,
            }),
            None => Err(StoreError::Server {
                server: self.shown.clone(),
                detail: format!(
                    "the login {login} has no place in this repairdesk database; its administrator adds it with `repairdesk admin grant {login} --role coordinator|engineer|region …`"
                ),
            }),
        }
    }

    /// Who the connected login is here.
    pub fn me(&self) -> &Person {
        &self.me
    }

    /// The desk's station, as the configuration names it.
    pub fn station(&self) -> &str {
        &self.station
    }

    /// The server and database, as shown in messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn fail(&self, e: StoreError, phase: Phase) -> StoreError {
        match e {
            StoreError::Postgres(e) => describe(&self.shown, e, phase),
            other => named(&self.shown, other),
        }
    }

    fn init(&mut self, migrations: &[&str]) -> Result<()> {
        let shown = self.shown.clone();
        let found = self
            .schema_version()
            .map_err(|e| self.fail(e, Phase::Work))?;
        let found = match found {
            Some(v) => v,
            None => {
                let other: Option<String> = self
                    .client
                    .query_opt(
                        "SELECT tablename::TEXT FROM pg_tables
                         WHERE schemaname = current_schema() ORDER BY tablename LIMIT 1",
                        &[],
                    )
                    .map_err(|e| describe(&shown, e, Phase::Work))?
                    .map(|r| r.get(0));
                match other {
                    // Another desk starting at the same moment may have just
                    // committed the first migration: its tables appear
                    // together with `repairdesk_schema`, so look again.
                    Some(table) => match self
                        .schema_version()
                        .map_err(|e| self.fail(e, Phase::Work))?
                    {
                        Some(v) => v,
                        None => {
                            return Err(StoreError::NotOurs {
                                server: shown,
                                table,
                            });
                        }
                    },
                    None => 0,
                }
            }
        };
        let supported = migrations.len() as i64;
        if found > supported {
            return Err(StoreError::NewerSchema {
                path: shown.into(),
                found,
                supported,
            });
        }
        // Since migration 2 only the administrator (the tables' owner) can
        // upgrade: anyone else is told who must, instead of the server's
        // "permission denied".
        if found >= 2 && found < supported {
            let role: Option<String> = self
                .client
                .query_one("SELECT repairdesk_role()", &[])
                .map_err(|e| describe(&shown, e, Phase::Read))?
                .get(0);
            if role.as_deref() != Some("admin") {
                return Err(StoreError::Migration {
                    path: shown.into(),
                    from: found,
                    to: supported,
                    detail: "only the database's administrator (the login that created it) can upgrade it: it opens the database once with this repairdesk".into(),
                });
            }
        }
        for (i, sql) in migrations.iter().enumerate().skip(found as usize) {
            let to = i as i64 + 1;
            let failed = |e: postgres::Error| StoreError::Migration {
                path: shown.clone().into(),
                from: i as i64,
                to,
                detail: one_line(&e),
            };
            let mut tx = self.client.transaction().map_err(failed)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .map_err(failed)?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS repairdesk_schema (
                     version    BIGINT PRIMARY KEY,
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 )",
            )
            .map_err(failed)?;
            // Another desk may have migrated while we waited for the lock.
            let now: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM repairdesk_schema",
                    &[],
                )
                .map_err(failed)?
                .get(0);
            if now >= to {
                tx.commit().map_err(failed)?;
                continue;
            }
            tx.batch_execute(sql).map_err(failed)?;
            tx.execute("INSERT INTO repairdesk_schema(version) VALUES ($1)", &[&to])
                .map_err(failed)?;
            tx.commit().map_err(failed)?;
        }
        Ok(())
    }

    /// The number of migrations applied, or `None` if this is not (yet) a
    /// repairdesk database.
    fn schema_version(&mut self) -> Result<Option<i64>> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('repairdesk_schema') IS NOT NULL", &[])?
            .get(0);
        if !exists {
            return Ok(None);
        }
        let v: i64 = self
            .client
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM repairdesk_schema",
                &[],
            )?
            .get(0);
        Ok(Some(v))
    }

    /// Runs `f` in one transaction and commits; any failure rolls it back.
    pub fn in_tx<T>(&mut self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        let shown = self.shown.clone();
        self.client
            .batch_execute("BEGIN")
            .map_err(|e| describe(&shown, e, Phase::Work))?;
        let out = f(&mut self.db());
        match out {
            Ok(v) => {
                self.client
                    .batch_execute("COMMIT")
                    .map_err(|e| describe(&shown, e, Phase::Commit))?;
                Ok(v)
            }
            Err(e) => {
                self.rollback();
                Err(match e {
                    StoreError::Postgres(e) => describe(&shown, e, Phase::Work),
                    e => named(&shown, e),
                })
            }
        }
    }

    /// The connection with its prepared statements (see `sql.rs`).
    fn db(&mut self) -> Db<'_> {
        Db {
            client: &mut self.client,
            prepared: &mut self.prepared,
        }
    }

    /// Decides and records a command on a ticket, in one transaction, the
    /// ticket's row locked. With `expected_version`, a ticket changed since
    /// it was read is refused.
    pub fn execute(
        &mut self,
        ticket_no: &str,
        cmd: &Command,
        env: &Env,
        expected_version: Option<i64>,
    ) -> Result<Outcome> {
        self.in_tx(|tx| execute_in(tx, ticket_no, cmd, env, expected_version))
    }

    /// Records a new ticket (R18 station ticket, or one dispatch row).
    pub fn create(&mut self, new: NewTicket, env: &Env) -> Result<Outcome> {
        self.in_tx(|tx| create_in(tx, new, env))
    }

    /// The next station ticket number for the day, `ZD-YYYYMMDD-NNNN` (R18).
    pub fn create_station_ticket(&mut self, mut new: NewTicket, env: &Env) -> Result<Outcome> {
        self.in_tx(|tx| {
            let day = env.calendar.local(env.now).format("%Y%m%d").to_string();
            let key = format!("station:{day}");
            let n: i64 = tx
                .query_one(
                    "INSERT INTO counters(name, value) VALUES ($1, 1)
                     ON CONFLICT(station, name) DO UPDATE SET value = counters.value + 1 RETURNING value",
                    &[&key],
                )?
                .get(0);
            new.ticket_no = format!("ZD-{day}-{n:04}");
            create_in(tx, new, env)
        })
    }

    pub fn load(&mut self, ticket_no: &str) -> Result<Option<Ticket>> {
        let r = load_ticket(&mut self.db(), ticket_no);
        r.map_err(|e| self.fail(e, Phase::Read))
    }

    /// The ticket's events, oldest first.
    pub fn history(&mut self, ticket_no: &str) -> Result<Vec<Event>> {
        let r = history(&mut self.db(), ticket_no);
        r.map_err(|e| self.fail(e, Phase::Read))
    }

    /// One engineer's day; see `Store::engineer_day`.
    pub fn engineer_day(&mut self, name: &str, start: i64, end: i64) -> Result<Vec<Ticket>> {
        let r = day::engineer_day(&mut self.client, name, start, end);
        let read = r.map_err(|e| self.fail(e, Phase::Read))?;
        Ok(self.keep_readable(read))
    }

    /// Tickets matching a filter; see [`ListFilter`].
    pub fn list(&mut self, filter: &ListFilter) -> Result<Vec<Ticket>> {
        let scope = self.scope("tickets");
        let r = search::list(&mut self.client, filter, &scope);
        let read = r.map_err(|e| self.fail(e, Phase::Read))?;
        Ok(self.keep_readable(read))
    }

    /// The tickets of a list that read; the others are noted, each once
    /// (see `Store::damaged`).
    pub(super) fn keep_readable(&mut self, read: Vec<row::Readable>) -> Vec<Ticket> {
        let mut kept = Vec::with_capacity(read.len());
        for r in read {
            match r {
                Ok(t) => kept.push(t),
                Err(d) => self.note_damaged(d),
            }
        }
        kept
    }

    pub(super) fn note_damaged(&mut self, d: Damaged) {
        if !self.damaged.contains(&d) {
            self.damaged.push(d);
        }
    }

    /// The tickets lists left out so far; see `Store::damaged`.
    pub fn damaged(&self) -> &[Damaged] {
        &self.damaged
    }

    pub fn forget_damaged(&mut self) {
        self.damaged.clear();
    }

    /// Decides and records a change of the staff list with its history
    /// event, in one transaction, the engineer's row locked.
    pub fn staff_change(&mut self, change: &StaffChange, env: &Env) -> Result<Option<StaffEvent>> {
        self.in_tx(|tx| {
            // The role first: an engineer or the region may not even lock
            // the list's rows, and is refused by the rule, not the server.
            let (actor, role) = who(tx, env.actor)?;
            let current = match role {
                Role::Engineer(_) | Role::Region => None,
                Role::Coordinator => tx
                    .query_opt(
                        "SELECT name, capacity, site, active FROM staff WHERE name = $1 FOR UPDATE",
                        &[&change.name()],
                    )?
                    .map(|r| StaffEntry {
                        name: r.get(0),
                        capacity: u32::try_from(r.get::<_, i64>(1)).unwrap_or(u32::MAX),
                        site: r.get(2),
                        active: r.get(3),
                    }),
            };
            let decision = staff::decide_staff(change, current.as_ref(), &role, &actor, env.now)
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
                "INSERT INTO staff(name, capacity, site, active) VALUES ($1, $2, $3, $4)
                 ON CONFLICT(station, name) DO UPDATE SET capacity = excluded.capacity,
                     site = excluded.site, active = excluded.active",
                &[&a.name, &i64::from(a.capacity), &a.site, &a.active],
            )?;
            let data = serde_json::json!({ "before": event.before, "after": event.after });
            tx.execute(
                "INSERT INTO staff_events(at, actor, kind, name, data) VALUES ($1, $2, $3, $4, $5)",
                &[
                    &ts(event.at),
                    &event.actor,
                    &event.kind.code(),
                    &event.name,
                    &data.to_string(),
                ],
            )?;
            bump(tx, STAFF_CHANGES)?;
            Ok(Some(event))
        })
    }

    /// The staff list's history, oldest first; of one engineer with `name`.
    pub fn staff_history(&mut self, name: Option<&str>) -> Result<Vec<StaffEvent>> {
        let rows = self.client.query(
            "SELECT at, actor, kind, name, data FROM staff_events
             WHERE $1::TEXT IS NULL OR name = $1 ORDER BY id",
            &[&name],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(2);
                let data: String = r.get(4);
                super::staff_event(r.get(0), r.get(1), &kind, r.get(3), &data)
            })
            .collect()
    }

    pub fn staff_list(&mut self) -> Result<Vec<Staff>> {
        let rows = self.client.query(
            "SELECT s.name, s.capacity, s.site,
                    (SELECT COUNT(*) FROM tickets t WHERE t.engineer = s.name
                       AND t.status NOT IN ('resolved', 'cancelled'))
             FROM staff s WHERE s.active ORDER BY s.name COLLATE \"C\"",
            &[],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        Ok(rows
            .iter()
            .map(|r| Staff {
                name: r.get(0),
                capacity: u32::try_from(r.get::<_, i64>(1)).unwrap_or(u32::MAX),
                site: r.get(2),
                open_tickets: u32::try_from(r.get::<_, i64>(3)).unwrap_or(u32::MAX),
            })
            .collect())
    }

    /// A number that grows with every committed change of tickets or staff
    /// (for the dashboard's refresh).
    pub fn data_version(&mut self) -> Result<i64> {
        let sql = format!(
            "SELECT COALESCE((SELECT MAX(id) FROM events WHERE true{}), 0)
                  + COALESCE((SELECT SUM(value)::BIGINT FROM counters WHERE name = $1{}), 0)",
            self.scope("events"),
            self.scope("counters")
        );
        let r = self.client.query_one(sql.as_str(), &[&STAFF_CHANGES]);
        r.map(|r| r.get(0))
            .map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    /// Is there a ticket with this number?
    pub fn exists(&mut self, ticket_no: &str) -> Result<bool> {
        let r = self
            .db()
            .query_opt("SELECT 1 FROM tickets WHERE ticket_no = $1", &[&ticket_no]);
        r.map(|row| row.is_some())
            .map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    /// Opens a transaction on the connection for [`PgTx`].
    pub fn begin(&mut self) -> Result<()> {
        let r = self.client.batch_execute("BEGIN");
        r.map_err(|e| describe(&self.shown, e, Phase::Work))
    }

    pub fn commit(&mut self) -> Result<()> {
        let r = self.client.batch_execute("COMMIT");
        r.map_err(|e| describe(&self.shown, e, Phase::Commit))
    }

    /// Ends an open transaction without writing (on a lost connection the
    /// server has rolled it back already).
    pub fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    /// [`create_in`] inside the transaction [`PgStore::begin`] opened.
    pub fn create_in_open(&mut self, new: NewTicket, env: &Env) -> Result<Outcome> {
        let r = create_in(&mut self.db(), new, env);
        r.map_err(|e| self.fail(e, Phase::Work))
    }

    /// [`execute_in`] inside the transaction [`PgStore::begin`] opened.
    pub fn execute_in_open(
        &mut self,
        ticket_no: &str,
        cmd: &Command,
        env: &Env,
        expected_version: Option<i64>,
    ) -> Result<Outcome> {
        let r = execute_in(&mut self.db(), ticket_no, cmd, env, expected_version);
        r.map_err(|e| self.fail(e, Phase::Work))
    }

    /// What [`PgStore::execute`] would record, without writing or locking.
    pub fn preview(&mut self, ticket_no: &str, cmd: &Command, env: &Env) -> Result<Outcome> {
        let r = decide_in(&mut self.db(), ticket_no, cmd, env, None, false);
        let (_, ticket, decision) = r.map_err(|e| self.fail(e, Phase::Work))?;
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

    /// Is the connection lost? (The dashboard reconnects then.)
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Connects again if the connection was lost (the server restarted,
    /// an administrator ended it, the network went away); `true` when it
    /// did. Outside a transaction only: whatever was open is gone.
    pub fn reconnect(&mut self) -> Result<bool> {
        if !self.client.is_closed() {
            return Ok(false);
        }
        let shown = self.shown.clone();
        if let Some((next, why)) = &self.retry
            && std::time::Instant::now() < *next
        {
            return Err(StoreError::Server {
                server: shown,
                detail: why.clone(),
            });
        }
        let mut config = self.config.clone();
        config.connect_timeout(RECONNECT_TIMEOUT);
        match config.connect(NoTls) {
            Ok(mut client) => {
                if let Err(e) = tell_station(&mut client, &self.station) {
                    return Err(describe(&shown, e, Phase::Work));
                }
                self.client = client;
                // Statements belong to the connection that prepared them.
                self.prepared.clear();
                self.retry = None;
                if self.listening {
                    // What was announced meanwhile is lost: the caller
                    // reads everything again after a reconnection.
                    self.listen()?;
                }
                Ok(true)
            }
            Err(e) => {
                let e = describe(&shown, e, Phase::Connect);
                let why = match &e {
                    StoreError::Server { detail, .. } => detail.clone(),
                    other => other.to_string(),
                };
                self.retry = Some((std::time::Instant::now() + RETRY_EVERY, why));
                Err(e)
            }
        }
    }
}

/// Names the desk's station to the server for this connection (read by
/// `repairdesk_station()`, schema.rs).
fn tell_station(client: &mut Client, station: &str) -> Result<(), postgres::Error> {
    client.execute(
        "SELECT set_config('repairdesk.station', $1, false)",
        &[&station],
    )?;
    Ok(())
}

fn bump(tx: &mut impl Sql, counter: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO counters(name, value) VALUES ($1, 1)
         ON CONFLICT(station, name) DO UPDATE SET value = counters.value + 1",
        &[&counter],
    )?;
    Ok(())
}

/// A refusal decided here, before the server had its say, names the server
/// like the server's own.
fn named(shown: &str, e: StoreError) -> StoreError {
    match e {
        StoreError::Denied { server, detail } if server.is_empty() => StoreError::Denied {
            server: shown.to_string(),
            detail,
        },
        other => other,
    }
}

/// One line from a PostgreSQL error: the server's message, or the cause.
fn one_line(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text.replace('\n', " ")
}

fn io_kind(e: &postgres::Error) -> Option<std::io::ErrorKind> {
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = c.source();
    }
    None
}

/// A PostgreSQL error as the one line a user reads: which server, what failed.
fn describe(shown: &str, e: postgres::Error, phase: Phase) -> StoreError {
    let server = shown.to_string();
    let code = e.code().cloned();
    let detail = if code == Some(SqlState::INVALID_PASSWORD)
        || code == Some(SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    {
        format!(
            "authentication refused ({}); the password comes from PGPASSWORD or ~/.pgpass",
            one_line(&e)
        )
    } else if code == Some(SqlState::INVALID_CATALOG_NAME) {
        format!("{} (create it first: createdb)", one_line(&e))
    } else if code == Some(SqlState::QUERY_CANCELED)
        || code == Some(SqlState::ADMIN_SHUTDOWN)
        || code == Some(SqlState::CRASH_SHUTDOWN)
        || code == Some(SqlState::CANNOT_CONNECT_NOW)
        || e.is_closed()
        || (phase != Phase::Connect && io_kind(&e).is_some())
    {
        match phase {
            Phase::Connect => format!("cannot connect ({})", one_line(&e)),
            Phase::Read => format!(
                "the connection to the server was lost while reading ({})",
                one_line(&e)
            ),
            Phase::Work => format!(
                "the connection to the server was lost ({}); nothing was written",
                one_line(&e)
            ),
            Phase::Commit => format!(
                "the connection was lost while committing ({}); look at the ticket's history to see whether the change was recorded",
                one_line(&e)
            ),
        }
    } else if code == Some(SqlState::INSUFFICIENT_PRIVILEGE) {
        return StoreError::Denied {
            server,
            detail: one_line(&e),
        };
    } else if phase == Phase::Connect && one_line(&e).contains("password missing") {
        "the server asks for a password and none was found in PGPASSWORD or ~/.pgpass".to_string()
    } else if phase == Phase::Connect {
        match io_kind(&e) {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                "cannot connect: connection refused (is the server running and accepting connections?)".to_string()
            }
            Some(std::io::ErrorKind::TimedOut) => "cannot connect: timed out".to_string(),
            _ => format!("cannot connect ({})", one_line(&e)),
        }
    } else {
        one_line(&e)
    };
    StoreError::Server { server, detail }
}

fn load_ticket(c: &mut impl Sql, ticket_no: &str) -> Result<Option<Ticket>> {
    let row = c.query_opt(
        format!(
            "SELECT {} FROM tickets WHERE ticket_no = $1",
            super::TICKET_COLUMNS
        )
        .as_str(),
        &[&ticket_no],
    )?;
    row.as_ref().map(row::ticket_from_row).transpose()
}

fn history(c: &mut impl Sql, ticket_no: &str) -> Result<Vec<Event>> {
    let id: i64 = c
        .query_opt("SELECT id FROM tickets WHERE ticket_no = $1", &[&ticket_no])?
        .map(|r| r.get(0))
        .ok_or_else(|| StoreError::NoSuchTicket(ticket_no.to_string()))?;
    c.query(
        format!(
            "SELECT {} FROM events WHERE ticket_id = $1 ORDER BY id",
            super::EVENT_COLUMNS
        )
        .as_str(),
        &[&id],
    )?
    .iter()
    .map(row::event_from_row)
    .collect()
}

/// The ticket and its row id; with `lock`, the row locked until the
/// transaction ends.
fn load_with_id(tx: &mut impl Sql, ticket_no: &str, lock: bool) -> Result<(i64, Ticket)> {
    let row = tx
        .query_opt(
            format!(
                "SELECT {}, id FROM tickets WHERE ticket_no = $1{}",
                super::TICKET_COLUMNS,
                if lock { " FOR UPDATE" } else { "" }
            )
            .as_str(),
            &[&ticket_no],
        )?
        .ok_or_else(|| StoreError::NoSuchTicket(ticket_no.to_string()))?;
    let id: i64 = row.get(super::TICKET_COLUMN_COUNT);
    Ok((id, row::ticket_from_row(&row)?))
}

/// Who acts, and in which role: the login's person (`people`), whatever
/// `--as` says; for the administrator, `--as` as on a file (an engineer on
/// the staff list, or a coordinator).
fn who(c: &mut impl Sql, as_name: &str) -> Result<(String, Role)> {
    let row = c.query_one(
        "SELECT repairdesk_role(), repairdesk_name(),
                (SELECT name FROM staff WHERE name = $1)",
        &[&as_name],
    )?;
    let role: Option<String> = row.get(0);
    let name: Option<String> = row.get(1);
    let engineer: Option<String> = row.get(2);
    let person = name.unwrap_or_default();
    Ok(match role.as_deref().and_then(PersonRole::parse) {
        Some(PersonRole::Coordinator) => (person, Role::Coordinator),
        Some(PersonRole::Engineer) => (person.clone(), Role::Engineer(person)),
        Some(PersonRole::Region) => (person, Role::Region),
        // The administrator, or a connection the database does not know
        // (its statements are refused by the server anyway).
        Some(PersonRole::Admin) | None => (
            as_name.to_string(),
            engineer.map_or(Role::Coordinator, Role::Engineer),
        ),
    })
}

/// The engineer and their planned visits on the day the ticket is due (R17).
fn staff_load(c: &mut impl Sql, name: &str, t: &Ticket, cal: &Calendar) -> Result<StaffLoad> {
    let row = c
        .query_opt(
            "SELECT capacity, site FROM staff WHERE name = $1 AND active",
            &[&name],
        )?
        .ok_or_else(|| StoreError::NoSuchEngineer(name.to_string()))?;
    let capacity = u32::try_from(row.get::<_, i64>(0)).unwrap_or(u32::MAX);
    let site: Option<String> = row.get(1);
    let day = cal.local(t.due_at().unwrap_or(t.t1)).date_naive();
    let load = reads::planned_visits(c, name, super::day_span(cal, day), Some(&t.ticket_no))?;
    Ok(StaffLoad {
        name: name.to_string(),
        capacity,
        site,
        load,
    })
}

/// Loads the ticket (its row locked with `lock`) and decides the command,
/// the rules' context read from the same connection: the part of
/// [`execute_in`] that writes nothing.
fn decide_in(
    tx: &mut impl Sql,
    ticket_no: &str,
    cmd: &Command,
    env: &Env,
    expected_version: Option<i64>,
    lock: bool,
) -> Result<(i64, Ticket, rules::Decision)> {
    let (id, ticket, lockable) = match load_with_id(tx, ticket_no, lock) {
        Ok((id, t)) => (id, t, true),
        // A ticket the login sees but may not change (an engineer's on
        // another's ticket): the rules say why, not "no such ticket".
        Err(StoreError::NoSuchTicket(_)) if lock => {
            let (id, t) = load_with_id(tx, ticket_no, false)?;
            (id, t, false)
        }
        Err(e) => return Err(e),
    };
    super::check_version(ticket_no, expected_version, &ticket)?;
    let staff = match super::engineer_named(cmd) {
        Some(name) => Some(staff_load(tx, name, &ticket, env.calendar)?),
        None => None,
    };
    let (actor, role) = who(tx, env.actor)?;
    let ctx = Context {
        now: env.now,
        actor: &actor,
        role,
        settings: env.settings,
        calendar: env.calendar,
        staff,
    };
    let decision = super::decide_stamped(&ticket, cmd, &ctx, env)?;
    if !lockable {
        return Err(StoreError::Denied {
            server: String::new(),
            detail: format!("{ticket_no} cannot be changed by this login"),
        });
    }
    Ok((id, ticket, decision))
}

/// Decides and records a command inside the caller's transaction.
pub fn execute_in(
    tx: &mut impl Sql,
    ticket_no: &str,
    cmd: &Command,
    env: &Env,
    expected_version: Option<i64>,
) -> Result<Outcome> {
    let (id, ticket, decision) = decide_in(tx, ticket_no, cmd, env, expected_version, true)?;
    let mut after = ticket.clone();
    for e in &decision.events {
        event::apply(&mut after, e);
    }
    row::write_ticket(tx, id, &after, Some(ticket.version))?;
    for e in &decision.events {
        row::insert_event(tx, id, e)?;
    }
    Ok(Outcome {
        ticket: after,
        events: decision.events,
        warnings: decision.warnings,
    })
}

/// Decides and inserts a new ticket inside the caller's transaction.
pub fn create_in(tx: &mut impl Sql, new: NewTicket, env: &Env) -> Result<Outcome> {
    let (actor, role) = who(tx, env.actor)?;
    let ctx = Context {
        now: env.now,
        actor: &actor,
        role,
        settings: env.settings,
        calendar: env.calendar,
        staff: None,
    };
    let mut decision = rules::decide_new(new, &ctx).map_err(StoreError::Refused)?;
    super::stamp(&mut decision.events, env);
    let first = decision
        .events
        .first()
        .ok_or_else(|| StoreError::Data("creation decided no event".into()))?;
    let mut ticket = event::create(first)
        .ok_or_else(|| StoreError::Data("creation event does not create".into()))?;
    for e in &decision.events[1..] {
        event::apply(&mut ticket, e);
    }
    // No savepoint (inside the batch of an import, `Client::transaction`
    // would commit the batch so far): a duplicate number inserts nothing.
    let id = row::insert_ticket(tx, &ticket)?;
    for e in &decision.events {
        row::insert_event(tx, id, e)?;
    }
    Ok(Outcome {
        ticket,
        events: decision.events,
        warnings: decision.warnings,
    })
}

/// A transaction of several commands on the store's connection (see
/// [`crate::store::Tx`]); rolled back unless committed.
pub struct PgTx<'a> {
    pg: &'a std::cell::RefCell<PgStore>,
    done: bool,
}

impl<'a> PgTx<'a> {
    pub fn new(pg: &'a std::cell::RefCell<PgStore>) -> PgTx<'a> {
        PgTx { pg, done: false }
    }

    pub fn store(&self) -> std::cell::RefMut<'_, PgStore> {
        self.pg.borrow_mut()
    }

    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.pg.borrow_mut().commit()
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if !self.done
            && let Ok(mut pg) = self.pg.try_borrow_mut()
        {
            pg.rollback();
        }
    }
}
