//! Substring search over ticket number, customer name, phones, serial,
//! address and fault description that stays fast at a million tickets and is right for terms of
//! any length.
//!
//! An FTS5 trigram index finds nothing for one- and two-character terms
//! (two-character Chinese names are common) and costs several times an
//! import to build; `LIKE '%x%'` over the columns reads the whole table
//! (~300 ms at 1M rows). Instead the searchable text of every ticket is kept
//! in blocks: one row of `search_blocks` holds the searchable fields of up to
//! [`BLOCK`] consecutive tickets, ASCII-lowercased, as one byte string, plus
//! a small table from byte offset to ticket id. A search reads the blocks
//! (~110 MB at 1M tickets) and runs one SIMD substring search over each,
//! which gives exactly the tickets for which `LIKE '%term%'` holds on one
//! of the fields, in ~30 ms at 1M tickets whatever the term.
//!
//! Keeping the blocks in step costs nothing per row written:
//! - new tickets lie above a watermark (`counters` row [`UPTO`]) until
//!   [`refresh`] indexes them; the store's own write paths call it before
//!   committing, and batch writers (import, demo) call it once per batch;
//! - a trigger marks a block dirty in `search_dirty` when a searchable field
//!   changes, and [`refresh`] rebuilds it.
//!
//! Rows above the watermark and rows of dirty blocks are searched with
//! `LIKE` directly, so a search is right even before a refresh.

use memchr::memmem;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};

fn data(e: rusqlite::types::FromSqlError) -> StoreError {
    StoreError::Data(format!("search block: {e}"))
}

/// Tickets per block, as a power of two: block = id >> SHIFT. Changing it
/// needs a migration that rebuilds `search_blocks`.
const SHIFT: u32 = 9;
pub const BLOCK: i64 = 1 << SHIFT;

/// The `counters` row holding the highest ticket id the blocks cover.
pub const UPTO: &str = "search:indexed_upto";

/// Between the fields of one ticket, and between tickets. Bytes below 0x20
/// in a field are stored as 0x00, and a term holding one is matched with
/// `LIKE` instead, so a term never matches across a boundary.
const FIELD_SEP: u8 = 0x1f;
const RECORD_SEP: u8 = 0x1e;

/// The searchable columns, in the order the fallback `LIKE` checks them.
/// The fault description (never edited, so no trigger watches it) came
/// last, with migration 5; the sizes and timings above were measured
/// with the first five, and a fault adds some 20–40 bytes a ticket.
const FIELDS: &str = "ticket_no, customer_name, phones, serial, address, fault";

/// How many columns [`FIELDS`] names.
const FIELD_COUNT: usize = 6;

/// Indexes new tickets and rebuilds dirty blocks. Cheap when nothing is
/// pending (two indexed lookups).
pub fn refresh(conn: &Connection) -> Result<()> {
    let upto = indexed_upto(conn)?;
    let max_id: i64 =
        conn.query_row("SELECT COALESCE(MAX(id), 0) FROM tickets", [], |r| r.get(0))?;
    let dirty: Vec<i64> = {
        let mut stmt = conn.prepare_cached("SELECT block FROM search_dirty ORDER BY block")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    if max_id <= upto && dirty.is_empty() {
        return Ok(());
    }
    for b in &dirty {
        // A dirty block above the watermark is rebuilt with the tail below.
        if (b << SHIFT) <= upto {
            rebuild(conn, b << SHIFT, (b + 1) << SHIFT)?;
        }
    }
    if max_id > upto {
        // From the start of the block holding the first new ticket.
        rebuild(conn, ((upto + 1) >> SHIFT) << SHIFT, max_id + 1)?;
    }
    conn.execute("DELETE FROM search_dirty", [])?;
    conn.execute(
        "INSERT INTO counters(name, value) VALUES (?1, ?2)
         ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        params![UPTO, max_id],
    )?;
    Ok(())
}

fn indexed_upto(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row("SELECT value FROM counters WHERE name = ?1", [UPTO], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0))
}

/// Rewrites the blocks covering ids `lo..hi` (`lo` at a block start) from the
/// tickets table, in one pass in id order.
fn rebuild(conn: &Connection, lo: i64, hi: i64) -> Result<()> {
    let mut select = conn.prepare_cached(&format!(
        "SELECT id, {FIELDS} FROM tickets WHERE id >= ?1 AND id < ?2 ORDER BY id"
    ))?;
    let mut write = conn.prepare_cached(
        "INSERT INTO search_blocks(block, ids, body) VALUES (?1, ?2, ?3)
         ON CONFLICT(block) DO UPDATE SET ids = excluded.ids, body = excluded.body",
    )?;
    let mut builder = BlockBuilder::default();
    let mut current = lo >> SHIFT;
    let mut rows = select.query(params![lo, hi])?;
    let mut flush = |block: i64, b: &mut BlockBuilder| -> Result<()> {
        if b.ids.is_empty() {
            conn.execute("DELETE FROM search_blocks WHERE block = ?1", [block])?;
        } else {
            write.execute(params![block, &b.ids, &b.body])?;
        }
        b.clear();
        Ok(())
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let block = id >> SHIFT;
        while block != current {
            flush(current, &mut builder)?;
            current += 1;
        }
        builder.start(id - (block << SHIFT));
        for i in 1..=FIELD_COUNT {
            let v = r.get_ref(i)?;
            builder.field(v.as_bytes().unwrap_or_default());
        }
    }
    // The last block touched, and any emptied blocks after it up to `hi`.
    let last = (hi - 1) >> SHIFT;
    while current <= last {
        flush(current, &mut builder)?;
        current += 1;
    }
    Ok(())
}

/// One block being written: `body` holds the records, `ids` for each record
/// its start offset in `body` and its id minus the block's first id, both
/// as little-endian u32.
#[derive(Default)]
struct BlockBuilder {
    body: Vec<u8>,
    ids: Vec<u8>,
    fields: usize,
}

impl BlockBuilder {
    fn clear(&mut self) {
        self.body.clear();
        self.ids.clear();
    }

    fn start(&mut self, rel_id: i64) {
        if !self.body.is_empty() {
            self.body.push(RECORD_SEP);
        }
        self.ids
            .extend_from_slice(&(self.body.len() as u32).to_le_bytes());
        self.ids.extend_from_slice(&(rel_id as u32).to_le_bytes());
        self.fields = 0;
    }

    fn field(&mut self, text: &[u8]) {
        if self.fields > 0 {
            self.body.push(FIELD_SEP);
        }
        self.fields += 1;
        self.body.extend(text.iter().map(|&c| match c {
            0..0x20 => 0,
            c => c.to_ascii_lowercase(),
        }));
    }
}

/// The ids of every ticket with `term` inside its number, customer name,
/// phones, serial or address, ASCII case ignored (as `LIKE`); ascending.
pub fn matching_ids(conn: &Connection, term: &str) -> Result<Vec<i64>> {
    if term.is_empty() || term.bytes().any(|c| c < 0x20) {
        return like_ids(conn, term, None);
    }
    let needle: Vec<u8> = term.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let finder = memmem::Finder::new(&needle);
    let upto = indexed_upto(conn)?;
    let dirty: Vec<i64> = {
        let mut stmt = conn.prepare_cached("SELECT block FROM search_dirty ORDER BY block")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT block, ids, body FROM search_blocks ORDER BY block")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let block: i64 = r.get(0)?;
            if dirty.binary_search(&block).is_ok() {
                continue;
            }
            let ids = r.get_ref(1)?.as_blob().map_err(data)?;
            let body = r.get_ref(2)?.as_blob().map_err(data)?;
            collect_hits(&finder, block << SHIFT, body, ids, upto, &mut out);
        }
    }
    // What the blocks do not (yet) cover: new tickets and dirty blocks.
    out.extend(like_ids(conn, term, Some(upto))?);
    for b in dirty {
        if (b << SHIFT) <= upto {
            out.extend(like_range(conn, term, b << SHIFT, (b + 1) << SHIFT)?);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Adds the id of each record of one block that contains the needle.
fn collect_hits(
    finder: &memmem::Finder,
    base: i64,
    body: &[u8],
    ids: &[u8],
    upto: i64,
    out: &mut Vec<i64>,
) {
    let records: Vec<(u32, u32)> = ids
        .chunks_exact(8)
        .map(|c| {
            (
                u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            )
        })
        .collect();
    let mut from = 0;
    while let Some(pos) = finder.find(&body[from..]).map(|p| p + from) {
        // The record holding the hit: the last one starting at or before it.
        let i = records.partition_point(|&(start, _)| start as usize <= pos);
        let Some(&(_, rel)) = i.checked_sub(1).and_then(|i| records.get(i)) else {
            break;
        };
        let id = base + rel as i64;
        // Rows above the watermark are searched from the table itself.
        if id <= upto {
            out.push(id);
        }
        // One hit per ticket is enough: go on at the next record.
        match records.get(i) {
            Some(&(next, _)) => from = next as usize,
            None => break,
        }
    }
}

/// The searchable fields `LIKE` parameter `?n` (a pattern made with [`escape_like`]).
pub fn like_clause(n: usize) -> String {
    let each: Vec<String> = FIELDS
        .split(", ")
        .map(|f| format!("{f} LIKE ?{n} ESCAPE '\\'"))
        .collect();
    format!("({})", each.join(" OR "))
}

/// `LIKE` over the table: every row, or those above `above`.
fn like_ids(conn: &Connection, term: &str, above: Option<i64>) -> Result<Vec<i64>> {
    like_range(conn, term, above.map_or(i64::MIN, |a| a + 1), i64::MAX)
}

fn like_range(conn: &Connection, term: &str, lo: i64, hi: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM tickets WHERE id >= ?2 AND id < ?3 AND {} ORDER BY id",
        like_clause(1)
    ))?;
    let pattern = format!("%{}%", escape_like(term));
    Ok(stmt
        .query_map(params![pattern, lo, hi], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
