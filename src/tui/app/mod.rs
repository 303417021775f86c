//! The dashboard's state and `update`: the only place state changes. Drawing
//! (`views`) reads a `&Dashboard` and cannot change it.
//!
//! This file holds the state and turns keys into actions; the rest of the
//! update is split by job: `screen` (what can be on screen), `selection`
//! (the selected ticket, moving it), `sort` (pane order), `filter` (the
//! filter line), `load` (reading the store), `mouse` (hit-testing) and
//! `submit` (forms to the store).

mod filter;
mod first;
mod goto;
mod load;
mod mouse;
mod rows;
mod screen;
mod selection;
mod sort;
mod submit;

use crate::present::error::store_error;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use chrono::NaiveDate;
use crossterm::event::{Event as CtEvent, KeyEvent, KeyEventKind};
use ratatui::Frame;
use tui_input::Input;

use super::forms::{Form, FormKind, FormOutcome};
use super::keymap::{Action, Context, KeyMap, Scope};
use super::model::Row;
use crate::domain::sla::Alert;
use crate::domain::ticket::{Status, Ticket, Time};
use crate::report::Month;
use crate::setup::app::App;
use crate::store::{ChangeMark, Store, StoreError};

pub use screen::{Detail, EngineerDay, Flash, FlashKind, Reports, Screen, Stations};
use selection::Selection;
pub use sort::SortKey;

/// Side effects asked for by `update`, run after it (no component calls another).
#[derive(Clone, Debug)]
enum Internal {
    Reload,
    /// Select this ticket where it now is (after an action moved it).
    Select(String),
    OpenDetail(String),
    Flash(Flash),
}

pub struct Dashboard {
    pub(crate) app: App,
    pub(crate) store: Store,
    pub(crate) keys: KeyMap,
    pub(crate) no_color: bool,
    /// The terminal size, for mouse hit-testing with the same layout as drawing.
    pub(crate) size: (u16, u16),
    /// The moment of the last tick: drawing uses it, so a frame is a pure
    /// function of the state.
    pub(crate) now: Time,
    /// Every open ticket (a filter only chooses which the panes show).
    pub(crate) rows: Vec<Row>,
    /// Row of each ticket number in `rows`.
    by_no: HashMap<String, usize>,
    /// How far into the history `rows` reflect (see `Store::open_changes`).
    mark: ChangeMark,
    /// Where the next tick's alert computation starts (see `rows`).
    next_tick_row: usize,
    pub(crate) counts: BTreeMap<Status, usize>,
    /// Per pane: indices into `rows`, in display order.
    pub(crate) panes: [Vec<usize>; 4],
    pub(crate) cancels: Vec<usize>,
    /// Special customers' open tickets (R14), oldest first: indices into
    /// `rows`.
    pub(crate) specials: Vec<usize>,
    /// The region's desk, reading every station (a shared database): it
    /// opens on the cancellation requests, and its figures are per station.
    pub(crate) region: bool,
    /// Every alert over the open set, most urgent first: (row, which of
    /// the row's alerts).
    pub(crate) alerts: Vec<(usize, usize)>,
    pub(crate) closed: Vec<Ticket>,
    data_version: i64,
    /// The server is out of reach (a shared station on PostgreSQL): why, in
    /// one line. The panes keep the last picture read; every tick tries to
    /// connect again.
    pub(crate) offline: Option<String>,
    /// How many times the open set was read: a screen left behind another
    /// knows whether the database changed meanwhile.
    reloads: u64,
    /// Times the whole open set was read (`reload`).
    full_reads: u64,
    /// The whole open set being read behind the first screen (`first`).
    loading: Option<first::Loading>,
    pub(crate) screen: Screen,
    back: Vec<Screen>,
    pub(crate) focus: usize,
    /// The selected tickets, by number; row indices are derived.
    selection: Selection,
    pub(crate) sort: SortKey,
    pub(crate) reverse: bool,
    pub(crate) zoom: bool,
    pub(crate) filter: Option<Input>,
    pub(crate) filter_editing: bool,
    /// The `:` line: a ticket number to jump to.
    pub(crate) goto: Option<Input>,
    /// The open tickets matching the filter; `None` without a filter.
    matches: Option<HashSet<String>>,
    pub(crate) help: Option<u16>,
    pub(crate) form: Option<Form>,
    pub(crate) flash: Option<Flash>,
    queue: VecDeque<Internal>,
    quit: bool,
    suspend: bool,
    /// The dashboard takes the mouse; off, the terminal's drag-to-select works.
    mouse: bool,
}

impl Dashboard {
    /// A dashboard over an open store, the whole open set read. Fails with
    /// one line per problem in the config's `[keys]`.
    pub fn new(app: App, store: Store) -> Result<Dashboard, Vec<String>> {
        let mut d = Dashboard::unread(app, store)?;
        d.reload();
        Ok(d)
    }

    /// [`Dashboard::new`] showing the first screen before the whole open set
    /// is read (a thread reads it; [`Dashboard::take_loaded`] takes it).
    pub fn new_quick(app: App, store: Store) -> Result<Dashboard, Vec<String>> {
        let mut d = Dashboard::unread(app, store)?;
        d.start();
        Ok(d)
    }

    fn unread(mut app: App, store: Store) -> Result<Dashboard, Vec<String>> {
        let keys = KeyMap::with_overrides(&app.keys)?;
        let region = store.person().is_some_and(|p| {
            p.role == crate::domain::people::PersonRole::Region && p.station.is_none()
        });
        // On a shared database the login's person acts (and the header says
        // so), whatever `--as` said; the administrator's desk keeps it.
        if let Some(p) = store.person()
            && p.role != crate::domain::people::PersonRole::Admin
        {
            app.actor = p.name;
        }
        let now = app.now();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let mut d = Dashboard {
            app,
            store,
            keys,
            no_color,
            size: (160, 45),
            now,
            rows: Vec::new(),
            by_no: HashMap::new(),
            mark: ChangeMark::default(),
            next_tick_row: 0,
            counts: BTreeMap::new(),
            panes: Default::default(),
            cancels: Vec::new(),
            specials: Vec::new(),
            region: false,
            alerts: Vec::new(),
            closed: Vec::new(),
            data_version: 0,
            offline: None,
            reloads: 0,
            full_reads: 0,
            loading: None,
            screen: Screen::Panes,
            back: Vec::new(),
            focus: 0,
            selection: Selection::default(),
            sort: SortKey::Deadline,
            reverse: false,
            zoom: false,
            filter: None,
            filter_editing: false,
            goto: None,
            matches: None,
            help: None,
            form: None,
            flash: None,
            queue: VecDeque::new(),
            quit: false,
            suspend: false,
            mouse: true,
        };
        d.mouse = d.app.dashboard.mouse;
        d.region = region;
        if region {
            // The region's first screen: the requests waiting for it.
            d.screen = Screen::Cancels;
        }
        // On a shared database the server tells which tickets other desks
        // changed; failing that, the dashboard asks every second.
        if let Err(e) = d.store.listen() {
            tracing::warn!(error = %e, "not listening for other desks' changes");
        }
        d.data_version = d.store.data_version().unwrap_or(0);
        Ok(d)
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// For tests: another writer on the same store.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// How many times the whole open set was read (at start, `F5`, or when
    /// the store could not say what changed), for tests and benchmarks.
    pub fn full_reads(&self) -> u64 {
        self.full_reads
    }

    /// The tickets pane `p` (0–3) shows, in order (for tests and benchmarks;
    /// drawing reads the same rows).
    pub fn pane_tickets(&self, p: usize) -> Vec<&Ticket> {
        self.panes
            .get(p)
            .map(|pane| pane.iter().map(|i| &self.rows[*i].ticket).collect())
            .unwrap_or_default()
    }

    /// The alerts view's list, most urgent first: each ticket number with
    /// its alert.
    pub fn alert_list(&self) -> Vec<(&str, &Alert)> {
        self.alert_entries()
            .map(|(i, a)| (self.rows[i].ticket.ticket_no.as_str(), a))
            .collect()
    }

    /// Entry `k` of the alert list: the row and its alert.
    pub(crate) fn alert_entry(&self, k: usize) -> Option<(usize, &Alert)> {
        let (i, n) = *self.alerts.get(k)?;
        Some((i, self.rows.get(i)?.alerts.get(n)?))
    }

    /// The alert list, most urgent first: each row and its alert.
    pub(crate) fn alert_entries(&self) -> impl Iterator<Item = (usize, &Alert)> {
        (0..self.alerts.len()).filter_map(|k| self.alert_entry(k))
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether the terminal should send mouse events (`m`, `[dashboard] mouse`).
    pub fn mouse(&self) -> bool {
        self.mouse
    }

    /// Ctrl-Z was pressed: the caller hands the terminal back to the shell
    /// and stops the process until `fg`. Reading clears the request.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// Draws the whole screen; pure.
    pub fn render(&self, frame: &mut Frame) {
        crate::tui::views::draw(self, frame);
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
    }

    /// Opens the engineer view directly (`repairdesk engineer NAME`).
    pub fn open_engineer(&mut self, name: &str, day: NaiveDate) {
        self.show_engineer(Some(name), day);
        // The first screen: `q` quits, Esc goes to the panes.
        self.back.clear();
    }

    /// Forces colours off (tests, `NO_COLOR`).
    pub fn set_no_color(&mut self, off: bool) {
        self.no_color = off;
    }

    /// Once a second: the clock moves (countdowns tick) and another process's
    /// change is picked up.
    /// A lost server is tried again at each tick; back, everything is read
    /// again.
    pub fn tick(&mut self) {
        self.now = self.app.now();
        match self.store.reconnect() {
            Ok(false) => {}
            Ok(true) => {
                tracing::info!("connected to the server again");
                self.offline = None;
                self.flash = Some(Flash {
                    kind: FlashKind::Info,
                    text: self
                        .app
                        .lang
                        .pick("已重新连接服务器", "connected to the server again")
                        .to_string(),
                });
                self.data_version = self.store.data_version().unwrap_or(0);
                self.reload();
                self.refresh_screen();
                return;
            }
            Err(e) => {
                self.went_offline(e);
                return;
            }
        }
        match self.store.changes() {
            Ok(Some(changes)) if changes.is_empty() => return self.recompute(),
            Ok(Some(changes)) => {
                tracing::debug!(
                    tickets = changes.tickets.len(),
                    staff = changes.staff,
                    "other desks' changes announced; reading the changes"
                );
                // Only the changed tickets are read again: those the server
                // named, or after a change of the staff list, those the
                // store finds changed (`catch_up`).
                if changes.staff {
                    self.catch_up();
                } else {
                    self.catch_up_named(changes.tickets.into_iter().collect());
                }
                self.refresh_screen();
                return;
            }
            Ok(None) => {}
            Err(e) if self.store.connection_lost() => return self.went_offline(e),
            Err(e) => return self.error(e),
        }
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                tracing::debug!(version = v, "database changed; reading the changes");
                self.catch_up();
                self.refresh_screen();
            }
            Ok(_) => self.recompute(),
            Err(e) if self.store.connection_lost() => self.went_offline(e),
            Err(e) => self.error(e),
        }
    }

    /// The server is out of reach: say so once, keep the last picture (its
    /// countdowns still move), try again at the next tick.
    fn went_offline(&mut self, e: StoreError) {
        let text = store_error(e, self.app.lang, Some(&self.app.db_path)).1;
        if self.offline.is_none() {
            tracing::warn!(error = %text, "server out of reach");
            self.flash = Some(Flash {
                kind: FlashKind::Error,
                text: text.clone(),
            });
        }
        self.offline = Some(text);
        self.recompute();
    }

    pub fn handle_event(&mut self, ev: &CtEvent) {
        match ev {
            CtEvent::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(*k),
            CtEvent::Mouse(m) => self.handle_mouse(*m),
            CtEvent::Resize(w, h) => self.resize(*w, *h),
            _ => {}
        }
        self.run_queue();
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.on_key(key);
        self.run_queue();
    }

    fn on_key(&mut self, key: KeyEvent) {
        // Ctrl-C and Ctrl-Z work everywhere, as in every terminal program.
        match self
            .keys
            .action(Context::Form, &key)
            .filter(|a| a.scope() == Scope::Always)
        {
            Some(Action::QuitNow) => {
                self.quit = true;
                return;
            }
            Some(Action::Suspend) => {
                self.suspend = true;
                return;
            }
            _ => {}
        }
        if let Some(mut form) = self.form.take() {
            match form.handle_key(&self.keys, &key) {
                FormOutcome::Stay => {
                    if !form.confirming {
                        self.preview(&mut form);
                    }
                    self.form = Some(form);
                }
                FormOutcome::Cancel => {}
                FormOutcome::Submit => self.submit(form),
            }
            return;
        }
        if self.goto.is_some() {
            self.goto_key(key);
            return;
        }
        if self.filter_editing {
            self.filter_key(key);
            return;
        }
        if let Some(scroll) = self.help {
            let (w, h) = self.size;
            let max =
                crate::tui::views::help::max_scroll(self, ratatui::layout::Rect::new(0, 0, w, h));
            match self.keys.action(Context::Help, &key) {
                Some(Action::Help | Action::Back | Action::Quit) => self.help = None,
                Some(Action::Down) => self.help = Some(scroll.saturating_add(1).min(max)),
                Some(Action::Up) => self.help = Some(scroll.saturating_sub(1)),
                Some(Action::PageDown) => self.help = Some(scroll.saturating_add(10).min(max)),
                Some(Action::PageUp) => self.help = Some(scroll.saturating_sub(10)),
                _ => {}
            }
            return;
        }
        if let Some(a) = self.keys.action(self.context(), &key) {
            self.flash = None;
            self.act(a);
        }
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            return Context::Form;
        }
        if self.help.is_some() {
            return Context::Help;
        }
        match self.screen {
            Screen::Panes => Context::Panes,
            Screen::Detail(_) => Context::Detail,
            Screen::Engineer(_) => Context::Engineer,
            Screen::Reports(_) | Screen::Stations(_) => Context::Reports,
            Screen::Cancels | Screen::Closed | Screen::Alerts | Screen::Specials => Context::List,
        }
    }

    fn act(&mut self, a: Action) {
        match a {
            // `q` quits the first screen; on a screen opened over it, it goes back.
            Action::Quit if self.back.is_empty() => self.quit = true,
            Action::Quit => self.back(),
            Action::Help => self.help = Some(0),
            Action::Mouse => {
                self.mouse = !self.mouse;
                let text = if self.mouse {
                    self.app.lang.pick(
                        "鼠标已开启：点击选择，滚轮滚动",
                        "mouse on: click selects, the wheel scrolls",
                    )
                } else {
                    self.app.lang.pick(
                        "鼠标已关闭：可拖选复制文字（如电话号码）；m 重新开启",
                        "mouse off: drag to select and copy text (a phone number); m turns it on",
                    )
                };
                self.flash = Some(Flash {
                    kind: FlashKind::Info,
                    text: text.into(),
                });
            }
            Action::Back => self.back(),
            Action::Refresh => {
                self.reload();
                self.refresh_screen();
            }
            Action::ViewMain => {
                self.back.clear();
                self.screen = Screen::Panes;
            }
            Action::ViewAlerts => self.push(Screen::Alerts),
            Action::ViewCancels => self.push(Screen::Cancels),
            Action::ViewSpecials => self.push(Screen::Specials),
            Action::ViewClosed => {
                self.load_closed();
                self.push(Screen::Closed);
            }
            Action::ViewEngineer => {
                let name = self.selected().and_then(|t| t.engineer.clone());
                let day = self.app.calendar.local(self.now).date_naive();
                self.show_engineer(name.as_deref(), day);
            }
            Action::ViewReports if self.region => {
                if !matches!(self.screen, Screen::Stations(_)) {
                    let today = self.app.calendar.local(self.app.now()).date_naive();
                    let month = Month::of(today, &self.app.calendar);
                    self.push(Screen::Panes);
                    self.show_stations(month, 0);
                }
            }
            Action::ViewReports => {
                if !matches!(self.screen, Screen::Reports(_)) {
                    let today = self.app.calendar.local(self.app.now()).date_naive();
                    let month = Month::of(today, &self.app.calendar);
                    self.push(Screen::Panes);
                    self.show_reports(month, 0);
                }
            }
            Action::PrevMonth | Action::NextMonth => {
                let shown = match &self.screen {
                    Screen::Reports(r) => Some(r.month),
                    Screen::Stations(r) => Some(r.month),
                    _ => None,
                };
                if let Some(shown) = shown {
                    let cal = &self.app.calendar;
                    let first = shown.first;
                    let this = Month::of(cal.local(self.app.now()).date_naive(), cal);
                    let target = if a == Action::NextMonth {
                        first.checked_add_months(chrono::Months::new(1))
                    } else {
                        first.checked_sub_months(chrono::Months::new(1))
                    };
                    match target {
                        Some(day) if day <= this.first => {
                            let month = Month::of(day, cal);
                            if matches!(self.screen, Screen::Stations(_)) {
                                self.show_stations(month, 0);
                            } else {
                                self.show_reports(month, 0);
                            }
                        }
                        _ => {
                            self.flash = Some(Flash {
                                kind: FlashKind::Warn,
                                text: self
                                    .app
                                    .lang
                                    .pick(
                                        "已是当月，没有更晚的月份",
                                        "this is the current month; there is no later one",
                                    )
                                    .into(),
                            });
                        }
                    }
                }
            }
            Action::Up => self.move_sel(-1),
            Action::Down => self.move_sel(1),
            Action::PageUp => self.move_sel(-10),
            Action::PageDown => self.move_sel(10),
            Action::Top => self.move_sel(i64::MIN / 2),
            Action::Bottom => self.move_sel(i64::MAX / 2),
            Action::Open => {
                if let Some(no) = self.selected().map(|t| t.ticket_no.clone()) {
                    self.queue.push_back(Internal::OpenDetail(no));
                }
            }
            Action::Left | Action::PrevPane => self.focus = (self.focus + 3) % 4,
            Action::Right | Action::NextPane => self.focus = (self.focus + 1) % 4,
            Action::Pane1 => self.focus = 0,
            Action::Pane2 => self.focus = 1,
            Action::Pane3 => self.focus = 2,
            Action::Pane4 => self.focus = 3,
            Action::Zoom => self.zoom = !self.zoom,
            Action::Sort => {
                self.sort = self.sort.next();
                self.resort();
            }
            Action::Reverse => {
                self.reverse = !self.reverse;
                self.resort();
            }
            Action::Filter if matches!(self.screen, Screen::Alerts) => {
                self.flash = Some(Flash {
                    kind: FlashKind::Warn,
                    text: self
                        .app
                        .lang
                        .pick(
                            "告警列表不过滤：在工作栏、撤单、特殊用户或已关闭列表中按 /",
                            "the alert list is not filtered: press / on the panes, cancel requests, special customers or closed",
                        )
                        .into(),
                });
            }
            Action::Filter => {
                if self.filter.is_none() {
                    self.filter = Some(Input::default());
                }
                self.filter_editing = true;
            }
            Action::GoTo => self.open_goto(),
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::PrevDay | Action::NextDay | Action::Today => {
                if let Screen::Engineer(e) = &self.screen {
                    let today = self.app.calendar.local(self.now).date_naive();
                    let day = match a {
                        Action::PrevDay => e.day.pred_opt(),
                        Action::NextDay => e.day.succ_opt(),
                        _ => Some(today),
                    }
                    .unwrap_or(e.day);
                    let name = e.name().map(str::to_string);
                    self.show_engineer_in_place(name.as_deref(), day, 0);
                }
            }
            Action::PrevEngineer | Action::NextEngineer => {
                if let Screen::Engineer(e) = &self.screen {
                    let n = e.staff.len().max(1);
                    let idx = if a == Action::NextEngineer {
                        (e.idx + 1) % n
                    } else {
                        (e.idx + n - 1) % n
                    };
                    let name = e.staff.get(idx).map(|s| s.name.clone());
                    let day = e.day;
                    self.show_engineer(name.as_deref(), day);
                }
            }
            other => {
                if let Some(kind) = FormKind::from_action(other) {
                    self.open_form(kind);
                }
            }
        }
    }

    fn push(&mut self, s: Screen) {
        let list = matches!(
            s,
            Screen::Alerts | Screen::Cancels | Screen::Closed | Screen::Specials
        );
        let old = std::mem::replace(&mut self.screen, s);
        self.back.push(old);
        if list {
            self.clear_list_pick();
        }
    }

    fn back(&mut self) {
        // Esc clears a filter first on the panes, and on the region's first
        // screen (its cancellation requests).
        let first = matches!(self.screen, Screen::Panes) || (self.region && self.back.is_empty());
        if self.filter.is_some() && first {
            self.filter = None;
            self.refilter();
            return;
        }
        self.screen = self.back.pop().unwrap_or(Screen::Panes);
        // Figures left behind a screen opened on top: read again if the
        // database changed meanwhile.
        if let Screen::Reports(r) = &self.screen
            && r.loaded_at != self.reloads
        {
            let (month, scroll) = (r.month, r.scroll);
            self.show_reports(month, scroll);
        }
        if let Screen::Stations(r) = &self.screen
            && r.loaded_at != self.reloads
        {
            let (month, scroll) = (r.month, r.scroll);
            self.show_stations(month, scroll);
        }
    }

    fn run_queue(&mut self) {
        while let Some(m) = self.queue.pop_front() {
            match m {
                Internal::Reload => {
                    self.catch_up();
                    self.refresh_screen();
                }
                Internal::OpenDetail(no) => {
                    if let Some(d) = self.load_detail(&no) {
                        if matches!(self.screen, Screen::Detail(_)) {
                            self.screen = Screen::Detail(Box::new(d));
                        } else {
                            self.push(Screen::Detail(Box::new(d)));
                        }
                    }
                }
                Internal::Select(no) => {
                    self.select_ticket(&no);
                }
                Internal::Flash(f) => self.flash = Some(f),
            }
        }
    }

    fn error(&mut self, e: StoreError) {
        tracing::error!(error = %e, "store error");
        let text = match &e {
            StoreError::Refused(r) => crate::tui::forms::hint::refusal(r, self.app.lang),
            _ => store_error(e, self.app.lang, Some(&self.app.db_path)).1,
        };
        self.flash = Some(Flash {
            kind: FlashKind::Error,
            text,
        });
    }
}
