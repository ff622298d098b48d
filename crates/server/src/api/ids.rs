//! Typed path parameters. Each reads one named segment of the route and answers a bad
//! UUID with 400 naming that parameter, rather than a bare "invalid path".

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use uuid::Uuid;

use crate::api::error::ApiError;

/// Reads path segment `name` as a UUID.
pub fn path_uuid(req: &HttpRequest, name: &str) -> Result<Uuid, ApiError> {
    let raw = req.match_info().get(name).unwrap_or_default();
    Uuid::parse_str(raw).map_err(|_| ApiError::bad_field(name, format!("\"{raw}\" is not a UUID")))
}

macro_rules! path_id {
    ($(#[$doc:meta])* $name:ident, $segment:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name(pub Uuid);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Ready<Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(path_uuid(req, $segment).map($name))
            }
        }
    };
}

path_id!(
    /// `{productId}`
    ProductId,
    "productId"
);
path_id!(
    /// `{customerId}`
    CustomerId,
    "customerId"
);
path_id!(
    /// `{cartId}`
    CartId,
    "cartId"
);
path_id!(
    /// `{lineId}`
    LineId,
    "lineId"
);
path_id!(
    /// `{offerId}`
    OfferId,
    "offerId"
);
path_id!(
    /// `{orderId}`
    OrderId,
    "orderId"
);
path_id!(
    /// `{webhookId}`
    WebhookId,
    "webhookId"
);
path_id!(
    /// `{userId}`
    UserId,
    "userId"
);
path_id!(
    /// `{tokenId}`
    TokenId,
    "tokenId"
);
