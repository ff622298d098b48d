//! Cable products cut to length and wound on drums: adding configured products to a cart,
//! and the cable calculator that proposes the drums.

use actix_web::{post, HttpResponse};
use orderpath_carts::CableRequest;

use crate::api::body::Json;
use crate::api::call::{Answer, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CartId;
use crate::api::if_match::IfMatch;
use crate::routes::carts::bodies::configurable::{
    AddConfigurableProductsRequest, CableCalculatorRequest, CableCalculatorResponse,
};
use crate::routes::carts::bodies::CartResponse;

/// Add configured products, each as a parent line followed by its child lines, in one
/// transaction: one invalid item rejects the whole request. Never merges lines.
#[utoipa::path(tag = "carts",
    request_body = AddConfigurableProductsRequest,
    params(("cartId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)))]
#[post("/carts/{cartId}/add-configurable-products")]
pub async fn add_configurable_products(
    call: Call,
    cart_id: CartId,
    if_match: IfMatch,
    body: Json<AddConfigurableProductsRequest>,
) -> Answer {
    let items = body.0.into_domain();
    let (scope, now) = (call.scope(), call.now());
    let cart = call
        .write(move |conn| {
            let cart = cart_id.0;
            orderpath_carts::add_configurable_products(conn, cart, scope, if_match.0, &items, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &cart))
}

/// Propose the cheapest drums for cuts of a cable: per cut, the cheapest drum that carries
/// it; for a total length, the cheapest set of drums that covers it (fewer drums on a tie).
#[utoipa::path(tag = "carts", request_body = CableCalculatorRequest,
    responses((status = 200, body = CableCalculatorResponse), (status = 422, body = Problem)))]
#[post("/cable-calculator")]
pub async fn cable_calculator(call: Call, body: Json<CableCalculatorRequest>) -> Answer {
    let request = body.0;
    let wanted = match (request.cuts, request.total_length) {
        (Some(cuts), None) if !cuts.is_empty() => {
            CableRequest::Cuts(cuts.into_iter().map(|c| c.0).collect())
        }
        (Some(_), None) => return Err(field("cuts", "needs at least one length")),
        (None, Some(total)) => CableRequest::TotalLength(total.0),
        _ => {
            return Err(field(
                "cuts",
                "send either cuts or totalLength, not both or neither",
            ))
        }
    };
    let cable = request.cable_product_id;
    let plan = call
        .read(move |conn| orderpath_carts::cable_calculator(conn, cable, &wanted))
        .await?;
    Ok(HttpResponse::Ok().json(CableCalculatorResponse::new(cable, &plan)))
}

fn field(name: impl Into<String>, message: impl Into<String>) -> ApiError {
    orderpath_core::Error::field(name, message).into()
}
