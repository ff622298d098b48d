use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    assert_json, assert_problem, each, id, overlay, product_body, spawn_app, TestApp,
};

struct Stocked {
    cable: Uuid,
    drum: Uuid,
}

async fn cable_and_drum(app: &TestApp, cable_stock: &str) -> Stocked {
    let drum = app.drum(json!({"stock": "20"})).await;
    let stock = json!({"stock": cable_stock});
    let cable = app.cable_on(&[(drum, "1000")], stock).await;
    Stocked { cable, drum }
}

/// A new cart holding one cable cut of `metres` on a drum.
async fn cut_cart(app: &TestApp, s: &Stocked, metres: &str, splittable: bool) -> Value {
    let cart = app.cart(app.customer("ACME").await).await;
    let body = json!({"configurableProducts": [{
        "productId": s.cable, "quantity": {"type": "CONTENT_QUANTITY", "value": metres},
        "allowQuantitySplitting": splittable,
        "children": [{"productId": s.drum, "quantity": {"type": "UNIT", "value": "1"}}]}]});
    assert_json(
        app.post(
            &format!("/carts/{}/add-configurable-products", id(&cart)),
            &app.backoffice,
            body,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// Asks to ship `shipment` of the order as `token`.
async fn ship(app: &TestApp, order: &Value, shipment: &str, token: &str) -> Response {
    let path = format!("/orders/{}/shipments/{shipment}/ship", id(order));
    app.post(&path, token, json!({})).await
}

async fn read_product(app: &TestApp, product: Uuid) -> Value {
    app.get_json(&format!("/products/{product}"), &app.backoffice)
        .await
}

async fn shipment_plan(app: &TestApp, cart: &Value) -> Value {
    let path = format!("/carts/{}/shipment-plan", id(cart));
    app.get_json(&path, &app.backoffice).await
}

async fn set_stock(app: &TestApp, product: Uuid, available: &str) -> Value {
    assert_json(
        app.put(
            &format!("/products/{product}/stock"),
            &app.backoffice,
            json!({"available": available}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn reread(app: &TestApp, order: &Value) -> Value {
    app.get_json(&format!("/orders/{}", id(order)), &app.backoffice)
        .await
}

/// (status, total quantity) of each shipment.
fn shipments(order: &Value) -> Vec<(String, Vec<String>)> {
    order["shipments"]
        .as_array()
        .expect("shipments")
        .iter()
        .map(|s| {
            let quantities = s["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| l["quantity"].as_str().expect("q").to_string())
                .collect();
            (
                s["status"].as_str().expect("status").to_string(),
                quantities,
            )
        })
        .collect()
}

fn expect(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(s, q)| (s.to_string(), q.iter().map(|x| x.to_string()).collect()))
        .collect()
}

#[actix_web::test]
async fn a_cut_that_may_not_split_waits_whole_with_its_drum() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "200").await;
    let cart = cut_cart(&app, &s, "300", false).await;
    let plan = shipment_plan(&app, &cart).await;
    assert_eq!(
        shipments(&plan),
        expect(&[("WAITING_FOR_STOCK", &["300", "1"])])
    );
    assert_eq!(plan["shipments"][0]["id"], Value::Null);

    let placed = app.order(&cart).await;
    assert_eq!(
        shipments(&placed),
        shipments(&plan),
        "the plan told the truth"
    );
    let cable = read_product(&app, s.cable).await;
    assert_eq!(
        (
            cable["stock"].as_str(),
            cable["reserved"].as_str(),
            cable["free"].as_str()
        ),
        (Some("200"), Some("0"), Some("200"))
    );
}

#[actix_web::test]
async fn a_cut_that_may_split_ships_what_stock_covers_and_its_drum_goes_with_it() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "200").await;
    let cart = cut_cart(&app, &s, "300", true).await;
    let placed = app.order(&cart).await;
    assert_eq!(
        shipments(&placed),
        expect(&[("READY", &["200", "1"]), ("WAITING_FOR_STOCK", &["100"])])
    );
    let lines = placed["lines"].as_array().expect("lines");
    assert_eq!(
        placed["shipments"][0]["lines"][1]["lineId"], lines[1]["id"],
        "the drum sits with its cable"
    );
    let cable = read_product(&app, s.cable).await;
    assert_eq!(
        (cable["reserved"].as_str(), cable["free"].as_str()),
        (Some("200"), Some("0"))
    );
    let drum = read_product(&app, s.drum).await;
    assert_eq!(drum["reserved"], "1");

    let events = app.events("ORDER_PLACED", 1).await;
    assert_eq!(
        events[0]["data"],
        json!({"customerId": placed["customerId"], "orderId": placed["id"], "cartId": cart["id"]})
    );
}

#[actix_web::test]
async fn rising_stock_releases_waiting_lines_strictly_oldest_first() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "0").await;
    let older = app.order(&cut_cart(&app, &s, "300", false).await).await;
    let younger = app.order(&cut_cart(&app, &s, "50", false).await).await;

    // 250 m would cover the younger 50 m, but the older 300 m waits first.
    set_stock(&app, s.cable, "250").await;
    assert_eq!(
        shipments(&reread(&app, &older).await),
        expect(&[("WAITING_FOR_STOCK", &["300", "1"])])
    );
    assert_eq!(
        shipments(&reread(&app, &younger).await),
        expect(&[("WAITING_FOR_STOCK", &["50", "1"])])
    );

    let product = set_stock(&app, s.cable, "300").await;
    let older_now = reread(&app, &older).await;
    assert_eq!(shipments(&older_now), expect(&[("READY", &["300", "1"])]));
    assert_eq!(
        older_now["version"],
        older["version"].as_i64().expect("v") + 1
    );
    assert_eq!(
        shipments(&reread(&app, &younger).await),
        expect(&[("WAITING_FOR_STOCK", &["50", "1"])])
    );
    assert_eq!(
        (product["reserved"].as_str(), product["free"].as_str()),
        (Some("300"), Some("0"))
    );

    set_stock(&app, s.cable, "350").await;
    assert_eq!(
        shipments(&reread(&app, &younger).await),
        expect(&[("READY", &["50", "1"])])
    );
    let ready = app.events("SHIPMENT_READY", 2).await;
    assert_eq!(ready[0]["data"]["orderId"], older["id"]);
    assert_eq!(
        ready[0]["data"]["shipmentId"],
        older_now["shipments"][0]["id"]
    );
    assert_eq!(ready[1]["data"]["orderId"], younger["id"]);
}

#[actix_web::test]
async fn a_new_order_queues_behind_an_older_waiting_line() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "200").await;
    app.order(&cut_cart(&app, &s, "300", false).await).await;
    let newer = cut_cart(&app, &s, "100", true).await;
    let plan = shipment_plan(&app, &newer).await;
    assert_eq!(
        shipments(&plan),
        expect(&[("WAITING_FOR_STOCK", &["100", "1"])]),
        "200 m are free, but they are the older line's"
    );
    assert_eq!(shipments(&app.order(&newer).await), shipments(&plan));
}

#[actix_web::test]
async fn a_splittable_waiting_line_is_released_step_by_step() {
    let app = spawn_app().await;
    let widget = app.product(json!({"stock": "0"})).await;
    let cart = app.cart(app.customer("ACME").await).await;
    let cart = app.add(&cart, widget, "UNIT", "10").await;
    let placed = app.order(&cart).await;
    set_stock(&app, widget, "4").await;
    assert_eq!(
        shipments(&reread(&app, &placed).await),
        expect(&[("WAITING_FOR_STOCK", &["6"]), ("READY", &["4"])])
    );
    set_stock(&app, widget, "10").await;
    assert_eq!(
        shipments(&reread(&app, &placed).await),
        expect(&[("READY", &["6"]), ("READY", &["4"])]),
        "the waiting shipment itself became ready"
    );
}

#[actix_web::test]
async fn concurrent_orders_never_reserve_more_than_the_stock() {
    let app = spawn_app().await;
    let widget = app.product(json!({"stock": "10"})).await;
    let mut carts = Vec::new();
    for _ in 0..8 {
        let cart = app.cart(app.customer("ACME").await).await;
        let body = json!({"productId": widget, "quantity": {"type": "UNIT", "value": "3"}, "allowQuantitySplitting": false});
        let cart = app.add_line(&cart, body).await;
        let lines = cart["lines"].as_array().expect("lines");
        assert_eq!(lines.len(), 1, "{cart}");
        assert_eq!(
            (
                &lines[0]["productId"],
                &lines[0]["quantity"]["value"],
                &lines[0]["allowQuantitySplitting"]
            ),
            (&json!(widget), &json!("3"), &json!(false))
        );
        carts.push(cart);
    }
    let paths: Vec<String> = carts
        .iter()
        .map(|c| format!("/carts/{}/order", id(c)))
        .collect();
    let placing = paths
        .iter()
        .map(|p| app.post(p, &app.backoffice, json!({})));
    let responses = futures_util::future::join_all(placing).await;
    let mut ready = 0;
    for response in responses {
        let order = assert_json(response, StatusCode::CREATED).await;
        ready += shipments(&order)
            .iter()
            .filter(|(s, _)| s == "READY")
            .count();
    }
    assert_eq!(ready, 3, "three orders of 3 fit in 10");
    let product = read_product(&app, widget).await;
    assert_eq!(
        (product["reserved"].as_str(), product["free"].as_str()),
        (Some("9"), Some("1"))
    );
}

#[actix_web::test]
async fn shipping_a_ready_shipment_lowers_stock_and_reservation_once() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "200").await;
    let placed = app.order(&cut_cart(&app, &s, "300", true).await).await;
    let ready = placed["shipments"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let waiting = placed["shipments"][1]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let shipped = assert_json(
        ship(&app, &placed, &ready, &app.backoffice).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shipped["shipments"][0]["status"], "SHIPPED");
    let cable = read_product(&app, s.cable).await;
    assert_eq!(
        (cable["stock"].as_str(), cable["reserved"].as_str()),
        (Some("0"), Some("0"))
    );
    for shipment in [&ready, &waiting] {
        let again = ship(&app, &placed, shipment, &app.backoffice).await;
        assert_problem(again, 409, "SHIPMENT_NOT_READY").await;
    }
    let unknown = Uuid::new_v4().to_string();
    let unknown = ship(&app, &placed, &unknown, &app.backoffice).await;
    assert_problem(unknown, 404, "NOT_FOUND").await;
    let customer = app.customer_token_for(&placed);
    let by_customer = ship(&app, &placed, &waiting, &customer).await;
    assert_problem(by_customer, 403, "FORBIDDEN").await;
}

#[actix_web::test]
async fn carts_that_cannot_be_ordered_are_refused_and_unchanged() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let empty = app.cart(customer).await;
    assert_problem(
        app.place(&empty, &app.backoffice).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;

    let widget = app.product(json!({})).await;
    let cart = app
        .add(&app.cart(customer).await, widget, "UNIT", "1")
        .await;
    let stranger = app.customer_token(app.customer("Other").await);
    assert_problem(app.place(&cart, &stranger).await, 404, "NOT_FOUND").await;
    app.order(&cart).await;
    assert_problem(
        app.place(&cart, &app.backoffice).await,
        409,
        "CART_NOT_OPEN",
    )
    .await;
    let add = json!({"productId": widget, "quantity": {"type": "UNIT", "value": "1"}});
    assert_problem(
        app.post(
            &format!("/carts/{}/products", id(&cart)),
            &app.backoffice,
            add,
        )
        .await,
        409,
        "CART_NOT_OPEN",
    )
    .await;
    let after = app
        .get_json(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(after["status"], "ORDERED");
    let orders = app.get_json("/orders?limit=500", &app.backoffice).await;
    assert_eq!(orders["items"].as_array().expect("items").len(), 1);
    assert_problem(
        app.put(
            &format!("/products/{widget}/stock"),
            &app.backoffice,
            json!({"available": "-1"}),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}

#[actix_web::test]
async fn orders_are_listed_newest_first_and_customers_see_only_theirs() {
    let app = spawn_app().await;
    let widget = app.product(json!({})).await;
    let customer = app.customer("ACME").await;
    let mut placed = Vec::new();
    for _ in 0..3 {
        let cart = app
            .add(&app.cart(customer).await, widget, "UNIT", "1")
            .await;
        placed.push(app.order(&cart).await["id"].clone());
    }
    let page = app.get_json("/orders?limit=2", &app.backoffice).await;
    let ids = each(&page["items"], "id");
    assert_eq!(ids, vec![&placed[2], &placed[1]]);
    let cursor = page["nextCursor"].as_str().expect("cursor");
    let rest = app
        .get_json(&format!("/orders?limit=2&cursor={cursor}"), &app.backoffice)
        .await;
    assert_eq!(rest["items"][0]["id"], placed[0]);
    assert_eq!(rest["nextCursor"], Value::Null);

    let stranger = app.customer_token(app.customer("Other").await);
    let theirs = app.get_json("/orders", &stranger).await;
    assert_eq!(theirs["items"], json!([]));
    assert_problem(
        app.get(
            &format!("/orders/{}", placed[0].as_str().expect("id")),
            &stranger,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    let own = app.customer_token(customer);
    let text = app
        .get(
            &format!("/orders/{}", placed[0].as_str().expect("id")),
            &own,
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(!text.contains("purchasePrice") && !text.contains("margin"));
}

#[actix_web::test]
async fn orders_and_stock_updates_racing_on_one_product_all_succeed() {
    let app = spawn_app().await;
    let widget = app.product(json!({"stock": "5"})).await;
    let mut paths = Vec::new();
    for _ in 0..6 {
        let cart = app
            .add(
                &app.cart(app.customer("ACME").await).await,
                widget,
                "UNIT",
                "2",
            )
            .await;
        paths.push(format!("/carts/{}/order", id(&cart)));
    }
    let stock_path = format!("/products/{widget}/stock");
    let orders = paths
        .iter()
        .map(|p| app.post(p, &app.backoffice, json!({})));
    let stock = (0..6).map(|i| {
        app.put(
            &stock_path,
            &app.integration,
            json!({"available": (5 + i).to_string()}),
        )
    });
    let (orders, stock) = futures_util::future::join(
        futures_util::future::join_all(orders),
        futures_util::future::join_all(stock),
    )
    .await;
    assert!(orders.iter().all(|r| r.status() == StatusCode::CREATED));
    assert!(stock.iter().all(|r| r.status() == StatusCode::OK));
    let product = read_product(&app, widget).await;
    // Each order reserved against the stock of its moment (the ERP may later count less);
    // the lines may split, so a part of one may wait. What is reserved is exactly what
    // the orders, as they are now, hold ready.
    let reserved: i64 = product["reserved"].as_str().expect("r").parse().expect("n");
    let sum = |quantities: &[String]| -> i64 {
        quantities
            .iter()
            .map(|q| q.parse::<i64>().expect("n"))
            .sum()
    };
    let mut planned = 0;
    let mut ready_now = 0;
    for response in orders {
        let order: Value = response.json().await.expect("order");
        for (_, quantities) in shipments(&order) {
            planned += sum(&quantities);
        }
        for (status, quantities) in shipments(&reread(&app, &order).await) {
            if status == "READY" {
                ready_now += sum(&quantities);
            }
        }
    }
    assert_eq!(planned, 12, "every unit ordered is either ready or waiting");
    assert_eq!(
        reserved, ready_now,
        "reserved is what the orders hold ready"
    );
    assert!(reserved <= 10, "reserved {reserved} of at most 10 in stock");
}

#[actix_web::test]
async fn pushing_a_product_with_more_stock_releases_waiting_lines() {
    let app = spawn_app().await;
    let widget = app.product(json!({"stock": "0"})).await;
    let cart = app.cart(app.customer("ACME").await).await;
    let placed = app.order(&app.add(&cart, widget, "UNIT", "5").await).await;
    assert_eq!(shipments(&placed), expect(&[("WAITING_FOR_STOCK", &["5"])]));

    // The ERP sends the whole product again, now with 8 in stock.
    let sku = read_product(&app, widget).await["sku"].clone();
    let pushed = overlay(
        product_body(sku.as_str().expect("sku")),
        json!({"stock": "8"}),
    );
    let response = app
        .put(&format!("/products/{widget}"), &app.integration, pushed)
        .await;
    assert_eq!(assert_json(response, StatusCode::OK).await["stock"], "8");

    let released = reread(&app, &placed).await;
    assert_eq!(shipments(&released), expect(&[("READY", &["5"])]));
    let product = read_product(&app, widget).await;
    assert_eq!(
        (product["reserved"].as_str(), product["free"].as_str()),
        (Some("5"), Some("3"))
    );
    let ready = app.events("SHIPMENT_READY", 1).await;
    assert_eq!(ready[0]["data"]["orderId"], placed["id"]);
}

#[actix_web::test]
async fn waiting_lines_of_one_order_are_released_in_line_order() {
    let app = spawn_app().await;
    let s = cable_and_drum(&app, "0").await;
    let cut = |metres: &str| {
        json!({"productId": s.cable, "quantity": {"type": "CONTENT_QUANTITY", "value": metres},
            "allowQuantitySplitting": false,
            "children": [{"productId": s.drum, "quantity": {"type": "UNIT", "value": "1"}}]})
    };
    let cart = app.cart(app.customer("ACME").await).await;
    let cart = assert_json(
        app.post(
            &format!("/carts/{}/add-configurable-products", id(&cart)),
            &app.backoffice,
            json!({"configurableProducts": [cut("300"), cut("100")]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let placed = app.order(&cart).await;
    assert_eq!(
        shipments(&placed),
        expect(&[("WAITING_FOR_STOCK", &["300", "1", "100", "1"])])
    );

    // 100 m would cover the second cut, but the first comes first.
    set_stock(&app, s.cable, "100").await;
    assert_eq!(shipments(&reread(&app, &placed).await), shipments(&placed));
    set_stock(&app, s.cable, "300").await;
    assert_eq!(
        shipments(&reread(&app, &placed).await),
        expect(&[
            ("WAITING_FOR_STOCK", &["100", "1"]),
            ("READY", &["300", "1"])
        ])
    );
    set_stock(&app, s.cable, "400").await;
    assert_eq!(
        shipments(&reread(&app, &placed).await),
        expect(&[("READY", &["100", "1"]), ("READY", &["300", "1"])])
    );
}
