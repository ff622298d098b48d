use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, TestApp};

/// Follows the feed from `cursor` in pages of two until `count` events arrived (other
/// tests' transactions may hold the cluster-wide horizon back for a moment). Returns the
/// events' cart ids and the cursor to resume from.
async fn follow(app: &TestApp, mut cursor: String, count: usize) -> (Vec<Value>, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while seen.len() < count && Instant::now() < deadline {
        let page = app
            .get_json(
                &format!("/events?limit=2&cursor={cursor}"),
                &app.integration,
            )
            .await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        cursor = page["nextCursor"]
            .as_str()
            .expect("a cursor on every page")
            .to_string();
        if items.is_empty() {
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        seen.extend(items.iter().map(|e| e["data"]["cartId"].clone()));
    }
    (seen, cursor)
}

#[actix_web::test]
async fn the_feed_pages_oldest_first_and_always_returns_a_cursor() {
    let app = spawn_app().await;
    let empty = app.get_json("/events", &app.integration).await;
    assert_eq!(empty["items"], json!([]));
    let start = empty["nextCursor"]
        .as_str()
        .expect("a cursor even when empty")
        .to_string();

    let customer = app.customer("ACME").await;
    let mut carts = Vec::new();
    for _ in 0..5 {
        carts.push(app.cart(customer).await["id"].clone());
    }
    let (seen, cursor) = follow(&app, start, 5).await;
    assert_eq!(seen, carts, "every event once, in the order they happened");

    // Caught up: the same cursor later yields exactly what happened since.
    let later = app.cart(customer).await;
    let (since, _) = follow(&app, cursor, 1).await;
    assert_eq!(since, vec![later["id"].clone()]);
}

#[actix_web::test]
async fn the_feed_filters_by_type_and_refuses_unknown_types_and_cursors() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    app.cart(customer).await;
    app.post(
        &format!("/customers/{customer}/activity"),
        &app.backoffice,
        json!({"source": "BACKOFFICE"}),
    )
    .await;
    let logged = app.events("CLIENT_LOGGED", 1).await;
    assert_eq!(logged[0]["type"], "CLIENT_LOGGED");
    assert!(logged[0]["occurredAt"]
        .as_str()
        .expect("time")
        .ends_with('Z'));

    let unknown = app.get("/events?type=NOPE", &app.backoffice).await;
    let problem = assert_problem(unknown, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "type");
    let garbage = app.get("/events?cursor=garbage!", &app.backoffice).await;
    assert_problem(garbage, 422, "VALIDATION_FAILED").await;
    assert_eq!(
        app.get("/events?limit=500", &app.backoffice).await.status(),
        StatusCode::OK
    );
    assert_problem(
        app.get("/events?limit=501", &app.backoffice).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}
