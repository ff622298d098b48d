use chrono::{DateTime, Utc};
use orderpath_offers::{Offer, OfferStatus};
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::routes::document::document_body;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateOfferRequest {
    /// RFC 3339; the offer expires when it passes. No expiry when omitted.
    pub valid_until: Option<DateTime<Utc>>,
}

/// Tells "absent" (leave as is) from `null` (clear) for an optional field.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOfferRequest {
    /// `DRAFT → SENT → ACCEPTED | REJECTED`.
    pub status: Option<OfferStatus>,
    /// RFC 3339, in the future; `null` removes the expiry.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub valid_until: Option<Option<DateTime<Utc>>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OfferQuery {
    pub offer_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OfferFeedQuery {
    /// Only offers changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    /// Only this customer's offers.
    pub customer_id: Option<Uuid>,
}

document_body! {
    Offer => OfferResponse {
        id: Uuid,
        /// Human-readable, unique and increasing.
        number: String,
        cart_id: Uuid,
        customer_id: Uuid,
        status: OfferStatus,
        currency: String,
        valid_until: Option<DateTime<Utc>>,
        version: i64,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>;
        /// Every child line's `parentLineId` names a line of this offer.
        lines, totals
    }
}
