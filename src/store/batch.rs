//! Several commands in one transaction: an imported file, a chunk of the
//! demo station, a printing with its file. Each command still goes through
//! `decide`; only the commit is shared. Dropped without [`Batch::commit`],
//! nothing of it is written.

use rusqlite::{Transaction, TransactionBehavior};

use super::{Env, Outcome, Result, Store, create_in, execute_in, load_ticket, reads, search};
use crate::domain::command::{Command, NewTicket};
use crate::domain::ticket::Ticket;

pub struct Batch<'s> {
    tx: Transaction<'s>,
}

impl Store {
    /// Starts a batch: one immediate transaction (other writers wait).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        Ok(Batch {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
        })
    }
}

impl Batch<'_> {
    /// Decides and records a command on a ticket, as [`Store::execute`].
    pub fn execute(
        &self,
        ticket_no: &str,
        cmd: &Command,
        env: &Env,
        expected_version: Option<i64>,
    ) -> Result<Outcome> {
        execute_in(&self.tx, ticket_no, cmd, env, expected_version)
    }

    /// Decides and records a new ticket, as [`Store::create`].
    pub fn create(&self, new: NewTicket, env: &Env) -> Result<Outcome> {
        create_in(&self.tx, new, env)
    }

    /// The ticket as this batch sees it.
    pub fn load(&self, ticket_no: &str) -> Result<Option<Ticket>> {
        load_ticket(&self.tx, ticket_no)
    }

    /// Whether the ticket exists, as this batch sees it.
    pub fn exists(&self, ticket_no: &str) -> Result<bool> {
        reads::exists(&self.tx, ticket_no)
    }

    /// Writes everything: the new tickets into the search blocks, in one
    /// pass, then the commit.
    pub fn commit(self) -> Result<()> {
        search::refresh(&self.tx)?;
        self.tx.commit()?;
        Ok(())
    }
}
