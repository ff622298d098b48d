//! The order placed from an accepted offer.

use actix_web::{post, HttpResponse};

use crate::api::call::{Answer, Call};
use crate::api::error::Problem;
use crate::api::ids::OfferId;
use crate::api::if_match::IfMatch;
use crate::routes::orders::bodies::OrderResponse;

/// Place the order from an `ACCEPTED` offer whose `validUntil` has not passed: its lines,
/// prices and parent/child links are copied, shipments planned against stock and ready
/// quantities reserved as for a cart; the offer becomes `ORDERED`. Records `ORDER_PLACED`
/// with the `offerId`. An offer is ordered once (409 `INVALID_STATUS_TRANSITION`).
#[utoipa::path(tag = "orders",
    params(("offerId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 201, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem)))]
#[post("/offers/{offerId}/order")]
pub async fn place_order_from_offer(call: Call, offer_id: OfferId, if_match: IfMatch) -> Answer {
    let (scope, now) = (call.scope(), call.now());
    let order = call
        .write(move |conn| {
            orderpath_orders::place_order_from_offer(conn, offer_id.0, scope, if_match.0, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Created(), &order))
}
