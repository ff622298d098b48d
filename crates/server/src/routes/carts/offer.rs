//! The offer made from a cart.

use actix_web::{post, web, HttpResponse};

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CartId;
use crate::auth::Caller;
use crate::routes::offers::bodies::{CreateOfferRequest, OfferResponse};
use crate::routes::offers::offer_response;
use crate::state::AppState;

/// Make a `DRAFT` offer from the cart: lines, prices and flags copied.
#[utoipa::path(tag = "offers", request_body = CreateOfferRequest,
    params(("cartId" = uuid::Uuid, Path)),
    responses((status = 201, body = OfferResponse), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/carts/{cartId}/offer")]
pub async fn create_offer(
    state: web::Data<AppState>,
    caller: Caller,
    cart_id: CartId,
    body: Json<CreateOfferRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let now = state.clock.now();
    let valid_until = body.0.valid_until;
    let offer = orderpath_db::write(&state.pool, move |conn| {
        orderpath_offers::create_offer(conn, cart_id.0, valid_until, now)
    })
    .await?;
    Ok(offer_response(HttpResponse::Created(), &offer, &caller))
}
