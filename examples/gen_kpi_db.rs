//! Fills a database with many tickets to measure the reports:
//! `cargo run --release --example gen_kpi_db -- DB TOTAL`.
//!
//! TOTAL tickets spread evenly over the 34 months from 2024-01 to 2026-10;
//! every ticket goes through promise, dispatch, visit and close (one in ten
//! of the last six weeks stays open). Goes through a store transaction (`Tx`), the domain path, in
//! one transaction.

use chrono::{Duration, TimeZone, Utc};
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::settings::Settings;
use repairdesk::domain::staff::StaffChange;
use repairdesk::domain::ticket::*;
use repairdesk::store::{Env, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: gen_kpi_db DB TOTAL")?;
    let total: i64 = args.get(2).map_or(Ok(1_000_000), |s| s.parse())?;
    let settings = Settings::default();
    let cal = settings.calendar();
    let mut store = Store::open(std::path::Path::new(path))?;
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .ok_or("start")?;
    let start_env = Env {
        now: start,
        recorded_at: start,
        actor: "gen",
        settings: &settings,
        calendar: &cal,
    };
    for name in ["王工", "李工"] {
        store.staff_change(&StaffChange::add(name, 1000), &start_env)?;
    }
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 1, 0, 0)
        .single()
        .ok_or("start")?;
    let span = Duration::days(34 * 30);
    let step = span.num_seconds() / total.max(1);
    let mut tx = store.begin()?;
    for i in 0..total {
        let t1 = start + Duration::seconds(i * step);
        let env = |now| Env {
            now,
            recorded_at: now,
            actor: "gen",
            settings: &settings,
            calendar: &cal,
        };
        let no = format!("GEN-{i:07}");
        tx.create(
            NewTicket {
                ticket_no: no.clone(),
                source: Source::Cc,
                t1,
                service_type: if i % 3 == 0 {
                    ServiceType::CarryIn
                } else {
                    ServiceType::Onsite
                },
                priority: Priority::Normal,
                special: false,
                urge: false,
                customer: Customer {
                    name: "张三".into(),
                    phones: vec!["13800138000".into()],
                    address: "海淀区中关村大街 1 号".into(),
                    district: "海淀区".into(),
                },
                product: Product::default(),
                fault: "不开机".into(),
                note: String::new(),
            },
            &env(t1),
        )?;
        // A realistic backlog: one in ten of the last six weeks' tickets
        // is still open.
        if i % 10 == 9 && t1 > start + span - Duration::days(42) {
            continue;
        }
        let h = |n: i64| t1 + Duration::hours(n);
        let steps = [
            (
                h(1),
                Command::Promise {
                    at: h(20 + i % 30),
                    ptype: None,
                    reason: None,
                },
            ),
            (
                h(2),
                Command::Dispatch {
                    engineer: if i % 2 == 0 { "王工" } else { "李工" }.into(),
                    site: None,
                    override_reason: Some("系统故障".into()),
                },
            ),
            (
                h(19 + i % 35),
                Command::Visit {
                    result: VisitResult::Fixed,
                    arrived: None,
                    done: None,
                    next: None,
                    note: String::new(),
                },
            ),
            (
                h(20 + i % 35),
                Command::Close {
                    signed_by: "张三".into(),
                    returned_parts: vec![],
                    not_returned: vec![],
                    charge: None,
                },
            ),
        ];
        for (at, cmd) in steps {
            tx.execute(&no, &cmd, &env(at), None)?;
        }
        if i % 100_000 == 0 {
            eprintln!("{i}");
        }
    }
    tx.commit()?;
    Ok(())
}
