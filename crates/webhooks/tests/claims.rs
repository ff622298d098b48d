//! Claiming due deliveries: an endpoint busy in this worker is skipped, and the next due
//! time ignores deliveries a worker holds.

use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use orderpath_core::events::EventType;
use orderpath_db::events::record;
use orderpath_testing::TestDatabase;
use orderpath_webhooks::deliveries::{claim_due, next_due};
use orderpath_webhooks::endpoints::{create_endpoint, Auth, EndpointDraft, EndpointStatus};
use uuid::Uuid;

const LEASE: Duration = Duration::from_secs(30);

fn endpoint(conn: &mut PgConnection, event_type: EventType) -> Uuid {
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
fn events(conn: &mut PgConnection, event_type: EventType, count: usize) {
    for _ in 0..count {
        record(conn, event_type, Utc::now(), serde_json::json!({})).expect("event");
    }
}

#[test]
fn an_endpoint_named_busy_is_skipped_and_the_next_due_time_ignores_held_deliveries() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let busy = endpoint(&mut conn, EventType::CartOpened);
    events(&mut conn, EventType::CartOpened, 3);
    assert!(claim_due(&mut conn, 10, LEASE, &[busy])
        .expect("claim")
        .is_empty());
    assert!(next_due(&mut conn)
        .expect("due")
        .is_some_and(|at| at <= Utc::now()));

    assert_eq!(
        claim_due(&mut conn, 10, LEASE, &[]).expect("claim").len(),
        3
    );
    assert_eq!(
        next_due(&mut conn).expect("due"),
        None,
        "all three are held"
    );
}
