//! Statements prepared once per connection and kept.
//!
//! diesel declines to keep some statements prepared, so PostgreSQL parses and plans them
//! on every call: everything written with `sql_query`, every `UPDATE` (a changeset may
//! leave columns out), and any `INSERT` with an optional column. For the statements a
//! request runs every time (a cart's stamp and its changes, the dispatcher's claim, a
//! lock) planning can cost more than running (docs/benchmarks.md, What the write path
//! sends). A [`Prepared`] statement is one whose text has a single shape: the connection's
//! statement cache, keyed by text and bind types, then holds a bounded number of them,
//! and each runs as a named prepared statement after its first use. PostgreSQL re-plans a
//! kept statement itself when a table it reads changes.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId, SqlQuery};
use diesel::query_dsl::RunQueryDsl;
use diesel::sql_types::Untyped;
use diesel::QueryResult;

/// A statement kept prepared, with its parameters bound; run it as the statement it wraps
/// (for hand-written SQL: `execute`, `load`, `get_result` into `QueryableByName`).
#[derive(Debug, Clone)]
#[must_use = "a statement runs only when executed or loaded"]
pub struct Prepared<Q>(Q);

/// The statement `sql`, kept prepared on each connection that runs it; `bind` binds its
/// `$n` parameters in order on the `sql_query` it is given, and nothing else.
pub fn prepared<Q>(sql: &'static str, bind: impl FnOnce(SqlQuery) -> Q) -> Prepared<Q> {
    Prepared(bind(diesel::sql_query(sql)))
}

/// `statement`, built with diesel, kept prepared when run with `get_result` or `load` (a
/// diesel `execute` asks a reference to it, which answers for the parts; see
/// [`Prepared::execute`]). Only for a statement with a few texts
/// wherever it is called from: an optional column written as `DEFAULT` when empty makes
/// one text per combination, which is few; a batch of a varying number of rows makes one
/// per count, which is not. Each text is kept under its own key, so any is run right.
pub fn kept<Q: QueryFragment<Pg>>(statement: Q) -> Prepared<Q> {
    Prepared(statement)
}

/// No columns: what [`Prepared::execute`] reads of each row.
#[derive(diesel::QueryableByName)]
struct NoColumns {}

impl<Q: QueryFragment<Pg> + Query<SqlType = Untyped>> Prepared<Q> {
    /// Runs a hand-written statement for what it does; answers how many rows it returned
    /// (write `RETURNING` to count the rows a change touched).
    ///
    /// Not diesel's `execute`, which asks whether a statement may be kept through a
    /// reference to it; a reference answers for the `sql_query` inside, never kept, not
    /// for [`Prepared`]. Statements run only for their effect (the product locks, the
    /// dispatcher's record of a batch) were therefore parsed and planned on every call.
    /// Loading hands the statement over whole, and it is kept.
    pub fn execute(self, conn: &mut diesel::PgConnection) -> QueryResult<usize> {
        Ok(self.load::<NoColumns>(conn)?.len())
    }
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    /// Unlike `sql_query`'s own answer: the text cannot change from call to call.
    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Prepared<Q> {
    // No type of its own: the cache keys it by its text and bind types.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Conn, Q> RunQueryDsl<Conn> for Prepared<Q> {}
