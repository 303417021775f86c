//! What several safety test files share beyond the desk: the check that
//! every ticket row is the sum of its history (read the way a recovering
//! coordinator would), a deterministic generator, and dispatch files.

use rusqlite::Connection;

use super::count;

/// The database is sound and every ticket row is exactly the sum of its
/// history: its version counts its events (the creation is version 1) and
/// its status is the last event's. Returns the ticket count.
pub fn assert_consistent(c: &Connection) -> i64 {
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    let mut stmt = c
        .prepare(
            "SELECT t.ticket_no, t.version, t.status,
                    (SELECT COUNT(*) FROM events e WHERE e.ticket_id = t.id),
                    (SELECT e.to_status FROM events e WHERE e.ticket_id = t.id
                       ORDER BY e.id DESC LIMIT 1)
             FROM tickets t",
        )
        .expect("prepare");
    let rows: Vec<(String, i64, String, i64, Option<String>)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (no, version, status, events, last) in &rows {
        assert_eq!(version, events, "{no}: version vs events (half-applied)");
        assert_eq!(Some(status), last.as_ref(), "{no}: status vs last event");
    }
    let orphans = count(
        c,
        "SELECT COUNT(*) FROM events WHERE ticket_id NOT IN (SELECT id FROM tickets)",
    );
    assert_eq!(orphans, 0, "events without a ticket");
    // The day's station counter moves with the tickets it numbered (R18).
    let station = count(
        c,
        "SELECT COUNT(*) FROM tickets WHERE ticket_no LIKE 'ZD-20261126-%'",
    );
    let counter: i64 = c
        .query_row(
            "SELECT COALESCE((SELECT value FROM counters WHERE name = 'station:20261126'), 0)",
            [],
            |r| r.get(0),
        )
        .expect("counter");
    assert_eq!(station, counter, "station counter vs station tickets");
    rows.len() as i64
}

/// A small deterministic generator (timing only decides when a kill lands).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The dispatch file's header, every column.
pub const HEADER: &str = "维修单号,报修时间,用户姓名,联系电话,地址,区县,产品线,机型,主机号,故障描述,服务方式,特殊用户,催上门,保修状态,优先级,备注";

/// A valid dispatch row (with its line end).
pub fn dispatch_row(no: &str) -> String {
    format!(
        "{no},2026-11-26 08:30,张伟,13812345678,中关村大街1号,海淀区,ThinkPad,T14,PF{no},开机无显示,上门,否,,保内,普通,\n"
    )
}

/// A dispatch file of `rows` valid rows numbered `{prefix}000000`….
pub fn dispatch_csv(prefix: &str, rows: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..rows {
        text.push_str(&dispatch_row(&format!("{prefix}{i:06}")));
    }
    text
}

/// Nothing in `text` can act on a terminal: no control character but the
/// line end, no bidi control, no line separator.
pub fn assert_inert(text: &str, what: &str) {
    for (i, c) in text.chars().enumerate() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}');
        assert!(
            !bad,
            "{what}: unsafe character U+{:04X} at char {i}",
            c as u32
        );
    }
}
