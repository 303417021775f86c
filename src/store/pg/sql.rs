//! The statements of a command, prepared once per connection.
//!
//! A statement sent as text costs two round trips to the server (prepare,
//! then run); one prepared before costs one. An import or the demo runs the
//! same few statements for every row, so they are kept, by their text, for
//! as long as the connection lives ([`Db`]). The helpers of this folder
//! take any [`Sql`]: the cached connection, or the plain client (one-off
//! reads).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Row, Statement};

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// What the store's helpers ask of a connection.
pub trait Sql {
    fn query(&mut self, sql: &str, params: Params) -> Result<Vec<Row>, postgres::Error>;
    fn query_opt(&mut self, sql: &str, params: Params) -> Result<Option<Row>, postgres::Error>;
    fn query_one(&mut self, sql: &str, params: Params) -> Result<Row, postgres::Error>;
    fn execute(&mut self, sql: &str, params: Params) -> Result<u64, postgres::Error>;
}

/// The connection with its prepared statements.
pub struct Db<'a> {
    pub client: &'a mut Client,
    pub prepared: &'a mut HashMap<String, Statement>,
}

impl Db<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.prepared.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

impl Sql for Db<'_> {
    fn query(&mut self, sql: &str, params: Params) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query(&s, params)
    }
    fn query_opt(&mut self, sql: &str, params: Params) -> Result<Option<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query_opt(&s, params)
    }
    fn query_one(&mut self, sql: &str, params: Params) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query_one(&s, params)
    }
    fn execute(&mut self, sql: &str, params: Params) -> Result<u64, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.execute(&s, params)
    }
}

macro_rules! plain {
    ($t:ty) => {
        impl Sql for $t {
            fn query(&mut self, sql: &str, params: Params) -> Result<Vec<Row>, postgres::Error> {
                postgres::GenericClient::query(self, sql, params)
            }
            fn query_opt(
                &mut self,
                sql: &str,
                params: Params,
            ) -> Result<Option<Row>, postgres::Error> {
                postgres::GenericClient::query_opt(self, sql, params)
            }
            fn query_one(&mut self, sql: &str, params: Params) -> Result<Row, postgres::Error> {
                postgres::GenericClient::query_one(self, sql, params)
            }
            fn execute(&mut self, sql: &str, params: Params) -> Result<u64, postgres::Error> {
                postgres::GenericClient::execute(self, sql, params)
            }
        }
    };
}

plain!(Client);
