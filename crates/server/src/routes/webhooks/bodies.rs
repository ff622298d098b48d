//! Request and response bodies of the webhook routes, and the validation of an endpoint.

use chrono::{DateTime, Utc};
use orderpath_core::events::EventType;
use orderpath_core::Error;
use orderpath_webhooks::deliveries::{Attempt, DeliveryLog, DeliveryStatus};
use orderpath_webhooks::endpoints::{Auth, AuthType, Endpoint, EndpointDraft, EndpointStatus};
use orderpath_webhooks::signing::SigningSecret;
use orderpath_webhooks::url_safety::parse_webhook_url;
use serde::{Deserialize, Serialize};
use strum::VariantNames;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::validate::{text, Validator};

/// An endpoint's configuration. `HTTP_BASIC` needs `username` and `password`;
/// `signingSecret` (`whsec_` + base64) signs every request when set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub status: EndpointStatus,
    /// One of `GET /webhook-event-types`, e.g. `CART_OPENED`.
    #[schema(value_type = EventType)]
    pub event: String,
    /// Absolute `http` or `https` URL of a public host.
    pub url: String,
    pub auth_type: AuthType,
    /// For `HTTP_BASIC`; without `:`, which would end the name (RFC 7617).
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
}

/// A partial change; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPatch {
    #[schema(required = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub status: Option<EndpointStatus>,
    #[schema(value_type = Option<EventType>)]
    pub event: Option<String>,
    pub url: Option<String>,
    pub auth_type: Option<AuthType>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
}

/// A rotation's new secret: given, or made here when absent (or the body is empty).
/// Other fields are refused: a misspelt `signingSecret` must not rotate to a random secret.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateSecretRequest {
    /// `whsec_` + base64 of 24 to 64 bytes.
    pub signing_secret: Option<String>,
}

impl RotateSecretRequest {
    /// The new secret: the given one, checked, or a fresh one of 32 random bytes.
    pub fn secret(&self) -> Result<SigningSecret, Error> {
        match self.signing_secret.as_deref().map(str::trim) {
            None | Some("") => Ok(SigningSecret::generate()),
            Some(given) => SigningSecret::parse(given)
                .map_err(|e| Error::field("signingSecret", e.to_string())),
        }
    }
}

/// The new secret, shown this once: it is never returned again.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotatedSecretResponse {
    pub signing_secret: String,
    /// Until when the replaced secret also signs every request; absent when the endpoint
    /// had no secret before.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
}

/// An endpoint as shown: secrets are never returned, only whether they are set.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookResponse {
    pub id: Uuid,
    pub name: String,
    pub status: EndpointStatus,
    pub event: EventType,
    pub url: String,
    pub auth_type: AuthType,
    pub username: Option<String>,
    pub password_set: bool,
    pub signing_secret_set: bool,
    /// The first failed attempt since the last successful one; null after a success.
    pub failing_since: Option<DateTime<Utc>>,
    /// When the endpoint was set `INACTIVE` because every attempt failed for 5 days;
    /// cleared when it is set `ACTIVE` again.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why it was set `INACTIVE` automatically.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Endpoint> for WebhookResponse {
    fn from(e: &Endpoint) -> Self {
        let username = match &e.draft.auth {
            Auth::None => None,
            Auth::Basic { username, .. } => Some(username.clone()),
        };
        WebhookResponse {
            id: e.id,
            name: e.draft.name.clone(),
            status: e.draft.status,
            event: e.draft.event_type,
            url: e.draft.url.clone(),
            auth_type: e.draft.auth.auth_type(),
            password_set: username.is_some(),
            username,
            signing_secret_set: e.draft.signing_secret.is_some(),
            failing_since: e.health.failing_since,
            disabled_at: e.health.disabled_at,
            disabled_reason: e.health.disabled_reason.clone(),
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

impl WebhookRequest {
    pub fn validate(&self) -> Result<EndpointDraft, Error> {
        let mut v = Validator::new();
        let name = v.check("name", text(&self.name, 200));
        let event_type = v.check(
            "event",
            self.event.parse::<EventType>().map_err(|_| {
                format!(
                    "\"{}\" is not an event type; use one of {}",
                    self.event,
                    EventType::VARIANTS.join(", ")
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
            AuthType::None => Some(Auth::None),
            AuthType::HttpBasic => {
                let username = v.check(
                    "username",
                    required(&self.username, 200).and_then(|name| match name.contains(':') {
                        // Basic credentials are `username:password`: the first colon ends
                        // the name (RFC 7617).
                        true => Err("must not contain \":\" (RFC 7617)".into()),
                        false => Ok(name),
                    }),
                );
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
                status: self.status,
                event_type: event_type?,
                url: url?,
                auth: auth?,
                signing_secret: signing_secret?,
            })
        })
    }

    /// The request that results from applying `patch` to the endpoint as it is. Keeping a
    /// stored password or secret needs no resending.
    pub fn patched(current: &Endpoint, patch: WebhookPatch) -> Self {
        let d = &current.draft;
        let (username, password) = match &d.auth {
            Auth::None => (None, None),
            Auth::Basic { username, password } => (Some(username.clone()), Some(password.clone())),
        };
        WebhookRequest {
            name: patch.name.unwrap_or_else(|| d.name.clone()),
            status: patch.status.unwrap_or(d.status),
            event: patch.event.unwrap_or_else(|| d.event_type.to_string()),
            url: patch.url.unwrap_or_else(|| d.url.clone()),
            auth_type: patch.auth_type.unwrap_or(d.auth.auth_type()),
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `PENDING`, `SUCCEEDED` or `FAILED`.
    #[param(value_type = Option<DeliveryStatus>)]
    pub status: Option<String>,
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
    pub attempts: Vec<Attempt>,
}

impl From<DeliveryLog> for DeliveryResponse {
    fn from(log: DeliveryLog) -> Self {
        DeliveryResponse {
            id: log.delivery.id,
            event_id: log.delivery.event_id,
            event_type: log.event_type,
            next_attempt_at: (log.delivery.status == DeliveryStatus::Pending)
                .then_some(log.delivery.next_attempt_at),
            status: log.delivery.status,
            attempt_count: log.delivery.attempts,
            created_at: log.delivery.created_at,
            updated_at: log.delivery.updated_at,
            attempts: log.attempts,
        }
    }
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
