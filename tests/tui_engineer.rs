//! The dashboard's engineer view on a test terminal: one card per visit from
//! a phone's 40 columns to a desk's 160, zh and en, and the day keys.

mod common;

use std::path::PathBuf;

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::settings::Settings;
use repairdesk::domain::staff::StaffChange;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::*;
use repairdesk::setup::app::App;
use repairdesk::store::Store;
use repairdesk::tui::Dashboard;

use common::dashboard::screen;

/// Station time (UTC+8) as UTC.
fn at(d: u32, h: u32, m: u32) -> Time {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&chrono::Utc)
}

/// Thursday 2026-11-26 11:30.
fn now() -> Time {
    at(26, 11, 30)
}

fn app(lang: Lang, t: Time) -> App {
    App::new(
        Settings::default(),
        Box::new(FixedClock(t)),
        "coord".into(),
        lang,
        PathBuf::from(":memory:"),
    )
}

fn ticket(no: &str, name: &str, district: &str, address: &str, service: ServiceType) -> NewTicket {
    NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1: at(25, 9, 0),
        service_type: service,
        priority: Priority::Normal,
        special: false,
        urge: false,
        customer: Customer {
            name: name.into(),
            phones: vec!["13800138000".into(), "010-62345678".into()],
            address: address.into(),
            district: district.into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: "X1 Carbon".into(),
            serial: format!("SN-{no}"),
            warranty: Warranty::In,
        },
        fault: "屏幕不亮，开机无显示".into(),
        note: String::new(),
    }
}

/// 王工's Thursday: a visit done this morning, a repeat visit with a part
/// to bring at 14:00 in 朝阳区, a paid repair at 14:00 in 海淀区 (a clash), a
/// machine on the bench; and one visit on Friday.
fn station() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    let a = app(Lang::En, at(25, 8, 0));
    for name in ["王工", "李工"] {
        store
            .staff_change(&StaffChange::add(name, 5), &a.env())
            .expect("staff");
    }
    let long = "望京街道望京西园三区321号楼2单元1502室（进小区后右转第二栋）";
    let mut paid = ticket(
        "W2611250003",
        "王芳",
        "海淀区",
        "中关村大街1号",
        ServiceType::Onsite,
    );
    paid.product.warranty = Warranty::Out;
    for t in [
        ticket(
            "W2611250001",
            "张伟",
            "西城区",
            "金融街7号",
            ServiceType::Onsite,
        ),
        ticket("W2611250002", "李娜", "朝阳区", long, ServiceType::Onsite),
        paid,
        ticket("W2611250004", "Wang Fang", "", "", ServiceType::CarryIn),
        ticket(
            "W2611250005",
            "赵敏",
            "东城区",
            "和平里东街57号",
            ServiceType::Onsite,
        ),
    ] {
        store
            .create(t, &app(Lang::En, at(25, 9, 0)).env())
            .expect("create");
    }
    let run = |store: &mut Store, no: &str, cmd: Command, t: Time| {
        store
            .execute(no, &cmd, &app(Lang::En, t).env(), None)
            .expect("command");
    };
    let promise = |t: Time| Command::Promise {
        at: t,
        ptype: None,
        reason: None,
    };
    let plan = |store: &mut Store, no: &str, t3: Time| {
        run(store, no, promise(t3), at(25, 10, 0));
        run(store, no, Command::Print, at(25, 10, 5));
        run(
            store,
            no,
            Command::Dispatch {
                engineer: "王工".into(),
                site: None,
                override_reason: None,
            },
            at(25, 10, 10),
        );
    };
    // Done this morning.
    plan(&mut store, "W2611250001", at(26, 9, 30));
    run(
        &mut store,
        "W2611250001",
        Command::Visit {
            result: VisitResult::Fixed,
            arrived: Some(at(26, 9, 20)),
            done: Some(at(26, 10, 5)),
            next: None,
            note: "更换屏线".into(),
        },
        at(26, 10, 30),
    );
    // A repeat visit: not fixed yesterday, the part delivered.
    plan(&mut store, "W2611250002", at(25, 15, 0));
    run(
        &mut store,
        "W2611250002",
        Command::Visit {
            result: VisitResult::NotFixed,
            arrived: Some(at(25, 15, 0)),
            done: Some(at(25, 15, 40)),
            next: Some(at(26, 14, 0)),
            note: "主板需更换".into(),
        },
        at(25, 16, 0),
    );
    run(
        &mut store,
        "W2611250002",
        Command::OrderParts {
            order: "PO-7".into(),
            part: "5B20S43".into(),
            qty: 1,
            eta: Some(at(25, 18, 0)),
        },
        at(25, 16, 10),
    );
    run(
        &mut store,
        "W2611250002",
        Command::PartsArrived {
            order: "PO-7".into(),
        },
        at(25, 17, 0),
    );
    // Paid: the quote the customer approved.
    plan(&mut store, "W2611250003", at(26, 14, 0));
    run(
        &mut store,
        "W2611250003",
        Command::Quote { amount: 350.0 },
        at(25, 17, 10),
    );
    // On the bench: not fixed yet.
    run(
        &mut store,
        "W2611250004",
        promise(at(27, 10, 0)),
        at(25, 10, 0),
    );
    run(
        &mut store,
        "W2611250004",
        Command::Repair {
            result: RepairResult::NotFixed,
            by: Some("王工".into()),
            done: Some(at(25, 16, 0)),
            note: "等主板".into(),
        },
        at(25, 16, 30),
    );
    // Friday.
    plan(&mut store, "W2611250005", at(27, 9, 0));
    store
}

fn dashboard(lang: Lang) -> Dashboard {
    let mut d = Dashboard::new(app(lang, now()), station()).expect("dashboard");
    d.set_no_color(true);
    d.open_engineer(
        "王工",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day"),
    );
    d
}

fn key(d: &mut Dashboard, code: KeyCode) {
    d.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Every screen line within the width, in display columns.
fn assert_fits(text: &str, w: usize) {
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= w,
            "wider than {w}: {line}"
        );
    }
}

#[test]
fn engineer_view_from_a_phone_to_a_desk() {
    for (w, h) in [(40, 20), (80, 24), (160, 45)] {
        for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
            let mut d = dashboard(lang);
            // The repeat visit (the second card) selected.
            key(&mut d, KeyCode::Down);
            let text = screen(&mut d, w, h);
            assert_fits(&text, w as usize);
            assert!(!text.contains("Terminal too small") && !text.contains("终端太小"));
            // The address is never cut: its end is on screen, wrapped if need be.
            assert!(text.contains("栋）"), "{text}");
            assert!(text.contains("5B20S43×1"), "the part to bring:\n{text}");
            insta::assert_snapshot!(format!("engineer_{w}x{h}_{tag}"), text);
        }
    }
}

#[test]
fn engineer_view_scrolls_to_every_card_at_80x24() {
    let mut d = dashboard(Lang::En);
    let mut seen = String::new();
    for _ in 0..5 {
        seen.push_str(&screen(&mut d, 80, 24));
        key(&mut d, KeyCode::Down);
    }
    for no in ["W2611250001", "W2611250002", "W2611250003", "W2611250004"] {
        assert!(seen.contains(no), "{no} never shown");
    }
    for what in [
        "✓ fixed 09:20–10:05",
        "collect",
        "¥350.00",
        "previous",
        "two visits at the same time",
        "Bench work",
        "等主板",
    ] {
        assert!(seen.contains(what), "{what:?} never shown");
    }
}

#[test]
fn day_keys_change_the_day_shown() {
    let mut d = dashboard(Lang::En);
    let thursday = screen(&mut d, 80, 24);
    assert!(thursday.contains("2026-11-26 Thu"), "{thursday}");
    key(&mut d, KeyCode::Char(']'));
    let friday = screen(&mut d, 80, 24);
    assert!(
        friday.contains("2026-11-27 Fri") && friday.contains("W2611250005"),
        "{friday}"
    );
    assert!(!friday.contains("W2611250002"), "{friday}");
    key(&mut d, KeyCode::Left);
    key(&mut d, KeyCode::Left);
    let wednesday = screen(&mut d, 40, 20);
    assert!(wednesday.contains("11-25 Wed"), "{wednesday}");
    key(&mut d, KeyCode::Char('t'));
    let today = screen(&mut d, 80, 24);
    assert!(today.contains("2026-11-26 Thu"), "{today}");
    // The footer names the day keys, at 40 columns too.
    let phone = screen(&mut d, 40, 20);
    let footer = phone.lines().last().expect("footer");
    assert!(
        footer.contains("[/←") && footer.contains("]/→") && footer.contains("t today"),
        "{footer}"
    );
    // Below 40 columns: a clear message, not a broken layout.
    let tiny = screen(&mut d, 30, 20);
    assert!(tiny.contains("40×10"), "{tiny}");
}
