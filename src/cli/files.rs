//! `demo`, `import`, `export writeback`, `ticket print`: the call centre's files.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use serde_json::json;

use super::args::{DemoArgs, ExportCmd, ImportArgs};
use super::{CliError, CliResult, exit, print_json};
use crate::domain::text::Lang;
use crate::domain::when;
use crate::interchange::import::{self, FileReport, ImportError};
use crate::interchange::print::{self, PrintError};
use crate::interchange::writeback::{self, Period, WritebackError};
use crate::present::sanitize::terminal_safe;
use crate::setup::app::App;
use crate::store::Store;

pub fn demo(app: App, args: DemoArgs) -> CliResult {
    let mut store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let summary = crate::demo::seed(&mut store, &app, args.tickets, args.seed).map_err(|e| match e {
        crate::demo::DemoError::NotEmpty(n) => CliError::usage(match app.lang {
            Lang::Zh => format!(
                "{}：数据库里已有 {n} 张维修单；演示数据只填入空数据库（用 --db 指定另一个文件）",
                app.db_path.display()
            ),
            Lang::En => format!(
                "{}: the database already holds {n} tickets; the demo only fills an empty database (point --db at another file)",
                app.db_path.display()
            ),
        }),
        crate::demo::DemoError::Store(e) => CliError::from_store(e, app.lang),
    })?;
    // Also before the dashboard: it stays in the scrollback after quitting.
    if app.json {
        print_json(&summary.json())?;
    } else {
        crate::out!("{}", summary.text(app.lang));
    }
    drop(store);
    if args.no_tui {
        Ok(())
    } else {
        super::dash::dashboard(app, crate::tui::Until::Quit)
    }
}

fn import_error(e: ImportError, lang: Lang) -> CliError {
    let code = match &e {
        ImportError::Store(_) | ImportError::Interrupted { .. } => exit::INTERNAL,
        ImportError::Refused { .. } => exit::REFUSED,
        ImportError::Sheet(crate::interchange::sheet::SheetError::Io { source, .. })
            if !matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::IsADirectory
            ) =>
        {
            exit::INTERNAL
        }
        _ => exit::USAGE,
    };
    match e {
        ImportError::Store(s) => CliError::from_store(s, lang),
        ImportError::Interrupted {
            path,
            imported,
            source,
        } => {
            let then = CliError::from_store(source, lang).message;
            let path =
                crate::present::sanitize::terminal_safe(&path.display().to_string()).into_owned();
            CliError::new(
                code,
                match lang {
                    Lang::Zh => format!(
                        "{path}：前 {imported} 张维修单已整批写入；之后：{then}。请再次导入该文件补齐其余（已有的会跳过）"
                    ),
                    Lang::En => format!(
                        "{path}: the first {imported} tickets were written in whole batches; then: {then}. Import the file again for the rest (those already in are skipped)"
                    ),
                },
            )
        }
        e => CliError::new(code, e.render(lang)),
    }
}

pub fn import(app: App, args: ImportArgs) -> CliResult {
    // Every file's header is checked before anything is written.
    let mut checked = Vec::new();
    for path in &args.files {
        checked.push(import::check(path).map_err(|e| import_error(e, app.lang))?);
    }
    let mut store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let env = app.env();
    let show_bar = std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    for file in checked {
        let bar = show_bar.then(|| progress_bar(&file));
        let mut tick = |f: &import::Checked| {
            if let Some(b) = &bar {
                let (total, pos) = f.progress();
                b.set_length(total);
                b.set_position(pos);
            }
        };
        let report = import::import_file(&mut store, file, &env, args.update, &mut tick);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        reports.push(report.map_err(|e| import_error(e, app.lang))?);
    }
    let rejected: u64 = reports.iter().map(|r| r.rejected).sum();
    if app.json {
        print_json(&import_json(&reports))?;
    } else {
        print_import(&app, &reports);
    }
    if rejected > 0 {
        return Err(CliError::new(exit::REJECTED_ROWS, String::new()));
    }
    Ok(())
}

fn progress_bar(file: &import::Checked) -> indicatif::ProgressBar {
    let (total, _) = file.progress();
    let bar = indicatif::ProgressBar::new(total);
    let unit = if crate::interchange::extension(file.path()) == "csv" {
        "{bytes}/{total_bytes}"
    } else {
        "{pos}/{len}"
    };
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{{msg}} [{{bar:40}}] {unit} {{eta}}"))
    {
        bar.set_style(style);
    }
    bar.set_message(terminal_safe(&file.path().display().to_string()).into_owned());
    bar
}

fn import_json(reports: &[FileReport]) -> serde_json::Value {
    let files: Vec<_> = reports
        .iter()
        .map(|r| {
            json!({
                "file": r.path.display().to_string(),
                "encoding": r.encoding.map(|e| e.label()),
                "imported": r.imported,
                "skipped": r.skipped,
                "updated": r.updated,
                "rejected": r.rejected,
                "errors": r.errors.iter().map(|e| json!({
                    "line": e.line, "column": e.column, "reason": e.reason.en, "reason_zh": e.reason.zh,
                })).collect::<Vec<_>>(),
                "errors_unlisted": r.unlisted_errors,
                "unknown_columns": r.unknown_columns,
                "phone_invalid": r.phone_invalid,
                "out_of_coverage": r.out_of_coverage,
            })
        })
        .collect();
    let sum = |f: fn(&FileReport) -> u64| reports.iter().map(f).sum::<u64>();
    json!({
        "imported": sum(|r| r.imported),
        "skipped": sum(|r| r.skipped),
        "updated": sum(|r| r.updated),
        "rejected": sum(|r| r.rejected),
        "files": files,
    })
}

/// Rejections and warnings on stderr, the summary on stdout.
fn print_import(app: &App, reports: &[FileReport]) {
    let l = app.lang;
    let mut err = std::io::stderr().lock();
    for r in reports {
        let file = terminal_safe(&r.path.display().to_string()).into_owned();
        if !r.unknown_columns.is_empty() {
            let cols = terminal_safe(&r.unknown_columns.join(", ")).into_owned();
            let _ = writeln!(
                err,
                "{}",
                match l {
                    Lang::Zh => format!("{file}：忽略未知的列：{cols}"),
                    Lang::En => format!("{file}: unknown columns ignored: {cols}"),
                }
            );
        }
        for e in &r.errors {
            let column = terminal_safe(&e.column).into_owned();
            let reason = terminal_safe(e.reason.get(l)).into_owned();
            let _ = writeln!(
                err,
                "{}",
                match l {
                    Lang::Zh => format!("{file} 第 {} 行，列「{column}」：{reason}", e.line),
                    Lang::En => format!("{file}:{}: {column}: {reason}", e.line),
                }
            );
        }
        if r.unlisted_errors > 0 {
            let _ = writeln!(
                err,
                "{}",
                match l {
                    Lang::Zh => format!("{file}：另有 {} 处问题未逐条列出", r.unlisted_errors),
                    Lang::En => format!("{file}: {} more problems not listed", r.unlisted_errors),
                }
            );
        }
        if !r.phone_invalid.is_empty() {
            const SHOWN: usize = 20;
            let mut list = r
                .phone_invalid
                .iter()
                .take(SHOWN)
                .map(|n| terminal_safe(n).into_owned())
                .collect::<Vec<_>>()
                .join(", ");
            if r.phone_invalid.len() > SHOWN {
                list.push_str(&format!(" … (+{})", r.phone_invalid.len() - SHOWN));
            }
            let _ = writeln!(
                err,
                "{}",
                match l {
                    Lang::Zh => format!(
                        "注意 (R3)：{} 张单的电话号码不可能存在，已标记：{list}",
                        r.phone_invalid.len()
                    ),
                    Lang::En => format!(
                        "warning (R3): {} tickets have a phone number that cannot exist and are flagged: {list}",
                        r.phone_invalid.len()
                    ),
                }
            );
        }
        if r.out_of_coverage > 0 {
            let _ = writeln!(
                err,
                "{}",
                match l {
                    Lang::Zh => format!(
                        "注意 (R17)：{} 张单的区县不在本站服务范围内",
                        r.out_of_coverage
                    ),
                    Lang::En => format!(
                        "warning (R17): {} tickets are outside the station's coverage",
                        r.out_of_coverage
                    ),
                }
            );
        }
        let enc = r
            .encoding
            .map(|e| format!(" [{}]", e.label()))
            .unwrap_or_default();
        let updated = if r.updated > 0 {
            match l {
                Lang::Zh => format!("，更新 {}", r.updated),
                Lang::En => format!(", updated {}", r.updated),
            }
        } else {
            String::new()
        };
        crate::outln!(
            "{}",
            match l {
                Lang::Zh => format!(
                    "{file}{enc}：导入 {}，已存在跳过 {}{updated}，拒绝 {}",
                    r.imported, r.skipped, r.rejected
                ),
                Lang::En => format!(
                    "{file}{enc}: imported {}, skipped as already present {}{updated}, rejected {}",
                    r.imported, r.skipped, r.rejected
                ),
            }
        );
    }
}

pub fn export(app: App, cmd: ExportCmd) -> CliResult {
    let ExportCmd::Writeback { output, from, to } = cmd;
    let date = |flag: &str, v: Option<String>| -> Result<Option<chrono::NaiveDate>, CliError> {
        v.map(|v| {
            when::parse_date(&v).map_err(|_| {
                CliError::usage(format!(
                    "{flag}: cannot read '{v}' as a date (expected 2026-11-26 or 2026/11/26)"
                ))
            })
        })
        .transpose()
    };
    let period = Period {
        from: date("--from", from)?,
        to: date("--to", to)?,
    };
    if let (Some(f), Some(t)) = (period.from, period.to)
        && f > t
    {
        return Err(CliError::usage(format!("--from {f} is after --to {t}")));
    }
    let store = app
        .open_store()
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let count = writeback::export(&store, &app.calendar, period, &output).map_err(|e| match e {
        WritebackError::Store(s) => CliError::from_store(s, app.lang),
        e @ WritebackError::UnknownType { .. } => CliError::usage(e.to_string()),
        e @ WritebackError::TooMany { .. } => CliError::usage(e.to_string()),
        e => CliError::internal(e),
    })?;
    super::warn_damaged(&store, app.lang);
    let file = output.display().to_string();
    if app.json {
        return print_json(&json!({"file": file, "tickets": count}));
    }
    crate::outln!(
        "{}",
        match app.lang {
            Lang::Zh => format!("{}：回写 {count} 张维修单", terminal_safe(&file)),
            Lang::En => format!("{}: {count} tickets written back", terminal_safe(&file)),
        }
    );
    Ok(())
}

/// `repairdesk ticket print`: records the printing (R7) and writes the work
/// order; if the file cannot be written, nothing is recorded.
pub fn print(app: &App, store: &mut Store, no: &str, output: Option<PathBuf>) -> CliResult {
    let no = no.trim();
    let path = output.unwrap_or_else(|| print::default_path(&app.data_dir(), no));
    let env = app.env();
    let out = print::print_work_order(store, &env, no, &path, None).map_err(|e| match e {
        PrintError::Store(e) => CliError::from_store(e, app.lang),
        e @ PrintError::FileType { .. } => CliError::usage(e.to_string()),
        e @ PrintError::Io { .. } => CliError::internal(e),
    })?;
    let file = path.display().to_string();
    if app.json {
        return print_json(&json!({
            "ticket_no": out.ticket.ticket_no,
            "file": file,
            "printed_at": crate::present::rfc3339(&app.calendar, env.now),
        }));
    }
    crate::outln!("{}", terminal_safe(&file));
    Ok(())
}

/// `ticket print NO --form special-case`: the special-case form (R9). Only
/// written; submitting it is `ticket special-case`.
pub fn print_special_case(
    app: &App,
    store: &Store,
    no: &str,
    output: Option<PathBuf>,
) -> CliResult {
    use crate::interchange::special_case::{self, SpecialCaseForm};
    let no = no.trim();
    let t = store
        .get(no)
        .map_err(|e| CliError::from_store(e, app.lang))?;
    let form = SpecialCaseForm::new(&app.settings, &app.calendar, &t, app.now())
        .map_err(|r| CliError::from_store(crate::store::StoreError::Refused(r), app.lang))?;
    let path = output.unwrap_or_else(|| special_case::default_path(&app.data_dir(), no));
    let body = match crate::interchange::extension(&path).as_str() {
        "html" | "htm" => form.html(),
        "txt" => form.text(),
        _ => {
            return Err(CliError::usage(format!(
                "{}: unknown file type; expected .html or .txt",
                path.display()
            )));
        }
    };
    let io = |e: std::io::Error| CliError::internal(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_private_dir(dir).map_err(io)?;
    }
    crate::atomic_file::AtomicFile::write_all_and_commit(&path, body.as_bytes()).map_err(io)?;
    let file = path.display().to_string();
    if app.json {
        return print_json(&json!({ "ticket_no": t.ticket_no, "file": file }));
    }
    crate::outln!("{}", terminal_safe(&file));
    Ok(())
}
