//! The delivery log of an endpoint, and replays.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_core::events::EventType;
use orderpath_webhooks::deliveries::DeliveryStatus;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::error::{ApiError, Problem};
use crate::api::ids::{path_uuid, WebhookId};
use crate::api::query::Query;
use crate::auth::{Caller, Role};
use crate::routes::common::PageResponse;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `PENDING`, `SUCCEEDED` or `FAILED`.
    pub status: Option<String>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttemptResponse {
    pub attempted_at: DateTime<Utc>,
    pub succeeded: bool,
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryResponse {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    pub attempt_count: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub attempts: Vec<AttemptResponse>,
}

/// An endpoint's deliveries, newest first, each with its attempts.
#[utoipa::path(get, path = "/webhooks/{webhookId}/deliveries", tag = "webhooks",
    params(("webhookId" = Uuid, Path), DeliveryQuery),
    responses((status = 200, body = PageResponse<DeliveryResponse>), (status = 404, body = Problem)),
    security(("bearer" = [])))]
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
    let items = page
        .items
        .into_iter()
        .map(|log| DeliveryResponse {
            id: log.delivery.id,
            event_id: log.delivery.event_id,
            event_type: log.event_type,
            next_attempt_at: (log.delivery.status == DeliveryStatus::Pending)
                .then_some(log.delivery.next_attempt_at),
            status: log.delivery.status,
            attempt_count: log.delivery.attempts,
            created_at: log.delivery.created_at,
            updated_at: log.delivery.updated_at,
            attempts: log
                .attempts
                .into_iter()
                .map(|a| AttemptResponse {
                    attempted_at: a.attempted_at,
                    succeeded: a.succeeded,
                    status_code: a.status_code,
                    duration_ms: a.duration_ms,
                    response_body: a.response_body,
                    error: a.error,
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(PageResponse {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// Schedule a new attempt of a delivery now, also of a `FAILED` one.
#[utoipa::path(post, path = "/webhooks/{webhookId}/deliveries/{deliveryId}/retry", tag = "webhooks",
    params(("webhookId" = Uuid, Path), ("deliveryId" = Uuid, Path)),
    responses((status = 202), (status = 404, body = Problem)),
    security(("bearer" = [])))]
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
