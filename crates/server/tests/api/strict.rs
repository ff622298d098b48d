//! Strict input (`docs/api.md`, Strict input): control characters in any text, data after
//! the JSON value, decimals other than `-?digits[.digits]`, a `:` in a Basic user name, and
//! bodies sent by callers without the right to the route. Each is a 4xx naming what is at
//! fault, and changes nothing.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    assert_json, assert_problem, error_fields, id, invalid_fields, product_body, spawn_app,
    spawn_app_with, TestApp,
};

/// Sends `body` as it is, as JSON, under the API base path.
async fn send_raw(app: &TestApp, method: Method, path: &str, token: &str, body: &str) -> Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request")
}

fn webhook(fields: Value) -> Value {
    let mut body = json!({"name": "ERP", "status": "ACTIVE", "event": "CART_OPENED",
        "url": "http://127.0.0.1:9/hook", "authType": "HTTP_BASIC", "username": "erp",
        "password": "secret"});
    for (key, value) in fields.as_object().expect("object") {
        body[key] = value.clone();
    }
    body
}

async fn webhook_count(app: &TestApp) -> usize {
    let page = app.get_json("/webhooks", &app.backoffice).await;
    page["items"].as_array().expect("items").len()
}

#[actix_web::test]
async fn a_control_character_in_a_customer_or_product_text_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let existing = app.customer("ACME").await;
    let before = app
        .get_json(&format!("/customers/{existing}"), &app.backoffice)
        .await;
    for (fields, field) in [
        (json!({"name": "AC\u{0}ME"}), "name"),
        (json!({"name": "ACME\u{7}"}), "name"),
        (json!({"name": "AC\tME"}), "name"),
        (json!({"name": "ACME\u{85}"}), "name"),
        (json!({"externalId": "K\u{0}1"}), "externalId"),
        (json!({"email": "a@b.de\u{1b}"}), "email"),
    ] {
        let mut body = json!({"name": "ACME", "currency": "EUR"});
        for (key, value) in fields.as_object().expect("object") {
            body[key] = value.clone();
        }
        // A new customer is not created, an existing one does not change.
        let fresh = Uuid::new_v4();
        for target in [fresh, existing] {
            let response = app
                .put(
                    &format!("/customers/{target}"),
                    &app.backoffice,
                    body.clone(),
                )
                .await;
            assert_eq!(invalid_fields(response).await, [field], "{body}");
        }
        app.assert_absent(&format!("/customers/{fresh}")).await;
    }
    let after = app
        .get_json(&format!("/customers/{existing}"), &app.backoffice)
        .await;
    assert_eq!(after, before);

    let product = Uuid::new_v4();
    for (field, value) in [
        ("sku", "W-\u{0}1"),
        ("name", "Widget\n"),
        ("unit", "p\u{0}cs"),
    ] {
        let mut body = product_body("W-1");
        body[field] = json!(value);
        let response = app
            .put(&format!("/products/{product}"), &app.integration, body)
            .await;
        assert_eq!(invalid_fields(response).await, [field]);
    }
    app.assert_absent(&format!("/products/{product}")).await;
}

#[actix_web::test]
async fn a_price_edit_reason_may_hold_tab_and_newline_but_no_other_control_character() {
    let app = spawn_app().await;
    let (cart, product) = app.empty_cart_and_widget().await;
    let cart = app.add(&cart, product, "UNIT", "2").await;
    let path = format!("/carts/{}/lines/{}/price", id(&cart), id(&cart["lines"][0]));
    for reason in ["damaged\u{0}", "damaged\r", "damaged\u{1b}[31m"] {
        let body = json!({"unitPrice": "8.00", "reason": reason});
        let response = app.put(&path, &app.backoffice, body).await;
        assert_eq!(invalid_fields(response).await, ["reason"], "{reason:?}");
    }
    let unchanged = app
        .get_json(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(unchanged, cart);

    let body = json!({"unitPrice": "8.00", "reason": "damaged\tpiece\nsee photo"});
    let edited = assert_json(app.put(&path, &app.backoffice, body).await, StatusCode::OK).await;
    assert_eq!(edited["lines"][0]["unitPrice"], "8.00");
    let edits = app
        .get_json(
            &format!("/carts/{}/price-edits", id(&cart)),
            &app.backoffice,
        )
        .await;
    assert_eq!(edits["items"][0]["reason"], "damaged\tpiece\nsee photo");
}

#[actix_web::test]
async fn webhook_texts_refuse_control_characters_and_a_basic_user_name_its_colon() {
    let app = spawn_app_with(|c| c.webhook_allow_private = true).await;
    for (fields, field) in [
        (json!({"name": "ERP\u{0}"}), "name"),
        (json!({"username": "e\u{0}rp"}), "username"),
        (json!({"password": "se\u{0}cret"}), "password"),
        (json!({"username": "erp:admin"}), "username"),
    ] {
        let body = webhook(fields);
        for path in ["/webhooks", "/webhooks/test"] {
            let response = app.post(path, &app.backoffice, body.clone()).await;
            assert_eq!(invalid_fields(response).await, [field], "{path} {body}");
        }
    }
    assert_eq!(webhook_count(&app).await, 0);

    let created = assert_json(
        app.post("/webhooks", &app.backoffice, webhook(json!({})))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/webhooks/{}", id(&created));
    let response = app
        .patch(&path, &app.backoffice, json!({"username": "erp:x"}))
        .await;
    assert_eq!(invalid_fields(response).await, ["username"]);
    let now = app.get_json(&path, &app.backoffice).await;
    assert_eq!(now, created);
}

#[actix_web::test]
async fn query_parameters_and_cursors_refuse_control_characters() {
    let app = spawn_app().await;
    app.product(json!({})).await;
    for (query, field) in [
        ("sku=%00", "sku"),
        ("search=a%00b", "search"),
        ("search=%1B", "search"),
    ] {
        let response = app
            .get(&format!("/products?{query}"), &app.backoffice)
            .await;
        assert_eq!(invalid_fields(response).await, [field], "{query}");
    }
    let response = app.get("/customers?search=%00", &app.backoffice).await;
    assert_eq!(invalid_fields(response).await, ["search"]);

    // "AA" decodes to a NUL: refused as any cursor this service did not issue.
    let garbage = app
        .get("/products?cursor=%21%21garbage", &app.backoffice)
        .await;
    let garbage = assert_problem(garbage, 422, "VALIDATION_FAILED").await;
    for path in ["/products?cursor=AA", "/customers?cursor=AB8A"] {
        let response = app.get(path, &app.backoffice).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        assert_eq!(error_fields(&problem), ["cursor"], "{path}");
        assert_eq!(problem["errors"], garbage["errors"], "{path}");
    }
}

#[actix_web::test]
async fn data_after_the_json_value_is_a_bad_request() {
    let app = spawn_app().await;
    let (cart, product) = app.empty_cart_and_widget().await;
    let path = format!("/carts/{}/products", id(&cart));
    let line = json!({"productId": product, "quantity": {"type": "UNIT", "value": "1"}});
    for trailing in [" garbage", "{}", " {\"x\": 1}", ",", "]", "\u{0}"] {
        let body = format!("{line}{trailing}");
        let response = send_raw(&app, Method::POST, &path, &app.backoffice, &body).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.contains("not valid JSON"), "{trailing:?}: {problem}");
    }
    let unchanged = app
        .get_json(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(unchanged, cart);

    // Whitespace after the value is fine.
    let body = format!("{line} \n\t\r\n");
    let response = send_raw(&app, Method::POST, &path, &app.backoffice, &body).await;
    let added = assert_json(response, StatusCode::OK).await;
    assert_eq!(added["lines"].as_array().map(Vec::len), Some(1));
}

#[actix_web::test]
async fn decimals_are_digits_with_an_optional_minus_and_point() {
    let app = spawn_app().await;
    let product = app.product(json!({})).await;
    let path = format!("/products/{product}/stock");
    let before = app
        .get_json(&format!("/products/{product}"), &app.backoffice)
        .await;
    let refused = [
        r#""1_000""#,
        r#""+5""#,
        r#""1e2""#,
        r#""1E2""#,
        "1e2",
        "1.5E1",
        r#"" 5""#,
        r#""5 ""#,
        r#""1 000""#,
        r#"".5""#,
        r#""5.""#,
    ];
    for value in refused {
        let body = format!(r#"{{"available": {value}}}"#);
        let response = send_raw(&app, Method::PUT, &path, &app.integration, &body).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        assert_eq!(error_fields(&problem), ["available"], "{value}: {problem}");
    }
    let after = app
        .get_json(&format!("/products/{product}"), &app.backoffice)
        .await;
    assert_eq!(after, before);

    for (value, stock) in [
        (r#""1000""#, "1000"),
        ("12.50", "12.5"),
        (r#""0.25""#, "0.25"),
    ] {
        let body = format!(r#"{{"available": {value}}}"#);
        let response = send_raw(&app, Method::PUT, &path, &app.integration, &body).await;
        let product = assert_json(response, StatusCode::OK).await;
        assert_eq!(product["stock"], stock, "{value}");
    }
}

#[actix_web::test]
async fn a_caller_without_the_right_to_a_route_is_refused_before_its_body_is_read() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let customer_token = app.customer_token(customer);
    let product = Uuid::new_v4();
    let product_path = format!("/products/{product}");
    let bodies = [r#"{"sku": "W-1"}"#, "{", r#"{"sku": "W\u0000"}"#, "[1]", ""];
    for body in bodies {
        let response = send_raw(&app, Method::PUT, &product_path, &customer_token, body).await;
        assert_problem(response, 403, "FORBIDDEN").await;
        let response = send_raw(&app, Method::PUT, &product_path, "not-a-token", body).await;
        assert_problem(response, 401, "UNAUTHENTICATED").await;
        // Backoffice only: an integration token may not configure webhooks.
        let response = send_raw(&app, Method::POST, "/webhooks", &app.integration, body).await;
        assert_problem(response, 403, "FORBIDDEN").await;
        let path = format!("/customers/{}", Uuid::new_v4());
        let response = send_raw(&app, Method::PUT, &path, &customer_token, body).await;
        assert_problem(response, 403, "FORBIDDEN").await;
    }
    // A bad query string of a staff list, too.
    let response = app.get("/customers?limit=abc", &customer_token).await;
    assert_problem(response, 403, "FORBIDDEN").await;
    app.assert_absent(&product_path).await;
    assert_eq!(webhook_count(&app).await, 0);
}
