//! Webhook configuration, test sends, the delivery log and replays. Backoffice tokens
//! only: endpoints carry credentials.

pub mod bodies;
pub mod deliveries;
pub mod samples;

use std::time::Duration;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use orderpath_core::Error;
use orderpath_webhooks::endpoints::Endpoint;
use orderpath_webhooks::url_safety::{parse_webhook_url, resolve_and_check};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::body::Json;
use crate::api::call::{Answer, Backoffice, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::WebhookId;
use crate::api::query::Query;
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

/// How long resolving a webhook's host may take when it is saved or tested.
pub(crate) const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Refuses URLs whose host resolves to a non-public address, unless the operator allows it,
/// and hosts that do not resolve within [`RESOLVE_TIMEOUT`] (422 on `url` either way).
pub(crate) async fn check_url_safety(state: &AppState, url: &str) -> Result<(), ApiError> {
    let parsed = parse_webhook_url(url).map_err(|e| Error::field("url", e.to_string()))?;
    let resolved = within(
        RESOLVE_TIMEOUT,
        resolve_and_check(&parsed, state.config.webhook_allow_private),
    )
    .await
    .ok_or_else(|| {
        Error::field(
            "url",
            format!(
                "the host did not resolve within {} seconds",
                RESOLVE_TIMEOUT.as_secs()
            ),
        )
    })?;
    resolved
        .map(drop)
        .map_err(|e| Error::UnsafeWebhookUrl(e.to_string()).into())
}

/// The output of `work`, or `None` when it takes longer than `limit`.
async fn within<T>(limit: Duration, work: impl std::future::Future<Output = T>) -> Option<T> {
    tokio::time::timeout(limit, work).await.ok()
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
pub async fn create_webhook(call: Backoffice, body: Json<WebhookRequest>) -> Answer {
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
pub async fn list_webhooks(call: Backoffice, Query(page): Query<PageQuery>) -> Answer {
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
pub async fn get_webhook(call: Backoffice, id: WebhookId) -> Answer {
    let endpoint = stored_endpoint(&call, id).await?;
    Ok(HttpResponse::Ok().json(WebhookResponse::from(&endpoint)))
}

/// Change an endpoint; absent fields stay as they are.
#[utoipa::path(tag = "webhooks", request_body = WebhookPatch,
    params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[patch("/webhooks/{webhookId}")]
pub async fn update_webhook(call: Backoffice, id: WebhookId, body: Json<WebhookPatch>) -> Answer {
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
pub async fn delete_webhook(call: Backoffice, id: WebhookId) -> Answer {
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
pub async fn rotate_secret(call: Backoffice, id: WebhookId, body: web::Bytes) -> Answer {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn work_past_its_time_limit_gives_nothing() {
        let never = std::future::pending::<()>();
        assert_eq!(within(Duration::from_millis(20), never).await, None);
        assert_eq!(within(Duration::from_secs(5), async { 7 }).await, Some(7));
    }
}
