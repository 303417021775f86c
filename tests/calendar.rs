//! Next year's calendar: the holiday tables are data, the station adds a
//! year through its configuration, and a deadline in a year without a
//! table raises `calendar_unknown` on every surface (alerts, reports, the
//! dashboard header).

mod common;

use std::path::Path;

use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use repairdesk::domain::clock::FixedClock;
use repairdesk::domain::command::NewTicket;
use repairdesk::domain::settings::Settings;
use repairdesk::domain::text::Lang;
use repairdesk::domain::ticket::*;
use repairdesk::setup::app::App;
use repairdesk::setup::config::Config;
use repairdesk::store::Store;
use repairdesk::tui::Dashboard;
use serde_json::Value;

/// 2027's New Year holiday as the State Council might publish it.
const TABLE_2027: &str = r#"year = 2027
holidays = [{ name = "元旦", from = "2027-01-01", to = "2027-01-03" }]
workdays = []
"#;

/// A special customer's ticket at 16:00 on the last working day of 2026:
/// R14's half working day runs into 2027.
fn special_ticket(desk: &Desk, config: Option<&Path>) -> String {
    let mut c = desk.cmd();
    if let Some(cfg) = config {
        c.arg("--config").arg(cfg);
    }
    let out = c
        .args([
            "--now",
            "2026-12-31 16:00",
            "ticket",
            "new",
            "--customer",
            "张伟",
        ])
        .args(["--phone", "13800138000", "--fault", "no power"])
        .args(["--service-type", "carry-in", "--special"])
        .output()
        .unwrap();
    assert_ok(&out, &["ticket new --special"]);
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn json(desk: &Desk, config: Option<&Path>, now: &str, args: &[&str]) -> Value {
    let mut c = desk.cmd();
    if let Some(cfg) = config {
        c.arg("--config").arg(cfg);
    }
    let out = c
        .args(["--now", now, "--json"])
        .args(args)
        .output()
        .unwrap();
    assert_ok(&out, args);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn kinds(alerts: &Value) -> Vec<&str> {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect()
}

/// The switch at the year boundary: without a 2027 table the R14 deadline
/// counts 2027-01-01 as a working day and every surface warns; with the
/// table supplied through the configuration (a file or inline) the
/// holiday counts, the deadline moves to Monday 2027-01-04 and no warning
/// is left.
#[test]
fn calendar_unknown_at_the_year_boundary_until_the_station_adds_the_year() {
    let desk = Desk::new();
    let no = special_ticket(&desk, None);
    let now = "2026-12-31 16:30";

    let alerts = json(&desk, None, now, &["alerts"]);
    assert_eq!(kinds(&alerts), ["special_notify", "calendar_unknown"]);
    assert_eq!(alerts[0]["due"], "2027-01-01T11:45:00+08:00");
    assert_eq!(alerts[1]["ticket_no"], no.as_str());
    assert_eq!(alerts[1]["level"], "warning");
    assert!(
        alerts[1]["message"].as_str().unwrap().contains("2027"),
        "{alerts}"
    );
    let text = desk.run(&["--now", now, "alerts"]);
    assert!(
        stderr(&text).contains("no holiday table for 2027"),
        "{}",
        stderr(&text)
    );
    let review = json(&desk, None, now, &["report", "unfinished"]);
    assert_eq!(review["calendar_unknown"], serde_json::json!([2027]));
    assert!(
        review["tickets"][0]["calendar_unknown"].is_object(),
        "{review}"
    );
    let kpi = json(&desk, None, now, &["report", "kpi", "--month", "2027-01"]);
    assert_eq!(kpi["calendar_unknown"], serde_json::json!([2027]));
    let kpi = json(&desk, None, now, &["report", "kpi", "--month", "2026-12"]);
    assert_eq!(kpi["calendar_unknown"], serde_json::json!([]));

    // The station adds 2027: as a file beside its configuration…
    std::fs::create_dir_all(desk.path("etc")).unwrap();
    std::fs::write(desk.path("etc/cn-2027.toml"), TABLE_2027).unwrap();
    let by_file = desk.path("etc/by-file.toml");
    std::fs::write(&by_file, "[calendar]\nyear_files = [\"cn-2027.toml\"]\n").unwrap();
    // …or inline.
    let inline = desk.path("etc/inline.toml");
    std::fs::write(
        &inline,
        format!("[calendar]\n[[calendar.year]]\n{}", TABLE_2027),
    )
    .unwrap();
    for cfg in [&by_file, &inline] {
        let alerts = json(&desk, Some(cfg), now, &["alerts"]);
        assert_eq!(kinds(&alerts), ["special_notify"], "{}", cfg.display());
        assert_eq!(alerts[0]["due"], "2027-01-04T11:45:00+08:00");
        let review = json(&desk, Some(cfg), now, &["report", "unfinished"]);
        assert_eq!(review["calendar_unknown"], serde_json::json!([]));
        assert!(review["tickets"][0]["calendar_unknown"].is_null());
        let kpi = json(
            &desk,
            Some(cfg),
            now,
            &["report", "kpi", "--month", "2027-01"],
        );
        assert_eq!(kpi["calendar_unknown"], serde_json::json!([]));
        let text = desk
            .cmd()
            .arg("--config")
            .arg(cfg)
            .args(["--now", now, "alerts"])
            .output()
            .unwrap();
        assert!(
            !stderr(&text).contains("holiday table"),
            "{}",
            stderr(&text)
        );
    }
}

/// A bad holiday table is a configuration error naming the file, line and
/// what is wrong, before any command runs.
#[test]
fn a_bad_holiday_table_names_its_file_and_line() {
    let desk = Desk::new();
    std::fs::create_dir_all(desk.path("etc")).unwrap();
    std::fs::write(
        desk.path("etc/cn-2027.toml"),
        "year = 2027\nholidays = [\n  { from = \"2027-02-30\" },\n]\n",
    )
    .unwrap();
    let cfg = desk.path("etc/config.toml");
    std::fs::write(&cfg, "[calendar]\nyear_files = [\"cn-2027.toml\"]\n").unwrap();
    let out = desk
        .cmd()
        .arg("--config")
        .arg(&cfg)
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cn-2027.toml:3:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("2027-02-30"), "{}", stderr(&out));

    let twice = desk.path("etc/twice.toml");
    std::fs::write(
        &twice,
        format!("[calendar]\n[[calendar.year]]\n{TABLE_2027}\n[[calendar.year]]\n{TABLE_2027}"),
    )
    .unwrap();
    let out = desk
        .cmd()
        .arg("--config")
        .arg(&twice)
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("twice.toml:7:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("given twice"), "{}", stderr(&out));
}

fn header(settings: Settings) -> String {
    let at =
        |s: &str| repairdesk::domain::when::parse_datetime(s, chrono_tz::Asia::Shanghai).unwrap();
    let app = |t| {
        App::new(
            settings.clone(),
            Box::new(FixedClock(t)),
            "coord".into(),
            Lang::En,
            std::path::PathBuf::from(":memory:"),
        )
    };
    let mut store = Store::open_in_memory().unwrap();
    let ticket = NewTicket {
        ticket_no: "W1".into(),
        source: Source::Cc,
        t1: at("2026-12-31 16:00"),
        service_type: ServiceType::CarryIn,
        priority: Priority::Normal,
        special: true,
        urge: false,
        customer: Customer {
            name: "张伟".into(),
            phones: vec!["13800138000".into()],
            address: String::new(),
            district: String::new(),
        },
        product: Product {
            line: String::new(),
            model: String::new(),
            serial: String::new(),
            warranty: Warranty::In,
        },
        fault: "no power".into(),
        note: String::new(),
    };
    store
        .create(ticket, &app(at("2026-12-31 16:00")).env())
        .unwrap();
    let mut d = Dashboard::new(app(at("2026-12-31 16:30")), store).unwrap();
    d.set_no_color(true);
    d.resize(200, 30);
    let mut term = Terminal::new(TestBackend::new(200, 30)).unwrap();
    term.draw(|f| d.render(f)).unwrap();
    let buf = term.backend().buffer();
    (0..200).map(|x| buf[(x, 0)].symbol().to_string()).collect()
}

/// The dashboard's header names the missing year, and stops once the
/// station supplies it.
#[test]
fn calendar_unknown_in_the_dashboard_header() {
    let shown = header(Settings::default());
    assert!(shown.contains("no holiday table for 2027"), "{shown}");
    let with_2027 = Config::from_toml_str(
        &format!("[calendar]\n[[calendar.year]]\n{TABLE_2027}"),
        Path::new("config.toml"),
    )
    .unwrap()
    .settings;
    let shown = header(with_2027);
    assert!(!shown.contains("holiday table"), "{shown}");
}

/// The tests through the binary again, on a PostgreSQL database (skipped
/// without a server, except under CI); the dashboard header's is in-process.
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres(
        "on_postgresql_too",
        &["calendar_unknown_in_the_dashboard_header"],
    );
}
