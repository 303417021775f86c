//! The station's staff list: who may change it, and what a change records.
//! Pure: the store reads the engineer's current entry and the actor's role,
//! asks [`decide_staff`], and writes the entry and the event together.
//!
//! Staff changes are the coordinator's (Role): an engineer who could remove
//! themselves would become "not on the list", which is how a coordinator is
//! recognised; so an engineer never changes the list, and a removed engineer
//! keeps the engineer's role. Nobody changes their own entry.

use serde::{Deserialize, Serialize};

use super::rule::{Refusal, Rule};
use super::rules::Role;
use super::ticket::Time;

/// An engineer's entry on the staff list, active or removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEntry {
    pub name: String,
    /// Visits a day (R17).
    pub capacity: u32,
    pub site: Option<String>,
    /// `false` once removed; the entry (and the role) stays.
    pub active: bool,
}

/// What a coordinator asks of the staff list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffChange {
    /// Add an engineer, bring a removed one back, or change capacity/site.
    Add {
        name: String,
        capacity: u32,
        site: Option<String>,
    },
    /// Take an engineer off the active list; their history stays.
    Remove { name: String },
}

impl StaffChange {
    /// Adds `name` with `capacity` visits a day and no site.
    pub fn add(name: &str, capacity: u32) -> StaffChange {
        StaffChange::Add {
            name: name.to_string(),
            capacity,
            site: None,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            StaffChange::Add { name, .. } | StaffChange::Remove { name } => name,
        }
    }
}

/// What happened to an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffEventKind {
    Added,
    Changed,
    Readded,
    Removed,
}

impl StaffEventKind {
    pub fn code(self) -> &'static str {
        match self {
            StaffEventKind::Added => "added",
            StaffEventKind::Changed => "changed",
            StaffEventKind::Readded => "readded",
            StaffEventKind::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<StaffEventKind> {
        [
            StaffEventKind::Added,
            StaffEventKind::Changed,
            StaffEventKind::Readded,
            StaffEventKind::Removed,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// One recorded change of the staff list: who, when, and the entry before
/// and after (the history is never rewritten).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaffEvent {
    pub at: Time,
    pub actor: String,
    pub kind: StaffEventKind,
    pub name: String,
    pub before: Option<StaffEntry>,
    pub after: StaffEntry,
}

/// The decision on a staff change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffDecision {
    /// Write `after` and record the event.
    Record(StaffEvent),
    /// The list already says so: nothing to write.
    Unchanged,
    /// Removing someone who is not on the active list.
    NoSuchEngineer,
}

/// Decides a change of the staff list by `actor` (in `role`) at `now`, given
/// the named engineer's current entry.
pub fn decide_staff(
    change: &StaffChange,
    current: Option<&StaffEntry>,
    role: &Role,
    actor: &str,
    now: Time,
) -> Result<StaffDecision, Refusal> {
    if let Role::Engineer(_) = role {
        return Err(Refusal::new(
            Rule::Role,
            "只有协调员可以修改工程师名单（工程师不能增删自己或他人，也不能改容量）",
            "only a coordinator changes the staff list (an engineer cannot add, remove or change anyone, themselves included)",
        ));
    }
    if *role == Role::Region {
        return Err(Refusal::new(
            Rule::Role,
            "大区不修改工作站的工程师名单",
            "the region does not change a station's staff list",
        ));
    }
    if change.name().trim() == actor.trim() {
        return Err(Refusal::new(
            Rule::Role,
            "不能修改自己在工程师名单中的条目：请另一位协调员操作",
            "nobody changes their own entry on the staff list: ask another coordinator",
        ));
    }
    let event = |kind, after: StaffEntry| {
        StaffDecision::Record(StaffEvent {
            at: now,
            actor: actor.to_string(),
            kind,
            name: after.name.clone(),
            before: current.cloned(),
            after,
        })
    };
    Ok(match (change, current) {
        (StaffChange::Remove { .. }, None) => StaffDecision::NoSuchEngineer,
        (StaffChange::Remove { .. }, Some(c)) if !c.active => StaffDecision::NoSuchEngineer,
        (StaffChange::Remove { .. }, Some(c)) => event(
            StaffEventKind::Removed,
            StaffEntry {
                active: false,
                ..c.clone()
            },
        ),
        (
            StaffChange::Add {
                name,
                capacity,
                site,
            },
            current,
        ) => {
            let after = StaffEntry {
                name: name.clone(),
                capacity: *capacity,
                site: site.clone(),
                active: true,
            };
            match current {
                None => event(StaffEventKind::Added, after),
                Some(c) if !c.active => event(StaffEventKind::Readded, after),
                Some(c) if *c == after => StaffDecision::Unchanged,
                Some(_) => event(StaffEventKind::Changed, after),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Time {
        chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default()
    }

    fn entry(name: &str, capacity: u32, active: bool) -> StaffEntry {
        StaffEntry {
            name: name.into(),
            capacity,
            site: None,
            active,
        }
    }

    fn add(name: &str, capacity: u32) -> StaffChange {
        StaffChange::Add {
            name: name.into(),
            capacity,
            site: None,
        }
    }

    #[test]
    fn role_engineers_never_change_the_list() {
        let me = Role::Engineer("王工".into());
        let mine = entry("王工", 4, true);
        for (change, current) in [
            (
                StaffChange::Remove {
                    name: "王工".into(),
                },
                Some(&mine),
            ),
            (add("王工", 9), Some(&mine)),
            (
                StaffChange::Remove {
                    name: "李工".into(),
                },
                Some(&entry("李工", 4, true)),
            ),
            (add("赵工", 6), None),
        ] {
            let refused = decide_staff(&change, current, &me, "王工", now()).unwrap_err();
            assert_eq!(refused.rule, Rule::Role, "{change:?}");
        }
    }

    #[test]
    fn role_the_region_never_changes_a_station_list() {
        let refused =
            decide_staff(&add("赵工", 6), None, &Role::Region, "大区赵", now()).unwrap_err();
        assert_eq!(refused.rule, Rule::Role);
        assert!(decide_staff(&add("赵工", 6), None, &Role::Coordinator, "小李", now()).is_ok());
    }

    #[test]
    fn role_nobody_changes_their_own_entry() {
        let refused =
            decide_staff(&add("小李", 6), None, &Role::Coordinator, "小李", now()).unwrap_err();
        assert_eq!(refused.rule, Rule::Role);
    }

    #[test]
    fn role_a_coordinator_adds_changes_removes_and_readds() {
        let c = Role::Coordinator;
        let Ok(StaffDecision::Record(e)) = decide_staff(&add("王工", 4), None, &c, "小李", now())
        else {
            panic!("add refused")
        };
        assert_eq!((e.kind, e.before.is_none()), (StaffEventKind::Added, true));
        let cur = entry("王工", 4, true);
        assert_eq!(
            decide_staff(&add("王工", 4), Some(&cur), &c, "小李", now()),
            Ok(StaffDecision::Unchanged)
        );
        let Ok(StaffDecision::Record(e)) =
            decide_staff(&add("王工", 6), Some(&cur), &c, "小李", now())
        else {
            panic!("change refused")
        };
        assert_eq!(e.kind, StaffEventKind::Changed);
        assert_eq!(
            (e.before.map(|b| b.capacity), e.after.capacity),
            (Some(4), 6)
        );
        let remove = StaffChange::Remove {
            name: "王工".into(),
        };
        let Ok(StaffDecision::Record(e)) = decide_staff(&remove, Some(&cur), &c, "小李", now())
        else {
            panic!("remove refused")
        };
        assert_eq!((e.kind, e.after.active), (StaffEventKind::Removed, false));
        let gone = entry("王工", 4, false);
        assert_eq!(
            decide_staff(&remove, Some(&gone), &c, "小李", now()),
            Ok(StaffDecision::NoSuchEngineer)
        );
        let Ok(StaffDecision::Record(e)) =
            decide_staff(&add("王工", 4), Some(&gone), &c, "小李", now())
        else {
            panic!("re-add refused")
        };
        assert_eq!(e.kind, StaffEventKind::Readded);
    }
}
