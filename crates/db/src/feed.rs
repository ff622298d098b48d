//! Commit-ordered change feeds (the event feed, the ERP offer feed).
//!
//! A feed row carries a position: the id of the transaction that wrote it and a sequence
//! number. A page holds the rows after the reader's position, in position order, and only
//! rows written by transactions older than the oldest one still running (the horizon). A
//! transaction that took its sequence number early and commits late is therefore never
//! skipped: until it finishes, the feed stops just before it, and every later transaction
//! has a larger id than anything already shown.

use diesel::dsl::{self, sql};
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::query_dsl::methods::{FilterDsl, LimitDsl, LoadQuery, OrderDsl};
use diesel::sql_types::{BigInt, Bool};
use orderpath_core::cursor::FeedPosition;
use orderpath_core::page::Page;
use orderpath_core::Result;

use crate::prepared::{kept, Prepared};

/// `(txid, seq) > after`.
type AfterPosition<Txid, Seq> =
    dsl::Or<dsl::Gt<Txid, i64>, dsl::And<dsl::Eq<Txid, i64>, dsl::Gt<Seq, i64>>>;

/// `txid >= after.txid`: implied by [`AfterPosition`], but a bound the index can start
/// from, where the `OR` is only a filter.
type FromTransaction<Txid> = dsl::GtEq<Txid, i64>;

/// `txid < horizon`.
type BelowHorizon<Txid> = dsl::Lt<Txid, SqlLiteral<BigInt>>;

/// The oldest transaction id still running (a function the migrations define).
fn horizon() -> SqlLiteral<BigInt> {
    sql::<BigInt>("orderpath_visible_txid_horizon()")
}

/// Reads one page of a feed: the rows of `query` (a boxed query with any other filters
/// already applied) after `after` (from the start when `None`) and below the horizon,
/// ordered by the position columns `txid` and `seq`, at most `limit`. The page's cursor is
/// always set: the position of its last row (`position_of`), or `after` itself when
/// caught up.
pub fn feed_page<Query, Txid, Seq, Row>(
    conn: &mut PgConnection,
    query: Query,
    (txid, seq): (Txid, Seq),
    after: Option<FeedPosition>,
    limit: i64,
    position_of: impl FnOnce(&Row) -> FeedPosition,
) -> Result<Page<Row>>
where
    Txid: ExpressionMethods + Expression<SqlType = BigInt> + Copy,
    Seq: ExpressionMethods + Expression<SqlType = BigInt> + Copy,
    dsl::Gt<Txid, i64>: Expression<SqlType = Bool>,
    dsl::Eq<Txid, i64>: Expression<SqlType = Bool>,
    dsl::Gt<Seq, i64>: Expression<SqlType = Bool>,
    dsl::GtEq<Txid, i64>: Expression<SqlType = Bool>,
    Query: FilterDsl<AfterPosition<Txid, Seq>, Output = Query>
        + FilterDsl<FromTransaction<Txid>, Output = Query>
        + FilterDsl<BelowHorizon<Txid>, Output = Query>
        + OrderDsl<(Txid, Seq), Output = Query>
        + LimitDsl<Output = Query>
        + RunQueryDsl<PgConnection>
        + diesel::query_builder::QueryFragment<diesel::pg::Pg>,
    Prepared<Query>: LoadQuery<'static, PgConnection, Row>,
{
    let after = after.unwrap_or_default();
    let position = txid
        .gt(after.txid)
        .or(txid.eq(after.txid).and(seq.gt(after.seq)));
    // Without the plain lower bound the index is read from its start up to `after` and
    // every row before it dropped by the `OR`: a page late in a feed of millions took
    // most of a second.
    let query = FilterDsl::filter(query, txid.ge(after.txid));
    let query = FilterDsl::filter(query, position);
    let query = FilterDsl::filter(query, txid.lt(horizon()));
    let query = LimitDsl::limit(OrderDsl::order(query, (txid, seq)), limit);
    // Kept prepared: parsing and planning a page of events cost thirty times reading it
    // (docs/benchmarks.md, Order placement kept prepared); the horizon's function makes
    // diesel decline to keep it.
    let rows: Vec<Row> = RunQueryDsl::load(kept(query), conn)?;
    Ok(Page::feed(rows, after, position_of))
}
