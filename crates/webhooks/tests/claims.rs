//! Claiming due deliveries: every endpoint with due deliveries gets its first before any
//! gets its second, so one endpoint's backlog never holds up another's new deliveries;
//! the next due time ignores deliveries a worker holds.

use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
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

/// Makes every pending delivery of `webhook` due an hour ago: a backlog of retries.
fn overdue(conn: &mut PgConnection, webhook: Uuid) {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 hour' \
         WHERE webhook_id = $1",
    )
    .bind::<SqlUuid, _>(webhook)
    .execute(conn)
    .expect("overdue");
}

#[test]
fn a_backlog_at_one_endpoint_does_not_hold_up_another_endpoints_new_delivery() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let down = endpoint(&mut conn, EventType::OrderPlaced);
    let fresh = endpoint(&mut conn, EventType::CartOpened);
    events(&mut conn, EventType::OrderPlaced, 40);
    overdue(&mut conn, down);
    events(&mut conn, EventType::CartOpened, 1);

    let claimed = claim_due(&mut conn, 8, LEASE, &[]).expect("claim");
    assert_eq!(claimed.len(), 8);
    let of = |webhook| claimed.iter().filter(|c| c.webhook_id == webhook).count();
    assert_eq!(of(fresh), 1, "the new delivery is claimed at once");
    assert_eq!(of(down), 7, "the backlog fills the rest, oldest first");

    // What is claimed is leased: the next claim takes the backlog's next ones only.
    let again = claim_due(&mut conn, 100, LEASE, &[]).expect("claim");
    assert_eq!(again.len(), 33);
    assert!(again.iter().all(|c| c.webhook_id == down));
    assert!(claim_due(&mut conn, 100, LEASE, &[])
        .expect("claim")
        .is_empty());
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
