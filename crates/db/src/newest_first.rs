//! Lists read newest first, a page at a time: by creation time, then by id, which keeps
//! the order total when two rows share a creation time. A page's cursor is the
//! [`CreatedKey`] of its last row.

use chrono::{DateTime, Utc};
use diesel::dsl;
use diesel::prelude::*;
use diesel::query_dsl::methods::{FilterDsl, LimitDsl, LoadQuery, OrderDsl};
use diesel::sql_types::{Bool, Timestamptz};
use orderpath_core::cursor::CreatedKey;
use orderpath_core::page::{fetch_limit, Page};
use orderpath_core::Result;
use uuid::Uuid;

/// `created_at <= after`: the first column alone, as the index bound.
type NotAfter<Created> = dsl::LtEq<Created, DateTime<Utc>>;

/// `(created_at, id) < after`.
type Before<Created, Id> = dsl::Or<dsl::Lt<Created, DateTime<Utc>>, dsl::Lt<Id, Uuid>>;

/// Reads one page of `query` (a boxed query with any other filters already applied)
/// newest first by its columns `created_at` and `id`: the rows after the cursor `after`
/// (from the newest when `None`), at most `limit`, and the cursor of the next page when
/// there are more. `key_of` gives a row's creation time and id.
pub fn newest_first_page<Query, Created, Id, Row>(
    conn: &mut PgConnection,
    query: Query,
    (created_at, id): (Created, Id),
    after: Option<&str>,
    limit: i64,
    key_of: impl FnOnce(&Row) -> (DateTime<Utc>, Uuid),
) -> Result<Page<Row>>
where
    Created: ExpressionMethods + Expression<SqlType = Timestamptz> + Copy,
    Id: ExpressionMethods + Expression<SqlType = diesel::sql_types::Uuid> + Copy,
    dsl::Lt<Created, DateTime<Utc>>: Expression<SqlType = Bool>,
    dsl::Lt<Id, Uuid>: Expression<SqlType = Bool>,
    Query: FilterDsl<NotAfter<Created>, Output = Query>
        + FilterDsl<Before<Created, Id>, Output = Query>
        + OrderDsl<(dsl::Desc<Created>, dsl::Desc<Id>), Output = Query>
        + LimitDsl<Output = Query>
        + RunQueryDsl<PgConnection>
        + LoadQuery<'static, PgConnection, Row>,
{
    let mut query = OrderDsl::order(query, (created_at.desc(), id.desc()));
    if let Some(after) = after.map(CreatedKey::decode).transpose()? {
        query = FilterDsl::filter(query, created_at.le(after.created_at));
        let before = created_at.lt(after.created_at).or(id.lt(after.id));
        query = FilterDsl::filter(query, before);
    }
    let rows: Vec<Row> = RunQueryDsl::load(LimitDsl::limit(query, fetch_limit(limit)), conn)?;
    Ok(Page::keyset(rows, limit, |r| {
        let (created_at, id) = key_of(r);
        CreatedKey { created_at, id }.encode()
    }))
}
