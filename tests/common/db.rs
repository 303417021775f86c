//! What several safety test files share beyond the desk: the check that
//! every ticket row is the sum of its history (read the way a recovering
//! coordinator would), a deterministic generator, and dispatch files.

use rusqlite::Connection;

use super::count;

/// The database opened directly, the way a recovering coordinator would
/// look at it: the SQLite file, or the database on the server. The same
/// SQL reads both (counts, plain columns).
pub enum Look {
    Sqlite(Connection),
    Pg(postgres::Client),
}

impl From<Connection> for Look {
    fn from(c: Connection) -> Look {
        Look::Sqlite(c)
    }
}

impl Look {
    /// The one number a query returns.
    pub fn count(&mut self, sql: &str) -> i64 {
        match self {
            Look::Sqlite(c) => count(c, sql),
            Look::Pg(c) => c.query_one(sql, &[]).expect(sql).get(0),
        }
    }

    /// The rows of a query, each column as text (NULL as `None`).
    pub fn texts(&mut self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Look::Sqlite(c) => {
                let mut stmt = c.prepare(sql).expect(sql);
                let n = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            let v: rusqlite::types::Value = r.get(i)?;
                            Ok(match v {
                                rusqlite::types::Value::Null => None,
                                rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                                rusqlite::types::Value::Real(f) => Some(f.to_string()),
                                rusqlite::types::Value::Text(t) => Some(t),
                                rusqlite::types::Value::Blob(b) => {
                                    Some(String::from_utf8_lossy(&b).into_owned())
                                }
                            })
                        })
                        .collect()
                })
                .expect(sql)
                .collect::<Result<_, _>>()
                .expect(sql)
            }
            // Each column cast to text by the caller's SQL (`::TEXT`) or read as
            // text here when it is a number.
            Look::Pg(c) => c
                .query(sql, &[])
                .expect(sql)
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.try_get::<_, Option<String>>(i)
                                .or_else(|_| {
                                    r.try_get::<_, Option<i64>>(i)
                                        .map(|v| v.map(|v| v.to_string()))
                                })
                                .expect("a text or integer column")
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// Runs a statement; the database's refusal as text.
    pub fn execute(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Look::Sqlite(c) => c.execute_batch(sql).map_err(|e| e.to_string()),
            Look::Pg(c) => c.batch_execute(sql).map_err(|e| {
                e.as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string())
            }),
        }
    }
}

/// The database is sound and every ticket row is exactly the sum of its
/// history: its version counts its events (the creation is version 1) and
/// its status is the last event's. Returns the ticket count.
pub fn assert_consistent(c: &mut Look) -> i64 {
    if let Look::Sqlite(conn) = c {
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok");
    }
    let rows = c.texts(
        "SELECT t.ticket_no, t.version, t.status,
                (SELECT COUNT(*) FROM events e WHERE e.ticket_id = t.id),
                (SELECT e.to_status FROM events e WHERE e.ticket_id = t.id
                   ORDER BY e.id DESC LIMIT 1)
         FROM tickets t",
    );
    for row in &rows {
        let (no, version, status, events, last) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
        assert_eq!(version, events, "{no:?}: version vs events (half-applied)");
        assert_eq!(status, last, "{no:?}: status vs last event");
    }
    let orphans =
        c.count("SELECT COUNT(*) FROM events WHERE ticket_id NOT IN (SELECT id FROM tickets)");
    assert_eq!(orphans, 0, "events without a ticket");
    // The day's station counter moves with the tickets it numbered (R18).
    let station = c.count("SELECT COUNT(*) FROM tickets WHERE ticket_no LIKE 'ZD-20261126-%'");
    let counter =
        c.count("SELECT COALESCE((SELECT value FROM counters WHERE name = 'station:20261126'), 0)");
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
