//! Customers and their activity: `CLIENT_LOGGED` after a silence of the
//! configured window, counted from the last activity.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    assert_fields, assert_json, assert_problem, spawn_app, spawn_app_with, TestApp,
};

async fn get_customer(app: &TestApp, id: Uuid) -> Value {
    app.get_json(&format!("/customers/{id}"), &app.backoffice)
        .await
}

async fn put_customer(app: &TestApp, token: &str, id: Uuid, body: Value) -> Response {
    app.put(&format!("/customers/{id}"), token, body).await
}

/// Reports activity of `customer` from `source` with `token`.
async fn report_activity(app: &TestApp, token: &str, customer: Uuid, source: &str) -> Response {
    let path = format!("/customers/{customer}/activity");
    app.post(&path, token, json!({"source": source})).await
}

/// Reports activity of `customer` from `source` with `token`; returns whether
/// `CLIENT_LOGGED` was emitted.
async fn activity_as(app: &TestApp, token: &str, customer: Uuid, source: &str) -> bool {
    let response = report_activity(app, token, customer, source).await;
    let body = assert_json(response, StatusCode::OK).await;
    body["clientLoggedEmitted"]
        .as_bool()
        .expect("clientLoggedEmitted is a boolean")
}

async fn activity(app: &TestApp, customer: Uuid) -> bool {
    activity_as(app, &app.integration, customer, "OFE").await
}

/// `time` is `expected`, to the microsecond the database keeps.
fn assert_at(time: &Value, expected: DateTime<Utc>) {
    let time: DateTime<Utc> = time.as_str().expect("a time").parse().expect("RFC 3339");
    let off = (time - expected).num_microseconds().expect("small");
    assert!(off.abs() <= 1, "{time} is not {expected}");
}

/// The `CLIENT_LOGGED` events, once `count` of them are readable.
async fn client_logged(app: &TestApp, count: usize) -> Vec<Value> {
    app.events("CLIENT_LOGGED", count).await
}

#[actix_web::test]
async fn put_creates_then_replaces_a_customer() {
    let app = spawn_app().await;
    let id = Uuid::new_v4();
    let body = json!({"name": "ACME", "externalId": "ERP-1", "currency": "EUR",
        "email": "buyer@acme.example"});
    let response = put_customer(&app, &app.integration, id, body).await;
    let created = assert_json(response, StatusCode::CREATED).await;
    assert_eq!(created["id"], id.to_string());
    assert_eq!(created["name"], "ACME");
    assert_eq!(created["externalId"], "ERP-1");
    assert_eq!(created["currency"], "EUR");
    assert_eq!(created["email"], "buyer@acme.example");
    assert_eq!(get_customer(&app, id).await, created);

    let change = json!({"name": "ACME Ltd", "currency": "PLN"});
    let response = put_customer(&app, &app.backoffice, id, change).await;
    let replaced = assert_json(response, StatusCode::OK).await;
    assert_fields(
        &replaced,
        json!({"name": "ACME Ltd", "currency": "PLN", "createdAt": created["createdAt"]}),
    );
    assert_eq!(get_customer(&app, id).await, replaced);
}

#[actix_web::test]
async fn invalid_customers_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let id = app.customer("ACME").await;
    let before = get_customer(&app, id).await;
    let cases = [
        (json!({"name": "", "currency": "EUR"}), "name"),
        (json!({"name": "  ", "currency": "EUR"}), "name"),
        (json!({"name": "ACME", "currency": "eur"}), "currency"),
        (json!({"name": "ACME", "currency": "EURO"}), "currency"),
        (
            json!({"name": "ACME", "currency": "EUR", "email": "nobody"}),
            "email",
        ),
        (
            json!({"name": "ACME", "currency": "EUR", "externalId": ""}),
            "externalId",
        ),
    ];
    for (body, field) in cases {
        let response = put_customer(&app, &app.backoffice, id, body.clone()).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
        assert_eq!(
            get_customer(&app, id).await,
            before,
            "{body} changed the customer"
        );
    }
    let fresh = Uuid::new_v4();
    let nameless = json!({"name": "", "currency": "EUR"});
    let response = put_customer(&app, &app.backoffice, fresh, nameless).await;
    assert_problem(response, 422, "VALIDATION_FAILED").await;
    app.assert_absent(&format!("/customers/{fresh}")).await;
}

#[actix_web::test]
async fn a_customer_token_cannot_upsert_customers() {
    let app = spawn_app().await;
    let id = app.customer("ACME").await;
    let token = app.customer_token(id);
    let taken = json!({"name": "Mine now", "currency": "EUR"});
    let response = put_customer(&app, &token, id, taken).await;
    assert_problem(response, 403, "FORBIDDEN").await;
    assert_eq!(get_customer(&app, id).await["name"], "ACME");
}

#[actix_web::test]
async fn the_first_activity_emits_client_logged() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    assert_eq!(
        get_customer(&app, customer).await["lastActivityAt"],
        Value::Null
    );
    assert!(activity(&app, customer).await);
    let events = client_logged(&app, 1).await;
    assert_eq!(events[0]["type"], "CLIENT_LOGGED");
    assert_eq!(
        events[0]["data"],
        json!({"customerId": customer, "source": "OFE",
               "userId": app.caller_id(&app.integration).await})
    );
    assert_at(&events[0]["occurredAt"], app.clock_now());
    assert_at(
        &get_customer(&app, customer).await["lastActivityAt"],
        app.clock_now(),
    );
}

#[actix_web::test]
async fn activity_within_the_window_does_not_emit_but_after_a_silence_does() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    assert!(activity(&app, customer).await);
    app.clock.advance(Duration::minutes(10));
    assert!(!activity(&app, customer).await);
    app.clock.advance(Duration::minutes(29));
    assert!(
        !activity(&app, customer).await,
        "29 minutes after the last activity"
    );
    app.clock.advance(Duration::minutes(31));
    assert!(activity_as(&app, &app.backoffice, customer, "BACKOFFICE").await);
    let sources: Vec<Value> = client_logged(&app, 2)
        .await
        .iter()
        .map(|e| e["data"]["source"].clone())
        .collect();
    assert_eq!(sources, ["OFE", "BACKOFFICE"]);
}

#[actix_web::test]
async fn the_window_counts_from_the_last_activity() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let start = app.clock_now();
    let mut emitted = vec![activity(&app, customer).await];
    for _ in 0..6 {
        app.clock.advance(Duration::minutes(20));
        emitted.push(activity(&app, customer).await);
    }
    assert_eq!(emitted, [true, false, false, false, false, false, false]);
    app.clock.advance(Duration::minutes(31));
    assert!(activity(&app, customer).await);
    // Two hours of steady activity were one visit; the silence after it starts another.
    let times: Vec<Value> = client_logged(&app, 2)
        .await
        .iter()
        .map(|e| e["occurredAt"].clone())
        .collect();
    assert_at(&times[0], start);
    assert_at(&times[1], app.clock_now());
}

#[actix_web::test]
async fn the_inactivity_window_is_configurable() {
    let app = spawn_app_with(|c| c.client_inactivity = StdDuration::from_secs(5)).await;
    let customer = app.customer("ACME").await;
    assert!(activity(&app, customer).await);
    app.clock.advance(Duration::seconds(3));
    assert!(!activity(&app, customer).await);
    app.clock.advance(Duration::seconds(6));
    assert!(activity(&app, customer).await);
    client_logged(&app, 2).await;
}

#[actix_web::test]
async fn customers_are_counted_separately() {
    let app = spawn_app().await;
    let (acme, globex) = (app.customer("ACME").await, app.customer("Globex").await);
    assert!(activity(&app, acme).await);
    app.clock.advance(Duration::minutes(5));
    assert!(activity(&app, globex).await);
    assert!(!activity(&app, acme).await);
    let customers: Vec<Value> = client_logged(&app, 2)
        .await
        .iter()
        .map(|e| e["data"]["customerId"].clone())
        .collect();
    assert_eq!(customers, [json!(acme), json!(globex)]);
}

#[actix_web::test]
async fn activity_of_an_unknown_customer_is_not_found_and_emits_nothing() {
    let app = spawn_app().await;
    let unknown = Uuid::new_v4();
    let response = report_activity(&app, &app.integration, unknown, "OFE").await;
    assert_problem(response, 404, "NOT_FOUND").await;
    let response = app
        .get(&format!("/customers/{}", Uuid::new_v4()), &app.backoffice)
        .await;
    assert_problem(response, 404, "NOT_FOUND").await;
    // A known customer's event after the refusal: once it shows, so would an earlier one.
    let known = app.customer("ACME").await;
    assert!(activity(&app, known).await);
    let events = client_logged(&app, 1).await;
    assert_eq!(events[0]["data"]["customerId"], known.to_string());
}

#[actix_web::test]
async fn an_unknown_activity_source_is_refused() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let response = report_activity(&app, &app.integration, customer, "FAX").await;
    let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "source");
    assert_eq!(
        get_customer(&app, customer).await["lastActivityAt"],
        Value::Null
    );
    assert!(
        activity(&app, customer).await,
        "the refused report was no activity"
    );
}

#[actix_web::test]
async fn a_customer_token_reports_only_its_own_activity() {
    let app = spawn_app().await;
    let (own, other) = (app.customer("ACME").await, app.customer("Globex").await);
    let token = app.customer_token(own);
    let response = report_activity(&app, &token, other, "OFE").await;
    assert_problem(response, 404, "NOT_FOUND").await;
    assert_eq!(
        get_customer(&app, other).await["lastActivityAt"],
        Value::Null
    );
    assert!(activity_as(&app, &token, own, "OFE").await);
    let events = client_logged(&app, 1).await;
    assert_eq!(events[0]["data"]["customerId"], own.to_string());
}
