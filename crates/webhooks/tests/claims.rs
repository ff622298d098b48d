//! Claiming due deliveries: an endpoint busy in this worker is skipped, and the next due
//! time ignores deliveries a worker holds.

use std::time::Duration;

mod common;

use chrono::Utc;
use common::{endpoint, events};
use orderpath_core::events::EventType;
use orderpath_testing::TestDatabase;
use orderpath_webhooks::deliveries::{claim_due, next_due};

const LEASE: Duration = Duration::from_secs(30);

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
