//! `repairdesk admin …`: who may do what on a shared PostgreSQL database.

use super::args::{AdminSub, RoleArg};
use super::{CliError, CliResult, print_json};
use crate::domain::people::{PeopleChange, PeopleEvent, PeopleEventKind, Person, PersonRole};
use crate::domain::text::Lang;
use crate::present::rfc3339;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;

pub fn run(app: App, sub: AdminSub) -> CliResult {
    let err = |e| CliError::from_store(e, app.lang);
    // A file has no logins: say so before opening (or creating) anything.
    if !app.db_path.to_str().is_some_and(crate::store::pg::is_url) {
        return Err(err(crate::store::StoreError::NotShared));
    }
    let mut store = app.open_store().map_err(err)?;
    match sub {
        AdminSub::Grant {
            login,
            role,
            station,
            name,
        } => {
            let login = login.trim().to_string();
            if login.is_empty() {
                return Err(CliError::usage("admin grant: the login is empty"));
            }
            let change = PeopleChange::Grant {
                login,
                role: match role {
                    RoleArg::Coordinator => PersonRole::Coordinator,
                    RoleArg::Engineer => PersonRole::Engineer,
                    RoleArg::Region => PersonRole::Region,
                },
                station,
                name,
            };
            match store.people_change(&change, &app.env()).map_err(err)? {
                Some(e) => crate::outln!("{}", describe(&e.after, app.lang)),
                None => crate::outln!(
                    "{}",
                    app.lang.pick("没有变化", "unchanged: it already says so")
                ),
            }
            Ok(())
        }
        AdminSub::Revoke { login } => {
            let change = PeopleChange::Revoke {
                login: login.trim().to_string(),
            };
            if store
                .people_change(&change, &app.env())
                .map_err(err)?
                .is_none()
            {
                crate::outln!(
                    "{}",
                    app.lang.pick(
                        "没有变化：该登录名没有授权",
                        "unchanged: that login holds no role"
                    )
                );
            }
            Ok(())
        }
        AdminSub::List => {
            let people = store.people().map_err(err)?;
            if app.json {
                return print_json(&serde_json::to_value(&people).map_err(CliError::internal)?);
            }
            for p in people {
                crate::outln!("{}", describe(&p, app.lang));
            }
            Ok(())
        }
        AdminSub::History => {
            let events = store.people_history().map_err(err)?;
            if app.json {
                let list: Vec<serde_json::Value> = events
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "at": rfc3339(&app.calendar, e.at),
                            "actor": e.actor,
                            "kind": e.kind,
                            "login": e.login,
                            "before": e.before,
                            "after": e.after,
                        })
                    })
                    .collect();
                return print_json(&serde_json::Value::Array(list));
            }
            for e in events {
                crate::outln!("{}", history_line(&app, &e));
            }
            Ok(())
        }
    }
}

fn role_name(role: PersonRole, lang: Lang) -> &'static str {
    match role {
        PersonRole::Admin => lang.pick("管理员", "admin"),
        PersonRole::Coordinator => lang.pick("协调员", "coordinator"),
        PersonRole::Engineer => lang.pick("工程师", "engineer"),
        PersonRole::Region => lang.pick("大区", "region"),
    }
}

/// `li  coordinator  BJ-0101  小李` (revoked ones marked).
fn describe(p: &Person, lang: Lang) -> String {
    let mut line = format!(
        "{:<16} {:<12} {:<10} {}",
        terminal_safe(&p.login),
        role_name(p.role, lang),
        terminal_safe(p.station.as_deref().unwrap_or("-")),
        terminal_safe(&p.name)
    );
    if !p.active {
        line.push_str(lang.pick("  （已收回）", "  (revoked)"));
    }
    line
}

fn history_line(app: &App, e: &PeopleEvent) -> String {
    let kind = match e.kind {
        PeopleEventKind::Granted => app.lang.pick("授予", "granted"),
        PeopleEventKind::Revoked => app.lang.pick("收回", "revoked"),
    };
    let before = e
        .before
        .as_ref()
        .filter(|b| b.active && e.kind == PeopleEventKind::Granted)
        .map(|b| {
            format!(
                "{} {}",
                app.lang.pick("之前", "was"),
                describe(b, app.lang).split_whitespace().collect::<Vec<_>>()[1..].join(" ")
            )
        });
    format!(
        "{}  {:<8} {}{}  ({})",
        app.fmt(e.at),
        kind,
        describe(&e.after, app.lang),
        before.map(|b| format!("; {b}")).unwrap_or_default(),
        terminal_safe(&e.actor)
    )
}
