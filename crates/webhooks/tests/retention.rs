//! Retention: old events go with their deliveries and attempts, in batches; an event a
//! pending delivery still needs stays, and so does everything recent.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use orderpath_core::events::EventType;
use orderpath_db::events::record;
use orderpath_testing::TestDatabase;
use orderpath_webhooks::endpoints::{create_endpoint, Auth, EndpointDraft, EndpointStatus};
use orderpath_webhooks::retention::prune_before;
use uuid::Uuid;

/// A new database with a `CART_OPENED` endpoint, and the cutoff of a 90-day retention.
fn subscribed() -> (TestDatabase, PgConnection, DateTime<Utc>) {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    endpoint(&mut conn);
    (db, conn, Utc::now() - Duration::days(90))
}

fn endpoint(conn: &mut PgConnection) {
    let draft = EndpointDraft {
        name: "ERP".into(),
        status: EndpointStatus::Active,
        event_type: EventType::CartOpened,
        url: "https://erp.example.com/hooks".into(),
        auth: Auth::None,
        signing_secret: None,
    };
    create_endpoint(conn, &draft, Utc::now()).expect("endpoint");
}

/// A `CART_OPENED` event at `at` whose one delivery ended as `status`, after one attempt.
fn event(conn: &mut PgConnection, at: DateTime<Utc>, status: &str) -> Uuid {
    let id = record(conn, EventType::CartOpened, at, serde_json::json!({})).expect("event");
    diesel::sql_query("UPDATE webhook_deliveries SET status = $1 WHERE event_id = $2")
        .bind::<Text, _>(status)
        .bind::<SqlUuid, _>(id)
        .execute(conn)
        .expect("status");
    diesel::sql_query(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, succeeded, duration_ms, worker)
         SELECT id, now(), status = 'SUCCEEDED', 5, 'test' FROM webhook_deliveries
         WHERE event_id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .execute(conn)
    .expect("attempt");
    id
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn exists(conn: &mut PgConnection, sql: &str, event: Uuid) -> bool {
    diesel::sql_query(sql)
        .bind::<SqlUuid, _>(event)
        .get_result::<Count>(conn)
        .expect("count")
        .n
        > 0
}

/// Whether the event, a delivery of it and an attempt of that delivery still exist.
fn kept(conn: &mut PgConnection, event: Uuid) -> (bool, bool, bool) {
    (
        exists(
            conn,
            "SELECT count(*) AS n FROM domain_events WHERE id = $1",
            event,
        ),
        exists(
            conn,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = $1",
            event,
        ),
        exists(
            conn,
            "SELECT count(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d
             ON d.id = a.delivery_id WHERE d.event_id = $1",
            event,
        ),
    )
}

#[test]
fn old_events_go_with_their_deliveries_but_never_while_one_is_pending() {
    let (_db, mut conn, cutoff) = subscribed();
    let old = cutoff - Duration::days(1);
    let succeeded = event(&mut conn, old, "SUCCEEDED");
    let failed = event(&mut conn, old - Duration::hours(1), "FAILED");
    let pending = event(&mut conn, old - Duration::hours(2), "PENDING");
    let recent = event(&mut conn, cutoff + Duration::minutes(1), "SUCCEEDED");

    assert_eq!(prune_before(&mut conn, cutoff, 500).expect("prune"), 2);

    assert_eq!(kept(&mut conn, succeeded), (false, false, false));
    assert_eq!(kept(&mut conn, failed), (false, false, false));
    assert_eq!(kept(&mut conn, pending), (true, true, true));
    assert_eq!(kept(&mut conn, recent), (true, true, true));
    assert_eq!(prune_before(&mut conn, cutoff, 500).expect("again"), 0);
}

#[test]
fn a_backlog_goes_in_batches_oldest_first() {
    let (_db, mut conn, cutoff) = subscribed();
    let events: Vec<Uuid> = (1..=5)
        .map(|i| event(&mut conn, cutoff - Duration::hours(i), "SUCCEEDED"))
        .collect();

    assert_eq!(prune_before(&mut conn, cutoff, 2).expect("first batch"), 2);
    // The two oldest went first.
    let left: Vec<bool> = events.iter().map(|&e| kept(&mut conn, e).0).collect();
    assert_eq!(left, [true, true, true, false, false]);
    assert_eq!(prune_before(&mut conn, cutoff, 2).expect("second batch"), 2);
    assert_eq!(prune_before(&mut conn, cutoff, 2).expect("last batch"), 1);
    assert_eq!(prune_before(&mut conn, cutoff, 2).expect("nothing left"), 0);
}

#[test]
fn events_without_deliveries_go_too() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cutoff = Utc::now() - Duration::days(90);
    let id = record(
        &mut conn,
        EventType::ClientLogged,
        cutoff - Duration::days(3),
        serde_json::json!({}),
    )
    .expect("event");
    assert_eq!(prune_before(&mut conn, cutoff, 10).expect("prune"), 1);
    assert_eq!(kept(&mut conn, id), (false, false, false));
}
