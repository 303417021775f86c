//! The call centre's files: the dispatch list coming in (下载), the
//! write-back going out (回写), and the printed work order (R7).

pub mod csv_rows;
pub mod decode;
pub mod dispatch;
pub mod import;
pub mod print;
pub mod sheet;
pub mod special_case;
pub mod writeback;

use std::path::Path;

/// The lower-case extension of a path (`"csv"`, `"xlsx"`), or `""`.
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}
