//! Forms: opening one for the selected ticket and handing the filled form's
//! command to the store, the command line's path.

use super::{Dashboard, Flash, FlashKind, Internal, Screen};
use crate::domain::rules::StaffLoad;
use crate::domain::ticket::Ticket;
use crate::interchange::print::{self, PrintError};
use crate::present::describe;
use crate::present::error::store_error;
use crate::present::sanitize::terminal_safe;
use crate::store::StoreError;
use crate::tui::forms::hint;
use crate::tui::forms::{self, Form, FormCtx, FormKind, Preview, Submission};
use crate::tui::model;

impl Dashboard {
    pub(super) fn staff_for(&mut self, t: Option<&Ticket>) -> Vec<StaffLoad> {
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

    pub(super) fn open_form(&mut self, kind: FormKind) {
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
            region: self.region,
        };
        self.form = forms::open(kind, ticket.as_ref(), &ctx);
        if let Some(mut form) = self.form.take() {
            self.preview(&mut form);
            self.form = Some(form);
        }
    }

    /// The form's dry run: the command it builds now, decided by the store
    /// exactly as a submit would, without writing.
    pub(super) fn preview(&mut self, form: &mut Form) {
        let lang = self.app.lang;
        let now = self.app.now();
        let built = {
            let ctx = FormCtx {
                app: &self.app,
                staff: &[],
                now,
                region: self.region,
            };
            forms::build(form, &ctx)
        };
        form.preview = match (built, &form.ticket) {
            (Err(msg), _) => Some(Preview::Input(msg)),
            (Ok(Submission::Command(cmd)), Some((no, _))) => {
                let env = self.app.env_at(now);
                match self.store.preview(no, &cmd, &env) {
                    Ok(out) => {
                        let what: Vec<String> = out
                            .events
                            .iter()
                            .map(|e| describe(&self.app.calendar, e, lang))
                            .collect();
                        let mut text = format!(
                            "{} → {}",
                            terminal_safe(&what.join("; ")),
                            out.ticket.status.name(lang)
                        );
                        for w in &out.warnings {
                            text.push_str("  ");
                            text.push_str(&w.render(lang));
                        }
                        Some(Preview::Writes(text))
                    }
                    Err(StoreError::Refused(r)) => Some(Preview::Refused(hint::refusal(&r, lang))),
                    Err(e) => Some(Preview::Input(
                        store_error(e, lang, Some(&self.app.db_path)).1,
                    )),
                }
            }
            _ => None,
        };
    }

    /// Builds the command and hands it to the store, the command line's path.
    pub(super) fn submit(&mut self, mut form: Form) {
        let lang = self.app.lang;
        // One reading of the clock for the whole decision.
        let now = self.app.now();
        let built = {
            let ctx = FormCtx {
                app: &self.app,
                staff: &[],
                now,
                region: self.region,
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
            // Only an allowed write is put to the question.
            self.preview(&mut form);
            match &form.preview {
                Some(Preview::Refused(why) | Preview::Input(why)) => form.error = Some(why.clone()),
                _ => {
                    form.confirming = true;
                    form.error = None;
                }
            }
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
                self.queue.push_back(Internal::Select(t.ticket_no.clone()));
                if form.kind == FormKind::NewTicket {
                    self.queue
                        .push_back(Internal::OpenDetail(t.ticket_no.clone()));
                }
            }
            Err(StoreError::Refused(r)) => {
                form.error = Some(hint::refusal(&r, lang));
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
                form.error = Some(store_error(e, lang, Some(&self.app.db_path)).1);
                form.confirming = false;
                self.form = Some(form);
            }
        }
    }
}
