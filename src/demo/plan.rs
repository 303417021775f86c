//! A ticket's life as a timeline of domain commands: what the coordinator,
//! the engineer, the call centre and the region do, and when. The demo
//! runs every step through the store like a user would; steps later than
//! "now" have not happened yet, which is what leaves tickets open.

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Timelike};
use rand::RngExt;

use super::data::{self, Rng, pick};
use crate::domain::calendar::Calendar;
use crate::domain::command::Command;
use crate::domain::settings::Settings;
use crate::domain::ticket::*;

/// Who does a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Coordinator,
    Engineer(&'static str),
    CallCentre,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub at: Time,
    pub actor: Actor,
    pub cmd: Command,
}

/// How a ticket's story goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Contact, promise, print, dispatch, visit, close (R5, R7, R11).
    Service,
    /// Parts ordered first (R6), sometimes late (R8).
    Parts,
    /// Solved on the phone (R4).
    PhoneResolved,
    /// Nobody answers (R2).
    Unreachable,
    /// The number does not exist (R3).
    WrongNumber,
    /// The customer refuses the service plan on site (R9).
    Refused,
    /// Reported twice (R15).
    Duplicate,
}

/// What the plan needs to know about the ticket.
pub struct Spec {
    pub t1: Time,
    pub created: Time,
    pub scenario: Scenario,
    pub special: bool,
    pub emergency: bool,
    pub out_of_warranty: bool,
    pub customer: String,
    pub engineer: &'static str,
    /// 送修: repaired at the station's bench, collected by the customer.
    pub carry_in: bool,
}

pub struct Planner<'a> {
    pub settings: &'a Settings,
    pub cal: &'a Calendar,
}

fn mins(n: i64) -> Duration {
    Duration::minutes(n)
}

/// A timeline under construction: steps never go back in time.
struct Timeline<'a, 'r> {
    p: &'a Planner<'a>,
    rng: &'r mut Rng,
    steps: Vec<Step>,
    last: Time,
    promises: u8,
    /// The T3 in force: a new promise is never the same time again (the
    /// rules refuse writing it twice, R12).
    t3: Option<Time>,
}

impl Timeline<'_, '_> {
    /// The moment of the next step: `at`, or just after the previous one.
    fn when(&self, at: Time) -> Time {
        at.max(self.last + mins(1))
    }

    fn push(&mut self, at: Time, actor: Actor, mut cmd: Command) -> Time {
        let at = self.when(at);
        match &mut cmd {
            Command::Promise { at: t3, .. } | Command::Visit { next: Some(t3), .. } => {
                if self.t3 == Some(*t3) {
                    *t3 += mins(30);
                }
                self.t3 = Some(*t3);
            }
            _ => {}
        }
        if matches!(
            cmd,
            Command::Promise { .. }
                | Command::Visit { next: Some(_), .. }
                | Command::MarkUnreachable
                | Command::PhoneResolve { .. }
        ) {
            self.promises += 1;
        }
        self.last = at;
        self.steps.push(Step { at, actor, cmd });
        at
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..hi)
    }

    /// Where `t` falls against the hours `open`–`close` (local): `None`
    /// within them, else its local date and whether it is after `close`
    /// (or before `open`).
    fn outside_hours(&self, t: Time, open: (u32, u32), close: (u32, u32)) -> Option<Outside> {
        let local = self.p.cal.local(t);
        let time = local.time();
        let at = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        if time >= at(open) && time <= at(close) {
            return None;
        }
        let date = local.date_naive();
        Some(Outside {
            date,
            late: time > at(close),
            next: date.succ_opt().unwrap_or(date),
            previous: date.pred_opt().unwrap_or(date),
            hour: local.hour(),
            minute: local.minute(),
        })
    }

    /// Moves a moment into the coordinator's day (08:30–18:30).
    fn office(&mut self, t: Time) -> Time {
        let Some(o) = self.outside_hours(t, (8, 30), (18, 30)) else {
            return t;
        };
        let day = if o.late { o.next } else { o.date };
        let jitter = self.range(0, 50);
        at_local(self.p.cal.tz(), day, 8, 30).map_or(t, |s| s + mins(jitter))
    }

    /// Moves a moment outside the bench's day (09:00–18:30) back into the
    /// working hours of the day before it (a late evening: of that day),
    /// spread by its own hour and minute, without drawing from the
    /// generator: the rest of the station stays as it was.
    fn bench_hours(&self, t: Time) -> Time {
        let Some(o) = self.outside_hours(t, (9, 0), (18, 30)) else {
            return t;
        };
        let day = if o.late { o.date } else { o.previous };
        at_local(self.p.cal.tz(), day, 9 + o.hour % 9, o.minute).unwrap_or(t)
    }

    /// Moves a moment outside the bench's day (09:00–18:30) forward to the
    /// next opening (09:00–09:59, its own minute).
    fn bench_opens(&self, t: Time) -> Time {
        let Some(o) = self.outside_hours(t, (9, 0), (18, 30)) else {
            return t;
        };
        let day = if o.late { o.next } else { o.date };
        at_local(self.p.cal.tz(), day, 9, o.minute).unwrap_or(t)
    }

    /// A visit slot `days` days after `base`, on the half hour in working hours,
    /// at least an hour after `base`.
    fn slot(&mut self, base: Time, days: i64) -> Time {
        let tz = self.p.cal.tz();
        let date = self.p.cal.local(base).date_naive() + Duration::days(days);
        let hour = *pick(self.rng, &[9u32, 10, 10, 11, 13, 14, 14, 15, 16]);
        let half = if self.rng.random_bool(0.5) { 30 } else { 0 };
        let t = at_local(tz, date, hour, half).unwrap_or(base + Duration::days(days));
        if t < base + mins(60) {
            t + Duration::days(1)
        } else {
            t
        }
    }
}

impl Timeline<'_, '_> {
    /// An engineer's visit for a promised time, recorded as engineers do:
    /// most arrive a little before the promise, some late; the visit is
    /// typed in when it is done or hours later (Visits). Returns the
    /// moment it was recorded.
    fn visit(
        &mut self,
        engineer: &'static str,
        promised: Time,
        result: VisitResult,
        next: Option<Time>,
        note: &str,
    ) -> Time {
        let offset = if self.rng.random_bool(0.86) {
            -self.range(0, 45)
        } else {
            self.range(10, 100)
        };
        let arrived = (promised + mins(offset)).max(self.last + mins(1));
        let work = self.range(20, 110);
        let done = arrived + mins(work);
        // Most engineers report on completion; some an hour or so later.
        let typing = if self.rng.random_bool(0.75) {
            self.range(0, 15)
        } else {
            self.range(15, 90)
        };
        self.push(
            done + mins(typing),
            Actor::Engineer(engineer),
            Command::Visit {
                result,
                arrived: Some(arrived),
                done: Some(done),
                next,
                note: note.to_string(),
            },
        )
    }
}

impl Timeline<'_, '_> {
    /// A carry-in bench repair for an agreed collection time: usually
    /// ready hours before it, sometimes late. Returns when it was recorded.
    fn bench(
        &mut self,
        engineer: &'static str,
        collection: Time,
        result: RepairResult,
        note: &str,
    ) -> Time {
        let offset = if self.rng.random_bool(0.85) {
            -self.range(60, 20 * 60)
        } else {
            self.range(20, 6 * 60)
        };
        // Benches work in the day: a repair finished "overnight" was
        // finished the day before; one after a late event, the next morning.
        let done = self.bench_hours(collection + mins(offset));
        let done = self.bench_opens(done.max(self.last + mins(30)));
        let typing = self.range(0, 90);
        self.push(
            done + mins(typing),
            Actor::Engineer(engineer),
            Command::Repair {
                result,
                by: None,
                done: Some(done),
                note: note.to_string(),
            },
        )
    }
}

/// A moment outside given hours ([`Timeline::outside_hours`]).
struct Outside {
    date: NaiveDate,
    /// After the closing time (else before the opening).
    late: bool,
    next: NaiveDate,
    previous: NaiveDate,
    hour: u32,
    minute: u32,
}

fn at_local(tz: chrono_tz::Tz, d: NaiveDate, h: u32, m: u32) -> Option<Time> {
    tz.from_local_datetime(&d.and_hms_opt(h, m, 0)?)
        .earliest()
        .map(|t| t.to_utc())
}

impl Planner<'_> {
    pub fn plan(&self, rng: &mut Rng, s: &Spec) -> Vec<Step> {
        let mut tl = Timeline {
            p: self,
            rng,
            steps: Vec::new(),
            last: s.created,
            promises: 0,
            t3: None,
        };
        if s.special {
            // R14: tell the region within half a working day, usually.
            let d = if tl.rng.random_bool(0.85) {
                tl.range(10, 90)
            } else {
                tl.range(300, 900)
            };
            let commission = tl
                .rng
                .random_bool(0.3)
                .then(|| f64::from(tl.rng.random_range(20..80u32)) * 10.0);
            tl.push(
                s.created + mins(d),
                Actor::Coordinator,
                Command::NotifyRegion { commission },
            );
        }
        match s.scenario {
            Scenario::PhoneResolved => {
                let c = self.contact(&mut tl, s, false);
                let d = tl.range(5, 25);
                let kind = if tl.rng.random_bool(0.8) {
                    PhoneFix::Software
                } else {
                    PhoneFix::Other
                };
                let at = c + mins(d);
                tl.push(at, Actor::Coordinator, Command::PhoneResolve { kind });
                self.followup(&mut tl, s, None, None);
            }
            Scenario::WrongNumber => {
                let d = tl.range(10, 120);
                let at = tl.office(s.t1 + mins(d));
                let at = tl.push(
                    at,
                    Actor::Coordinator,
                    Command::Contact {
                        result: ContactResult::WrongNumber,
                        note: "拨打提示空号".into(),
                    },
                );
                tl.push(
                    at + mins(5),
                    Actor::Coordinator,
                    Command::RequestCancel {
                        reason: CancelReason::WrongNumber,
                        note: "电话号码不存在".into(),
                    },
                );
                self.region_decides(&mut tl, true);
            }
            Scenario::Duplicate => {
                let c = self.contact(&mut tl, s, false);
                tl.push(
                    c + mins(8),
                    Actor::Coordinator,
                    Command::RequestCancel {
                        reason: CancelReason::Duplicate,
                        note: "用户已通过其他渠道报修，重复派单".into(),
                    },
                );
                let approve = tl.rng.random_bool(0.85);
                self.region_decides(&mut tl, approve);
                if !approve {
                    // Not a duplicate after all: serve the customer.
                    let back = tl.last + mins(30);
                    self.service(&mut tl, s, back);
                }
            }
            Scenario::Unreachable => self.unreachable(&mut tl, s),
            Scenario::Service | Scenario::Parts | Scenario::Refused => {
                let c = self.contact(&mut tl, s, true);
                self.service(&mut tl, s, c);
            }
        }
        tl.steps
    }

    /// The first call, reached (R1); sometimes late.
    fn contact(&self, tl: &mut Timeline, s: &Spec, allow_late: bool) -> Time {
        let d = if s.emergency {
            tl.range(4, 25)
        } else if allow_late && tl.rng.random_bool(0.08) {
            tl.range(270, 540)
        } else {
            tl.range(8, 170)
        };
        let at = if s.emergency {
            s.created + mins(d)
        } else {
            tl.office(s.created + mins(d))
        };
        tl.push(
            at,
            Actor::Coordinator,
            Command::Contact {
                result: ContactResult::Reached,
                note: String::new(),
            },
        )
    }

    /// Promise, parts, print, dispatch, visit(s), close, follow-up.
    fn service(&self, tl: &mut Timeline, s: &Spec, contacted: Time) {
        let mut at = contacted;
        let quote = if s.out_of_warranty {
            let amount = f64::from(tl.rng.random_range(15..150u32)) * 10.0;
            let d = tl.range(3, 20);
            at = tl.push(at + mins(d), Actor::Coordinator, Command::Quote { amount });
            Some(amount)
        } else {
            None
        };
        let mut parts = Vec::new();
        let mut promise_at;
        if s.scenario == Scenario::Parts {
            let order = format!("DD{:08}", tl.rng.random_range(0..100_000_000u32));
            let part = pick(tl.rng, data::PARTS).to_string();
            let qty = if tl.rng.random_bool(0.1) { 2 } else { 1 };
            let days = tl.range(2, 6);
            let eta = tl.slot(at, days);
            at = tl.push(
                at + mins(4),
                Actor::Coordinator,
                Command::OrderParts {
                    order: order.clone(),
                    part: part.clone(),
                    qty,
                    eta: Some(eta),
                },
            );
            promise_at = tl.slot(eta, 1);
            at = tl.push(
                at + mins(3),
                Actor::Coordinator,
                Command::Promise {
                    at: promise_at,
                    ptype: None,
                    reason: None,
                },
            );
            let late = tl.rng.random_bool(0.3);
            let arrival = if late {
                // R8: the delivery date passes; tell the customer, write T32.
                let d = tl.range(120, 360);
                let delay = tl.range(1, 4);
                let arrival = tl.slot(eta, delay);
                let new_at = tl.slot(arrival, 1);
                tl.push(
                    eta + mins(d),
                    Actor::Coordinator,
                    Command::Promise {
                        at: new_at,
                        ptype: Some(PromiseType::Parts),
                        reason: None,
                    },
                );
                promise_at = new_at;
                arrival
            } else {
                let early = tl.range(0, 20 * 60);
                (eta - mins(early)).max(at + mins(60))
            };
            tl.push(arrival, Actor::Coordinator, Command::PartsArrived { order });
            parts.push(part);
        } else {
            promise_at = if s.emergency {
                let d = tl.range(60, 180);
                at + mins(d)
            } else {
                let days = *pick(tl.rng, &[0i64, 1, 1, 1, 2, 2, 3]);
                tl.slot(at, days)
            };
            tl.push(
                at + mins(3),
                Actor::Coordinator,
                Command::Promise {
                    at: promise_at,
                    ptype: None,
                    reason: None,
                },
            );
        }
        // R7: print (often the evening before), then dispatch.
        self.before_visit(tl, s, promise_at, 16 * 60);
        let mut visit_at = promise_at;
        if s.scenario == Scenario::Refused {
            let note = (*pick(
                tl.rng,
                &[
                    "用户不接受维修方案",
                    "用户拒绝更换主板，要求换机",
                    "用户不同意保外报价",
                ],
            ))
            .to_string();
            let at = tl.visit(s.engineer, visit_at, VisitResult::Refused, None, &note);
            // R9: the special-case form goes to the region with the request.
            let at = tl.push(
                at + mins(60),
                Actor::Coordinator,
                Command::SpecialCase { note },
            );
            tl.push(
                at + mins(30),
                Actor::Coordinator,
                Command::RequestCancel {
                    reason: CancelReason::Refused,
                    note: "已提交特殊情况说明表".into(),
                },
            );
            self.region_decides(tl, true);
            return;
        }
        // A carry-in machine not fixed at the first try: a new collection time.
        if s.carry_in && tl.promises < 3 && tl.rng.random_bool(0.1) {
            let at = tl.bench(s.engineer, visit_at, RepairResult::NotFixed, "需更换配件");
            let days = tl.range(1, 3);
            let next = tl.slot(at, days);
            tl.push(
                at + mins(20),
                Actor::Coordinator,
                Command::Promise {
                    at: next,
                    ptype: Some(PromiseType::Other),
                    reason: Some("送修未修好，另约取机时间".into()),
                },
            );
            visit_at = next;
        }
        // Visits: now and then the customer is not at home; a note is left
        // and the customer names another time.
        if !s.carry_in && tl.promises < 3 && tl.rng.random_bool(0.05) {
            let days = tl.range(1, 3);
            let next = tl.slot(visit_at + Duration::hours(6), days);
            tl.visit(
                s.engineer,
                visit_at,
                VisitResult::NotHome,
                Some(next),
                "用户不在，门上留言",
            );
            visit_at = next;
        }
        // R10: some visits do not fix the machine.
        if !s.carry_in && tl.promises < 3 && tl.rng.random_bool(0.12) {
            let days = tl.range(1, 4);
            let next = tl.slot(visit_at + Duration::hours(6), days);
            tl.visit(
                s.engineer,
                visit_at,
                VisitResult::NotFixed,
                Some(next),
                "需更换配件后再次上门",
            );
            visit_at = next;
        }
        let closing = self.fix(tl, s, visit_at, "");
        tl.push(
            closing,
            Actor::Coordinator,
            Command::Close {
                signed_by: s.customer.clone(),
                returned_parts: parts,
                not_returned: Vec::new(),
                charge: quote,
            },
        );
        self.followup(tl, s, quote, Some(s.engineer));
    }

    /// The work order printed and the engineer sent before an onsite visit
    /// (R7); a carry-in machine waits at the bench instead.
    fn before_visit(&self, tl: &mut Timeline, s: &Spec, promised: Time, lead_max: i64) {
        if s.carry_in {
            return;
        }
        let before = tl.range(60, lead_max);
        let printed = tl.push(promised - mins(before), Actor::Coordinator, Command::Print);
        let d = tl.range(2, 20);
        tl.push(
            printed + mins(d),
            Actor::Coordinator,
            Command::Dispatch {
                engineer: s.engineer.to_string(),
                site: None,
                override_reason: None,
            },
        );
    }

    /// The repair that fixes the machine for a promised time: an onsite
    /// visit, or a carry-in bench repair and the customer collecting it.
    /// Returns the moment the ticket can be closed from.
    fn fix(&self, tl: &mut Timeline, s: &Spec, promised: Time, note: &str) -> Time {
        if s.carry_in {
            tl.bench(s.engineer, promised, RepairResult::Fixed, note);
            let d = tl.range(-30, 150);
            (promised + mins(d)).max(tl.last + mins(10))
        } else {
            let visited = tl.visit(s.engineer, promised, VisitResult::Fixed, None, note);
            let d = tl.range(5, 40);
            visited + mins(d)
        }
    }

    /// R13: the call centre calls back; an unsatisfied customer may get rework.
    fn followup(&self, tl: &mut Timeline, s: &Spec, quote: Option<f64>, eng: Option<&'static str>) {
        if !tl.rng.random_bool(0.85) {
            return;
        }
        let days = tl.range(1, 4);
        let h = tl.range(0, 6 * 60);
        let base = self.cal.local(tl.last).date_naive() + Duration::days(days);
        let at = at_local(self.cal.tz(), base, 10, 0).map_or(tl.last, |t| t + mins(h));
        let roll = tl.rng.random_range(0..100);
        let (result, reopen) = match roll {
            0..88 => (FollowupResult::Satisfied, false),
            88..95 => (
                FollowupResult::Unsatisfied,
                eng.is_some() && tl.promises < 3,
            ),
            _ => (FollowupResult::Unreachable, false),
        };
        let at = tl.push(at, Actor::CallCentre, Command::Followup { result, reopen });
        if !reopen {
            return;
        }
        if eng.is_none() {
            return;
        }
        let next = tl.slot(at, 1);
        tl.push(
            at + mins(40),
            Actor::Coordinator,
            Command::Promise {
                at: next,
                ptype: Some(PromiseType::Other),
                reason: Some("回访不满意，安排返修".into()),
            },
        );
        let closing = self.fix(tl, s, next, "返修完成");
        tl.push(
            closing,
            Actor::Coordinator,
            Command::Close {
                signed_by: s.customer.clone(),
                returned_parts: Vec::new(),
                not_returned: Vec::new(),
                charge: quote,
            },
        );
    }

    /// R15: the region decides one to four working days later.
    fn region_decides(&self, tl: &mut Timeline, approve: bool) {
        // Most decisions come within the working day the region is given
        // (R15); now and then one takes longer and is chased.
        let hours = if tl.rng.random_bool(0.1) {
            tl.range(9, 20)
        } else {
            tl.range(1, 8)
        };
        let days = hours as f64 / 8.5;
        let at = self.cal.add_working_days(tl.last, days);
        let by = pick(tl.rng, data::REGION).to_string();
        tl.push(
            at,
            Actor::Coordinator,
            Command::DecideCancel { approve, by },
        );
    }

    /// R2: calls, the special T31, then reached later or chased and cancelled.
    fn unreachable(&self, tl: &mut Timeline, s: &Spec) {
        let no_answer = |note: &str| Command::Contact {
            result: ContactResult::NoAnswer,
            note: note.to_string(),
        };
        let d = tl.range(10, 40);
        let first = tl.office(s.created + mins(d));
        let a = tl.push(first, Actor::Coordinator, no_answer("无人接听"));
        let d = tl.range(60, 100);
        tl.push(a + mins(d), Actor::Coordinator, no_answer("无人接听"));
        let sla = &self.settings.sla;
        let earliest = sla.deadline(
            self.cal,
            sla.clocks.unreachable,
            s.t1,
            sla.unreachable_after,
        );
        let d = tl.range(5, 40);
        let marked = tl.push(
            earliest + mins(d),
            Actor::Coordinator,
            Command::MarkUnreachable,
        );
        if tl.rng.random_bool(0.55) {
            // Reached on a later call: T32 is written normally.
            let next_day = self.cal.next_working_start(marked + Duration::hours(12));
            let d = tl.range(10, 200);
            let reached = tl.push(
                next_day + mins(d),
                Actor::Coordinator,
                Command::Contact {
                    result: ContactResult::Reached,
                    note: "用户回电".into(),
                },
            );
            self.service_after_reach(tl, s, reached);
            return;
        }
        // Chase: the configured calls a working day, for the configured days.
        let mut day = self.cal.local(marked).date_naive();
        let mut chased = 0;
        let mut looked = 0;
        while chased < sla.chase_days && looked < 60 {
            looked += 1;
            day = day.succ_opt().unwrap_or(day);
            if !self.cal.is_working_day(day) {
                continue;
            }
            chased += 1;
            let per_day = sla.chase_calls_per_day.max(1);
            let step = (8 * 60) / i64::from(per_day);
            for k in 0..per_day {
                let t = at_local(self.cal.tz(), day, 9, 5).map(|t| t + mins(step * i64::from(k)));
                if let Some(t) = t {
                    tl.push(t, Actor::Coordinator, no_answer("连续联系未接通"));
                }
            }
        }
        let due = self.cal.add_working_days(s.t1, sla.cancel_after_workdays);
        tl.push(
            due + mins(10),
            Actor::Coordinator,
            Command::RequestCancel {
                reason: CancelReason::Unreachable,
                note: "连续多个工作日联系未接通".into(),
            },
        );
        self.region_decides(tl, true);
    }

    fn service_after_reach(&self, tl: &mut Timeline, s: &Spec, reached: Time) {
        // The next T3 after the special T31 needs a type and reason (R2, R10).
        let days = tl.range(1, 3);
        let at = tl.slot(reached, days);
        tl.push(
            reached + mins(5),
            Actor::Coordinator,
            Command::Promise {
                at,
                ptype: Some(PromiseType::Customer),
                reason: Some("用户此前无法联系，已约定上门时间".into()),
            },
        );
        self.before_visit(tl, s, at, 12 * 60);
        let closing = self.fix(tl, s, at, "");
        tl.push(
            closing,
            Actor::Coordinator,
            Command::Close {
                signed_by: s.customer.clone(),
                returned_parts: Vec::new(),
                not_returned: Vec::new(),
                charge: None,
            },
        );
        self.followup(tl, s, None, Some(s.engineer));
    }
}
