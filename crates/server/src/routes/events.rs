//! The event feed (SPEC section 10): every recorded event, oldest first, for systems that
//! pull rather than receive webhooks.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_core::cursor::FeedPosition;
use orderpath_core::events::{EventType, RecordedEvent};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::error::{ApiError, Problem};
use crate::api::query::Query;
use crate::app::resource;
use crate::auth::Caller;
use crate::routes::common::PageResponse;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/events").get(list_events));
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events of this type, e.g. `CART_OPENED`.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
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

/// Recorded events, oldest first. `nextCursor` is always present: follow it to resume,
/// also after catching up. It never skips an event whose transaction commits late.
#[utoipa::path(get, path = "/events", tag = "events", params(EventQuery),
    responses((status = 200, body = PageResponse<EventResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let event_type =
        match query.event_type.as_deref() {
            None => None,
            Some(t) => Some(t.parse::<EventType>().map_err(|_| {
                ApiError::bad_field("type", format!("\"{t}\" is not an event type"))
            })?),
        };
    let after = query
        .cursor
        .as_deref()
        .map(FeedPosition::decode)
        .transpose()?;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_db::events::feed(conn, event_type, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageResponse {
        items: page.items.into_iter().map(EventResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}
