//! Test sends and the list of event types, each with a sample payload.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use orderpath_core::events::EventType;
use orderpath_webhooks::endpoints::EndpointDraft;
use orderpath_webhooks::payload::WebhookMessage;
use orderpath_webhooks::sender::{Outcome, Target};
use serde::Serialize;
use serde_json::json;
use strum::IntoEnumIterator;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::WebhookId;
use crate::auth::{Caller, Role};
use crate::routes::webhooks::bodies::WebhookRequest;
use crate::routes::webhooks::check_url_safety;
use crate::state::AppState;

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
        event_type: draft.event_type.to_string(),
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
    pub event_type: EventType,
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
    let types: Vec<EventTypeResponse> = EventType::iter()
        .map(|t| EventTypeResponse {
            event_type: t,
            description: description(t).to_string(),
            sample_payload: json!({
                "id": "1f0e2d3c-4b5a-4697-8877-665544332211",
                "type": t,
                "occurredAt": "2026-11-28T10:15:30.123456Z",
                "data": sample_data(t),
            }),
        })
        .collect();
    Ok(HttpResponse::Ok().json(types))
}
