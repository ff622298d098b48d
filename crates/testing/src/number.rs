//! One number read with hand-written SQL, for what the domain crates have no query for
//! (catalog views, statistics, counts across tables).

use diesel::query_dsl::LoadQuery;
use diesel::sql_types::BigInt;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

/// The row of a query that selects one `bigint` named `n`.
#[derive(Debug, QueryableByName)]
pub struct Number {
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// The `bigint` column `n` of the one row `query` returns:
/// `number(conn, sql_query("SELECT count(*) AS n FROM carts"))`, with `.bind` as needed.
pub fn number<'query, Q>(conn: &mut PgConnection, query: Q) -> i64
where
    Q: RunQueryDsl<PgConnection> + LoadQuery<'query, PgConnection, Number>,
{
    query.get_result::<Number>(conn).expect("a number").n
}
