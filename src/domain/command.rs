//! What a user can ask for. The command line and the dashboard both build
//! these and hand them to [`crate::store::Store::execute`]; there is no other
//! way to change a ticket.

use super::ticket::*;

/// The data of a new ticket: a call-centre dispatch row or a station ticket (R18).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewTicket {
    pub ticket_no: String,
    pub source: Source,
    /// For a call-centre ticket, from the dispatch file. For a station ticket
    /// it must be the moment of creation (R7/R18: no back-dating).
    pub t1: Time,
    pub service_type: ServiceType,
    pub priority: Priority,
    pub special: bool,
    pub urge: bool,
    pub customer: Customer,
    pub product: Product,
    pub fault: String,
    pub note: String,
}

/// Text as a command carries it: without surrounding blanks.
fn clean(s: &str) -> String {
    s.trim().to_string()
}

/// An optional text: trimmed, and nothing at all when only blanks were given.
fn clean_opt(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl NewTicket {
    /// The ticket as the rules read it: every text trimmed, blank phones
    /// dropped. [`crate::domain::rules::decide_new`] starts here, so every
    /// front end's input is read the same way.
    pub fn normalized(&self) -> NewTicket {
        NewTicket {
            ticket_no: clean(&self.ticket_no),
            customer: Customer {
                name: clean(&self.customer.name),
                phones: self
                    .customer
                    .phones
                    .iter()
                    .map(|p| clean(p))
                    .filter(|p| !p.is_empty())
                    .collect(),
                address: clean(&self.customer.address),
                district: clean(&self.customer.district),
            },
            product: Product {
                line: clean(&self.product.line),
                model: clean(&self.product.model),
                serial: clean(&self.product.serial),
                warranty: self.product.warranty,
            },
            fault: clean(&self.fault),
            note: clean(&self.note),
            ..self.clone()
        }
    }

    /// The fields `import --update` refreshes from a newer dispatch row,
    /// as corrections (R19).
    pub fn refreshable_fields(&self) -> Vec<(Field, String)> {
        vec![
            (Field::Customer, self.customer.name.clone()),
            (Field::Phones, self.customer.phones.join("/")),
            (Field::Address, self.customer.address.clone()),
            (Field::District, self.customer.district.clone()),
            (Field::ProductLine, self.product.line.clone()),
            (Field::Model, self.product.model.clone()),
            (Field::Serial, self.product.serial.clone()),
            (Field::Warranty, self.product.warranty.code().to_string()),
        ]
    }
}

/// A change asked of an existing ticket.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Log an attempt to reach the customer (R1–R3).
    Contact { result: ContactResult, note: String },
    /// The customer cannot be reached (R2): special T31.
    MarkUnreachable,
    /// Write the next T3 (R5, R8, R10, R12). Type and reason default sensibly.
    Promise {
        at: Time,
        ptype: Option<PromiseType>,
        reason: Option<String>,
    },
    /// Solved on the phone (R4).
    PhoneResolve { kind: PhoneFix },
    /// Order spare parts (R6).
    OrderParts {
        order: String,
        part: String,
        qty: u32,
        eta: Option<Time>,
    },
    /// Parts delivered (R8).
    PartsArrived { order: String },
    /// The work order was printed (R7).
    Print,
    /// Send an engineer (R7, R16, R17).
    Dispatch {
        engineer: String,
        site: Option<String>,
        override_reason: Option<String>,
    },
    /// An engineer's visit on site (R9, R10, R11), with the times the
    /// engineer reports: arrival (到场) and completion (完成), now when not given.
    Visit {
        result: VisitResult,
        arrived: Option<Time>,
        done: Option<Time>,
        next: Option<Time>,
        note: String,
    },
    /// A carry-in bench repair (送修): who did it (default: the acting
    /// engineer, else the ticket's) and when it was finished (default now).
    Repair {
        result: RepairResult,
        by: Option<String>,
        done: Option<Time>,
        note: String,
    },
    /// Resolve with the customer's signature (R11, P5).
    Close {
        signed_by: String,
        returned_parts: Vec<String>,
        /// Received parts not returned, with why (R11).
        not_returned: Vec<NotReturned>,
        charge: Option<f64>,
    },
    /// Ask the region to cancel (R15).
    RequestCancel { reason: CancelReason, note: String },
    /// The region's decision on a cancellation request (R15).
    DecideCancel { approve: bool, by: String },
    /// The region was told of a special customer (R14).
    NotifyRegion { commission: Option<f64> },
    /// The call centre's follow-up call (R13).
    Followup {
        result: FollowupResult,
        reopen: bool,
    },
    /// The customer approved a quote for an out-of-warranty repair (P5).
    Quote { amount: f64 },
    /// Correct the ticket (R19): each named field gets the new value; the
    /// same command carries `import --update`'s refreshed fields.
    Edit { fields: Vec<(Field, String)> },
    /// Record an escalation to the region once T33 is used (R12).
    Escalate { note: String },
    /// A visit time agreed after T33 (R12).
    Appoint { at: Time, note: String },
    /// The special-case form was submitted to the region (R9).
    SpecialCase { note: String },
}

impl Command {
    /// The command as the rules read it: every text trimmed, an optional
    /// text given as blanks is not given (`--site "  "`), blank list entries
    /// dropped. [`crate::domain::rules::decide`] starts here, so the command
    /// line, the dashboard and the importer are read the same way.
    pub fn normalized(&self) -> Command {
        use Command::*;
        match self {
            Contact { result, note } => Contact {
                result: *result,
                note: clean(note),
            },
            Promise { at, ptype, reason } => Promise {
                at: *at,
                ptype: *ptype,
                reason: clean_opt(reason),
            },
            OrderParts {
                order,
                part,
                qty,
                eta,
            } => OrderParts {
                order: clean(order),
                part: clean(part),
                qty: *qty,
                eta: *eta,
            },
            PartsArrived { order } => PartsArrived {
                order: clean(order),
            },
            Dispatch {
                engineer,
                site,
                override_reason,
            } => Dispatch {
                engineer: clean(engineer),
                site: clean_opt(site),
                override_reason: clean_opt(override_reason),
            },
            Visit {
                result,
                arrived,
                done,
                next,
                note,
            } => Visit {
                result: *result,
                arrived: *arrived,
                done: *done,
                next: *next,
                note: clean(note),
            },
            Repair {
                result,
                by,
                done,
                note,
            } => Repair {
                result: *result,
                by: clean_opt(by),
                done: *done,
                note: clean(note),
            },
            Close {
                signed_by,
                returned_parts,
                not_returned,
                charge,
            } => Close {
                signed_by: clean(signed_by),
                returned_parts: returned_parts
                    .iter()
                    .map(|p| clean(p))
                    .filter(|p| !p.is_empty())
                    .collect(),
                not_returned: not_returned
                    .iter()
                    .map(|n| NotReturned {
                        part: clean(&n.part),
                        reason: clean(&n.reason),
                    })
                    .collect(),
                charge: *charge,
            },
            RequestCancel { reason, note } => RequestCancel {
                reason: *reason,
                note: clean(note),
            },
            DecideCancel { approve, by } => DecideCancel {
                approve: *approve,
                by: clean(by),
            },
            Edit { fields } => Edit {
                fields: fields.iter().map(|(f, v)| (*f, clean(v))).collect(),
            },
            Escalate { note } => Escalate { note: clean(note) },
            Appoint { at, note } => Appoint {
                at: *at,
                note: clean(note),
            },
            SpecialCase { note } => SpecialCase { note: clean(note) },
            MarkUnreachable
            | PhoneResolve { .. }
            | Print
            | NotifyRegion { .. }
            | Followup { .. }
            | Quote { .. } => self.clone(),
        }
    }

    /// A short stable name, used in logs and the TUI.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Contact { .. } => "contact",
            Command::MarkUnreachable => "unreachable",
            Command::Promise { .. } => "promise",
            Command::PhoneResolve { .. } => "phone-resolve",
            Command::OrderParts { .. } => "parts",
            Command::PartsArrived { .. } => "parts-arrived",
            Command::Print => "print",
            Command::Dispatch { .. } => "dispatch",
            Command::Visit { .. } => "visit",
            Command::Repair { .. } => "repair",
            Command::Close { .. } => "close",
            Command::RequestCancel { .. } => "cancel",
            Command::DecideCancel { .. } => "cancel-decision",
            Command::NotifyRegion { .. } => "notify-region",
            Command::Followup { .. } => "followup",
            Command::Quote { .. } => "quote",
            Command::Edit { .. } => "edit",
            Command::Escalate { .. } => "escalate",
            Command::Appoint { .. } => "appoint",
            Command::SpecialCase { .. } => "special-case",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_read_without_surrounding_blanks() {
        let given = Command::Dispatch {
            engineer: " 王工\t".into(),
            site: Some("  总站 ".into()),
            override_reason: Some("   ".into()),
        };
        assert_eq!(
            given.normalized(),
            Command::Dispatch {
                engineer: "王工".into(),
                site: Some("总站".into()),
                override_reason: None,
            }
        );
        let close = Command::Close {
            signed_by: " 李娜 ".into(),
            returned_parts: vec![" 5B20 ".into(), "  ".into()],
            not_returned: vec![],
            charge: None,
        };
        assert_eq!(
            close.normalized(),
            Command::Close {
                signed_by: "李娜".into(),
                returned_parts: vec!["5B20".into()],
                not_returned: vec![],
                charge: None,
            }
        );
        // Already clean: unchanged.
        let clean = Command::Contact {
            result: ContactResult::Reached,
            note: "ok".into(),
        };
        assert_eq!(clean.normalized(), clean);
    }
}
