//! `alerts` and `report …`.

use std::path::Path;

use serde_json::{Value, json};

use super::args::ReportCmd;
use super::{CliError, CliResult, print_json};
use crate::domain::sla::{self, AlertKind};
use crate::domain::text::Lang;
use crate::domain::when;
use crate::present::sanitize::terminal_safe;
use crate::present::{self, hours, pct, promise_line};
use crate::report::kpi::{self, BACKLOG_LABELS, Kpi, Ratio};
use crate::report::table::{self, Cell, Sheet};
use crate::report::{Month, unfinished};
use crate::setup::app::App;
use crate::store::Store;

fn open(app: &App) -> Result<Store, CliError> {
    app.open_store()
        .map_err(|e| CliError::from_store(e, app.lang))
}

/// Every deadline near or broken now, most urgent first.
pub fn alerts(app: App) -> CliResult {
    let store = open(&app)?;
    let now = app.now();
    // Each open ticket's alerts as it is read: no list of every open ticket
    // beside them (100,000 on a busy station).
    let mut alerts = Vec::new();
    store
        .open_set(|t| alerts.extend(sla::ticket_alerts(&t, now, &app.settings, &app.calendar)))
        .map_err(|e| CliError::from_store(e, app.lang))?;
    sla::sort_alerts(&mut alerts);
    // A ticket whose record does not read cannot say its deadlines: it is an
    // alert of its own, so the coordinator looks at it.
    let damaged = store.damaged();
    if app.json {
        let unreadable = damaged.iter().map(|d| {
            json!({
                "ticket_no": d.ticket_no,
                "rule": Value::Null,
                "kind": "unreadable",
                "level": sla::Level::Breach.code(),
                "due": Value::Null,
                "message": d.detail,
            })
        });
        let v: Vec<Value> = unreadable
            .chain(alerts.iter().map(|a| {
                json!({
                    "ticket_no": a.ticket_no,
                    "rule": a.rule.to_string(),
                    "kind": a.kind.code(),
                    "level": a.level.code(),
                    "due": present::rfc3339(&app.calendar, a.due),
                    "message": a.message.get(app.lang),
                })
            }))
            .collect();
        return print_json(&Value::Array(v));
    }
    let missing = sla::missing_years(&app.calendar, now, &alerts);
    if let Some(text) = sla::missing_years_text(&missing, app.lang) {
        eprintln!(
            "{} ({})",
            text,
            app.lang.pick(
                "按周一至周五计算工作日；在配置 [calendar] 中加入该年的表",
                "working days count Monday–Friday only; add the year's table under [calendar] in the configuration"
            )
        );
    }
    for d in &damaged {
        crate::outln!(
            "{} {:<4} {}",
            sla::Level::Breach.symbol(),
            sla::Level::Breach.name(app.lang),
            match app.lang {
                Lang::Zh => format!(
                    "{}  存储记录无法读取（{}）；用 ticket show 查看",
                    terminal_safe(&d.ticket_no),
                    terminal_safe(&d.detail)
                ),
                Lang::En => format!(
                    "{}  its stored record cannot be read ({}); see ticket show",
                    terminal_safe(&d.ticket_no),
                    terminal_safe(&d.detail)
                ),
            }
        );
    }
    if alerts.is_empty() && damaged.is_empty() {
        crate::outln!(
            "{}",
            app.lang
                .pick("没有临近或超时的期限", "no deadline is near or broken")
        );
        return Ok(());
    }
    // Written in large pieces: a hundred thousand lines, one write each,
    // cost more than making them.
    let mut text = String::with_capacity(64 * 1024);
    for a in &alerts {
        use std::fmt::Write;
        let _ = writeln!(
            text,
            "{} {:<4} {:<18} {:<4} {}  {:<14} {}",
            a.level.symbol(),
            a.level.name(app.lang),
            terminal_safe(&a.ticket_no),
            a.rule.to_string(),
            app.fmt(a.due),
            a.countdown(now, app.lang),
            terminal_safe(a.message.get(app.lang)),
        );
        if text.len() >= 60 * 1024 {
            crate::out!("{text}");
            text.clear();
        }
    }
    crate::out!("{text}");
    let breaches = alerts
        .iter()
        .filter(|a| a.level == sla::Level::Breach)
        .count();
    crate::errln!(
        "{}",
        match app.lang {
            Lang::Zh => format!(
                "共 {} 条：超时 {breaches}，预警 {}",
                alerts.len(),
                alerts.len() - breaches
            ),
            Lang::En => format!(
                "{} alerts: {breaches} breached, {} warnings",
                alerts.len(),
                alerts.len() - breaches
            ),
        }
    );
    Ok(())
}

pub fn report(app: App, cmd: ReportCmd) -> CliResult {
    match cmd {
        ReportCmd::Kpi { month, output } => kpi_report(&app, &month, output.as_deref()),
        ReportCmd::Unfinished { date, output } => {
            unfinished_report(&app, date.as_deref(), output.as_deref())
        }
    }
}

/// Checks an output path before any work: CSV or XLSX only.
fn check_output(output: Option<&Path>) -> CliResult {
    match output {
        Some(p) if table::format_of(p).is_none() => Err(CliError::usage(format!(
            "-o {}: the file name must end in .csv or .xlsx",
            p.display()
        ))),
        _ => Ok(()),
    }
}

fn write_file(app: &App, path: &Path, sheets: &[Sheet]) -> CliResult {
    table::write(path, sheets).map_err(CliError::internal)?;
    crate::errln!(
        "{} {}",
        app.lang.pick("已写入", "wrote"),
        terminal_safe(&path.display().to_string())
    );
    Ok(())
}

/// `87.5%  (7/8)`: the rate, then what it counts.
fn pct_of(r: &Ratio) -> String {
    match r.rate() {
        Some(_) => format!("{}  ({}/{})", pct(r.rate()), r.met, r.of),
        None => pct(None),
    }
}

/// The figure lines of the KPI report: (zh, en, text value, file cell).
fn kpi_lines(k: &Kpi) -> Vec<(&'static str, &'static str, String, Cell)> {
    let rate = |r: &Ratio| Cell::from(r.rate());
    let mut v = vec![
        (
            "维修单数",
            "tickets",
            k.tickets.to_string(),
            Cell::from(k.tickets),
        ),
        (
            "已解决",
            "resolved",
            k.resolved.to_string(),
            Cell::from(k.resolved),
        ),
        (
            "已撤单",
            "cancelled",
            k.cancelled.to_string(),
            Cell::from(k.cancelled),
        ),
        (
            "周转时间中位数",
            "turnaround median",
            hours(k.turnaround.median_hours),
            Cell::from(k.turnaround.median_hours),
        ),
        (
            "周转时间90分位",
            "turnaround p90",
            hours(k.turnaround.p90_hours),
            Cell::from(k.turnaround.p90_hours),
        ),
    ];
    // The rates go after the counts, before the turnaround.
    let rates = k.rates().map(|(zh, en, r)| (zh, en, pct_of(r), rate(r)));
    v.splice(3..3, rates);
    v.push((
        "备件逾期单数",
        "parts late",
        k.parts_late.to_string(),
        Cell::from(k.parts_late),
    ));
    v.push((
        "用户原因失约",
        "customer missed",
        k.customer_missed.to_string(),
        Cell::from(k.customer_missed),
    ));
    v.push((
        "保外收费单数",
        "paid repairs",
        k.paid.count.to_string(),
        Cell::from(k.paid.count),
    ));
    v.push((
        "保外收费金额",
        "paid amount",
        format!("{:.2}", k.paid.amount),
        Cell::from(k.paid.amount),
    ));
    v
}

fn kpi_report(app: &App, month: &str, output: Option<&Path>) -> CliResult {
    let m = Month::parse(month, &app.calendar).ok_or_else(|| {
        CliError::usage(format!(
            "--month: '{month}' is not a month; expected YYYY-MM, e.g. 2026-11"
        ))
    })?;
    check_output(output)?;
    let store = open(app)?;
    let k = kpi::load(&store, m, app.now(), &app.settings, &app.calendar)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    super::warn_damaged(&store, app.lang);
    // calendar_unknown: the month, or now, in a year without a holiday table.
    let mut missing: Vec<i32> = [k.month.start, k.month.end - chrono::Duration::seconds(1)]
        .into_iter()
        .filter_map(|t| app.calendar.missing_year(t))
        .chain(sla::missing_years(&app.calendar, app.now(), []))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    let warning = sla::missing_years_text(&missing, app.lang);
    if let Some(path) = output {
        if let Some(w) = &warning {
            eprintln!("{w}");
        }
        return write_file(app, path, &kpi_sheets(app, &k));
    }
    if app.json {
        let mut v = k.to_json(&app.calendar);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("calendar_unknown".into(), json!(missing));
        }
        return print_json(&v);
    }
    let l = app.lang;
    if let Some(w) = &warning {
        crate::outln!("⚠ {w}");
    }
    crate::outln!(
        "{}",
        match l {
            Lang::Zh => format!("{} 月度指标（按报修时间 T1 统计）", k.month.label()),
            Lang::En => format!("Figures for {} (tickets by T1)", k.month.label()),
        }
    );
    for (zh, en, text, _) in kpi_lines(&k) {
        crate::outln!("  {:<24}{text}", l.pick(zh, en));
    }
    for (st, s) in &k.turnaround_by_service {
        crate::outln!(
            "  {:<24}{} / {}  (n={})",
            format!("{} {}", l.pick("周转", "turnaround"), st.name(l)),
            hours(s.median_hours),
            hours(s.p90_hours),
            s.count
        );
    }
    let reasons: Vec<String> = k
        .cancelled_by_reason
        .iter()
        .map(|(r, n)| format!("{} {n}", r.name(l)))
        .collect();
    crate::outln!(
        "  {:<24}{}",
        l.pick("撤单原因", "cancelled by reason"),
        reasons.join(", ")
    );
    let backlog: Vec<String> = BACKLOG_LABELS
        .iter()
        .zip(k.backlog.buckets)
        .map(|(b, n)| format!("{b}: {n}"))
        .collect();
    crate::outln!(
        "  {:<24}{}  ({} {})",
        l.pick("积压（按单龄）", "backlog by age"),
        backlog.join("  "),
        l.pick("截至", "as of"),
        app.fmt(k.backlog.as_of)
    );
    crate::outln!();
    crate::outln!(
        "  {:<16}{:>8}{:>8}{:>10}{:>10}",
        l.pick("工程师", "engineer"),
        l.pick("上门", "visits"),
        l.pick("修复", "fixed"),
        l.pick("多次维修", "multi"),
        l.pick("守约", "kept")
    );
    for e in &k.engineers {
        crate::outln!(
            "  {:<16}{:>8}{:>8}{:>10}{:>10}",
            terminal_safe(&e.name),
            e.visits,
            e.fixed,
            e.multi_repair,
            e.promises_kept
        );
    }
    if k.engineers.is_empty() {
        crate::outln!(
            "  {}",
            l.pick("（本月没有上门记录）", "(no visits this month)")
        );
    }
    Ok(())
}

fn kpi_sheets(app: &App, k: &Kpi) -> Vec<Sheet> {
    let l = app.lang;
    let mut rows: Vec<Vec<Cell>> = vec![vec![
        Cell::from(l.pick("月份", "month")),
        Cell::from(k.month.label()),
    ]];
    for (zh, en, _, cell) in kpi_lines(k) {
        rows.push(vec![Cell::from(l.pick(zh, en).trim()), cell]);
    }
    for (st, s) in &k.turnaround_by_service {
        let name = st.name(l);
        rows.push(vec![
            Cell::from(format!(
                "{} {name} {}",
                l.pick("周转", "turnaround"),
                l.pick("中位数", "median")
            )),
            Cell::from(s.median_hours),
        ]);
        rows.push(vec![
            Cell::from(format!(
                "{} {name} {}",
                l.pick("周转", "turnaround"),
                l.pick("90分位", "p90")
            )),
            Cell::from(s.p90_hours),
        ]);
    }
    for (r, n) in &k.cancelled_by_reason {
        rows.push(vec![
            Cell::from(format!("{} {}", l.pick("撤单", "cancelled"), r.name(l))),
            Cell::from(*n),
        ]);
    }
    for (b, n) in BACKLOG_LABELS.iter().zip(k.backlog.buckets) {
        rows.push(vec![
            Cell::from(format!("{} {b}", l.pick("积压", "backlog"))),
            Cell::from(n),
        ]);
    }
    let figures = Sheet {
        name: l.pick("指标", "figures").into(),
        headers: vec![
            l.pick("指标", "figure").into(),
            l.pick("数值", "value").into(),
        ],
        rows,
    };
    let engineers = Sheet {
        name: l.pick("工程师", "engineers").into(),
        headers: ["name", "visits", "fixed", "multi_repair", "promises_kept"]
            .iter()
            .zip(["工程师", "上门", "修复", "多次维修", "守约"])
            .map(|(en, zh)| l.pick(zh, en).to_string())
            .collect(),
        rows: k
            .engineers
            .iter()
            .map(|e| {
                vec![
                    Cell::from(e.name.clone()),
                    Cell::from(e.visits),
                    Cell::from(e.fixed),
                    Cell::from(e.multi_repair),
                    Cell::from(e.promises_kept),
                ]
            })
            .collect(),
    };
    vec![figures, engineers]
}

/// `1d 03:20` / `1天03:20` / `5:07`.
fn age_text(age: chrono::Duration, lang: Lang) -> String {
    let m = age.num_minutes().max(0);
    let (d, h, mm) = (m / 1440, (m / 60) % 24, m % 60);
    match (d, lang) {
        (0, _) => format!("{h}:{mm:02}"),
        (d, Lang::Zh) => format!("{d}天{h:02}:{mm:02}"),
        (d, Lang::En) => format!("{d}d {h:02}:{mm:02}"),
    }
}

fn overdue_text(kinds: &[AlertKind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| k.name(lang))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

fn unfinished_report(app: &App, date: Option<&str>, output: Option<&Path>) -> CliResult {
    let now = app.now();
    let today = app.calendar.local(now).date_naive();
    let day = match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => today,
        Some(d) => when::parse_date(d).map_err(|e| CliError::usage(format!("--date: {e}")))?,
    };
    if day > today {
        return Err(CliError::usage(format!(
            "--date: {day} is in the future; the review covers today or an earlier day"
        )));
    }
    check_output(output)?;
    let as_of = unfinished::review_moment(day, now, &app.calendar);
    let store = open(app)?;
    let rows = unfinished::review(&store, as_of, &app.settings, &app.calendar)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    // R7: every dispatch of an unprinted work order that day is reviewed.
    let overrides = store
        .dispatch_overrides(crate::report::local_midnight(&app.calendar, day), as_of)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    super::warn_damaged(&store, app.lang);
    let l = app.lang;
    let missing = sla::missing_years(
        &app.calendar,
        as_of,
        rows.iter().filter_map(|r| r.calendar_unknown.as_ref()),
    );
    let warning = sla::missing_years_text(&missing, l);
    let mark = |r: &unfinished::ReviewRow| {
        r.calendar_unknown
            .as_ref()
            .map(|a| format!("  ⚠ {}", a.message.get(l)))
            .unwrap_or_default()
    };
    let cal = &app.calendar;
    let latest = |t: &crate::domain::ticket::Ticket| {
        t.last_promise()
            .map(|p| promise_line(cal, p, l))
            .unwrap_or_else(|| "—".into())
    };
    if let Some(path) = output {
        let headers = [
            ("维修单号", "ticket_no"),
            ("状态", "status"),
            ("负责人", "owner"),
            ("T1", "t1"),
            ("单龄(小时)", "age_hours"),
            ("超过24小时", "over_24h"),
            ("最新承诺", "latest_promise"),
            ("超期事项", "overdue"),
        ];
        let sheet = Sheet {
            name: l.pick("未完成", "unfinished").into(),
            headers: headers
                .iter()
                .map(|(zh, en)| l.pick(zh, en).into())
                .collect(),
            rows: rows
                .iter()
                .map(|r| {
                    let t = &r.ticket;
                    let kinds: Vec<_> = r.overdue.iter().map(|a| a.kind).collect();
                    vec![
                        Cell::from(t.ticket_no.clone()),
                        Cell::from(t.status.name(l)),
                        Cell::from(t.engineer.clone().unwrap_or_else(|| "—".into())),
                        Cell::from(present::fmt_minutes(cal, t.t1)),
                        Cell::from((r.age.num_minutes() as f64 / 60.0 * 100.0).round() / 100.0),
                        Cell::from(if r.over_24h { l.pick("是", "yes") } else { "" }),
                        Cell::from(latest(t)),
                        Cell::from(overdue_text(&kinds, l)),
                    ]
                })
                .collect(),
        };
        if let Some(w) = &warning {
            eprintln!("{w}");
        }
        return write_file(app, path, &[sheet]);
    }
    if app.json {
        let v: Vec<Value> = rows
            .iter()
            .map(|r| {
                let t = &r.ticket;
                json!({
                    "ticket_no": t.ticket_no,
                    "status": t.status.code(),
                    "owner": t.engineer,
                    "t1": present::rfc3339(cal, t.t1),
                    "age_hours": (r.age.num_minutes() as f64 / 60.0 * 100.0).round() / 100.0,
                    "over_24h": r.over_24h,
                    "latest_promise": t.last_promise().map(|p| json!({
                        "seq": p.seq,
                        "kind": p.kind.code(),
                        "at": p.at.map(|at| present::rfc3339(cal, at)),
                        "type": p.ptype.code(),
                    })),
                    "overdue": r.overdue.iter().map(|a| json!({
                        "kind": a.kind.code(),
                        "rule": a.rule.to_string(),
                        "due": present::rfc3339(cal, a.due),
                        "message": a.message.get(l),
                    })).collect::<Vec<_>>(),
                    "calendar_unknown": r.calendar_unknown.as_ref().map(|a| json!({
                        "due": present::rfc3339(cal, a.due),
                        "message": a.message.get(l),
                    })),
                })
            })
            .collect();
        return print_json(&json!({
            "date": day.to_string(),
            "as_of": present::rfc3339(cal, as_of),
            "calendar_unknown": missing,
            "tickets": v,
            "dispatch_overrides": overrides.iter().map(|o| json!({
                "ticket_no": o.ticket_no,
                "at": present::rfc3339(cal, o.at),
                "by": o.actor,
                "engineer": o.engineer,
                "reason": o.reason,
            })).collect::<Vec<_>>(),
        }));
    }
    if let Some(w) = &warning {
        crate::outln!("⚠ {w}");
    }
    crate::outln!(
        "{}",
        match l {
            Lang::Zh => format!(
                "{day} 未完成维修单 {} 张（截至 {}；★ = 超过 24 小时）",
                rows.len(),
                app.fmt(as_of)
            ),
            Lang::En => format!(
                "{} unfinished tickets on {day} (as of {}; ★ = open over 24 hours)",
                rows.len(),
                app.fmt(as_of)
            ),
        }
    );
    for r in &rows {
        let t = &r.ticket;
        let kinds: Vec<_> = r.overdue.iter().map(|a| a.kind).collect();
        let overdue = if kinds.is_empty() {
            String::new()
        } else {
            format!(
                "  {} {}",
                l.pick("超期：", "overdue:"),
                overdue_text(&kinds, l)
            )
        };
        crate::outln!(
            "{} {:<18} {:<10} {:<8} {:>10}  {}{}{}",
            if r.over_24h { "★" } else { " " },
            terminal_safe(&t.ticket_no),
            t.status.name(l),
            terminal_safe(t.engineer.as_deref().unwrap_or("—")),
            age_text(r.age, l),
            terminal_safe(&latest(t)),
            overdue,
            mark(r)
        );
    }
    if !overrides.is_empty() {
        crate::outln!(
            "{}",
            l.pick(
                "未打印维修单即派工（R7，系统故障）：",
                "dispatched without a printed work order (R7, system outage):"
            )
        );
        for o in &overrides {
            crate::outln!(
                "  {} {:<18} {} → {}  {}",
                app.fmt(o.at),
                terminal_safe(&o.ticket_no),
                terminal_safe(&o.actor),
                terminal_safe(&o.engineer),
                terminal_safe(&o.reason)
            );
        }
    }
    Ok(())
}
