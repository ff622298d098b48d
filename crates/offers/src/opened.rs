//! `OFFER_OPENED`: a backoffice user entered an offer's view. Recorded only when the offer
//! differs from the one that same user opened last (the offer id in the URL changed).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::events::EventType;
use orderpath_core::Result;
use orderpath_db::events;
use orderpath_db::schema::offer_views;
use serde_json::json;
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::Offer;

/// Returns the offer, and whether `OFFER_OPENED` was recorded. The user's row is locked
/// for the comparison, so two tabs opening different offers at once each count.
pub fn open_offer(
    conn: &mut PgConnection,
    offer_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(Offer, bool)> {
    let offer = get_offer(conn, offer_id, None, now)?;
    let first = diesel::insert_into(offer_views::table)
        .values((
            offer_views::user_id.eq(user_id),
            offer_views::offer_id.eq(offer_id),
            offer_views::opened_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?
        == 1;
    let changed = if first {
        true
    } else {
        let last: Uuid = offer_views::table
            .find(user_id)
            .select(offer_views::offer_id)
            .for_update()
            .first(conn)?;
        diesel::update(offer_views::table.find(user_id))
            .set((
                offer_views::offer_id.eq(offer_id),
                offer_views::opened_at.eq(now),
            ))
            .execute(conn)?;
        last != offer_id
    };
    if changed {
        events::record(
            conn,
            EventType::OfferOpened,
            now,
            json!({ "customerId": offer.customer_id, "offerId": offer_id, "userId": user_id }),
        )?;
    }
    Ok((offer, changed))
}
