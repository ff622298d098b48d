//! The pending deliveries each endpoint has, counted a slice at a time for the metrics.

use std::time::Duration;

mod common;

use common::{endpoint, events};
use diesel::RunQueryDsl;
use orderpath_core::events::EventType;
use orderpath_testing::TestDatabase;
use orderpath_webhooks::deliveries::pending_by_endpoint;

#[tokio::test]
async fn pending_counts_are_exact_across_slices_and_leave_settled_deliveries_out() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let busy = endpoint(&mut conn, EventType::CartOpened);
    let idle = endpoint(&mut conn, EventType::OrderPlaced);
    events(&mut conn, EventType::CartOpened, 25);
    // Four settle: two delivered, two given up; the 21 others are still pending.
    diesel::sql_query(
        "UPDATE webhook_deliveries SET status = CASE WHEN seq % 2 = 0 THEN 'SUCCEEDED' \
         ELSE 'FAILED' END WHERE id IN (SELECT id FROM webhook_deliveries ORDER BY seq \
         OFFSET 3 LIMIT 4)",
    )
    .execute(&mut conn)
    .expect("settle");
    let pool = db.pool(2);
    let pause = Duration::from_millis(1);
    // Slices that divide the count, that do not, one larger than it, and of one each.
    for slice in [7, 10, 21, 100, 1] {
        let mut counts = pending_by_endpoint(&pool, slice, pause)
            .await
            .expect("counts");
        counts.sort_unstable_by_key(|(id, _)| *id != busy);
        assert_eq!(counts, vec![(busy, 21), (idle, 0)], "slices of {slice}");
    }
}
