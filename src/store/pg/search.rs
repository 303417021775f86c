//! Listing and searching tickets on PostgreSQL, with the same results as the
//! SQLite file (`store/search.rs`): a ticket matches when the term occurs in
//! its number, customer name, phones, serial, address or fault description,
//! ASCII case ignored.
//!
//! pg_trgm's index finds nothing for terms under three characters, and
//! two-character Chinese names are common, so it could only ever be a
//! second path beside a scan. Instead each row keeps the six fields,
//! lowercased and joined, in a stored generated column (`search_text`), and
//! a search is one `strpos` over it: over the open tickets (the dashboard's
//! `/` and `ticket list --search`) that is a few thousand rows; over every
//! ticket a sequential scan. Measured on PostgreSQL 15 here: see
//! `docs/scaling.md`.

use super::sql::Sql;
use postgres::types::ToSql;

use super::row::{self, Readable};
use crate::store::{ListFilter, Result, TICKET_COLUMNS};

/// Tickets matching a filter, in the order SQLite gives them; `scope` is
/// the desk's station condition (`PgStore::scope`).
pub fn list(c: &mut impl Sql, filter: &ListFilter, scope: &str) -> Result<Vec<Readable>> {
    let mut sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE true{scope}");
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let open_only = if filter.statuses.is_empty() {
        filter.open_only
    } else {
        filter.statuses.iter().all(|s| !s.is_closed())
    };
    if open_only {
        sql.push_str(" AND status NOT IN ('resolved', 'cancelled')");
    }
    if !filter.statuses.is_empty() {
        let codes: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| s.code().to_string())
            .collect();
        args.push(Box::new(codes));
        sql.push_str(&format!(" AND status = ANY(${})", args.len()));
    }
    if let Some(e) = &filter.engineer {
        args.push(Box::new(e.clone()));
        sql.push_str(&format!(" AND engineer = ${}", args.len()));
    }
    if let Some(text) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        args.push(Box::new(text.to_ascii_lowercase()));
        let n = args.len();
        sql.push_str(&format!(" AND {}", clause(text, n)));
    }
    if open_only {
        sql.push_str(
            " ORDER BY CASE priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, t1, id",
        );
    } else {
        sql.push_str(" ORDER BY t1 DESC, id DESC");
    }
    if let Some(limit) = filter.limit {
        args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
        sql.push_str(&format!(" LIMIT ${}", args.len()));
    }
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    Ok(c.query(sql.as_str(), &refs)?
        .iter()
        .map(row::readable)
        .collect())
}

/// The condition "parameter `$n` (a lowercased term) occurs in one field".
fn clause(term: &str, n: usize) -> String {
    if term.contains('\u{1f}') {
        // The separator of `search_text`: look in each field on its own.
        let lower = |f: &str| {
            format!(
                "strpos(translate({f}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ${n}) > 0"
            )
        };
        let fields: Vec<String> = [
            "ticket_no",
            "customer_name",
            "phones",
            "serial",
            "address",
            "fault",
        ]
        .iter()
        .map(|f| lower(f))
        .collect();
        format!("({})", fields.join(" OR "))
    } else {
        format!("strpos(search_text, ${n}) > 0")
    }
}
