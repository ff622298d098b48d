//! Endpoints and events for the tests of this crate.

use chrono::Utc;
use diesel::PgConnection;
use orderpath_core::events::EventType;
use orderpath_db::events::record;
use orderpath_webhooks::endpoints::{create_endpoint, Auth, EndpointDraft, EndpointStatus};
use uuid::Uuid;

/// An active endpoint of `event_type`.
pub fn endpoint(conn: &mut PgConnection, event_type: EventType) -> Uuid {
    let draft = EndpointDraft {
        name: format!("{event_type} receiver"),
        status: EndpointStatus::Active,
        event_type,
        url: "https://erp.example.com/hooks".into(),
        auth: Auth::None,
        signing_secret: None,
    };
    create_endpoint(conn, &draft, Utc::now())
        .expect("endpoint")
        .id
}

/// Records `count` events of `event_type`, each fanned out to its endpoint's delivery.
pub fn events(conn: &mut PgConnection, event_type: EventType, count: usize) {
    for _ in 0..count {
        record(conn, event_type, Utc::now(), serde_json::json!({})).expect("event");
    }
}
