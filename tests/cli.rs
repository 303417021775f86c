//! The command line through the real binary, against a temporary database.

use serde_json::Value;
use std::process::Command;

mod common;

use common::Timed as Desk;

impl Desk {
    fn show(&self, no: &str) -> Value {
        self.json("2026-12-31 12:00", &["ticket", "show", no])
    }

    /// A new onsite station ticket at `now`; returns its number.
    fn new_ticket(&self, now: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "ticket",
            "new",
            "--customer",
            "张伟",
            "--phone",
            "13800138000",
            "--fault",
            "无法开机",
            "--service-type",
            "onsite",
            "--address",
            "中关村大街1号",
            "--district",
            "海淀区",
            "--model",
            "ThinkPad T14",
        ];
        args.extend_from_slice(extra);
        self.ok(now, &args).trim().to_string()
    }
}

#[test]
fn happy_path_from_receipt_to_follow_up() {
    let d = Desk::new();
    d.ok(
        "2026-11-26 09:00",
        &["staff", "add", "王工", "--capacity", "5"],
    );
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    assert_eq!(no, "ZD-20261126-0001");
    let t = d.show(&no);
    assert_eq!(t["status"], "queued");
    assert_eq!(t["source"], "station");
    assert_eq!(t["t1"], "2026-11-26T09:30:00+08:00");

    d.ok(
        "2026-11-26 10:00",
        &["ticket", "contact", &no, "--result", "reached"],
    );
    d.ok(
        "2026-11-26 10:05",
        &[
            "ticket",
            "parts",
            &no,
            "--order",
            "PO-8812",
            "--part",
            "5B20S",
            "--eta",
            "2026-11-27 12:00",
        ],
    );
    d.ok(
        "2026-11-26 10:06",
        &["ticket", "promise", &no, "--at", "2026-11-27 15:00"],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "parts_pending");
    assert_eq!(t["t2"], "2026-11-26T10:06:00+08:00", "T2 = first T3 write");

    // Parts late: the next promise takes the R8 template.
    d.ok(
        "2026-11-27 13:00",
        &["ticket", "promise", &no, "--at", "2026-11-30 10:00"],
    );
    let t = d.show(&no);
    assert_eq!(t["t3"][1]["type"], "parts");
    assert_eq!(
        t["t3"][1]["reason"],
        "由于PO-8812订单5B20S编码的备件未按时配送"
    );

    d.ok(
        "2026-11-28 09:00",
        &["ticket", "parts-arrived", &no, "--order", "PO-8812"],
    );
    assert_eq!(d.show(&no)["status"], "in_progress");

    d.run(
        "2026-11-28 09:10",
        &["ticket", "dispatch", &no, "--engineer", "王工"],
        3,
    );
    // The print module records printed_at through the same path; until the
    // printout lands the override records the outage.
    d.ok(
        "2026-11-28 09:15",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
            "--override",
            "系统故障",
        ],
    );
    d.ok(
        "2026-11-30 10:30",
        &[
            "--as",
            "王工",
            "ticket",
            "visit",
            &no,
            "--result",
            "not-fixed",
            "--next",
            "2026-12-01 10:00",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "multi_repair");
    assert_eq!(t["t3"].as_array().map(Vec::len), Some(3));
    d.ok(
        "2026-12-01 11:00",
        &["--as", "王工", "ticket", "visit", &no, "--result", "fixed"],
    );
    d.ok(
        "2026-12-01 11:30",
        &[
            "ticket",
            "close",
            &no,
            "--signed-by",
            "张伟",
            "--returned-part",
            "5B20S",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["t4"], "2026-12-01T11:00:00+08:00");
    assert_eq!(t["signed_by"], "张伟");
    d.ok(
        "2026-12-02 10:00",
        &["ticket", "followup", &no, "--result", "satisfied"],
    );
    let t = d.show(&no);
    assert_eq!(t["followup"]["result"], "satisfied");

    let history = d.json("2026-12-02 10:00", &["ticket", "history", &no]);
    let kinds: Vec<&str> = history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "contact_logged",
            "parts_ordered",
            "promised",
            "promised",
            "parts_arrived",
            "dispatched",
            "visited",
            "visited",
            "closed",
            "followed_up"
        ]
    );
    assert_eq!(history[7]["actor"], "王工");
    assert_eq!(history[8]["from"], "multi_repair");
    assert_eq!(history[9]["to"], "resolved");
    assert_eq!(t["version"], 11);
}

#[test]
fn unreachable_path_ends_in_cancellation_by_the_region() {
    let d = Desk::new();
    let no = d.new_ticket("2026-09-30 10:00", &[]);
    d.ok(
        "2026-09-30 10:30",
        &["ticket", "contact", &no, "--result", "no-answer"],
    );
    let err = d.run("2026-09-30 13:29", &["ticket", "unreachable", &no], 3);
    assert!(err.contains("refused (R2)"), "{err}");
    d.ok("2026-09-30 13:30", &["ticket", "unreachable", &no]);
    let t = d.show(&no);
    assert_eq!(t["t3"][0]["kind"], "unreachable");
    assert_eq!(t["t2"], "2026-09-30T13:30:00+08:00");
    let err = d.run(
        "2026-10-12 10:00",
        &["ticket", "cancel", &no, "--reason", "unreachable"],
        3,
    );
    assert!(
        err.contains("2026-10-13 10:00"),
        "names the due moment: {err}"
    );
    d.ok(
        "2026-10-13 10:00",
        &["ticket", "cancel", &no, "--reason", "unreachable"],
    );
    assert_eq!(d.show(&no)["status"], "cancel_requested");
    d.ok(
        "2026-10-13 15:00",
        &[
            "ticket",
            "cancel-decision",
            &no,
            "--approve",
            "--by",
            "华北大区",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "cancelled");
    assert_eq!(t["cancel"]["reason"], "unreachable");
    assert_eq!(t["cancel"]["decided_by"], "华北大区");
    assert_eq!(t["cancel"]["approved"], true);
}

#[test]
fn phone_resolved_path_closes_and_cannot_be_cancelled() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "phone-resolve", &no, "--kind", "software"],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["t3"][0]["kind"], "phone_resolved");
    assert_eq!(t["t3"][0]["reason"], "软件问题,电话解决");
    assert_eq!(t["t4"], "2026-11-26T10:00:00+08:00");
    let err = d.run(
        "2026-11-26 10:05",
        &["ticket", "cancel", &no, "--reason", "duplicate"],
        3,
    );
    assert!(err.starts_with("refused (R4):"), "{err}");
    assert_eq!(d.show(&no)["version"], 2, "nothing written");
}

#[test]
fn cancellation_rejected_restores_the_earlier_status() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "明天 10:00"],
    );
    d.ok(
        "2026-11-26 10:10",
        &[
            "ticket",
            "cancel",
            &no,
            "--reason",
            "other",
            "--note",
            "用户已自行修好",
        ],
    );
    d.run(
        "2026-11-26 10:20",
        &["ticket", "promise", &no, "--at", "明天 11:00"],
        3,
    );
    d.ok(
        "2026-11-26 11:00",
        &["ticket", "cancel-decision", &no, "--reject", "--by", "大区"],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["cancel"]["approved"], false);
}

#[test]
fn exit_codes_name_what_went_wrong() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    let err = d.run("2026-11-26 10:00", &["ticket", "show", "CC-404"], 4);
    assert!(err.contains("CC-404"), "{err}");
    let err = d.run(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "next blue moon"],
        2,
    );
    assert!(
        err.contains("--at") && err.contains("明天"),
        "names flag and forms: {err}"
    );
    let err = d.run(
        "2026-11-26 10:00",
        &["ticket", "dispatch", &no, "--engineer", "无名"],
        4,
    );
    assert!(err.contains("无名"), "{err}");
    d.run(
        "2026-11-26 10:00",
        &["ticket", "contact", &no, "--result", "maybe"],
        2,
    );
    d.run("2026-11-26 10:00", &["ticket", "frobnicate"], 2);
    let err = d.run("yesterday-ish", &["ticket", "show", &no], 2);
    assert!(err.contains("--now"), "{err}");
    let err = d.run(
        "2026-11-26 10:00",
        &["--lang", "fr", "ticket", "show", &no],
        2,
    );
    assert!(err.contains("--lang"), "{err}");
    assert_eq!(d.show(&no)["version"], 1, "none of these wrote anything");
}

#[test]
fn a_stale_version_is_a_conflict_and_writes_nothing() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 10:00",
        &[
            "ticket",
            "contact",
            &no,
            "--result",
            "no-answer",
            "--expect-version",
            "1",
        ],
    );
    let err = d.run(
        "2026-11-26 10:05",
        &[
            "ticket",
            "contact",
            &no,
            "--result",
            "no-answer",
            "--expect-version",
            "1",
        ],
        5,
    );
    assert!(err.contains("conflict"), "{err}");
    let t = d.show(&no);
    assert_eq!(t["version"], 2);
    assert_eq!(t["contacts"].as_array().map(Vec::len), Some(1));
}

#[test]
fn refusals_are_one_sentence_in_either_language() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok("2026-11-26 10:00", &["staff", "add", "王工"]);
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "+2h"],
    );
    let en = d.run(
        "2026-11-26 10:00",
        &["ticket", "dispatch", &no, "--engineer", "王工"],
        3,
    );
    assert_eq!(
        en.trim(),
        "refused (R7): print the work order before dispatching; during a system outage, the reason (system outage) is needed; give it with --override \"system outage\""
    );
    let zh = d.run(
        "2026-11-26 10:00",
        &[
            "--lang",
            "zh",
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
        ],
        3,
    );
    assert!(zh.starts_with("拒绝 (R7)："), "{zh}");
    assert!(zh.contains("用 --override 系统故障 给出"), "{zh}");
}

#[test]
fn station_ticket_numbers_count_per_day_and_text_is_localised() {
    let d = Desk::new();
    assert_eq!(d.new_ticket("2026-11-26 09:30", &[]), "ZD-20261126-0001");
    assert_eq!(
        d.new_ticket("2026-11-26 11:30", &["--special"]),
        "ZD-20261126-0002"
    );
    assert_eq!(d.new_ticket("2026-11-27 08:00", &[]), "ZD-20261127-0001");
    let zh = d.ok(
        "2026-11-27 09:00",
        &["--lang", "zh", "ticket", "show", "ZD-20261126-0002"],
    );
    assert!(zh.contains("待处理") && zh.contains("特殊用户 是"), "{zh}");
    let list = d.json(
        "2026-11-27 09:00",
        &["ticket", "list", "--search", "20261126"],
    );
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let list = d.ok(
        "2026-11-27 09:00",
        &["ticket", "list", "--status", "queued"],
    );
    assert_eq!(list.lines().count(), 3);
    d.run(
        "2026-11-27 09:00",
        &["ticket", "list", "--status", "done"],
        2,
    );
}

#[test]
fn list_json_has_the_documented_fields() {
    let d = Desk::new();
    let no = d.new_ticket(
        "2026-11-26 09:30",
        &["--priority", "emergency", "--warranty", "out"],
    );
    let t = d.show(&no);
    for key in [
        "ticket_no",
        "source",
        "status",
        "service_type",
        "priority",
        "special",
        "urge",
        "phone_invalid",
        "customer",
        "product",
        "fault",
        "t1",
        "t2",
        "t3",
        "t4",
        "engineer",
        "site",
        "printed_at",
        "parts",
        "contacts",
        "visits",
        "signed_by",
        "cancel",
        "followup",
        "version",
    ] {
        assert!(t.get(key).is_some(), "ticket show --json lacks {key}");
    }
    assert_eq!(t["customer"]["phones"][0], "13800138000");
    assert_eq!(t["product"]["warranty"], "out");
    assert_eq!(t["priority"], "emergency");
    let list = d.json("2026-11-26 10:00", &["ticket", "list"]);
    assert_eq!(list[0]["ticket_no"], no);
}

#[test]
fn staff_are_listed_and_removed() {
    let d = Desk::new();
    d.ok(
        "2026-11-26 09:00",
        &["staff", "add", "王工", "--capacity", "4", "--site", "总站"],
    );
    d.ok("2026-11-26 09:00", &["staff", "add", "李工"]);
    let staff = d.json("2026-11-26 09:00", &["staff", "list"]);
    assert_eq!(staff.as_array().map(Vec::len), Some(2));
    assert_eq!(staff[1]["name"], "王工");
    assert_eq!(staff[1]["capacity"], 4);
    d.ok("2026-11-26 09:00", &["staff", "remove", "李工"]);
    d.run("2026-11-26 09:00", &["staff", "remove", "李工"], 4);
    d.run(
        "2026-11-26 09:00",
        &["staff", "add", "赵工", "--capacity", "0"],
        2,
    );
    let staff = d.json("2026-11-26 09:00", &["staff", "list"]);
    assert_eq!(staff.as_array().map(Vec::len), Some(1));
}

#[test]
fn the_database_is_created_at_the_default_path_readable_by_the_owner() {
    let d = Desk::new();
    let mut c = Command::new(env!("CARGO_BIN_EXE_repairdesk"));
    let out = c
        .env_remove("REPAIRDESK_DB")
        .env("HOME", d.dir.path())
        .env("XDG_DATA_HOME", d.dir.path().join("data"))
        .env("XDG_CONFIG_HOME", d.dir.path().join("config"))
        .args(["staff", "list"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = d.dir.path().join("data/repairdesk/repairdesk.db");
    let meta = std::fs::metadata(&db).expect("created at the default path");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let d = Desk::new();
    d.new_ticket("2026-11-26 09:30", &[]);
    if let Some(pg) = &d.pg {
        // The server's schema table says 999: refused, nothing applied.
        let mut c = pg.connect();
        c.batch_execute("INSERT INTO repairdesk_schema(version) VALUES (999)")
            .expect("bump");
        let err = d.run("2026-11-26 10:00", &["ticket", "list"], 1);
        assert!(err.contains("newer") && err.contains("999"), "{err}");
        assert!(err.contains(&pg.name), "names the database: {err}");
        let versions: i64 = c
            .query_one("SELECT COUNT(*) FROM repairdesk_schema", &[])
            .expect("count")
            .get(0);
        let known = repairdesk::store::pg::schema::MIGRATIONS.len() as i64;
        assert_eq!(versions, known + 1, "no migration was applied");
        return;
    }
    {
        let conn = rusqlite::Connection::open(d.db()).expect("open");
        conn.pragma_update(None, "user_version", 999).expect("bump");
    }
    let before = std::fs::read(d.db()).expect("read");
    let err = d.run("2026-11-26 10:00", &["ticket", "list"], 1);
    assert!(err.contains("newer") && err.contains("999"), "{err}");
    assert_eq!(std::fs::read(d.db()).expect("read"), before, "not altered");
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let d = Desk::new();
    let cfg = d.dir.path().join("station.toml");
    std::fs::write(
        &cfg,
        "[station]\ncode = \"BJ-0101\"\n\n[sla]\ncontact_warn = \"3x\"\n",
    )
    .expect("write");
    let out = d
        .cmd(
            "2026-11-26 10:00",
            &["--config", cfg.to_str().expect("utf-8"), "staff", "list"],
        )
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("station.toml:5") && err.contains("contact_warn"),
        "{err}"
    );
}

#[test]
fn every_command_has_help_with_an_example() {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_string());
            if sub.has_subcommands() {
                walk(sub, path, missing);
            } else {
                let help = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                if !help.contains("Example") {
                    missing.push(path.join(" "));
                }
            }
            path.pop();
        }
    }
    let mut missing = Vec::new();
    walk(&repairdesk::cli::command(), &mut Vec::new(), &mut missing);
    assert!(missing.is_empty(), "no example in --help of: {missing:?}");
    let d = Desk::new();
    let help = d.ok("2026-11-26 10:00", &["ticket", "promise", "--help"]);
    assert!(help.contains("--at") && help.contains("Example"));
}

#[test]
fn version_completions_and_man_page() {
    let d = Desk::new();
    let v = d.ok("2026-11-26 10:00", &["--version"]);
    assert!(v.starts_with("repairdesk "), "{v}");
    for shell in ["bash", "zsh", "fish"] {
        let out = d.ok("2026-11-26 10:00", &["completions", shell]);
        assert!(
            out.contains("phone-resolve"),
            "{shell} completions know the commands"
        );
    }
    let man = d.ok("2026-11-26 10:00", &["man"]);
    assert!(man.contains(".TH") && man.contains("repairdesk"));
}

#[test]
fn list_puts_the_most_urgent_first() {
    let d = Desk::new();
    d.ok("2026-11-26 08:00", &["staff", "add", "王工"]);
    let promised = d.new_ticket("2026-11-26 08:00", &[]);
    d.ok(
        "2026-11-26 08:30",
        &["ticket", "promise", &promised, "--at", "明天 10:00"],
    );
    let wo = d.dir.path().join("wo.txt");
    let wo = wo.to_str().expect("utf-8");
    d.ok(
        "2026-11-26 08:31",
        &["ticket", "print", &promised, "-o", wo],
    );
    // Dispatched (P1 satisfied) for tomorrow: nothing of it is due today.
    d.ok(
        "2026-11-26 08:32",
        &["ticket", "dispatch", &promised, "--engineer", "王工"],
    );
    let late = d.new_ticket("2026-11-26 09:00", &[]);
    let fresh = d.new_ticket("2026-11-26 13:00", &[]);
    let list = d.json("2026-11-26 13:30", &["ticket", "list"]);
    let order: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["ticket_no"].as_str().unwrap_or(""))
        .collect();
    // `late` is past its 4-hour contact deadline (R1): first, though not the
    // oldest. `fresh` must be contacted by 17:00 today (R1), before the visit
    // promised for tomorrow: the quiet ones by their own next deadline.
    assert_eq!(order, [late.as_str(), fresh.as_str(), promised.as_str()]);
}

#[test]
fn a_station_ticket_on_the_real_clock() {
    let d = Desk::new();
    let mut c = Command::new(env!("CARGO_BIN_EXE_repairdesk"));
    let out = c
        .env_remove("REPAIRDESK_NOW")
        .env("HOME", d.dir.path())
        .arg("--db")
        .arg(d.db())
        .args([
            "ticket",
            "new",
            "--customer",
            "张伟",
            "--phone",
            "13800138000",
            "--fault",
            "蓝屏",
        ])
        .args(["--service-type", "carry-in"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ZD-"));
}

/// A station ticket promised for 2026-11-27 14:00, printed and dispatched
/// to 王工 on 2026-11-26.
fn dispatched(d: &Desk) -> String {
    d.ok("2026-11-26 09:00", &["staff", "add", "王工"]);
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2026-11-27 14:00"],
    );
    d.ok(
        "2026-11-26 10:05",
        &[
            "ticket",
            "print",
            &no,
            "-o",
            &d.dir.path().join("wo.txt").to_string_lossy(),
        ],
    );
    d.ok(
        "2026-11-26 10:10",
        &["ticket", "dispatch", &no, "--engineer", "王工"],
    );
    no
}

#[test]
fn visit_times_typed_in_late_are_kept_and_t4_is_the_completion() {
    let d = Desk::new();
    let no = dispatched(&d);
    // Refused: done before arrived, arrival before the dispatch, a time after now.
    let err = d.run(
        "2026-11-27 18:00",
        &[
            "ticket",
            "visit",
            &no,
            "--result",
            "fixed",
            "--arrived",
            "14:30",
            "--done",
            "14:00",
        ],
        3,
    );
    assert!(err.contains("refused (visits)"), "{err}");
    let err = d.run(
        "2026-11-27 18:00",
        &[
            "ticket",
            "visit",
            &no,
            "--result",
            "fixed",
            "--arrived",
            "2026-11-26 09:00",
        ],
        3,
    );
    assert!(err.contains("before the dispatch"), "{err}");
    let err = d.run(
        "2026-11-27 18:00",
        &[
            "ticket", "visit", &no, "--result", "fixed", "--done", "19:00",
        ],
        3,
    );
    assert!(err.contains("later than now"), "{err}");
    assert_eq!(d.show(&no)["visits"].as_array().map(Vec::len), Some(0));
    // Arrived 13:50, fixed by 14:20, typed in at 18:00.
    d.ok(
        "2026-11-27 18:00",
        &[
            "ticket",
            "visit",
            &no,
            "--result",
            "fixed",
            "--arrived",
            "13:50",
            "--done",
            "14:20",
        ],
    );
    d.ok(
        "2026-11-28 09:00",
        &["ticket", "close", &no, "--signed-by", "张伟"],
    );
    let t = d.show(&no);
    let v = &t["visits"][0];
    assert_eq!(v["arrived"], "2026-11-27T13:50:00+08:00");
    assert_eq!(v["done"], "2026-11-27T14:20:00+08:00");
    assert_eq!(v["at"], "2026-11-27T18:00:00+08:00");
    assert_eq!(
        t["t4"], "2026-11-27T14:20:00+08:00",
        "closing does not move T4"
    );
    let text = d.ok("2026-11-28 09:00", &["ticket", "show", &no]);
    assert!(
        text.contains("arrived 2026-11-27 13:50 done 14:20"),
        "{text}"
    );
}

#[test]
fn visit_not_home_asks_the_customer_for_the_next_time() {
    let d = Desk::new();
    let no = dispatched(&d);
    d.ok(
        "2026-11-27 14:15",
        &[
            "ticket",
            "visit",
            &no,
            "--result",
            "not-home",
            "--arrived",
            "13:55",
            "--next",
            "2026-11-29 10:00",
            "--note",
            "门上留言",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["visits"][0]["result"], "not_home");
    assert_eq!(t["t3"][1]["type"], "customer");
    assert_eq!(t["t3"][1]["at"], "2026-11-29T10:00:00+08:00");
    // A fixed visit does not agree a next time.
    let err = d.run(
        "2026-11-29 11:00",
        &[
            "ticket",
            "visit",
            &no,
            "--result",
            "fixed",
            "--next",
            "2026-11-30 10:00",
        ],
        3,
    );
    assert!(err.contains("refused (R10)"), "{err}");
}

#[test]
fn carry_in_goes_by_the_bench_never_a_visit() {
    let d = Desk::new();
    let cfg = d.dir.path().join("station.toml");
    std::fs::write(&cfg, "[station]\ncoverage = [\"海淀区\"]\n").expect("write");
    let cfg = cfg.to_str().expect("utf-8");
    d.ok("2026-11-26 09:00", &["staff", "add", "王工"]);
    let new = |service: &str| {
        d.cmd(
            "2026-11-26 09:30",
            &[
                "--config",
                cfg,
                "ticket",
                "new",
                "--customer",
                "李娜",
                "--phone",
                "13900139000",
                "--fault",
                "键盘失灵",
                "--service-type",
                service,
                "--address",
                "通州某路",
                "--district",
                "通州区",
            ],
        )
        .output()
        .expect("runs")
    };
    // R17 coverage is about visits: the onsite ticket warns, the carry-in one does not.
    let onsite = new("onsite");
    assert!(String::from_utf8_lossy(&onsite.stderr).contains("R17"));
    let carry = new("carry-in");
    assert_eq!(carry.status.code(), Some(0));
    assert!(
        carry.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&carry.stderr)
    );
    let no = String::from_utf8_lossy(&carry.stdout).trim().to_string();
    assert_eq!(d.show(&no)["out_of_coverage"], false);

    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2026-11-28 16:00"],
    );
    let wo = d.dir.path().join("wo.txt");
    d.ok(
        "2026-11-26 10:05",
        &["ticket", "print", &no, "-o", wo.to_str().expect("utf-8")],
    );
    let printed = std::fs::read_to_string(&wo).expect("printed");
    assert!(
        printed.contains("约定取机    2026-11-28 16:00"),
        "{printed}"
    );
    assert!(
        !printed.contains("承诺时间") && !printed.contains("携带备件"),
        "{printed}"
    );
    let err = d.run(
        "2026-11-26 10:10",
        &["ticket", "dispatch", &no, "--engineer", "王工"],
        3,
    );
    assert!(err.contains("refused (carry-in)"), "{err}");
    let err = d.run(
        "2026-11-27 10:10",
        &["ticket", "visit", &no, "--result", "fixed"],
        3,
    );
    assert!(err.contains("refused (carry-in)"), "{err}");
    let err = d.run(
        "2026-11-27 10:10",
        &["ticket", "repair", &no, "--result", "fixed", "--by", "赵工"],
        4,
    );
    assert!(err.contains("赵工"), "{err}");

    d.ok(
        "2026-11-27 17:00",
        &[
            "ticket", "repair", &no, "--result", "fixed", "--by", "王工", "--done", "15:30",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["engineer"], "王工");
    assert_eq!(t["visits"].as_array().map(Vec::len), Some(0));
    assert_eq!(t["repairs"][0]["done"], "2026-11-27T15:30:00+08:00");
    let text = d.ok("2026-11-27 17:00", &["ticket", "show", &no]);
    assert!(
        text.contains("told to collect") && text.contains("agreed collection"),
        "{text}"
    );
    d.ok(
        "2026-11-28 15:10",
        &["ticket", "close", &no, "--signed-by", "李娜"],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "resolved");
    assert_eq!(
        t["t4"], "2026-11-28T15:10:00+08:00",
        "T4: collected and signed"
    );
}

#[test]
fn parts_need_an_eta_and_closing_accounts_for_them() {
    let d = Desk::new();
    d.ok("2026-11-26 09:00", &["staff", "add", "王工"]);
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    let parts = ["ticket", "parts", &no, "--order", "PO-1", "--part", "5B20S"];
    let err = d.run("2026-11-26 10:00", &parts, 3);
    assert!(
        err.contains("refused (R6)") && err.contains("--eta"),
        "{err}"
    );
    d.ok(
        "2026-11-26 10:00",
        &[&parts[..], &["--eta", "2026-11-28 12:00"]].concat(),
    );
    let err = d.run(
        "2026-11-26 10:05",
        &["ticket", "promise", &no, "--at", "2026-11-28 09:00"],
        3,
    );
    assert!(
        err.contains("refused (R6)") && err.contains("PO-1") && err.contains("2026-11-28 12:00"),
        "{err}"
    );
    d.ok(
        "2026-11-26 10:05",
        &["ticket", "promise", &no, "--at", "2026-11-28 14:00"],
    );
    d.ok(
        "2026-11-28 11:00",
        &["ticket", "parts-arrived", &no, "--order", "PO-1"],
    );
    d.ok(
        "2026-11-28 11:10",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
            "--override",
            "系统故障",
        ],
    );
    d.ok(
        "2026-11-28 15:00",
        &["ticket", "visit", &no, "--result", "fixed"],
    );
    let err = d.run(
        "2026-11-28 15:30",
        &["ticket", "close", &no, "--signed-by", "张伟"],
        3,
    );
    assert!(
        err.contains("refused (R11)") && err.contains("5B20S"),
        "{err}"
    );
    let err = d.run(
        "2026-11-28 15:30",
        &[
            "ticket",
            "close",
            &no,
            "--signed-by",
            "张伟",
            "--not-returned",
            "5B20S",
        ],
        2,
    );
    assert!(err.contains("CODE=REASON"), "{err}");
    d.ok(
        "2026-11-28 15:30",
        &[
            "ticket",
            "close",
            &no,
            "--signed-by",
            "张伟",
            "--not-returned",
            "5B20S=用户保留旧件",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["not_returned_parts"][0]["reason"], "用户保留旧件");
}

#[test]
fn edit_records_old_and_new_values_and_refuses_the_fixed_fields() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 09:35",
        &["ticket", "contact", &no, "--result", "wrong-number"],
    );
    assert_eq!(d.show(&no)["phone_invalid"], true);
    let out = d.ok(
        "2026-11-26 09:40",
        &[
            "ticket",
            "edit",
            &no,
            "--phone",
            "13900139000",
            "--warranty",
            "out",
            "--fault-class",
            "hardware",
        ],
    );
    assert!(out.contains("13800138000 → 13900139000"), "{out}");
    let t = d.show(&no);
    assert_eq!(t["phone_invalid"], false, "a valid phone clears R3's flag");
    assert_eq!(t["product"]["warranty"], "out");
    assert_eq!(t["fault_class"], "hardware");
    let history = d.json("2026-11-26 09:41", &["ticket", "history", &no]);
    let last = &history[2];
    assert_eq!(last["kind"], "corrected");
    assert_eq!(last["actor"], history[0]["actor"], "who made it");
    assert_eq!(last["change"]["corrections"][0]["old"], "13800138000");
    for flag in ["--t1", "--t3", "--ticket-no", "--source"] {
        let err = d.run(
            "2026-11-26 09:42",
            &["ticket", "edit", &no, flag, "2026-11-26 08:00"],
            3,
        );
        assert!(err.starts_with("refused (R19)"), "{flag}: {err}");
    }
    let err = d.run("2026-11-26 09:42", &["ticket", "edit", &no], 3);
    assert!(err.contains("nothing to correct"), "{err}");
    // The correction shows on the printout.
    let wo = d.dir.path().join("wo.txt");
    d.ok(
        "2026-11-26 09:43",
        &["ticket", "print", &no, "-o", wo.to_str().expect("path")],
    );
    let text = std::fs::read_to_string(&wo).expect("printout");
    assert!(text.contains("13900139000"), "{text}");
    assert!(!text.contains("13800138000"), "{text}");
}

#[test]
fn after_t33_escalate_and_appoint_instead_of_a_fourth_promise() {
    let d = Desk::new();
    d.ok("2026-11-26 09:00", &["staff", "add", "王工"]);
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2026-11-27 10:00"],
    );
    let err = d.run(
        "2026-11-26 10:01",
        &[
            "ticket",
            "promise",
            &no,
            "--at",
            "2026-11-27 10:00",
            "--type",
            "customer",
            "--reason",
            "x",
        ],
        3,
    );
    assert!(err.starts_with("refused (R12)"), "{err}");
    for (now, when) in [
        ("2026-11-26 10:02", "2026-11-28 10:00"),
        ("2026-11-26 10:03", "2026-11-29 10:00"),
    ] {
        d.ok(
            now,
            &[
                "ticket", "promise", &no, "--at", when, "--type", "customer", "--reason", "改期",
            ],
        );
    }
    let err = d.run(
        "2026-11-26 10:04",
        &[
            "ticket",
            "promise",
            &no,
            "--at",
            "2026-11-30 10:00",
            "--type",
            "customer",
            "--reason",
            "再改",
        ],
        3,
    );
    assert!(err.contains("appoint"), "{err}");
    d.ok(
        "2026-11-26 10:05",
        &["ticket", "escalate", &no, "--note", "三次承诺已用完"],
    );
    d.ok("2026-11-26 10:06", &["ticket", "print", &no]);
    d.ok(
        "2026-11-26 10:07",
        &["ticket", "dispatch", &no, "--engineer", "王工"],
    );
    d.ok(
        "2026-11-29 11:00",
        &[
            "--as",
            "王工",
            "ticket",
            "visit",
            &no,
            "--result",
            "not-fixed",
            "--next",
            "2026-12-01 10:00",
        ],
    );
    let t = d.show(&no);
    assert_eq!(t["t3"].as_array().map(Vec::len), Some(3));
    assert_eq!(t["appointments"][0]["at"], "2026-12-01T10:00:00+08:00");
    assert_eq!(t["escalations"][0]["note"], "三次承诺已用完");
    // The appointment drives the engineer's day and the alerts.
    let day = d.ok(
        "2026-12-01 08:00",
        &["engineer", "王工", "--date", "2026-12-01", "--plain"],
    );
    assert!(day.contains("10:00") && day.contains(&no), "{day}");
    let alerts = d.json("2026-12-01 09:30", &["alerts"]);
    assert_eq!(alerts[0]["kind"], "promise_due");
    assert_eq!(alerts[0]["rule"], "R12");
    // The printout sends the engineer at the appointment.
    let wo = d.dir.path().join("wo.txt");
    d.ok(
        "2026-12-01 08:00",
        &["ticket", "print", &no, "-o", wo.to_str().expect("path")],
    );
    let text = std::fs::read_to_string(&wo).expect("printout");
    assert!(
        text.contains("2026-12-01 10:00  (约定 appointment)"),
        "{text}"
    );
    // The write-back keeps the three T3s only.
    let wb = d.dir.path().join("wb.csv");
    d.ok(
        "2026-12-01 09:30",
        &["export", "writeback", "-o", wb.to_str().expect("path")],
    );
    let csv = std::fs::read_to_string(&wb).expect("write-back");
    assert!(!csv.contains("2026-12-01 10:00"), "{csv}");
}

#[test]
fn events_in_order_and_their_real_writing_moment() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    let err = d.run(
        "2026-11-26 09:00",
        &["ticket", "contact", &no, "--result", "reached"],
        3,
    );
    assert!(err.starts_with("refused (R20)"), "{err}");
    let err = d.run(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2100-01-01 10:00"],
        3,
    );
    assert!(err.starts_with("refused (R20)"), "{err}");
    let history = d.json("2026-11-26 10:00", &["ticket", "history", &no]);
    // Written today, dated 2026-11-26 by --now: both are kept and shown.
    assert_eq!(history[0]["at"], "2026-11-26T09:30:00+08:00");
    assert_ne!(history[0]["recorded_at"], history[0]["at"]);
    let text = d.ok("2026-11-26 10:00", &["ticket", "history", &no]);
    assert!(text.contains("(recorded "), "{text}");
}

#[test]
fn special_case_form_printed_and_submitted_before_a_refused_cancellation() {
    let d = Desk::new();
    d.ok("2026-11-26 09:00", &["staff", "add", "王工"]);
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    let form = d.dir.path().join("sc.txt");
    let form_arg = form.to_str().expect("path");
    let err = d.run(
        "2026-11-26 09:40",
        &[
            "ticket",
            "print",
            &no,
            "--form",
            "special-case",
            "-o",
            form_arg,
        ],
        3,
    );
    assert!(err.starts_with("refused (R9)"), "{err}");
    d.ok(
        "2026-11-26 10:00",
        &["ticket", "promise", &no, "--at", "2026-11-26 14:00"],
    );
    d.ok(
        "2026-11-26 10:05",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
            "--override",
            "系统故障",
        ],
    );
    let err = d.run(
        "2026-11-26 10:06",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
            "--override",
            "no paper",
        ],
        3,
    );
    assert!(
        err.starts_with("refused (R7)") || err.contains("R7"),
        "{err}"
    );
    d.ok(
        "2026-11-26 14:30",
        &[
            "--as",
            "王工",
            "ticket",
            "visit",
            &no,
            "--result",
            "refused",
            "--note",
            "不同意换主板",
        ],
    );
    let err = d.run(
        "2026-11-26 14:40",
        &["ticket", "cancel", &no, "--reason", "refused"],
        3,
    );
    assert!(err.starts_with("refused (R9)"), "{err}");
    d.ok(
        "2026-11-26 14:45",
        &[
            "ticket",
            "special-case",
            &no,
            "--note",
            "用户拒绝更换主板，要求换新机",
        ],
    );
    d.ok(
        "2026-11-26 14:46",
        &[
            "ticket",
            "print",
            &no,
            "--form",
            "special-case",
            "-o",
            form_arg,
        ],
    );
    let text = std::fs::read_to_string(&form).expect("form");
    for want in [
        "特殊情况说明表",
        "张伟",
        "不同意换主板",
        "用户拒绝更换主板",
        "王工",
        "大区审批",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    d.ok(
        "2026-11-26 14:50",
        &["ticket", "cancel", &no, "--reason", "refused"],
    );
    // The unprinted dispatch is in the daily review (R7, P3).
    let review = d.ok("2026-11-26 18:00", &["report", "unfinished"]);
    assert!(review.contains("系统故障"), "{review}");
}

#[test]
fn engineer_day_piped_falls_back_to_the_plain_sheet() {
    let d = Desk::new();
    let no = dispatched(&d);
    let out = d.ok(
        "2026-11-27 08:00",
        &["engineer", "王工", "--date", "2026-11-27"],
    );
    assert!(out.contains(&no) && out.contains("中关村大街1号"), "{out}");
}

/// Every test above again, on a PostgreSQL database (skipped without a
/// server, except under CI).
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres("on_postgresql_too", &[]);
}

/// `ticket show` and the dashboard's detail view read from one list of
/// facts (src/present/ticket.rs): the dashboard snapshot `detail_zh` shows
/// the same labels and the same product line.
#[test]
fn ticket_show_labels_the_facts_as_the_dashboard_does() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:00", &["--serial", "PF1"]);
    let zh = d.ok("2026-11-26 10:00", &["--lang", "zh", "ticket", "show", &no]);
    let line = |label: &str| {
        zh.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in\n{zh}"))
            .to_string()
    };
    assert!(line("服务方式").ends_with("上门 · 优先级 普通"), "{zh}");
    assert!(
        line("产品").ends_with("ThinkPad T14 · 主机号 PF1 · 保内"),
        "{zh}"
    );
    assert!(line("T3").ends_with("—  · 承诺服务时间"), "{zh}");
    // Labels line up by display width: the value starts at column 14.
    let engineer = line("工程师");
    assert_eq!(engineer, format!("工程师{}—", " ".repeat(8)));
}

/// The accepted values of a flag are the domain's codes (`named_enum!`),
/// with `-` or `_`; anything else is refused with the list.
#[test]
fn flag_values_are_the_domains_codes() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:00", &["--priority", "urgent"]);
    assert_eq!(d.show(&no)["priority"], "urgent");
    d.ok(
        "2026-11-26 09:30",
        &["ticket", "contact", &no, "--result", "no_answer"],
    );
    d.ok(
        "2026-11-26 09:40",
        &["ticket", "contact", &no, "--result", "no-answer"],
    );
    let contacts = d.show(&no)["contacts"].clone();
    assert_eq!(contacts[0]["result"], "no_answer");
    assert_eq!(contacts[1]["result"], "no_answer");
    let err = d.run(
        "2026-11-26 09:50",
        &["ticket", "contact", &no, "--result", "busy"],
        2,
    );
    assert!(
        err.contains("reached") && err.contains("no-answer") && err.contains("wrong-number"),
        "{err}"
    );
}

/// `--site` and the other texts are read as the dashboard's form reads them
/// (`Command::normalized`): blanks around are dropped, a blank site is none
/// (the dashboard's half is in tests/tui.rs).
#[test]
fn a_site_given_with_blanks_is_stored_trimmed() {
    let d = Desk::new();
    let no = dispatched(&d);
    d.ok(
        "2026-11-26 10:20",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            " 王工 ",
            "--site",
            "  总站 ",
        ],
    );
    let t = d.show(&no);
    assert_eq!(
        (&t["engineer"], &t["site"]),
        (&"王工".into(), &"总站".into())
    );
    d.ok(
        "2026-11-26 10:30",
        &[
            "ticket",
            "dispatch",
            &no,
            "--engineer",
            "王工",
            "--site",
            "  ",
        ],
    );
    assert_eq!(d.show(&no)["site"], Value::Null);
    let other = d.new_ticket("2026-11-26 10:40", &["--serial", "  PF1 "]);
    assert_eq!(d.show(&other)["product"]["serial"], "PF1");
}

/// A corrected note (R19) is what the ticket shows afterwards, not only in
/// its history.
#[test]
fn a_corrected_note_is_shown() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:00", &[]);
    d.ok(
        "2026-11-26 09:10",
        &["ticket", "edit", &no, "--note", "用户下午在家"],
    );
    assert_eq!(d.show(&no)["note"], "用户下午在家");
    let text = d.ok("2026-11-26 09:20", &["ticket", "show", &no]);
    assert!(text.contains("用户下午在家"), "{text}");
}

/// P5 refuses closing an out-of-warranty repair without the charge: the
/// rule names the amount, the command line says which flag gives it.
#[test]
fn a_missing_charge_is_named_with_the_flag_that_gives_it() {
    let d = Desk::new();
    let no = dispatched(&d);
    d.ok(
        "2026-11-26 10:20",
        &["ticket", "edit", &no, "--warranty", "out"],
    );
    d.ok(
        "2026-11-27 13:00",
        &["ticket", "quote", &no, "--amount", "300"],
    );
    d.ok(
        "2026-11-27 14:20",
        &["ticket", "visit", &no, "--result", "fixed"],
    );
    let close = ["ticket", "close", &no, "--signed-by", "张伟"];
    let err = d.run("2026-11-27 15:00", &close, 3);
    assert_eq!(
        err.trim(),
        "refused (P5): an out-of-warranty repair records the amount charged when closing; give it with --charge"
    );
    let zh = d
        .cmd_lang("2026-11-27 15:00", "zh", &close)
        .output()
        .expect("runs");
    let zh = String::from_utf8_lossy(&zh.stderr).into_owned();
    assert!(
        zh.contains("保外维修关闭时需记录收费金额；用 --charge 给出"),
        "{zh}"
    );
    let mut with_charge = close.to_vec();
    with_charge.extend(["--charge", "300"]);
    d.ok("2026-11-27 15:00", &with_charge);
    assert_eq!(d.show(&no)["status"], "resolved");
}

/// R2 and P5 through the real binary: `ticket show` and `ticket list` say
/// what the ticket needs next, as the dashboard's row does — keep calling
/// an unreachable customer until five working days after T1, then ask the
/// region to cancel; an out-of-warranty carry-in needs its quote first.
#[test]
fn show_and_list_say_the_next_step() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", &[]);
    d.ok(
        "2026-11-26 09:40",
        &["ticket", "contact", &no, "--result", "no-answer"],
    );
    d.ok("2026-11-26 13:00", &["ticket", "unreachable", &no]);
    let step = |now: &str| -> (String, String, Value) {
        let show = d.ok(now, &["ticket", "show", &no]);
        let line = show
            .lines()
            .find(|l| l.starts_with("Next step"))
            .unwrap_or_else(|| panic!("no next step in:\n{show}"))
            .to_string();
        let list = d.ok(now, &["ticket", "list"]);
        let row = list
            .lines()
            .find(|l| l.contains(&no))
            .unwrap_or_else(|| panic!("{no} not listed:\n{list}"))
            .to_string();
        let json = d.json(now, &["ticket", "show", &no]);
        (line, row, json["next_step"].clone())
    };
    let (show, row, json) = step("2026-12-03 09:29");
    assert!(show.ends_with(" contact"), "R2: keep calling: {show}");
    assert!(row.contains(" contact "), "{row}");
    assert_eq!(json, "contact");
    let (show, row, json) = step("2026-12-03 09:30");
    assert!(show.ends_with(" cancel"), "R2: 5 working days: {show}");
    assert!(
        row.contains(" cancel ") && !row.contains("contact"),
        "{row}"
    );
    assert_eq!(json, "request_cancel");
    let zh = d.ok("2026-12-03 09:30", &["--lang", "zh", "ticket", "show", &no]);
    assert!(
        zh.lines()
            .any(|l| l.starts_with("下一步") && l.ends_with("申请撤单")),
        "{zh}"
    );

    let carry = d.ok(
        "2026-11-26 10:00",
        &[
            "ticket",
            "new",
            "--customer",
            "李娜",
            "--phone",
            "13900139000",
            "--fault",
            "键盘失灵",
            "--service-type",
            "carry-in",
            "--warranty",
            "out",
        ],
    );
    let carry = carry.trim();
    d.ok(
        "2026-11-26 10:10",
        &["ticket", "contact", carry, "--result", "reached"],
    );
    d.ok(
        "2026-11-26 10:20",
        &["ticket", "promise", carry, "--at", "2026-11-28 16:00"],
    );
    let quote = d.json("2026-11-26 10:30", &["ticket", "show", carry]);
    assert_eq!(quote["next_step"], "quote", "P5: {quote}");
    d.ok(
        "2026-11-26 10:40",
        &["ticket", "quote", carry, "--amount", "300"],
    );
    let repair = d.json("2026-11-26 10:50", &["ticket", "show", carry]);
    assert_eq!(repair["next_step"], "repair", "P5: quoted");
}
