//! A customer's offers, newest first, optionally in one status as the offers read now (an
//! open offer whose `validUntil` passed counts as `EXPIRED` before the sweep writes it).

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use orderpath_core::page::Page;
use orderpath_core::Result;
use orderpath_db::newest_first::newest_first_page;
use orderpath_db::schema::offers;
use uuid::Uuid;

use crate::load::with_lines;
use crate::model::{Offer, OfferStatus};
use crate::rows::OfferRow;

/// The offers of customer `customer_id`, newest first, optionally only those whose status
/// as of `now` is `status`, `limit` at a time after the cursor `after`.
pub fn list_customer_offers(
    conn: &mut PgConnection,
    customer_id: Uuid,
    status: Option<OfferStatus>,
    after: Option<&str>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Page<Offer>> {
    let mut query = offers::table
        .filter(offers::customer_id.eq(customer_id))
        .select(OfferRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(reads_as(status, now));
    }
    let columns = (offers::created_at, offers::id);
    let key = |r: &OfferRow| (r.created_at, r.id);
    newest_first_page(conn, query, columns, after, limit, key)?
        .try_map_items(|rows| with_lines(conn, rows, now))
}

type Condition = Box<dyn BoxableExpression<offers::table, Pg, SqlType = Nullable<Bool>>>;

/// Offers whose status as of `now` is `status` (see [`OfferStatus::effective`]).
fn reads_as(status: OfferStatus, now: DateTime<Utc>) -> Condition {
    let stored = offers::status.eq(status.to_string());
    let open = offers::status.eq_any([
        OfferStatus::Draft.to_string(),
        OfferStatus::Sent.to_string(),
    ]);
    match status {
        OfferStatus::Expired => {
            Box::new(stored.nullable().or(open.and(offers::valid_until.le(now))))
        }
        OfferStatus::Draft | OfferStatus::Sent => Box::new(
            stored.and(
                offers::valid_until
                    .is_null()
                    .nullable()
                    .or(offers::valid_until.gt(now)),
            ),
        ),
        _ => Box::new(stored.nullable()),
    }
}
