//! One small form per transition. A form only gathers input and builds a
//! [`Command`] (or a new ticket); the dashboard hands that to
//! [`crate::store::Store::execute`], the same path as the command line.

mod after_t33;
mod cancel;
mod cancel_decision;
mod close;
mod contact;
mod dispatch;
mod edit;
mod followup;
pub mod hint;
mod new_ticket;
mod notify_region;
mod parts;
mod parts_arrived;
mod phone_resolve;
mod print;
mod promise;
mod quote;
mod unreachable;
mod visit;

use crossterm::event::{Event as CtEvent, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::keymap::{Action, Context, KeyMap};
use crate::domain::command::{Command, NewTicket};
use crate::domain::rules::StaffLoad;
use crate::domain::text::Lang;
use crate::domain::ticket::{Ticket, Time};
use crate::domain::when;
use crate::setup::app::App;

/// Which transition a form performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    Contact,
    Unreachable,
    Promise,
    PhoneResolve,
    OrderParts,
    PartsArrived,
    Print,
    Dispatch,
    Visit,
    Close,
    RequestCancel,
    DecideCancel,
    NotifyRegion,
    Followup,
    Quote,
    NewTicket,
    Edit,
    /// The promise form once T33 is used (R12).
    AfterT33,
}

impl FormKind {
    pub fn from_action(a: Action) -> Option<FormKind> {
        Some(match a {
            Action::Contact => FormKind::Contact,
            Action::Unreachable => FormKind::Unreachable,
            Action::Promise => FormKind::Promise,
            Action::PhoneResolve => FormKind::PhoneResolve,
            Action::OrderParts => FormKind::OrderParts,
            Action::PartsArrived => FormKind::PartsArrived,
            Action::Print => FormKind::Print,
            Action::Dispatch => FormKind::Dispatch,
            Action::Visit => FormKind::Visit,
            Action::Close => FormKind::Close,
            Action::RequestCancel => FormKind::RequestCancel,
            Action::DecideCancel => FormKind::DecideCancel,
            Action::NotifyRegion => FormKind::NotifyRegion,
            Action::Followup => FormKind::Followup,
            Action::Quote => FormKind::Quote,
            Action::NewTicket => FormKind::NewTicket,
            Action::Edit => FormKind::Edit,
            _ => return None,
        })
    }
    /// The form works on the selected ticket (all but the new ticket).
    pub fn needs_ticket(self) -> bool {
        self != FormKind::NewTicket
    }
    /// Facts that cannot be taken back: the write asks for an explicit `y`.
    pub fn irreversible(self) -> bool {
        matches!(
            self,
            FormKind::Contact
                | FormKind::PhoneResolve
                | FormKind::PartsArrived
                | FormKind::Print
                | FormKind::Visit
                | FormKind::Close
                | FormKind::RequestCancel
                | FormKind::DecideCancel
        )
    }
}

/// The code of a choice's "nothing chosen yet" option (never a real code;
/// an empty code stays a real "none" option).
const UNCHOSEN: &str = "\u{1}unchosen";

/// What a form asks for: free text (edited with `tui-input`, by character)
/// or one of a few options.
#[derive(Clone, Debug)]
pub enum FieldKind {
    Text(Input),
    Choice {
        options: Vec<(String, String)>,
        idx: usize,
    },
}

#[derive(Clone, Debug)]
pub struct Field {
    pub id: &'static str,
    pub label: String,
    pub kind: FieldKind,
}

impl Field {
    pub fn text(id: &'static str, label: &str, value: &str) -> Field {
        Field {
            id,
            label: label.to_string(),
            kind: FieldKind::Text(Input::new(value.to_string())),
        }
    }
    pub fn choice(
        id: &'static str,
        label: &str,
        options: Vec<(String, String)>,
        idx: usize,
    ) -> Field {
        let idx = idx.min(options.len().saturating_sub(1));
        Field {
            id,
            label: label.to_string(),
            kind: FieldKind::Choice { options, idx },
        }
    }
    /// A choice with nothing chosen yet: an irreversible outcome is picked
    /// with ←/→, never taken by default.
    pub fn choice_unset(id: &'static str, label: &str, options: Vec<(String, String)>) -> Field {
        let mut all = vec![(UNCHOSEN.to_string(), "← →".to_string())];
        all.extend(options);
        Field::choice(id, label, all, 0)
    }
    /// A choice still on its "nothing chosen" option.
    pub fn unset(&self) -> bool {
        matches!(&self.kind, FieldKind::Choice { .. }) && self.value() == UNCHOSEN
    }
    /// The text typed, or the code of the chosen option.
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(i) => i.value(),
            FieldKind::Choice { options, idx } => {
                options.get(*idx).map(|o| o.0.as_str()).unwrap_or("")
            }
        }
    }
    /// What is shown: the text, or the chosen option's label.
    pub fn shown(&self) -> &str {
        match &self.kind {
            FieldKind::Text(i) => i.value(),
            FieldKind::Choice { options, idx } => {
                options.get(*idx).map(|o| o.1.as_str()).unwrap_or("")
            }
        }
    }
}

/// Options from a `named_enum!` type, labelled in the interface language.
pub fn enum_options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    name: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(*v).to_string(), name(*v).to_string()))
        .collect()
}

/// A form on the screen.
#[derive(Clone, Debug)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// The ticket and the version that was shown when the form opened.
    pub ticket: Option<(String, i64)>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Lines of help under the fields (defaults, accepted time forms).
    pub notes: Vec<String>,
    /// The refusal or input error of the last submit; nothing was written.
    pub error: Option<String>,
    /// Irreversible: ask before writing.
    pub confirm: bool,
    pub confirming: bool,
    /// What submitting would do now, by a dry run of the same decision.
    pub preview: Option<Preview>,
}

/// A form's dry run, refreshed as the user types.
#[derive(Clone, Debug, PartialEq)]
pub enum Preview {
    /// What would be recorded (and the status after).
    Writes(String),
    /// The rule that would refuse, and why.
    Refused(String),
    /// The input cannot be read yet (a time, an amount, a choice to make).
    Input(String),
}

impl Form {
    pub fn new(kind: FormKind, title: String, ticket: Option<&Ticket>) -> Form {
        Form {
            kind,
            title,
            ticket: ticket.map(|t| (t.ticket_no.clone(), t.version)),
            fields: Vec::new(),
            focus: 0,
            notes: Vec::new(),
            error: None,
            confirm: kind.irreversible(),
            confirming: false,
            preview: None,
        }
    }
    pub fn field(mut self, f: Field) -> Form {
        self.fields.push(f);
        self
    }
    pub fn note(mut self, n: impl Into<String>) -> Form {
        self.notes.push(n.into());
        self
    }
    pub fn confirmed(mut self) -> Form {
        self.confirm = true;
        self
    }
    pub fn get(&self, id: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(Field::value)
            .unwrap_or("")
    }
    fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.label.as_str())
            .unwrap_or(id)
    }

    /// Keys inside the form: the table's form actions, everything else types.
    pub fn handle_key(&mut self, keys: &KeyMap, key: &KeyEvent) -> FormOutcome {
        let action = keys.action(Context::Form, key);
        if self.confirming {
            // An explicit answer: `y` writes; Enter alone does not.
            let plain = |c: char| {
                key.code == crossterm::event::KeyCode::Char(c)
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            };
            if plain('y') || plain('Y') {
                return FormOutcome::Submit;
            }
            if action == Some(Action::FormCancel) || plain('n') || plain('N') {
                self.confirming = false;
            }
            return FormOutcome::Stay;
        }
        let n = self.fields.len();
        match action {
            Some(Action::FormSubmit) => return FormOutcome::Submit,
            Some(Action::FormCancel) => return FormOutcome::Cancel,
            Some(Action::FormNext) if n > 0 => self.focus = (self.focus + 1) % n,
            Some(Action::FormPrev) if n > 0 => self.focus = (self.focus + n - 1) % n,
            Some(a @ (Action::ChoiceNext | Action::ChoicePrev)) => {
                if let Some(FieldKind::Choice { options, idx }) =
                    self.fields.get_mut(self.focus).map(|f| &mut f.kind)
                {
                    let m = options.len().max(1);
                    *idx = if a == Action::ChoiceNext {
                        (*idx + 1) % m
                    } else {
                        (*idx + m - 1) % m
                    };
                    // A refusal is about the old input.
                    self.error = None;
                } else if let Some(FieldKind::Text(i)) =
                    self.fields.get_mut(self.focus).map(|f| &mut f.kind)
                    && i.handle_event(&CtEvent::Key(*key)).is_some_and(|c| c.value)
                {
                    self.error = None;
                }
            }
            _ => {
                if let Some(FieldKind::Text(i)) =
                    self.fields.get_mut(self.focus).map(|f| &mut f.kind)
                    && i.handle_event(&CtEvent::Key(*key)).is_some_and(|c| c.value)
                {
                    self.error = None;
                }
            }
        }
        FormOutcome::Stay
    }
}

pub enum FormOutcome {
    Stay,
    Cancel,
    Submit,
}

/// What a submitted form asks the store to do.
pub enum Submission {
    Command(Command),
    New(NewTicket),
}

/// What forms may read besides the ticket.
pub struct FormCtx<'a> {
    pub app: &'a App,
    /// Engineers with their planned visits on the ticket's promise day (R17).
    pub staff: &'a [StaffLoad],
    /// The one moment of this form's decision (a station ticket's T1 must
    /// equal the creation time exactly, R18).
    pub now: Time,
    /// The region's desk (it records its decisions, not the station's).
    pub region: bool,
}

impl FormCtx<'_> {
    pub fn lang(&self) -> Lang {
        self.app.lang
    }
    pub fn now(&self) -> Time {
        self.now
    }
    /// A time field, read like the command line's `--at`.
    pub fn time(&self, form: &Form, id: &str) -> Result<Time, String> {
        let text = form.get(id);
        // Nothing typed yet: said in a few words (the form's note lists the
        // forms a time may take).
        if text.trim().is_empty() {
            let l = self.lang();
            return Err(format!(
                "{}{}{}",
                l.pick("「", ""),
                form.label(id),
                l.pick("」：请输入时间", ": type a time")
            ));
        }
        when::parse_when(text, self.now(), self.app.settings.station.timezone).map_err(|_| {
            let l = self.lang();
            format!(
                "{}{}{}: '{}'; {} {}",
                l.pick("「", ""),
                form.label(id),
                l.pick("」无法识别为时间", " cannot be read as a time"),
                text,
                l.pick("可用：", "accepted:"),
                when::ACCEPTED_FORMS
            )
        })
    }
    pub fn opt_time(&self, form: &Form, id: &str) -> Result<Option<Time>, String> {
        if form.get(id).trim().is_empty() {
            Ok(None)
        } else {
            self.time(form, id).map(Some)
        }
    }
    pub fn opt_amount(&self, form: &Form, id: &str) -> Result<Option<f64>, String> {
        let text = form.get(id).trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>().map(Some).map_err(|_| {
            format!(
                "{} '{}': {}",
                form.label(id),
                text,
                self.lang().pick(
                    "不是金额（如 120 或 99.5）",
                    "is not an amount (e.g. 120 or 99.5)"
                )
            )
        })
    }
    /// A short example line for time fields.
    pub fn time_note(&self) -> String {
        self.lang()
            .pick(
                "时间可写：14:30、明天 9:00、+2h、2026-11-27 14:00",
                "time: 14:30, tomorrow 9:00, +2h, 2026-11-27 14:00",
            )
            .to_string()
    }
}

/// The form of a transition, filled with sensible defaults.
pub fn open(kind: FormKind, t: Option<&Ticket>, ctx: &FormCtx) -> Option<Form> {
    if kind == FormKind::NewTicket {
        return Some(new_ticket::open(ctx));
    }
    let t = t?;
    Some(match kind {
        FormKind::Contact => contact::open(t, ctx),
        FormKind::Unreachable => unreachable::open(t, ctx),
        // R12: at T33 the promise key offers escalation or an appointment.
        FormKind::Promise if t.promises().len() >= 3 => after_t33::open(t, ctx),
        FormKind::Promise => promise::open(t, ctx),
        FormKind::PhoneResolve => phone_resolve::open(t, ctx),
        FormKind::OrderParts => parts::open(t, ctx),
        FormKind::PartsArrived => parts_arrived::open(t, ctx),
        FormKind::Print => print::open(t, ctx),
        FormKind::Dispatch => dispatch::open(t, ctx),
        FormKind::Visit => visit::open(t, ctx),
        FormKind::Close => close::open(t, ctx),
        FormKind::RequestCancel => cancel::open(t, ctx),
        FormKind::DecideCancel => cancel_decision::open(t, ctx),
        FormKind::NotifyRegion => notify_region::open(t, ctx),
        FormKind::Followup => followup::open(t, ctx),
        FormKind::Quote => quote::open(t, ctx),
        FormKind::NewTicket => new_ticket::open(ctx),
        FormKind::Edit => edit::open(t, ctx),
        FormKind::AfterT33 => after_t33::open(t, ctx),
    })
}

/// The command the filled form asks for, or what is wrong with the input.
pub fn build(f: &Form, ctx: &FormCtx) -> Result<Submission, String> {
    if let Some(field) = f.fields.iter().find(|x| x.unset()) {
        return Err(format!(
            "{}{}",
            field.label,
            ctx.lang().pick("：用 ←/→ 选择", ": choose with ←/→")
        ));
    }
    let cmd = match f.kind {
        FormKind::NewTicket => return new_ticket::build(f, ctx).map(Submission::New),
        FormKind::Contact => contact::build(f, ctx),
        FormKind::Unreachable => Ok(Command::MarkUnreachable),
        FormKind::Promise => promise::build(f, ctx),
        FormKind::PhoneResolve => phone_resolve::build(f, ctx),
        FormKind::OrderParts => parts::build(f, ctx),
        FormKind::PartsArrived => parts_arrived::build(f, ctx),
        FormKind::Print => Ok(Command::Print),
        FormKind::Dispatch => dispatch::build(f, ctx),
        FormKind::Visit => visit::build(f, ctx),
        FormKind::Close => close::build(f, ctx),
        FormKind::RequestCancel => cancel::build(f, ctx),
        FormKind::DecideCancel => cancel_decision::build(f, ctx),
        FormKind::NotifyRegion => notify_region::build(f, ctx),
        FormKind::Followup => followup::build(f, ctx),
        FormKind::Quote => quote::build(f, ctx),
        FormKind::Edit => edit::build(f, ctx),
        FormKind::AfterT33 => after_t33::build(f, ctx),
    }?;
    Ok(Submission::Command(cmd))
}

/// `Promise · ZD-20261126-0001 张伟`
pub fn title(what: &str, t: &Ticket) -> String {
    format!(
        "{what} · {} {}",
        crate::present::sanitize::terminal_safe(&t.ticket_no),
        crate::present::sanitize::terminal_safe(&t.customer.name)
    )
}
