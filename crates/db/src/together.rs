//! Several writes sent as one SQL statement: each earlier write becomes a data-modifying
//! `WITH` item of the last one. A write path that would otherwise wait for one round trip
//! per statement pays for one, and the statement is atomic on its own.
//!
//! PostgreSQL runs every part against the same snapshot, so no part sees the rows another
//! part writes; foreign keys are checked at the end of the statement, when all are there.
//! Use it for writes that do not read each other's rows.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// `earlier` (any number of writes whose results are not needed) followed by `last`,
/// whose result (rows it returns, or the count it changes) is the statement's.
pub struct Together<'a, L> {
    earlier: Vec<Box<dyn QueryFragment<Pg> + 'a>>,
    last: L,
}

/// Starts a statement of `first`, to which more writes are added with
/// [`Together::then`], before [`Together::last`] names the part whose result counts.
pub fn together<'a>(first: impl QueryFragment<Pg> + 'a) -> Earlier<'a> {
    Earlier {
        writes: vec![Box::new(first)],
    }
}

/// The writes of a statement that come before its last part.
pub struct Earlier<'a> {
    writes: Vec<Box<dyn QueryFragment<Pg> + 'a>>,
}

impl<'a> Earlier<'a> {
    /// Adds another write, done in the same statement.
    pub fn then(mut self, write: impl QueryFragment<Pg> + 'a) -> Self {
        self.writes.push(Box::new(write));
        self
    }

    /// The part of the statement whose result it returns.
    pub fn last<L>(self, last: L) -> Together<'a, L> {
        Together {
            earlier: self.writes,
            last,
        }
    }
}

impl<L: QueryFragment<Pg>> QueryFragment<Pg> for Together<'_, L> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        for (i, write) in self.earlier.iter().enumerate() {
            out.push_sql(if i == 0 { "WITH " } else { ", " });
            out.push_sql(&format!("earlier_{i} AS ("));
            write.walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        out.push_sql(" ");
        self.last.walk_ast(out.reborrow())
    }
}

impl<L: Query> Query for Together<'_, L> {
    type SqlType = L::SqlType;
}

impl<L> QueryId for Together<'_, L> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<L, Conn> RunQueryDsl<Conn> for Together<'_, L> {}
