//! Request and response bodies of the customer routes, and their validation.

use orderpath_core::money::validate_currency;
use orderpath_customers::CustomerDraft;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::validate::{text, Validator};
use orderpath_carts::{CartStatus, Source};
use orderpath_offers::OfferStatus;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRequest {
    #[schema(min_length = 1, max_length = 500)]
    pub name: String,
    /// The customer's id in the ERP.
    pub external_id: Option<String>,
    /// ISO 4217; carts of this customer are in this currency.
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    pub email: Option<String>,
}

impl CustomerRequest {
    pub fn validate(&self) -> Result<CustomerDraft, orderpath_core::Error> {
        let mut v = Validator::new();
        let name = v.check("name", text(&self.name, 500));
        let currency = v.check("currency", validate_currency(&self.currency));
        let external_id = match &self.external_id {
            Some(id) => v.check("externalId", text(id, 200)).map(Some),
            None => Some(None),
        };
        let email = match &self.email {
            Some(e) if !e.contains('@') || e.trim().len() > 320 => {
                v.fail("email", "must be an e-mail address");
                None
            }
            Some(e) => Some(Some(e.trim().to_string())),
            None => Some(None),
        };
        v.finish(|| {
            Some(CustomerDraft {
                name: name?,
                external_id: external_id?,
                currency: currency?,
                email: email?,
            })
        })
    }
}

/// `?search=` of the customer list (its page is a `PageQuery`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListQuery {
    /// Only customers whose name, external id or email contains this text, in any
    /// letter case.
    pub search: Option<String>,
}

/// `?status=` of a customer's carts (with a page).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerCartsQuery {
    /// Only carts in this status.
    pub status: Option<CartStatus>,
}

/// `?status=` of a customer's offers (with a page).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerOffersQuery {
    /// Only offers in this status as they read now (an open offer past its `validUntil`
    /// is `EXPIRED`).
    pub status: Option<OfferStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivityRequest {
    pub source: Source,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityResponse {
    /// Whether this activity recorded `CLIENT_LOGGED` (first activity, or the first after
    /// the inactivity window).
    pub client_logged_emitted: bool,
}
