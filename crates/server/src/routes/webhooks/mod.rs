//! Webhook configuration, test sends, the delivery log and replays (SPEC section 10).
//! Backoffice tokens only: endpoints carry credentials.

pub mod bodies;
pub mod deliveries;
pub mod samples;

use actix_web::{web, HttpResponse};
use orderpath_core::Error;
use orderpath_webhooks::url_safety::{parse_webhook_url, resolve_and_check};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::WebhookId;
use crate::api::query::Query;
use crate::app::resource;
use crate::auth::{Caller, Role};
use crate::routes::common::PageResponse;
use crate::state::AppState;
use bodies::{WebhookPatch, WebhookRequest, WebhookResponse};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/webhooks")
            .post(create_webhook)
            .get(list_webhooks),
    )
    .service(resource("/webhooks/test").post(samples::test_new_webhook))
    .service(resource("/webhook-event-types").get(samples::list_event_types))
    .service(
        resource("/webhooks/{webhookId}")
            .get(get_webhook)
            .patch(update_webhook)
            .delete(delete_webhook),
    )
    .service(resource("/webhooks/{webhookId}/test").post(samples::test_saved_webhook))
    .service(resource("/webhooks/{webhookId}/deliveries").get(deliveries::list_deliveries))
    .service(
        resource("/webhooks/{webhookId}/deliveries/{deliveryId}/retry")
            .post(deliveries::retry_delivery),
    );
}

/// Refuses URLs whose host resolves to a non-public address, unless the operator allows it.
pub(crate) async fn check_url_safety(state: &AppState, url: &str) -> Result<(), ApiError> {
    let parsed = parse_webhook_url(url).map_err(|e| Error::field("url", e.to_string()))?;
    resolve_and_check(&parsed, state.config.webhook_allow_private)
        .await
        .map(drop)
        .map_err(|e| Error::UnsafeWebhookUrl(e.to_string()).into())
}

/// Create an endpoint.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookRequest,
    responses((status = 201, body = WebhookResponse), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<WebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let draft = body.0.validate()?;
    check_url_safety(&state, &draft.url).await?;
    let now = state.clock.now();
    let endpoint = orderpath_db::write(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::create_endpoint(conn, &draft, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(WebhookResponse::from(&endpoint)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookListQuery {
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Endpoints, oldest first.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks", params(WebhookListQuery),
    responses((status = 200, body = PageResponse<WebhookResponse>), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<WebhookListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let limit = orderpath_core::page::limit(query.0.limit)?;
    let cursor = query.0.cursor;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::list_endpoints(conn, cursor.as_deref(), limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageResponse {
        items: page.items.iter().map(WebhookResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(get, path = "/webhooks/{webhookId}", tag = "webhooks", params(("webhookId" = Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let endpoint = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::get_endpoint(conn, id.0)
    })
    .await?;
    Ok(HttpResponse::Ok().json(WebhookResponse::from(&endpoint)))
}

/// Change an endpoint; absent fields stay as they are.
#[utoipa::path(patch, path = "/webhooks/{webhookId}", tag = "webhooks", request_body = WebhookPatch,
    params(("webhookId" = Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
    body: Json<WebhookPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let current = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::get_endpoint(conn, id.0)
    })
    .await?;
    let draft = WebhookRequest::patched(&current, body.0).validate()?;
    if draft.url != current.draft.url {
        check_url_safety(&state, &draft.url).await?;
    }
    let now = state.clock.now();
    let endpoint = orderpath_db::write(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::update_endpoint(conn, id.0, &draft, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(WebhookResponse::from(&endpoint)))
}

/// Delete an endpoint with its delivery log.
#[utoipa::path(delete, path = "/webhooks/{webhookId}", tag = "webhooks", params(("webhookId" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    orderpath_db::write(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::delete_endpoint(conn, id.0)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
