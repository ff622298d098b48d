//! Orders and shipments (SPEC section 9): the shipment plan of a cart, placing the order,
//! reading orders, and shipping a ready shipment.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_orders::{Order, Shipment, ShipmentStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::decimal::Plain;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::{path_uuid, CartId, OrderId};
use crate::api::if_match::{with_etag, IfMatch};
use crate::api::query::Query;
use crate::app::resource;
use crate::auth::Caller;
use crate::routes::carts::bodies::{LineResponse, TotalsResponse};
use crate::routes::common::PageResponse;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/carts/{cartId}/shipment-plan").get(shipment_plan))
        .service(resource("/carts/{cartId}/order").post(place_order))
        .service(resource("/orders").get(list_orders))
        .service(resource("/orders/{orderId}").get(get_order))
        .service(resource("/orders/{orderId}/shipments/{shipmentId}/ship").post(ship_shipment));
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentLineResponse {
    pub line_id: Uuid,
    #[schema(value_type = String, example = "200")]
    pub quantity: Plain,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentResponse {
    /// `null` in a plan: the shipment does not exist yet.
    pub id: Option<Uuid>,
    pub status: ShipmentStatus,
    pub lines: Vec<ShipmentLineResponse>,
}

impl From<&Shipment> for ShipmentResponse {
    fn from(s: &Shipment) -> Self {
        ShipmentResponse {
            id: s.id,
            status: s.status,
            lines: s
                .lines
                .iter()
                .map(|l| ShipmentLineResponse {
                    line_id: l.line_id,
                    quantity: Plain(l.quantity),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentPlanResponse {
    /// What placing the order now would do; line ids are the cart's.
    pub shipments: Vec<ShipmentResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    pub id: Uuid,
    /// Human-readable, unique and increasing.
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub currency: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<LineResponse>,
    pub totals: TotalsResponse,
    pub shipments: Vec<ShipmentResponse>,
}

impl OrderResponse {
    fn new(order: &Order, staff: bool) -> Self {
        OrderResponse {
            id: order.id,
            number: order.number.clone(),
            cart_id: order.cart_id,
            customer_id: order.customer_id,
            currency: order.currency.clone(),
            version: order.version,
            created_at: order.created_at,
            updated_at: order.updated_at,
            lines: order
                .lines
                .iter()
                .map(|l| LineResponse::new(l, staff))
                .collect(),
            totals: TotalsResponse::new(&order.totals, staff),
            shipments: order.shipments.iter().map(ShipmentResponse::from).collect(),
        }
    }
}

fn order_response(
    mut builder: actix_web::HttpResponseBuilder,
    order: &Order,
    caller: &Caller,
) -> HttpResponse {
    with_etag(&mut builder, order.version)
        .json(OrderResponse::new(order, caller.sees_purchase_prices()))
}

/// What placing the order now would do, changing nothing.
#[utoipa::path(get, path = "/carts/{cartId}/shipment-plan", tag = "orders", params(("cartId" = Uuid, Path)),
    responses((status = 200, body = ShipmentPlanResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn shipment_plan(
    state: web::Data<AppState>,
    caller: Caller,
    cart_id: CartId,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.customer_scope();
    let plan = orderpath_db::read(&state.pool, move |conn| {
        orderpath_orders::shipment_plan(conn, cart_id.0, scope)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ShipmentPlanResponse {
        shipments: plan.iter().map(ShipmentResponse::from).collect(),
    }))
}

/// Place the order: the cart becomes `ORDERED`, shipments are planned against stock and
/// ready quantities reserved. Records `ORDER_PLACED`.
#[utoipa::path(post, path = "/carts/{cartId}/order", tag = "orders",
    params(("cartId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 201, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn place_order(
    state: web::Data<AppState>,
    caller: Caller,
    cart_id: CartId,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.customer_scope();
    let now = state.clock.now();
    let order = orderpath_db::write(&state.pool, move |conn| {
        orderpath_orders::place_order(conn, cart_id.0, scope, if_match.0, now)
    })
    .await?;
    Ok(order_response(HttpResponse::Created(), &order, &caller))
}

#[utoipa::path(get, path = "/orders/{orderId}", tag = "orders", params(("orderId" = Uuid, Path)),
    responses((status = 200, body = OrderResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_order(
    state: web::Data<AppState>,
    caller: Caller,
    order_id: OrderId,
) -> Result<HttpResponse, ApiError> {
    let scope = caller.customer_scope();
    let order = orderpath_db::read(&state.pool, move |conn| {
        orderpath_orders::get_order(conn, order_id.0, scope)
    })
    .await?;
    Ok(order_response(HttpResponse::Ok(), &order, &caller))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OrderListQuery {
    /// Only this customer's orders.
    pub customer_id: Option<Uuid>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Orders, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", params(OrderListQuery),
    responses((status = 200, body = PageResponse<OrderResponse>), (status = 400, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_orders(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<OrderListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let customer = caller.customer_filter(query.customer_id)?;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_orders::list_orders(conn, customer, query.cursor.as_deref(), limit)
    })
    .await?;
    let staff = caller.sees_purchase_prices();
    Ok(HttpResponse::Ok().json(PageResponse {
        items: page
            .items
            .iter()
            .map(|o| OrderResponse::new(o, staff))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Mark a ready shipment shipped: on-hand stock and the reservation drop by its quantities.
#[utoipa::path(post, path = "/orders/{orderId}/shipments/{shipmentId}/ship", tag = "orders",
    params(("orderId" = Uuid, Path), ("shipmentId" = Uuid, Path)),
    responses((status = 200, body = OrderResponse), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
pub async fn ship_shipment(
    state: web::Data<AppState>,
    caller: Caller,
    order_id: OrderId,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let shipment_id = path_uuid(&req, "shipmentId")?;
    let now = state.clock.now();
    let order = orderpath_db::write(&state.pool, move |conn| {
        orderpath_orders::ship_shipment(conn, order_id.0, shipment_id, now)
    })
    .await?;
    Ok(order_response(HttpResponse::Ok(), &order, &caller))
}
