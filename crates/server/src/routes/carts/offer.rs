//! The offer made from a cart.

use actix_web::{post, HttpResponse};

use crate::api::body::Json;
use crate::api::call::{Answer, Staff};
use crate::api::error::Problem;
use crate::api::ids::CartId;
use crate::routes::offers::bodies::{CreateOfferRequest, OfferResponse};

/// Make a `DRAFT` offer from the cart: lines, prices and flags copied.
#[utoipa::path(tag = "offers", request_body = CreateOfferRequest,
    params(("cartId" = uuid::Uuid, Path)),
    responses((status = 201, body = OfferResponse), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/carts/{cartId}/offer")]
pub async fn create_offer(call: Staff, cart_id: CartId, body: Json<CreateOfferRequest>) -> Answer {
    let (now, valid_until) = (call.now(), body.0.valid_until);
    let offer = call
        .write(move |conn| orderpath_offers::create_offer(conn, cart_id.0, valid_until, now))
        .await?;
    Ok(call.show(HttpResponse::Created(), &offer))
}
