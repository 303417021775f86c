//! What every command needs: settings, calendar, the one clock, who acts,
//! the language and where the database is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::domain::calendar::Calendar;
use crate::domain::clock::Clock;
use crate::domain::next_step::{NextStep, next_step};
use crate::domain::settings::Settings;
use crate::domain::text::Lang;
use crate::domain::ticket::{Ticket, Time};
use crate::store::{Env, Store, StoreError};

pub struct App {
    pub settings: Settings,
    /// The dashboard's key overrides (`[keys]`); no decision reads them.
    pub keys: BTreeMap<String, String>,
    /// The dashboard's use of the terminal (`[dashboard]`).
    pub dashboard: crate::setup::config::DashboardSettings,
    pub calendar: Calendar,
    pub clock: Box<dyn Clock>,
    pub actor: String,
    pub lang: Lang,
    pub json: bool,
    pub db_path: PathBuf,
    /// The configuration names the station (`[station] code`): see
    /// [`Store::open_desk`].
    pub station_named: bool,
}

impl App {
    pub fn new(
        settings: Settings,
        clock: Box<dyn Clock>,
        actor: String,
        lang: Lang,
        db_path: PathBuf,
    ) -> App {
        let calendar = settings.calendar();
        App {
            settings,
            keys: BTreeMap::new(),
            dashboard: Default::default(),
            calendar,
            clock,
            actor,
            lang,
            json: false,
            db_path,
            station_named: false,
        }
    }

    pub fn now(&self) -> Time {
        self.clock.now()
    }

    /// The decision context for a command happening now.
    pub fn env(&self) -> Env<'_> {
        self.env_at(self.now())
    }

    pub fn env_at(&self, now: Time) -> Env<'_> {
        Env {
            now,
            recorded_at: self.clock.real_now(),
            actor: &self.actor,
            settings: &self.settings,
            calendar: &self.calendar,
        }
    }

    /// The station's store. One that can only be read (a full disk, a
    /// read-only folder) is said on stderr once, with the cause: reads
    /// work, and every change will fail naming it.
    pub fn open_store(&self) -> Result<Store, StoreError> {
        let store = Store::open_desk(
            &self.db_path,
            &self.settings.station.code,
            self.station_named,
        )?;
        if let Some(read_only) = store.read_only() {
            use std::io::Write;
            let cause = read_only.render(self.lang);
            let path = self.db_path.display();
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                match self.lang {
                    Lang::Zh => format!("注意：{path} 只能读取（{cause}）；任何改动都会失败。"),
                    Lang::En =>
                        format!("note: {path} can only be read ({cause}); any change will fail."),
                }
            );
        }
        Ok(store)
    }

    /// What `t` needs next at `now` ([`next_step`]): the dashboard's rows
    /// and detail, `ticket show` and `ticket list` all ask here.
    pub fn next_step(&self, t: &Ticket, now: Time) -> Option<NextStep> {
        next_step(t, now, &self.calendar, &self.settings.sla)
    }

    /// `YYYY-MM-DD HH:MM` in station time.
    pub fn fmt(&self, t: Time) -> String {
        crate::present::fmt_minutes(&self.calendar, t)
    }

    /// Beside the SQLite file; for a server, the user's data folder.
    pub fn data_dir(&self) -> PathBuf {
        match self.db_path.to_str() {
            Some(url) if crate::store::pg::is_url(url) => default_data_dir(),
            _ => self
                .db_path
                .parent()
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        }
    }
}

/// The real system clock: the one place the system time is read.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Time {
        chrono::Utc::now()
    }
    fn real_now(&self) -> Time {
        chrono::Utc::now()
    }
}

/// `--now`: pretends it is a given moment, while events keep the real
/// moment they were written (R20; training, demos, tests of the binary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PretendClock(pub Time);

impl Clock for PretendClock {
    fn now(&self) -> Time {
        self.0
    }
    fn real_now(&self) -> Time {
        chrono::Utc::now()
    }
}

/// `<data dir>/repairdesk`, per the platform's conventions (XDG on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::BaseDirs::new()
        .map(|b| b.data_dir().join("repairdesk"))
        .unwrap_or_else(|| PathBuf::from(".repairdesk"))
}

/// `<config dir>/repairdesk/config.toml`.
pub fn default_config_path() -> PathBuf {
    directories::BaseDirs::new()
        .map(|b| b.config_dir().join("repairdesk").join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("repairdesk.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_moves_forward() {
        let c: Box<dyn Clock> = Box::new(SystemClock);
        let a = c.now();
        let b = c.now();
        assert!(b >= a);
    }

    #[test]
    fn pretending_keeps_the_real_moment() {
        let t =
            chrono::DateTime::<chrono::Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default();
        let p = PretendClock(t);
        assert_eq!(p.now(), t);
        assert!(p.real_now() > t, "the real moment is today, not 2026");
    }
}
