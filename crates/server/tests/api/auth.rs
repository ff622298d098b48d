//! Who may call what: 401 without a known bearer token, 403 for a role
//! that may not act, 404 for another customer's data, and no purchase prices or margins
//! in anything a customer token reads.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_json, assert_problem, spawn_app, TestApp};

const HIDDEN_FROM_CUSTOMERS: [&str; 4] =
    ["purchasePrice", "purchaseTotal", "margin", "marginPercent"];

async fn assert_unauthenticated(response: Response) {
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    assert_problem(response, 401, "UNAUTHENTICATED").await;
}

/// A customer with a cart holding one line, and a token bound to that customer.
async fn customer_with_cart(app: &TestApp, name: &str) -> (Uuid, String, Value) {
    let customer = app.customer(name).await;
    let cart = app.cart(customer).await;
    let product = app.product(json!({})).await;
    let cart = app.add(&cart, product, "UNIT", "2").await;
    (customer, app.customer_token(customer), cart)
}

/// Asks to open a cart for `customer` from the shop, as `token`.
async fn open_cart_as(app: &TestApp, token: &str, customer: Uuid) -> Response {
    let body = json!({"customerId": customer, "source": "OFE"});
    app.post("/carts", token, body).await
}

fn cart_path(cart: &Value) -> String {
    format!("/carts/{}", cart["id"].as_str().expect("cart id"))
}

#[actix_web::test]
async fn a_request_without_authorization_is_unauthenticated() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/products"))
        .send()
        .await
        .expect("request");
    assert_unauthenticated(response).await;
}

#[actix_web::test]
async fn an_unknown_token_is_unauthenticated() {
    let app = spawn_app().await;
    let forged = format!("op_{}", "ab".repeat(32));
    assert_unauthenticated(app.get("/products", &forged).await).await;
}

#[actix_web::test]
async fn a_non_bearer_authorization_header_is_unauthenticated() {
    let app = spawn_app().await;
    for header in ["Basic xyz", "Bearer", "Bearer   ", app.backoffice.as_str()] {
        let response = app
            .client
            .get(app.url("/products"))
            .header("Authorization", header)
            .send()
            .await
            .expect("request");
        assert_unauthenticated(response).await;
    }
    // The scheme name itself is case-insensitive (RFC 9110).
    let response = app
        .client
        .get(app.url("/products"))
        .header("Authorization", format!("bearer {}", app.backoffice))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

#[actix_web::test]
async fn customer_token_cannot_put_products() {
    let app = spawn_app().await;
    let (_, token, _) = customer_with_cart(&app, "ACME").await;
    let id = Uuid::new_v4();
    let body = json!({"sku": "X-1", "name": "X", "kind": "STANDARD", "unit": "pcs",
        "quantityType": "UNIT", "netPrice": "1", "purchasePrice": "0.5", "vatRate": "23",
        "currency": "EUR"});
    let response = app.put(&format!("/products/{id}"), &token, body).await;
    assert_problem(response, 403, "FORBIDDEN").await;
    let response = app.get(&format!("/products/{id}"), &app.backoffice).await;
    assert_problem(response, 404, "NOT_FOUND").await;
}

#[actix_web::test]
async fn customer_token_cannot_set_stock() {
    let app = spawn_app().await;
    let (_, token, cart) = customer_with_cart(&app, "ACME").await;
    let product = cart["lines"][0]["productId"].as_str().expect("product");
    let response = app
        .put(
            &format!("/products/{product}/stock"),
            &token,
            json!({"available": "0"}),
        )
        .await;
    assert_problem(response, 403, "FORBIDDEN").await;
    let product = app.get_json(&format!("/products/{product}"), &token).await;
    assert_eq!(product["stock"], "100");
}

#[actix_web::test]
async fn customer_token_cannot_read_events() {
    let app = spawn_app().await;
    let (_, token, _) = customer_with_cart(&app, "ACME").await;
    assert_problem(app.get("/events", &token).await, 403, "FORBIDDEN").await;
}

#[actix_web::test]
async fn customer_token_cannot_read_another_customers_cart() {
    let app = spawn_app().await;
    let (_, own_token, own_cart) = customer_with_cart(&app, "ACME").await;
    let (_, _, other_cart) = customer_with_cart(&app, "Globex").await;

    let response = app.get(&cart_path(&other_cart), &own_token).await;
    assert_problem(response, 404, "NOT_FOUND").await;

    let cart = assert_json(
        app.get(&cart_path(&own_cart), &own_token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cart["id"], own_cart["id"]);
}

#[actix_web::test]
async fn customer_token_cannot_change_another_customers_cart() {
    let app = spawn_app().await;
    let (_, own_token, _) = customer_with_cart(&app, "ACME").await;
    let (_, _, other_cart) = customer_with_cart(&app, "Globex").await;
    let product = other_cart["lines"][0]["productId"].clone();
    let line = other_cart["lines"][0]["id"].as_str().expect("line");
    let path = cart_path(&other_cart);

    let add = json!({"productId": product, "quantity": {"type": "UNIT", "value": "1"}});
    let response = app.post(&format!("{path}/products"), &own_token, add).await;
    assert_problem(response, 404, "NOT_FOUND").await;
    let response = app
        .delete(&format!("{path}/lines/{line}"), &own_token)
        .await;
    assert_problem(response, 404, "NOT_FOUND").await;

    let after = app.get_json(&path, &app.backoffice).await;
    assert_eq!(after["version"], other_cart["version"]);
    assert_eq!(after["lines"], other_cart["lines"]);
}

#[actix_web::test]
async fn customer_can_create_a_cart_only_for_itself() {
    let app = spawn_app().await;
    let (own, token, _) = customer_with_cart(&app, "ACME").await;
    let other = app.customer("Globex").await;

    let response = open_cart_as(&app, &token, other).await;
    assert_problem(response, 403, "FORBIDDEN").await;

    let cart = assert_json(open_cart_as(&app, &token, own).await, StatusCode::CREATED).await;
    assert_eq!(cart["customerId"], own.to_string());
}

#[actix_web::test]
async fn customer_token_cannot_read_another_customer() {
    let app = spawn_app().await;
    let (own, token, _) = customer_with_cart(&app, "ACME").await;
    let other = app.customer("Globex").await;
    let response = app.get(&format!("/customers/{other}"), &token).await;
    assert_problem(response, 404, "NOT_FOUND").await;
    let response = app.get(&format!("/customers/{own}"), &token).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// The raw text of a 200 answer to `token`.
async fn body_text(app: &TestApp, path: &str, token: &str) -> String {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("body")
}

#[actix_web::test]
async fn customer_responses_never_show_purchase_prices_or_margins() {
    let app = spawn_app().await;
    let (_, token, cart) = customer_with_cart(&app, "ACME").await;
    let product = cart["lines"][0]["productId"].as_str().expect("product");
    let paths = [
        cart_path(&cart),
        format!("/products/{product}"),
        "/products".to_string(),
    ];
    for path in &paths {
        let staff_view = body_text(&app, path, &app.backoffice).await;
        let customer_view = body_text(&app, path, &token).await;
        for key in HIDDEN_FROM_CUSTOMERS {
            assert!(
                !customer_view.contains(key),
                "{path} shows {key} to a customer: {customer_view}"
            );
        }
        assert!(staff_view.contains("purchasePrice"), "{path}: {staff_view}");
    }
    let staff_cart = app.get_json(&paths[0], &app.backoffice).await;
    for key in ["purchaseTotal", "margin", "marginPercent"] {
        assert!(staff_cart["totals"][key].is_string(), "{key}: {staff_cart}");
    }
    for key in ["purchasePrice", "margin", "marginPercent"] {
        assert!(
            staff_cart["lines"][0][key].is_string(),
            "{key}: {staff_cart}"
        );
    }
}

#[actix_web::test]
async fn customer_cart_changes_answer_without_purchase_prices_or_margins() {
    let app = spawn_app().await;
    let (own, token, _) = customer_with_cart(&app, "ACME").await;
    let product = app.product(json!({})).await;
    let response = open_cart_as(&app, &token, own).await;
    let created = response.text().await.expect("body");
    let cart: Value = serde_json::from_str(&created).expect("cart");
    let add = json!({"productId": product, "quantity": {"type": "UNIT", "value": "3"}});
    let response = app
        .post(&format!("{}/products", cart_path(&cart)), &token, add)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let added = response.text().await.expect("body");
    for body in [&created, &added] {
        for key in HIDDEN_FROM_CUSTOMERS {
            assert!(!body.contains(key), "a customer sees {key}: {body}");
        }
    }
}
