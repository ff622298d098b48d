//! Carts and everything below `/carts/{cartId}`: the cart and its lines here, configured
//! products and the cable calculator in `configurable`, the offer made from a cart in
//! `offer`, and the shipment plan and order placed from it in `order`.

pub mod bodies;
pub mod configurable;
pub mod offer;
pub mod order;

use actix_web::{delete, get, patch, post, HttpResponse};

use crate::api::body::Json;
use crate::api::call::{Answer, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::{CartId, LineId};
use crate::api::if_match::IfMatch;
use crate::render_cache::Stamp;
use crate::routes::price_edits;
use crate::routes::rendered::read_rendered;
use bodies::{
    AddProductRequest, CartResponse, ChangeQuantityRequest, CreateCartRequest, OpenCartRequest,
};
use orderpath_carts::NewCart;
use orderpath_core::Error;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every route below `/carts` (and the cable calculator, which serves carts).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_cart)
        .service(get_cart)
        .service(open_cart)
        .service(add_product)
        .service(configurable::add_configurable_products)
        .service(configurable::cable_calculator)
        .service(change_line_quantity)
        .service(delete_line)
        .service(offer::create_offer)
        .service(order::shipment_plan)
        .service(order::place_order)
        .configure(price_edits::configure_for_carts);
}

/// Create a cart (the backoffice "New sale"); records `CART_OPENED`.
#[utoipa::path(tag = "carts", request_body = CreateCartRequest,
    responses((status = 201, body = CartResponse), (status = 422, body = Problem), (status = 403, body = Problem)))]
#[post("/carts")]
pub async fn create_cart(call: Call, body: Json<CreateCartRequest>) -> Answer {
    let body = body.0;
    if call.scope().is_some_and(|c| c != body.customer_id) {
        return Err(ApiError::Forbidden(
            "a customer token may only create its own carts".into(),
        ));
    }
    let asked = NewCart {
        customer_id: body.customer_id,
        source: body.source,
        user_id: call.caller.0.id,
        now: call.now(),
    };
    // Written together with the other carts asked for at the same time.
    let cart = call
        .write_batched(&call.state.new_carts, asked)
        .await?
        .ok_or_else(|| Error::field("customerId", "unknown customer"))?;
    Ok(call.show(HttpResponse::Created(), &cart))
}

/// Read a cart. Records no event.
#[utoipa::path(tag = "carts",
    params(("cartId" = uuid::Uuid, Path)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem)))]
#[get("/carts/{cartId}")]
pub async fn get_cart(call: Call, cart_id: CartId) -> Answer {
    // Through the render cache: a cart's stamp is its version and the catalog's shown
    // version (live prices and names), read in one statement, and loaded with the cart.
    let (id, scope) = (cart_id.0, call.scope());
    read_rendered(
        &call,
        id,
        None,
        move |conn| Ok(Stamp::Cart(orderpath_carts::cart_stamp(conn, id, scope)?)),
        move |conn| {
            let (cart, stamp) = orderpath_carts::get_stamped_cart(conn, id, scope)?;
            Ok((cart, Stamp::Cart(stamp)))
        },
    )
    .await
}

/// The cart was opened (the customer pressed the cart button): returns it and records
/// `CART_OPENED`.
#[utoipa::path(tag = "carts", request_body = OpenCartRequest,
    params(("cartId" = uuid::Uuid, Path)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem)))]
#[post("/carts/{cartId}/open")]
pub async fn open_cart(call: Call, cart_id: CartId, body: Json<OpenCartRequest>) -> Answer {
    let (scope, now, source) = (call.scope(), call.now(), body.0.source);
    let user = call.caller.0.id;
    let cart = call
        .write(move |conn| orderpath_carts::open_cart(conn, cart_id.0, scope, source, user, now))
        .await?;
    Ok(call.show(HttpResponse::Ok(), &cart))
}

/// Add a product. With default flags it merges into an existing plain line of the product.
#[utoipa::path(tag = "carts", request_body = AddProductRequest,
    params(("cartId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)))]
#[post("/carts/{cartId}/products")]
pub async fn add_product(
    call: Call,
    cart_id: CartId,
    if_match: IfMatch,
    body: Json<AddProductRequest>,
) -> Answer {
    let line = body.0.validate()?;
    let (scope, now) = (call.scope(), call.now());
    let (id, expected) = (cart_id.0, if_match.0);
    // A new line this instance can add from what it keeps goes with the others waiting.
    let kept = orderpath_carts::kept_add(id, scope, expected, &line, now);
    if let Some(kept) = kept {
        if let Some(cart) = call.write_batched(&call.state.kept_adds, kept).await? {
            return Ok(call.show(HttpResponse::Ok(), &cart));
        }
        // The cart or the product changed meanwhile: nothing was written, and the add is
        // made as any other, from what the database holds.
    }
    // Without a transaction around it: the add opens one only when it must lock the cart.
    let cart = call
        .write_statement(move |conn| {
            orderpath_carts::add_product(conn, id, scope, expected, line, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &cart))
}

/// Change a line's quantity; 409 `QUANTITY_CHANGE_NOT_ALLOWED` when the line forbids it.
#[utoipa::path(tag = "carts", request_body = ChangeQuantityRequest,
    params(("cartId" = uuid::Uuid, Path), ("lineId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)))]
#[patch("/carts/{cartId}/lines/{lineId}")]
pub async fn change_line_quantity(
    call: Call,
    (cart_id, line_id): (CartId, LineId),
    if_match: IfMatch,
    body: Json<ChangeQuantityRequest>,
) -> Answer {
    let quantity = body.0.validate()?;
    let (scope, now) = (call.scope(), call.now());
    let cart = call
        .write(move |conn| {
            let (cart, line) = (cart_id.0, line_id.0);
            orderpath_carts::change_quantity(conn, cart, line, scope, if_match.0, quantity, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &cart))
}

/// Delete a line and its child lines; 409 `LINE_NOT_REMOVABLE` when the line forbids it.
#[utoipa::path(tag = "carts",
    params(("cartId" = uuid::Uuid, Path), ("lineId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem)))]
#[delete("/carts/{cartId}/lines/{lineId}")]
pub async fn delete_line(
    call: Call,
    (cart_id, line_id): (CartId, LineId),
    if_match: IfMatch,
) -> Answer {
    let (scope, now) = (call.scope(), call.now());
    let cart = call
        .write(move |conn| {
            orderpath_carts::delete_line(conn, cart_id.0, line_id.0, scope, if_match.0, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &cart))
}
