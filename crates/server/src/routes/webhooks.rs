//! Webhook configuration, test sends, the delivery log and replays (SPEC section 10).
//! Backoffice tokens only: endpoints carry credentials.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_core::events::EventType;
use orderpath_core::Error;
use orderpath_webhooks::endpoints::{Auth, Endpoint, EndpointDraft};
use orderpath_webhooks::payload::WebhookMessage;
use orderpath_webhooks::sender::{Outcome, Target};
use orderpath_webhooks::signing::SigningSecret;
use orderpath_webhooks::url_safety::{parse_webhook_url, resolve_and_check};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::{path_uuid, WebhookId};
use crate::api::query::Query;
use crate::api::validate::{text, Validator};
use crate::app::resource;
use crate::auth::{Caller, Role};
use crate::routes::common::PageResponse;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/webhooks")
            .post(create_webhook)
            .get(list_webhooks),
    )
    .service(resource("/webhooks/test").post(test_new_webhook))
    .service(resource("/webhook-event-types").get(list_event_types))
    .service(
        resource("/webhooks/{webhookId}")
            .get(get_webhook)
            .patch(update_webhook)
            .delete(delete_webhook),
    )
    .service(resource("/webhooks/{webhookId}/test").post(test_saved_webhook))
    .service(resource("/webhooks/{webhookId}/deliveries").get(list_deliveries))
    .service(resource("/webhooks/{webhookId}/deliveries/{deliveryId}/retry").post(retry_delivery));
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebhookStatusBody {
    Active,
    Inactive,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthTypeBody {
    None,
    HttpBasic,
}

/// An endpoint's configuration. `HTTP_BASIC` needs `username` and `password`;
/// `signingSecret` (`whsec_` + base64) signs every request when set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    pub name: String,
    pub status: WebhookStatusBody,
    /// One of `GET /webhook-event-types`, e.g. `CART_OPENED`.
    pub event: String,
    /// Absolute `http` or `https` URL of a public host.
    pub url: String,
    pub auth_type: AuthTypeBody,
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
}

/// A partial change; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPatch {
    pub name: Option<String>,
    pub status: Option<WebhookStatusBody>,
    pub event: Option<String>,
    pub url: Option<String>,
    pub auth_type: Option<AuthTypeBody>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
}

/// An endpoint as shown: secrets are never returned, only whether they are set.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookResponse {
    pub id: Uuid,
    pub name: String,
    pub status: WebhookStatusBody,
    pub event: String,
    pub url: String,
    pub auth_type: AuthTypeBody,
    pub username: Option<String>,
    pub password_set: bool,
    pub signing_secret_set: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Endpoint> for WebhookResponse {
    fn from(e: &Endpoint) -> Self {
        let (auth_type, username, password_set) = match &e.draft.auth {
            Auth::None => (AuthTypeBody::None, None, false),
            Auth::Basic { username, .. } => (AuthTypeBody::HttpBasic, Some(username.clone()), true),
        };
        WebhookResponse {
            id: e.id,
            name: e.draft.name.clone(),
            status: if e.draft.active {
                WebhookStatusBody::Active
            } else {
                WebhookStatusBody::Inactive
            },
            event: e.draft.event_type.as_str().to_string(),
            url: e.draft.url.clone(),
            auth_type,
            username,
            password_set,
            signing_secret_set: e.draft.signing_secret.is_some(),
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

impl WebhookRequest {
    fn validate(&self) -> Result<EndpointDraft, Error> {
        let mut v = Validator::new();
        let name = v.check("name", text(&self.name, 200));
        let event_type = v.check(
            "event",
            EventType::parse(&self.event).ok_or_else(|| {
                let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "\"{}\" is not an event type; use one of {}",
                    self.event,
                    known.join(", ")
                )
            }),
        );
        let url = v.check(
            "url",
            parse_webhook_url(&self.url)
                .map(|u| u.to_string())
                .map_err(|e| e.to_string()),
        );
        let auth = match self.auth_type {
            AuthTypeBody::None => Some(Auth::None),
            AuthTypeBody::HttpBasic => {
                let username = v.check("username", required(&self.username, 200));
                let password = v.check("password", required(&self.password, 200));
                match (username, password) {
                    (Some(username), Some(password)) => Some(Auth::Basic { username, password }),
                    _ => None,
                }
            }
        };
        let signing_secret = match self
            .signing_secret
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            None => Some(None),
            Some(secret) => v
                .check(
                    "signingSecret",
                    SigningSecret::parse(secret.trim()).map_err(|e| e.to_string()),
                )
                .map(|s| Some(s.to_string())),
        };
        v.finish(|| {
            Some(EndpointDraft {
                name: name?,
                active: self.status == WebhookStatusBody::Active,
                event_type: event_type?,
                url: url?,
                auth: auth?,
                signing_secret: signing_secret?,
            })
        })
    }

    /// The request that results from applying `patch` to the endpoint as it is. Keeping a
    /// stored password or secret needs no resending.
    fn patched(current: &Endpoint, patch: WebhookPatch) -> Self {
        let d = &current.draft;
        let (auth_type, username, password) = match &d.auth {
            Auth::None => (AuthTypeBody::None, None, None),
            Auth::Basic { username, password } => (
                AuthTypeBody::HttpBasic,
                Some(username.clone()),
                Some(password.clone()),
            ),
        };
        WebhookRequest {
            name: patch.name.unwrap_or_else(|| d.name.clone()),
            status: patch.status.unwrap_or(if d.active {
                WebhookStatusBody::Active
            } else {
                WebhookStatusBody::Inactive
            }),
            event: patch
                .event
                .unwrap_or_else(|| d.event_type.as_str().to_string()),
            url: patch.url.unwrap_or_else(|| d.url.clone()),
            auth_type: patch.auth_type.unwrap_or(auth_type),
            username: patch.username.or(username),
            password: patch.password.or(password),
            signing_secret: patch.signing_secret.or_else(|| d.signing_secret.clone()),
        }
    }
}

fn required(value: &Option<String>, max: usize) -> Result<String, String> {
    match value {
        Some(v) => text(v, max),
        None => Err("is required for HTTP_BASIC".into()),
    }
}

/// Refuses URLs whose host resolves to a non-public address, unless the operator allows it.
async fn check_url_safety(state: &AppState, url: &str) -> Result<(), ApiError> {
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

/// What a test send did. A refused connection, a timeout or a 401 from the receiver is an
/// answer (`delivered: false` with the reason), not an error of this service.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestSendResponse {
    pub delivered: bool,
    pub status_code: Option<u16>,
    pub duration_ms: u64,
    /// The first KiB of the receiver's answer.
    pub response_body: Option<String>,
    pub error: Option<String>,
}

impl From<Outcome> for TestSendResponse {
    fn from(o: Outcome) -> Self {
        TestSendResponse {
            delivered: o.delivered,
            status_code: o.status_code,
            duration_ms: o.duration_ms,
            response_body: o.response_body,
            error: o.error,
        }
    }
}

async fn send_sample(state: &AppState, draft: &EndpointDraft) -> Result<HttpResponse, ApiError> {
    check_url_safety(state, &draft.url).await?;
    let message = WebhookMessage {
        id: Uuid::new_v4(),
        event_type: draft.event_type.as_str().to_string(),
        occurred_at: Utc::now(),
        data: sample_data(draft.event_type),
    };
    let target = Target {
        url: draft.url.clone(),
        auth: draft.auth.clone(),
        signing_secret: draft.signing_secret.clone(),
    };
    let outcome = state.webhook_sender.send(&target, &message).await;
    Ok(HttpResponse::Ok().json(TestSendResponse::from(outcome)))
}

/// Send one sample event of the configured type now, before saving the endpoint.
#[utoipa::path(post, path = "/webhooks/test", tag = "webhooks", request_body = WebhookRequest,
    responses((status = 200, body = TestSendResponse), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn test_new_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<WebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let draft = body.0.validate()?;
    send_sample(&state, &draft).await
}

/// Send one sample event to a saved endpoint now.
#[utoipa::path(post, path = "/webhooks/{webhookId}/test", tag = "webhooks", params(("webhookId" = Uuid, Path)),
    responses((status = 200, body = TestSendResponse), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn test_saved_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: WebhookId,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Backoffice])?;
    let endpoint = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::endpoints::get_endpoint(conn, id.0)
    })
    .await?;
    send_sample(&state, &endpoint.draft).await
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeResponse {
    #[serde(rename = "type")]
    pub event_type: String,
    pub description: String,
    /// A body as receivers get it.
    #[schema(value_type = Object)]
    pub sample_payload: serde_json::Value,
}

fn description(t: EventType) -> &'static str {
    match t {
        EventType::CartOpened => "A cart was opened: created in the backoffice (\"New sale\") or opened by the customer in the online store.",
        EventType::ClientLogged => "A customer became active after 30 minutes without activity (or for the first time).",
        EventType::OfferOpened => "A backoffice user entered the view of an offer other than the one they opened last.",
        EventType::OrderPlaced => "An order was placed from a cart.",
        EventType::ShipmentReady => "A shipment that waited for stock became ready after a stock rise.",
    }
}

fn sample_data(t: EventType) -> serde_json::Value {
    let (customer, cart, offer, order) = (
        "6f0c2a52-7a3c-4c1e-9c43-5b1f2f0d7a11",
        "0e0c8a0e-3b58-4c1d-9a57-1b8e2d3f4a5b",
        "5d1c3b2a-8e7f-4a6b-9c0d-1e2f3a4b5c6d",
        "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    );
    match t {
        EventType::CartOpened => {
            json!({"customerId": customer, "cartId": cart, "source": "BACKOFFICE"})
        }
        EventType::ClientLogged => json!({"customerId": customer, "source": "OFE"}),
        EventType::OfferOpened => {
            json!({"customerId": customer, "offerId": offer, "userId": "2b3c4d5e-6f70-4182-9a3b-4c5d6e7f8091"})
        }
        EventType::OrderPlaced => json!({"customerId": customer, "orderId": order, "cartId": cart}),
        EventType::ShipmentReady => {
            json!({"customerId": customer, "orderId": order, "shipmentId": "7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e"})
        }
    }
}

/// The events an endpoint can subscribe to, each with a sample payload.
#[utoipa::path(get, path = "/webhook-event-types", tag = "webhooks",
    responses((status = 200, body = Vec<EventTypeResponse>)),
    security(("bearer" = [])))]
pub async fn list_event_types(caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let types: Vec<EventTypeResponse> = EventType::ALL
        .into_iter()
        .map(|t| EventTypeResponse {
            event_type: t.as_str().to_string(),
            description: description(t).to_string(),
            sample_payload: json!({
                "id": "1f0e2d3c-4b5a-4697-8877-665544332211",
                "type": t.as_str(),
                "occurredAt": "2026-11-28T10:15:30.123456Z",
                "data": sample_data(t),
            }),
        })
        .collect();
    Ok(HttpResponse::Ok().json(types))
}

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
    pub event_type: String,
    /// `PENDING`, `SUCCEEDED` or `FAILED`.
    pub status: String,
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
    if let Some(status) = query.status.as_deref() {
        if !["PENDING", "SUCCEEDED", "FAILED"].contains(&status) {
            return Err(ApiError::bad_field(
                "status",
                "must be PENDING, SUCCEEDED or FAILED",
            ));
        }
    }
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_webhooks::deliveries::list_deliveries(
            conn,
            id.0,
            query.status.as_deref(),
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
            next_attempt_at: (log.delivery.status == "PENDING")
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
    Ok(HttpResponse::Accepted().json(json!({ "deliveryId": delivery, "status": "PENDING" })))
}
