//! `alerts`, `report unfinished` and `report kpi` through the real binary,
//! on a temporary database, with a fixed `--now` per step.

use std::path::Path;

use serde_json::{Value, json};

mod common;

use common::Timed as Desk;

impl Desk {
    /// A station ticket received at `now` (its T1); its number.
    fn new_ticket(&self, now: &str, service: &str, extra: &[&str]) -> String {
        let mut a = vec![
            "ticket",
            "new",
            "--customer",
            "张三",
            "--phone",
            "13800138000",
            "--fault",
            "不开机",
            "--service-type",
            service,
            "--address",
            "海淀区中关村大街 1 号",
        ];
        a.extend_from_slice(extra);
        self.ok(now, &a).trim().to_string()
    }

    fn t(&self, now: &str, args: &[&str]) {
        let mut a = vec!["ticket"];
        a.extend_from_slice(args);
        self.ok(now, &a);
    }

    fn promise(&self, now: &str, no: &str, at: &str) {
        self.t(now, &["promise", no, "--at", at]);
    }

    fn dispatch(&self, now: &str, no: &str, engineer: &str) {
        self.t(
            now,
            &[
                "dispatch",
                no,
                "--engineer",
                engineer,
                "--override",
                "系统故障",
            ],
        );
    }

    fn visit(&self, now: &str, no: &str, result: &str) {
        self.t(now, &["visit", no, "--result", result]);
    }

    fn close(&self, now: &str, no: &str) {
        self.t(now, &["close", no, "--signed-by", "张三"]);
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn alerts_json_appear_escalate_and_clear() {
    let d = Desk::new();
    let no = d.new_ticket("2026-11-26 09:30", "onsite", &[]);
    // Nothing before 3 hours.
    assert_eq!(d.json("2026-11-26 12:29", &["alerts"]), json!([]));
    assert_eq!(
        d.json("2026-11-26 12:30", &["alerts"]),
        json!([{
            "ticket_no": no,
            "rule": "R1",
            "kind": "contact_due",
            "level": "warning",
            "due": "2026-11-26T13:30:00+08:00",
            "message": "contact the customer, judge the fault and write the promised time T31",
        }])
    );
    let v = d.json("2026-11-26 13:30", &["alerts"]);
    assert_eq!(v[0]["level"], "breach");
    // The promise clears contact_due; a visit tomorrow is not late today,
    // untaken starts two hours before it (P1).
    d.promise("2026-11-26 13:40", &no, "2026-11-27 10:00");
    assert_eq!(d.json("2026-11-26 13:50", &["alerts"]), json!([]));
    let v = d.json("2026-11-27 08:06", &["alerts"]);
    let kinds: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["kind"].clone(), a["level"].clone()))
        .collect();
    assert_eq!(kinds, vec![(json!("untaken"), json!("breach"))]);
    d.ok("2026-11-27 08:06", &["staff", "add", "王工"]);
    d.dispatch("2026-11-27 08:10", &no, "王工");
    assert_eq!(d.json("2026-11-27 08:15", &["alerts"]), json!([]));
}

#[test]
fn alerts_text_most_urgent_first_with_countdown() {
    let d = Desk::new();
    let a = d.new_ticket("2026-11-26 09:00", "onsite", &["--special"]);
    let b = d.new_ticket("2026-11-26 12:00", "carry-in", &["--priority", "emergency"]);
    let out = d.ok("2026-11-26 12:40", &["alerts"]);
    let lines: Vec<&str> = out.lines().collect();
    // Emergency breached at 12:30; A's contact is a warning (due 13:00),
    // A's special notify a warning (due 13:15), B's contact not yet.
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("✖ breach") && lines[0].contains(&b) && lines[0].contains("P4"));
    assert!(lines[0].contains("overdue 0:10"), "{}", lines[0]);
    assert!(lines[1].contains(&a) && lines[1].contains("R1") && lines[1].contains("in 0:20"));
    assert!(lines[2].contains(&a) && lines[2].contains("R14") && lines[2].contains("in 0:35"));
    let zh = d
        .cmd_lang("2026-11-26 12:40", "zh", &["alerts"])
        .assert()
        .success();
    let zh = String::from_utf8(zh.get_output().stdout.clone()).unwrap();
    assert!(
        zh.contains("特急单：立即联系用户并派工程师") && zh.contains("超时 0:10"),
        "{zh}"
    );
}

#[test]
fn unfinished_review_marks_old_tickets_and_rebuilds_past_days() {
    let d = Desk::new();
    d.ok("2026-11-23 08:00", &["staff", "add", "王工"]);
    let old = d.new_ticket("2026-11-23 09:00", "onsite", &[]);
    let fresh = d.new_ticket("2026-11-24 15:00", "onsite", &[]);
    d.promise("2026-11-24 15:30", &fresh, "2026-11-25 10:00");
    d.dispatch("2026-11-24 15:35", &fresh, "王工");
    d.visit("2026-11-25 09:50", &fresh, "fixed");
    d.close("2026-11-25 10:00", &fresh);

    // Today (25th, 12:00): only the old ticket is unfinished.
    let v = d.json("2026-11-25 12:00", &["report", "unfinished"]);
    assert_eq!(v["as_of"], "2026-11-25T12:00:00+08:00");
    let rows = v["tickets"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ticket_no"], json!(old));
    assert_eq!(rows[0]["owner"], Value::Null);
    assert_eq!(rows[0]["age_hours"], json!(51.0));
    assert_eq!(rows[0]["over_24h"], json!(true));
    assert_eq!(rows[0]["overdue"][0]["kind"], "contact_due");

    // The end of the 24th, rebuilt from the events: the fresh ticket was
    // still open then, with its engineer and promise.
    let v = d.json(
        "2026-11-25 12:00",
        &["report", "unfinished", "--date", "2026-11-24"],
    );
    assert_eq!(v["as_of"], "2026-11-25T00:00:00+08:00");
    let rows = v["tickets"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["ticket_no"], json!(fresh));
    assert_eq!(rows[1]["status"], "in_progress");
    assert_eq!(rows[1]["owner"], "王工");
    assert_eq!(rows[1]["age_hours"], json!(9.0));
    assert_eq!(rows[1]["over_24h"], json!(false));
    assert_eq!(rows[1]["latest_promise"]["at"], "2026-11-25T10:00:00+08:00");
    assert_eq!(rows[1]["overdue"], json!([]));

    // Text: the old one stands out.
    let text = d.ok("2026-11-25 12:00", &["report", "unfinished"]);
    let line = text.lines().find(|l| l.contains(&old)).unwrap();
    assert!(
        line.starts_with('★') && line.contains("2d 03:00") && line.contains("contact due"),
        "{line}"
    );

    // CSV with BOM, owner-only.
    let csv = d.dir.path().join("review.csv");
    d.ok(
        "2026-11-25 12:00",
        &["report", "unfinished", "-o", csv.to_str().unwrap()],
    );
    let body = std::fs::read_to_string(&csv).unwrap();
    assert!(body.starts_with(
        "\u{feff}ticket_no,status,owner,t1,age_hours,over_24h,latest_promise,overdue\n"
    ));
    assert!(
        body.contains(&format!(
            "{old},Queued,—,2026-11-23 09:00,51,yes,—,contact due"
        )),
        "{body}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&csv), 0o600);

    // A future day and an unknown extension are usage errors.
    d.cmd(
        "2026-11-25 12:00",
        &["report", "unfinished", "--date", "2026-11-26"],
    )
    .assert()
    .code(2);
    d.cmd("2026-11-25 12:00", &["report", "unfinished", "-o", "x.pdf"])
        .assert()
        .code(2);
}

/// November 2026, built by hand. Each ticket's T1 is the `--now` of its
/// creation; the figures below were computed by hand from these steps.
#[test]
fn kpi_test_month() {
    let d = Desk::new();
    d.ok("2026-10-01 08:00", &["staff", "add", "王工"]);
    d.ok("2026-10-01 08:00", &["staff", "add", "李工"]);

    // J: October, never handled: in November's backlog, not its tickets.
    let _j = d.new_ticket("2026-10-20 10:00", "onsite", &[]);

    // A: out of warranty (P5), contacted in 1 h; 王工 arrived 09:50 for
    // T31 10:00 and finished 10:20, typed in at 14:20: on time. Satisfied.
    let a = d.new_ticket("2026-11-02 09:00", "onsite", &["--warranty", "out"]);
    d.promise("2026-11-02 10:00", &a, "2026-11-03 10:00");
    d.t("2026-11-02 10:03", &["quote", &a, "--amount", "300"]);
    d.dispatch("2026-11-02 10:05", &a, "王工");
    d.t(
        "2026-11-03 14:20",
        &[
            "visit",
            &a,
            "--result",
            "fixed",
            "--arrived",
            "09:50",
            "--done",
            "10:20",
        ],
    );
    d.t(
        "2026-11-03 15:00",
        &["close", &a, "--signed-by", "张三", "--charge", "280"],
    );
    d.t(
        "2026-11-04 10:00",
        &["followup", &a, "--result", "satisfied"],
    );

    // B: contacted after 5 h; arrived on time for T31 but not fixed; arrived
    // an hour late for T32 and fixed it; unsatisfied.
    let b = d.new_ticket("2026-11-02 09:30", "onsite", &[]);
    d.promise("2026-11-02 14:30", &b, "2026-11-03 14:00");
    d.dispatch("2026-11-02 14:35", &b, "李工");
    d.t(
        "2026-11-03 14:00",
        &[
            "visit",
            &b,
            "--result",
            "not-fixed",
            "--next",
            "2026-11-05 10:00",
        ],
    );
    d.visit("2026-11-05 11:00", &b, "fixed");
    d.close("2026-11-05 11:30", &b);
    d.t(
        "2026-11-06 10:00",
        &["followup", &b, "--result", "unsatisfied"],
    );

    // C: solved by phone after 1 h (R4); no follow-up.
    let c = d.new_ticket("2026-11-03 10:00", "onsite", &[]);
    d.t(
        "2026-11-03 11:00",
        &["phone-resolve", &c, "--kind", "software"],
    );

    // D: unreachable (R2), cancelled after 5 working days.
    let dd = d.new_ticket("2026-11-04 09:00", "onsite", &[]);
    d.t(
        "2026-11-04 09:10",
        &["contact", &dd, "--result", "no-answer"],
    );
    d.t("2026-11-04 12:40", &["unreachable", &dd]);
    d.t(
        "2026-11-11 10:00",
        &["cancel", &dd, "--reason", "unreachable"],
    );
    d.t(
        "2026-11-11 11:00",
        &["cancel-decision", &dd, "--approve", "--by", "大区张"],
    );

    // E: wrong number (R3), cancelled.
    let e = d.new_ticket("2026-11-05 09:00", "onsite", &[]);
    d.t(
        "2026-11-05 09:30",
        &["contact", &e, "--result", "wrong-number"],
    );
    d.t(
        "2026-11-05 09:35",
        &["cancel", &e, "--reason", "wrong-number"],
    );
    d.t(
        "2026-11-05 10:00",
        &["cancel-decision", &e, "--approve", "--by", "大区张"],
    );

    // M: the customer was not at home for T31 (a note left, T32 of type
    // customer); 王工 arrived 09:40 for T32 10:00 and fixed it by 10:30.
    let m = d.new_ticket("2026-11-09 09:00", "onsite", &[]);
    d.promise("2026-11-09 09:30", &m, "2026-11-10 14:00");
    d.dispatch("2026-11-09 09:40", &m, "王工");
    d.t(
        "2026-11-10 14:10",
        &[
            "visit",
            &m,
            "--result",
            "not-home",
            "--arrived",
            "13:50",
            "--done",
            "13:55",
            "--next",
            "2026-11-12 10:00",
        ],
    );
    d.t(
        "2026-11-12 10:30",
        &["visit", &m, "--result", "fixed", "--arrived", "09:40"],
    );
    d.close("2026-11-12 11:00", &m);

    // F: parts late (R8): eta 12th 12:00, arrived 13th; T32 of type parts.
    let f = d.new_ticket("2026-11-10 09:00", "onsite", &[]);
    d.t(
        "2026-11-10 09:30",
        &[
            "parts",
            &f,
            "--order",
            "PO-1",
            "--part",
            "MB-01",
            "--eta",
            "2026-11-12 12:00",
        ],
    );
    d.promise("2026-11-10 09:40", &f, "2026-11-13 10:00");
    d.promise("2026-11-12 15:00", &f, "2026-11-16 10:00");
    d.t(
        "2026-11-13 09:00",
        &["parts-arrived", &f, "--order", "PO-1"],
    );
    d.dispatch("2026-11-13 09:10", &f, "王工");
    d.visit("2026-11-16 09:30", &f, "fixed");
    d.t(
        "2026-11-16 10:00",
        &[
            "close",
            &f,
            "--signed-by",
            "张三",
            "--returned-part",
            "MB-01",
        ],
    );
    d.t(
        "2026-11-17 10:00",
        &["followup", &f, "--result", "satisfied"],
    );

    // L: carry-in, out of warranty; collection agreed for the 18th 17:00,
    // repaired at the bench by 11:00 (kept), collected the next morning.
    let l = d.new_ticket("2026-11-16 09:00", "carry-in", &["--warranty", "out"]);
    d.t("2026-11-16 09:30", &["contact", &l, "--result", "reached"]);
    d.promise("2026-11-16 10:00", &l, "2026-11-18 17:00");
    d.t("2026-11-16 10:05", &["quote", &l, "--amount", "150"]);
    d.t(
        "2026-11-18 11:05",
        &[
            "repair", &l, "--result", "fixed", "--by", "李工", "--done", "11:00",
        ],
    );
    d.t(
        "2026-11-19 09:00",
        &["close", &l, "--signed-by", "张三", "--charge", "150"],
    );

    // G: fixed, reopened by an unsatisfied follow-up (R13), fixed again.
    let g = d.new_ticket("2026-11-20 09:00", "onsite", &[]);
    d.promise("2026-11-20 09:30", &g, "2026-11-20 15:00");
    d.dispatch("2026-11-20 09:35", &g, "李工");
    d.visit("2026-11-20 14:30", &g, "fixed");
    d.close("2026-11-20 15:00", &g);
    d.t(
        "2026-11-23 10:00",
        &["followup", &g, "--result", "unsatisfied", "--reopen"],
    );
    d.t(
        "2026-11-23 10:30",
        &[
            "promise",
            &g,
            "--at",
            "2026-11-24 10:00",
            "--type",
            "other",
            "--reason",
            "返修",
        ],
    );
    d.visit("2026-11-24 09:48", &g, "fixed");
    d.close("2026-11-24 10:15", &g);

    // H: carry-in, reached in 30 min, collection agreed for December: open.
    let h = d.new_ticket("2026-11-25 10:00", "carry-in", &[]);
    d.t("2026-11-25 10:30", &["contact", &h, "--result", "reached"]);
    d.promise("2026-11-25 11:00", &h, "2026-12-02 10:00");

    // I: received on the evening of the 30th, never contacted.
    let _i = d.new_ticket("2026-11-30 20:00", "onsite", &[]);

    // K: carry-in, open at the month's end; collection agreed for 1
    // December 10:00, repaired only by 11:30 (missed), collected 16:00.
    let k = d.new_ticket("2026-11-27 09:00", "carry-in", &[]);
    d.t("2026-11-27 09:20", &["contact", &k, "--result", "reached"]);
    d.promise("2026-11-27 09:30", &k, "2026-12-01 10:00");
    d.t(
        "2026-12-01 11:40",
        &[
            "repair", &k, "--result", "fixed", "--by", "王工", "--done", "11:30",
        ],
    );
    d.close("2026-12-01 16:00", &k);

    let v = d.json("2026-12-05 10:00", &["report", "kpi", "--month", "2026-11"]);
    // November's tickets: A B C D E F G H I K L M = 12 (J is October's).
    assert_eq!(v["month"], "2026-11");
    assert_eq!(v["tickets"], 12);
    // Contact within 4 h: A, C, F, G, M by T2 (the first T3 write or the
    // phone resolution); carry-in H, K, L by the first reached contact
    // (their T2 is the collection notice) = 8; B (5 h), D (unreachable
    // marking does not count), E and I (never, limit passed) fail: 8 / 12.
    assert_eq!(v["contact_4h_rate"], json!(0.6667));
    // Resolved: A B C F G K L M = 8; cancelled: D E = 2.
    assert_eq!(v["resolved"], 8);
    assert_eq!(v["cancelled"], 2);
    // Each promise is judged by the first arrival (carry-in: the repair
    // being ready) while it was in force:
    //   A T31 10:00: arrived 09:50 (typed in at 14:20) — kept.
    //   B T31 14:00: arrived 14:00 — kept; T32 5th 10:00: arrived 11:00 — missed.
    //   C phone resolution — kept.
    //   F T31 13th: no visit, T32 written for late parts — missed (the
    //     station's); T32 16th 10:00: arrived 09:30 — kept.
    //   G T31 20th 15:00: arrived 14:30 — kept; after the reopening T32
    //     24th 10:00: arrived 09:48 — kept.
    //   K T31 1st 10:00: ready 11:30 — missed.
    //   L T31 18th 17:00: ready 11:00 — kept.
    //   M T31 10th 14:00: not at home — the customer's, reported apart;
    //     T32 12th 10:00: arrived 09:40 — kept.
    // Timeliness, the last promise kept: A C F G L M = 6; B K fail: 6 / 8.
    assert_eq!(v["timeliness_rate"], json!(0.75));
    // First promise, T31 kept: A B C G L = 5; F K fail; M left out: 5 / 7.
    assert_eq!(v["first_promise_rate"], json!(0.7143));
    assert_eq!(v["customer_missed"], 1);
    // Completion: 8 resolved / (12 − 2 cancelled) = 0.8.
    assert_eq!(v["completion_rate"], json!(0.8));
    // First-visit fix, phone resolutions left out: A F K L M (not at home is
    // no repair) = 5 of A B F G K L M = 7.
    assert_eq!(v["first_visit_fix_rate"], json!(0.7143));
    // Follow-up of resolved tickets since their last resolution: A, B, F =
    // 3 of 8 (C K L M not called, G's only call is the one that reopened it).
    assert_eq!(v["followup_rate"], json!(0.375));
    // Satisfaction over reached follow-ups: A, F satisfied; B, G not: 2 / 4.
    assert_eq!(v["satisfaction_rate"], json!(0.5));
    // Turnaround T4 − T1 in hours, T4 the fixing visit's completion (A 3rd
    // 10:20, not the typing at 14:20 nor the closing) or the carry-in
    // collection (K 1st 16:00, L 19th 09:00): C 1, A 25.33, L 72, B 73.5,
    // M 73.5, G 96.8, K 103, F 144.5. Median of 8 = 73.5; p90 = rank
    // ⌈7.2⌉ = 8th = 144.5.
    assert_eq!(v["turnaround_median_hours"], json!(73.5));
    assert_eq!(v["turnaround_p90_hours"], json!(144.5));
    // Onsite C A B M G F: median 73.5, p90 rank ⌈5.4⌉ = 6th = 144.5;
    // carry-in L K: median 87.5, p90 rank 2 = 103.
    assert_eq!(
        v["turnaround_by_service_type"],
        json!({
            "onsite": {"count": 6, "median_hours": 73.5, "p90_hours": 144.5},
            "carry_in": {"count": 2, "median_hours": 87.5, "p90_hours": 103.0},
        })
    );
    assert_eq!(
        v["cancelled_by_reason"],
        json!({"wrong_number": 1, "unreachable": 1, "refused": 0, "duplicate": 0, "other": 0})
    );
    // F's parts arrived on the 13th, after the 12th 12:00.
    assert_eq!(v["parts_late"], 1);
    // Unfinished at 1 December 00:00: I (4 h) → 0-1d; K (3 d 15 h, rebuilt
    // from its events: resolved later) and H (5 d 14 h) → 3-7d; J (41 d) → >7d.
    assert_eq!(
        v["backlog"],
        json!({"0-1d": 1, "1-3d": 0, "3-7d": 2, ">7d": 1})
    );
    assert_eq!(v["backlog_as_of"], "2026-12-01T00:00:00+08:00");
    // Paid repairs (P5): A 280 and L 150.
    assert_eq!(v["paid"], json!({"count": 2, "amount": 430.0}));
    // Visits by arrival in November (bench repairs are no visits), kept when
    // the arrival is no later than the T3 in force:
    // 王工: A fixed 09:50 ≤ 10:00, M not at home 13:50 ≤ 14:00, M fixed
    //       09:40 ≤ 10:00, F fixed 09:30 ≤ 10:00 → 4 visits, 3 fixed, 4 kept.
    // 李工: B not fixed 14:00 ≤ T31 14:00 (kept), B fixed 11:00 > T32 10:00,
    //       G fixed 14:30 ≤ 15:00, G fixed 09:48 ≤ 10:00 → 4 visits, 3 fixed,
    //       1 multi-repair, 3 kept.
    assert_eq!(
        v["engineers"],
        json!([
            {"name": "李工", "visits": 4, "fixed": 3, "multi_repair": 1, "promises_kept": 3},
            {"name": "王工", "visits": 4, "fixed": 3, "multi_repair": 0, "promises_kept": 4},
        ])
    );

    // The same figures as a table, and in files.
    let text = d.ok("2026-12-05 10:00", &["report", "kpi", "--month", "2026-11"]);
    assert!(
        text.contains("timeliness rate") && text.contains("75.0%  (6/8)"),
        "{text}"
    );
    assert!(text.contains("0-1d: 1  1-3d: 0  3-7d: 2  >7d: 1"), "{text}");
    let csv = d.dir.path().join("kpi.csv");
    d.ok(
        "2026-12-05 10:00",
        &[
            "report",
            "kpi",
            "--month",
            "2026-11",
            "-o",
            csv.to_str().unwrap(),
        ],
    );
    let body = std::fs::read_to_string(&csv).unwrap();
    assert!(
        body.starts_with("\u{feff}figures\nfigure,value\nmonth,2026-11\ntickets,12\n"),
        "{body}"
    );
    assert!(body.contains("\ncompletion rate,0.8\n"), "{body}");
    assert!(body.contains("\ncustomer missed,1\n"), "{body}");
    assert!(body.contains("\npaid amount,430\n"), "{body}");
    assert!(body.contains("\n李工,4,3,1,3\n"), "{body}");
    let xlsx = d.dir.path().join("kpi.xlsx");
    d.ok(
        "2026-12-05 10:00",
        &[
            "report",
            "kpi",
            "--month",
            "2026-11",
            "-o",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    #[cfg(unix)]
    {
        assert_eq!(mode(&csv), 0o600);
        assert_eq!(mode(&xlsx), 0o600);
    }
}

#[test]
fn kpi_of_an_empty_month_is_null_rates_and_bad_months_are_usage_errors() {
    let d = Desk::new();
    let v = d.json("2026-12-05 10:00", &["report", "kpi", "--month", "2026-11"]);
    assert_eq!(v["tickets"], 0);
    for key in [
        "contact_4h_rate",
        "timeliness_rate",
        "first_promise_rate",
        "completion_rate",
        "first_visit_fix_rate",
        "followup_rate",
        "satisfaction_rate",
        "turnaround_median_hours",
        "turnaround_p90_hours",
    ] {
        assert_eq!(v[key], Value::Null, "{key}");
    }
    assert_eq!(v["engineers"], json!([]));
    for bad in ["2026-13", "2026/11", "11-2026", "2026-1"] {
        d.cmd("2026-12-05 10:00", &["report", "kpi", "--month", bad])
            .assert()
            .code(2);
    }
}

/// Every test of this file again on PostgreSQL (`tests/common/pg.rs`).
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres("on_postgresql_too", &[]);
}
