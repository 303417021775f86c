//! `repairdesk staff …` (R16, R17)

use super::args::StaffSub;
use super::{CliError, CliResult, print_json};
use crate::domain::staff::{StaffChange, StaffEntry, StaffEvent, StaffEventKind};
use crate::domain::text::Lang;
use crate::present::rfc3339;
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;

pub fn run(app: App, sub: StaffSub) -> CliResult {
    let mut store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let err = |e| CliError::from_store(e, app.lang);
    match sub {
        StaffSub::Add {
            name,
            capacity,
            site,
        } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(CliError::usage("staff add: the name is empty"));
            }
            if capacity == 0 {
                return Err(CliError::usage(
                    "--capacity: must be at least 1 visit a day",
                ));
            }
            if let Some(s) = &site
                && !app.settings.station.sites.is_empty()
                && !app.settings.station.sites.contains(s)
            {
                return Err(CliError::usage(format!(
                    "--site: '{s}' is not one of the station's sites ({})",
                    app.settings.station.sites.join(", ")
                )));
            }
            let change = StaffChange::Add {
                name: name.to_string(),
                capacity,
                site,
            };
            store.staff_change(&change, &app.env()).map_err(err)?;
            crate::outln!("{}", terminal_safe(name));
            Ok(())
        }
        StaffSub::List => {
            let staff = store.staff_list().map_err(err)?;
            if app.json {
                return print_json(&serde_json::to_value(&staff).map_err(CliError::internal)?);
            }
            for s in staff {
                crate::outln!(
                    "{:<12} {} {:<3} {} {:<6} {} {}",
                    terminal_safe(&s.name),
                    app.lang.pick("容量", "capacity"),
                    s.capacity,
                    app.lang.pick("站点", "site"),
                    terminal_safe(s.site.as_deref().unwrap_or("-")),
                    app.lang.pick("在办", "open"),
                    s.open_tickets
                );
            }
            Ok(())
        }
        StaffSub::Remove { name } => {
            let change = StaffChange::Remove {
                name: name.trim().to_string(),
            };
            store.staff_change(&change, &app.env()).map_err(err)?;
            Ok(())
        }
        StaffSub::History { name } => {
            let events = store
                .staff_history(name.as_deref().map(str::trim))
                .map_err(err)?;
            if app.json {
                let list: Vec<serde_json::Value> = events
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "at": rfc3339(&app.calendar, e.at),
                            "actor": e.actor,
                            "kind": e.kind,
                            "name": e.name,
                            "before": e.before,
                            "after": e.after,
                        })
                    })
                    .collect();
                return print_json(&serde_json::Value::Array(list));
            }
            for e in events {
                crate::outln!(
                    "{}  {:<8} {:<12} {}  ({})",
                    app.fmt(e.at),
                    kind_name(e.kind, app.lang),
                    terminal_safe(&e.name),
                    describe(&e, app.lang),
                    terminal_safe(&e.actor)
                );
            }
            Ok(())
        }
    }
}

fn kind_name(kind: StaffEventKind, lang: Lang) -> &'static str {
    match kind {
        StaffEventKind::Added => lang.pick("添加", "added"),
        StaffEventKind::Changed => lang.pick("修改", "changed"),
        StaffEventKind::Readded => lang.pick("重新添加", "re-added"),
        StaffEventKind::Removed => lang.pick("移除", "removed"),
    }
}

/// `capacity 4 → 6, site 总站` — the entry after the change, with what it was.
fn describe(e: &StaffEvent, lang: Lang) -> String {
    let site = |x: &StaffEntry| terminal_safe(x.site.as_deref().unwrap_or("-")).into_owned();
    let cap = lang.pick("容量", "capacity");
    let st = lang.pick("站点", "site");
    match &e.before {
        Some(b) if e.kind != StaffEventKind::Removed => format!(
            "{cap} {} → {}, {st} {} → {}",
            b.capacity,
            e.after.capacity,
            site(b),
            site(&e.after)
        ),
        _ => format!("{cap} {}, {st} {}", e.after.capacity, site(&e.after)),
    }
}
