use orderpath_carts::LineFlags;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::carts::add_parent_with_child;
use crate::helpers::{assert_json, assert_problem, each, id, spawn_app, TestApp};

/// A cart with two cable cuts, each with its drum, and a plain widget line.
async fn cable_cart(app: &TestApp) -> (uuid::Uuid, Value) {
    let customer = app.customer("ACME").await;
    let cable = app.cable("4.20", "3.10").await;
    let drum = app
        .drum(json!({"netPrice": "30", "purchasePrice": "20"}))
        .await;
    let widget = app.product(json!({})).await;
    let cart = app.cart(customer).await;
    add_parent_with_child(app, &id(&cart), cable, drum, LineFlags::default());
    add_parent_with_child(app, &id(&cart), cable, drum, LineFlags::default());
    let cart = app.add(&cart, widget, "UNIT", "3").await;
    (customer, cart)
}

/// A fresh app with [`cable_cart`]: the app, the customer and the cart.
async fn app_with_cable_cart() -> (TestApp, uuid::Uuid, Value) {
    let app = spawn_app().await;
    let (customer, cart) = cable_cart(&app).await;
    (app, customer, cart)
}

/// A fresh app with a `DRAFT` offer of [`cable_cart`], and the offer's path.
async fn app_with_offer() -> (TestApp, String) {
    let (app, _, cart) = app_with_cable_cart().await;
    let offer = app.offer(&cart, json!({})).await;
    (app, format!("/offers/{}", id(&offer)))
}

/// A fresh app with two `DRAFT` offers of one [`cable_cart`], older first.
async fn app_with_two_offers() -> (TestApp, uuid::Uuid, [Value; 2]) {
    let (app, customer, cart) = app_with_cable_cart().await;
    let older = app.offer(&cart, json!({})).await;
    let newer = app.offer(&cart, json!({})).await;
    (app, customer, [older, newer])
}

/// An offer of `cart` that expires `hours` from now.
async fn offer_valid_for(app: &TestApp, cart: &Value, hours: i64) -> Value {
    let until = app.clock_now() + chrono::Duration::hours(hours);
    app.offer(cart, json!({ "validUntil": until.to_rfc3339() }))
        .await
}

/// Asserts that the ERP feed asked with `query` shows no offer.
async fn assert_no_offers(app: &TestApp, query: &str) {
    let page = app
        .get_json(&format!("/offers?{query}"), &app.integration)
        .await;
    assert_eq!(page["items"], json!([]), "{query}");
}

/// Asks, as staff, for the offer at `path` to move to `status`.
async fn set_status(app: &TestApp, path: &str, status: &str) -> Response {
    app.patch(path, &app.backoffice, json!({ "status": status }))
        .await
}

/// A page of the ERP feed once it holds at least `count` offers. The feed shows a change
/// only when every older transaction of the PostgreSQL cluster has ended, and tests share
/// the cluster, so a change may take a moment to appear.
async fn feed_page(app: &TestApp, path: &str, count: usize) -> Value {
    for _ in 0..200 {
        let page = app.get_json(path, &app.integration).await;
        if page["items"].as_array().expect("items").len() >= count {
            return page;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{path} did not show {count} offers within 10 seconds");
}

#[actix_web::test]
async fn an_offer_copies_the_cart_and_points_children_at_its_own_lines() {
    let (app, customer, cart) = app_with_cable_cart().await;
    let offer = app.offer(&cart, json!({})).await;
    assert_eq!(offer["status"], "DRAFT");
    assert_eq!(offer["customerId"], customer.to_string());
    assert_eq!(offer["cartId"], cart["id"]);
    assert!(offer["number"].as_str().expect("number").starts_with("OF-"));
    assert_eq!(offer["totals"], cart["totals"]);

    let lines = offer["lines"].as_array().expect("lines");
    let cart_lines = cart["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 5);
    let offer_ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    for (line, cart_line) in lines.iter().zip(cart_lines) {
        assert_ne!(
            line["id"], cart_line["id"],
            "offer lines have their own ids"
        );
        for field in [
            "productId",
            "quantity",
            "unitPrice",
            "netTotal",
            "allowQuantitySplitting",
            "removable",
        ] {
            assert_eq!(line[field], cart_line[field], "{field}");
        }
    }
    assert_eq!(lines[0]["parentLineId"], Value::Null);
    assert_eq!(lines[1]["parentLineId"], offer_ids[0]);
    assert_eq!(lines[3]["parentLineId"], offer_ids[2]);
    assert_eq!(lines[4]["parentLineId"], Value::Null);

    let by_query = app
        .get_json(&format!("/offer?offerId={}", id(&offer)), &app.integration)
        .await;
    assert_eq!(by_query, offer);
    let by_path = app
        .get_json(&format!("/offers/{}", id(&offer)), &app.integration)
        .await;
    assert_eq!(by_path, offer);
}

#[actix_web::test]
async fn offer_numbers_are_unique_and_increasing() {
    let (_app, _, [first, second]) = app_with_two_offers().await;
    assert!(second["number"].as_str() > first["number"].as_str());
}

#[actix_web::test]
async fn an_empty_cart_or_a_bad_offer_id_makes_no_offer() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cart = app.cart(customer).await;
    let empty = app
        .post(
            &format!("/carts/{}/offer", id(&cart)),
            &app.backoffice,
            json!({}),
        )
        .await;
    assert_problem(empty, 422, "VALIDATION_FAILED").await;
    let past = app
        .post(
            &format!("/carts/{}/offer", id(&cart)),
            &app.backoffice,
            json!({"validUntil": "2000-01-01T00:00:00Z"}),
        )
        .await;
    assert_problem(past, 422, "VALIDATION_FAILED").await;
    assert_problem(
        app.get("/offer?offerId=nope", &app.backoffice).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.get("/offer", &app.backoffice).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let unknown = uuid::Uuid::new_v4();
    assert_problem(
        app.get(&format!("/offer?offerId={unknown}"), &app.backoffice)
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[actix_web::test]
async fn statuses_move_forward_only_and_lock_when_final() {
    let (app, path) = app_with_offer().await;

    let refused = set_status(&app, &path, "ACCEPTED").await;
    assert_problem(refused, 409, "INVALID_STATUS_TRANSITION").await;
    let sent = assert_json(set_status(&app, &path, "SENT").await, StatusCode::OK).await;
    assert_eq!(sent["status"], "SENT");
    assert_eq!(sent["version"], 2);
    let accepted = assert_json(set_status(&app, &path, "ACCEPTED").await, StatusCode::OK).await;
    assert_eq!(accepted["status"], "ACCEPTED");
    let locked = set_status(&app, &path, "REJECTED").await;
    assert_problem(locked, 409, "OFFER_LOCKED").await;
    let again = set_status(&app, &path, "ACCEPTED").await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "asking for the current status changes nothing"
    );
    let after = app.get_json(&path, &app.backoffice).await;
    assert_eq!(after["version"], 3);
}

#[actix_web::test]
async fn a_stale_if_match_on_an_offer_is_refused() {
    let (app, path) = app_with_offer().await;
    let stale = app
        .send_if_match(Method::PATCH, &path, "\"7\"", json!({"status": "SENT"}))
        .await;
    assert_problem(stale, 412, "VERSION_MISMATCH").await;
    let after = app.get_json(&path, &app.backoffice).await;
    assert_eq!(after["status"], "DRAFT");
}

#[actix_web::test]
async fn an_offer_expires_once_valid_until_passes() {
    let (app, _, cart) = app_with_cable_cart().await;
    let offer = offer_valid_for(&app, &cart, 2).await;
    let path = format!("/offers/{}", id(&offer));
    app.clock.advance(chrono::Duration::hours(3));
    let read = app.get_json(&path, &app.backoffice).await;
    assert_eq!(read["status"], "EXPIRED");
    let refused = set_status(&app, &path, "SENT").await;
    assert_problem(refused, 409, "OFFER_LOCKED").await;
    let listed = feed_page(&app, "/offers", 1).await;
    assert_eq!(listed["items"][0]["status"], "EXPIRED");
}

#[actix_web::test]
async fn customers_see_their_own_offers_without_purchase_prices() {
    let (app, customer, cart) = app_with_cable_cart().await;
    let offer = app.offer(&cart, json!({})).await;
    let own = app.customer_token(customer);
    let response = app.get(&format!("/offers/{}", id(&offer)), &own).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    for hidden in ["purchasePrice", "purchaseTotal", "margin"] {
        assert!(!text.contains(hidden), "{hidden} leaked: {text}");
    }
    let stranger = app.customer_token(app.customer("Other").await);
    assert_problem(
        app.get(&format!("/offers/{}", id(&offer)), &stranger).await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.get(&format!("/offer?offerId={}", id(&offer)), &stranger)
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    let feed = app.get_json("/offers", &stranger).await;
    assert_eq!(feed["items"], json!([]));
    assert_problem(
        app.post(&format!("/carts/{}/offer", id(&cart)), &own, json!({}))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
}

async fn open(app: &TestApp, offer: &Value, token: &str) -> StatusCode {
    app.post(&format!("/offers/{}/open", id(offer)), token, json!({}))
        .await
        .status()
}

#[actix_web::test]
async fn offer_opened_fires_when_the_user_switches_offers() {
    let (app, customer, [first, second]) = app_with_two_offers().await;
    assert_eq!(open(&app, &first, &app.backoffice).await, StatusCode::OK);
    assert_eq!(open(&app, &first, &app.backoffice).await, StatusCode::OK);
    assert_eq!(open(&app, &second, &app.backoffice).await, StatusCode::OK);
    assert_eq!(open(&app, &first, &app.backoffice).await, StatusCode::OK);
    assert_eq!(
        open(&app, &first, &app.integration).await,
        StatusCode::FORBIDDEN
    );

    let events = app.events("OFFER_OPENED", 3).await;
    let opened: Vec<&Value> = events.iter().map(|e| &e["data"]["offerId"]).collect();
    assert_eq!(opened, vec![&first["id"], &second["id"], &first["id"]]);
    assert_eq!(events[0]["data"]["customerId"], customer.to_string());
    let opener = app.caller_id(&app.backoffice).await;
    assert!(
        events.iter().all(|e| e["data"]["userId"] == opener),
        "{events:?}"
    );

    // Another backoffice user has a history of their own.
    let colleague = app.backoffice_token("Colleague");
    assert_eq!(open(&app, &first, &colleague).await, StatusCode::OK);
    let events = app.events("OFFER_OPENED", 4).await;
    assert_eq!(events[3]["data"]["offerId"], first["id"]);
    assert_eq!(events[3]["data"]["userId"], app.caller_id(&colleague).await);
}

#[actix_web::test]
async fn offer_opened_compares_with_the_same_users_last_offer_not_anyones() {
    let app = spawn_app().await;
    let (_, cart) = cable_cart(&app).await;
    let (x, y) = (
        app.offer(&cart, json!({})).await,
        app.offer(&cart, json!({})).await,
    );
    let colleague = app.backoffice_token("Colleague");
    let emitted = |offer: &Value, token: &str| {
        let path = format!("/offers/{}/open", id(offer));
        let (app, token) = (&app, token.to_string());
        async move {
            let response = app.post(&path, &token, json!({})).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.headers()["offer-opened-emitted"]
                .to_str()
                .expect("text")
                .to_string()
        }
    };
    // A minute between the views, so that "the latest view of anyone" is well defined
    // and would differ from "this user's latest view".
    let minute = chrono::Duration::minutes(1);
    assert_eq!(emitted(&x, &app.backoffice).await, "true");
    app.clock.advance(minute);
    assert_eq!(emitted(&y, &colleague).await, "true");
    app.clock.advance(minute);
    assert_eq!(
        emitted(&x, &app.backoffice).await,
        "false",
        "the colleague's offer in between is no switch of this user's"
    );
    assert_eq!(emitted(&y, &app.backoffice).await, "true");
    let events = app.events("OFFER_OPENED", 3).await;
    let opened: Vec<(&Value, &Value)> = events
        .iter()
        .map(|e| (&e["data"]["offerId"], &e["data"]["userId"]))
        .collect();
    let (me, them) = (
        app.caller_id(&app.backoffice).await,
        app.caller_id(&colleague).await,
    );
    assert_eq!(
        opened,
        [(&x["id"], &me), (&y["id"], &them), (&y["id"], &me)]
    );
}

#[actix_web::test]
async fn opening_an_offer_says_whether_it_recorded_offer_opened() {
    let (app, _, [first, second]) = app_with_two_offers().await;
    let emitted = |offer: &Value| {
        let path = format!("/offers/{}/open", id(offer));
        let app = &app;
        async move {
            let response = app.post(&path, &app.backoffice, json!({})).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.headers()["offer-opened-emitted"]
                .to_str()
                .expect("text")
                .to_string()
        }
    };
    assert_eq!(emitted(&first).await, "true");
    assert_eq!(emitted(&first).await, "false", "the same offer again");
    assert_eq!(emitted(&second).await, "true");
    app.events("OFFER_OPENED", 2).await;
}

#[actix_web::test]
async fn the_erp_feed_shows_each_offer_again_after_it_changes() {
    let (app, customer, [a, b]) = app_with_two_offers().await;
    let page = feed_page(&app, "/offers?limit=1", 1).await;
    assert_eq!(page["items"][0]["id"], a["id"]);
    let cursor = page["nextCursor"].as_str().expect("cursor").to_string();

    set_status(&app, &format!("/offers/{}", id(&a)), "SENT").await;
    let rest = feed_page(&app, &format!("/offers?cursor={cursor}"), 2).await;
    let ids = each(&rest["items"], "id");
    assert_eq!(ids, vec![&b["id"], &a["id"]]);
    assert_eq!(rest["items"][1]["status"], "SENT");
    let end = rest["nextCursor"].as_str().expect("cursor");
    let caught_up = app
        .get_json(&format!("/offers?cursor={end}"), &app.integration)
        .await;
    assert_eq!(caught_up["items"], json!([]));
    assert!(caught_up["nextCursor"].is_string());

    assert_no_offers(&app, &format!("customerId={}", uuid::Uuid::new_v4())).await;
    let own = feed_page(&app, &format!("/offers?customerId={customer}"), 2).await;
    assert_eq!(own["items"].as_array().expect("items").len(), 2);
    let future = (app.clock_now() + chrono::Duration::days(1))
        .to_rfc3339()
        .replace('+', "%2B");
    assert_no_offers(&app, &format!("updatedSince={future}")).await;
}

#[actix_web::test]
async fn repeated_reads_always_show_the_offer_as_it_is_now() {
    let (app, customer, cart) = app_with_cable_cart().await;
    let offer = offer_valid_for(&app, &cart, 1).await;
    let path = format!("/offer?offerId={}", id(&offer));
    let first = app.get_json(&path, &app.backoffice).await;
    assert_eq!(first, app.get_json(&path, &app.backoffice).await);

    // A customer never gets the staff rendering, even right after staff read it.
    let own = app.customer_token(customer);
    let text = app.get(&path, &own).await.text().await.expect("body");
    assert!(
        !text.contains("purchasePrice") && !text.contains("margin"),
        "{text}"
    );

    // A change is visible at once.
    let line = id(&offer["lines"][0]);
    app.put(
        &format!("/offers/{}/lines/{line}/price", id(&offer)),
        &app.backoffice,
        json!({"unitPrice": "1.00"}),
    )
    .await;
    let edited = app.get_json(&path, &app.backoffice).await;
    assert_eq!(edited["lines"][0]["unitPrice"], "1.00");
    assert_eq!(edited["version"], 2);

    // So is expiry, which changes no row.
    app.clock.advance(chrono::Duration::hours(2));
    let expired = app.get_json(&path, &app.backoffice).await;
    assert_eq!(expired["status"], "EXPIRED");
}

/// GETs `path` as staff, with `If-None-Match: etag` when given.
async fn get_if_none_match(app: &TestApp, path: &str, etag: Option<&str>) -> Response {
    let mut request = app.client.get(app.url(path)).bearer_auth(&app.backoffice);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.expect("request")
}

#[actix_web::test]
async fn a_client_holding_the_current_version_gets_304() {
    let (app, path) = app_with_offer().await;
    let read = get_if_none_match(&app, &path, None).await;
    let etag = read.headers()["etag"].to_str().expect("etag").to_string();
    assert_eq!(etag, "\"1\"");
    let again = get_if_none_match(&app, &path, Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    set_status(&app, &path, "SENT").await;
    let changed = get_if_none_match(&app, &path, Some(&etag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.headers()["etag"], "\"2\"");
}
