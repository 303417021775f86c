//! The database the benchmarks run against: `REPAIRDESK_BENCH_DB` (e.g. the
//! million-ticket demo made by `scripts/bench.sh`), or a small station built
//! here so that `cargo bench` works from a clean checkout.
//!
//! `REPAIRDESK_NOW` fixes the moment the benchmarks take as now (alerts
//! depend on it); without it, the last change recorded in the database.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::Duration;
use repairdesk::app::App;
use repairdesk::config::Settings;
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::ticket::*;
use repairdesk::store::{self, Env, Store, from_ts};
use repairdesk::text::Lang;

pub struct Fixture {
    pub path: PathBuf,
    pub now: Time,
    _dir: Option<tempfile::TempDir>,
}

/// Tickets in the database built when `REPAIRDESK_BENCH_DB` is not set.
const SMALL: usize = 20_000;

impl Fixture {
    pub fn get() -> Fixture {
        match std::env::var_os("REPAIRDESK_BENCH_DB") {
            Some(p) => {
                let path = PathBuf::from(p);
                let now = now_of(&path);
                Fixture {
                    path,
                    now,
                    _dir: None,
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("bench.db");
                let now = station_now();
                build_small(&path, SMALL, now);
                Fixture {
                    path,
                    now,
                    _dir: Some(dir),
                }
            }
        }
    }

    /// A private copy, for benchmarks that write.
    pub fn copy(&self) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("copy.db");
        // Everything into the main file first, then a plain file copy.
        let src = rusqlite::Connection::open(&self.path).expect("open for copy");
        src.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        std::fs::copy(&self.path, &path).expect("copy database");
        Fixture {
            path,
            now: self.now,
            _dir: Some(dir),
        }
    }

    pub fn app(&self) -> App {
        App::new(
            Settings::default(),
            Box::new(FixedClock(self.now)),
            "协调员".into(),
            Lang::Zh,
            self.path.clone(),
        )
    }

    pub fn store(&self) -> Store {
        Store::open(&self.path).expect("open benchmark database")
    }
}

/// What a coordinator would type to find the newest open ticket: the first
/// two characters of the customer's name, the last four digits of the
/// phone, the serial.
pub fn sample_terms(store: &Store) -> (String, String, String) {
    let (name, phones, serial): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT customer_name, phones, serial FROM tickets
             WHERE status NOT IN ('resolved', 'cancelled') ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("an open ticket");
    let name: String = name.chars().take(2).collect();
    let first = phones.split('/').next().unwrap_or_default();
    let phone = first[first.len().saturating_sub(4)..].to_string();
    (name, phone, serial)
}

fn now_of(path: &Path) -> Time {
    if let Ok(s) = std::env::var("REPAIRDESK_NOW")
        && let Ok(t) =
            repairdesk::domain::when::parse_datetime(&s, Settings::default().calendar().tz())
    {
        return t;
    }
    let s = Store::open(path).expect("open benchmark database");
    let last: i64 = s
        .conn()
        .query_row(
            "SELECT COALESCE(MAX(updated_at), 0) FROM tickets",
            [],
            |r| r.get(0),
        )
        .expect("latest change");
    from_ts(last)
}

/// Thursday 2026-11-26 11:30 station time.
fn station_now() -> Time {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 26, 11, 30, 0)
        .single()
        .expect("valid time")
        .with_timezone(&chrono::Utc)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "桂英", "建国", "志红", "子轩", "欣怡", "雨涵", "一诺", "思远",
];
const ROADS: &[&str] = &[
    "建国路",
    "朝阳北路",
    "中关村大街",
    "学院路",
    "望京街",
    "酒仙桥路",
    "回龙观东大街",
    "天通苑北街",
];
const DISTRICTS: &[&str] = &["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "昌平区"];

/// A small deterministic station: most tickets closed, the rest spread
/// over the open statuses, all through the store's command path.
pub fn build_small(path: &Path, n: usize, now: Time) {
    let mut s = Store::open(path).expect("create benchmark database");
    let settings = Settings::default();
    let cal = settings.calendar();
    s.staff_add("李工", 8, None).expect("staff");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let tx = s.conn_mut().transaction().expect("tx");
    for i in 0..n {
        let t1 = now - Duration::minutes(((n - i) * 90 * 24 * 60 / n) as i64);
        let env = Env {
            now: t1 + Duration::minutes(5),
            actor: "协调员",
            settings: &settings,
            calendar: &cal,
        };
        let r = next();
        let name = format!(
            "{}{}",
            SURNAMES[(r % SURNAMES.len() as u64) as usize],
            GIVEN[((r >> 8) % GIVEN.len() as u64) as usize]
        );
        let no = format!("W{}", 2_400_000_000u64 + i as u64);
        let new = NewTicket {
            ticket_no: no.clone(),
            source: Source::Cc,
            t1,
            service_type: if r % 3 == 0 {
                ServiceType::CarryIn
            } else {
                ServiceType::Onsite
            },
            priority: match r % 50 {
                0 => Priority::Emergency,
                1..=3 => Priority::Urgent,
                _ => Priority::Normal,
            },
            special: r % 97 == 0,
            urge: false,
            customer: Customer {
                name,
                phones: vec![format!("1{}{:09}", 3 + r % 7, (r >> 16) % 1_000_000_000)],
                address: format!(
                    "北京市{}{}{}号院{}号楼{}",
                    DISTRICTS[((r >> 20) % DISTRICTS.len() as u64) as usize],
                    ROADS[((r >> 24) % ROADS.len() as u64) as usize],
                    (r >> 28) % 300 + 1,
                    (r >> 36) % 20 + 1,
                    (r >> 40) % 2800 + 101
                ),
                district: DISTRICTS[((r >> 20) % DISTRICTS.len() as u64) as usize].into(),
            },
            product: Product {
                line: "ThinkPad".into(),
                model: "T14".into(),
                serial: format!("PF{:06X}", (r >> 12) % 0xFF_FFFF),
                warranty: Warranty::In,
            },
            fault: "无法开机".into(),
            note: String::new(),
        };
        store::create_in(&tx, new, &env).expect("create");
        // The newest few percent stay open; older ones are mostly closed.
        let open = i * 100 / n >= 97;
        let cmds: Vec<Command> = if open {
            match r % 4 {
                0 => vec![],
                1 => vec![promise(t1)],
                _ => vec![
                    promise(t1),
                    Command::OrderParts {
                        order: format!("PO{i}"),
                        part: "主板".into(),
                        qty: 1,
                        eta: Some(t1 + Duration::days(3)),
                    },
                ],
            }
        } else if r % 30 == 0 {
            vec![
                Command::RequestCancel {
                    reason: CancelReason::Duplicate,
                    note: "重复报修".into(),
                },
                Command::DecideCancel {
                    approve: true,
                    by: "大区".into(),
                },
            ]
        } else {
            vec![Command::PhoneResolve {
                kind: PhoneFix::Software,
            }]
        };
        for cmd in cmds {
            let env = Env {
                now: t1 + Duration::minutes(30),
                ..env
            };
            // A refusal leaves the ticket where it is: still a valid station.
            let _ = store::execute_in(&tx, &no, &cmd, &env, None);
        }
    }
    store::search::refresh(&tx).expect("index");
    tx.commit().expect("commit");
}

fn promise(t1: Time) -> Command {
    Command::Promise {
        at: t1 + Duration::hours(26),
        ptype: None,
        reason: None,
    }
}
