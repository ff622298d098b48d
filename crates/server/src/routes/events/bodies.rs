//! Query and response bodies of the event feed.

use chrono::{DateTime, Utc};
use orderpath_core::events::{EventType, RecordedEvent};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events of this type, e.g. `CART_OPENED`.
    #[serde(rename = "type")]
    #[param(value_type = Option<orderpath_core::events::EventType>)]
    pub event_type: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventResponse {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<RecordedEvent> for EventResponse {
    fn from(e: RecordedEvent) -> Self {
        EventResponse {
            id: e.id,
            event_type: e.event_type,
            occurred_at: e.occurred_at,
            data: e.data,
        }
    }
}
