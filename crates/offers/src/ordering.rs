//! The offer's side of placing an order from it: only an accepted offer whose
//! `validUntil` has not passed may be ordered, and only once. Planning and reserving the
//! order is the orders crate's, which locks the offer here first and marks it ordered in
//! the same transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::schema::offers;
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::{Offer, OfferStatus};
use crate::status::{lock_offer_of, touch, LockedOffer};

/// An accepted offer, locked for the rest of the transaction, with its lines: what an
/// order is placed from.
#[derive(Debug)]
pub struct OrderableOffer {
    pub offer: Offer,
}

/// Locks offer `id` to place an order from it, checking `If-Match` when given. With
/// `customer_scope`, another customer's offer is not found. Fails with
/// `INVALID_STATUS_TRANSITION` unless the offer is `ACCEPTED` and its `validUntil` has
/// not passed.
pub fn lock_offer_to_order(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<OrderableOffer> {
    let locked = lock_offer_of(conn, id, customer_scope, expected_version, now)?;
    ensure_orderable(&locked, now)?;
    Ok(OrderableOffer {
        offer: get_offer(conn, id, None, now)?,
    })
}

fn ensure_orderable(offer: &LockedOffer, now: DateTime<Utc>) -> Result<()> {
    let refuse = |message: String| {
        Err(Error::conflict(
            ConflictCode::InvalidStatusTransition,
            message,
        ))
    };
    match (offer.status, offer.valid_until) {
        (OfferStatus::Accepted, Some(until)) if until <= now => refuse(format!(
            "the offer was valid until {} and can no longer be ordered",
            until.to_rfc3339()
        )),
        (OfferStatus::Accepted, _) => Ok(()),
        (OfferStatus::Ordered, _) => {
            refuse("an order was placed from this offer already; an offer is ordered once".into())
        }
        (other, _) => refuse(format!(
            "only an ACCEPTED offer can be ordered; this one is {other}"
        )),
    }
}

impl OrderableOffer {
    /// Marks the offer `ORDERED` (version + 1, a new position in the ERP change feed): an
    /// order was placed from it, and it no longer changes.
    pub fn mark_ordered(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<()> {
        diesel::update(offers::table.find(self.offer.id))
            .set(offers::status.eq(OfferStatus::Ordered.to_string()))
            .execute(conn)?;
        touch(conn, self.offer.id, now)
    }
}
