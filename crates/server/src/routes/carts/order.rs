//! The shipment plan of a cart, and the order placed from it.

use actix_web::{get, post, HttpResponse};

use crate::api::call::{Answer, Call};
use crate::api::error::Problem;
use crate::api::ids::CartId;
use crate::api::if_match::IfMatch;
use crate::routes::orders::bodies::{OrderResponse, ShipmentPlanResponse, ShipmentResponse};

/// What placing the order now would do, changing nothing.
#[utoipa::path(tag = "orders", params(("cartId" = uuid::Uuid, Path)),
    responses((status = 200, body = ShipmentPlanResponse), (status = 404, body = Problem)))]
#[get("/carts/{cartId}/shipment-plan")]
pub async fn shipment_plan(call: Call, cart_id: CartId) -> Answer {
    let scope = call.scope();
    let plan = call
        .read(move |conn| orderpath_orders::shipment_plan(conn, cart_id.0, scope))
        .await?;
    Ok(HttpResponse::Ok().json(ShipmentPlanResponse {
        shipments: plan.iter().map(ShipmentResponse::from).collect(),
    }))
}

/// Place the order: the cart becomes `ORDERED`, shipments are planned against stock and
/// ready quantities reserved. Records `ORDER_PLACED`.
#[utoipa::path(tag = "orders",
    params(("cartId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 201, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)))]
#[post("/carts/{cartId}/order")]
pub async fn place_order(call: Call, cart_id: CartId, if_match: IfMatch) -> Answer {
    let (scope, now) = (call.scope(), call.now());
    let order = call
        .write(move |conn| orderpath_orders::place_order(conn, cart_id.0, scope, if_match.0, now))
        .await?;
    Ok(call.show(HttpResponse::Created(), &order))
}
