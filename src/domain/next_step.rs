//! What an open ticket needs next, in the order the process asks for it
//! (docs/process.md): the dashboard shows it beside the nearest deadline, so a
//! row says what to do and not only how late it is; `ticket show` and
//! `ticket list` say the same from this one function.

use super::calendar::Calendar;
use super::settings::Sla;
use super::text::Lang;
use super::ticket::{ContactResult, Status, Ticket, Time, VisitResult, Warranty};

/// The next thing to do on an open ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// Reach the customer (R1–R3); after R2's unreachable marking, keep calling.
    Contact,
    /// Write the next T3 (R5, R6, R10; carry-in: the collection time).
    Promise,
    /// The three T3 writes are used: escalate to the region (R12).
    Escalate,
    /// Escalated: record the visit time agreed afterwards (R12).
    Appoint,
    /// Tell the region about a special customer (R14).
    NotifyRegion,
    /// The region has not decided a cancellation request yet (R15).
    ChaseRegion,
    /// The customer refused the service plan: submit the special-case form (R9).
    SpecialCase,
    /// Ask the region to cancel (R2 unreachable past the limit, R3 wrong
    /// number, R9 refused).
    Cancel,
    /// Out of warranty: the customer approves a quote before the repair (P5).
    Quote,
    /// Ordered parts are not delivered yet (R6, R8).
    Parts,
    /// Print the work order before dispatch (R7).
    Print,
    /// Send an engineer (R7, R16, R17).
    Dispatch,
    /// The engineer's visit (R9–R11).
    Visit,
    /// The bench repair of a carried-in (送修) machine.
    Repair,
    /// Fixed on site: close with the customer's signature (R11).
    Sign,
    /// Carry-in, repaired: the customer collects and signs (R11, T4).
    Collect,
}

impl NextStep {
    /// Every step, for widths and tests.
    pub const ALL: [NextStep; 16] = [
        NextStep::Contact,
        NextStep::Promise,
        NextStep::Escalate,
        NextStep::Appoint,
        NextStep::NotifyRegion,
        NextStep::ChaseRegion,
        NextStep::SpecialCase,
        NextStep::Cancel,
        NextStep::Quote,
        NextStep::Parts,
        NextStep::Print,
        NextStep::Dispatch,
        NextStep::Visit,
        NextStep::Repair,
        NextStep::Sign,
        NextStep::Collect,
    ];

    /// A word or two, short enough for a column.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            NextStep::Contact => lang.pick("联系", "contact"),
            NextStep::Promise => lang.pick("承诺", "promise"),
            NextStep::Escalate => lang.pick("升级大区", "escalate"),
            NextStep::Appoint => lang.pick("约定", "appoint"),
            NextStep::NotifyRegion => lang.pick("报大区", "notify rg"),
            NextStep::ChaseRegion => lang.pick("催大区", "chase rg"),
            NextStep::SpecialCase => lang.pick("特殊表", "case form"),
            NextStep::Cancel => lang.pick("申请撤单", "cancel"),
            NextStep::Quote => lang.pick("报价", "quote"),
            NextStep::Parts => lang.pick("等备件", "parts"),
            NextStep::Print => lang.pick("打印", "print"),
            NextStep::Dispatch => lang.pick("派工", "dispatch"),
            NextStep::Visit => lang.pick("上门", "visit"),
            NextStep::Repair => lang.pick("维修", "repair"),
            NextStep::Sign => lang.pick("签字", "sign"),
            NextStep::Collect => lang.pick("取机", "collect"),
        }
    }
}

impl NextStep {
    /// The name in `--json` output.
    pub fn code(self) -> &'static str {
        match self {
            NextStep::Contact => "contact",
            NextStep::Promise => "promise",
            NextStep::Escalate => "escalate",
            NextStep::Appoint => "appoint",
            NextStep::NotifyRegion => "notify_region",
            NextStep::ChaseRegion => "chase_region",
            NextStep::SpecialCase => "special_case",
            NextStep::Cancel => "request_cancel",
            NextStep::Quote => "quote",
            NextStep::Parts => "parts",
            NextStep::Print => "print",
            NextStep::Dispatch => "dispatch",
            NextStep::Visit => "visit",
            NextStep::Repair => "repair",
            NextStep::Sign => "sign",
            NextStep::Collect => "collect",
        }
    }
}

/// What the ticket needs next at `now`; `None` once it is closed. The
/// calendar and the deadlines answer R2: a customer still unreachable
/// `cancel_after_workdays` working days after T1 goes to the region.
pub fn next_step(t: &Ticket, now: Time, cal: &Calendar, sla: &Sla) -> Option<NextStep> {
    if t.status.is_closed() {
        return None;
    }
    if t.status == Status::CancelRequested {
        return Some(NextStep::ChaseRegion);
    }
    // R14: half a working day, the shortest clock a new ticket can carry
    // beside R1's four hours.
    if t.special && t.progress.region_notified_at.is_none() {
        return Some(NextStep::NotifyRegion);
    }
    if t.fixed_at().is_some() {
        if t.is_carry_in() {
            // The collection time is T3 for a carry-in (R5 before closing).
            return Some(if t.promised_at().is_some() {
                NextStep::Collect
            } else {
                NextStep::Promise
            });
        }
        return Some(NextStep::Sign);
    }
    // R9: a refusal goes to the region with the special-case form.
    if t.progress.refused_at.is_some() {
        return Some(if t.progress.special_case.is_some() {
            NextStep::Cancel
        } else {
            NextStep::SpecialCase
        });
    }
    // R3: the number does not exist.
    if t.progress
        .contacts
        .last()
        .is_some_and(|c| c.result == ContactResult::WrongNumber)
    {
        return Some(NextStep::Cancel);
    }
    // R2: still unreachable at the limit: the region cancels (R15).
    if t.still_unreachable_since().is_some() && now >= sla.unreachable_cancel_from(cal, t.t1) {
        return Some(NextStep::Cancel);
    }
    if t.promises().is_empty() || t.is_unreachable() {
        // R2: after the unreachable marking only a later reached call counts.
        let since = t.progress.unreachable_at;
        let reached = t
            .progress
            .contacts
            .iter()
            .any(|c| c.result == ContactResult::Reached && since.is_none_or(|u| c.at > u));
        return Some(if reached {
            NextStep::Promise
        } else {
            NextStep::Contact
        });
    }
    if time_spent(t) {
        return Some(next_time(t));
    }
    if t.open_parts().next().is_some() {
        return Some(NextStep::Parts);
    }
    // P5: the bench repairs an out-of-warranty machine only on an approved
    // quote; on site the engineer may inspect first, and once a visit has
    // looked at it the quote comes before the next one.
    let quote_due = t.product.warranty == Warranty::Out && t.progress.quote.is_none();
    if t.is_carry_in() {
        return Some(if quote_due {
            NextStep::Quote
        } else {
            NextStep::Repair
        });
    }
    if t.engineer.is_none() {
        // R7: printed, or the outage override recorded at dispatch.
        return Some(if t.printed_at.is_some() {
            NextStep::Dispatch
        } else {
            NextStep::Print
        });
    }
    if quote_due && !t.progress.visits.is_empty() {
        return Some(NextStep::Quote);
    }
    Some(NextStep::Visit)
}

/// When the time in force (the last T3 or appointment) was written.
fn time_written(t: &Ticket) -> Option<Time> {
    match (t.last_appointment(), t.last_promise()) {
        (Some(a), Some(p)) => Some(a.written_at.max(p.written_at)),
        (Some(a), None) => Some(a.written_at),
        (None, Some(p)) => Some(p.written_at),
        (None, None) => None,
    }
}

/// Has the agreed time been used up: a visit that did not fix the machine
/// (not fixed, customer not at home), or a reopening after the follow-up
/// (R10, R13), recorded after the time in force was written? A carry-in
/// bench repair that failed keeps its collection time: the bench tries again.
fn time_spent(t: &Ticket) -> bool {
    let Some(written) = time_written(t) else {
        return false;
    };
    let visited = t
        .progress
        .visits
        .iter()
        .any(|v| v.at > written && v.result != VisitResult::Fixed);
    let reopened = t.progress.reopened_at.is_some_and(|r| r > written);
    visited || reopened
}

/// A new time: the next T3, or after T33 the escalation and then an
/// appointment (R12).
fn next_time(t: &Ticket) -> NextStep {
    if t.promises().len() < 3 {
        return NextStep::Promise;
    }
    let written = time_written(t);
    let escalated = t
        .progress
        .escalations
        .iter()
        .any(|e| written.is_none_or(|w| e.at > w));
    if escalated {
        NextStep::Appoint
    } else {
        NextStep::Escalate
    }
}
