//! `repairdesk ticket …`

use super::args::*;
use super::{CliError, CliResult, parse_time_flag, print_json};
use crate::domain::command::{Command, NewTicket};
use crate::domain::next_step::NextStep;
use crate::domain::phone::split_phones;
use crate::domain::ticket::*;
use crate::present::sanitize::terminal_safe;
use crate::present::ticket::Shape;
use crate::present::width::{fit, width};
use crate::present::{self, describe};
use crate::setup::app::App;
use crate::store::{ListFilter, Outcome, Store};

pub fn run(app: App, sub: TicketSub) -> CliResult {
    let mut store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let (no, cmd, expect) = match sub {
        TicketSub::New {
            customer,
            phone,
            fault,
            service_type,
            address,
            district,
            product_line,
            model,
            serial,
            special,
            priority,
            warranty,
        } => {
            // Read the clock once: T1 is the creation moment (R7/R18).
            let now = app.now();
            let new = NewTicket {
                ticket_no: String::new(),
                source: Source::Station,
                t1: now,
                service_type,
                priority,
                special,
                urge: false,
                customer: Customer {
                    name: customer,
                    phones: split_phones(&phone),
                    address,
                    district,
                },
                product: Product {
                    line: product_line,
                    model,
                    serial,
                    warranty,
                },
                fault,
                note: String::new(),
            };
            let out = store
                .create_station_ticket(new, &app.env_at(now))
                .map_err(|e| CliError::from_store(e, app.lang))?;
            return report(&app, &out, true);
        }
        TicketSub::Show { no } => return show(&app, &store, &no),
        TicketSub::List {
            statuses,
            engineer,
            search,
            limit,
        } => return list(&app, &store, statuses, engineer, search, limit),
        TicketSub::History { no } => return history(&app, &store, &no),
        TicketSub::Print { no, output, form } => {
            return match form {
                FormArg::WorkOrder => super::files::print(&app, &mut store, &no, output),
                FormArg::SpecialCase => super::files::print_special_case(&app, &store, &no, output),
            };
        }
        TicketSub::Contact {
            no,
            result,
            note,
            expect,
        } => (no, Command::Contact { result, note }, expect),
        TicketSub::Unreachable { no, expect } => (no, Command::MarkUnreachable, expect),
        TicketSub::Promise {
            no,
            at,
            ptype,
            reason,
            expect,
        } => (
            no,
            Command::Promise {
                at: parse_time_flag(&app, "--at", &at)?,
                ptype,
                reason,
            },
            expect,
        ),
        TicketSub::PhoneResolve { no, kind, expect } => {
            (no, Command::PhoneResolve { kind }, expect)
        }
        TicketSub::Parts {
            no,
            order,
            part,
            qty,
            eta,
            expect,
        } => (
            no,
            Command::OrderParts {
                order,
                part,
                qty,
                eta: eta
                    .map(|e| parse_time_flag(&app, "--eta", &e))
                    .transpose()?,
            },
            expect,
        ),
        TicketSub::PartsArrived { no, order, expect } => {
            (no, Command::PartsArrived { order }, expect)
        }
        TicketSub::Dispatch {
            no,
            engineer,
            site,
            override_reason,
            expect,
        } => (
            no,
            Command::Dispatch {
                engineer,
                site,
                override_reason,
            },
            expect,
        ),
        TicketSub::Visit {
            no,
            result,
            arrived,
            done,
            next,
            note,
            expect,
        } => (
            no,
            Command::Visit {
                result,
                arrived: arrived
                    .map(|a| parse_time_flag(&app, "--arrived", &a))
                    .transpose()?,
                done: done
                    .map(|d| parse_time_flag(&app, "--done", &d))
                    .transpose()?,
                next: next
                    .map(|n| parse_time_flag(&app, "--next", &n))
                    .transpose()?,
                note,
            },
            expect,
        ),
        TicketSub::Repair {
            no,
            result,
            by,
            done,
            note,
            expect,
        } => (
            no,
            Command::Repair {
                result,
                by,
                done: done
                    .map(|d| parse_time_flag(&app, "--done", &d))
                    .transpose()?,
                note,
            },
            expect,
        ),
        TicketSub::Close {
            no,
            signed_by,
            returned_parts,
            not_returned,
            charge,
            expect,
        } => (
            no,
            Command::Close {
                signed_by,
                returned_parts,
                not_returned: not_returned
                    .iter()
                    .map(|n| parse_not_returned(n))
                    .collect::<Result<_, _>>()?,
                charge,
            },
            expect,
        ),
        TicketSub::Cancel {
            no,
            reason,
            note,
            expect,
        } => (no, Command::RequestCancel { reason, note }, expect),
        TicketSub::CancelDecision {
            no,
            approve,
            reject: _,
            by,
            expect,
        } => (no, Command::DecideCancel { approve, by }, expect),
        TicketSub::NotifyRegion {
            no,
            commission,
            expect,
        } => (no, Command::NotifyRegion { commission }, expect),
        TicketSub::Followup {
            no,
            result,
            reopen,
            expect,
        } => (no, Command::Followup { result, reopen }, expect),
        TicketSub::Quote { no, amount, expect } => (no, Command::Quote { amount }, expect),
        TicketSub::Edit(edit) => {
            let EditArgs {
                no,
                customer,
                phones,
                address,
                district,
                product_line,
                model,
                serial,
                warranty,
                fault_class,
                note,
                ticket_no,
                source,
                t1,
                t2,
                t3,
                t4,
                expect,
            } = *edit;
            let phones = (!phones.is_empty()).then(|| phones.join("/"));
            let warranty = warranty.map(|x| x.code().to_string());
            let fault_class = fault_class.map(|x| x.code().to_string());
            // The fixed fields go first so that naming one is refused (R19)
            // whatever else the command corrects.
            let fields: Vec<(Field, String)> = [
                (Field::TicketNo, ticket_no),
                (Field::Source, source),
                (Field::T1, t1),
                (Field::T2, t2),
                (Field::T3, t3),
                (Field::T4, t4),
                (Field::Customer, customer),
                (Field::Phones, phones),
                (Field::Address, address),
                (Field::District, district),
                (Field::ProductLine, product_line),
                (Field::Model, model),
                (Field::Serial, serial),
                (Field::Warranty, warranty),
                (Field::FaultClass, fault_class),
                (Field::Note, note),
            ]
            .into_iter()
            .filter_map(|(f, v)| v.map(|v| (f, v)))
            .collect();
            (no, Command::Edit { fields }, expect)
        }
        TicketSub::Escalate { no, note, expect } => (no, Command::Escalate { note }, expect),
        TicketSub::Appoint {
            no,
            at,
            note,
            expect,
        } => (
            no,
            Command::Appoint {
                at: parse_time_flag(&app, "--at", &at)?,
                note,
            },
            expect,
        ),
        TicketSub::SpecialCase { no, note, expect } => (no, Command::SpecialCase { note }, expect),
    };
    let out = store
        .execute(no.trim(), &cmd, &app.env(), expect.expect_version)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    report(&app, &out, false)
}

/// `CODE=REASON` of `--not-returned`.
fn parse_not_returned(text: &str) -> Result<NotReturned, CliError> {
    match text.split_once(['=', '＝']) {
        Some((part, reason)) if !part.trim().is_empty() => Ok(NotReturned {
            part: part.to_string(),
            reason: reason.to_string(),
        }),
        _ => Err(CliError::usage(format!(
            "--not-returned: '{text}' is not CODE=REASON, e.g. 5B20S=用户保留旧件"
        ))),
    }
}

/// What a successful change prints: the new state in one line, warnings on stderr.
fn report(app: &App, out: &Outcome, created: bool) -> CliResult {
    for w in &out.warnings {
        crate::errln!("{}", terminal_safe(&w.render(app.lang)));
    }
    let t = &out.ticket;
    if app.json {
        return print_json(&present::ticket_json(&app.calendar, t, true));
    }
    if created {
        crate::outln!("{}", t.ticket_no);
        return Ok(());
    }
    let what: Vec<String> = out
        .events
        .iter()
        .map(|e| describe(&app.calendar, e, app.lang))
        .collect();
    crate::outln!(
        "{}  {}  [{}]",
        terminal_safe(&t.ticket_no),
        terminal_safe(&what.join("; ")),
        t.status.name(app.lang)
    );
    Ok(())
}

fn show(app: &App, store: &Store, no: &str) -> CliResult {
    let t = store
        .get(no.trim())
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let next = app.next_step(&t, app.now());
    if app.json {
        return print_json(&with_next_step(
            present::ticket_json(&app.calendar, &t, true),
            next,
        ));
    }
    let mut o = String::new();
    for sec in present::ticket::sections(&app.calendar, &t, next, app.lang) {
        for f in &sec.facts {
            let (label, value) = match sec.shape {
                Shape::Fields => (f.label.clone(), f.value.clone()),
                Shape::Entries => (sec.entry.clone(), format!("{}  {}", f.label, f.value)),
            };
            let pad = LABEL.saturating_sub(width(&label)).max(1);
            o.push_str(&format!("{label}{}{value}\n", " ".repeat(pad)));
        }
    }
    crate::out!("{o}");
    Ok(())
}

/// The label column of `ticket show`, in display columns.
const LABEL: usize = 14;

fn list(
    app: &App,
    store: &Store,
    statuses: Vec<String>,
    engineer: Option<String>,
    search: Option<String>,
    limit: usize,
) -> CliResult {
    let mut parsed = Vec::new();
    for s in &statuses {
        parsed.push(Status::parse(s).ok_or_else(|| {
            CliError::usage(format!(
                "--status: '{s}' is not a status; one of {}",
                Status::ALL
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?);
    }
    let open_only = parsed.iter().all(|s| !s.is_closed());
    let filter = ListFilter {
        statuses: parsed,
        open_only: statuses.is_empty(),
        engineer,
        search,
        // Open tickets are few: load them all and rank by urgency; closed
        // ones come newest page first from the store.
        limit: if open_only { None } else { Some(limit) },
    };
    let mut tickets = store
        .list(&filter)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    super::warn_damaged(store, app.lang);
    if open_only {
        sort_by_urgency(app, &mut tickets);
        tickets.truncate(limit);
    }
    if app.json {
        let v: Vec<_> = tickets
            .iter()
            .map(|t| {
                let next = app.next_step(t, app.now());
                with_next_step(present::ticket_json(&app.calendar, t, false), next)
            })
            .collect();
        return print_json(&serde_json::Value::Array(v));
    }
    // A region's desk names tickets `STATION/NUMBER`: the column widens
    // to the longest name (within reason) rather than cut the number.
    let no_width = tickets
        .iter()
        .map(|t| present::width::width(&t.ticket_no))
        .max()
        .unwrap_or(0)
        .clamp(18, 40);
    for t in &tickets {
        crate::outln!("{}", list_line(app, t, no_width));
    }
    if tickets.is_empty() {
        crate::errln!(
            "{}",
            app.lang.pick("没有符合条件的维修单", "no tickets match")
        );
    }
    Ok(())
}

/// Most urgent first (`sla::urgency_key`, as on the dashboard), then the oldest.
pub fn sort_by_urgency(app: &App, tickets: &mut [Ticket]) {
    use crate::domain::sla;
    let now = app.now();
    tickets.sort_by_cached_key(|t| {
        let top = sla::ticket_alerts(t, now, &app.settings, &app.calendar)
            .into_iter()
            .next();
        (
            sla::urgency_key(t, top.as_ref(), &app.settings, &app.calendar),
            t.t1,
            t.ticket_no.clone(),
        )
    });
}

/// `next_step`: what the ticket needs next (`null` once closed), as the
/// dashboard's row says it.
fn with_next_step(mut v: serde_json::Value, next: Option<NextStep>) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        o.insert("next_step".into(), next.map(NextStep::code).into());
    }
    v
}

fn list_line(app: &App, t: &Ticket, no_width: usize) -> String {
    let l = app.lang;
    let marks = present::markers(t);
    // What it needs next, as the dashboard's row says it.
    let step = app.next_step(t, app.now()).map_or("-", |s| s.name(l));
    let when = t
        .promised_at()
        .map(|p| format!("T3 {}", app.fmt(p)))
        .unwrap_or_else(|| format!("T1 {}", app.fmt(t.t1)));
    // Columns by display width: Chinese characters take two.
    format!(
        "{marks} {} {} {} {} {} {} {}",
        fit(&terminal_safe(&t.ticket_no), no_width),
        fit(t.status.name(l), 12),
        fit(&terminal_safe(&t.customer.name), 16),
        fit(step, 10),
        fit(t.service_type.name(l), 8),
        fit(&when, 20),
        terminal_safe(t.engineer.as_deref().unwrap_or("-"))
    )
}

fn history(app: &App, store: &Store, no: &str) -> CliResult {
    let events = store
        .history(no.trim())
        .map_err(|e| CliError::from_store(e, app.lang))?;
    if app.json {
        let v: Vec<_> = events
            .iter()
            .map(|e| present::event_json(&app.calendar, e))
            .collect();
        return print_json(&serde_json::Value::Array(v));
    }
    for e in &events {
        let from = e.from.map(|s| s.name(app.lang)).unwrap_or("—");
        crate::outln!(
            "{}  {:<10} {} → {}  {}{}",
            app.fmt(e.at),
            terminal_safe(&e.actor),
            from,
            e.to.name(app.lang),
            terminal_safe(&describe(&app.calendar, e, app.lang)),
            present::recorded_note(&app.calendar, e, app.lang)
        );
    }
    Ok(())
}
