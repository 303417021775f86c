//! The dashboard on a hostile station, in process (no terminal): shared by
//! the output tests (hostile text drawn inert) and the role tests (an
//! engineer acting as themselves).

use std::path::PathBuf;

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::{Command, NewTicket};
use repairdesk::domain::settings::Settings;
use repairdesk::domain::staff::StaffChange;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::*;
use repairdesk::setup::app::App;
use repairdesk::store::Store;
use repairdesk::tui::Dashboard;

fn at(d: u32, h: u32, m: u32) -> Time {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .single()
        .expect("local time")
        .with_timezone(&chrono::Utc)
}

fn app(actor: &str, lang: Lang) -> App {
    App::new(
        Settings::default(),
        Box::new(FixedClock(at(26, 11, 30))),
        actor.into(),
        lang,
        PathBuf::from(":memory:"),
    )
}

pub const NASTY: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m红\u{9b}1m\u{202e}evil\u{2066}\r\n\t\u{8}\u{7f}\u{2028}end";

/// A station with one hostile ticket dispatched to 王工 and one plain one.
fn station() -> (Store, String) {
    let mut store = Store::open_in_memory().expect("store");
    let coord = app("coord", Lang::En);
    let add = StaffChange::add("王工", 4);
    store.staff_change(&add, &coord.env()).expect("staff");
    let long: String = "长\u{1b}[1;1H\u{202e}x".repeat(10_000);
    let no = format!("W{NASTY}1");
    let ticket = |no: &str, name: &str, fault: &str| NewTicket {
        ticket_no: no.into(),
        source: Source::Cc,
        t1: at(26, 8, 0),
        service_type: ServiceType::Onsite,
        priority: Priority::Normal,
        special: false,
        urge: false,
        customer: Customer {
            name: name.into(),
            phones: vec!["13800138000".into()],
            address: format!("地址{NASTY}"),
            district: format!("区{NASTY}"),
        },
        product: Product {
            line: NASTY.into(),
            model: format!("\u{1b}]8;;http://evil.example/\u{1b}\\link{NASTY}"),
            serial: format!("\u{200f}SN{NASTY}"),
            warranty: Warranty::In,
        },
        fault: fault.into(),
        note: NASTY.into(),
    };
    store
        .create(ticket(&no, NASTY, &long), &coord.env())
        .expect("create");
    store
        .create(ticket("W2", "张伟", "不开机"), &coord.env())
        .expect("create");
    for cmd in [
        Command::Contact {
            result: ContactResult::Reached,
            note: NASTY.into(),
        },
        Command::Promise {
            at: at(26, 15, 0),
            ptype: None,
            reason: Some(NASTY.into()),
        },
        Command::Dispatch {
            engineer: "王工".into(),
            site: None,
            override_reason: Some(format!("系统故障 {NASTY}")),
        },
    ] {
        store
            .execute(&no, &cmd, &coord.env(), None)
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    (store, no)
}

fn key(d: &mut Dashboard, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    d.handle_key(KeyEvent::new(code, mods));
}

/// Draws the dashboard; fails on any unsafe character in any cell.
fn draw(d: &mut Dashboard, what: &str) -> String {
    let (w, h) = (160, 45);
    d.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| d.render(f)).expect("draw");
    let buf = term.backend().buffer();
    let mut text = String::new();
    for y in 0..h {
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            super::db::assert_inert(sym, &format!("{what} cell ({x},{y})"));
            text.push_str(sym);
        }
        text.push('\n');
    }
    text
}

/// Every screen of the dashboard, in both languages, draws the hostile
/// station's text inert.
pub fn hostile_text_is_inert_on_every_screen() {
    for lang in [Lang::En, Lang::Zh] {
        let (store, _) = station();
        let mut d = Dashboard::new(app("coord", lang), store).expect("dashboard");
        d.set_no_color(true);
        let main = draw(&mut d, "main");
        assert!(main.contains("pwned"), "the hostile ticket is on screen");
        for pane in ['1', '2', '3', '4'] {
            key(&mut d, KeyCode::Char(pane));
            draw(&mut d, "pane");
            key(&mut d, KeyCode::Enter);
            draw(&mut d, "detail");
            key(&mut d, KeyCode::Esc);
        }
        d.open_engineer(
            "王工",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day"),
        );
        let day = draw(&mut d, "engineer");
        assert!(day.contains("pwned"), "the hostile ticket is in 王工's day");
    }
}

/// The engineer view used by the engineer: only a visit gets through.
pub fn engineer_acting_as_themselves_can_only_record_a_visit() {
    let (store, no) = station();
    let before = store.get(&no).expect("ticket").version;
    let mut d = Dashboard::new(app("王工", Lang::En), store).expect("dashboard");
    d.set_no_color(true);
    d.open_engineer(
        "王工",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("day"),
    );
    for (action, typed) in [('c', ""), ('p', "16:00"), ('u', ""), ('C', ""), ('d', "")] {
        key(&mut d, KeyCode::Char(action));
        // An outcome is chosen, never defaulted (the contact result).
        key(&mut d, KeyCode::Right);
        for ch in typed.chars() {
            key(&mut d, KeyCode::Char(ch));
        }
        // Submit: a refused write is never put to the confirmation.
        key(&mut d, KeyCode::Enter);
        let screen = draw(&mut d, "refused form");
        assert!(
            screen.contains("(role)"),
            "'{action}': no refusal shown:\n{screen}"
        );
        key(&mut d, KeyCode::Esc);
        assert_eq!(
            d.store().get(&no).expect("ticket").version,
            before,
            "'{action}' changed the ticket for an engineer"
        );
    }
    key(&mut d, KeyCode::Char('v'));
    key(&mut d, KeyCode::Right);
    key(&mut d, KeyCode::Enter);
    key(&mut d, KeyCode::Char('y'));
    let after = d.store().get(&no).expect("ticket");
    assert_eq!(after.version, before + 1, "the visit was not recorded");
    let history = d.store().history(&no).expect("history");
    assert_eq!(history.last().map(|e| e.actor.as_str()), Some("王工"));
}

/// The dashboard's first screen on `store`, drawn at 160×45 (English);
/// then, after `meanwhile` (another tool at work) and a reload, again.
pub fn first_screen_and_after(store: Store, meanwhile: impl FnOnce()) -> (String, String) {
    let mut d = Dashboard::new(app("coord", Lang::En), store).expect("dashboard");
    d.set_no_color(true);
    let first = draw(&mut d, "first screen");
    meanwhile();
    d.reload();
    (first, draw(&mut d, "after the reload"))
}

/// The dashboard drawn at `w`×`h` as text, a line a row: a wide character
/// once (not followed by the cell it covers), each line without its
/// trailing blanks. Shared by the dashboard's in-process tests.
pub fn screen(d: &mut Dashboard, w: u16, h: u16) -> String {
    d.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| d.render(f)).expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            line.push_str(s);
            skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
