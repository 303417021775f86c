//! The dashboard's state and `update`: the only place state changes. Drawing
//! (`views`) reads a `&Dashboard` and cannot change it.

use std::collections::{BTreeMap, VecDeque};

use chrono::NaiveDate;
use crossterm::event::{
    Event as CtEvent, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::forms::{self, Form, FormCtx, FormKind, FormOutcome, Submission};
use super::keymap::{Action, Context, KeyMap};
use super::model::{self, Row, StaffDay};
use crate::app::App;
use crate::domain::event::Event;
use crate::domain::sla::{Alert, urgency_key};
use crate::domain::ticket::{Status, Ticket, Time};
use crate::interchange::print::{self, PrintError};
use crate::present::describe;
use crate::report::Month;
use crate::report::kpi::{self, MonthReport};
use crate::sanitize::terminal_safe;
use crate::store::{Store, StoreError};

/// How the panes are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Most urgent first: breaches, then the nearest deadline, emergencies first.
    Deadline,
    T1,
    Customer,
    Engineer,
}

impl SortKey {
    fn next(self) -> SortKey {
        match self {
            SortKey::Deadline => SortKey::T1,
            SortKey::T1 => SortKey::Customer,
            SortKey::Customer => SortKey::Engineer,
            SortKey::Engineer => SortKey::Deadline,
        }
    }
    pub fn name(self, lang: crate::text::Lang) -> &'static str {
        match self {
            SortKey::Deadline => lang.pick("期限", "deadline"),
            SortKey::T1 => "T1",
            SortKey::Customer => lang.pick("用户", "customer"),
            SortKey::Engineer => lang.pick("工程师", "engineer"),
        }
    }
}

/// The selected ticket's full picture.
#[derive(Clone, Debug)]
pub struct Detail {
    pub ticket: Ticket,
    pub history: Vec<Event>,
    pub scroll: u16,
}

/// One engineer's day.
#[derive(Clone, Debug)]
pub struct EngineerDay {
    pub staff: Vec<StaffDay>,
    pub idx: usize,
    pub day: NaiveDate,
    pub tickets: Vec<Ticket>,
    pub sel: usize,
}

impl EngineerDay {
    pub fn name(&self) -> Option<&str> {
        self.staff.get(self.idx).map(|s| s.name.as_str())
    }
}

/// One month's figures, computed when the view opens, the month changes or
/// the database changes; never while drawing.
#[derive(Clone, Debug)]
pub struct Reports {
    pub month: Month,
    /// `None` when reading failed (the error is flashed).
    pub report: Option<MonthReport>,
    /// Rows scrolled down when the terminal is too small for the whole view.
    pub scroll: u16,
    /// The dashboard's reload count when the figures were computed.
    loaded_at: u64,
}

#[derive(Clone, Debug)]
pub enum Screen {
    Panes,
    Detail(Box<Detail>),
    Cancels,
    Closed,
    Alerts,
    Engineer(Box<EngineerDay>),
    Reports(Box<Reports>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

/// Side effects asked for by `update`, run after it (no component calls another).
#[derive(Clone, Debug)]
enum Internal {
    Reload,
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
    pub(crate) rows: Vec<Row>,
    pub(crate) counts: BTreeMap<Status, usize>,
    pub(crate) truncated: bool,
    /// Per pane: indices into `rows`, in display order.
    pub(crate) panes: [Vec<usize>; 4],
    pub(crate) cancels: Vec<usize>,
    /// Every alert over the open set, most urgent first: (row, alert).
    pub(crate) alerts: Vec<(usize, Alert)>,
    pub(crate) closed: Vec<Ticket>,
    data_version: i64,
    /// How many times the open set was read: a screen left behind another
    /// knows whether the database changed meanwhile.
    reloads: u64,
    pub(crate) screen: Screen,
    back: Vec<Screen>,
    pub(crate) focus: usize,
    pub(crate) sel: [usize; 4],
    sel_no: [Option<String>; 4],
    pub(crate) list_sel: usize,
    pub(crate) sort: SortKey,
    pub(crate) reverse: bool,
    pub(crate) zoom: bool,
    pub(crate) filter: Option<Input>,
    pub(crate) filter_editing: bool,
    pub(crate) help: Option<u16>,
    pub(crate) form: Option<Form>,
    pub(crate) flash: Option<Flash>,
    queue: VecDeque<Internal>,
    quit: bool,
}

impl Dashboard {
    /// A dashboard over an open store. Fails with one line per problem in
    /// the config's `[keys]`.
    pub fn new(app: App, store: Store) -> Result<Dashboard, Vec<String>> {
        let keys = KeyMap::with_overrides(&app.settings.keys)?;
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
            counts: BTreeMap::new(),
            truncated: false,
            panes: Default::default(),
            cancels: Vec::new(),
            alerts: Vec::new(),
            closed: Vec::new(),
            data_version: 0,
            reloads: 0,
            screen: Screen::Panes,
            back: Vec::new(),
            focus: 0,
            sel: [0; 4],
            sel_no: Default::default(),
            list_sel: 0,
            sort: SortKey::Deadline,
            reverse: false,
            zoom: false,
            filter: None,
            filter_editing: false,
            help: None,
            form: None,
            flash: None,
            queue: VecDeque::new(),
            quit: false,
        };
        d.data_version = d.store.data_version().unwrap_or(0);
        d.reload();
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

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Draws the whole screen; pure.
    pub fn render(&self, frame: &mut Frame) {
        super::views::draw(self, frame);
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
    }

    /// Opens the engineer view directly (`repairdesk engineer NAME`).
    pub fn open_engineer(&mut self, name: &str, day: NaiveDate) {
        self.show_engineer(Some(name), day);
    }

    /// Forces colours off (tests, `NO_COLOR`).
    pub fn set_no_color(&mut self, off: bool) {
        self.no_color = off;
    }

    /// Once a second: the clock moves (countdowns tick) and another process's
    /// change is picked up.
    pub fn tick(&mut self) {
        self.now = self.app.now();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                tracing::debug!(version = v, "database changed; reloading");
                self.reload();
                self.refresh_screen();
            }
            Ok(_) => self.recompute(),
            Err(e) => self.error(e),
        }
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
        if let Some(mut form) = self.form.take() {
            match form.handle_key(&self.keys, &key) {
                FormOutcome::Stay => self.form = Some(form),
                FormOutcome::Cancel => {}
                FormOutcome::Submit => self.submit(form),
            }
            return;
        }
        if self.filter_editing {
            self.filter_key(key);
            return;
        }
        if let Some(scroll) = self.help {
            match self.keys.action(Context::Help, &key) {
                Some(Action::Help | Action::Back | Action::Quit) => self.help = None,
                Some(Action::Down) => self.help = Some(scroll.saturating_add(1)),
                Some(Action::Up) => self.help = Some(scroll.saturating_sub(1)),
                Some(Action::PageDown) => self.help = Some(scroll.saturating_add(10)),
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
            Screen::Reports(_) => Context::Reports,
            Screen::Cancels | Screen::Closed | Screen::Alerts => Context::List,
        }
    }

    fn act(&mut self, a: Action) {
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.help = Some(0),
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
            Action::ViewClosed => {
                self.load_closed();
                self.push(Screen::Closed);
            }
            Action::ViewEngineer => {
                let name = self.selected().and_then(|t| t.engineer.clone());
                let day = self.app.calendar.local(self.now).date_naive();
                self.show_engineer(name.as_deref(), day);
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
                if let Screen::Reports(r) = &self.screen {
                    let cal = &self.app.calendar;
                    let first = r.month.first;
                    let this = Month::of(cal.local(self.app.now()).date_naive(), cal);
                    let target = if a == Action::NextMonth {
                        first.checked_add_months(chrono::Months::new(1))
                    } else {
                        first.checked_sub_months(chrono::Months::new(1))
                    };
                    match target {
                        Some(day) if day <= this.first => {
                            let month = Month::of(day, cal);
                            self.show_reports(month, 0);
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
            Action::Filter => {
                if self.filter.is_none() {
                    self.filter = Some(Input::default());
                }
                self.filter_editing = true;
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
        let old = std::mem::replace(&mut self.screen, s);
        self.back.push(old);
        self.list_sel = 0;
    }

    fn back(&mut self) {
        if self.filter.is_some() && matches!(self.screen, Screen::Panes) {
            self.filter = None;
            self.reload();
            return;
        }
        self.screen = self.back.pop().unwrap_or(Screen::Panes);
        self.list_sel = self.list_sel.min(self.list_len().saturating_sub(1));
        // Figures left behind a screen opened on top: read again if the
        // database changed meanwhile.
        if let Screen::Reports(r) = &self.screen
            && r.loaded_at != self.reloads
        {
            let (month, scroll) = (r.month, r.scroll);
            self.show_reports(month, scroll);
        }
    }

    fn filter_key(&mut self, key: KeyEvent) {
        match self.keys.action(Context::Form, &key) {
            Some(Action::FormSubmit) => {
                self.filter_editing = false;
                if self
                    .filter
                    .as_ref()
                    .is_some_and(|i| i.value().trim().is_empty())
                {
                    self.filter = None;
                }
            }
            Some(Action::FormCancel) => {
                self.filter_editing = false;
                self.filter = None;
                self.reload();
            }
            _ => {
                if let Some(i) = self.filter.as_mut()
                    && i.handle_event(&CtEvent::Key(key)).is_some()
                {
                    self.reload();
                    if matches!(self.screen, Screen::Closed) {
                        self.load_closed();
                    }
                }
            }
        }
    }

    fn search(&self) -> Option<String> {
        self.filter
            .as_ref()
            .map(|i| i.value().trim().to_string())
            .filter(|s| !s.is_empty())
    }

    // --- loading ---

    /// Reads the open set (or the filtered page) and the counts again.
    pub fn reload(&mut self) {
        self.reloads += 1;
        let search = self.search();
        let loaded = model::load_open(&self.store, search.as_deref()).and_then(|(t, cut)| {
            let counts = model::open_counts(&self.store)?;
            Ok((t, cut, counts))
        });
        match loaded {
            Ok((tickets, cut, counts)) => {
                self.truncated = cut;
                self.counts = counts;
                self.rows = tickets
                    .into_iter()
                    .map(|ticket| Row {
                        ticket,
                        alerts: Vec::new(),
                    })
                    .collect();
                self.recompute();
            }
            Err(e) => self.error(e),
        }
    }

    /// Alerts at `now`, then the order of every pane.
    fn recompute(&mut self) {
        self.now = self.app.now();
        for r in &mut self.rows {
            r.alerts = model::alerts_of(&self.app, &r.ticket, self.now);
        }
        let mut alerts: Vec<(usize, Alert)> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.alerts.iter().map(move |a| (i, a.clone())))
            .collect();
        alerts.sort_by(|a, b| crate::domain::sla::urgency_order(&a.1, &b.1));
        self.alerts = alerts;
        self.resort();
    }

    fn resort(&mut self) {
        for (p, status) in Status::PANES.iter().enumerate() {
            let mut idx: Vec<usize> = (0..self.rows.len())
                .filter(|i| self.rows[*i].ticket.status == *status)
                .collect();
            let rows = &self.rows;
            let sort = self.sort;
            idx.sort_by(|a, b| compare(&rows[*a], &rows[*b], sort));
            if self.reverse {
                idx.reverse();
            }
            self.panes[p] = idx;
            let keep = self.sel_no[p].as_ref().and_then(|no| {
                self.panes[p]
                    .iter()
                    .position(|i| &self.rows[*i].ticket.ticket_no == no)
            });
            self.sel[p] = keep
                .unwrap_or(self.sel[p])
                .min(self.panes[p].len().saturating_sub(1));
            self.sel_no[p] = self.panes[p]
                .get(self.sel[p])
                .map(|i| self.rows[*i].ticket.ticket_no.clone());
        }
        let mut cancels: Vec<usize> = (0..self.rows.len())
            .filter(|i| self.rows[*i].ticket.status == Status::CancelRequested)
            .collect();
        cancels.sort_by_key(|i| {
            let t = &self.rows[*i].ticket;
            (
                t.progress.cancel.as_ref().map(|c| c.requested_at),
                t.ticket_no.clone(),
            )
        });
        self.cancels = cancels;
        self.list_sel = self.list_sel.min(self.list_len().saturating_sub(1));
    }

    fn load_closed(&mut self) {
        match model::closed_page(&self.store, self.search().as_deref()) {
            Ok(c) => self.closed = c,
            Err(e) => self.error(e),
        }
    }

    /// After a reload: the detail, closed and engineer screens read again.
    fn refresh_screen(&mut self) {
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
            Screen::Engineer(e) => {
                let name = e.name().map(str::to_string);
                let (day, sel) = (e.day, e.sel);
                self.show_engineer_in_place(name.as_deref(), day, sel);
            }
            _ => {}
        }
    }

    fn load_detail(&mut self, no: &str) -> Option<Detail> {
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

    /// Computes a month's figures and shows them (in place of the screen on
    /// top; the caller pushes the screen below when opening the view).
    fn show_reports(&mut self, month: Month, scroll: u16) {
        let now = self.app.now();
        let report = match kpi::month_report(
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
        };
        self.screen = Screen::Reports(Box::new(Reports {
            month,
            report,
            scroll,
            loaded_at: self.reloads,
        }));
    }

    fn show_engineer(&mut self, name: Option<&str>, day: NaiveDate) {
        let was_engineer = matches!(self.screen, Screen::Engineer(_));
        if !was_engineer {
            let old = std::mem::replace(&mut self.screen, Screen::Panes);
            self.back.push(old);
        }
        self.show_engineer_in_place(name, day, 0);
    }

    fn show_engineer_in_place(&mut self, name: Option<&str>, day: NaiveDate, sel: usize) {
        let staff = match model::staff_day(&self.store, &self.app, day) {
            Ok(s) => s,
            Err(e) => return self.error(e),
        };
        let idx = name
            .and_then(|n| staff.iter().position(|s| s.name == n))
            .unwrap_or(0);
        let tickets = match staff.get(idx) {
            Some(s) => match model::engineer_day(&self.store, &self.app, &s.name, day) {
                Ok(t) => t,
                Err(e) => return self.error(e),
            },
            None => Vec::new(),
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
        let sel = sel.min(tickets.len().saturating_sub(1));
        self.screen = Screen::Engineer(Box::new(EngineerDay {
            staff,
            idx,
            day,
            tickets,
            sel,
        }));
    }

    // --- selection ---

    pub(crate) fn pane_rows(&self, p: usize) -> Vec<&Row> {
        self.panes[p].iter().map(|i| &self.rows[*i]).collect()
    }

    fn list_len(&self) -> usize {
        match &self.screen {
            Screen::Cancels => self.cancels.len(),
            Screen::Closed => self.closed.len(),
            Screen::Alerts => self.alerts.len(),
            Screen::Engineer(e) => e.tickets.len(),
            _ => 0,
        }
    }

    /// The ticket the transitions act on.
    pub fn selected(&self) -> Option<&Ticket> {
        match &self.screen {
            Screen::Panes => self.panes[self.focus]
                .get(self.sel[self.focus])
                .map(|i| &self.rows[*i].ticket),
            Screen::Detail(d) => Some(&d.ticket),
            Screen::Cancels => self
                .cancels
                .get(self.list_sel)
                .map(|i| &self.rows[*i].ticket),
            Screen::Alerts => self
                .alerts
                .get(self.list_sel)
                .map(|(i, _)| &self.rows[*i].ticket),
            Screen::Closed => self.closed.get(self.list_sel),
            Screen::Engineer(e) => e.tickets.get(e.sel),
            Screen::Reports(_) => None,
        }
    }

    fn move_sel(&mut self, by: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64).saturating_add(by).clamp(0, len as i64 - 1) as usize
        };
        match &mut self.screen {
            Screen::Panes => {
                let p = self.focus;
                self.sel[p] = step(self.sel[p], self.panes[p].len());
                self.sel_no[p] = self.panes[p]
                    .get(self.sel[p])
                    .map(|i| self.rows[*i].ticket.ticket_no.clone());
            }
            Screen::Detail(d) => {
                let lines = super::views::detail::line_count(d, &self.app) as i64;
                d.scroll = (d.scroll as i64)
                    .saturating_add(by)
                    .clamp(0, lines.max(1) - 1) as u16;
            }
            Screen::Engineer(e) => e.sel = step(e.sel, e.tickets.len()),
            Screen::Reports(r) => {
                let size = self.size;
                let max = super::views::reports::max_scroll(r, size);
                r.scroll = (i64::from(r.scroll))
                    .saturating_add(by)
                    .clamp(0, i64::from(max)) as u16;
            }
            _ => {
                let len = self.list_len();
                self.list_sel = step(self.list_sel, len);
            }
        }
    }

    fn handle_mouse(&mut self, m: MouseEvent) {
        if self.form.is_some() || self.help.is_some() {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.move_sel(3),
            MouseEventKind::ScrollUp => self.move_sel(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                let area = Rect::new(0, 0, self.size.0, self.size.1);
                let pos = Position::new(m.column, m.row);
                if matches!(self.screen, Screen::Panes) {
                    for (p, rect) in super::views::panes::pane_rects(self, area) {
                        if rect.contains(pos) {
                            self.focus = p;
                            if let Some(i) = super::views::panes::row_at(self, p, rect, pos.y) {
                                self.sel[p] = i;
                                self.sel_no[p] = self.panes[p]
                                    .get(i)
                                    .map(|r| self.rows[*r].ticket.ticket_no.clone());
                            }
                        }
                    }
                } else if let Some(i) = super::views::list_row_at(self, area, pos.y) {
                    match &mut self.screen {
                        Screen::Engineer(e) => e.sel = i.min(e.tickets.len().saturating_sub(1)),
                        Screen::Detail(_) | Screen::Reports(_) => {}
                        _ => self.list_sel = i.min(self.list_len().saturating_sub(1)),
                    }
                }
            }
            _ => {}
        }
    }

    // --- forms ---

    fn staff_for(&mut self, t: Option<&Ticket>) -> Vec<StaffDay> {
        let at = t.and_then(Ticket::promised_at).unwrap_or(self.now);
        let day = self.app.calendar.local(at).date_naive();
        match model::staff_day(&self.store, &self.app, day) {
            Ok(s) => s,
            Err(e) => {
                self.error(e);
                Vec::new()
            }
        }
    }

    fn open_form(&mut self, kind: FormKind) {
        let ticket = self.selected().cloned();
        if kind.needs_ticket() && ticket.is_none() {
            self.flash = Some(Flash {
                kind: FlashKind::Warn,
                text: self
                    .app
                    .lang
                    .pick("没有选中的维修单", "no ticket selected")
                    .into(),
            });
            return;
        }
        let staff = if kind == FormKind::Dispatch {
            self.staff_for(ticket.as_ref())
        } else {
            Vec::new()
        };
        let ctx = FormCtx {
            app: &self.app,
            staff: &staff,
            now: self.app.now(),
        };
        self.form = forms::open(kind, ticket.as_ref(), &ctx);
    }

    /// Builds the command and hands it to the store, the command line's path.
    fn submit(&mut self, mut form: Form) {
        let lang = self.app.lang;
        // One reading of the clock for the whole decision.
        let now = self.app.now();
        let built = {
            let ctx = FormCtx {
                app: &self.app,
                staff: &[],
                now,
            };
            forms::build(&form, &ctx)
        };
        let sub = match built {
            Ok(s) => s,
            Err(msg) => {
                form.error = Some(msg);
                self.form = Some(form);
                return;
            }
        };
        if form.confirm && !form.confirming {
            form.confirming = true;
            form.error = None;
            self.form = Some(form);
            return;
        }
        let env = self.app.env_at(now);
        let mut printed = None;
        let result = match (&sub, &form.ticket) {
            // R7: printing writes the work order file and records it, together.
            (Submission::Command(_), Some((no, version))) if form.kind == FormKind::Print => {
                let path = print::default_path(&self.app.data_dir(), no);
                match print::print_work_order(&mut self.store, &env, no, &path, Some(*version)) {
                    Ok(out) => {
                        printed = Some(path);
                        Ok(out)
                    }
                    Err(PrintError::Store(e)) => Err(e),
                    Err(e) => {
                        form.error = Some(terminal_safe(&e.to_string()).into_owned());
                        self.form = Some(form);
                        return;
                    }
                }
            }
            (Submission::Command(cmd), Some((no, version))) => {
                tracing::info!(ticket = %no, command = cmd.name(), "dashboard command");
                self.store.execute(no, cmd, &env, Some(*version))
            }
            (Submission::New(new), _) => self.store.create_station_ticket(new.clone(), &env),
            (Submission::Command(_), None) => return,
        };
        match result {
            Ok(out) => {
                let t = &out.ticket;
                let what = out
                    .events
                    .last()
                    .map(|e| describe(&self.app.calendar, e, lang))
                    .unwrap_or_default();
                let mut text = format!(
                    "{} {} → {}  {}",
                    lang.pick("✓", "✓"),
                    terminal_safe(&t.ticket_no),
                    t.status.name(lang),
                    terminal_safe(&what)
                );
                if let Some(path) = &printed {
                    text.push_str("  ");
                    text.push_str(&terminal_safe(&path.display().to_string()));
                }
                let mut kind = FlashKind::Info;
                for w in &out.warnings {
                    text.push_str("  ");
                    text.push_str(&w.render(lang));
                    kind = FlashKind::Warn;
                }
                self.queue.push_back(Internal::Flash(Flash { kind, text }));
                self.queue.push_back(Internal::Reload);
                if form.kind == FormKind::NewTicket {
                    self.queue
                        .push_back(Internal::OpenDetail(t.ticket_no.clone()));
                }
            }
            Err(StoreError::Refused(r)) => {
                form.error = Some(r.render(lang));
                form.confirming = false;
                self.form = Some(form);
            }
            Err(e @ StoreError::Conflict { .. }) => {
                tracing::warn!(error = %e, "stale edit refused");
                let no = form
                    .ticket
                    .as_ref()
                    .map(|t| t.0.clone())
                    .unwrap_or_default();
                self.queue.push_back(Internal::Flash(Flash {
                    kind: FlashKind::Error,
                    text: format!(
                        "{} {}",
                        terminal_safe(&no),
                        lang.pick(
                            "已被他人修改，未写入；已显示最新内容，请重新操作",
                            "was changed elsewhere; nothing was written. The fresh ticket is shown: try again"
                        )
                    ),
                }));
                self.queue.push_back(Internal::Reload);
                if !matches!(self.screen, Screen::Detail(_)) {
                    self.queue.push_back(Internal::OpenDetail(no));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "command failed");
                form.error = Some(crate::cli::CliError::from_store(e, lang).message);
                form.confirming = false;
                self.form = Some(form);
            }
        }
    }

    fn run_queue(&mut self) {
        while let Some(m) = self.queue.pop_front() {
            match m {
                Internal::Reload => {
                    self.reload();
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
                Internal::Flash(f) => self.flash = Some(f),
            }
        }
    }

    fn error(&mut self, e: StoreError) {
        tracing::error!(error = %e, "store error");
        self.flash = Some(Flash {
            kind: FlashKind::Error,
            text: crate::cli::CliError::from_store(e, self.app.lang).message,
        });
    }
}

/// Pane order. Deadline: breaches, then the nearest due, emergencies first;
/// tickets without an alert after, by promised time.
fn compare(a: &Row, b: &Row, sort: SortKey) -> std::cmp::Ordering {
    let (ta, tb) = (&a.ticket, &b.ticket);
    let tie = || (ta.t1, &ta.ticket_no).cmp(&(tb.t1, &tb.ticket_no));
    match sort {
        SortKey::Deadline => urgency_key(ta, a.alert())
            .cmp(&urgency_key(tb, b.alert()))
            .then_with(tie),
        SortKey::T1 => tie(),
        SortKey::Customer => ta.customer.name.cmp(&tb.customer.name).then_with(tie),
        SortKey::Engineer => (ta.engineer.is_none(), &ta.engineer)
            .cmp(&(tb.engineer.is_none(), &tb.engineer))
            .then_with(tie),
    }
}
