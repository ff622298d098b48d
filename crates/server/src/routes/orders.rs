//! Orders and their shipments: reading orders and shipping a ready shipment. Orders are
//! placed from a cart, so that route lives with the cart's (`carts::order`).

pub mod bodies;

use actix_web::{get, post, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::call::{Answer, Call, Staff};
use crate::api::error::Problem;
use crate::api::ids::{path_uuid, OrderId};
use crate::render_cache::Stamp;
use crate::routes::common::{Listing, PageQuery, PageResponse};
use crate::routes::rendered::read_rendered;
use bodies::{OrderListQuery, OrderResponse};

/// Registers every route below `/orders`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_orders)
        .service(get_order)
        .service(ship_shipment);
}

#[utoipa::path(tag = "orders", params(("orderId" = uuid::Uuid, Path)),
    responses((status = 200, body = OrderResponse), (status = 404, body = Problem)))]
#[get("/orders/{orderId}")]
pub async fn get_order(call: Call, order_id: OrderId) -> Answer {
    // Through the render cache: an order's stamp is its version.
    let (id, scope) = (order_id.0, call.scope());
    read_rendered(
        &call,
        id,
        None,
        move |conn| {
            let version = orderpath_orders::order_version(conn, id, scope)?;
            Ok(Stamp::Order { version })
        },
        move |conn| {
            let order = orderpath_orders::get_order_snapshot(conn, id, scope)?;
            let version = order.version;
            Ok((order, Stamp::Order { version }))
        },
    )
    .await
}

/// Orders, newest first.
#[utoipa::path(tag = "orders", params(OrderListQuery, PageQuery),
    responses((status = 200, body = PageResponse<OrderResponse>), (status = 400, body = Problem)))]
#[get("/orders")]
pub async fn list_orders(call: Call, Listing(query, page): Listing<OrderListQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let customer = call.caller.customer_filter(query.customer_id)?;
    let orders = call
        .read(move |conn| {
            orderpath_orders::list_orders(conn, customer, page.cursor.as_deref(), limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::shown(
        orders,
        call.staff(),
        OrderResponse::new,
    )))
}

/// Mark a ready shipment shipped: on-hand stock and the reservation drop by its quantities.
#[utoipa::path(tag = "orders",
    params(("orderId" = uuid::Uuid, Path), ("shipmentId" = uuid::Uuid, Path)),
    responses((status = 200, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/orders/{orderId}/shipments/{shipmentId}/ship")]
pub async fn ship_shipment(call: Staff, order_id: OrderId, req: actix_web::HttpRequest) -> Answer {
    let shipment_id = path_uuid(&req, "shipmentId")?;
    let now = call.now();
    let order = call
        .write(move |conn| orderpath_orders::ship_shipment(conn, order_id.0, shipment_id, now))
        .await?;
    Ok(call.show(HttpResponse::Ok(), &order))
}
