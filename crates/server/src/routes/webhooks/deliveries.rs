//! The delivery log of an endpoint, and replays.

use actix_web::{get, post, HttpRequest, HttpResponse};
use orderpath_webhooks::deliveries::DeliveryStatus;
use serde_json::json;

use crate::api::call::{Answer, Backoffice};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::{path_uuid, WebhookId};
use crate::routes::common::{Listing, PageQuery, PageResponse};
use crate::routes::webhooks::bodies::{DeliveryQuery, DeliveryResponse};

/// An endpoint's deliveries, newest first, each with its attempts.
#[utoipa::path(tag = "webhooks",
    params(("webhookId" = uuid::Uuid, Path), DeliveryQuery, PageQuery),
    responses((status = 200, body = PageResponse<DeliveryResponse>), (status = 404, body = Problem)))]
#[get("/webhooks/{webhookId}/deliveries")]
pub async fn list_deliveries(
    call: Backoffice,
    id: WebhookId,
    Listing(query, page): Listing<DeliveryQuery>,
) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let status = query
        .status
        .as_deref()
        .map(str::parse::<DeliveryStatus>)
        .transpose()
        .map_err(|_| ApiError::bad_field("status", "must be PENDING, SUCCEEDED or FAILED"))?;
    let deliveries = call
        .read(move |conn| {
            let cursor = page.cursor.as_deref();
            orderpath_webhooks::deliveries::list_deliveries(conn, id.0, status, cursor, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(deliveries, DeliveryResponse::from)))
}

/// Schedule a new attempt of a delivery now, also of a `FAILED` one.
#[utoipa::path(tag = "webhooks",
    params(("webhookId" = uuid::Uuid, Path), ("deliveryId" = uuid::Uuid, Path)),
    responses((status = 202), (status = 404, body = Problem)))]
#[post("/webhooks/{webhookId}/deliveries/{deliveryId}/retry")]
pub async fn retry_delivery(call: Backoffice, id: WebhookId, req: HttpRequest) -> Answer {
    let delivery = path_uuid(&req, "deliveryId")?;
    call.write(move |conn| orderpath_webhooks::deliveries::retry_delivery(conn, id.0, delivery))
        .await?;
    Ok(HttpResponse::Accepted()
        .json(json!({ "deliveryId": delivery, "status": DeliveryStatus::Pending })))
}
