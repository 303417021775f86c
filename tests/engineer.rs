//! `repairdesk engineer NAME`: the engineer's day through the real binary —
//! visits in arrival-time order with what the engineer needs at the door,
//! finished visits marked, the carry-in bench work apart, clashes warned.

use serde_json::Value;

mod common;

use common::Timed as Desk;

const DAY: &str = "2026-11-27";

impl Desk {
    /// A station ticket received at `now`; returns its number.
    fn ticket(&self, now: &str, customer: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "ticket",
            "new",
            "--customer",
            customer,
            "--phone",
            "13800138000",
            "--fault",
            "无法开机",
        ];
        args.extend_from_slice(extra);
        self.ok(now, &args).trim().to_string()
    }

    /// An onsite ticket in `district`, promised at `t3`, printed and
    /// dispatched to `engineer`.
    fn planned(&self, customer: &str, district: &str, t3: &str, engineer: &str) -> String {
        self.planned_with(customer, district, t3, engineer, &[])
    }

    fn planned_with(
        &self,
        customer: &str,
        district: &str,
        t3: &str,
        engineer: &str,
        extra: &[&str],
    ) -> String {
        let mut args = vec![
            "--service-type",
            "onsite",
            "--district",
            district,
            "--address",
            "望京街92号华通写字楼26层616室",
        ];
        args.extend_from_slice(extra);
        let no = self.ticket("2026-11-26 09:00", customer, &args);
        self.ok("2026-11-26 09:10", &["ticket", "promise", &no, "--at", t3]);
        let wo = self.dir.path().join(format!("{no}.txt"));
        self.ok(
            "2026-11-26 09:11",
            &["ticket", "print", &no, "-o", &wo.to_string_lossy()],
        );
        self.ok(
            "2026-11-26 09:12",
            &["ticket", "dispatch", &no, "--engineer", engineer],
        );
        no
    }

    fn day(&self, now: &str, name: &str) -> String {
        self.ok(now, &["engineer", name, "--date", DAY, "--plain"])
    }
}

/// Where `needle` is in `text` (panics with the text if absent).
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in:\n{text}"))
}

/// The station of the tests below: 王工's Friday 2026-11-27.
struct Day {
    d: Desk,
    /// 14:00 in 海淀区, fixed on the day.
    fixed: String,
    /// 10:00 in 朝阳区, a repeat visit with a part to bring.
    repeat: String,
    /// 14:00 in 朝阳区, out of warranty with an approved quote.
    paid: String,
    /// 16:00, an appointment agreed after T33 (R12).
    appointed: String,
    /// A carry-in machine waiting on 王工's bench.
    bench_waiting: String,
    /// A carry-in machine 王工 repaired on the day.
    bench_done: String,
    /// 李工's visit at 10:00: not in 王工's day.
    other: String,
}

fn station() -> Day {
    let d = Desk::new();
    d.ok("2026-11-26 08:00", &["staff", "add", "王工"]);
    d.ok("2026-11-26 08:00", &["staff", "add", "李工"]);
    let fixed = d.planned("张伟", "海淀区", "2026-11-27 14:00", "王工");

    // A repeat visit: the first one did not fix it, a part was ordered.
    let repeat = d.planned("李娜", "朝阳区", "2026-11-26 15:00", "王工");
    d.ok(
        "2026-11-26 16:00",
        &[
            "ticket",
            "visit",
            &repeat,
            "--result",
            "not-fixed",
            "--arrived",
            "2026-11-26 15:05",
            "--done",
            "2026-11-26 15:40",
            "--next",
            "2026-11-27 10:00",
            "--note",
            "主板需更换",
        ],
    );
    d.ok(
        "2026-11-26 16:05",
        &[
            "ticket",
            "parts",
            &repeat,
            "--order",
            "PO-7",
            "--part",
            "5B20S43",
            "--eta",
            "2026-11-26 18:00",
        ],
    );
    d.ok(
        "2026-11-26 17:00",
        &["ticket", "parts-arrived", &repeat, "--order", "PO-7"],
    );

    // Out of warranty: the quote the customer approved is to be collected (P5).
    let paid = d.planned_with(
        "王芳",
        "朝阳区",
        "2026-11-27 14:00",
        "王工",
        &["--warranty", "out"],
    );
    d.ok(
        "2026-11-26 17:10",
        &["ticket", "quote", &paid, "--amount", "350"],
    );

    // Three promises used; the visit time is an appointment (R12).
    let appointed = d.planned("赵强", "西城区", "2026-11-26 11:00", "王工");
    for (now, t3) in [
        ("2026-11-26 09:20", "2026-11-26 12:00"),
        ("2026-11-26 09:30", "2026-11-26 13:00"),
    ] {
        d.ok(
            now,
            &[
                "ticket",
                "promise",
                &appointed,
                "--at",
                t3,
                "--type",
                "customer",
                "--reason",
                "用户改时间",
            ],
        );
    }
    d.ok(
        "2026-11-26 09:40",
        &["ticket", "escalate", &appointed, "--note", "三次承诺已用完"],
    );
    d.ok(
        "2026-11-26 09:45",
        &["ticket", "appoint", &appointed, "--at", "2026-11-27 16:00"],
    );

    // Carry-in: one not fixed yet (waiting on the bench), one fixed on the day.
    let bench_waiting = d.ticket(
        "2026-11-26 09:00",
        "周敏",
        &["--service-type", "carry-in", "--model", "小新 Pro 14"],
    );
    d.ok(
        "2026-11-26 09:10",
        &[
            "ticket",
            "promise",
            &bench_waiting,
            "--at",
            "2026-11-28 10:00",
        ],
    );
    d.ok(
        "2026-11-26 16:00",
        &[
            "ticket",
            "repair",
            &bench_waiting,
            "--result",
            "not-fixed",
            "--by",
            "王工",
            "--note",
            "等主板",
        ],
    );
    let bench_done = d.ticket("2026-11-26 09:00", "孙丽", &["--service-type", "carry-in"]);
    d.ok(
        "2026-11-26 09:10",
        &["ticket", "promise", &bench_done, "--at", "2026-11-27 17:00"],
    );

    let other = d.planned("钱多", "东城区", "2026-11-27 10:00", "李工");
    Day {
        d,
        fixed,
        repeat,
        paid,
        appointed,
        bench_waiting,
        bench_done,
        other,
    }
}

#[test]
fn engineer_day_lists_visits_by_arrival_time_with_what_to_bring() {
    let s = station();
    let day = s.d.day("2026-11-27 08:00", "王工");
    // Arrival-time order: 10:00, 14:00, 14:00, 16:00 (appointment after T33).
    // (A card's title line ends with its ticket number while it is pending.)
    let card = |no: &str| at(&day, &format!(" {no}\n"));
    let (repeat, fixed, paid, appointed) = (
        card(&s.repeat),
        card(&s.fixed),
        card(&s.paid),
        card(&s.appointed),
    );
    assert!(repeat < fixed && repeat < paid, "{day}");
    assert!(fixed < appointed && paid < appointed, "{day}");
    assert!(day.contains(&format!("10:00 T32 {}", s.repeat)), "{day}");
    assert!(
        day.contains(&format!("16:00 appt {}", s.appointed)),
        "{day}"
    );
    assert!(
        !day.contains(&s.other),
        "李工's visit is not 王工's:\n{day}"
    );
    // Everything needed at the door: the full address, phones, fault.
    assert!(
        day.contains("address: 朝阳区 望京街92号华通写字楼26层616室"),
        "{day}"
    );
    assert!(day.contains("phones: 13800138000"), "{day}");
    assert!(day.contains("fault: 无法开机"), "{day}");
    // The repeat visit: the part to bring and what the last visit found.
    let repeat_card = &day[repeat..fixed.min(paid)];
    assert!(repeat_card.contains("bring: 5B20S43×1"), "{repeat_card}");
    assert!(
        repeat_card.contains("previous: 11-26 15:05 王工 not fixed: 主板需更换"),
        "{repeat_card}"
    );
    // The paid repair: the amount to collect (P5).
    assert!(
        day.contains("collect: ¥350.00 (out of warranty, quote approved by the customer)"),
        "{day}"
    );
    // 14:00 in 海淀区 and 14:00 in 朝阳区: warned before the day starts.
    assert!(
        day.contains("⚠ 14:00 two visits at the same time in different districts"),
        "{day}"
    );

    // The same day in Chinese.
    let zh = s.d.0.cmd();
    let out = assert_cmd::Command::from_std(zh)
        .args(["--now", "2026-11-27 08:00", "--lang", "zh"])
        .args(["engineer", "王工", "--date", DAY, "--plain"])
        .output()
        .expect("runs");
    let zh = String::from_utf8_lossy(&out.stdout);
    assert!(zh.contains("带备件: 5B20S43×1"), "{zh}");
    assert!(
        zh.contains("上次: 11-26 15:05 王工 未修复：主板需更换"),
        "{zh}"
    );
    assert!(zh.contains("同一时间在不同区县有两个上门"), "{zh}");
    assert!(zh.contains(&format!("16:00 约定 {}", s.appointed)), "{zh}");
}

#[test]
fn engineer_day_marks_finished_visits_and_keeps_them() {
    let s = station();
    // 王工 arrives 13:50 and fixes it by 14:20; it is typed in at 15:00.
    s.d.ok(
        "2026-11-27 15:00",
        &[
            "ticket",
            "visit",
            &s.fixed,
            "--result",
            "fixed",
            "--arrived",
            "2026-11-27 13:50",
            "--done",
            "2026-11-27 14:20",
        ],
    );
    // The repeat visit: not at home; the customer's next time is tomorrow.
    s.d.ok(
        "2026-11-27 15:05",
        &[
            "ticket",
            "visit",
            &s.repeat,
            "--result",
            "not-home",
            "--arrived",
            "2026-11-27 10:05",
            "--done",
            "2026-11-27 10:15",
            "--next",
            "2026-11-28 09:00",
        ],
    );
    let day = s.d.day("2026-11-27 16:00", "王工");
    assert!(
        day.contains(&format!("14:00 T31 {} ✓ fixed 13:50–14:20", s.fixed)),
        "a finished visit is marked, not dropped:\n{day}"
    );
    assert!(
        day.contains(&format!(
            "10:00 T32 {} ✓ customer not at home 10:05–10:15",
            s.repeat
        )),
        "the visit stays on the day its time was, though the next time is tomorrow:\n{day}"
    );
    // Done visits bring nothing, and no longer clash.
    assert!(!day.contains("two visits at the same time"), "{day}");
    let json =
        s.d.json("2026-11-27 16:00", &["engineer", "王工", "--date", DAY]);
    let visits = json["visits"].as_array().expect("visits");
    let of = |no: &str| -> &Value {
        visits
            .iter()
            .find(|v| v["ticket_no"] == no)
            .unwrap_or_else(|| panic!("{no} not in {json}"))
    };
    assert_eq!(of(&s.fixed)["pending"], false);
    assert_eq!(of(&s.fixed)["done"]["result"], "fixed");
    assert_eq!(of(&s.paid)["pending"], true);
    assert_eq!(of(&s.paid)["quote"], 350.0);
    // Tomorrow: the repeat visit at the customer's new time.
    let next = s.d.ok(
        "2026-11-27 16:00",
        &["engineer", "王工", "--date", "2026-11-28", "--plain"],
    );
    assert!(next.contains(&format!("09:00 T33 {}", s.repeat)), "{next}");
    assert!(
        next.contains("previous: 11-27 10:05 王工 customer not at home"),
        "{next}"
    );
}

#[test]
fn engineer_day_lists_carry_in_apart_as_bench_work() {
    let s = station();
    s.d.ok(
        "2026-11-27 11:30",
        &[
            "ticket",
            "repair",
            &s.bench_done,
            "--result",
            "fixed",
            "--by",
            "王工",
            "--done",
            "2026-11-27 11:00",
        ],
    );
    let day = s.d.day("2026-11-27 12:00", "王工");
    let bench = at(&day, "== Bench work (carry-in, at the station) ==");
    let (waiting, done) = (at(&day, &s.bench_waiting), at(&day, &s.bench_done));
    assert!(
        bench < waiting && bench < done,
        "carry-in is listed apart:\n{day}"
    );
    let bench_part = &day[bench..];
    assert!(
        !bench_part.contains("address:") && !bench_part.contains("bring:"),
        "no address and nothing to bring for bench work:\n{bench_part}"
    );
    assert!(
        bench_part.contains("collection: 2026-11-28 10:00"),
        "{bench_part}"
    );
    assert!(
        bench_part.contains("previous: 11-26 16:00 王工 not fixed: 等主板"),
        "{bench_part}"
    );
    assert!(
        bench_part.contains(&format!("{} ✓ fixed 11:00", s.bench_done)),
        "{bench_part}"
    );
    // Carry-in is never a site visit.
    let visits = &day[..bench];
    assert!(!visits.contains(&s.bench_waiting) && !visits.contains(&s.bench_done));
    // The waiting machine is not on a past day's sheet.
    let before = s.d.ok(
        "2026-11-27 12:00",
        &["engineer", "王工", "--date", "2026-11-25", "--plain"],
    );
    assert!(!before.contains(&s.bench_waiting), "{before}");
}

#[test]
fn engineer_day_refuses_an_unknown_engineer_and_a_bad_day() {
    let s = station();
    let err = s.d.run(
        "2026-11-27 08:00",
        &["engineer", "无名", "--date", DAY, "--plain"],
        4,
    );
    assert!(err.contains("无名"), "{err}");
    let err = s.d.run(
        "2026-11-27 08:00",
        &["engineer", "王工", "--day", "明年", "--plain"],
        2,
    );
    assert!(err.contains("--date"), "{err}");
    // `--day` is the same as `--date`.
    let day = s.d.ok(
        "2026-11-27 08:00",
        &["engineer", "王工", "--day", DAY, "--plain"],
    );
    assert!(day.contains(&s.fixed), "{day}");
}

#[test]
fn same_time_in_the_same_district_is_not_a_clash() {
    let d = Desk::new();
    d.ok("2026-11-26 08:00", &["staff", "add", "王工"]);
    let a = d.planned("张伟", "海淀区", "2026-11-27 11:00", "王工");
    let b = d.planned("李娜", "海淀区", "2026-11-27 11:00", "王工");
    let day = d.day("2026-11-27 08:00", "王工");
    assert!(day.contains(&a) && day.contains(&b), "{day}");
    assert!(
        !day.contains('⚠'),
        "neighbours at one time are not warned:\n{day}"
    );
    // A third at that time in another district is.
    let c = d.planned("王芳", "朝阳区", "2026-11-27 11:00", "王工");
    let day = d.day("2026-11-27 08:00", "王工");
    assert!(
        day.contains("⚠ 11:00") && day.contains(&format!("{c} 朝阳区")),
        "{day}"
    );
    let json = d.json("2026-11-27 08:00", &["engineer", "王工", "--date", DAY]);
    assert_eq!(
        json["clashes"][0]["tickets"].as_array().map(Vec::len),
        Some(3)
    );
}

/// The tests above again, on a PostgreSQL database (skipped without a
/// server, except under CI), but the demo station's (two whole demo
/// stations: slow on a server, and the demo's own tests run there).
#[test]
fn on_postgresql_too() {
    common::pg::rerun_on_postgres("on_postgresql_too", &["demo_station"]);
}

/// The demo station tells whole stories (no step refused by a rule), keeps
/// most promises, and its engineers' days read like real ones: bench work
/// finished in working hours.
#[test]
fn demo_station_days_are_realistic() {
    for seed in ["1", "3"] {
        let d = Desk::new();
        let now = "2026-11-26 11:30";
        let summary = d.json(now, &["demo", "--no-tui", "--seed", seed]);
        assert_eq!(summary["refused_steps"], 0, "seed {seed}: {summary}");
        let kpi = d.json(now, &["report", "kpi", "--month", "2026-11"]);
        let rate = kpi["timeliness_rate"].as_f64().expect("a rate");
        assert!(rate > 0.7 && rate < 1.0, "seed {seed}: timeliness {rate}");
        for e in summary["engineers"].as_array().expect("engineers") {
            let name = e["name"].as_str().expect("name");
            let day = d.json(now, &["engineer", name]);
            for b in day["bench"].as_array().expect("bench") {
                let Some(done) = b["repair"]["done"].as_str() else {
                    continue;
                };
                let hour: u32 = done[11..13].parse().expect("hour");
                assert!((9..=19).contains(&hour), "{name}: bench repair at {done}");
            }
        }
    }
}
