//! `repairdesk staff …` (R16, R17)

use super::args::StaffSub;
use super::{CliError, CliResult, print_json};
use crate::app::App;
use crate::sanitize::terminal_safe;

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
            store
                .staff_add(name, capacity, site.as_deref())
                .map_err(err)?;
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
            store.staff_remove(name.trim()).map_err(err)?;
            Ok(())
        }
    }
}
