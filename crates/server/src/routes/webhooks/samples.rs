//! Test sends and the list of event types, each with a sample payload.

use actix_web::{get, post, HttpResponse};
use chrono::Utc;
use orderpath_core::events::EventType;
use orderpath_webhooks::endpoints::EndpointDraft;
use orderpath_webhooks::payload::WebhookMessage;
use orderpath_webhooks::sender::{Outcome, Target};
use serde_json::json;
use strum::IntoEnumIterator;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::call::{Answer, Backoffice, Staff};
use crate::api::error::Problem;
use crate::api::ids::WebhookId;
use crate::routes::webhooks::bodies::{EventTypeResponse, WebhookRequest};
use crate::routes::webhooks::{check_url_safety, stored_endpoint};
use crate::state::AppState;

/// `previous_secret`: a rotated-out secret still valid, which signs too, as on deliveries.
async fn send_sample(
    state: &AppState,
    draft: &EndpointDraft,
    previous_secret: Option<String>,
) -> Answer {
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
        previous_signing_secret: previous_secret.filter(|_| draft.signing_secret.is_some()),
    };
    let outcome = state.webhook_sender.send_test(&target, &message).await;
    Ok(HttpResponse::Ok().json(outcome))
}

/// Send one sample event of the configured type now, before saving the endpoint. It carries
/// the header `webhook-test: true` and ids made of zeros.
#[utoipa::path(tag = "webhooks", request_body = WebhookRequest,
    responses((status = 200, body = Outcome), (status = 422, body = Problem)))]
#[post("/webhooks/test")]
pub async fn test_new_webhook(call: Backoffice, body: Json<WebhookRequest>) -> Answer {
    let draft = body.0.validate()?;
    send_sample(&call.state, &draft, None).await
}

/// Send one sample event to a saved endpoint now, marked like `POST /webhooks/test`'s.
#[utoipa::path(tag = "webhooks", params(("webhookId" = uuid::Uuid, Path)),
    responses((status = 200, body = Outcome), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/webhooks/{webhookId}/test")]
pub async fn test_saved_webhook(call: Backoffice, id: WebhookId) -> Answer {
    let endpoint = stored_endpoint(&call, id).await?;
    let now = call.now();
    let previous = endpoint
        .previous_secret
        .filter(|p| p.valid_at(now))
        .map(|p| p.secret);
    send_sample(&call.state, &endpoint.draft, previous).await
}

fn description(t: EventType) -> &'static str {
    match t {
        EventType::CartOpened => "A cart was opened: created in the backoffice (\"New sale\") or opened by the customer in the online store.",
        EventType::ClientLogged => "A customer became active after 30 minutes without activity (or for the first time).",
        EventType::OfferOpened => "A backoffice user entered the view of an offer other than the one they opened last.",
        EventType::OrderPlaced => "An order was placed from a cart or from an accepted offer (the data names it: `cartId` or `offerId`).",
        EventType::ShipmentReady => "A shipment that waited for stock became ready after a stock rise.",
    }
}

/// The ids of sample events: zeros but for the last digit, so that no one takes a test
/// send for a real customer's event (test sends also carry the `webhook-test` header).
fn sample_data(t: EventType) -> serde_json::Value {
    let (customer, cart, offer, order, user, shipment) = (
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-000000000002",
        "00000000-0000-0000-0000-000000000003",
        "00000000-0000-0000-0000-000000000004",
        "00000000-0000-0000-0000-000000000005",
        "00000000-0000-0000-0000-000000000006",
    );
    match t {
        EventType::CartOpened => {
            json!({"customerId": customer, "cartId": cart, "source": "BACKOFFICE", "userId": user})
        }
        EventType::ClientLogged => {
            json!({"customerId": customer, "source": "OFE", "userId": user})
        }
        EventType::OfferOpened => {
            json!({"customerId": customer, "offerId": offer, "userId": user})
        }
        EventType::OrderPlaced => json!({"customerId": customer, "orderId": order, "cartId": cart}),
        EventType::ShipmentReady => {
            json!({"customerId": customer, "orderId": order, "shipmentId": shipment})
        }
    }
}

/// The events an endpoint can subscribe to, each with a sample payload.
#[utoipa::path(tag = "webhooks",
    responses((status = 200, body = Vec<EventTypeResponse>)))]
#[get("/webhook-event-types")]
pub async fn list_event_types(_call: Staff) -> Answer {
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
