//! The schema, as numbered migrations. `PRAGMA user_version` holds the number
//! of migrations applied; each runs in its own transaction, so a crash during
//! one leaves the previous schema intact.

/// Migration N (1-based) is `MIGRATIONS[N - 1]`. Append only; never edit a
/// migration that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: tickets, their append-only history, staff, counters.
    r#"
CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    ticket_no       TEXT NOT NULL UNIQUE,
    source          TEXT NOT NULL,
    status          TEXT NOT NULL,
    service_type    TEXT NOT NULL,
    priority        TEXT NOT NULL,
    special         INTEGER NOT NULL,
    urge            INTEGER NOT NULL,
    phone_invalid   INTEGER NOT NULL,
    out_of_coverage INTEGER NOT NULL,
    customer_name   TEXT NOT NULL,
    phones          TEXT NOT NULL,
    address         TEXT NOT NULL,
    district        TEXT NOT NULL,
    product_line    TEXT NOT NULL,
    model           TEXT NOT NULL,
    serial          TEXT NOT NULL,
    warranty        TEXT NOT NULL,
    fault           TEXT NOT NULL,
    note            TEXT NOT NULL,
    t1              INTEGER NOT NULL,
    t2              INTEGER,
    t3              INTEGER,
    t3_count        INTEGER NOT NULL DEFAULT 0,
    t4              INTEGER,
    engineer        TEXT,
    site            TEXT,
    printed_at      INTEGER,
    progress        TEXT NOT NULL,
    version         INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX tickets_open ON tickets(status, t1)
    WHERE status NOT IN ('resolved', 'cancelled');
CREATE INDEX tickets_t1 ON tickets(t1);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX tickets_engineer ON tickets(engineer, t3) WHERE engineer IS NOT NULL;

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX events_ticket ON events(ticket_id, id);
CREATE INDEX events_kind_at ON events(kind, at);

-- The history is never rewritten.
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'history is append-only: events cannot be updated'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'history is append-only: events cannot be deleted'); END;

CREATE TABLE staff (
    name     TEXT PRIMARY KEY,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    site     TEXT,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"#,
    // 2: blocks of searchable text (see `search.rs`), filled from the
    // tickets already present by `after(2)`.
    r#"
CREATE TABLE search_blocks (
    block INTEGER PRIMARY KEY,
    ids   BLOB NOT NULL,  -- small: before the large body, read without walking it
    body  BLOB NOT NULL
);
CREATE TABLE search_dirty (
    block INTEGER PRIMARY KEY
);
CREATE TRIGGER tickets_search_update AFTER UPDATE OF ticket_no, customer_name, phones, serial, address
ON tickets
WHEN old.ticket_no IS NOT new.ticket_no OR old.customer_name IS NOT new.customer_name
  OR old.phones IS NOT new.phones OR old.serial IS NOT new.serial OR old.address IS NOT new.address
BEGIN INSERT OR IGNORE INTO search_dirty(block) VALUES (new.id >> 9); END;
CREATE TRIGGER tickets_search_delete AFTER DELETE ON tickets
BEGIN INSERT OR IGNORE INTO search_dirty(block) VALUES (old.id >> 9); END;
"#,
    // 3: the staff list's history, recorded like ticket events and never
    // rewritten. `data` holds the entry before and after (JSON).
    r#"
CREATE TABLE staff_events (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    data   TEXT NOT NULL
);
CREATE INDEX staff_events_name ON staff_events(name, id);
CREATE TRIGGER staff_events_append_only_update BEFORE UPDATE ON staff_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: staff events cannot be updated'); END;
CREATE TRIGGER staff_events_append_only_delete BEFORE DELETE ON staff_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: staff events cannot be deleted'); END;
"#,
    // 4: the real moment each event was written (R20), added by `after(4)`
    // unless already there; NULL for older events, which read it as their
    // own time.
    "",
    // 5: the fault description is searched too: the blocks are rebuilt
    // from scratch by `after(5)`.
    r#"
DELETE FROM search_blocks;
DELETE FROM search_dirty;
DELETE FROM counters WHERE name = 'search:indexed_upto';
"#,
    // 6: a `received` event no longer copies the ticket row: it holds what
    // the row does not (the dispatch's special and urge, the flags decided
    // on receipt), and its ticket is read back from the row with the later
    // corrections taken back (`row::compact_received`). `after(6)` rewrites
    // the events written before that the row gives back exactly, then puts
    // the append-only guard back.
    "DROP TRIGGER events_append_only_update;",
    // 7: `events_kind_at` holds only the kinds looked up by time (the
    // engineer's day, the month's figures, the dispatch overrides: see
    // `KINDS_BY_TIME`, which must say the same); a third of the events.
    r#"
DROP INDEX events_kind_at;
CREATE INDEX events_kind_at ON events(kind, at)
    WHERE kind IN ('visited', 'repaired', 'closed', 'phone_resolved', 'dispatched');
"#,
    // 8: each open ticket's schedule (`domain::sla::schedule`: when its
    // alerts can show and fall due, its quiet deadline), written with every
    // change, so the dashboard's first screen reads only the rows it shows.
    // The columns are added by `after(8)` unless already there, and filled
    // for the open tickets already in the file. `alert_from` NULL: not
    // known (a ticket copied as it is, until its next change); never an
    // alert: `i64::MAX`.
    "",
];

/// Work a migration needs beyond its SQL, in the same transaction.
pub(super) fn after(migration: usize, conn: &rusqlite::Connection) -> super::Result<()> {
    match migration {
        2 | 5 => super::search::refresh(conn),
        6 => {
            super::row::compact_history(conn)?;
            conn.execute_batch(
                "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                 BEGIN SELECT RAISE(ABORT, 'history is append-only: events cannot be updated'); END;",
            )?;
            Ok(())
        }
        8 => {
            for column in ["alert_from", "alert_due", "quiet_due"] {
                let has: bool = conn.query_row(
                    "SELECT COUNT(*) > 0 FROM pragma_table_info('tickets') WHERE name = ?1",
                    [column],
                    |r| r.get(0),
                )?;
                if !has {
                    conn.execute_batch(&format!(
                        "ALTER TABLE tickets ADD COLUMN {column} INTEGER"
                    ))?;
                }
            }
            conn.execute_batch(
                "CREATE INDEX IF NOT EXISTS tickets_open_alert ON tickets(status, alert_due, alert_from)
                     WHERE status NOT IN ('resolved', 'cancelled');
                 CREATE INDEX IF NOT EXISTS tickets_open_quiet ON tickets(status, quiet_due)
                     WHERE status NOT IN ('resolved', 'cancelled');",
            )?;
            super::row::schedule_open_tickets(conn)
        }
        4 => {
            let has: bool = conn.query_row(
                "SELECT COUNT(*) > 0 FROM pragma_table_info('events') WHERE name = 'recorded_at'",
                [],
                |r| r.get(0),
            )?;
            if !has {
                conn.execute_batch("ALTER TABLE events ADD COLUMN recorded_at INTEGER")?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{KINDS_BY_TIME, Store};

    /// Every lookup of events by kind and time, with the term the store's
    /// queries add, finds them through the partial index of migration 7.
    #[test]
    fn lookups_by_kind_and_time_use_the_partial_index() {
        let store = Store::open_in_memory().expect("store");
        let conn = store.conn().expect("conn");
        let one = |kinds: &str| {
            format!(
                "SELECT ticket_id FROM events WHERE {kinds} AND at >= 1 AND at < 2 AND {KINDS_BY_TIME}"
            )
        };
        for query in [
            one("kind IN ('visited', 'repaired')"),
            one("kind = 'visited'"),
            one("kind IN ('closed', 'phone_resolved')"),
            // The dispatch overrides: joined with the tickets.
            format!(
                "SELECT t.ticket_no FROM events e JOIN tickets t ON t.id = e.ticket_id
                 WHERE e.kind = 'dispatched' AND e.at >= 1 AND e.at < 2 AND {KINDS_BY_TIME}"
            ),
        ] {
            let sql = format!("EXPLAIN QUERY PLAN {query}");
            let plan: Vec<String> = conn
                .prepare(&sql)
                .expect("plan")
                .query_map([], |r| r.get::<_, String>(3))
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("plan rows");
            assert!(
                plan.iter().any(|p| p.contains("INDEX events_kind_at")),
                "{query}: {plan:?}"
            );
        }
        // The index holds those kinds only: the constant says the same.
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'events_kind_at'",
                [],
                |r| r.get(0),
            )
            .expect("index");
        assert!(sql.ends_with(&format!("WHERE {KINDS_BY_TIME}")), "{sql}");
    }
}
