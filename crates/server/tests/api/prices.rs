use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_fields, assert_json, assert_problem, id, spawn_app, TestApp};

/// A cart holding the same cable in five separate lines of 10 m (never merged, because
/// each is marked not splittable).
async fn app_with_five_cuts() -> (TestApp, Uuid, Value) {
    let app = spawn_app().await;
    let cable = app.cable("4.80", "3.10").await;
    let cart = app.cart(app.customer("ACME").await).await;
    let mut last = cart;
    for _ in 0..5 {
        let cut = json!({"productId": cable, "allowQuantitySplitting": false,
                         "quantity": {"type": "CONTENT_QUANTITY", "value": "10"}});
        last = app.add_line(&last, cut).await;
    }
    assert_eq!(last["lines"].as_array().expect("lines").len(), 5);
    (app, cable, last)
}

/// The price of line number `line` of a cart or an offer (`documents`: "carts" or
/// "offers").
fn price_path(documents: &str, document: &Value, line: usize) -> String {
    let line = id(&document["lines"][line]);
    format!("/{documents}/{}/lines/{line}/price", id(document))
}

async fn put_price(app: &TestApp, path: &str, body: Value) -> Value {
    assert_json(app.put(path, &app.backoffice, body).await, StatusCode::OK).await
}

#[actix_web::test]
async fn a_damaged_piece_is_sold_cheaper_on_its_line_alone() {
    let (app, _, cart) = app_with_five_cuts().await;
    let damaged = json!({"unitPrice": "4.20", "reason": "damaged piece"});
    let edited = put_price(&app, &price_path("carts", &cart, 2), damaged).await;
    let lines = edited["lines"].as_array().expect("lines");
    for (i, l) in lines.iter().enumerate() {
        if i == 2 {
            assert_fields(
                l,
                json!({"unitPrice": "4.20", "catalogUnitPrice": "4.80", "priceOverridden": true,
                       "netTotal": "42.00", "margin": "11.00", "marginPercent": "26.19"}),
            );
        } else {
            assert_eq!(l["unitPrice"], "4.80", "line {i} keeps its price");
            assert_eq!(l["priceOverridden"], false);
        }
    }
    assert_eq!(edited["totals"]["netTotal"], "234.00");
    assert_eq!(
        edited["version"],
        cart["version"].as_i64().expect("version") + 1
    );
}

#[actix_web::test]
async fn purchase_prices_are_edited_on_carts_and_offers() {
    let (app, _, cart) = app_with_five_cuts().await;
    let bought_cheaper = json!({"purchasePrice": 2.5});
    let edited = put_price(&app, &price_path("carts", &cart, 0), bought_cheaper).await;
    assert_eq!(edited["lines"][0]["purchasePrice"], "2.50");
    assert_eq!(
        edited["lines"][0]["priceOverridden"], true,
        "staff see any edit"
    );
    let customer = app.customer_token_for(&cart);
    let seen = app
        .get_json(&format!("/carts/{}", id(&cart)), &customer)
        .await;
    assert_eq!(
        seen["lines"][0]["priceOverridden"], false,
        "customers never learn of purchase prices"
    );
    assert_eq!(edited["lines"][0]["unitPrice"], "4.80");
    assert_eq!(edited["lines"][0]["margin"], "23.00");
    assert_eq!(edited["totals"]["purchaseTotal"], "149.00");

    let offer = app.offer(&cart, json!({})).await;
    let both = json!({"purchasePrice": "0.0049", "unitPrice": 5});
    let edited = put_price(&app, &price_path("offers", &offer, 1), both).await;
    assert_eq!(edited["lines"][1]["purchasePrice"], "0.0049");
    assert_eq!(edited["lines"][1]["unitPrice"], "5.00");
    assert_eq!(edited["lines"][1]["netTotal"], "50.00");
    assert_eq!(edited["lines"][1]["margin"], "49.95");
}

#[actix_web::test]
async fn an_override_survives_quantity_changes_catalog_changes_and_offers_until_restored() {
    let (app, cable, cart) = app_with_five_cuts().await;
    let cart_id = id(&cart);
    let line = id(&cart["lines"][0]);
    let price = price_path("carts", &cart, 0);
    put_price(&app, &price, json!({"unitPrice": "4.00"})).await;
    let changed: Value = app
        .patch(
            &format!("/carts/{cart_id}/lines/{line}"),
            &app.backoffice,
            json!({"quantity": {"type": "CONTENT_QUANTITY", "value": "20"}}),
        )
        .await
        .json()
        .await
        .expect("cart");
    assert_eq!(changed["lines"][0]["unitPrice"], "4.00");
    assert_eq!(changed["lines"][0]["netTotal"], "80.00");

    let mut product = app
        .get_json(&format!("/products/{cable}"), &app.backoffice)
        .await;
    product["netPrice"] = json!("5.50");
    assert_eq!(
        app.put(&format!("/products/{cable}"), &app.backoffice, product)
            .await
            .status(),
        StatusCode::OK
    );
    let reread = app
        .get_json(&format!("/carts/{cart_id}"), &app.backoffice)
        .await;
    assert_eq!(
        reread["lines"][0]["unitPrice"], "4.00",
        "the override stays"
    );
    assert_eq!(reread["lines"][0]["catalogUnitPrice"], "5.50");
    assert_eq!(
        reread["lines"][1]["unitPrice"], "5.50",
        "other lines follow the catalog"
    );

    let offer = app.offer(&cart, json!({})).await;
    assert_eq!(offer["lines"][0]["unitPrice"], "4.00");
    assert_eq!(offer["lines"][0]["priceOverridden"], true);
    let offer_edits = app
        .get_json(
            &format!("/offers/{}/price-edits", id(&offer)),
            &app.backoffice,
        )
        .await;
    assert_eq!(
        offer_edits["items"],
        json!([]),
        "an offer starts with its own empty history"
    );

    let restored = app.delete(&price, &app.backoffice).await;
    let restored = assert_json(restored, StatusCode::OK).await;
    assert_eq!(restored["lines"][0]["unitPrice"], "5.50");
    assert_eq!(restored["lines"][0]["priceOverridden"], false);
    let offer_price = price_path("offers", &offer, 0);
    let offer_restored = app.delete(&offer_price, &app.backoffice).await;
    let offer_restored = assert_json(offer_restored, StatusCode::OK).await;
    assert_eq!(
        offer_restored["lines"][0]["unitPrice"], "5.50",
        "the catalog price copied into the offer"
    );
    assert_eq!(offer_restored["lines"][0]["priceOverridden"], false);
}

#[actix_web::test]
async fn every_edit_and_restore_is_audited_in_order() {
    let (app, _, cart) = app_with_five_cuts().await;
    let cart_id = id(&cart);
    let line = id(&cart["lines"][3]);
    let price = price_path("carts", &cart, 3);
    let both = json!({"unitPrice": "4.20", "purchasePrice": "3.00", "reason": "damaged piece"});
    put_price(&app, &price, both).await;
    app.delete(&price, &app.backoffice).await;
    let edits = app
        .get_json(&format!("/carts/{cart_id}/price-edits"), &app.integration)
        .await;
    let items = edits["items"].as_array().expect("items");
    let summary: Vec<(String, String, String)> = items
        .iter()
        .map(|e| {
            (
                e["field"].as_str().expect("f").into(),
                e["oldValue"].as_str().expect("o").into(),
                e["newValue"].as_str().expect("n").into(),
            )
        })
        .collect();
    let expected = [
        ("UNIT_PRICE", "4.80", "4.20"),
        ("PURCHASE_PRICE", "3.10", "3.00"),
        ("UNIT_PRICE", "4.20", "4.80"),
        ("PURCHASE_PRICE", "3.00", "3.10"),
    ];
    assert_eq!(
        summary,
        expected
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .to_vec()
    );
    assert_eq!(items[0]["lineId"], line.as_str());
    assert_eq!(items[0]["reason"], "damaged piece");
    assert_eq!(items[0]["actor"], "Bea Backoffice");
    assert!(items[0]["at"].is_string());
    assert_eq!(items[2]["reason"], Value::Null);
}

#[actix_web::test]
async fn bad_price_edits_are_refused_and_change_nothing() {
    let (app, _, cart) = app_with_five_cuts().await;
    let cart_id = id(&cart);
    let path = price_path("carts", &cart, 0);
    for (body, field) in [
        (json!({}), "unitPrice"),
        (json!({"reason": "no price"}), "unitPrice"),
        (json!({"unitPrice": "-0.01"}), "unitPrice"),
        (json!({"unitPrice": "1.23456"}), "unitPrice"),
        (json!({"purchasePrice": "1000000000"}), "purchasePrice"),
        (
            json!({"unitPrice": "1", "reason": "x".repeat(501)}),
            "reason",
        ),
    ] {
        let problem = assert_problem(
            app.put(&path, &app.backoffice, body).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    assert_problem(
        app.put(&path, &app.backoffice, json!({"unitPrice": "abc"}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let unknown_line = format!("/carts/{cart_id}/lines/{}/price", Uuid::new_v4());
    assert_problem(
        app.put(&unknown_line, &app.backoffice, json!({"unitPrice": "1"}))
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    let customer = app.customer_token_for(&cart);
    assert_problem(
        app.put(&path, &customer, json!({"unitPrice": "1"})).await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_problem(
        app.get(&format!("/carts/{cart_id}/price-edits"), &customer)
            .await,
        403,
        "FORBIDDEN",
    )
    .await;

    let after = app
        .get_json(&format!("/carts/{cart_id}"), &app.backoffice)
        .await;
    assert_eq!(after["version"], cart["version"]);
    assert_eq!(after["lines"][0]["unitPrice"], "4.80");
    let edits = app
        .get_json(&format!("/carts/{cart_id}/price-edits"), &app.backoffice)
        .await;
    assert_eq!(edits["items"], json!([]));
}

#[actix_web::test]
async fn locked_offers_and_stale_versions_refuse_edits() {
    let (app, _, cart) = app_with_five_cuts().await;
    let offer = app.offer(&cart, json!({})).await;
    let path = price_path("offers", &offer, 0);
    let stale = app
        .send_if_match(Method::PUT, &path, "\"0\"", json!({"unitPrice": "1"}))
        .await;
    assert_problem(stale, 412, "VERSION_MISMATCH").await;
    for status in ["SENT", "REJECTED"] {
        app.patch(
            &format!("/offers/{}", id(&offer)),
            &app.backoffice,
            json!({"status": status}),
        )
        .await;
    }
    assert_problem(
        app.put(&path, &app.backoffice, json!({"unitPrice": "1"}))
            .await,
        409,
        "OFFER_LOCKED",
    )
    .await;
    assert_problem(
        app.delete(&path, &app.backoffice).await,
        409,
        "OFFER_LOCKED",
    )
    .await;
}

#[actix_web::test]
async fn fifty_concurrent_edits_leave_a_consistent_audit_and_version() {
    let (app, _, cart) = app_with_five_cuts().await;
    let cart_id = id(&cart);
    let path = price_path("carts", &cart, 0);
    let edits = (0..50).map(|i| {
        let body = json!({"unitPrice": format!("{}.{:02}", 1 + i / 10, i)});
        let path = path.clone();
        let app = &app;
        async move { app.put(&path, &app.backoffice, body).await.status() }
    });
    let statuses = futures_util::future::join_all(edits).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );

    let after = app
        .get_json(&format!("/carts/{cart_id}"), &app.backoffice)
        .await;
    assert_eq!(
        after["version"],
        cart["version"].as_i64().expect("v") + 50,
        "one version per edit"
    );
    let audit_path = format!("/carts/{cart_id}/price-edits?limit=500");
    let audit = app.get_json(&audit_path, &app.backoffice).await;
    let items = audit["items"].as_array().expect("items");
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["oldValue"], "4.80");
    for pair in items.windows(2) {
        assert_eq!(
            pair[1]["oldValue"], pair[0]["newValue"],
            "each edit saw the one before it"
        );
    }
    assert_eq!(after["lines"][0]["unitPrice"], items[49]["newValue"]);
}

#[actix_web::test]
async fn totals_are_exact_to_the_cent() {
    let app = spawn_app().await;
    // (unit price, quantity, VAT %) → (net, VAT, gross)
    let cases = [
        ("19.99", "3", "8", "59.97", "4.80", "64.77"),
        ("0.0049", "3", "23", "0.01", "0.00", "0.01"),
        ("0.125", "1", "0", "0.13", "0.00", "0.13"),
        ("2.675", "1", "5", "2.68", "0.13", "2.81"),
        ("1.005", "7", "19", "7.04", "1.34", "8.38"),
        (
            "999.9999",
            "999",
            "23",
            "998999.90",
            "229769.98",
            "1228769.88",
        ),
    ];
    let customer = app.customer("ACME").await;
    for (price, quantity, vat, net, vat_total, gross) in cases {
        let product = app
            .product(json!({"netPrice": price, "vatRate": vat}))
            .await;
        let cart = app.cart(customer).await;
        let cart = app.add(&cart, product, "UNIT", quantity).await;
        let line = &cart["lines"][0];
        assert_eq!(
            (
                line["netTotal"].as_str(),
                line["vatTotal"].as_str(),
                line["grossTotal"].as_str()
            ),
            (Some(net), Some(vat_total), Some(gross)),
            "{price} × {quantity} at {vat} %"
        );
        assert_eq!(cart["totals"]["grossTotal"], gross);
    }
}
