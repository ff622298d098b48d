//! The delivery log of an endpoint, and replays.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use orderpath_webhooks::deliveries::DeliveryStatus;
use serde_json::json;

use crate::api::error::{ApiError, Problem};
use crate::api::ids::{path_uuid, WebhookId};
use crate::api::query::Query;
use crate::auth::{Caller, Role};
use crate::routes::common::PageResponse;
use crate::routes::webhooks::bodies::{DeliveryQuery, DeliveryResponse};
use crate::state::AppState;

/// An endpoint's deliveries, newest first, each with its attempts.
#[utoipa::path(tag = "webhooks",
    params(("webhookId" = uuid::Uuid, Path), DeliveryQuery),
    responses((status = 200, body = PageResponse<DeliveryResponse>), (status = 404, body = Problem)))]
#[get("/webhooks/{webhookId}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
    query: Query<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let status = query
        .status
        .as_deref()
        .map(str::parse::<DeliveryStatus>)
        .transpose()
        .map_err(|_| ApiError::bad_field("status", "must be PENDING, SUCCEEDED or FAILED"))?;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::deliveries::list_deliveries(
            conn,
            id.0,
            status,
            query.cursor.as_deref(),
            limit,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(page, DeliveryResponse::from)))
}

/// Schedule a new attempt of a delivery now, also of a `FAILED` one.
#[utoipa::path(tag = "webhooks",
    params(("webhookId" = uuid::Uuid, Path), ("deliveryId" = uuid::Uuid, Path)),
    responses((status = 202), (status = 404, body = Problem)))]
#[post("/webhooks/{webhookId}/deliveries/{deliveryId}/retry")]
pub async fn retry_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let delivery = path_uuid(&req, "deliveryId")?;
    orderpath_db::write(&state.pool, move |conn| {
        orderpath_webhooks::deliveries::retry_delivery(conn, id.0, delivery)
    })
    .await?;
    Ok(HttpResponse::Accepted()
        .json(json!({ "deliveryId": delivery, "status": DeliveryStatus::Pending })))
}
