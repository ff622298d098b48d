use chrono::{DateTime, Utc};
use orderpath_offers::{Offer, OfferStatus};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::call::Shown;
use crate::routes::carts::bodies::{LineResponse, TotalsResponse};

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

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferResponse {
    pub id: Uuid,
    /// Human-readable, unique and increasing.
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub status: OfferStatus,
    pub currency: String,
    pub valid_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every child line's `parentLineId` names a line of this offer.
    pub lines: Vec<LineResponse>,
    pub totals: TotalsResponse,
}

impl Shown for Offer {
    type Body = OfferResponse;
    fn version(&self) -> i64 {
        self.version
    }
    fn body(&self, staff: bool) -> OfferResponse {
        OfferResponse::new(self, staff)
    }
}

impl OfferResponse {
    pub fn new(offer: &Offer, staff: bool) -> Self {
        OfferResponse {
            id: offer.id,
            number: offer.number.clone(),
            cart_id: offer.cart_id,
            customer_id: offer.customer_id,
            status: offer.status,
            currency: offer.currency.clone(),
            valid_until: offer.valid_until,
            version: offer.version,
            created_at: offer.created_at,
            updated_at: offer.updated_at,
            lines: offer
                .lines
                .iter()
                .map(|l| LineResponse::new(l, staff))
                .collect(),
            totals: TotalsResponse::new(&offer.totals, staff),
        }
    }
}
