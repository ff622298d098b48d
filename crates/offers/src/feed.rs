//! The ERP pull: offers in the order their changes committed. Each offer sits at the
//! position of its latest change, so a reader sees it again after every change, with its
//! current state. Like the event feed, positions are (transaction id, sequence) and only
//! transactions older than the oldest still running are shown, so an update that commits
//! late is never skipped (see `orderpath_db::feed`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::cursor::FeedPosition;
use orderpath_core::page::Page;
use orderpath_core::Result;
use orderpath_db::feed::feed_page;
use orderpath_db::schema::offers;
use uuid::Uuid;

use crate::load::with_lines;
use crate::model::Offer;
use crate::rows::OfferRow;

/// Offers changed after `after` (from the start when `None`), optionally only those of
/// one customer or updated at or after `updated_since`. The cursor is always set.
pub fn list_offer_changes(
    conn: &mut PgConnection,
    updated_since: Option<DateTime<Utc>>,
    customer_id: Option<Uuid>,
    after: Option<FeedPosition>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Page<Offer>> {
    let mut query = offers::table.select(OfferRow::as_select()).into_boxed();
    if let Some(customer) = customer_id {
        query = query.filter(offers::customer_id.eq(customer));
    }
    if let Some(since) = updated_since {
        query = query.filter(offers::updated_at.ge(since));
    }
    feed_page(
        conn,
        query,
        (offers::change_txid, offers::change_seq),
        after,
        limit,
        |r: &OfferRow| FeedPosition {
            txid: r.change_txid,
            seq: r.change_seq,
        },
    )?
    .try_map_items(|rows| with_lines(conn, rows, now))
}
