use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

#[actix_web::test]
async fn the_feed_pages_oldest_first_and_always_returns_a_cursor() {
    let app = spawn_app().await;
    let empty: Value = app
        .get("/events", &app.integration)
        .await
        .json()
        .await
        .expect("page");
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
    let mut seen = Vec::new();
    let mut cursor = start;
    loop {
        let page: Value = app
            .get(
                &format!("/events?limit=2&cursor={cursor}"),
                &app.integration,
            )
            .await
            .json()
            .await
            .expect("page");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        cursor = page["nextCursor"].as_str().expect("cursor").to_string();
        if items.is_empty() {
            break;
        }
        seen.extend(items.iter().map(|e| e["data"]["cartId"].clone()));
    }
    assert_eq!(seen, carts, "every event once, in the order they happened");

    // Caught up: the same cursor later yields exactly what happened since.
    let later = app.cart(customer).await;
    let page: Value = app
        .get(&format!("/events?cursor={cursor}"), &app.integration)
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(page["items"].as_array().expect("items").len(), 1);
    assert_eq!(page["items"][0]["data"]["cartId"], later["id"]);
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
    let logged: Value = app
        .get("/events?type=CLIENT_LOGGED", &app.backoffice)
        .await
        .json()
        .await
        .expect("page");
    let items = logged["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["type"], "CLIENT_LOGGED");
    assert!(items[0]["occurredAt"]
        .as_str()
        .expect("time")
        .ends_with('Z'));

    let unknown = app.get("/events?type=NOPE", &app.backoffice).await;
    let problem = assert_problem(unknown, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "type");
    assert_problem(
        app.get("/events?cursor=garbage!", &app.backoffice).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        app.get("/events?limit=500", &app.backoffice).await.status(),
        StatusCode::OK
    );
}
