//! Events: what happened to a ticket. The history is append-only; the ticket
//! row is what [`apply`] makes of the events in order.

use serde::{Deserialize, Serialize};

use super::command::NewTicket;
use super::ticket::*;

/// One recorded change: who, when, what, and from which status to which.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened, as the process counts it (`--now` may set it).
    pub at: Time,
    /// When it was really written, from the system clock (R20). `decide`
    /// sets it to `at`; the store stamps the real moment as it writes.
    pub recorded_at: Time,
    pub actor: String,
    pub from: Option<Status>,
    pub to: Status,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Received {
        ticket: Box<NewTicket>,
        phone_invalid: bool,
        out_of_coverage: bool,
    },
    /// Written by earlier versions for `import --update`; read, never written.
    Refreshed {
        customer: Customer,
        product: Product,
        phone_invalid: bool,
        out_of_coverage: bool,
    },
    /// A correction (R19): each field with its old and new value.
    Corrected {
        corrections: Vec<Correction>,
        phone_invalid: bool,
        out_of_coverage: bool,
    },
    Escalated {
        note: String,
    },
    Appointed {
        appointment: Appointment,
    },
    SpecialCaseSubmitted {
        note: String,
    },
    ContactLogged {
        result: ContactResult,
        note: String,
    },
    MarkedUnreachable {
        promise: Promise,
    },
    Promised {
        promise: Promise,
    },
    PhoneResolved {
        promise: Promise,
    },
    PartsOrdered {
        order: PartsOrder,
    },
    PartsArrived {
        order: String,
    },
    Printed,
    Dispatched {
        engineer: String,
        site: Option<String>,
        override_reason: Option<String>,
    },
    Visited {
        visit: Visit,
        next: Option<Promise>,
        /// After T33, the next visit time is an appointment (R12).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appointment: Option<Appointment>,
    },
    Repaired {
        repair: BenchRepair,
    },
    Closed {
        signed_by: String,
        returned_parts: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        not_returned: Vec<NotReturned>,
        charge: Option<f64>,
        t4: Time,
    },
    CancelRequested {
        reason: CancelReason,
        note: String,
    },
    CancelDecided {
        approved: bool,
        by: String,
    },
    RegionNotified {
        commission: Option<f64>,
    },
    FollowedUp {
        result: FollowupResult,
        reopen: bool,
    },
    Quoted {
        amount: f64,
    },
}

impl Change {
    /// The stable kind name stored with the event.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Received { .. } => "received",
            Change::Refreshed { .. } => "refreshed",
            Change::Corrected { .. } => "corrected",
            Change::Escalated { .. } => "escalated",
            Change::Appointed { .. } => "appointed",
            Change::SpecialCaseSubmitted { .. } => "special_case_submitted",
            Change::ContactLogged { .. } => "contact_logged",
            Change::MarkedUnreachable { .. } => "marked_unreachable",
            Change::Promised { .. } => "promised",
            Change::PhoneResolved { .. } => "phone_resolved",
            Change::PartsOrdered { .. } => "parts_ordered",
            Change::PartsArrived { .. } => "parts_arrived",
            Change::Printed => "printed",
            Change::Dispatched { .. } => "dispatched",
            Change::Visited { .. } => "visited",
            Change::Repaired { .. } => "repaired",
            Change::Closed { .. } => "closed",
            Change::CancelRequested { .. } => "cancel_requested",
            Change::CancelDecided { .. } => "cancel_decided",
            Change::RegionNotified { .. } => "region_notified",
            Change::FollowedUp { .. } => "followed_up",
            Change::Quoted { .. } => "quoted",
        }
    }
}

/// The ticket a `Received` event creates.
pub fn create(event: &Event) -> Option<Ticket> {
    let Change::Received {
        ticket,
        phone_invalid,
        out_of_coverage,
    } = &event.change
    else {
        return None;
    };
    let n = ticket.as_ref().clone();
    Some(Ticket {
        ticket_no: n.ticket_no,
        source: n.source,
        status: event.to,
        service_type: n.service_type,
        priority: n.priority,
        special: n.special,
        urge: n.urge || n.special, // R14: a special customer's ticket carries an urge order
        phone_invalid: *phone_invalid,
        out_of_coverage: *out_of_coverage,
        customer: n.customer,
        product: n.product,
        fault: n.fault,
        note: n.note,
        t1: n.t1,
        t2: None,
        t4: None,
        engineer: None,
        site: None,
        printed_at: None,
        progress: Progress {
            last_event_at: Some(event.at),
            ..Progress::default()
        },
        version: 1,
        updated_at: event.at,
    })
}

/// Record a T3 write; the first one also sets T2.
fn write_promise(t: &mut Ticket, promise: &Promise) {
    if t.t2.is_none() {
        t.t2 = Some(promise.written_at);
    }
    t.progress.promises.push(promise.clone());
}

/// Applies one event to the ticket: the only place a ticket changes.
pub fn apply(t: &mut Ticket, event: &Event) {
    apply_change(t, &event.change, event.at);
    t.status = event.to;
    if event.to == Status::MultiRepair {
        t.progress.was_multi_repair = true;
    }
    t.progress.last_event_at = Some(event.at);
    t.updated_at = event.at;
    t.version += 1;
}

fn apply_change(t: &mut Ticket, change: &Change, at: Time) {
    let p = &mut t.progress;
    match change {
        Change::Received { .. } => {}
        Change::Refreshed {
            customer,
            product,
            phone_invalid,
            out_of_coverage,
        } => {
            t.customer = customer.clone();
            t.product = product.clone();
            t.phone_invalid = *phone_invalid;
            t.out_of_coverage = *out_of_coverage;
        }
        Change::Corrected {
            corrections,
            phone_invalid,
            out_of_coverage,
        } => {
            for c in corrections {
                correct(t, c);
            }
            t.phone_invalid = *phone_invalid;
            t.out_of_coverage = *out_of_coverage;
        }
        Change::Escalated { note } => p.escalations.push(Escalation {
            at,
            note: note.clone(),
        }),
        Change::Appointed { appointment } => p.appointments.push(appointment.clone()),
        Change::SpecialCaseSubmitted { note } => {
            p.special_case = Some(SpecialCase {
                at,
                note: note.clone(),
            })
        }
        Change::ContactLogged { result, note } => {
            p.contacts.push(Contact {
                at,
                result: *result,
                note: note.clone(),
            });
            if *result == ContactResult::WrongNumber {
                t.phone_invalid = true; // R3
            }
        }
        Change::MarkedUnreachable { promise } => {
            p.unreachable_at = Some(at);
            write_promise(t, promise);
        }
        Change::Promised { promise } => write_promise(t, promise),
        Change::PhoneResolved { promise } => {
            write_promise(t, promise);
            t.progress.closures += 1;
            t.t4 = Some(at);
        }
        Change::PartsOrdered { order } => p.parts.push(order.clone()),
        Change::PartsArrived { order } => {
            for o in p.parts.iter_mut().filter(|o| &o.order == order) {
                o.arrived_at.get_or_insert(at);
            }
        }
        Change::Printed => t.printed_at = Some(at),
        Change::Dispatched {
            engineer,
            site,
            override_reason,
        } => {
            t.engineer = Some(engineer.clone());
            t.site = site.clone();
            p.dispatched_at = Some(at);
            p.dispatch_override = override_reason.clone();
        }
        Change::Visited {
            visit,
            next,
            appointment,
        } => {
            if let Some(a) = appointment {
                p.appointments.push(a.clone());
            }
            if visit.result == VisitResult::Refused {
                p.refused_at = Some(at);
            }
            p.visits.push(visit.clone());
            if let Some(promise) = next {
                write_promise(t, promise);
            }
        }
        Change::Repaired { repair } => {
            t.engineer = Some(repair.by.clone());
            p.repairs.push(repair.clone());
        }
        Change::Closed {
            signed_by,
            returned_parts,
            not_returned,
            charge,
            t4,
        } => {
            p.signed_by = Some(signed_by.clone());
            p.returned_parts.extend(returned_parts.iter().cloned());
            p.not_returned_parts.extend(not_returned.iter().cloned());
            p.charge = *charge;
            p.closures += 1;
            t.t4 = Some(*t4);
        }
        Change::CancelRequested { reason, note } => {
            p.cancel = Some(Cancel {
                reason: *reason,
                note: note.clone(),
                requested_at: at,
                prior_status: t.status,
                decided_at: None,
                decided_by: None,
                approved: None,
            });
        }
        Change::CancelDecided { approved, by } => {
            if let Some(c) = p.cancel.as_mut() {
                c.decided_at = Some(at);
                c.decided_by = Some(by.clone());
                c.approved = Some(*approved);
            }
        }
        Change::RegionNotified { commission } => {
            p.region_notified_at.get_or_insert(at);
            if commission.is_some() {
                p.commission = *commission;
            }
        }
        Change::FollowedUp { result, reopen } => {
            p.followup = Some(Followup {
                at,
                result: *result,
                round: p.closures,
            });
            if *reopen {
                // R13: rework keeps the history; the ticket is open again.
                p.reopened += 1;
                p.reopened_at = Some(at);
                p.visits_before_reopen = p.visits.len();
                p.repairs_before_reopen = p.repairs.len();
                p.signed_by = None;
                p.charge = None;
                t.t4 = None;
            }
        }
        Change::Quoted { amount } => {
            p.quote = Some(Quote {
                amount: *amount,
                approved_at: at,
            });
        }
    }
}

/// Sets one corrected field (R19). The fixed fields never reach here:
/// `decide` refuses them.
fn correct(t: &mut Ticket, c: &Correction) {
    let v = c.new.clone();
    match c.field {
        Field::Customer => t.customer.name = v,
        Field::Phones => {
            t.customer.phones = v
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        }
        Field::Address => t.customer.address = v,
        Field::District => t.customer.district = v,
        Field::ProductLine => t.product.line = v,
        Field::Model => t.product.model = v,
        Field::Serial => t.product.serial = v,
        Field::Warranty => {
            if let Some(w) = Warranty::parse(&v) {
                t.product.warranty = w;
            }
        }
        Field::FaultClass => t.progress.fault_class = FaultClass::parse(&v),
        Field::Note => t.note = v,
        Field::TicketNo | Field::Source | Field::T1 | Field::T2 | Field::T3 | Field::T4 => {}
    }
}

/// What a ticket was received as, worked out from what it holds now: `now`
/// carries its fixed fields (number, source, T1, service type, priority,
/// fault) and its current customer, product and note; every correction in
/// `later` (the events after the `received` one, oldest first) is taken
/// back, newest first, to its old value. `None` when a `refreshed` event
/// (written by earlier versions, without the old values) is among them.
pub fn as_received(now: NewTicket, later: &[Event]) -> Option<NewTicket> {
    let mut n = now;
    for e in later.iter().rev() {
        match &e.change {
            Change::Refreshed { .. } => return None,
            Change::Corrected { corrections, .. } => {
                for c in corrections.iter().rev() {
                    take_back(&mut n, c);
                }
            }
            _ => {}
        }
    }
    Some(n)
}

/// A correction undone: the field gets its old value again.
fn take_back(n: &mut NewTicket, c: &Correction) {
    let v = c.old.clone();
    match c.field {
        Field::Customer => n.customer.name = v,
        Field::Phones => {
            n.customer.phones = v
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        }
        Field::Address => n.customer.address = v,
        Field::District => n.customer.district = v,
        Field::ProductLine => n.product.line = v,
        Field::Model => n.product.model = v,
        Field::Serial => n.product.serial = v,
        Field::Warranty => {
            if let Some(w) = Warranty::parse(&v) {
                n.product.warranty = w;
            }
        }
        Field::Note => n.note = v,
        Field::FaultClass
        | Field::TicketNo
        | Field::Source
        | Field::T1
        | Field::T2
        | Field::T3
        | Field::T4 => {}
    }
}

/// The status a workable ticket rests in, given its progress.
pub fn resting_status(t: &Ticket) -> Status {
    if t.open_parts().next().is_some() {
        Status::PartsPending
    } else if t.in_rework() {
        Status::MultiRepair
    } else if !t.progress.promises.is_empty() || t.engineer.is_some() {
        Status::InProgress
    } else {
        Status::Queued
    }
}
