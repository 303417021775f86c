//! `ticket list --search` and the dashboard's filter (inside the store: the
//! tests look at the search blocks before and after a refresh): every ticket whose
//! number, customer name, phones, serial or address contains the term
//! (ASCII case ignored), for terms of every length, before and after the
//! search blocks are brought up to date, and in databases made before the
//! blocks existed.

use std::collections::BTreeSet;

use crate::domain::calendar::Calendar;
use crate::domain::command::{Command, NewTicket};
use crate::domain::settings::Settings;
use crate::domain::ticket::*;
use crate::store::{self, Env, ListFilter, Store, schema, search};
use chrono::TimeZone;
use proptest::prelude::*;
use rusqlite::Connection;

fn t1() -> Time {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 1, 30, 0)
        .single()
        .expect("time")
}

struct Row {
    no: String,
    name: String,
    phones: Vec<String>,
    serial: String,
    address: String,
}

fn row(no: &str, name: &str, phones: &[&str], serial: &str, address: &str) -> Row {
    Row {
        no: no.into(),
        name: name.into(),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        serial: serial.into(),
        address: address.into(),
    }
}

fn new_ticket(r: &Row) -> NewTicket {
    NewTicket {
        ticket_no: r.no.clone(),
        source: Source::Cc,
        t1: t1(),
        service_type: ServiceType::Onsite,
        priority: Priority::Normal,
        special: false,
        urge: false,
        customer: Customer {
            name: r.name.clone(),
            phones: r.phones.clone(),
            address: r.address.clone(),
            district: "海淀区".into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: "T14".into(),
            serial: r.serial.clone(),
            warranty: Warranty::In,
        },
        fault: FAULT.into(),
        note: String::new(),
    }
}

/// Every ticket's fault description: searched too.
const FAULT: &str = "无法开机";

struct Desk {
    settings: Settings,
    cal: Calendar,
}

impl Desk {
    fn new() -> Desk {
        Desk {
            settings: Settings::default(),
            cal: Calendar::cn_default(),
        }
    }

    fn env(&self) -> Env<'_> {
        Env {
            now: t1() + chrono::Duration::hours(1),
            recorded_at: t1() + chrono::Duration::hours(1),
            actor: "协调员",
            settings: &self.settings,
            calendar: &self.cal,
        }
    }

    /// Adds rows in one transaction, as an import does, without refreshing.
    fn batch(&self, conn: &mut Connection, rows: &[Row]) {
        let tx = conn.transaction().expect("tx");
        for r in rows {
            store::create_in(&tx, new_ticket(r), &self.env()).expect("create");
        }
        tx.commit().expect("commit");
    }
}

fn search(s: &Store, term: &str) -> BTreeSet<String> {
    s.list(&ListFilter {
        search: Some(term.to_string()),
        ..ListFilter::default()
    })
    .expect("list")
    .into_iter()
    .map(|t| t.ticket_no)
    .collect()
}

/// What `LIKE '%term%'` on each field says: the meaning search must keep.
fn expected(rows: &[Row], term: &str) -> BTreeSet<String> {
    let term = term.trim().to_ascii_lowercase();
    rows.iter()
        .filter(|r| {
            [
                r.no.as_str(),
                r.name.as_str(),
                &r.phones.join("/"),
                r.serial.as_str(),
                r.address.as_str(),
                FAULT,
            ]
            .iter()
            .any(|f| f.to_ascii_lowercase().contains(&term))
        })
        .map(|r| r.no.clone())
        .collect()
}

fn station() -> Vec<Row> {
    let mut rows = vec![
        row(
            "W2400000001",
            "张伟",
            &["13800138000"],
            "PF3ABCDE",
            "北京市海淀区中关村大街1号",
        ),
        row(
            "W2400000002",
            "欧阳娜娜",
            &["13912345678", "01062345678"],
            "R9-XK2Q7",
            "北京市朝阳区建国路88号院3号楼",
        ),
        row(
            "W2400000003",
            "王芳",
            &["15000005083"],
            "MP1Z9Y8X",
            "丰台区丰台路5号 \"东门\"",
        ),
        row(
            "W2400000004",
            "O'Neil 张",
            &["18600001111"],
            "SL_7788",
            "Room 50% off, C:\\temp",
        ),
        row(
            "ZD-20261120-0001",
            "李四",
            &["13711112222"],
            "pc-abcdef",
            "东城区东直门南大街3号",
        ),
    ];
    // Enough more to fill several blocks.
    let surnames = ["王", "李", "刘", "陈", "杨", "赵"];
    let given = ["芳", "强", "敏", "静", "磊", "洋"];
    for i in 0..1300 {
        rows.push(row(
            &format!("W25{i:08}"),
            &format!("{}{}", surnames[i % 6], given[(i / 6) % 6]),
            &[&format!("139{:08}", i * 7919 % 100_000_000)],
            &format!("PF{:06X}", i * 2654435761 % 0xFF_FFFF),
            &format!("北京市昌平区回龙观东大街{}号院{}号楼", i % 300, i % 17),
        ));
    }
    rows
}

const TERMS: &[&str] = &[
    "张",         // one-character surname
    "欧",         // rare one character
    "张伟",       // two-character name
    "欧阳",       // two-character compound surname
    "娜娜",       // two characters inside a name
    "5083",       // four-digit phone fragment
    "2345",       // in a second phone
    "xk2q",       // serial fragment, other case
    "PF3ABCDE",   // whole serial
    "中关村",     // address fragment
    "号院3号楼",  // longer address fragment
    "00000003",   // ticket number fragment
    "zd-2026",    // station ticket prefix, other case
    "开机",       // in the fault description
    "没有这个人", // no match
    "qqqq",       // no match, ASCII
    "%",          // LIKE metacharacters are literal
    "_",          //
    "\\",         //
    "50%",        //
    "l_7",        //
    "'",          // quotes
    "O'Neil",     //
    "\"东门\"",   //
    "  张伟  ",   // surrounding blanks are ignored
    "/",          // the phone separator matches between phones only
    "8000/",      //
    "3",          // a single digit matches nearly everything
];

#[test]
fn every_term_finds_exactly_what_like_finds() {
    let desk = Desk::new();
    let mut s = Store::open_in_memory().expect("store");
    let rows = station();
    let (first, rest) = rows.split_at(600);
    desk.batch(s.conn_mut().unwrap(), first);
    // The first batch is not yet in the blocks: searched from the table.
    for term in TERMS {
        assert_eq!(
            search(&s, term),
            expected(first, term),
            "before refresh: {term}"
        );
    }
    search::refresh(s.conn().unwrap()).expect("refresh");
    desk.batch(s.conn_mut().unwrap(), rest);
    search::refresh(s.conn().unwrap()).expect("refresh");
    for term in TERMS {
        assert_eq!(search(&s, term), expected(&rows, term), "term {term:?}");
    }
    // One more ticket through the ordinary path is found at once.
    let extra = row("W2699999999", "司马懿", &["13355556666"], "QQ-1", "洛阳");
    s.create(new_ticket(&extra), &desk.env()).expect("create");
    assert_eq!(
        search(&s, "司马"),
        BTreeSet::from(["W2699999999".to_string()])
    );
    assert_eq!(
        search(&s, "qq-1"),
        BTreeSet::from(["W2699999999".to_string()])
    );
}

#[test]
fn a_changed_customer_is_found_by_the_new_text_only() {
    let desk = Desk::new();
    let mut s = Store::open_in_memory().expect("store");
    let rows = station();
    desk.batch(s.conn_mut().unwrap(), &rows);
    search::refresh(s.conn().unwrap()).expect("refresh");
    let t = s.get("W2400000002").expect("ticket");
    let mut customer = t.customer.clone();
    customer.name = "欧阳修".into();
    customer.phones = vec!["13699998888".into()];
    customer.address = "海淀区学院路30号".into();
    s.execute(
        "W2400000002",
        &Command::Edit {
            fields: vec![
                (Field::Customer, customer.name),
                (Field::Phones, customer.phones.join("/")),
                (Field::Address, customer.address),
            ],
        },
        &desk.env(),
        None,
    )
    .expect("refresh customer");
    let only = BTreeSet::from(["W2400000002".to_string()]);
    assert_eq!(search(&s, "欧阳修"), only);
    assert_eq!(search(&s, "99998888"), only);
    assert_eq!(search(&s, "学院路"), only);
    assert!(search(&s, "娜娜").is_empty(), "the old name is gone");
    assert!(
        search(&s, "13912345678").is_empty(),
        "the old phone is gone"
    );
    // Written through the store: no change waits for a refresh.
    let waiting: i64 = s
        .conn()
        .unwrap()
        .query_row("SELECT COUNT(*) FROM search_dirty", [], |r| r.get(0))
        .expect("dirty");
    assert_eq!(waiting, 0);
}

#[test]
fn a_database_from_before_the_search_blocks_is_migrated_and_searchable() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db");
    let desk = Desk::new();
    let rows = station();
    {
        // The schema as the first release left it, with tickets in it.
        let mut conn = Connection::open(&path).expect("open");
        conn.execute_batch(schema::MIGRATIONS[0]).expect("schema 1");
        // Today's code writes the events' real moment (R20); migration 3
        // keeps a column that is already there.
        conn.execute_batch("ALTER TABLE events ADD COLUMN recorded_at INTEGER")
            .expect("recorded_at");
        // And each ticket's schedule; migration 8 keeps the columns.
        conn.execute_batch(
            "ALTER TABLE tickets ADD COLUMN alert_from INTEGER;
             ALTER TABLE tickets ADD COLUMN alert_due INTEGER;
             ALTER TABLE tickets ADD COLUMN quiet_due INTEGER;",
        )
        .expect("schedule");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        desk.batch(&mut conn, &rows);
    }
    let s = Store::open(&path).expect("migrate");
    let version: i64 = s
        .conn()
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version as usize, schema::MIGRATIONS.len());
    let upto: i64 = s
        .conn()
        .unwrap()
        .query_row(
            "SELECT value FROM counters WHERE name = ?1",
            [search::UPTO],
            |r| r.get(0),
        )
        .expect("watermark");
    assert_eq!(
        upto,
        rows.len() as i64,
        "the migration indexed every ticket"
    );
    for term in TERMS {
        assert_eq!(search(&s, term), expected(&rows, term), "term {term:?}");
    }
}

#[test]
fn search_combines_with_status_and_limit() {
    let desk = Desk::new();
    let mut s = Store::open_in_memory().expect("store");
    desk.batch(s.conn_mut().unwrap(), &station());
    search::refresh(s.conn().unwrap()).expect("refresh");
    s.execute(
        "W2400000001",
        &Command::PhoneResolve {
            kind: PhoneFix::Software,
        },
        &desk.env(),
        None,
    )
    .expect("phone resolve");
    let open = s
        .list(&ListFilter {
            open_only: true,
            search: Some("张伟".into()),
            ..ListFilter::default()
        })
        .expect("list");
    assert!(open.is_empty(), "the only 张伟 is closed");
    let closed = s
        .list(&ListFilter {
            statuses: vec![Status::Resolved],
            search: Some("张伟".into()),
            ..ListFilter::default()
        })
        .expect("list");
    assert_eq!(closed.len(), 1);
    let some = s
        .list(&ListFilter {
            search: Some("王".into()),
            limit: Some(7),
            ..ListFilter::default()
        })
        .expect("list");
    assert_eq!(some.len(), 7);
    assert!(some.iter().all(|t| t.customer.name.contains('王')));
    // A term matching hundreds: open ones only, every one of them.
    let mut all_wang = expected(&station(), "王");
    assert!(all_wang.len() > 100);
    let closed_now: Vec<String> = all_wang.iter().step_by(3).cloned().collect();
    for no in &closed_now {
        s.execute(
            no,
            &Command::PhoneResolve {
                kind: PhoneFix::Other,
            },
            &desk.env(),
            None,
        )
        .expect("phone resolve");
        all_wang.remove(no);
    }
    let open_wang: BTreeSet<String> = s
        .list(&ListFilter {
            open_only: true,
            search: Some("王".into()),
            ..ListFilter::default()
        })
        .expect("list")
        .into_iter()
        .map(|t| t.ticket_no)
        .collect();
    assert_eq!(open_wang, all_wang);
    // Closed tickets come newest first (same T1 here: the last recorded).
    let newest: Vec<String> = s
        .list(&ListFilter {
            statuses: vec![Status::Resolved],
            limit: Some(3),
            ..ListFilter::default()
        })
        .expect("list")
        .into_iter()
        .map(|t| t.ticket_no)
        .collect();
    let mut closed_now = closed_now;
    closed_now.sort();
    let expected_newest: Vec<String> = closed_now.iter().rev().take(3).cloned().collect();
    assert_eq!(newest, expected_newest);
}

fn field() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            '张', '伟', '欧', 'a', 'B', '1', '2', '%', '_', '\\', '/', ' ',
        ]),
        0..8,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn search_agrees_with_like_on_random_text(
        fields in proptest::collection::vec((field(), field(), field(), field()), 1..40),
        terms in proptest::collection::vec(field(), 1..6),
        refreshed in any::<bool>(),
    ) {
        let desk = Desk::new();
        let mut s = Store::open_in_memory().expect("store");
        let rows: Vec<Row> = fields
            .iter()
            .enumerate()
            .map(|(i, (name, phone, serial, address))| Row {
                no: format!("N{i:04}"),
                name: if name.trim().is_empty() { "某".into() } else { name.clone() },
                // One phone: a '/' inside would make it two.
                phones: vec![format!("1380013{i:04}{}", phone.replace('/', ""))],
                serial: serial.clone(),
                address: format!("路{address}"),
            })
            .collect();
        desk.batch(s.conn_mut().unwrap(), &rows);
        if refreshed {
            search::refresh(s.conn().unwrap()).expect("refresh");
        }
        for term in &terms {
            if term.trim().is_empty() {
                continue;
            }
            // What the store kept (the domain may tidy fields) is the reference.
            let kept: Vec<Row> = rows
                .iter()
                .map(|r| {
                    let t = s.get(&r.no).expect("ticket");
                    Row {
                        no: t.ticket_no,
                        name: t.customer.name,
                        phones: t.customer.phones,
                        serial: t.product.serial,
                        address: t.customer.address,
                    }
                })
                .collect();
            prop_assert_eq!(search(&s, term), expected(&kept, term), "term {:?}", term);
        }
    }
}

#[test]
fn an_imported_file_is_searchable_from_the_blocks() {
    use crate::interchange::import;
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("派单.csv");
    let mut text =
        String::from("维修单号,报修时间,用户姓名,联系电话,地址,主机号,故障描述,服务方式\n");
    for i in 0..700 {
        text.push_str(&format!(
            "G{i:06},2026-11-20 09:30,{}{},1390000{i:04},学院路{i}号,PF{i:05}X,无法开机,上门\n",
            ["王", "李", "赵"][i % 3],
            ["芳", "强"][i % 2],
        ));
    }
    std::fs::write(&csv, text).expect("write csv");
    let desk = Desk::new();
    let mut s = Store::open(&dir.path().join("d.db")).expect("store");
    let file = import::check(&csv).expect("header");
    let report =
        import::import_file(&mut s, file, &desk.env(), false, &mut |_| {}).expect("import");
    assert_eq!(report.imported, 700);
    let upto: i64 = s
        .conn()
        .unwrap()
        .query_row(
            "SELECT value FROM counters WHERE name = ?1",
            [search::UPTO],
            |r| r.get(0),
        )
        .expect("watermark");
    assert_eq!(upto, 700, "the import indexed what it brought in");
    assert_eq!(
        search(&s, "pf00123x"),
        BTreeSet::from(["G000123".to_string()])
    );
    assert_eq!(search(&s, "赵芳").len(), 700 / 6 + 1);
    assert_eq!(search(&s, "学院路69").len(), 11); // 69 and 690..=699
}
