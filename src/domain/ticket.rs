//! The ticket (维修单) and its parts, as docs/process.md describes them.
//!
//! A `Ticket` is the current picture of its events: it is only ever changed
//! by [`crate::domain::event::apply`], never edited field by field elsewhere.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type Time = DateTime<Utc>;

/// Declares a string-backed enum with its stored/JSON code and its Chinese and
/// English display names, so the three never drift apart.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant,)+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The stable code used in the database, JSON and on the command line.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code,)+ } }
            pub fn zh(self) -> &'static str { match self { $($name::$variant => $zh,)+ } }
            pub fn en(self) -> &'static str { match self { $($name::$variant => $en,)+ } }
            pub fn name(self, lang: crate::domain::text::Lang) -> &'static str {
                match lang { crate::domain::text::Lang::Zh => self.zh(), crate::domain::text::Lang::En => self.en() }
            }
            /// Accepts the code, the code with `-` for `_`, and both display names.
            pub fn parse(s: &str) -> Option<$name> {
                let t = s.trim();
                let norm = t.replace('-', "_").to_lowercase();
                $name::ALL.iter().copied().find(|v| v.code() == norm || v.zh() == t || v.en().eq_ignore_ascii_case(t))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}

named_enum! {
    /// 维修单状态 — where a ticket stands in the process.
    Status {
        Queued => "queued", "待处理", "Queued";
        InProgress => "in_progress", "处理中", "In progress";
        PartsPending => "parts_pending", "备件申领中", "Parts pending";
        MultiRepair => "multi_repair", "多次维修中", "Multi-repair";
        CancelRequested => "cancel_requested", "撤单申请中", "Cancel requested";
        Resolved => "resolved", "已解决", "Resolved";
        Cancelled => "cancelled", "已撤单", "Cancelled";
    }
}

impl Status {
    /// The four statuses shown as dashboard panes, in pane order.
    pub const PANES: [Status; 4] = [
        Status::Queued,
        Status::InProgress,
        Status::PartsPending,
        Status::MultiRepair,
    ];
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Resolved | Status::Cancelled)
    }
    /// Open and workable: not closed and not waiting for the region (R15).
    pub fn is_workable(self) -> bool {
        Status::PANES.contains(&self)
    }
}

named_enum! {
    /// 服务方式.
    ServiceType {
        Onsite => "onsite", "上门", "onsite";
        CarryIn => "carry_in", "送修", "carry-in";
    }
}

impl ServiceType {
    /// What the time point T2, T3 or T4 means for this service type
    /// (docs/process.md "Time points"), as (zh, en); empty for other numbers.
    pub fn time_point(self, n: u8) -> (&'static str, &'static str) {
        match (self, n) {
            (ServiceType::Onsite, 2) => ("与用户联系", "customer contacted"),
            (ServiceType::Onsite, 3) => ("承诺服务时间", "promised visit"),
            (ServiceType::Onsite, 4) => ("服务完成", "service completed"),
            (ServiceType::CarryIn, 2) => ("通知取机", "told to collect"),
            (ServiceType::CarryIn, 3) => ("约定取机时间", "agreed collection"),
            (ServiceType::CarryIn, 4) => ("取机签字", "collected and signed"),
            _ => ("", ""),
        }
    }
}

named_enum! {
    /// Priority; `emergency` sorts first and has a response target (P4).
    Priority {
        Normal => "normal", "普通", "normal";
        Urgent => "urgent", "紧急", "urgent";
        Emergency => "emergency", "特急", "emergency";
    }
}

named_enum! {
    /// 保修状态; out of warranty needs an approved quote (P5).
    Warranty {
        In => "in", "保内", "in";
        Out => "out", "保外", "out";
    }
}

named_enum! {
    /// Where the ticket came from: the call centre's dispatch or the station itself (R18).
    Source {
        Cc => "cc", "电话中心", "call centre";
        Station => "station", "站端", "station";
    }
}

named_enum! {
    /// What a T3 write records: a real time, or one of the CC's special T31 values (R2, R4).
    PromiseKind {
        Time => "time", "时间", "time";
        Unreachable => "unreachable", "无法联系", "unreachable";
        PhoneResolved => "phone_resolved", "电话解决", "phone resolved";
    }
}

named_enum! {
    /// The commitment type of a T3 write.
    PromiseType {
        Within => "within", "承诺时间内", "within";
        Customer => "customer", "用户原因", "customer";
        Parts => "parts", "备件原因", "parts";
        Other => "other", "其他原因", "other";
    }
}

named_enum! {
    /// Result of one attempt to reach the customer (R1–R3).
    ContactResult {
        Reached => "reached", "已联系", "reached";
        NoAnswer => "no_answer", "未接通", "no answer";
        WrongNumber => "wrong_number", "空号", "wrong number";
    }
}

named_enum! {
    /// Result of an engineer's visit (R9–R11).
    VisitResult {
        Fixed => "fixed", "已修复", "fixed";
        NotFixed => "not_fixed", "未修复", "not fixed";
        Refused => "refused", "用户拒绝", "refused";
        NotHome => "not_home", "用户不在", "customer not at home";
    }
}

impl VisitResult {
    /// Did the visit try to repair the machine (fixed or not)? A refusal
    /// or an absent customer says nothing about the machine (R9, R10).
    pub fn is_repair(self) -> bool {
        matches!(self, VisitResult::Fixed | VisitResult::NotFixed)
    }
}

named_enum! {
    /// Result of a carry-in bench repair (送修维修结果).
    RepairResult {
        Fixed => "fixed", "已修好", "fixed";
        NotFixed => "not_fixed", "未修好", "not fixed";
    }
}

named_enum! {
    /// Why the station asks the region to cancel (R15).
    CancelReason {
        WrongNumber => "wrong_number", "空号", "wrong number";
        Unreachable => "unreachable", "无法联系", "unreachable";
        Refused => "refused", "用户拒绝服务方案", "refused";
        Duplicate => "duplicate", "重复报修", "duplicate";
        Other => "other", "其他", "other";
    }
}

named_enum! {
    /// The call centre's follow-up call (回访, R13).
    FollowupResult {
        Satisfied => "satisfied", "满意", "satisfied";
        Unsatisfied => "unsatisfied", "不满意", "unsatisfied";
        Unreachable => "unreachable", "未接通", "unreachable";
    }
}

named_enum! {
    /// The fault class the coordinator judged (故障分类), corrected through R19.
    FaultClass {
        Hardware => "hardware", "硬件", "hardware";
        Software => "software", "软件", "software";
        Other => "other", "其他", "other";
    }
}

named_enum! {
    /// What a correction (修改维修单信息, R19) may name. The last six are
    /// named only to be refused: the ticket number, the source, T1 and the
    /// time points are never edited.
    Field {
        Customer => "customer", "用户姓名", "customer";
        Phones => "phones", "联系电话", "phones";
        Address => "address", "地址", "address";
        District => "district", "区县", "district";
        ProductLine => "product_line", "产品线", "product line";
        Model => "model", "机型", "model";
        Serial => "serial", "主机号", "serial";
        Warranty => "warranty", "保修状态", "warranty";
        FaultClass => "fault_class", "故障分类", "fault class";
        Note => "note", "备注", "note";
        TicketNo => "ticket_no", "维修单号", "ticket number";
        Source => "source", "来源", "source";
        T1 => "t1", "报修时间 T1", "T1";
        T2 => "t2", "T2", "T2";
        T3 => "t3", "T3", "T3";
        T4 => "t4", "T4", "T4";
    }
}

impl Field {
    /// The ticket number, source, T1 and the time points are never edited (R19).
    pub fn is_fixed(self) -> bool {
        matches!(
            self,
            Field::TicketNo | Field::Source | Field::T1 | Field::T2 | Field::T3 | Field::T4
        )
    }
}

/// One corrected field: what it was and what it is now (R19). Phones are
/// joined by `/`; warranty and fault class by their codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    pub field: Field,
    pub old: String,
    pub new: String,
}

named_enum! {
    /// Fault class for a phone resolution (R4).
    PhoneFix {
        Software => "software", "软件问题", "software";
        Other => "other", "其他问题", "other";
    }
}

impl PhoneFix {
    /// The exact reason texts the call centre expects (R4).
    pub fn reason(self) -> &'static str {
        match self {
            PhoneFix::Software => "软件问题,电话解决",
            PhoneFix::Other => "其他问题,电话解决",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    pub phones: Vec<String>,
    pub address: String,
    pub district: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub line: String,
    pub model: String,
    pub serial: String,
    pub warranty: Warranty,
}

impl Default for Product {
    fn default() -> Self {
        Product {
            line: String::new(),
            model: String::new(),
            serial: String::new(),
            warranty: Warranty::In,
        }
    }
}

/// One T3 write (T31, T32, T33).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    /// 1, 2 or 3 (R12).
    pub seq: u8,
    pub kind: PromiseKind,
    /// The promised time; `None` for the special kinds.
    pub at: Option<Time>,
    #[serde(rename = "type")]
    pub ptype: PromiseType,
    pub reason: String,
    /// When the coordinator wrote it.
    pub written_at: Time,
}

/// A spare-parts order (R6, R8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartsOrder {
    pub order: String,
    pub part: String,
    pub qty: u32,
    pub eta: Option<Time>,
    pub ordered_at: Time,
    pub arrived_at: Option<Time>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub at: Time,
    pub result: ContactResult,
    pub note: String,
}

/// One visit of an engineer on site (上门), or a carry-in bench repair, as
/// the engineer reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredVisit")]
pub struct Visit {
    /// When it was recorded.
    pub at: Time,
    pub engineer: String,
    pub result: VisitResult,
    pub note: String,
    /// 到场: the engineer arrived on site (a bench repair: when it started).
    pub arrived: Time,
    /// 完成: the visit (or bench repair) was finished; T4 when it fixed the machine (R11).
    pub done: Time,
}

/// A visit as stored: those recorded before arrival and completion times
/// existed read them as the moment they were recorded.
#[derive(Deserialize)]
struct StoredVisit {
    at: Time,
    engineer: String,
    result: VisitResult,
    #[serde(default)]
    note: String,
    arrived: Option<Time>,
    done: Option<Time>,
}

impl From<StoredVisit> for Visit {
    fn from(v: StoredVisit) -> Visit {
        Visit {
            at: v.at,
            engineer: v.engineer,
            result: v.result,
            note: v.note,
            arrived: v.arrived.unwrap_or(v.at),
            done: v.done.unwrap_or(v.at),
        }
    }
}

/// A received part whose faulty part was not returned (返还), and why (R11).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotReturned {
    pub part: String,
    pub reason: String,
}

/// A carry-in (送修) bench repair: the machine is repaired at the station,
/// so there is no site visit and no arrival, only who repaired it and when
/// it was finished (ready to collect when fixed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchRepair {
    /// When it was recorded.
    pub at: Time,
    pub by: String,
    pub result: RepairResult,
    pub note: String,
    /// When the bench work was finished; ready to collect from then when fixed.
    pub done: Time,
}

/// A cancellation request and the region's decision (R15).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cancel {
    pub reason: CancelReason,
    pub note: String,
    pub requested_at: Time,
    /// The status to return to if the region rejects the request.
    pub prior_status: Status,
    pub decided_at: Option<Time>,
    pub decided_by: Option<String>,
    pub approved: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Followup {
    pub at: Time,
    pub result: FollowupResult,
    /// Which closure it followed up (see [`Progress::closures`]).
    #[serde(default)]
    pub round: u32,
}

/// An escalation to the region once the three T3 writes are used (升级大区, R12).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    pub at: Time,
    pub note: String,
}

/// A visit time agreed after T33 (R12): it drives the engineer's day and the
/// alerts like a T3, but is never written back as one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub at: Time,
    pub note: String,
    pub written_at: Time,
}

/// The special-case form (特殊情况说明表) submitted to the region (R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpecialCase {
    pub at: Time,
    pub note: String,
}

/// An approved quote for an out-of-warranty repair (P5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub amount: f64,
    pub approved_at: Time,
}

/// The ticket's progress: everything that is not a plain column. Stored as
/// JSON without its empty fields, which read back as their defaults (a new
/// ticket stores ~40 bytes instead of ~420: a million-row import feels it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub promises: Vec<Promise>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartsOrder>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<Visit>,
    /// Carry-in bench repairs (never site visits).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<BenchRepair>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub returned_parts: Vec<String>,
    /// Received parts whose faulty part was not returned, with why (R11).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_returned_parts: Vec<NotReturned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel: Option<Cancel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followup: Option<Followup>,
    /// When the region was told of a special customer (R14).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_notified_at: Option<Time>,
    /// The region's commission order amount (委托单, R14).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commission: Option<f64>,
    /// The fault class the coordinator judged (R19).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault_class: Option<FaultClass>,
    /// Escalations to the region after T33 (R12).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
    /// Visit times agreed after T33 (R12).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub appointments: Vec<Appointment>,
    /// The special-case form's submission (R9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_case: Option<SpecialCase>,
    /// The override reason recorded when dispatching unprinted (R7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatch_override: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatched_at: Option<Time>,
    /// When the customer was marked unreachable (R2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable_at: Option<Time>,
    /// The customer refused the service plan (R9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_at: Option<Time>,
    /// How many times the ticket was reopened after follow-up (R13).
    #[serde(skip_serializing_if = "is_zero")]
    pub reopened: u32,
    /// When it was last reopened (R13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reopened_at: Option<Time>,
    /// How many visits there were when it was last reopened: those before
    /// no longer count as fixing the machine.
    #[serde(skip_serializing_if = "is_zero")]
    pub visits_before_reopen: usize,
    /// The same for carry-in bench repairs.
    #[serde(skip_serializing_if = "is_zero")]
    pub repairs_before_reopen: usize,
    /// How many times the ticket was resolved (closed or solved by phone).
    #[serde(skip_serializing_if = "is_zero")]
    pub closures: u32,
    /// The ticket has been in `multi_repair` at some point (first-visit fix rate).
    #[serde(skip_serializing_if = "is_false")]
    pub was_multi_repair: bool,
    /// When the last event was recorded (P2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_event_at: Option<Time>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// 维修单.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub ticket_no: String,
    pub source: Source,
    pub status: Status,
    pub service_type: ServiceType,
    pub priority: Priority,
    /// 特殊身份用户 (R14).
    pub special: bool,
    /// 催上门单 attached by the call centre.
    pub urge: bool,
    /// The phone number does not exist or cannot be a valid number (R3).
    pub phone_invalid: bool,
    /// The district is outside the station's coverage (R17).
    pub out_of_coverage: bool,
    pub customer: Customer,
    pub product: Product,
    pub fault: String,
    pub note: String,
    /// 报修时间; never edited.
    pub t1: Time,
    /// 与用户联系时间 / 通知取机时间; set by the first T3 write.
    pub t2: Option<Time>,
    /// 服务完成时间.
    pub t4: Option<Time>,
    pub engineer: Option<String>,
    pub site: Option<String>,
    pub printed_at: Option<Time>,
    pub progress: Progress,
    /// Bumped by every recorded change; a stale writer is refused (exit 5).
    pub version: i64,
    pub updated_at: Time,
}

impl Ticket {
    /// The T3 writes so far (T31, T32, T33).
    pub fn promises(&self) -> &[Promise] {
        &self.progress.promises
    }
    /// The latest T3 write.
    pub fn last_promise(&self) -> Option<&Promise> {
        self.progress.promises.last()
    }
    /// The latest promised time (T3 in force), ignoring the special T31 kinds.
    pub fn promised_at(&self) -> Option<Time> {
        self.last_promise().and_then(|p| p.at)
    }
    /// The latest appointment agreed after T33 (R12), if any.
    pub fn last_appointment(&self) -> Option<&Appointment> {
        self.progress.appointments.last()
    }
    /// When the engineer is next expected: the latest appointment after
    /// T33, else the T3 in force (R12). The engineer's day, P1, P2 and the
    /// promise alerts follow it; the write-back and the figures use the T3s.
    pub fn due_at(&self) -> Option<Time> {
        self.last_appointment()
            .map(|a| a.at)
            .or_else(|| self.promised_at())
    }
    pub fn is_phone_resolved(&self) -> bool {
        self.progress
            .promises
            .iter()
            .any(|p| p.kind == PromiseKind::PhoneResolved)
    }
    pub fn is_unreachable(&self) -> bool {
        self.last_promise()
            .is_some_and(|p| p.kind == PromiseKind::Unreachable)
    }
    /// When the customer was marked unreachable, while they still are (R2):
    /// not reached since the marking, and no cancellation for it refused by
    /// the region (then the station keeps calling and asks nothing again).
    pub fn still_unreachable_since(&self) -> Option<Time> {
        if !self.is_unreachable() {
            return None;
        }
        let marked = self.progress.unreachable_at?;
        let reached = self
            .progress
            .contacts
            .iter()
            .any(|c| c.at >= marked && c.result == ContactResult::Reached);
        let refused = self
            .progress
            .cancel
            .as_ref()
            .is_some_and(|c| c.requested_at >= marked && c.approved == Some(false));
        (!reached && !refused).then_some(marked)
    }
    /// Parts orders not yet delivered.
    pub fn open_parts(&self) -> impl Iterator<Item = &PartsOrder> {
        self.progress
            .parts
            .iter()
            .filter(|p| p.arrived_at.is_none())
    }
    pub fn is_carry_in(&self) -> bool {
        self.service_type == ServiceType::CarryIn
    }
    /// The latest visit that fixed or did not fix the machine, since the
    /// ticket was last reopened (R13).
    fn last_repair_visit(&self) -> Option<&Visit> {
        let since = self
            .progress
            .visits_before_reopen
            .min(self.progress.visits.len());
        self.progress.visits[since..]
            .iter()
            .rev()
            .find(|v| v.result.is_repair())
    }
    /// The latest bench repair since the ticket was last reopened (R13).
    pub fn last_bench_repair(&self) -> Option<&BenchRepair> {
        let since = self
            .progress
            .repairs_before_reopen
            .min(self.progress.repairs.len());
        self.progress.repairs[since..].last()
    }
    /// Is the machine still unfixed after a visit or bench repair, or
    /// reopened by an unsatisfied customer (R10, R13)?
    pub fn in_rework(&self) -> bool {
        let unfixed = if self.is_carry_in() {
            self.last_bench_repair()
                .map(|r| r.result == RepairResult::NotFixed)
        } else {
            self.last_repair_visit()
                .map(|v| v.result == VisitResult::NotFixed)
        };
        unfixed.unwrap_or(self.progress.reopened_at.is_some())
    }
    /// The visit that fixed the machine, if the latest repair visit did (R11).
    pub fn fixed_visit(&self) -> Option<&Visit> {
        self.last_repair_visit()
            .filter(|v| v.result == VisitResult::Fixed)
    }
    /// When the machine was fixed (the fixing visit's completion, or the
    /// carry-in bench repair's), if the latest repair fixed it.
    pub fn fixed_at(&self) -> Option<Time> {
        if self.is_carry_in() {
            self.last_bench_repair()
                .filter(|r| r.result == RepairResult::Fixed)
                .map(|r| r.done)
        } else {
            self.fixed_visit().map(|v| v.done)
        }
    }
    /// Received parts not yet accounted for: neither returned (返还) nor
    /// recorded as not returned with a reason (R11). One code per part.
    pub fn parts_to_account(&self) -> Vec<String> {
        let p = &self.progress;
        let mut codes: Vec<String> = Vec::new();
        for o in p.parts.iter().filter(|o| o.arrived_at.is_some()) {
            let accounted = p.returned_parts.contains(&o.part)
                || p.not_returned_parts.iter().any(|n| n.part == o.part);
            if !accounted && !codes.contains(&o.part) {
                codes.push(o.part.clone());
            }
        }
        codes
    }
    pub fn first_phone(&self) -> &str {
        self.customer
            .phones
            .first()
            .map(String::as_str)
            .unwrap_or("")
    }
}
