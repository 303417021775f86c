//! Who may do what: the `people` table, its history, and the database's
//! own grants that go with each role (the row-level policies of migration
//! 2 in `schema.rs` read the same table).
//!
//! A grant gives privileges on the tables to the login directly rather
//! than through group roles: the table owner can grant on its tables to any
//! role without `CREATEROLE`, so the administrator needs nothing from the
//! server's superuser but the logins themselves (`createuser`).

use super::sql::Sql;
use super::{PgStore, Phase, describe};
use crate::domain::people::{self, PeopleChange, PeopleEvent, PeopleEventKind, Person, PersonRole};
use crate::store::row::PICTURE_COLUMNS;
use crate::store::{Env, Result, StoreError, from_ts, ts};

/// The tables whose rows a station owns.
const TABLES: &str = "tickets, events, staff, staff_events, counters";

/// A login as an SQL identifier.
fn ident(login: &str) -> String {
    format!("\"{}\"", login.replace('"', "\"\""))
}

/// The statements that give `role` its privileges (the policies then choose
/// the rows).
fn privileges(role: PersonRole, login: &str) -> Vec<String> {
    let who = ident(login);
    let picture = PICTURE_COLUMNS.join(", ");
    match role {
        PersonRole::Coordinator => vec![
            format!("GRANT SELECT, INSERT ON {TABLES} TO {who}"),
            format!("GRANT UPDATE ({picture}) ON tickets TO {who}"),
            format!("GRANT UPDATE (capacity, site, active) ON staff TO {who}"),
            format!("GRANT UPDATE (value) ON counters TO {who}"),
        ],
        PersonRole::Engineer | PersonRole::Region => vec![
            format!("GRANT SELECT ON {TABLES} TO {who}"),
            format!("GRANT INSERT ON events TO {who}"),
            format!("GRANT UPDATE ({picture}) ON tickets TO {who}"),
        ],
        PersonRole::Admin => Vec::new(),
    }
}

fn person_from(r: &postgres::Row) -> Result<Person> {
    let role: String = r.get(1);
    Ok(Person {
        login: r.get(0),
        role: PersonRole::parse(&role)
            .ok_or_else(|| StoreError::Data(format!("unknown role '{role}'")))?,
        station: r.get(2),
        name: r.get(3),
        active: r.get(4),
    })
}

fn not_admin() -> StoreError {
    StoreError::Refused(crate::domain::rule::Refusal::new(
        crate::domain::rule::Rule::Role,
        "只有数据库的管理员可以查看或修改权限",
        "only the database's administrator sees and changes who may do what",
    ))
}

impl PgStore {
    /// Decides and records a grant or a revoke with the database's
    /// privileges that go with it, in one transaction.
    pub fn people_change(
        &mut self,
        change: &PeopleChange,
        env: &Env,
    ) -> Result<Option<PeopleEvent>> {
        let me = self.me().clone();
        let is_admin = me.role == PersonRole::Admin;
        self.in_tx(|tx| {
            let current = if is_admin {
                tx.query_opt(
                    "SELECT login, role, station, name, active FROM people
                     WHERE login = $1 FOR UPDATE",
                    &[&change.login()],
                )?
                .as_ref()
                .map(person_from)
                .transpose()?
            } else {
                None
            };
            let decided =
                people::decide_people(change, current.as_ref(), is_admin, &me.name, env.now)
                    .map_err(StoreError::Refused)?;
            let Some(event) = decided else {
                return Ok(None);
            };
            let exists = tx
                .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&event.login])?
                .is_some();
            if !exists && event.kind == PeopleEventKind::Granted {
                return Err(StoreError::NoSuchLogin(event.login.clone()));
            }
            let a = &event.after;
            tx.execute(
                "INSERT INTO people(login, role, station, name, active) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT(login) DO UPDATE SET role = excluded.role,
                     station = excluded.station, name = excluded.name, active = excluded.active",
                &[&a.login, &a.role.code(), &a.station, &a.name, &a.active],
            )?;
            let data = serde_json::json!({ "before": event.before, "after": event.after });
            tx.execute(
                "INSERT INTO people_events(at, actor, kind, login, data, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &ts(event.at),
                    &event.actor,
                    &event.kind.code(),
                    &event.login,
                    &data.to_string(),
                    &ts(env.recorded_at),
                ],
            )?;
            if exists {
                tx.execute(
                    format!("REVOKE ALL ON {TABLES} FROM {}", ident(&a.login)).as_str(),
                    &[],
                )?;
                if a.active {
                    for sql in privileges(a.role, &a.login) {
                        tx.execute(sql.as_str(), &[])?;
                    }
                }
            }
            Ok(Some(event))
        })
    }

    /// Everyone granted, the revoked included, by role, station and login.
    pub fn people(&mut self) -> Result<Vec<Person>> {
        if self.me().role != PersonRole::Admin {
            return Err(not_admin());
        }
        let rows = self.client.query(
            "SELECT login, role, station, name, active FROM people
             ORDER BY active DESC, role, station NULLS FIRST, login",
            &[],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        rows.iter().map(person_from).collect()
    }

    /// Every grant and revoke, oldest first.
    pub fn people_history(&mut self) -> Result<Vec<PeopleEvent>> {
        if self.me().role != PersonRole::Admin {
            return Err(not_admin());
        }
        let rows = self.client.query(
            "SELECT at, actor, kind, login, data FROM people_events ORDER BY id",
            &[],
        );
        let rows = rows.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(2);
                let data: String = r.get(4);
                #[derive(serde::Deserialize)]
                struct Data {
                    before: Option<Person>,
                    after: PersonAfter,
                }
                // The first administrator's entry is written by the
                // migration, without `login` and `active`.
                #[derive(serde::Deserialize)]
                struct PersonAfter {
                    role: PersonRole,
                    station: Option<String>,
                    name: String,
                    #[serde(default = "yes")]
                    active: bool,
                }
                fn yes() -> bool {
                    true
                }
                let d: Data = serde_json::from_str(&data)
                    .map_err(|e| StoreError::Data(format!("people event: {e}")))?;
                let login: String = r.get(3);
                Ok(PeopleEvent {
                    at: from_ts(r.get(0)),
                    actor: r.get(1),
                    kind: PeopleEventKind::parse(&kind)
                        .ok_or_else(|| StoreError::Data(format!("unknown kind '{kind}'")))?,
                    after: Person {
                        login: login.clone(),
                        role: d.after.role,
                        station: d.after.station,
                        name: d.after.name,
                        active: d.after.active,
                    },
                    login,
                    before: d.before,
                })
            })
            .collect()
    }
}
