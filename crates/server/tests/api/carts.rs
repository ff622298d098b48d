use orderpath_carts::{insert_lines, lock_cart, LineFlags, NewLine};
use orderpath_core::quantity::{Quantity, QuantityType};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_problem, spawn_app, TestApp};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

async fn get_cart(app: &TestApp, cart: &Value) -> Value {
    let response = app
        .get(&format!("/carts/{}", id(cart)), &app.backoffice)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("cart")
}

/// Adds lines through the domain (as the configurator will): a parent with a child.
pub fn add_parent_with_child(
    app: &TestApp,
    cart_id: &str,
    parent: Uuid,
    child: Uuid,
    child_flags: LineFlags,
) {
    let mut conn = app.pool.get().expect("connection");
    let cart = lock_cart(&mut conn, cart_id.parse().expect("uuid"), None, None).expect("lock");
    let metres = Quantity::new(QuantityType::ContentQuantity, Decimal::new(250, 0)).expect("qty");
    let one = Quantity::new(QuantityType::Unit, Decimal::ONE).expect("qty");
    insert_lines(
        &mut conn,
        &cart,
        &[
            NewLine {
                product_id: parent,
                quantity: metres,
                flags: LineFlags::default(),
                parent_index: None,
            },
            NewLine {
                product_id: child,
                quantity: one,
                flags: child_flags,
                parent_index: Some(0),
            },
        ],
        chrono::Utc::now(),
    )
    .expect("insert");
}

#[actix_web::test]
async fn creating_and_opening_a_cart_each_record_cart_opened() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cart = app.cart(customer).await;
    assert_eq!(cart["status"], "OPEN");
    assert_eq!(cart["currency"], "EUR");
    assert_eq!(cart["version"], 1);
    assert_eq!(cart["lines"], json!([]));

    get_cart(&app, &cart).await;
    let customer_token = app.customer_token(customer);
    let opened = app
        .post(
            &format!("/carts/{}/open", id(&cart)),
            &customer_token,
            json!({"source": "OFE"}),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);

    // The open came last, so a read's event would have shown by now: a read records none.
    let events = app.events("CART_OPENED", 2).await;
    assert_eq!(
        events[0]["data"],
        json!({"customerId": customer, "cartId": id(&cart), "source": "BACKOFFICE"})
    );
    assert_eq!(
        events[1]["data"],
        json!({"customerId": customer, "cartId": id(&cart), "source": "OFE"})
    );
}

#[actix_web::test]
async fn lines_show_catalog_prices_and_exact_totals() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cable = app.cable("4.20", "3.10").await;
    let cart = app.cart(customer).await;
    let cart = app.add(&cart, cable, "CONTENT_QUANTITY", "120.5").await;
    let line = &cart["lines"][0];
    assert_eq!(
        line["quantity"],
        json!({"type": "CONTENT_QUANTITY", "value": "120.5", "unit": "m"})
    );
    assert_eq!(line["unitPrice"], "4.20");
    assert_eq!(line["catalogUnitPrice"], "4.20");
    assert_eq!(line["priceOverridden"], false);
    assert_eq!(line["purchasePrice"], "3.10");
    assert_eq!(line["vatRate"], "23");
    assert_eq!(line["netTotal"], "506.10");
    assert_eq!(line["vatTotal"], "116.40");
    assert_eq!(line["grossTotal"], "622.50");
    assert_eq!(line["margin"], "132.55");
    assert_eq!(line["marginPercent"], "26.19");
    assert_eq!(line["position"], 1);
    assert_eq!(
        cart["totals"],
        json!({"netTotal": "506.10", "vatTotal": "116.40", "grossTotal": "622.50",
               "purchaseTotal": "373.55", "margin": "132.55", "marginPercent": "26.19"})
    );
}

#[actix_web::test]
async fn adding_the_same_product_twice_merges_into_one_line() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    app.add(&cart, widget, "UNIT", "2").await;
    let cart = app.add(&cart, widget, "UNIT", "3").await;
    assert_eq!(cart["lines"].as_array().expect("lines").len(), 1);
    assert_eq!(cart["lines"][0]["quantity"]["value"], "5");
    assert_eq!(cart["version"], 3);
}

#[actix_web::test]
async fn a_line_with_its_own_flags_never_merges() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    app.add(&cart, widget, "UNIT", "2").await;
    let response = app
        .post(
            &format!("/carts/{}/products", id(&cart)),
            &app.backoffice,
            json!({"productId": widget, "quantity": {"type": "UNIT", "value": 1}, "allowQuantitySplitting": false}),
        )
        .await;
    let cart: Value = response.json().await.expect("cart");
    let lines = cart["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["allowQuantitySplitting"], false);
    assert_eq!(lines[1]["allowQuantityChange"], true);
    assert_eq!(lines[1]["removable"], true);

    // A third default add merges into the plain line, not into the flagged one.
    let cart = app.add(&cart, widget, "UNIT", "4").await;
    assert_eq!(cart["lines"][0]["quantity"]["value"], "6");
    assert_eq!(cart["lines"][1]["quantity"]["value"], "1");
}

#[actix_web::test]
async fn quantity_changes_respect_allow_quantity_change() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    let cart = app.add(&cart, widget, "UNIT", "2").await;
    let line = id(&cart["lines"][0]);
    let changed = app
        .patch(
            &format!("/carts/{}/lines/{line}", id(&cart)),
            &app.backoffice,
            json!({"quantity": {"type": "UNIT", "value": "7"}}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.expect("cart");
    assert_eq!(changed["lines"][0]["quantity"]["value"], "7");
    assert_eq!(changed["lines"][0]["netTotal"], "70.00");

    let fixed = app
        .post(&format!("/carts/{}/products", id(&cart)), &app.backoffice,
            json!({"productId": widget, "quantity": {"type": "UNIT", "value": 1}, "allowQuantityChange": false}))
        .await
        .json::<Value>()
        .await
        .expect("cart");
    let fixed_line = id(&fixed["lines"][1]);
    let refused = app
        .patch(
            &format!("/carts/{}/lines/{fixed_line}", id(&cart)),
            &app.backoffice,
            json!({"quantity": {"type": "UNIT", "value": "3"}}),
        )
        .await;
    assert_problem(refused, 409, "QUANTITY_CHANGE_NOT_ALLOWED").await;
    let after = get_cart(&app, &cart).await;
    assert_eq!(after["lines"][1]["quantity"]["value"], "1");
    assert_eq!(after["version"], fixed["version"]);
}

#[actix_web::test]
async fn lines_that_are_not_removable_stay() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    let cart = app
        .post(&format!("/carts/{}/products", id(&cart)), &app.backoffice,
            json!({"productId": widget, "quantity": {"type": "UNIT", "value": 1}, "removable": false}))
        .await
        .json::<Value>()
        .await
        .expect("cart");
    let line = id(&cart["lines"][0]);
    let refused = app
        .delete(
            &format!("/carts/{}/lines/{line}", id(&cart)),
            &app.backoffice,
        )
        .await;
    assert_problem(refused, 409, "LINE_NOT_REMOVABLE").await;
    assert_eq!(
        get_cart(&app, &cart).await["lines"]
            .as_array()
            .expect("lines")
            .len(),
        1
    );

    let plain = app.add(&cart, widget, "UNIT", "2").await;
    let plain_line = id(&plain["lines"][1]);
    let deleted = app
        .delete(
            &format!("/carts/{}/lines/{plain_line}", id(&cart)),
            &app.backoffice,
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let deleted: Value = deleted.json().await.expect("cart");
    assert_eq!(deleted["lines"].as_array().expect("lines").len(), 1);
}

#[actix_web::test]
async fn deleting_a_parent_takes_its_children_but_a_fixed_child_cannot_go_alone() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cable = app.cable("4.20", "3.10").await;
    let drum = app.product(json!({"kind": "DRUM"})).await;
    let cart = app.cart(customer).await;
    let fixed_child = LineFlags {
        removable: false,
        ..LineFlags::default()
    };
    add_parent_with_child(&app, &id(&cart), cable, drum, fixed_child);
    let cart = get_cart(&app, &cart).await;
    let parent = id(&cart["lines"][0]);
    let child = id(&cart["lines"][1]);
    assert_eq!(cart["lines"][1]["parentLineId"], parent.as_str());

    let refused = app
        .delete(
            &format!("/carts/{}/lines/{child}", id(&cart)),
            &app.backoffice,
        )
        .await;
    assert_problem(refused, 409, "LINE_NOT_REMOVABLE").await;

    let deleted = app
        .delete(
            &format!("/carts/{}/lines/{parent}", id(&cart)),
            &app.backoffice,
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let deleted: Value = deleted.json().await.expect("cart");
    assert_eq!(deleted["lines"], json!([]));
}

#[actix_web::test]
async fn a_stale_if_match_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    let response = app
        .get(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(response.headers()["etag"], "\"1\"");

    app.add(&cart, widget, "UNIT", "1").await;
    let stale = app
        .client
        .post(app.url(&format!("/carts/{}/products", id(&cart))))
        .bearer_auth(&app.backoffice)
        .header("If-Match", "\"1\"")
        .json(&json!({"productId": widget, "quantity": {"type": "UNIT", "value": 5}}))
        .send()
        .await
        .expect("request");
    assert_problem(stale, 412, "VERSION_MISMATCH").await;
    let after = get_cart(&app, &cart).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["lines"][0]["quantity"]["value"], "1");

    let fresh = app
        .client
        .post(app.url(&format!("/carts/{}/products", id(&cart))))
        .bearer_auth(&app.backoffice)
        .header("If-Match", "\"2\"")
        .json(&json!({"productId": widget, "quantity": {"type": "UNIT", "value": 5}}))
        .send()
        .await
        .expect("request");
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(fresh.headers()["etag"], "\"3\"");
}

#[actix_web::test]
async fn concurrent_adds_are_serialised_without_losing_any() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    let adds = (0..20).map(|_| app.add(&cart, widget, "UNIT", "1"));
    futures_util::future::join_all(adds).await;
    let after = get_cart(&app, &cart).await;
    assert_eq!(after["lines"][0]["quantity"]["value"], "20");
    assert_eq!(after["version"], 21);
}
