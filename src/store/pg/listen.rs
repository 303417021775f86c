//! Live desks: a dashboard listens on its station's channel (migration 3
//! in `schema.rs`) and learns, from the notifications the server delivers
//! at each commit, which tickets another desk changed, instead of asking
//! whether anything changed and reading the whole station again.

use std::collections::BTreeSet;

use postgres::fallible_iterator::FallibleIterator;

use super::{PgStore, Phase, describe};
use crate::store::Result;

/// What other desks changed since the last look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The numbers of the tickets that have new events.
    pub tickets: BTreeSet<String>,
    /// The staff list changed.
    pub staff: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.tickets.is_empty() && !self.staff
    }
}

/// How long [`PgStore::changes`] waits for the socket (the notifications
/// of commits already made are there by then).
const NOTICE_WAIT: std::time::Duration = std::time::Duration::from_millis(5);

impl PgStore {
    /// Starts listening on the station's channel (again after a
    /// reconnection); the region's or the administrator's desk naming no
    /// station on every station's (migration 6), where each ticket is named
    /// `STATION/NUMBER`, as that desk names it.
    pub fn listen(&mut self) -> Result<bool> {
        let station = self
            .me()
            .station
            .clone()
            .or_else(|| (!self.station().is_empty()).then(|| self.station().to_string()));
        let r = match station {
            Some(station) => self
                .client
                .query_one("SELECT 'rd_' || md5($1)", &[&station])
                .and_then(|row| {
                    let channel: String = row.get(0);
                    self.client.batch_execute(&format!("LISTEN \"{channel}\""))
                }),
            None => self.client.batch_execute("LISTEN rd_every_station"),
        };
        r.map_err(|e| describe(&self.shown, e, Phase::Work))?;
        self.listening = true;
        Ok(true)
    }

    /// Is this connection listening (see [`PgStore::listen`])?
    pub fn is_listening(&self) -> bool {
        self.listening
    }

    /// The changes announced since the last call, waiting at most a few
    /// milliseconds.
    pub fn changes(&mut self) -> Result<Changes> {
        let mut out = Changes::default();
        let mut notes = self.client.notifications();
        // Not `iter()`: it never lets the client's runtime learn that the
        // socket has something to read, so a notification that arrived
        // while the desk was idle stays unread. A short wait does.
        let mut it = notes.timeout_iter(NOTICE_WAIT);
        loop {
            match it.next() {
                Ok(Some(n)) if n.payload().is_empty() => out.staff = true,
                Ok(Some(n)) => {
                    out.tickets.insert(n.payload().to_string());
                }
                Ok(None) => break,
                Err(e) => return Err(describe(&self.shown, e, Phase::Read)),
            }
        }
        Ok(out)
    }
}
