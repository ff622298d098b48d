//! The order placed from an accepted offer.

use actix_web::{post, web, HttpResponse};

use crate::api::error::{ApiError, Problem};
use crate::api::ids::OfferId;
use crate::api::if_match::IfMatch;
use crate::auth::Caller;
use crate::routes::orders::bodies::OrderResponse;
use crate::routes::orders::order_response;
use crate::state::AppState;

/// Place the order from an `ACCEPTED` offer whose `validUntil` has not passed: its lines,
/// prices and parent/child links are copied, shipments planned against stock and ready
/// quantities reserved as for a cart; the offer becomes `ORDERED`. Records `ORDER_PLACED`
/// with the `offerId`. An offer is ordered once (409 `INVALID_STATUS_TRANSITION`).
#[utoipa::path(tag = "orders",
    params(("offerId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 201, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem)))]
#[post("/offers/{offerId}/order")]
pub async fn place_order_from_offer(
    state: web::Data<AppState>,
    caller: Caller,
    offer_id: OfferId,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.customer_scope();
    let now = state.clock.now();
    let order = orderpath_db::write(&state.pool, move |conn| {
        orderpath_orders::place_order_from_offer(conn, offer_id.0, scope, if_match.0, now)
    })
    .await?;
    Ok(order_response(HttpResponse::Created(), &order, &caller))
}
