//! Offers decided by the customer, and orders placed from accepted offers.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_json, assert_problem, id, spawn_app, TestApp};

struct Catalog {
    cable: Uuid,
    drum: Uuid,
    widget: Uuid,
}

async fn catalog(app: &TestApp) -> Catalog {
    let drum = app
        .drum(json!({"netPrice": "30", "purchasePrice": "20", "stock": "20"}))
        .await;
    let prices = json!({"netPrice": "4.20", "purchasePrice": "3.10", "stock": "1000"});
    let cable = app.cable_on(&[(drum, "500")], prices).await;
    let widget = app.product(json!({})).await;
    Catalog {
        cable,
        drum,
        widget,
    }
}

/// A `DRAFT` offer for a new customer: a 300 m cut on a drum, then 3 widgets.
async fn draft_offer(app: &TestApp, c: &Catalog, valid_until: Option<DateTime<Utc>>) -> Value {
    let cart = app.cart(app.customer("ACME").await).await;
    let cut = json!({"configurableProducts": [{
        "productId": c.cable, "quantity": {"type": "CONTENT_QUANTITY", "value": "300"},
        "children": [{"productId": c.drum, "quantity": {"type": "UNIT", "value": "1"}}]}]});
    let path = format!("/carts/{}/add-configurable-products", id(&cart));
    let cart = assert_json(app.post(&path, &app.backoffice, cut).await, StatusCode::OK).await;
    let cart = app.add(&cart, c.widget, "UNIT", "3").await;
    app.offer(&cart, json!({"validUntil": valid_until})).await
}

/// Changes the offer's status as `token`.
async fn decide(app: &TestApp, offer: &Value, token: &str, status: &str) -> Response {
    let path = format!("/offers/{}", id(offer));
    app.patch(&path, token, json!({"status": status})).await
}

/// Changes the offer's status as `token`, asserts 200 and that the answer shows the new
/// status, and returns the offer.
async fn decided(app: &TestApp, offer: &Value, token: &str, status: &str) -> Value {
    let changed = assert_json(decide(app, offer, token, status).await, StatusCode::OK).await;
    assert_eq!(changed["status"], status);
    changed
}

async fn send(app: &TestApp, offer: &Value) -> Value {
    decided(app, offer, &app.backoffice, "SENT").await
}

async fn place(app: &TestApp, offer: &Value, token: &str) -> Response {
    app.post(&format!("/offers/{}/order", id(offer)), token, json!({}))
        .await
}

async fn reserved(app: &TestApp, product: Uuid) -> String {
    let product = app
        .get_json(&format!("/products/{product}"), &app.backoffice)
        .await;
    product["reserved"].as_str().expect("reserved").to_string()
}

fn lines(document: &Value) -> &Vec<Value> {
    document["lines"].as_array().expect("lines")
}

#[actix_web::test]
async fn an_accepted_offer_is_ordered_once_with_its_edited_prices_and_linked_lines() {
    let app = spawn_app().await;
    let c = catalog(&app).await;
    let offer = draft_offer(&app, &c, None).await;
    let price = format!(
        "/offers/{}/lines/{}/price",
        id(&offer),
        id(&lines(&offer)[0])
    );
    let edited = app
        .put(&price, &app.backoffice, json!({"unitPrice": "3.95"}))
        .await;
    assert_json(edited, StatusCode::OK).await;
    let offer = send(&app, &offer).await;
    let customer = app.customer_token_for(&offer);

    let accepted = decided(&app, &offer, &customer, "ACCEPTED").await;
    assert!(!accepted.to_string().contains("purchasePrice"));

    let order = assert_json(place(&app, &offer, &customer).await, StatusCode::CREATED).await;
    assert_eq!(order["offerId"], offer["id"]);
    assert_eq!(order["cartId"], Value::Null);
    assert_eq!(order["customerId"], offer["customerId"]);
    assert!(!order.to_string().contains("purchasePrice"));
    let (ordered, offered) = (lines(&order), lines(&offer));
    assert_eq!(ordered.len(), 3);
    for (line, source) in ordered.iter().zip(offered) {
        assert_ne!(line["id"], source["id"], "order lines have their own ids");
        for field in [
            "productId",
            "sku",
            "quantity",
            "unitPrice",
            "catalogUnitPrice",
            "priceOverridden",
            "allowQuantityChange",
            "allowQuantitySplitting",
            "removable",
            "netTotal",
            "grossTotal",
            "position",
        ] {
            assert_eq!(line[field], source[field], "{field}");
        }
    }
    assert_eq!(ordered[0]["unitPrice"], "3.95");
    assert_eq!(ordered[0]["priceOverridden"], true);
    assert_eq!(
        ordered[1]["parentLineId"], ordered[0]["id"],
        "the drum hangs on the cut"
    );
    assert_eq!(ordered[2]["parentLineId"], Value::Null);
    assert_eq!(order["totals"]["netTotal"], offer["totals"]["netTotal"]);
    assert_eq!(order["shipments"][0]["status"], "READY");
    assert_eq!(reserved(&app, c.cable).await, "300");
    assert_eq!(reserved(&app, c.drum).await, "1");
    assert_eq!(reserved(&app, c.widget).await, "3");

    let reread = app
        .get_json(&format!("/offers/{}", id(&offer)), &app.backoffice)
        .await;
    assert_eq!(reread["status"], "ORDERED");
    let events = app.events("ORDER_PLACED", 1).await;
    let data = &events[0]["data"];
    assert_eq!(data["offerId"], offer["id"]);
    assert_eq!(data["orderId"], order["id"]);
    assert_eq!(data["customerId"], offer["customerId"]);
    assert!(data.get("cartId").is_none(), "{data}");

    let again = place(&app, &offer, &app.backoffice).await;
    assert_problem(again, 409, "INVALID_STATUS_TRANSITION").await;
    assert_eq!(
        reserved(&app, c.cable).await,
        "300",
        "nothing reserved twice"
    );
    let path = format!(
        "/customers/{}/orders",
        offer["customerId"].as_str().expect("customer")
    );
    let orders = app.get_json(&path, &app.backoffice).await;
    assert_eq!(orders["items"].as_array().expect("items").len(), 1);
    let locked = decide(&app, &offer, &app.backoffice, "REJECTED").await;
    assert_problem(locked, 409, "OFFER_LOCKED").await;
    let cart = app
        .get_json(
            &format!("/carts/{}", offer["cartId"].as_str().expect("cart")),
            &app.backoffice,
        )
        .await;
    assert_eq!(
        cart["status"], "OPEN",
        "the cart the offer was made from stays open"
    );
}

#[actix_web::test]
async fn offers_not_accepted_or_past_their_validity_cannot_be_ordered() {
    let app = spawn_app().await;
    let c = catalog(&app).await;
    let draft = draft_offer(&app, &c, None).await;
    let sent = send(&app, &draft_offer(&app, &c, None).await).await;
    let rejected = send(&app, &draft_offer(&app, &c, None).await).await;
    let token = app.customer_token_for(&rejected);
    decided(&app, &rejected, &token, "REJECTED").await;
    let until = app.clock_now() + Duration::hours(1);
    let expiring = send(&app, &draft_offer(&app, &c, Some(until)).await).await;
    let token = app.customer_token_for(&expiring);
    decided(&app, &expiring, &token, "ACCEPTED").await;
    app.clock.advance(Duration::hours(2));

    for offer in [&draft, &sent, &rejected, &expiring] {
        let refused = place(&app, offer, &app.backoffice).await;
        assert_problem(refused, 409, "INVALID_STATUS_TRANSITION").await;
    }
    for product in [c.cable, c.drum, c.widget] {
        assert_eq!(reserved(&app, product).await, "0");
    }
    let orders = app.get_json("/orders", &app.backoffice).await;
    assert_eq!(orders["items"], json!([]));
    let answer = place(&app, &json!({"id": Uuid::new_v4()}), &app.backoffice).await;
    assert_problem(answer, 404, "NOT_FOUND").await;
}

#[actix_web::test]
async fn a_customer_only_accepts_or_rejects_its_own_sent_offers() {
    let app = spawn_app().await;
    let c = catalog(&app).await;
    let offer = draft_offer(&app, &c, None).await;
    let own = app.customer_token_for(&offer);
    let accept_draft = decide(&app, &offer, &own, "ACCEPTED").await;
    assert_problem(accept_draft, 409, "INVALID_STATUS_TRANSITION").await;
    let offer = send(&app, &offer).await;

    let path = format!("/offers/{}", id(&offer));
    let later = app.clock_now() + Duration::days(9);
    for body in [
        json!({"status": "SENT"}),
        json!({"status": "DRAFT"}),
        json!({"validUntil": later}),
        json!({"status": "ACCEPTED", "validUntil": later}),
        json!({}),
    ] {
        let refused = app.patch(&path, &own, body.clone()).await;
        assert_problem(refused, 403, "FORBIDDEN").await;
    }

    let stranger = app.customer_token(app.customer("Other").await);
    let foreign = decide(&app, &offer, &stranger, "ACCEPTED").await;
    assert_problem(foreign, 404, "NOT_FOUND").await;
    decided(&app, &offer, &app.integration, "ACCEPTED").await;
    assert_problem(place(&app, &offer, &stranger).await, 404, "NOT_FOUND").await;

    let other = send(&app, &draft_offer(&app, &c, None).await).await;
    let token = app.customer_token_for(&other);
    decided(&app, &other, &token, "REJECTED").await;
    let locked = decide(&app, &other, &token, "ACCEPTED").await;
    assert_problem(locked, 409, "OFFER_LOCKED").await;
}
