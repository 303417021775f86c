//! A store error as the user reads it, in their language: the command line
//! prints it (with an exit code chosen by its kind), the dashboard shows it
//! in the flash line or the form.

use std::path::Path;

use crate::domain::text::Lang;
use crate::store::StoreError;

/// What kind of trouble it is; the command line maps each to its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// A rule said no (or the ticket exists already).
    Refused,
    /// No such ticket or engineer.
    NotFound,
    /// Someone else changed the ticket first.
    Conflict,
    /// What was given cannot be used (a bad server address).
    Usage,
    /// Anything else: the database, the disk.
    Internal,
}

/// The text for a store error. `db` names the database in a damage message.
pub fn store_error(e: StoreError, lang: Lang, db: Option<&Path>) -> (Trouble, String) {
    match e {
        StoreError::Refused(r) => (Trouble::Refused, r.render(lang)),
        StoreError::NoSuchTicket(no) => (
            Trouble::NotFound,
            match lang {
                Lang::Zh => format!("没有这张维修单：{no}"),
                Lang::En => format!("no such ticket: {no}"),
            },
        ),
        StoreError::NoSuchEngineer(name) => (
            Trouble::NotFound,
            match lang {
                Lang::Zh => format!("没有这位工程师：{name}（用 staff add 添加）"),
                Lang::En => format!("no such engineer: {name} (add with `staff add`)"),
            },
        ),
        e @ StoreError::NoSuchLogin(_) => (Trouble::NotFound, e.to_string()),
        e @ StoreError::NotShared => (Trouble::Usage, e.to_string()),
        StoreError::Ambiguous {
            ticket_no,
            stations,
        } if lang == Lang::Zh => (
            Trouble::Usage,
            format!(
                "维修单号 {ticket_no} 在多个维修站都有（{}）：请写成 站代码/单号，例如 {}/{ticket_no}",
                stations.join("、"),
                stations.first().map_or("", String::as_str)
            ),
        ),
        e @ StoreError::Ambiguous { .. } => (Trouble::Usage, e.to_string()),
        e @ StoreError::Denied { .. } => (Trouble::Refused, e.to_string()),
        e @ StoreError::Conflict { .. } => (Trouble::Conflict, e.to_string()),
        e @ StoreError::Duplicate(_) => (Trouble::Refused, e.to_string()),
        StoreError::Corrupt { path, detail } => (Trouble::Internal, damaged(&path, &detail, lang)),
        StoreError::Database(e) if e.is_damage() => (
            Trouble::Internal,
            damaged(
                db.unwrap_or_else(|| Path::new("the database")),
                &e.to_string(),
                lang,
            ),
        ),
        e @ StoreError::NewerSchema { .. } if lang == Lang::Zh => (
            Trouble::Internal,
            format!("{e}\n（数据库由更新版本的 repairdesk 写入，未做任何改动；请使用新版本。）"),
        ),
        StoreError::Damaged(d) if lang == Lang::Zh => (
            Trouble::Internal,
            format!(
                "维修单 {}：存储记录无法读取（{}）；其他维修单不受影响。请从 `repairdesk backup` 备份恢复或修正该行。",
                d.ticket_no, d.detail
            ),
        ),
        e @ StoreError::Database(_) if e.is_cannot_write() => {
            let path = db.unwrap_or_else(|| Path::new("the database"));
            let cause = crate::store::WriteTrouble::of(path).render(lang);
            (
                Trouble::Internal,
                match lang {
                    Lang::Zh => format!(
                        "{}：无法写入（{cause}；{e}），没有记录任何改动。查看类命令仍可使用。",
                        path.display()
                    ),
                    Lang::En => format!(
                        "{}: cannot write ({cause}; {e}); nothing was recorded. Reading still works.",
                        path.display()
                    ),
                },
            )
        }
        StoreError::BadUrl(e) => (Trouble::Usage, e.to_string()),
        StoreError::TargetNotEmpty {
            target,
            tickets,
            staff,
        } if lang == Lang::Zh => (
            Trouble::Usage,
            format!(
                "{target} 已有 {tickets} 张维修单、{staff} 位工程师；只能复制到空的 repairdesk 数据库。未复制任何内容。"
            ),
        ),
        e @ StoreError::TargetNotEmpty { .. } => (Trouble::Usage, e.to_string()),
        e => (Trouble::Internal, e.to_string()),
    }
}

fn damaged(path: &Path, detail: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}：数据库文件已损坏或不是 repairdesk 数据库（{detail}）。请恢复用 `repairdesk backup FILE` 做的备份，或用 --db 指向其他文件。",
            path.display()
        ),
        Lang::En => format!(
            "{}: not a usable repairdesk database ({detail}). Restore a copy made with `repairdesk backup FILE`, or point --db elsewhere.",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_reads_in_the_users_language_with_its_kind() {
        let (kind, zh) = store_error(StoreError::NoSuchTicket("W1".into()), Lang::Zh, None);
        assert_eq!(
            (kind, zh.as_str()),
            (Trouble::NotFound, "没有这张维修单：W1")
        );
        let (kind, en) = store_error(StoreError::NoSuchEngineer("王工".into()), Lang::En, None);
        assert_eq!(kind, Trouble::NotFound);
        assert!(en.contains("staff add"), "{en}");
        let (kind, _) = store_error(
            StoreError::Conflict {
                ticket_no: "W1".into(),
                expected: 2,
                actual: 3,
            },
            Lang::En,
            None,
        );
        assert_eq!(kind, Trouble::Conflict);
        let (kind, text) = store_error(
            StoreError::Corrupt {
                path: "/tmp/x.db".into(),
                detail: "file is not a database".into(),
            },
            Lang::En,
            None,
        );
        assert_eq!(kind, Trouble::Internal);
        assert!(
            text.starts_with("/tmp/x.db: not a usable repairdesk database"),
            "{text}"
        );
    }
}
