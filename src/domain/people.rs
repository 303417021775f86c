//! Who may do what on a shared PostgreSQL database: each login (the
//! database's own user) is a person with a role, and a station for a
//! coordinator or an engineer. Pure: the store reads the login's current
//! entry and whether the actor is the administrator, and records the event
//! decided here with the database's grants (`store/pg/people.rs`).

use serde::{Deserialize, Serialize};

use super::rule::{Refusal, Rule};
use super::ticket::Time;

/// What a login may do (README, "what each role can do").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonRole {
    /// The login that created the database: grants and revokes; owns the
    /// tables, so its desk's `--as` is taken at its word.
    Admin,
    /// Works on the station's tickets and staff list.
    Coordinator,
    /// Reads the station's tickets; records visits, quotes and bench
    /// repairs on their own tickets only.
    Engineer,
    /// The region's interface person (大区接口人): reads every station,
    /// decides cancellation requests (R15) and records commission orders on
    /// special customers' tickets (R14).
    Region,
}

impl PersonRole {
    pub fn code(self) -> &'static str {
        match self {
            PersonRole::Admin => "admin",
            PersonRole::Coordinator => "coordinator",
            PersonRole::Engineer => "engineer",
            PersonRole::Region => "region",
        }
    }

    pub fn parse(s: &str) -> Option<PersonRole> {
        Some(match s {
            "admin" => PersonRole::Admin,
            "coordinator" => PersonRole::Coordinator,
            "engineer" => PersonRole::Engineer,
            "region" => PersonRole::Region,
            _ => return None,
        })
    }

    /// Does the role work at one station?
    pub fn has_station(self) -> bool {
        matches!(self, PersonRole::Coordinator | PersonRole::Engineer)
    }
}

/// A login's entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub login: String,
    pub role: PersonRole,
    /// The station of a coordinator or an engineer.
    pub station: Option<String>,
    /// The name recorded on everything the login does (an engineer's: as on
    /// the staff list and the tickets).
    pub name: String,
    /// `false` once revoked; the entry stays for the history.
    pub active: bool,
}

/// A change of who may do what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeopleChange {
    Grant {
        login: String,
        role: PersonRole,
        station: Option<String>,
        name: Option<String>,
    },
    Revoke {
        login: String,
    },
}

impl PeopleChange {
    pub fn login(&self) -> &str {
        match self {
            PeopleChange::Grant { login, .. } | PeopleChange::Revoke { login } => login,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeopleEventKind {
    Granted,
    Revoked,
}

impl PeopleEventKind {
    pub fn code(self) -> &'static str {
        match self {
            PeopleEventKind::Granted => "granted",
            PeopleEventKind::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<PeopleEventKind> {
        match s {
            "granted" => Some(PeopleEventKind::Granted),
            "revoked" => Some(PeopleEventKind::Revoked),
            _ => None,
        }
    }
}

/// One grant or revoke, as recorded: who did it, when, the entry before
/// and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeopleEvent {
    pub at: Time,
    pub actor: String,
    pub kind: PeopleEventKind,
    pub login: String,
    pub before: Option<Person>,
    pub after: Person,
}

/// Decides a grant or a revoke by `actor` (the administrator or not), given
/// the login's current entry: the event to record, or `None` when the entry
/// already says so.
pub fn decide_people(
    change: &PeopleChange,
    current: Option<&Person>,
    actor_is_admin: bool,
    actor: &str,
    now: Time,
) -> Result<Option<PeopleEvent>, Refusal> {
    if !actor_is_admin {
        return Err(Refusal::new(
            Rule::Role,
            "只有数据库的管理员可以授予或收回权限",
            "only the database's administrator grants and revokes",
        ));
    }
    if current.is_some_and(|p| p.role == PersonRole::Admin) {
        return Err(Refusal::new(
            Rule::Role,
            "管理员的权限不能修改或收回",
            "the administrator's own entry is neither changed nor revoked",
        ));
    }
    let event = |kind, after: Person| {
        Some(PeopleEvent {
            at: now,
            actor: actor.to_string(),
            kind,
            login: change.login().to_string(),
            before: current.cloned(),
            after,
        })
    };
    match change {
        PeopleChange::Grant {
            login,
            role,
            station,
            name,
        } => {
            let station = station
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            if *role == PersonRole::Admin {
                return Err(Refusal::new(
                    Rule::Role,
                    "只能授予协调员、工程师或大区的角色",
                    "the roles granted are coordinator, engineer and region",
                ));
            }
            if role.has_station() && station.is_none() {
                return Err(Refusal::new(
                    Rule::Role,
                    "协调员和工程师需要 --station 工作站代码",
                    "a coordinator or an engineer works at one station: give --station CODE",
                ));
            }
            // The region's desk names a ticket STATION/NUMBER: a code
            // holding '/' would make that name ambiguous.
            if station.as_deref().is_some_and(|s| s.contains('/')) {
                return Err(Refusal::new(
                    Rule::Role,
                    "工作站代码不能含 /（大区以 站代码/单号 称呼维修单）",
                    "a station code cannot hold '/' (the region names a ticket STATION/NUMBER)",
                ));
            }
            if !role.has_station() && station.is_some() {
                return Err(Refusal::new(
                    Rule::Role,
                    "大区查看所有工作站，不属于某一个工作站",
                    "the region sees every station and belongs to none: leave out --station",
                ));
            }
            let name = name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .or_else(|| current.map(|p| p.name.clone()))
                .unwrap_or_else(|| login.clone());
            let after = Person {
                login: login.clone(),
                role: *role,
                station,
                name,
                active: true,
            };
            if current == Some(&after) {
                return Ok(None);
            }
            Ok(event(PeopleEventKind::Granted, after))
        }
        PeopleChange::Revoke { .. } => match current {
            Some(p) if p.active => {
                let after = Person {
                    active: false,
                    ..p.clone()
                };
                Ok(event(PeopleEventKind::Revoked, after))
            }
            _ => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Time {
        chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
    }

    fn grant(role: PersonRole, station: Option<&str>) -> PeopleChange {
        PeopleChange::Grant {
            login: "li".into(),
            role,
            station: station.map(str::to_string),
            name: Some("小李".into()),
        }
    }

    #[test]
    fn role_only_the_administrator_grants() {
        let c = grant(PersonRole::Coordinator, Some("BJ-01"));
        let refused = decide_people(&c, None, false, "li", now()).unwrap_err();
        assert_eq!(refused.rule, Rule::Role);
        let e = decide_people(&c, None, true, "admin", now())
            .unwrap()
            .expect("granted");
        assert_eq!(e.kind, PeopleEventKind::Granted);
        assert_eq!(e.after.station.as_deref(), Some("BJ-01"));
        assert_eq!(e.after.name, "小李");
        assert_eq!(e.actor, "admin");
    }

    #[test]
    fn role_a_station_for_coordinators_and_engineers_none_for_the_region() {
        for role in [PersonRole::Coordinator, PersonRole::Engineer] {
            assert!(decide_people(&grant(role, None), None, true, "a", now()).is_err());
            assert!(decide_people(&grant(role, Some("S")), None, true, "a", now()).is_ok());
            assert!(decide_people(&grant(role, Some("BJ/01")), None, true, "a", now()).is_err());
        }
        let region = PersonRole::Region;
        assert!(decide_people(&grant(region, Some("S")), None, true, "a", now()).is_err());
        assert!(decide_people(&grant(region, None), None, true, "a", now()).is_ok());
        let admin = grant(PersonRole::Admin, None);
        assert!(decide_people(&admin, None, true, "a", now()).is_err());
    }

    #[test]
    fn role_revoking_keeps_the_entry_inactive_and_the_administrator_stays() {
        let li = Person {
            login: "li".into(),
            role: PersonRole::Engineer,
            station: Some("S".into()),
            name: "小李".into(),
            active: true,
        };
        let revoke = PeopleChange::Revoke { login: "li".into() };
        let e = decide_people(&revoke, Some(&li), true, "a", now())
            .unwrap()
            .expect("revoked");
        assert!(!e.after.active && e.before.as_ref().is_some_and(|b| b.active));
        assert_eq!(
            decide_people(&revoke, Some(&e.after), true, "a", now()),
            Ok(None)
        );
        let admin = Person {
            role: PersonRole::Admin,
            station: None,
            ..li
        };
        assert!(decide_people(&revoke, Some(&admin), true, "a", now()).is_err());
    }
}
