//! The dashboard drawn on a test terminal: snapshots of what a coordinator
//! sees (zh and en, frozen clock), and behaviour driven by keys.

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

/// Thursday 2026-11-26 11:30, a working day.
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

#[allow(clippy::too_many_arguments)]
fn new_ticket(
    no: &str,
    t1: Time,
    name: &str,
    phone: &str,
    service: ServiceType,
    priority: Priority,
    special: bool,
    model: &str,
    fault: &str,
) -> NewTicket {
    NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1,
        service_type: service,
        priority,
        special,
        urge: special,
        customer: Customer {
            name: name.into(),
            phones: vec![phone.into()],
            address: "中关村大街1号".into(),
            district: "海淀区".into(),
        },
        product: Product {
            line: "ThinkPad".into(),
            model: model.into(),
            serial: format!("SN-{no}"),
            warranty: Warranty::In,
        },
        fault: fault.into(),
        note: String::new(),
    }
}

/// A small station: one ticket or more in every pane, a cancel request and
/// a resolved ticket, built through the public store API.
fn station() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    for (name, capacity) in [("王工", 4), ("李工", 5)] {
        let a = app(Lang::En, at(26, 8, 0));
        let add = StaffChange::add(name, capacity);
        store.staff_change(&add, &a.env()).expect("staff");
    }
    let create = |store: &mut Store, n: NewTicket, t: Time| {
        let a = app(Lang::En, t);
        store.create(n, &a.env()).expect("create");
    };
    use Priority::*;
    use ServiceType::*;
    create(
        &mut store,
        new_ticket(
            "W2611260001",
            at(26, 8, 0),
            "张伟",
            "13800138000",
            Onsite,
            Normal,
            false,
            "X1 Carbon",
            "屏幕不亮",
        ),
        at(26, 8, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611260002",
            at(26, 7, 0),
            "Wang Fang",
            "13900139000",
            CarryIn,
            Emergency,
            true,
            "T14",
            "no boot",
        ),
        at(26, 7, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611260003",
            at(26, 10, 30),
            "李娜",
            "123",
            Onsite,
            Normal,
            false,
            "E14",
            "键盘失灵",
        ),
        at(26, 10, 30),
    );
    create(
        &mut store,
        new_ticket(
            "W2611250004",
            at(25, 14, 0),
            "赵敏",
            "13700137000",
            Onsite,
            Normal,
            false,
            "X13",
            "风扇异响",
        ),
        at(25, 14, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611250005",
            at(25, 9, 0),
            "陈晨",
            "13600136000",
            Onsite,
            Urgent,
            false,
            "P16",
            "蓝屏",
        ),
        at(25, 9, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611240006",
            at(24, 9, 0),
            "刘洋",
            "13500135000",
            Onsite,
            Normal,
            false,
            "X1 Yoga",
            "主板故障",
        ),
        at(24, 9, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611230007",
            at(23, 9, 0),
            "孙丽",
            "13400134000",
            Onsite,
            Normal,
            false,
            "T480",
            "无法充电",
        ),
        at(23, 9, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611240008",
            at(24, 10, 0),
            "周杰",
            "110",
            Onsite,
            Normal,
            false,
            "E15",
            "不开机",
        ),
        at(24, 10, 0),
    );
    create(
        &mut store,
        new_ticket(
            "W2611200009",
            at(20, 9, 0),
            "吴磊",
            "13300133000",
            Onsite,
            Normal,
            false,
            "X1",
            "硬盘坏",
        ),
        at(20, 9, 0),
    );
    let run = |store: &mut Store, no: &str, cmd: Command, t: Time| {
        let a = app(Lang::En, t);
        store.execute(no, &cmd, &a.env(), None).expect("command");
    };
    let promise = |t: Time| Command::Promise {
        at: t,
        ptype: None,
        reason: None,
    };
    let dispatch = |e: &str| Command::Dispatch {
        engineer: e.into(),
        site: None,
        override_reason: None,
    };
    // In progress: promised for this afternoon, printed and dispatched.
    run(
        &mut store,
        "W2611250004",
        promise(at(26, 15, 0)),
        at(25, 15, 0),
    );
    run(&mut store, "W2611250004", Command::Print, at(25, 15, 5));
    run(&mut store, "W2611250004", dispatch("王工"), at(25, 15, 10));
    // In progress, promised for 11:00 today: overdue.
    run(
        &mut store,
        "W2611250005",
        promise(at(26, 11, 0)),
        at(25, 10, 0),
    );
    // Parts pending, the parts are late (R8).
    run(
        &mut store,
        "W2611240006",
        promise(at(25, 10, 0)),
        at(24, 10, 0),
    );
    run(
        &mut store,
        "W2611240006",
        Command::OrderParts {
            order: "ORD-88".into(),
            part: "MB-X1Y".into(),
            qty: 1,
            eta: Some(at(25, 18, 0)),
        },
        at(24, 11, 0),
    );
    // Multi-repair: the first visit did not fix it.
    run(
        &mut store,
        "W2611230007",
        promise(at(24, 10, 0)),
        at(23, 10, 0),
    );
    run(&mut store, "W2611230007", Command::Print, at(23, 10, 5));
    run(&mut store, "W2611230007", dispatch("李工"), at(23, 10, 10));
    run(
        &mut store,
        "W2611230007",
        Command::Visit {
            result: VisitResult::NotFixed,
            arrived: None,
            done: None,
            next: Some(at(27, 10, 0)),
            note: "换电源板".into(),
        },
        at(24, 11, 0),
    );
    // A cancel request: the number does not exist.
    run(
        &mut store,
        "W2611240008",
        Command::Contact {
            result: ContactResult::WrongNumber,
            note: String::new(),
        },
        at(24, 10, 30),
    );
    run(
        &mut store,
        "W2611240008",
        Command::RequestCancel {
            reason: CancelReason::WrongNumber,
            note: "空号".into(),
        },
        at(24, 11, 0),
    );
    // Resolved, awaiting the follow-up.
    run(
        &mut store,
        "W2611200009",
        promise(at(21, 10, 0)),
        at(20, 10, 0),
    );
    run(&mut store, "W2611200009", Command::Print, at(20, 10, 5));
    run(&mut store, "W2611200009", dispatch("王工"), at(20, 10, 10));
    run(
        &mut store,
        "W2611200009",
        Command::Visit {
            result: VisitResult::Fixed,
            arrived: None,
            done: None,
            next: None,
            note: String::new(),
        },
        at(21, 11, 0),
    );
    run(
        &mut store,
        "W2611200009",
        Command::Close {
            signed_by: "吴磊".into(),
            returned_parts: vec![],
            not_returned: vec![],
            charge: None,
        },
        at(21, 11, 30),
    );
    store
}

fn dashboard(lang: Lang) -> Dashboard {
    let mut d = Dashboard::new(app(lang, now()), station()).expect("dashboard");
    d.set_no_color(true);
    d
}

fn key(d: &mut Dashboard, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    d.handle_key(KeyEvent::new(code, mods));
}

fn keys(d: &mut Dashboard, text: &str) {
    for c in text.chars() {
        key(d, KeyCode::Char(c));
    }
}

fn both(name: &str, f: impl Fn(&mut Dashboard) -> String) {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = dashboard(lang);
        let text = f(&mut d);
        insta::assert_snapshot!(format!("{name}_{tag}"), text);
    }
}

#[test]
fn main_screen() {
    both("main", |d| screen(d, 160, 45));
}

#[test]
fn detail_view() {
    both("detail", |d| {
        key(d, KeyCode::Char('3'));
        key(d, KeyCode::Enter);
        screen(d, 160, 45)
    });
}

#[test]
fn form_shows_a_refusal_and_writes_nothing() {
    both("promise_refused", |d| {
        // The queued emergency ticket is first; 09:00 today has passed (R5).
        key(d, KeyCode::Char('p'));
        keys(d, "09:00");
        key(d, KeyCode::Enter);
        let text = screen(d, 160, 45);
        assert!(
            d.store()
                .get("W2611260002")
                .expect("ticket")
                .promises()
                .is_empty()
        );
        text
    });
}

#[test]
fn help_overlay() {
    both("help", |d| {
        key(d, KeyCode::Char('?'));
        screen(d, 160, 45)
    });
}

#[test]
fn small_terminals() {
    both("tabs_100x30", |d| screen(d, 100, 30));
    both("too_small_70x20", |d| screen(d, 70, 20));
}

#[test]
fn a_promise_moves_the_ticket_to_in_progress_before_the_next_frame() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('p'));
    keys(&mut d, "14:00");
    key(&mut d, KeyCode::Enter);
    let t = d.store().get("W2611260002").expect("ticket");
    assert_eq!(t.status, Status::InProgress);
    assert_eq!(t.promised_at(), Some(at(26, 14, 0)));
    let text = screen(&mut d, 160, 45);
    let in_progress = text
        .lines()
        .skip(2)
        .take(20)
        .find(|l| l.contains("W2611260002"))
        .expect("row shown");
    // The right-hand pane (In progress) holds it now.
    assert!(in_progress.find("W2611260002").expect("pos") > 80, "{text}");
    assert!(text.contains("✓ W2611260002 → In progress"), "{text}");
}

#[test]
fn late_parts_fill_in_the_r8_reason() {
    let mut d = dashboard(Lang::Zh);
    key(&mut d, KeyCode::Char('3'));
    key(&mut d, KeyCode::Char('p'));
    let text = screen(&mut d, 160, 45);
    assert!(
        text.contains("由于ORD-88订单MB-X1Y编码的备件未按时配送"),
        "{text}"
    );
    assert!(text.contains("‹ 备件原因 ›"), "{text}");
    keys(&mut d, "明天 10:00");
    key(&mut d, KeyCode::Enter);
    let t = d.store().get("W2611240006").expect("ticket");
    let p = t.last_promise().expect("T32");
    assert_eq!(
        (p.seq, p.ptype, p.at),
        (2, PromiseType::Parts, Some(at(27, 10, 0)))
    );
}

#[test]
fn a_stale_edit_is_refused_and_the_fresh_ticket_shown() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('c'));
    // Someone else writes to the same ticket meanwhile.
    let other = app(Lang::En, now());
    d.store_mut()
        .execute(
            "W2611260002",
            &Command::Contact {
                result: ContactResult::NoAnswer,
                note: "other desk".into(),
            },
            &other.env(),
            None,
        )
        .expect("other write");
    // The result is chosen, never defaulted; `y` answers the confirmation.
    key(&mut d, KeyCode::Right);
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Char('y'));
    let t = d.store().get("W2611260002").expect("ticket");
    assert_eq!(
        t.progress.contacts.len(),
        1,
        "only the other desk's contact"
    );
    let text = screen(&mut d, 160, 45);
    assert!(
        text.contains("was changed elsewhere; nothing was written"),
        "{text}"
    );
    assert!(text.contains("Detail W2611260002"), "{text}");
    assert!(text.contains("other desk"), "{text}");
}

#[test]
fn filter_as_you_type_and_sort_keys() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('/'));
    keys(&mut d, "1370");
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("W2611250004"), "{text}");
    assert!(!text.contains("W2611260001"), "{text}");
    key(&mut d, KeyCode::Esc);
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("W2611260001"), "{text}");
    key(&mut d, KeyCode::Char('s'));
    assert!(screen(&mut d, 160, 45).contains("sort T1"));
}

#[test]
fn unknown_key_names_in_the_config_are_reported() {
    let mut a = app(Lang::En, now());
    a.keys.insert("dispath".into(), "d".into());
    a.keys.insert("zoom".into(), "ctrl-".into());
    let err = Dashboard::new(a, Store::open_in_memory().expect("store"))
        .err()
        .expect("refused");
    let all = err.join("\n");
    assert!(all.contains("[keys] dispath: no such action"), "{all}");
    assert!(all.contains("[keys] zoom = \"ctrl-\""), "{all}");
}

#[test]
fn printing_writes_the_work_order_and_records_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = app(Lang::En, now());
    a.db_path = dir.path().join("desk.db");
    let mut d = Dashboard::new(a, station()).expect("dashboard");
    key(&mut d, KeyCode::Char('P'));
    let text = screen(&mut d, 160, 45);
    assert!(
        text.contains(&format!("{}", dir.path().join("print").display())),
        "the form says where the file goes: {text}"
    );
    key(&mut d, KeyCode::Enter);
    // Enter alone does not record an irreversible fact.
    key(&mut d, KeyCode::Enter);
    assert_eq!(
        d.store().get("W2611260002").expect("ticket").printed_at,
        None
    );
    key(&mut d, KeyCode::Char('y'));
    let t = d.store().get("W2611260002").expect("ticket");
    assert_eq!(t.printed_at, Some(now()), "R7: printing is recorded");
    let file = dir.path().join("print").join("W2611260002.html");
    let html = std::fs::read_to_string(&file).expect("work order written");
    assert!(html.contains("W2611260002"));
    let text = screen(&mut d, 160, 45);
    assert!(
        text.contains("W2611260002.html"),
        "the path is shown: {text}"
    );
}

/// §7 and #12: the status line after printing shows the whole path of the
/// work order: too long for one line, it wraps onto the next (the panes
/// give up a row), at 80×24 and 160×45, in both languages.
#[test]
fn the_printouts_path_is_shown_whole() {
    // A folder of a fixed length, so the snapshot is the same on every run
    // (the process id, which keeps parallel runs apart, is masked).
    let pid = format!("{:010}", std::process::id());
    let top = std::env::temp_dir().join(format!("repairdesk-tui-{pid}"));
    let dir = top.join("a-station-folder-with-a-rather-long-name-for-the-status-line");
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80, 24), (160, 45)] {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("folder");
            let mut a = app(lang, now());
            a.db_path = dir.join("desk.db");
            let mut d = Dashboard::new(a, station()).expect("dashboard");
            d.set_no_color(true);
            key(&mut d, KeyCode::Char('P'));
            key(&mut d, KeyCode::Enter);
            key(&mut d, KeyCode::Char('y'));
            let path = dir.join("print").join("W2611260002.html");
            assert!(path.exists(), "the work order is written");
            let text = screen(&mut d, w, h);
            let lines: Vec<&str> = text.lines().collect();
            // The status rows: under the panes' last border, above the footer.
            let bottom = lines
                .iter()
                .rposition(|l| l.starts_with('└'))
                .expect("the panes' border");
            let status: String = lines[bottom + 1..lines.len() - 1]
                .iter()
                .map(|l| l.trim())
                .collect();
            let whole = path.display().to_string();
            assert!(status.contains(&whole), "{tag} {w}: {whole} in {status:?}");
            assert!(
                lines.last().is_some_and(|l| l.contains("?/F1")),
                "the footer stays"
            );
            if w == 80 && dir.starts_with("/tmp") {
                let masked = text.replace(&pid, "PPPPPPPPPP");
                insta::assert_snapshot!(format!("printed_path_80x24_{tag}"), masked);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&top);
}

#[test]
fn reports_view() {
    both("reports", |d| {
        key(d, KeyCode::Char('R'));
        screen(d, 160, 45)
    });
}

#[test]
fn reports_view_scrolls_on_a_small_terminal() {
    both("reports_100x30", |d| {
        key(d, KeyCode::Char('R'));
        d.resize(100, 30);
        key(d, KeyCode::Char('G'));
        screen(d, 100, 30)
    });
}

#[test]
fn month_keys_change_the_month_shown() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('R'));
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("Figures 2026-11 (by T1, to date)"), "{text}");
    assert!(
        text.contains("tickets 9 · resolved 1 · cancelled 0"),
        "{text}"
    );
    key(&mut d, KeyCode::Char('['));
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("Figures 2026-10 (by T1)"), "{text}");
    assert!(
        text.contains("tickets 0 · resolved 0 · cancelled 0"),
        "{text}"
    );
    key(&mut d, KeyCode::Left);
    assert!(screen(&mut d, 160, 45).contains("Figures 2026-09 (by T1)"));
    key(&mut d, KeyCode::Char(']'));
    key(&mut d, KeyCode::Char('l'));
    assert!(screen(&mut d, 160, 45).contains("Figures 2026-11 (by T1, to date)"));
    // No month after the current one.
    key(&mut d, KeyCode::Char(']'));
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("Figures 2026-11"), "{text}");
    assert!(text.contains("this is the current month"), "{text}");
    key(&mut d, KeyCode::Esc);
    assert!(screen(&mut d, 160, 45).contains("1 Queued"));
}

#[test]
fn reports_are_read_again_when_the_database_changes() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('R'));
    let a = app(Lang::En, now());
    d.store_mut()
        .create(
            new_ticket(
                "W2611260010",
                at(26, 11, 0),
                "钱多",
                "13200132000",
                ServiceType::Onsite,
                Priority::Normal,
                false,
                "X1",
                "进水",
            ),
            &a.env(),
        )
        .expect("create");
    // Drawing again does not compute the figures again …
    assert!(screen(&mut d, 160, 45).contains("tickets 9 ·"));
    // … a reload does.
    let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    d.handle_key(ctrl_r);
    assert!(screen(&mut d, 160, 45).contains("tickets 10 ·"));
    // A change seen while another screen is on top is there on coming back.
    let later = new_ticket(
        "W2611260011",
        at(26, 11, 10),
        "孙七",
        "13100131000",
        ServiceType::CarryIn,
        Priority::Normal,
        false,
        "T14",
        "花屏",
    );
    d.store_mut().create(later, &a.env()).expect("create");
    key(&mut d, KeyCode::Char('A'));
    d.handle_key(ctrl_r);
    key(&mut d, KeyCode::Esc);
    assert!(screen(&mut d, 160, 45).contains("tickets 11 ·"));
}

/// The demo station of a fixed seed at a fixed moment, as a coordinator
/// first sees it.
#[test]
fn main_screen_of_the_demo_station() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let a = app(lang, now());
        let mut store = Store::open_in_memory().expect("store");
        repairdesk::demo::seed(&mut store, &a, 300, 1).expect("demo station");
        let mut d = Dashboard::new(a, store).expect("dashboard");
        d.set_no_color(true);
        let main = screen(&mut d, 160, 45);
        // §5: the grid's panes keep the model beside the service.
        let header = main.lines().nth(2).expect("the panes' column names");
        let model = match lang {
            Lang::En => "model",
            Lang::Zh => "机型",
        };
        assert_eq!(header.matches(model).count(), 2, "{header}");
        let row = main
            .lines()
            .find(|l| l.contains("W202611220007"))
            .expect("the most urgent row");
        assert!(row.contains("M720t"), "the model in {row}");
        insta::assert_snapshot!(format!("demo_main_{tag}"), main);
    }
}

#[test]
fn visit_form_asks_for_the_reported_times() {
    both("visit_form", |d| {
        // The multi-repair pane holds 李工's ticket W2611230007.
        key(d, KeyCode::Char('4'));
        key(d, KeyCode::Char('v'));
        screen(d, 160, 45)
    });
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('4'));
    key(&mut d, KeyCode::Char('v'));
    // The arrival and completion are prefilled with now; the engineer's
    // report replaces the minutes.
    // Result (fixed, chosen with →), then Tab to the arrival, then to the
    // completion.
    key(&mut d, KeyCode::Right);
    for time in ["10:40", "11:10"] {
        key(&mut d, KeyCode::Tab);
        for _ in 0..5 {
            key(&mut d, KeyCode::Backspace);
        }
        keys(&mut d, time);
    }
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Char('y'));
    let t = d.store().get("W2611230007").expect("ticket");
    let v = t.progress.visits.last().expect("visit recorded");
    assert_eq!((v.arrived, v.done), (at(26, 10, 40), at(26, 11, 10)));
    // Fixed: it waits in progress for the signature; its detail shows the times.
    key(&mut d, KeyCode::Char('2'));
    key(&mut d, KeyCode::Down);
    key(&mut d, KeyCode::Down);
    key(&mut d, KeyCode::Enter);
    let text = screen(&mut d, 160, 45);
    assert!(
        text.contains("arrived 2026-11-26 10:40 done 11:10"),
        "{text}"
    );
}

/// Another desk promises the selected queued ticket: it moves to In
/// progress, the selection stays on it, the focus follows and the status
/// line says where it went; the next form is for that ticket.
#[test]
fn a_ticket_moved_elsewhere_keeps_the_selection_and_the_focus_follows() {
    for lang in [Lang::En, Lang::Zh] {
        let mut d = dashboard(lang);
        let first = d.selected().expect("a queued ticket").ticket_no.clone();
        let other = app(lang, now());
        d.store_mut()
            .execute(
                &first,
                &Command::Promise {
                    at: at(26, 16, 0),
                    ptype: None,
                    reason: None,
                },
                &other.env(),
                None,
            )
            .expect("other write");
        // What a tick does when another process wrote (ctrl-r reads now).
        d.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
        let t = d.selected().expect("still selected");
        assert_eq!(t.ticket_no, first);
        assert_eq!(t.status, Status::InProgress);
        let text = screen(&mut d, 160, 45);
        let moved = format!("{first} → {}", Status::InProgress.name(lang));
        assert!(text.contains(&moved), "{text}");
        key(&mut d, KeyCode::Char('c'));
        let text = screen(&mut d, 160, 45);
        let title = text
            .lines()
            .find(|l| l.contains(lang.pick("联系用户 ·", "Contact ·")))
            .unwrap_or_default()
            .to_string();
        assert!(title.contains(&first), "{text}");
    }
}

/// `/1370 ↵` at 80×24 and 160×45: the only match is in progress, so that
/// pane takes the focus; the tabs count the matches; the header keeps the
/// station's real alert counts.
#[test]
fn the_filter_moves_to_the_pane_with_a_match() {
    for (w, h) in [(80, 24), (160, 45)] {
        both(&format!("filter_{w}x{h}"), |d| {
            let unfiltered = screen(d, w, h);
            key(d, KeyCode::Char('/'));
            keys(d, "1370");
            key(d, KeyCode::Enter);
            let text = screen(d, w, h);
            assert_eq!(
                text.lines().next(),
                unfiltered.lines().next(),
                "the header's alert counts are the station's"
            );
            let t = d.selected().expect("the match is selected");
            assert_eq!(t.ticket_no, "W2611250004");
            text
        });
    }
}

/// With a filter on, `n` visits every match once, across the panes, and
/// comes back to the first; `N` walks the same way back.
#[test]
fn n_and_shift_n_walk_the_matches() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('/'));
    keys(&mut d, "W26112");
    key(&mut d, KeyCode::Enter);
    let first = d.selected().expect("a match").ticket_no.clone();
    let mut seen = vec![first.clone()];
    for _ in 0..20 {
        key(&mut d, KeyCode::Char('n'));
        let no = d.selected().expect("a match").ticket_no.clone();
        if no == first {
            break;
        }
        assert!(!seen.contains(&no), "{no} twice: {seen:?}");
        seen.push(no);
    }
    // Every open ticket matches; the cancel request is not in a pane.
    let open = d.store().list(&Default::default()).expect("list");
    let in_panes = open
        .iter()
        .filter(|t| Status::PANES.contains(&t.status))
        .count();
    assert_eq!(seen.len(), in_panes, "{seen:?}");
    let mut back = Vec::new();
    for _ in 0..seen.len() {
        key(&mut d, KeyCode::Char('N'));
        back.push(d.selected().expect("a match").ticket_no.clone());
    }
    back.reverse();
    assert_eq!(back, seen);
}

/// A status message stays on screen while a filter is on.
#[test]
fn a_status_message_shows_while_filtering() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('/'));
    keys(&mut d, "13900");
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Char('p'));
    keys(&mut d, "14:00");
    key(&mut d, KeyCode::Enter);
    let text = screen(&mut d, 80, 24);
    assert!(text.contains("✓ W2611260002 → In progress"), "{text}");
    assert!(text.contains("filter /13900"), "{text}");
}

/// `:` jumps to a ticket by its number or the end of it; a closed or
/// unknown number says so or opens the detail.
#[test]
fn colon_jumps_to_a_ticket() {
    for lang in [Lang::En, Lang::Zh] {
        let mut d = dashboard(lang);
        key(&mut d, KeyCode::Char(':'));
        keys(&mut d, "0007");
        key(&mut d, KeyCode::Enter);
        assert_eq!(
            d.selected().map(|t| t.ticket_no.as_str()),
            Some("W2611230007")
        );
        let text = screen(&mut d, 80, 24);
        assert!(text.contains("W2611230007"), "{text}");
        key(&mut d, KeyCode::Char(':'));
        keys(&mut d, "W9999");
        key(&mut d, KeyCode::Enter);
        let text = screen(&mut d, 80, 24);
        assert!(
            text.contains(lang.pick("没有这张维修单：W9999", "no such ticket: W9999")),
            "{text}"
        );
    }
}

/// `:` to a request waiting for the region, which no pane shows, opens
/// its detail (before, the panes were shown without it).
#[test]
fn colon_opens_a_cancel_request_in_its_detail() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('W'));
    let no = d
        .selected()
        .map(|t| t.ticket_no.clone())
        .expect("the demo station has a cancel request");
    key(&mut d, KeyCode::Char('M'));
    key(&mut d, KeyCode::Char(':'));
    keys(&mut d, &no);
    key(&mut d, KeyCode::Enter);
    assert_eq!(
        d.selected().map(|t| t.ticket_no.as_str()),
        Some(no.as_str())
    );
    let text = screen(&mut d, 80, 24);
    assert!(text.contains("Cancel requested"), "{text}");
}

/// `q` on a screen opened over the panes goes back; F1 opens the help; `m`
/// lets the terminal have the mouse (to copy a phone number) and back.
#[test]
fn q_goes_back_f1_helps_m_toggles_the_mouse() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('A'));
    key(&mut d, KeyCode::Char('q'));
    assert!(!d.should_quit());
    assert!(screen(&mut d, 160, 45).contains("▶ 1 Queued"));
    key(&mut d, KeyCode::F(1));
    assert!(screen(&mut d, 160, 45).contains("Keys (?, F1 or esc closes)"));
    key(&mut d, KeyCode::F(1));
    assert!(d.mouse());
    key(&mut d, KeyCode::Char('m'));
    assert!(!d.mouse());
    assert!(screen(&mut d, 160, 45).contains("mouse off: drag to select"));
    key(&mut d, KeyCode::Char('m'));
    assert!(d.mouse());
    key(&mut d, KeyCode::Char('q'));
    assert!(d.should_quit());
    let mut d = dashboard(Lang::En);
    d.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(d.should_quit(), "ctrl-c quits");
}

/// The key tables of docs/dashboard.md are the key table's own rendering;
/// `UPDATE_DOCS=1` writes them.
#[test]
fn docs_key_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/dashboard.md");
    let doc = std::fs::read_to_string(path).expect("docs/dashboard.md");
    let begin = doc.find("<!-- keys:begin").expect("keys:begin marker");
    let begin = begin + doc[begin..].find('\n').expect("marker line") + 1;
    let end = doc.find("<!-- keys:end -->").expect("keys:end marker");
    let tables = repairdesk::tui::keymap::KeyMap::default().markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let new = format!("{}{}{}", &doc[..begin], tables, &doc[end..]);
        std::fs::write(path, new).expect("write docs");
        return;
    }
    assert_eq!(
        &doc[begin..end],
        tables,
        "docs/dashboard.md's key tables are stale: UPDATE_DOCS=1 cargo test --test tui docs_key_tables"
    );
}

/// The form runs the same decision as you type: the rule that would refuse
/// shows before Enter, what will be written shows once the input is allowed,
/// a refusal clears when the field is edited, and Ctrl-W deletes a word.
#[test]
fn forms_validate_as_you_type() {
    for (w, h) in [(80, 24), (160, 45)] {
        both(&format!("promise_dry_run_{w}x{h}"), |d| {
            let l = d.app().lang;
            key(d, KeyCode::Char('p'));
            keys(d, "09:00");
            let text = screen(d, w, h);
            assert!(
                text.contains(l.pick("将被拒绝", "would be refused")) && text.contains("R5"),
                "{text}"
            );
            key(d, KeyCode::Enter);
            // Edited: the refusal of the last submit goes away.
            d.handle_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
            d.handle_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
            keys(d, "14:00");
            let text = screen(d, w, h);
            assert!(!text.contains("R5"), "{text}");
            assert!(text.contains(l.pick("将写入：", "will write:")), "{text}");
            assert!(
                d.store()
                    .get("W2611260002")
                    .expect("ticket")
                    .promises()
                    .is_empty(),
                "nothing written before Enter"
            );
            text
        });
    }
}

/// An irreversible fact is never a default: the contact result must be
/// chosen, and the confirmation wants `y`, not another Enter.
#[test]
fn irreversible_facts_need_an_explicit_choice() {
    let mut d = dashboard(Lang::En);
    key(&mut d, KeyCode::Char('c'));
    key(&mut d, KeyCode::Enter);
    let text = screen(&mut d, 80, 24);
    assert!(text.contains("Result: choose with ←/→"), "{text}");
    key(&mut d, KeyCode::Right);
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Enter);
    let text = screen(&mut d, 80, 24);
    assert!(
        text.contains("Write this? It cannot be undone (y yes"),
        "{text}"
    );
    let contacts = |d: &Dashboard| {
        d.store()
            .get("W2611260002")
            .expect("ticket")
            .progress
            .contacts
            .len()
    };
    assert_eq!(contacts(&d), 0);
    key(&mut d, KeyCode::Char('y'));
    assert_eq!(contacts(&d), 1);
}

/// `e` corrects the selected ticket (R19): the form shows every correctable
/// field filled in; what is changed becomes one event with old and new.
#[test]
fn edit_form_corrects_the_ticket_in_one_event() {
    both("edit_form", |d| {
        key(d, KeyCode::Char('e'));
        screen(d, 160, 45)
    });
    let mut d = dashboard(Lang::En);
    let no = d.selected().expect("a queued ticket").ticket_no.clone();
    key(&mut d, KeyCode::Char('e'));
    // Customer, then phones: replace them.
    key(&mut d, KeyCode::Tab);
    for _ in 0..20 {
        key(&mut d, KeyCode::Backspace);
    }
    keys(&mut d, "13700137000");
    key(&mut d, KeyCode::Enter);
    let t = d.store().get(&no).expect("ticket");
    assert_eq!(t.customer.phones, vec!["13700137000"]);
    let history = d.store().history(&no).expect("history");
    let last = history.last().expect("an event");
    match &last.change {
        repairdesk::domain::event::Change::Corrected { corrections, .. } => {
            assert_eq!(corrections.len(), 1, "{corrections:?}");
            assert_eq!(corrections[0].new, "13700137000");
        }
        other => panic!("not a correction: {other:?}"),
    }
}

/// Once T33 is used the promise key never offers a "T34": it records the
/// escalation or an appointment (R12).
#[test]
fn the_promise_key_at_t33_offers_escalation_and_appointment() {
    let prepare = |d: &mut Dashboard| -> String {
        let no = d.selected().expect("a queued ticket").ticket_no.clone();
        let other = app(Lang::En, now());
        for (h, reason) in [(13, None), (14, Some("改期")), (15, Some("再改期"))] {
            d.store_mut()
                .execute(
                    &no,
                    &Command::Promise {
                        at: at(27, h, 0),
                        ptype: None,
                        reason: reason.map(str::to_string),
                    },
                    &other.env(),
                    None,
                )
                .expect("promise");
        }
        d.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
        no
    };
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = dashboard(lang);
        prepare(&mut d);
        key(&mut d, KeyCode::Char('p'));
        let text = screen(&mut d, 160, 45);
        assert!(!text.contains("T34"), "{text}");
        insta::assert_snapshot!(format!("after_t33_form_{tag}"), text);
    }
    let mut d = dashboard(Lang::En);
    let no = prepare(&mut d);
    key(&mut d, KeyCode::Char('p'));
    // Escalation first (not escalated yet): a note, then submit.
    key(&mut d, KeyCode::Tab);
    key(&mut d, KeyCode::Tab);
    keys(&mut d, "three promises used");
    key(&mut d, KeyCode::Enter);
    let t = d.store().get(&no).expect("ticket");
    assert_eq!(t.progress.escalations.len(), 1);
    // Then the appointment: the form proposes it now.
    key(&mut d, KeyCode::Char('p'));
    key(&mut d, KeyCode::Tab);
    keys(&mut d, "2026-11-28 10:00");
    key(&mut d, KeyCode::Enter);
    let t = d.store().get(&no).expect("ticket");
    assert_eq!(t.due_at(), Some(at(28, 10, 0)));
    assert_eq!(t.promises().len(), 3);
}

/// The dispatch form and `ticket dispatch --site` store the same site: the
/// rules read every command trimmed (`Command::normalized`), whoever sent it
/// (the command line's half is in tests/cli.rs).
#[test]
fn a_site_typed_with_blanks_is_stored_trimmed() {
    let mut d = dashboard(Lang::En);
    // W2611250004 is printed and dispatched to 王工: dispatch it again.
    key(&mut d, KeyCode::Char('2'));
    key(&mut d, KeyCode::Down);
    let no = d
        .selected()
        .expect("an in-progress ticket")
        .ticket_no
        .clone();
    assert_eq!(no, "W2611250004");
    key(&mut d, KeyCode::Char('d'));
    key(&mut d, KeyCode::Tab);
    keys(&mut d, "  总站 ");
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Char('y'));
    let t = d.store().get(&no).expect("ticket");
    assert_eq!(
        t.site.as_deref(),
        Some("总站"),
        "{}",
        screen(&mut d, 160, 45)
    );
}

/// A refusal names the missing fact; the dashboard says where to give it
/// (a field of the form), never a command-line flag.
#[test]
fn a_refusal_points_to_the_forms_field() {
    for (lang, hint) in [
        (Lang::En, "write \"system outage\" in Unprinted why"),
        (Lang::Zh, "在「未打印原因」写明 系统故障"),
    ] {
        let mut d = dashboard(lang);
        // W2611250005 is in progress and its work order is not printed.
        key(&mut d, KeyCode::Char('2'));
        key(&mut d, KeyCode::Char('d'));
        let text = screen(&mut d, 160, 45);
        let flat: String = text
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
            .collect();
        assert!(flat.contains("(R7)"), "{text}");
        assert!(flat.contains(hint), "{text}");
        assert!(!text.contains("--override"), "{text}");
    }
}

/// The demo station as `repairdesk demo` opens it.
fn demo_dashboard(lang: Lang) -> Dashboard {
    let a = app(lang, now());
    let mut store = Store::open_in_memory().expect("store");
    repairdesk::demo::seed(&mut store, &a, 300, 1).expect("demo station");
    let mut d = Dashboard::new(a, store).expect("dashboard");
    d.set_no_color(true);
    d
}

/// §5: at 80×24 nothing important is cut: the header keeps its parts
/// apart, the footer keeps every key, the ticket number, customer, next
/// step and deadline are whole; zoomed at 160×45 the phone and address
/// join them. Alerts show their advice in full, the reports their counts.
#[test]
fn nothing_important_is_cut_on_the_demo_station() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = demo_dashboard(lang);
        let main = screen(&mut d, 80, 24);
        let header = main.lines().next().expect("header");
        assert!(!header.contains("coordinator2026"), "{header}");
        // The footer says whole words: the keys it has no room for give
        // way (the help lists them), never a word cut to its first letters.
        let footer = main.lines().last().expect("footer");
        let words = match lang {
            Lang::En => [
                "q quit",
                "?/F1 help",
                "↵ detail",
                "c contact",
                "p promise",
                "d dispatch",
                "v visit",
            ],
            Lang::Zh => [
                "q 退出",
                "?/F1 帮助",
                "↵ 详情",
                "c 联系",
                "p 承诺",
                "d 派工",
                "v 上门",
            ],
        };
        for k in words {
            assert!(footer.contains(k), "{tag}: {k:?} kept in {footer:?}");
        }
        for cut in ["deta ", "filt ", "cont ", "prom ", "disp ", "visi "] {
            assert!(!footer.contains(cut), "{tag}: {cut:?} in {footer:?}");
        }
        // The first queued ticket of the demo, its step and its countdown.
        let row = main
            .lines()
            .find(|l| l.contains("W202611220007"))
            .expect("the most urgent row");
        let (step, countdown) = match lang {
            Lang::En => ("promise", "contact late 91:18"),
            Lang::Zh => ("承诺", "联系 超时91:18"),
        };
        assert!(row.contains("沈超") && row.contains(step), "{row}");
        assert!(row.contains(countdown), "{row}");
        let t = d.store().get("W202611220007").expect("ticket");
        assert!(row.contains(&t.product.model), "the model in {row}");
        insta::assert_snapshot!(format!("demo_80x24_{tag}"), main);
        // Filtered counts on the tabs: all four stay whole.
        key(&mut d, KeyCode::Char('/'));
        keys(&mut d, "2026");
        let filtered = screen(&mut d, 80, 24);
        let tabs = filtered.lines().nth(1).expect("tabs");
        let last = match lang {
            Lang::En => "4 Multi-repair 6/6",
            Lang::Zh => "4 多次维修中 6/6",
        };
        assert!(tabs.contains(last), "{tabs}");
        key(&mut d, KeyCode::Esc);
        key(&mut d, KeyCode::Esc);

        key(&mut d, KeyCode::Char('z'));
        let zoomed = screen(&mut d, 160, 45);
        let row = zoomed
            .lines()
            .find(|l| l.contains("W202611220007"))
            .expect("the most urgent row");
        let t = d.store().get("W202611220007").expect("ticket");
        assert!(row.contains(t.first_phone()), "phone in {row}");
        assert!(
            row.contains(&t.customer.address) || row.contains('…'),
            "address in {row}"
        );
        insta::assert_snapshot!(format!("demo_zoom_160x45_{tag}"), zoomed);
        key(&mut d, KeyCode::Char('z'));

        key(&mut d, KeyCode::Char('A'));
        key(&mut d, KeyCode::Char('j'));
        let alerts = screen(&mut d, 80, 24);
        // 丁浩's R2 advice ends in "(R2)": the panel shows it to the end.
        assert!(
            alerts.contains("(R2)") || alerts.contains("（R2）"),
            "{alerts}"
        );
        insta::assert_snapshot!(format!("demo_alerts_80x24_{tag}"), alerts);
        insta::assert_snapshot!(format!("demo_alerts_160x45_{tag}"), screen(&mut d, 160, 45));

        key(&mut d, KeyCode::Char('R'));
        let reports = screen(&mut d, 80, 24);
        for line in reports
            .lines()
            .filter(|l| l.contains("wrong number") || l.contains("空号"))
        {
            assert!(line.trim_end().ends_with("5│"), "the count is kept: {line}");
        }
        insta::assert_snapshot!(format!("demo_reports_80x24_{tag}"), reports);
    }
}

/// #12 §5: the cancel-request and closed views give every column but the
/// last its room, and show the selected row's note (product and fault) in
/// full under the list, at 80×24 and 160×45, in both languages.
#[test]
fn the_cancel_and_closed_views_show_the_last_column_whole() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = demo_dashboard(lang);
        key(&mut d, KeyCode::Char('W'));
        key(&mut d, KeyCode::Char('j'));
        // The demo's unreachable request, whose note 80 columns once cut.
        let t = d.store().get("W202611190003").expect("ticket");
        let note = t.progress.cancel.as_ref().expect("a request").note.clone();
        assert!(!note.is_empty());
        for (w, h) in [(80, 24), (160, 45)] {
            let text = screen(&mut d, w, h);
            let flat: String = text.lines().map(|l| l.trim_matches('│').trim()).collect();
            assert!(flat.contains(&note), "{tag} {w}: {note} in\n{text}");
            insta::assert_snapshot!(format!("cancels_{w}x{h}_{tag}"), text);
        }
        key(&mut d, KeyCode::Char('L'));
        let first = d.store().get("W202611260015").expect("ticket");
        for (w, h) in [(80, 24), (160, 45)] {
            let text = screen(&mut d, w, h);
            let flat: String = text.lines().map(|l| l.trim_matches('│').trim()).collect();
            assert!(
                flat.contains(&first.fault) && flat.contains(&first.product.model),
                "{tag} {w}: the fault in\n{text}"
            );
            insta::assert_snapshot!(format!("closed_{w}x{h}_{tag}"), text);
        }
    }
}

/// R2 on the dashboard: a customer still unreachable five working days
/// after T1 no longer shows "contact": the row says to ask the region to
/// cancel, as `ticket show` does, at 80×24 and 160×45 in both languages.
#[test]
fn an_unreachable_ticket_past_the_limit_shows_the_cancel_request() {
    let later = at(26, 11, 30) + chrono::Duration::days(7);
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let a = app(lang, now());
        let mut store = Store::open_in_memory().expect("store");
        repairdesk::demo::seed(&mut store, &a, 300, 1).expect("demo station");
        let mut d = Dashboard::new(app(lang, later), store).expect("dashboard");
        d.set_no_color(true);
        // Unreachable since 11-20: the limit was 11-27.
        let t = d.store().get("W202611200002").expect("ticket");
        assert!(t.is_unreachable(), "the demo's unreachable customer");
        key(&mut d, KeyCode::Char('/'));
        keys(&mut d, "W202611200002");
        key(&mut d, KeyCode::Enter);
        let step = match lang {
            Lang::En => " cancel ",
            Lang::Zh => " 申请撤单 ",
        };
        for (w, h) in [(80, 24), (160, 45)] {
            let text = screen(&mut d, w, h);
            let row = text
                .lines()
                .find(|l| l.contains("W202611200002"))
                .unwrap_or_else(|| panic!("{tag} {w}: no row\n{text}"));
            assert!(row.contains(step), "{tag} {w}: {row}");
        }
    }
}

/// #11: a header warning (no holiday table for the year) never hides the
/// station's alert counts: with a long station name and actor at 80
/// columns the name gives way, then the clock, and the counts stay whole.
#[test]
fn a_header_warning_keeps_the_alert_counts() {
    let new_year = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2027, 1, 4, 10, 30, 0)
        .single()
        .expect("local time")
        .with_timezone(&chrono::Utc);
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut a = app(lang, new_year);
        a.settings.station.name = "北京市海淀区中关村授权服务站".into();
        a.settings.station.code = "BJ-0101".into();
        a.actor = "调度员小李".into();
        let mut d = Dashboard::new(a, station()).expect("dashboard");
        d.set_no_color(true);
        let mut shot = String::new();
        for (w, h) in [(80, 24), (160, 45)] {
            let text = screen(&mut d, w, h);
            let header = text.lines().next().expect("header").to_string();
            let counts = match lang {
                Lang::En => "alerts ✗",
                Lang::Zh => "告警 ✗",
            };
            assert!(header.contains(counts), "{tag} {w}: {header}");
            assert!(header.trim_end().ends_with(char::is_numeric), "{header}");
            assert!(header.contains("⚠") && header.contains("2027"), "{header}");
            shot.push_str(&format!("{w}×{h}:\n{header}\n"));
        }
        insta::assert_snapshot!(format!("header_warning_{tag}"), shot);
    }
}

/// §5: the customer sort is by pinyin (北 bei, 蔡 cai, 崔 cui, 丁 ding …),
/// not by code point (丁 U+4E01 would come first); the sorted column is marked.
#[test]
fn customers_sort_by_pinyin_and_the_sort_column_is_marked() {
    let mut d = demo_dashboard(Lang::Zh);
    keys(&mut d, "ss");
    let text = screen(&mut d, 160, 45);
    assert!(text.contains("用户↓"), "{text}");
    let names: Vec<&str> = text
        .lines()
        .skip(3)
        .take(4)
        .map(|l| {
            let cells: Vec<&str> = l
                .split('│')
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let no = cells.iter().position(|c| c.starts_with("W2026"));
            no.and_then(|i| cells.get(i + 1).copied()).unwrap_or("")
        })
        .collect();
    assert!(names[0].starts_with("北京日报社"), "{text}");
    assert_eq!(names[1..], ["蔡婷", "崔博文", "丁浩"], "{text}");
    key(&mut d, KeyCode::Char('S'));
    assert!(screen(&mut d, 160, 45).contains("用户↑"));
}

/// §4: a ticket fixed on site waits for the signature: its row says
/// "sign" and when it was fixed, never the promise it no longer needs.
#[test]
fn a_fixed_ticket_says_sign_not_its_old_promise() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = dashboard(lang);
        let before = screen(&mut d, 160, 45);
        let row = |text: &str| {
            text.lines()
                .find(|l| l.contains("W2611250004"))
                .map(str::to_string)
                .expect("赵敏's row")
        };
        assert!(row(&before).contains("T31 11-26 15:00"), "{before}");
        let a = app(lang, now());
        d.store_mut()
            .execute(
                "W2611250004",
                &Command::Visit {
                    result: VisitResult::Fixed,
                    arrived: Some(at(26, 10, 0)),
                    done: Some(at(26, 11, 0)),
                    next: None,
                    note: String::new(),
                },
                &a.env(),
                None,
            )
            .expect("fixed");
        d.reload();
        let after = screen(&mut d, 160, 45);
        let (sign, fixed) = match lang {
            Lang::En => ("sign", "fixed 11-26 11:00"),
            Lang::Zh => ("签字", "修复 11-26 11:00"),
        };
        assert!(row(&after).contains(sign), "{tag}: {}", row(&after));
        assert!(row(&after).contains(fixed), "{tag}: {}", row(&after));
        assert!(!row(&after).contains("T31"), "{tag}: {}", row(&after));
        insta::assert_snapshot!(format!("fixed_waits_for_signature_80x24_{tag}"), {
            key(&mut d, KeyCode::Char('2'));
            screen(&mut d, 80, 24)
        });
    }
}

/// §5: the detail view wraps long facts and history entries instead of
/// cutting them at the border, and its last page stays full.
#[test]
fn the_detail_view_wraps_long_lines() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut d = demo_dashboard(lang);
        // 马红's ticket, first in Multi-repair: a visit that did not fix it
        // and the T32 written with it make the longest history entry.
        key(&mut d, KeyCode::Char('4'));
        key(&mut d, KeyCode::Enter);
        d.resize(80, 24);
        key(&mut d, KeyCode::Char('G'));
        let text = screen(&mut d, 80, 24);
        let joined: String = text
            .lines()
            .filter_map(|l| l.strip_prefix('│'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace() && *c != '│'))
            .collect();
        assert_eq!(
            joined.matches("上次维修未修复，需再次维修").count(),
            2,
            "{tag}: the T32 reason whole in the timeline and in the history\n{text}"
        );
        let body: Vec<&str> = text.lines().skip(2).take(19).collect();
        assert!(
            body.iter()
                .filter(|l| l.trim_matches(['│', ' ']).is_empty())
                .count()
                < 3,
            "{tag}: the last page is full\n{text}"
        );
        insta::assert_snapshot!(format!("detail_wrapped_80x24_{tag}"), text);
        d.resize(160, 45);
        key(&mut d, KeyCode::Char('g'));
        insta::assert_snapshot!(format!("detail_demo_160x45_{tag}"), screen(&mut d, 160, 45));
    }
}

/// §5: the help overlay shows every key's description whole at 160×45 —
/// long ones wrapped under themselves, none cut at a column's edge.
#[test]
fn the_help_shows_every_description_whole() {
    use repairdesk::tui::keymap::Action;
    for lang in [Lang::En, Lang::Zh] {
        let mut d = dashboard(lang);
        key(&mut d, KeyCode::F(1));
        let text = screen(&mut d, 160, 45);
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '│')
                .collect()
        };
        // Column by column: the left half of the popup, then the right.
        // The characters of each line whose display column is in `range`.
        let column = |range: std::ops::Range<usize>| -> String {
            text.lines()
                .map(|l| {
                    let mut col = 0;
                    let mut part = String::new();
                    for c in l.chars() {
                        if range.contains(&col) {
                            part.push(c);
                        }
                        col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    }
                    squeeze(&part)
                })
                .collect()
        };
        let (left, right) = (column(0..80), column(80..200));
        for a in Action::ALL {
            let want = squeeze(a.describe(lang));
            assert!(
                left.contains(&want) || right.contains(&want),
                "{lang:?}: {:?} not whole in\n{text}",
                a.describe(lang)
            );
        }
        // At 80×24 it scrolls, and stops at its end: one page back up
        // leaves the end at once.
        d.resize(80, 24);
        for _ in 0..30 {
            key(&mut d, KeyCode::PageDown);
        }
        let end = screen(&mut d, 80, 24);
        assert!(end.contains("dispatch = \"F5\""), "{end}");
        key(&mut d, KeyCode::PageUp);
        assert!(!screen(&mut d, 80, 24).contains("dispatch = \"F5\""));
    }
}
