//! The house rules that a grep can check, kept true by the test run:
//! - the layers point one way (README "Working on it"): a module may use
//!   only the layers before its own;
//! - SQL lives in `src/store/` only: no `rusqlite`, prepared statement,
//!   `query_row` or `conn_mut` anywhere else.
//!
//! Comments are not code (a doc link may name any module); unit tests
//! (`*tests.rs` files and what follows `#[cfg(test)] mod …`) may reach up
//! to build their fixtures.

use std::path::{Path, PathBuf};

/// The layers, lowest first; a layer may use its own and earlier ones.
/// `atomic_file` is a file-writing helper below everything but the pure
/// domain.
const LAYERS: &[&[&str]] = &[
    &["domain"],
    &["atomic_file"],
    &["store"],
    &["present"],
    &["interchange", "report"],
    &["setup"],
    &["demo", "tui"],
    &["cli"],
];

/// What the pure domain may not use even below it (no I/O).
const DOMAIN_MAY_NOT: &[&str] = &["atomic_file"];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The program's lines of a file: comments, and unit tests at its end,
/// left out. Each with its line number.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with("tests.rs") || path.components().any(|c| c.as_os_str() == "tests") {
        return Vec::new();
    }
    let text = std::fs::read_to_string(path).expect("read a source file");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t == "#[cfg(test)]"
            && lines
                .get(i + 1)
                .is_some_and(|n| n.trim_start().starts_with("mod "))
        {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push((i + 1, line.to_string()));
    }
    out
}

/// The top-level module a file under `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every `crate::NAME` a line names.
fn crate_paths(line: &str) -> Vec<String> {
    line.match_indices("crate::")
        .filter(|(i, _)| {
            // Not `$crate::` or a longer identifier ending in `crate`.
            *i == 0
                || !line[..*i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
        .map(|(i, m)| {
            line[i + m.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        // lib.rs and main.rs are the root: they may name every layer.
        let Some(own) = rank(&module) else {
            continue;
        };
        for (n, line) in code_lines(file) {
            for used in crate_paths(&line) {
                let Some(theirs) = rank(&used) else {
                    continue;
                };
                let forbidden =
                    theirs > own || (module == "domain" && DOMAIN_MAY_NOT.contains(&used.as_str()));
                if forbidden {
                    wrong.push(format!(
                        "{}:{n}: {module} uses {used}: {}",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers point one way ({}):\n{}",
        LAYERS
            .iter()
            .map(|l| l.join(", "))
            .collect::<Vec<_>>()
            .join(" → "),
        wrong.join("\n")
    );
}

#[test]
fn sql_is_written_in_the_store_only() {
    let src = src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let needles = [
        "rusqlite",
        ".prepare(",
        ".prepare_cached(",
        "query_row",
        "conn_mut",
    ];
    let mut wrong = Vec::new();
    for file in &files {
        if module_of(&src, file).as_deref() == Some("store") {
            continue;
        }
        // Here unit tests count too: a test's SQL would be a second door.
        let text = std::fs::read_to_string(file).expect("read a source file");
        for (i, line) in text.lines().enumerate() {
            if needles.iter().any(|n| line.contains(n)) {
                wrong.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(&src).unwrap_or(file).display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "SQL outside src/store/:\n{}",
        wrong.join("\n")
    );
}

/// The check itself can fail: a line of the command line named in the
/// domain is found, a comment is not.
#[test]
fn the_check_sees_a_use_and_skips_a_comment() {
    assert_eq!(crate_paths("use crate::cli::CliError;"), vec!["cli"]);
    assert_eq!(
        crate_paths("x = crate::store::Store::open(p); y = crate::present::fmt(t);"),
        vec!["store", "present"]
    );
    assert!(crate_paths("$crate::outln!(x)").is_empty());
    assert_eq!(rank("domain"), Some(0));
    assert!(rank("cli") > rank("tui") && rank("tui") > rank("present"));
    assert_eq!(rank("interchange"), rank("report"));
}
