//! Products and stock: upsert, exact decimal formats, validation that
//! changes nothing, drum options, pagination by SKU.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    assert_fields, assert_json, assert_problem, error_fields, overlay, product_body, spawn_app,
    TestApp,
};

/// A plain product's body with `fields` laid over it.
fn body_with(sku: &str, fields: Value) -> Value {
    overlay(product_body(sku), fields)
}

/// PUTs a JSON text as is, so numbers keep exactly the digits written here.
async fn put_raw(app: &TestApp, path: &str, text: &str) -> Response {
    app.client
        .put(app.url(path))
        .bearer_auth(&app.backoffice)
        .header("Content-Type", "application/json")
        .body(text.to_string())
        .send()
        .await
        .expect("request")
}

async fn put(app: &TestApp, id: Uuid, body: Value) -> Response {
    app.put(&format!("/products/{id}"), &app.backoffice, body)
        .await
}

async fn get_product(app: &TestApp, id: Uuid) -> Value {
    app.get_json(&format!("/products/{id}"), &app.backoffice)
        .await
}

async fn drum(app: &TestApp) -> Uuid {
    app.drum(json!({"netPrice": "50"})).await
}

#[actix_web::test]
async fn put_creates_then_replaces_a_product_with_exact_formats() {
    let app = spawn_app().await;
    let id = Uuid::new_v4();
    let path = format!("/products/{id}");
    let text = r#"{"sku": "CBL-1", "name": "Cable", "kind": "STANDARD", "unit": "m",
        "quantityType": "CONTENT_QUANTITY", "netPrice": 4.8, "purchasePrice": "0.0049",
        "vatRate": "23.000", "currency": "EUR", "stock": "120.500"}"#;
    let created = assert_json(put_raw(&app, &path, text).await, StatusCode::CREATED).await;
    assert_eq!(created["id"], id.to_string());
    assert_fields(
        &created,
        json!({"netPrice": "4.80", "purchasePrice": "0.0049", "vatRate": "23",
               "stock": "120.5", "free": "120.5", "reserved": "0",
               "quantityType": "CONTENT_QUANTITY", "active": true}),
    );
    assert_eq!(get_product(&app, id).await, created);

    let replacement = body_with("CBL-1", json!({"name": "Cable 2", "netPrice": 5}));
    let replaced = assert_json(
        app.put(&path, &app.integration, replacement).await,
        StatusCode::OK,
    )
    .await;
    assert_fields(
        &replaced,
        json!({"name": "Cable 2", "netPrice": "5.00", "quantityType": "UNIT",
               "createdAt": created["createdAt"]}),
    );
    assert_eq!(get_product(&app, id).await, replaced);
}

#[actix_web::test]
async fn a_json_number_and_a_string_give_the_same_exact_price() {
    let app = spawn_app().await;
    let mut prices = Vec::new();
    for (sku, price) in [
        ("A", "0.1"),
        ("B", "\"0.1\""),
        ("C", "1234.5678"),
        ("D", "\"1234.5678\""),
    ] {
        let text = format!(
            r#"{{"sku": "{sku}", "name": "W", "kind": "STANDARD", "unit": "pcs",
            "quantityType": "UNIT", "netPrice": {price}, "purchasePrice": {price},
            "vatRate": 23, "currency": "EUR"}}"#
        );
        let product = assert_json(
            put_raw(&app, &format!("/products/{}", Uuid::new_v4()), &text).await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(product["netPrice"], product["purchasePrice"]);
        prices.push(product["netPrice"].clone());
    }
    assert_eq!(prices, ["0.10", "0.10", "1234.5678", "1234.5678"]);
}

#[actix_web::test]
async fn invalid_products_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let id = app.product(json!({"sku": "MINE"})).await;
    app.product(json!({"sku": "TAKEN"})).await;
    let standard = app.product(json!({"sku": "PLAIN"})).await;
    let drum = drum(&app).await;
    let before = get_product(&app, id).await;
    let cable_with = |drum: Uuid, max_length: &str| {
        let option = json!({"drumProductId": drum, "maxLength": max_length});
        json!({"kind": "CABLE", "unit": "m", "quantityType": "CONTENT_QUANTITY",
            "drumOptions": [option]})
    };
    let options = json!([{"drumProductId": drum, "maxLength": "100"}]);
    let option_field = "drumOptions[0].drumProductId";
    let cases = [
        (json!({"netPrice": "-0.01"}), "netPrice"),
        (json!({"purchasePrice": "1.23456"}), "purchasePrice"),
        (json!({"currency": "eur"}), "currency"),
        (json!({"vatRate": 101}), "vatRate"),
        (json!({"sku": ""}), "sku"),
        (json!({"sku": "   "}), "sku"),
        (json!({"name": ""}), "name"),
        (json!({"sku": "TAKEN"}), "sku"),
        (json!({"stock": "-1"}), "stock"),
        (json!({"drumOptions": options}), "drumOptions"),
        (cable_with(standard, "100"), option_field),
        (cable_with(Uuid::new_v4(), "100"), option_field),
        (cable_with(drum, "0"), "drumOptions[0].maxLength"),
    ];
    for (change, field) in cases {
        let response = put(&app, id, body_with("MINE", change.clone())).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        assert!(
            error_fields(&problem).contains(&field),
            "{change}: {problem}"
        );
        assert_eq!(
            get_product(&app, id).await,
            before,
            "{change} changed the product"
        );
    }
    let fresh = Uuid::new_v4();
    let response = put(&app, fresh, body_with("NEW", json!({"currency": "EURO"}))).await;
    assert_problem(response, 422, "VALIDATION_FAILED").await;
    app.assert_absent(&format!("/products/{fresh}")).await;
}

#[actix_web::test]
async fn a_cable_round_trips_its_drum_options() {
    let app = spawn_app().await;
    let (small, large) = (drum(&app).await, drum(&app).await);
    let id = Uuid::new_v4();
    let path = format!("/products/{id}");
    let options = json!([{"drumProductId": large, "maxLength": 1000.0},
        {"drumProductId": small, "maxLength": "500"}]);
    let cable = body_with(
        "CBL",
        json!({"kind": "CABLE", "unit": "m",
        "quantityType": "CONTENT_QUANTITY", "drumOptions": options}),
    );
    let response = app.put(&path, &app.backoffice, cable.clone()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let expected = json!([{"drumProductId": small, "maxLength": "500"},
        {"drumProductId": large, "maxLength": "1000"}]);
    let created: Value = response.json().await.expect("product");
    assert_eq!(created["drumOptions"], expected);
    assert_eq!(get_product(&app, id).await["drumOptions"], expected);

    let mut fewer = cable;
    fewer["drumOptions"] = json!([{"drumProductId": small, "maxLength": "250.5"}]);
    let response = app.put(&path, &app.backoffice, fewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    let expected = json!([{"drumProductId": small, "maxLength": "250.5"}]);
    assert_eq!(get_product(&app, id).await["drumOptions"], expected);
}

#[actix_web::test]
async fn a_drum_in_use_as_an_option_must_stay_a_drum() {
    let app = spawn_app().await;
    let drum = drum(&app).await;
    app.cable_on(&[(drum, "500")], json!({})).await;
    let before = get_product(&app, drum).await;
    let sku = before["sku"].as_str().expect("sku").to_string();
    let path = format!("/products/{drum}");

    let response = app
        .put(&path, &app.backoffice, body_with(&sku, json!({})))
        .await;
    let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
    assert_eq!(error_fields(&problem), ["kind"]);
    assert_eq!(get_product(&app, drum).await, before);

    let still_drum = body_with(&sku, json!({"kind": "DRUM", "netPrice": "55"}));
    let response = app.put(&path, &app.backoffice, still_drum).await;
    let replaced = assert_json(response, StatusCode::OK).await;
    assert_eq!(
        (&replaced["kind"], &replaced["netPrice"]),
        (&json!("DRUM"), &json!("55.00"))
    );
    assert_eq!(get_product(&app, drum).await, replaced);
}

#[actix_web::test]
async fn an_unknown_product_is_not_found() {
    let app = spawn_app().await;
    let id = Uuid::new_v4();
    let response = app.get(&format!("/products/{id}"), &app.backoffice).await;
    assert_problem(response, 404, "NOT_FOUND").await;
    let response = app
        .put(
            &format!("/products/{id}/stock"),
            &app.backoffice,
            json!({"available": "5"}),
        )
        .await;
    assert_problem(response, 404, "NOT_FOUND").await;
}

async fn list(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/products{query}"), &app.integration)
        .await
}

#[actix_web::test]
async fn the_product_list_pages_through_every_product_once_in_sku_order() {
    let app = spawn_app().await;
    for sku in ["SKU-C", "SKU-A", "SKU-E", "SKU-B", "SKU-D"] {
        app.product(json!({"sku": sku})).await;
    }
    let first = list(&app, "?limit=2").await;
    assert_eq!(first["items"].as_array().expect("items").len(), 2);
    let mut skus = Vec::new();
    let mut page = first;
    loop {
        let items = page["items"].as_array().expect("items");
        assert!(!items.is_empty() && items.len() <= 2, "{page}");
        skus.extend(
            items
                .iter()
                .map(|p| p["sku"].as_str().expect("sku").to_string()),
        );
        match page["nextCursor"].as_str() {
            Some(cursor) => page = list(&app, &format!("?limit=2&cursor={cursor}")).await,
            None => break,
        }
    }
    assert_eq!(skus, ["SKU-A", "SKU-B", "SKU-C", "SKU-D", "SKU-E"]);
    assert_eq!(list(&app, "").await["nextCursor"], Value::Null);
}

#[actix_web::test]
async fn the_product_list_filters_by_sku() {
    let app = spawn_app().await;
    let wanted = app.product(json!({"sku": "WANTED-1"})).await;
    app.product(json!({"sku": "OTHER-1"})).await;
    let page = list(&app, "?sku=WANTED-1").await;
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], wanted.to_string());
    assert_eq!(list(&app, "?sku=NOPE").await["items"], json!([]));
}

#[actix_web::test]
async fn bad_list_parameters_are_refused() {
    let app = spawn_app().await;
    // Read but out of range: 422 naming the parameter.
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?limit=-1", "limit"),
        ("?cursor=%21%21garbage", "cursor"),
    ] {
        let response = app.get(&format!("/products{query}"), &app.backoffice).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        assert_eq!(error_fields(&problem), [field], "{query}: {problem}");
    }
    // Not even a number: the query string cannot be read, 400.
    let response = app.get("/products?limit=abc", &app.backoffice).await;
    let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.contains("invalid query parameters"), "{problem}");
    assert_eq!(list(&app, "?limit=500").await["items"], json!([]));
}

#[actix_web::test]
async fn put_stock_sets_the_quantity_on_hand() {
    let app = spawn_app().await;
    let id = app.product(json!({})).await;
    let path = format!("/products/{id}/stock");
    let product = assert_json(
        app.put(&path, &app.integration, json!({"available": "1200.50"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (&product["stock"], &product["free"]),
        (&json!("1200.5"), &json!("1200.5"))
    );
    assert_eq!(get_product(&app, id).await["stock"], "1200.5");

    for bad in [json!({"available": "-1"}), json!({"available": "1.0001"})] {
        let response = app.put(&path, &app.integration, bad).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        assert_eq!(error_fields(&problem), ["available"]);
    }
    assert_eq!(get_product(&app, id).await["stock"], "1200.5");
}

#[actix_web::test]
async fn an_inactive_product_says_so() {
    let app = spawn_app().await;
    let inactive = app.product(json!({"active": false})).await;
    assert_eq!(get_product(&app, inactive).await["active"], false);
    let active = app.product(json!({})).await;
    assert_eq!(get_product(&app, active).await["active"], true);
}
