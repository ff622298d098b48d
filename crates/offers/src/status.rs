//! The offer lifecycle: `DRAFT → SENT → ACCEPTED | REJECTED`, and `EXPIRED` once
//! `validUntil` has passed.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orderpath_core::error::check_version;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::partial_index::one_of;
use orderpath_db::schema::offers;
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::{Offer, OfferStatus};
use crate::rows::OfferRow;

/// A change requested by `PATCH /offers/{id}`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OfferChange {
    pub status: Option<OfferStatus>,
    /// `Some(None)` removes the expiry date.
    pub valid_until: Option<Option<DateTime<Utc>>>,
}

impl OfferChange {
    /// Whether this is the customer's own decision on an offer: accepting or rejecting
    /// it, nothing else. Every other change is the merchant's.
    pub fn is_customer_decision(&self) -> bool {
        self.valid_until.is_none()
            && matches!(
                self.status,
                Some(OfferStatus::Accepted | OfferStatus::Rejected)
            )
    }
}

/// An offer locked for a change by [`lock_offer`], with its status as of now.
#[derive(Debug)]
pub struct LockedOffer {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: OfferStatus,
    pub valid_until: Option<DateTime<Utc>>,
}

/// Locks offer `id` for a change, checking `If-Match`. Changes of one offer queue here.
pub fn lock_offer(
    conn: &mut PgConnection,
    id: Uuid,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<LockedOffer> {
    lock_offer_of(conn, id, None, expected_version, now)
}

/// [`lock_offer`] on behalf of `customer_scope`, when given: another customer's offer is
/// not found (before its version is compared, so nothing about it shows).
pub(crate) fn lock_offer_of(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<LockedOffer> {
    let row: OfferRow = offers::table
        .find(id)
        .select(OfferRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .filter(|row| customer_scope.is_none_or(|c| c == row.customer_id))
        .ok_or(Error::not_found("offer"))?;
    check_version(expected_version, row.version)?;
    let stored: OfferStatus = row.status.parse()?;
    Ok(LockedOffer {
        id: row.id,
        customer_id: row.customer_id,
        status: stored.effective(row.valid_until, now),
        valid_until: row.valid_until,
    })
}

impl LockedOffer {
    /// Fails with `OFFER_LOCKED` when the offer is accepted, rejected or expired.
    pub fn ensure_editable(&self) -> Result<()> {
        if self.status.is_locked() {
            return Err(Error::conflict(
                ConflictCode::OfferLocked,
                format!("the offer is {} and can no longer change", self.status),
            ));
        }
        Ok(())
    }

    /// Records that the offer changed: version + 1, and a new position in the ERP
    /// change feed. Returns the offer as it now is.
    pub fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Offer> {
        touch(conn, self.id, now)?;
        get_offer(conn, self.id, None, now)
    }
}

pub(crate) fn touch(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    diesel::update(offers::table.find(id))
        .set((
            offers::version.eq(offers::version + 1),
            offers::updated_at.eq(now),
            offers::change_txid.eq(sql::<BigInt>("orderpath_current_txid()")),
            offers::change_seq.eq(sql::<BigInt>("nextval('offer_change_seq')")),
        ))
        .execute(conn)?;
    Ok(())
}

/// Applies a status and/or expiry change. Asking for the status the offer already has is
/// accepted and changes nothing.
///
/// With `customer_scope` the change is that customer's: only its own offer is found, and
/// it may only accept or reject it (from `SENT`, as the lifecycle says); anything else is
/// forbidden.
pub fn update_offer(
    conn: &mut PgConnection,
    id: Uuid,
    expected_version: Option<i64>,
    change: OfferChange,
    customer_scope: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Offer> {
    if customer_scope.is_some() && !change.is_customer_decision() {
        return Err(Error::Forbidden(
            "a customer may only accept or reject its offer".into(),
        ));
    }
    let offer = lock_offer_of(conn, id, customer_scope, expected_version, now)?;
    let target = change.status.unwrap_or(offer.status);
    let same_expiry = change.valid_until.is_none_or(|v| v == offer.valid_until);
    if target == offer.status && same_expiry {
        return get_offer(conn, id, None, now);
    }
    offer.ensure_editable()?;
    if target != offer.status {
        let allowed = matches!(
            (offer.status, target),
            (OfferStatus::Draft, OfferStatus::Sent)
                | (OfferStatus::Sent, OfferStatus::Accepted)
                | (OfferStatus::Sent, OfferStatus::Rejected)
        );
        if !allowed {
            let hint = if target == OfferStatus::Expired {
                "; an offer expires by itself when validUntil passes".to_string()
            } else {
                String::new()
            };
            return Err(Error::conflict(
                ConflictCode::InvalidStatusTransition,
                format!("an offer cannot go from {} to {target}{hint}", offer.status),
            ));
        }
    }
    if let Some(valid_until) = change.valid_until {
        if valid_until.is_some_and(|until| until <= now) {
            return Err(Error::field("validUntil", "must be in the future"));
        }
        diesel::update(offers::table.find(id))
            .set(offers::valid_until.eq(valid_until))
            .execute(conn)?;
    }
    diesel::update(offers::table.find(id))
        .set(offers::status.eq(target.to_string()))
        .execute(conn)?;
    offer.finish(conn, now)
}

/// Writes down the expiry of every open offer whose `validUntil` has passed, so the
/// ERP change feed reports it. Returns how many expired. Reads already show such offers
/// as `EXPIRED`; this only makes the change visible to the feed.
pub fn expire_offers(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize> {
    let expired = diesel::update(
        offers::table
            // The expiry index holds only open offers (`offers_expiry_idx`).
            .filter(one_of(
                "offers.status",
                &[OfferStatus::Draft, OfferStatus::Sent],
            ))
            .filter(offers::valid_until.le(now)),
    )
    .set((
        offers::status.eq(OfferStatus::Expired.to_string()),
        offers::version.eq(offers::version + 1),
        offers::updated_at.eq(now),
        offers::change_txid.eq(sql::<BigInt>("orderpath_current_txid()")),
        offers::change_seq.eq(sql::<BigInt>("nextval('offer_change_seq')")),
    ))
    .execute(conn)?;
    Ok(expired)
}
