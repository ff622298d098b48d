//! The event feed: every recorded event, oldest first, for systems that pull rather than
//! receive webhooks.

pub mod bodies;

use actix_web::{get, HttpResponse};
use orderpath_core::cursor::FeedPosition;
use orderpath_core::events::EventType;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::call::{Answer, Staff};
use crate::api::error::{ApiError, Problem};
use crate::routes::common::{Listing, PageQuery, PageResponse};
use bodies::{EventQuery, EventResponse};

/// Registers `/events`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events);
}

/// Recorded events, oldest first. `nextCursor` is always present: follow it to resume,
/// also after catching up. It never skips an event whose transaction commits late.
#[utoipa::path(tag = "events", params(EventQuery, PageQuery),
    responses((status = 200, body = PageResponse<EventResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem)))]
#[get("/events")]
pub async fn list_events(call: Staff, Listing(query, page): Listing<EventQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let event_type =
        match query.event_type.as_deref() {
            None => None,
            Some(t) => Some(t.parse::<EventType>().map_err(|_| {
                ApiError::bad_field("type", format!("\"{t}\" is not an event type"))
            })?),
        };
    let after = page
        .cursor
        .as_deref()
        .map(FeedPosition::decode)
        .transpose()?;
    let events = call
        .read(move |conn| orderpath_db::events::feed(conn, event_type, after, limit))
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(events, EventResponse::from)))
}
