//! Webhook configuration, test sends, the delivery log and replays. Backoffice tokens
//! only: endpoints carry credentials.

pub mod bodies;
pub mod deliveries;
pub mod samples;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use orderpath_core::Error;
use orderpath_webhooks::endpoints::Endpoint;
use orderpath_webhooks::url_safety::{parse_webhook_url, resolve_and_check};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::body::Json;
use crate::api::call::{Answer, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::WebhookId;
use crate::api::query::Query;
use crate::auth::Role;
use crate::routes::common::{PageQuery, PageResponse};
use crate::state::AppState;
use bodies::{
    RotateSecretRequest, RotatedSecretResponse, WebhookPatch, WebhookRequest, WebhookResponse,
};

/// Registers every route below `/webhooks`, and `/webhook-event-types`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_webhook)
        .service(list_webhooks)
        .service(samples::test_new_webhook)
        .service(samples::list_event_types)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(samples::test_saved_webhook)
        .service(rotate_secret)
        .service(deliveries::list_deliveries)
        .service(deliveries::retry_delivery);
}

/// Refuses URLs whose host resolves to a non-public address, unless the operator allows it.
pub(crate) async fn check_url_safety(state: &AppState, url: &str) -> Result<(), ApiError> {
    let parsed = parse_webhook_url(url).map_err(|e| Error::field("url", e.to_string()))?;
    resolve_and_check(&parsed, state.config.webhook_allow_private)
        .await
        .map(drop)
        .map_err(|e| Error::UnsafeWebhookUrl(e.to_string()).into())
}

/// Endpoint `id` as stored.
pub(crate) async fn stored_endpoint(call: &Call, id: WebhookId) -> Result<Endpoint, ApiError> {
    call.read(move |conn| orderpath_webhooks::endpoints::get_endpoint(conn, id.0))
        .await
}

/// Create an endpoint.
#[utoipa::path(tag = "webhooks", request_body = WebhookRequest,
    responses((status = 201, body = WebhookResponse), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/webhooks")]
pub async fn create_webhook(call: Call, body: Json<WebhookRequest>) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    let draft = body.0.validate()?;
    check_url_safety(&call.state, &draft.url).await?;
    let now = call.now();
    let endpoint = call
        .write(move |conn| orderpath_webhooks::endpoints::create_endpoint(conn, &draft, now))
        .await?;
    Ok(HttpResponse::Created().json(WebhookResponse::from(&endpoint)))
}

/// Endpoints, oldest first.
#[utoipa::path(tag = "webhooks", params(PageQuery),
    responses((status = 200, body = PageResponse<WebhookResponse>), (status = 403, body = Problem)))]
#[get("/webhooks")]
pub async fn list_webhooks(call: Call, Query(page): Query<PageQuery>) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    let limit = orderpath_core::page::limit(page.limit)?;
    let cursor = page.cursor;
    let endpoints = call
        .read(move |conn| {
            orderpath_webhooks::endpoints::list_endpoints(conn, cursor.as_deref(), limit)
        })
        .await?;
    Ok(
        HttpResponse::Ok().json(PageResponse::from_page(endpoints, |endpoint| {
            WebhookResponse::from(&endpoint)
        })),
    )
}

#[utoipa::path(tag = "webhooks", params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 404, body = Problem)))]
#[get("/webhooks/{webhookId}")]
pub async fn get_webhook(call: Call, id: WebhookId) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    let endpoint = stored_endpoint(&call, id).await?;
    Ok(HttpResponse::Ok().json(WebhookResponse::from(&endpoint)))
}

/// Change an endpoint; absent fields stay as they are.
#[utoipa::path(tag = "webhooks", request_body = WebhookPatch,
    params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[patch("/webhooks/{webhookId}")]
pub async fn update_webhook(call: Call, id: WebhookId, body: Json<WebhookPatch>) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    let current = stored_endpoint(&call, id).await?;
    let draft = WebhookRequest::patched(&current, body.0).validate()?;
    if draft.url != current.draft.url {
        check_url_safety(&call.state, &draft.url).await?;
    }
    let now = call.now();
    let endpoint = call
        .write(move |conn| orderpath_webhooks::endpoints::update_endpoint(conn, id.0, &draft, now))
        .await?;
    Ok(HttpResponse::Ok().json(WebhookResponse::from(&endpoint)))
}

/// Delete an endpoint with its delivery log.
#[utoipa::path(tag = "webhooks", params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
#[delete("/webhooks/{webhookId}")]
pub async fn delete_webhook(call: Call, id: WebhookId) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    call.write(move |conn| orderpath_webhooks::endpoints::delete_endpoint(conn, id.0))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace the signing secret with a new one, made here or given. The answer shows it this
/// once. The replaced secret keeps signing every request next to the new one for 24 hours
/// (`webhook-signature: v1,<new> v1,<old>`), so receivers can switch without losing a
/// delivery; an endpoint without a secret gets one. The body may be empty.
#[utoipa::path(tag = "webhooks", request_body = RotateSecretRequest,
    params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 200, body = RotatedSecretResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/webhooks/{webhookId}/secret/rotate")]
pub async fn rotate_secret(call: Call, id: WebhookId, body: web::Bytes) -> Answer {
    call.caller.require(&[Role::Backoffice])?;
    let request: RotateSecretRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RotateSecretRequest::default()
    } else {
        crate::api::body::parse(&body)?
    };
    let secret = request.secret()?.to_string();
    let (now, overlap) = (call.now(), call.state.config.webhook_secret_overlap);
    let endpoint = call
        .write({
            let secret = secret.clone();
            move |conn| {
                orderpath_webhooks::endpoints::rotate_secret(conn, id.0, &secret, now, overlap)
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(RotatedSecretResponse {
        signing_secret: secret,
        previous_secret_expires_at: endpoint.previous_secret.map(|p| p.expires_at),
    }))
}
