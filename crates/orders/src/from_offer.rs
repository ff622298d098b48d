//! Placing an order from an accepted offer: the rule that needs both documents. The offer
//! decides whether it may be ordered and becomes `ORDERED`; the order is placed from its
//! lines exactly as from a cart's (see [`crate::place`]).

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use orderpath_core::Result;
use uuid::Uuid;

use crate::model::Order;
use crate::place::{place, Origin};

/// Places an order from offer `offer_id` in one transaction (the caller's, when it
/// is in one): the order carries the
/// offer's lines with their prices (edits included), flags and parent/child links; it is
/// planned and reserves stock like an order from a cart, `ORDER_PLACED` is recorded with
/// the `offerId`, and the offer becomes `ORDERED`. Only an `ACCEPTED` offer whose
/// `validUntil` has not passed may be ordered, and only once (409
/// `INVALID_STATUS_TRANSITION` otherwise). With `customer_scope`, another customer's
/// offer is not found.
pub fn place_order_from_offer(
    conn: &mut PgConnection,
    offer_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Order> {
    orderpath_db::in_transaction(conn, |conn| {
        let orderable = orderpath_offers::lock_offer_to_order(
            conn,
            offer_id,
            customer_scope,
            expected_version,
            now,
        )?;
        let offer = &orderable.offer;
        let source =
            Origin::Offer(offer.id).source(offer.customer_id, &offer.currency, &offer.lines);
        let order = place(conn, &source, None, now)?;
        orderable.mark_ordered(conn, now)?;
        Ok(order)
    })
}
