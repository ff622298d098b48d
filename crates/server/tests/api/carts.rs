use orderpath_carts::{LineFlags, NewLine};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_testing::fixtures::{add_lines, metres};
use reqwest::{Method, Response, StatusCode};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_fields, assert_json, assert_problem, id, spawn_app, TestApp};

async fn get_cart(app: &TestApp, cart: &Value) -> Value {
    app.get_json(&format!("/carts/{}", id(cart)), &app.backoffice)
        .await
}

/// A customer's empty cart, and a plain product to put in it.
async fn change_quantity(app: &TestApp, cart: &Value, line: &str, quantity: Value) -> Response {
    let path = format!("/carts/{}/lines/{line}", id(cart));
    app.patch(&path, &app.backoffice, json!({"quantity": quantity}))
        .await
}

async fn delete_line(app: &TestApp, cart: &Value, line: &str) -> Response {
    let path = format!("/carts/{}/lines/{line}", id(cart));
    app.delete(&path, &app.backoffice).await
}

/// Adds lines through the domain (as the configurator will): 250 m of `parent` with one
/// `child`.
pub fn add_parent_with_child(
    app: &TestApp,
    cart_id: &str,
    parent: Uuid,
    child: Uuid,
    child_flags: LineFlags,
) {
    let mut conn = app.pool.get().expect("connection");
    let lines = [
        NewLine {
            product_id: parent,
            quantity: metres(Decimal::new(250, 0)),
            flags: LineFlags::default(),
            parent_index: None,
        },
        NewLine {
            product_id: child,
            quantity: Quantity::new(QuantityType::Unit, Decimal::ONE).expect("qty"),
            flags: child_flags,
            parent_index: Some(0),
        },
    ];
    add_lines(&mut conn, cart_id.parse().expect("uuid"), &lines);
}

/// Adds one `widget` on a line of its own whose flag `flag` is false.
async fn add_restricted(app: &TestApp, cart: &Value, widget: Uuid, flag: &str) -> Value {
    let mut line = json!({"productId": widget, "quantity": {"type": "UNIT", "value": 1}});
    line[flag] = json!(false);
    app.add_line(cart, line).await
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
    let (staff, shop) = (
        app.caller_id(&app.backoffice).await,
        app.caller_id(&customer_token).await,
    );
    assert_eq!(
        events[0]["data"],
        json!({"customerId": customer, "cartId": id(&cart), "source": "BACKOFFICE", "userId": staff})
    );
    assert_eq!(
        events[1]["data"],
        json!({"customerId": customer, "cartId": id(&cart), "source": "OFE", "userId": shop})
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
    assert_fields(
        line,
        json!({"unitPrice": "4.20", "catalogUnitPrice": "4.20", "priceOverridden": false,
               "purchasePrice": "3.10", "vatRate": "23", "netTotal": "506.10",
               "vatTotal": "116.40", "grossTotal": "622.50", "margin": "132.55",
               "marginPercent": "26.19", "position": 1}),
    );
    assert_eq!(
        cart["totals"],
        json!({"netTotal": "506.10", "vatTotal": "116.40", "grossTotal": "622.50",
               "purchaseTotal": "373.55", "margin": "132.55", "marginPercent": "26.19"})
    );
}

#[actix_web::test]
async fn adding_the_same_product_twice_merges_into_one_line() {
    let app = spawn_app().await;
    let (cart, widget) = app.empty_cart_and_widget().await;
    app.add(&cart, widget, "UNIT", "2").await;
    let cart = app.add(&cart, widget, "UNIT", "3").await;
    assert_eq!(cart["lines"].as_array().expect("lines").len(), 1);
    assert_eq!(cart["lines"][0]["quantity"]["value"], "5");
    assert_eq!(cart["version"], 3);
}

#[actix_web::test]
async fn a_line_with_its_own_flags_never_merges() {
    let app = spawn_app().await;
    let (cart, widget) = app.empty_cart_and_widget().await;
    app.add(&cart, widget, "UNIT", "2").await;
    let cart = app
        .add_line(
            &cart,
            json!({"productId": widget, "quantity": {"type": "UNIT", "value": 1}, "allowQuantitySplitting": false}),
        )
        .await;
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
    let (cart, widget) = app.empty_cart_and_widget().await;
    let cart = app.add(&cart, widget, "UNIT", "2").await;
    let line = id(&cart["lines"][0]);
    let changed = assert_json(
        change_quantity(&app, &cart, &line, json!({"type": "UNIT", "value": "7"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["lines"][0]["quantity"]["value"], "7");
    assert_eq!(changed["lines"][0]["netTotal"], "70.00");

    let fixed = add_restricted(&app, &cart, widget, "allowQuantityChange").await;
    let fixed_line = id(&fixed["lines"][1]);
    let refused = change_quantity(
        &app,
        &cart,
        &fixed_line,
        json!({"type": "UNIT", "value": "3"}),
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
    let (cart, widget) = app.empty_cart_and_widget().await;
    let cart = add_restricted(&app, &cart, widget, "removable").await;
    let line = id(&cart["lines"][0]);
    let refused = delete_line(&app, &cart, &line).await;
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
    let deleted = assert_json(delete_line(&app, &cart, &plain_line).await, StatusCode::OK).await;
    assert_eq!(deleted["lines"].as_array().expect("lines").len(), 1);
}

#[actix_web::test]
async fn deleting_a_parent_takes_its_children_but_a_fixed_child_cannot_go_alone() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cable = app.cable("4.20", "3.10").await;
    let drum = app.drum(json!({})).await;
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

    let refused = delete_line(&app, &cart, &child).await;
    assert_problem(refused, 409, "LINE_NOT_REMOVABLE").await;

    let deleted = assert_json(delete_line(&app, &cart, &parent).await, StatusCode::OK).await;
    assert_eq!(deleted["lines"], json!([]));
}

#[actix_web::test]
async fn a_stale_if_match_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (cart, widget) = app.empty_cart_and_widget().await;
    let response = app
        .get(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(response.headers()["etag"], "\"1\"");

    app.add(&cart, widget, "UNIT", "1").await;
    let products = format!("/carts/{}/products", id(&cart));
    let five = json!({"productId": widget, "quantity": {"type": "UNIT", "value": 5}});
    let stale = app
        .send_if_match(Method::POST, &products, "\"1\"", five.clone())
        .await;
    assert_problem(stale, 412, "VERSION_MISMATCH").await;
    let after = get_cart(&app, &cart).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["lines"][0]["quantity"]["value"], "1");

    let fresh = app
        .send_if_match(Method::POST, &products, "\"2\"", five)
        .await;
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(fresh.headers()["etag"], "\"3\"");
}

#[actix_web::test]
async fn concurrent_adds_are_serialised_without_losing_any() {
    let app = spawn_app().await;
    let (cart, widget) = app.empty_cart_and_widget().await;
    let adds = (0..20).map(|_| app.add(&cart, widget, "UNIT", "1"));
    futures_util::future::join_all(adds).await;
    let after = get_cart(&app, &cart).await;
    assert_eq!(after["lines"][0]["quantity"]["value"], "20");
    assert_eq!(after["version"], 21);
}

/// Carts asked for at the same time are created together (see `orderpath_db::Batcher`):
/// each request still gets its own cart and its own `CART_OPENED`, and one for an unknown
/// customer is refused alone.
#[actix_web::test]
async fn carts_asked_for_at_once_are_each_created_with_their_own_event() {
    let app = spawn_app().await;
    let mut customers = Vec::new();
    for name in ["A", "B", "C"] {
        customers.push(app.customer(name).await);
    }
    let asked: Vec<Uuid> = (0..30)
        .map(|i| match i % 10 {
            9 => Uuid::new_v4(),
            n => customers[n % 3],
        })
        .collect();
    let answers = futures_util::future::join_all(asked.iter().map(|customer| {
        let body = json!({"customerId": customer, "source": "BACKOFFICE"});
        app.post("/carts", &app.backoffice, body)
    }))
    .await;
    let mut created = Vec::new();
    for (customer, answer) in asked.iter().zip(answers) {
        if customers.contains(customer) {
            let cart = assert_json(answer, StatusCode::CREATED).await;
            assert_eq!(cart["customerId"], customer.to_string());
            assert_eq!(
                get_cart(&app, &cart).await["customerId"],
                cart["customerId"]
            );
            created.push(id(&cart));
        } else {
            let problem = assert_problem(answer, 422, "VALIDATION_FAILED").await;
            assert_eq!(problem["errors"][0]["field"], "customerId");
        }
    }
    assert_eq!(created.len(), 27);
    let events = app.events("CART_OPENED", 27).await;
    let mut opened: Vec<String> = events
        .iter()
        .map(|e| e["data"]["cartId"].as_str().expect("cartId").to_string())
        .collect();
    let mut expected = created;
    opened.sort();
    expected.sort();
    assert_eq!(
        opened, expected,
        "one CART_OPENED for each cart, none for the refused"
    );
}

/// Adds of new lines to carts this instance keeps are sent together (see
/// `orderpath_carts::kept_add`); adds racing on one cart go the usual way. None is lost,
/// and each answers with a version of its own.
#[actix_web::test]
async fn adds_at_once_to_many_carts_lose_none() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let mut products = Vec::new();
    for _ in 0..4 {
        products.push(app.product(json!({})).await);
    }
    // Every product added once, and every cart changed once, by this instance: it keeps
    // them all.
    let warm = app.cart(customer).await;
    for product in &products[1..] {
        app.add(&warm, *product, "UNIT", "1").await;
    }
    let mut carts = Vec::new();
    for _ in 0..6 {
        let cart = app.cart(customer).await;
        app.add(&cart, products[0], "UNIT", "1").await;
        carts.push(cart);
    }
    let app = &app;
    let adds = carts
        .iter()
        .flat_map(|cart| products[1..].iter().map(move |p| (cart, *p)))
        .map(
            |(cart, product)| async move { (id(cart), app.add(cart, product, "UNIT", "1").await) },
        );
    let answers = futures_util::future::join_all(adds).await;
    for cart in &carts {
        let mut versions: Vec<i64> = answers
            .iter()
            .filter(|(id_of, _)| *id_of == id(cart))
            .map(|(_, answer)| answer["version"].as_i64().expect("version"))
            .collect();
        versions.sort();
        assert_eq!(versions, [3, 4, 5], "one version for each add");
        let read = get_cart(app, cart).await;
        let mut held: Vec<String> = read["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l["productId"].as_str().expect("productId").to_string())
            .collect();
        let mut expected: Vec<String> = products.iter().map(ToString::to_string).collect();
        held.sort();
        expected.sort();
        assert_eq!(held, expected, "every product on its own line");
        assert_eq!(read["version"], 5);
    }
}

/// Each change answers with the cart as it now is: the very body a read right after gives,
/// on this instance (which keeps the answer rendered) and on one that loads and renders
/// every read afresh. (The answer is built from the cart kept by the last change, or read
/// under the lock, with the change applied, not read again.)
#[actix_web::test]
async fn every_change_answers_with_the_cart_a_read_then_gives() {
    let app = spawn_app().await;
    let fresh = app.second_instance_with(|config| config.render_cache_bytes = 0);
    let (cart, widget) = app.empty_cart_and_widget().await;
    let gadget = app
        .product(json!({"netPrice": "0.0049", "purchasePrice": "0.001", "vatRate": "7.5"}))
        .await;
    let read_after = |change: &'static str, answer: Value| {
        let (app, fresh, cart) = (&app, &fresh, &cart);
        async move {
            assert_eq!(answer, get_cart(app, cart).await, "{change}");
            assert_eq!(
                answer,
                get_cart(fresh, cart).await,
                "{change}, rendered afresh"
            );
            answer
        }
    };
    read_after("a new cart", cart.clone()).await;
    read_after("a new line", app.add(&cart, widget, "UNIT", "2").await).await;
    read_after("a merged line", app.add(&cart, widget, "UNIT", "3").await).await;
    let two = read_after("a second line", app.add(&cart, gadget, "UNIT", "999").await).await;
    let line = |answer: &Value, i: usize| id(&answer["lines"][i]);
    let (first, second) = (line(&two, 0), line(&two, 1));
    let price = format!("/carts/{}/lines/{second}/price", id(&cart));
    let edit = json!({"unitPrice": "0.0051", "purchasePrice": "0.0007", "reason": "cheaper"});
    let edited = app.put(&price, &app.backoffice, edit).await;
    read_after("a price edit", assert_json(edited, StatusCode::OK).await).await;
    let restored = app.delete(&price, &app.backoffice).await;
    read_after("a restore", assert_json(restored, StatusCode::OK).await).await;
    let changed = change_quantity(&app, &cart, &second, json!({"type": "UNIT", "value": 7})).await;
    read_after(
        "a quantity change",
        assert_json(changed, StatusCode::OK).await,
    )
    .await;
    let deleted = delete_line(&app, &cart, &first).await;
    let last = read_after("a deleted line", assert_json(deleted, StatusCode::OK).await).await;
    assert_eq!(last["version"], 8, "seven changes");
    assert_eq!(last["lines"].as_array().map(Vec::len), Some(1));
}

/// Placing an order answers with the order a read right after gives.
#[actix_web::test]
async fn placing_an_order_answers_with_the_order_a_read_then_gives() {
    let app = spawn_app().await;
    let (cart, widget) = app.empty_cart_and_widget().await;
    let scarce = app.product(json!({"stock": "3"})).await;
    app.add(&cart, widget, "UNIT", "2").await;
    app.add(&cart, scarce, "UNIT", "5").await;
    let order = app.order(&cart).await;
    let read = app
        .get_json(&format!("/orders/{}", id(&order)), &app.backoffice)
        .await;
    assert_eq!(order["shipments"].as_array().map(Vec::len), Some(2));
    assert_eq!(order, read);
}
