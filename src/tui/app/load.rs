//! Reading the store: the open set, the closed page, a ticket's detail, an
//! engineer's day and the month's figures.

use chrono::NaiveDate;

use super::{Dashboard, Detail, EngineerDay, Flash, FlashKind, Reports, Screen, Stations};
use crate::domain::calendar::Calendar;
use crate::domain::settings::Settings;
use crate::domain::ticket::Time;
use crate::present::engineer_day::DaySheet;
use crate::present::sanitize::terminal_safe;
use crate::report::Month;
use crate::report::kpi;
use crate::store::{ChangeMark, OpenChanges, Result, Store};
use crate::tui::model;

impl Dashboard {
    /// Reads the whole open set, the counts and the filter's matches again
    /// (at start, on `F5`, and when the store cannot say what changed).
    pub fn reload(&mut self) {
        self.reloads += 1;
        self.full_reads += 1;
        // Read here and now: what the thread reads behind is not needed.
        self.loading = None;
        self.store.forget_damaged();
        let loaded = model::open_counts(&self.store).and_then(|counts| {
            // Each ticket becomes its row as it is read: no second list of
            // 100,000 tickets beside the rows.
            let now = self.app.now();
            let app = &self.app;
            let mut rows = Vec::with_capacity(counts.values().sum());
            let mark = self
                .store
                .open_set(|t| rows.push(model::Row::new(app, t, now)))?;
            Ok((rows, mark, counts, now))
        });
        match loaded {
            Ok((rows, mark, counts, now)) => {
                let before = self.before();
                self.mark = mark;
                self.counts = counts;
                self.now = now;
                self.find_matches();
                self.replace_rows(rows);
                self.settle(before);
            }
            Err(e) => self.error(e),
        }
    }

    /// After a change (here or at another desk): reads only the tickets
    /// changed since the last read, the counts and the filter's matches.
    pub(super) fn catch_up(&mut self) {
        self.catch_up_by(|store, mark| store.open_changes(mark));
    }

    /// After the server named the tickets other desks changed (LISTEN/
    /// NOTIFY): reads only those, the counts and the filter's matches. A
    /// ticket this desk may not read, or closed now, leaves the panes.
    pub(super) fn catch_up_named(&mut self, names: Vec<String>) {
        self.catch_up_by(|store, mark| {
            let tickets = store
                .tickets_by_no(&names)?
                .into_iter()
                .filter(|t| !t.status.is_closed())
                .collect();
            Ok(OpenChanges::Since {
                changed: names,
                tickets,
                mark,
            })
        });
    }

    /// Applies the changes `read` finds after the last read's mark, with the
    /// counts and the filter's matches; the whole open set when it cannot
    /// say.
    fn catch_up_by(&mut self, read: impl FnOnce(&Store, ChangeMark) -> Result<OpenChanges>) {
        if self.loading.is_some() {
            // The whole set, when it comes, is caught up from its own
            // snapshot; until then the first screen is read again.
            return self.first_again();
        }
        self.reloads += 1;
        let changes = read(&self.store, self.mark).and_then(|c| {
            let counts = model::open_counts(&self.store)?;
            Ok((c, counts))
        });
        match changes {
            Ok((changes, counts)) => {
                self.counts = counts;
                if self.matches.is_some() {
                    self.find_matches();
                    self.order();
                }
                if !self.apply_changes(changes) {
                    self.reload();
                }
            }
            Err(e) => self.error(e),
        }
    }

    /// Alerts at the tick's moment (see `rows`).
    pub(super) fn recompute(&mut self) {
        self.tick_alerts();
    }

    pub(super) fn load_closed(&mut self) {
        match model::closed_page(&self.store, self.search().as_deref()) {
            Ok(c) => {
                let before = self.before();
                self.closed = c;
                self.settle(before);
            }
            Err(e) => self.error(e),
        }
    }

    /// After a reload: the detail, closed and engineer screens read again.
    pub(super) fn refresh_screen(&mut self) {
        match &self.screen {
            Screen::Detail(d) => {
                let no = d.ticket.ticket_no.clone();
                let scroll = d.scroll;
                if let Some(mut fresh) = self.load_detail(&no) {
                    fresh.scroll = scroll;
                    self.screen = Screen::Detail(Box::new(fresh));
                }
            }
            Screen::Closed => self.load_closed(),
            Screen::Reports(r) => {
                let (month, scroll) = (r.month, r.scroll);
                self.show_reports(month, scroll);
            }
            Screen::Stations(r) => {
                let (month, scroll) = (r.month, r.scroll);
                self.show_stations(month, scroll);
            }
            Screen::Engineer(e) => {
                let name = e.name().map(str::to_string);
                let (day, sel) = (e.day, e.sel);
                self.show_engineer_in_place(name.as_deref(), day, sel);
            }
            _ => {}
        }
    }

    pub(super) fn load_detail(&mut self, no: &str) -> Option<Detail> {
        let loaded = self
            .store
            .get(no)
            .and_then(|t| Ok((t, self.store.history(no)?)));
        match loaded {
            Ok((ticket, history)) => Some(Detail {
                ticket,
                history,
                scroll: 0,
            }),
            Err(e) => {
                self.error(e);
                None
            }
        }
    }

    /// A month's figures by `compute` (one of `kpi`'s), now; a failure is
    /// shown and gives none.
    fn figures<T>(
        &mut self,
        month: Month,
        compute: impl FnOnce(&Store, Month, Time, &Settings, &Calendar) -> Result<T>,
    ) -> Option<T> {
        let now = self.app.now();
        match compute(
            &self.store,
            month,
            now,
            &self.app.settings,
            &self.app.calendar,
        ) {
            Ok(r) => Some(r),
            Err(e) => {
                self.error(e);
                None
            }
        }
    }

    /// Computes a month's figures and shows them (in place of the screen on
    /// top; the caller pushes the screen below when opening the view).
    pub(super) fn show_reports(&mut self, month: Month, scroll: u16) {
        let report = self.figures(month, kpi::month_report);
        self.screen = Screen::Reports(Box::new(Reports {
            month,
            report,
            scroll,
            loaded_at: self.reloads,
        }));
    }

    /// The region's month, station by station (see [`Dashboard::show_reports`]).
    pub(super) fn show_stations(&mut self, month: Month, scroll: u16) {
        let figures = self.figures(month, kpi::station_figures);
        self.screen = Screen::Stations(Box::new(Stations {
            month,
            figures,
            scroll,
            loaded_at: self.reloads,
        }));
    }

    pub(super) fn show_engineer(&mut self, name: Option<&str>, day: NaiveDate) {
        let was_engineer = matches!(self.screen, Screen::Engineer(_));
        if !was_engineer {
            let old = std::mem::replace(&mut self.screen, Screen::Panes);
            self.back.push(old);
        }
        self.show_engineer_in_place(name, day, 0);
    }

    pub(super) fn show_engineer_in_place(
        &mut self,
        name: Option<&str>,
        day: NaiveDate,
        sel: usize,
    ) {
        let staff = match model::staff_day(&self.store, &self.app, day) {
            Ok(s) => s,
            Err(e) => return self.error(e),
        };
        let idx = name
            .and_then(|n| staff.iter().position(|s| s.name == n))
            .unwrap_or(0);
        let sheet = match staff.get(idx) {
            Some(s) => match model::engineer_day(&self.store, &self.app, &s.name, day) {
                Ok(t) => t,
                Err(e) => return self.error(e),
            },
            None => DaySheet::build(&self.app.calendar, "", day, day, Vec::new()),
        };
        if let Some(n) = name
            && !staff.iter().any(|s| s.name == n)
        {
            self.flash = Some(Flash {
                kind: FlashKind::Warn,
                text: format!(
                    "{}{}",
                    self.app
                        .lang
                        .pick("不在人员名单中：", "not on the staff list: "),
                    terminal_safe(n)
                ),
            });
        }
        let sel = sel.min(sheet.len().saturating_sub(1));
        self.screen = Screen::Engineer(Box::new(EngineerDay {
            staff,
            idx,
            day,
            sheet,
            sel,
        }));
    }
}
