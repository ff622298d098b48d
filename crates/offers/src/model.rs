use chrono::{DateTime, Utc};
use orderpath_core::stored_enum;
use orderpath_pricing::DocumentTotals;
use uuid::Uuid;

/// An offer line has the shape of a cart line; its prices are the offer's own copy.
pub use orderpath_lines::Line as OfferLine;

stored_enum! {
    /// Stored and sent as `DRAFT`, `SENT`, `ACCEPTED`, `REJECTED`, `EXPIRED` or `ORDERED`.
    pub enum OfferStatus {
        Draft,
        Sent,
        Accepted,
        Rejected,
        /// `validUntil` passed before the customer accepted.
        Expired,
        /// An order was placed from the accepted offer.
        Ordered,
    }
}

impl OfferStatus {
    /// Accepted, rejected, expired and ordered offers no longer change.
    pub fn is_locked(self) -> bool {
        matches!(
            self,
            OfferStatus::Accepted
                | OfferStatus::Rejected
                | OfferStatus::Expired
                | OfferStatus::Ordered
        )
    }

    /// The status as of `now`: an open offer whose `valid_until` has passed is expired,
    /// whether or not the expiry sweep has written that down yet.
    pub fn effective(self, valid_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        match (self, valid_until) {
            (OfferStatus::Draft | OfferStatus::Sent, Some(until)) if until <= now => {
                OfferStatus::Expired
            }
            (status, _) => status,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Offer {
    pub id: Uuid,
    /// Human-readable, unique and increasing: `OF-000042`.
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub status: OfferStatus,
    pub currency: String,
    pub valid_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In position order; every child's `parent_line_id` names a line of this offer.
    pub lines: Vec<OfferLine>,
    pub totals: DocumentTotals,
}
