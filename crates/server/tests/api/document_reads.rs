//! Carts and orders read through the render cache: every read is byte for byte what a
//! fresh rendering is, after a change made on this instance or on another one, and staff
//! and customers never get each other's rendering.

use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{overlay, product_body, spawn_app, TestApp};

/// The ETag and the raw body of `path` as `token` reads it on `app`.
async fn read(app: &TestApp, path: &str, token: &str) -> (String, String) {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_string();
    (etag, response.text().await.expect("body"))
}

/// Another instance that renders every read afresh: what a cached read must equal.
fn uncached(app: &TestApp) -> TestApp {
    app.second_instance_with(|config| config.render_cache_bytes = 0)
}

/// Reads `path` on each of `readers` as staff and as `customer`, and asserts each answer
/// is exactly the one `fresh` renders. Returns the staff body.
async fn assert_current(
    readers: &[&TestApp],
    fresh: &TestApp,
    path: &str,
    customer: &str,
) -> Value {
    for token in [fresh.backoffice.as_str(), customer] {
        let expected = read(fresh, path, token).await;
        for (n, reader) in readers.iter().enumerate() {
            assert_eq!(
                read(reader, path, token).await,
                expected,
                "instance {n}, {path}"
            );
        }
    }
    let (_, staff) = read(fresh, path, &fresh.backoffice).await;
    serde_json::from_str(&staff).expect("JSON")
}

/// Reads `path` on each of `readers` as staff and as `customer`, so each has it rendered.
async fn warm(readers: &[&TestApp], path: &str, customer: &str) {
    for reader in readers {
        for token in [reader.backoffice.as_str(), customer] {
            read(reader, path, token).await;
        }
    }
}

#[actix_web::test]
async fn a_cart_shows_each_catalog_change_of_its_products_on_the_next_read_anywhere() {
    let a = spawn_app().await;
    let (b, fresh) = (a.second_instance(), uncached(&a));
    let customer = a.customer("ACME").await;
    let (widget, other) = (a.product(json!({})).await, a.product(json!({})).await);
    let cart = a.cart(customer).await;
    a.add(&cart, widget, "UNIT", "3").await;
    let cart = a.add(&cart, other, "UNIT", "1").await;
    let path = format!("/carts/{}", cart["id"].as_str().expect("id"));
    let own = a.customer_token(customer);

    let mut product = product_body(&format!("SKU-{widget}"));
    let changes = [
        json!({"netPrice": "12.50"}),
        json!({"purchasePrice": "7.25"}),
        json!({"name": "Widget XL"}),
        json!({"sku": format!("NEW-{widget}")}),
        json!({"unit": "box"}),
        json!({"vatRate": "8"}),
        json!({"netPrice": "12.5"}),
    ];
    for (turn, change) in changes.into_iter().enumerate() {
        warm(&[&a, &b], &path, &own).await;
        product = overlay(product, change.clone());
        let writer = if turn % 2 == 0 { &a } else { &b };
        let response = writer
            .put(
                &format!("/products/{widget}"),
                &writer.backoffice,
                product.clone(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{change}");
        let shown = assert_current(&[&a, &b], &fresh, &path, &own).await;
        let line = &shown["lines"][0];
        let (field, value) = change
            .as_object()
            .expect("object")
            .iter()
            .next()
            .expect("one");
        let shown_as = match field.as_str() {
            "netPrice" => &line["unitPrice"],
            "vatRate" => &line["vatRate"],
            "unit" => &line["quantity"]["unit"],
            other => &line[other],
        };
        let expected = if field == "netPrice" {
            "12.50"
        } else {
            value.as_str().expect("text")
        };
        assert_eq!(shown_as, expected, "{change}");
    }
    assert_eq!(
        read(&a, &path, &a.backoffice).await.0,
        "\"3\"",
        "the cart itself did not change"
    );

    // A stock change shows nowhere in the cart; reads stay what a fresh rendering is.
    let stock = json!({"available": "7"});
    a.put(&format!("/products/{widget}/stock"), &a.backoffice, stock)
        .await;
    assert_current(&[&a, &b], &fresh, &path, &own).await;
}

#[actix_web::test]
async fn staff_and_customers_never_get_each_others_cart_or_order() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    let cart = app.add(&cart, widget, "UNIT", "2").await;
    let ordered = app.cart(customer).await;
    let order = app
        .order(&app.add(&ordered, widget, "UNIT", "1").await)
        .await;
    let own = app.customer_token(customer);
    for document in [
        format!("/carts/{}", cart["id"]),
        format!("/orders/{}", order["id"]),
    ] {
        let path = document.replace('"', "");
        // The customer reads first, then staff, then the customer again, on one instance.
        let first = read(&app, &path, &own).await;
        let staff = read(&app, &path, &app.backoffice).await;
        let again = read(&app, &path, &own).await;
        for (reader, body) in [("customer", &first.1), ("customer", &again.1)] {
            assert!(
                !body.contains("purchasePrice") && !body.contains("margin"),
                "{reader}: {body}"
            );
        }
        assert!(
            staff.1.contains("purchasePrice") && staff.1.contains("marginPercent"),
            "{}",
            staff.1
        );
        assert_eq!(first, again);
    }
}

/// A product of `stock` pieces, ordered 10 at a time by a new customer; the order.
async fn waiting_order(app: &TestApp, stock: &str) -> (Uuid, Uuid, Value) {
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({"stock": stock})).await;
    let cart = app.cart(customer).await;
    let cart = app.add(&cart, widget, "UNIT", "10").await;
    (customer, widget, app.order(&cart).await)
}

#[actix_web::test]
async fn an_order_shows_each_change_of_its_shipments_on_the_next_read_anywhere() {
    let a = spawn_app().await;
    let (b, fresh) = (a.second_instance(), uncached(&a));
    let (customer, widget, order) = waiting_order(&a, "0").await;
    let path = format!("/orders/{}", order["id"].as_str().expect("id"));
    let own = a.customer_token(customer);
    let statuses = |order: &Value| -> Vec<String> {
        let shipments = order["shipments"].as_array().expect("shipments");
        shipments
            .iter()
            .map(|s| s["status"].as_str().expect("status").to_string())
            .collect()
    };

    warm(&[&a, &b], &path, &own).await;
    let stock = json!({"available": "4"});
    let response = b
        .put(&format!("/products/{widget}/stock"), &b.backoffice, stock)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let released = assert_current(&[&a, &b], &fresh, &path, &own).await;
    assert_eq!(statuses(&released), ["WAITING_FOR_STOCK", "READY"]);

    warm(&[&a, &b], &path, &own).await;
    let ready = released["shipments"][1]["id"].as_str().expect("id");
    let ship = format!("{path}/shipments/{ready}/ship");
    assert_eq!(
        a.post(&ship, &a.backoffice, json!({})).await.status(),
        StatusCode::OK
    );
    let shipped = assert_current(&[&a, &b], &fresh, &path, &own).await;
    assert_eq!(statuses(&shipped), ["WAITING_FOR_STOCK", "SHIPPED"]);
    assert_eq!(shipped["version"], 3);
}
