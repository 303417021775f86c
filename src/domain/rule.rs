//! Rule ids of docs/process.md, and the refusal that names one.

use serde::Serialize;

use crate::domain::text::{Lang, Msg};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Rule {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R17,
    R18,
    R19,
    R20,
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    /// Who may do what: engineers record visits on their own tickets only.
    Role,
    /// Visits (docs/process.md "Visits"): the reported arrival and completion times.
    Visit,
    /// No process rule: the calendar itself (a year without a holiday table).
    Calendar,
    /// The carry-in (送修) path: repaired at the bench, never dispatched or visited.
    CarryIn,
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Role => f.write_str("role"),
            Rule::Calendar => f.write_str("—"),
            Rule::Visit => f.write_str("visits"),
            Rule::CarryIn => f.write_str("carry-in"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A fact a command lacked. The refusal names the fact; each front end says
/// how to give it (a flag on the command line, a field on the dashboard).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// When the ordered parts are expected (R6).
    PartsEta,
    /// Why an unprinted work order is dispatched: a system outage (R7).
    OutageReason,
    /// Who did a bench repair (R16).
    RepairedBy,
    /// What an out-of-warranty repair was charged (P5).
    Charge,
    /// Whether each received part's old part came back (R11).
    ReturnedParts,
    /// The special-case form, printed and submitted (R9).
    SpecialCaseForm,
}

/// A process rule said no. Nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub rule: Rule,
    pub msg: Msg,
    /// The fact that was missing, when one would have been allowed.
    #[serde(skip)]
    pub missing: Option<Missing>,
}

impl Refusal {
    pub fn new(
        rule: Rule,
        zh: impl Into<std::borrow::Cow<'static, str>>,
        en: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Refusal {
        Refusal {
            rule,
            msg: Msg::new(zh, en),
            missing: None,
        }
    }
    /// The refusal is about a missing fact.
    pub fn lacking(mut self, fact: Missing) -> Refusal {
        self.missing = Some(fact);
        self
    }
    /// `refused (R12): …` / `拒绝 (R12)：…`
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("拒绝 ({})：{}", self.rule, self.msg.zh),
            Lang::En => format!("refused ({}): {}", self.rule, self.msg.en),
        }
    }
}

/// Allowed, but the coordinator should know (e.g. R17 capacity).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub rule: Rule,
    pub msg: Msg,
}

impl Warning {
    pub fn new(
        rule: Rule,
        zh: impl Into<std::borrow::Cow<'static, str>>,
        en: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Warning {
        Warning {
            rule,
            msg: Msg::new(zh, en),
        }
    }
    pub fn render(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("注意 ({})：{}", self.rule, self.msg.zh),
            Lang::En => format!("warning ({}): {}", self.rule, self.msg.en),
        }
    }
}
