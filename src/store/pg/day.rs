//! The engineer's day on PostgreSQL: the same selection as SQLite's
//! `Store::engineer_day` (see there).

use postgres::GenericClient;

use super::row::{self, Readable};
use crate::store::Result;

/// The tickets of `name`'s day `[start, end)` (unix seconds).
pub fn engineer_day(
    c: &mut impl GenericClient,
    name: &str,
    start: i64,
    end: i64,
) -> Result<Vec<Readable>> {
    Ok(c.query(
        format!(
            "SELECT {} FROM tickets WHERE id IN (
               SELECT id FROM tickets WHERE engineer = $1 AND t3 >= $2 AND t3 < $3
               UNION SELECT id FROM tickets WHERE engineer = $1 AND service_type = 'carry_in'
                 AND status NOT IN ('resolved', 'cancelled')
               UNION SELECT ticket_id FROM events WHERE kind IN ('visited', 'repaired')
                     AND at >= $2 AND at < $4)
             ORDER BY ticket_no",
            super::ticket_columns()
        )
        .as_str(),
        &[
            &name,
            &start,
            &end,
            &(end + crate::store::reads::RECORDED_WITHIN),
        ],
    )?
    .iter()
    .map(row::readable)
    .collect())
}
