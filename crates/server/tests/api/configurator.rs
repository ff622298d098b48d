use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_json, assert_problem, each, error_fields, id, spawn_app, TestApp};

struct Cable {
    cable: Uuid,
    small_drum: Uuid,
    big_drum: Uuid,
}

/// A cable that goes on a 200 m drum (12.00) or a 500 m drum (30.00).
async fn cable_with_drums(app: &TestApp) -> Cable {
    let small_drum = app
        .drum(json!({"netPrice": "12.00", "purchasePrice": "8"}))
        .await;
    let big_drum = app
        .drum(json!({"netPrice": "30.00", "purchasePrice": "20"}))
        .await;
    let drums = [(small_drum, "200"), (big_drum, "500")];
    let prices = json!({"netPrice": "4.20", "purchasePrice": "3.10", "stock": "5000"});
    let cable = app.cable_on(&drums, prices).await;
    Cable {
        cable,
        small_drum,
        big_drum,
    }
}

fn cut(cable: Uuid, metres: &str, drum: Uuid) -> Value {
    json!({"productId": cable, "quantity": {"type": "CONTENT_QUANTITY", "value": metres},
           "allowQuantityChange": false, "allowQuantitySplitting": false, "removable": true,
           "children": [{"productId": drum, "quantity": {"type": "UNIT", "value": "1"},
                         "allowQuantityChange": false, "allowQuantitySplitting": false, "removable": false}]})
}

async fn add_configurable(app: &TestApp, cart: &Value, items: Vec<Value>) -> Response {
    app.post(
        &format!("/carts/{}/add-configurable-products", id(cart)),
        &app.backoffice,
        json!({"configurableProducts": items}),
    )
    .await
}

/// Sets the quantity of the cart's line number `i` as staff.
async fn change_line(app: &TestApp, cart: &Value, i: usize, quantity: Value) -> Response {
    let path = format!("/carts/{}/lines/{}", id(cart), id(&cart["lines"][i]));
    app.patch(&path, &app.backoffice, json!({"quantity": quantity}))
        .await
}

async fn calculate(app: &TestApp, body: Value) -> Response {
    app.post("/cable-calculator", &app.backoffice, body).await
}

#[actix_web::test]
async fn three_cuts_of_one_cable_become_three_parents_each_with_its_drum() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    let cart = app.cart(app.customer("ACME").await).await;
    let cart = assert_json(
        add_configurable(
            &app,
            &cart,
            vec![
                cut(c.cable, "400", c.big_drum),
                cut(c.cable, "400", c.big_drum),
                cut(c.cable, "150", c.small_drum),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let lines = cart["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 6, "never merged");
    for pair in lines.chunks(2) {
        let (parent, child) = (&pair[0], &pair[1]);
        assert_eq!(parent["productId"], c.cable.to_string());
        assert_eq!(parent["parentLineId"], Value::Null);
        assert_eq!(parent["allowQuantitySplitting"], false);
        assert_eq!(child["parentLineId"], parent["id"]);
        assert_eq!(child["removable"], false);
    }
    assert_eq!(lines[4]["quantity"]["value"], "150");
    assert_eq!(lines[5]["productId"], c.small_drum.to_string());
    // 950 m × 4.20 + 2 × 30 + 12 = 4,062.00 net
    assert_eq!(cart["totals"]["netTotal"], "4062.00");

    // The offer made from it has the same shape with its own ids.
    let offer = app.offer(&cart, json!({})).await;
    let read = app
        .get_json(&format!("/offer?offerId={}", id(&offer)), &app.integration)
        .await;
    let offer_lines = read["lines"].as_array().expect("lines");
    for pair in offer_lines.chunks(2) {
        assert_eq!(pair[1]["parentLineId"], pair[0]["id"]);
    }
}

#[actix_web::test]
async fn one_invalid_item_rejects_the_whole_request_and_changes_nothing() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    let cart = app.cart(app.customer("ACME").await).await;
    let stranger_drum = app.drum(json!({})).await;
    let cases = [
        (
            vec![
                cut(c.cable, "100", c.small_drum),
                cut(Uuid::new_v4(), "100", c.small_drum),
            ],
            "configurableProducts[1].productId",
        ),
        (
            vec![
                cut(c.cable, "100", c.small_drum),
                cut(c.cable, "300", c.small_drum),
            ],
            "configurableProducts[1].quantity.value",
        ),
        (
            vec![
                cut(c.cable, "100", c.small_drum),
                cut(c.cable, "100", c.small_drum),
                cut(c.cable, "100", stranger_drum),
            ],
            "configurableProducts[2].children[0].productId",
        ),
        (
            vec![cut(c.cable, "0", c.small_drum)],
            "configurableProducts[0].quantity.value",
        ),
        (
            vec![cut(c.cable, "10.1234", c.small_drum)],
            "configurableProducts[0].quantity.value",
        ),
        (vec![], "configurableProducts"),
    ];
    for (items, field) in cases {
        let response = add_configurable(&app, &cart, items).await;
        let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
        let fields = error_fields(&problem);
        assert!(fields.contains(&field), "{field} not in {fields:?}");
    }
    let after = app
        .get_json(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(after["lines"], json!([]));
    assert_eq!(after["version"], cart["version"]);
}

#[actix_web::test]
async fn quantity_rules_hold_for_configured_lines() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    let cart = app.cart(app.customer("ACME").await).await;
    let mut free_cut = cut(c.cable, "100", c.small_drum);
    free_cut["allowQuantityChange"] = json!(true);
    let items = vec![free_cut, cut(c.cable, "100", c.small_drum)];
    let cart = assert_json(add_configurable(&app, &cart, items).await, StatusCode::OK).await;
    let metres = |v: &str| json!({"type": "CONTENT_QUANTITY", "value": v});

    let grown = change_line(&app, &cart, 0, metres("180")).await;
    let grown = assert_json(grown, StatusCode::OK).await;
    assert_eq!(grown["lines"][0]["id"], cart["lines"][0]["id"]);
    assert_eq!(grown["lines"][0]["quantity"]["value"], "180");
    assert_eq!(
        grown["lines"][1]["quantity"], cart["lines"][1]["quantity"],
        "its drum stays one drum"
    );
    let too_long = change_line(&app, &cart, 0, metres("250")).await;
    let problem = assert_problem(too_long, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "quantity.value");

    let fixed_parent = change_line(&app, &cart, 2, metres("50")).await;
    assert_problem(fixed_parent, 409, "QUANTITY_CHANGE_NOT_ALLOWED").await;
    let one_more_drum = json!({"type": "UNIT", "value": "2"});
    let fixed_child = change_line(&app, &cart, 3, one_more_drum).await;
    assert_problem(fixed_child, 409, "QUANTITY_CHANGE_NOT_ALLOWED").await;
}

#[actix_web::test]
async fn the_calculator_picks_the_cheapest_drum_per_cut_and_its_body_is_accepted_unchanged() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    let plan = assert_json(
        calculate(
            &app,
            json!({"cableProductId": c.cable, "cuts": ["400", "400", "150"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let drums = each(&plan["cuts"], "drumProductId");
    let (big, small) = (json!(c.big_drum), json!(c.small_drum));
    assert_eq!(drums, vec![&big, &big, &small]);
    assert_eq!(plan["cuts"][0]["drumPrice"], "30.00");
    assert_eq!(plan["drumCost"], "72.00");

    let cart = app.cart(app.customer("ACME").await).await;
    let items = plan["configurableProducts"].as_array().expect("items");
    let added = add_configurable(&app, &cart, items.clone()).await;
    let added = assert_json(added, StatusCode::OK).await;
    // Each cut becomes a cable line followed by the drum the calculator chose for it.
    let lines: Vec<(&Value, &Value)> = added["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (&l["productId"], &l["quantity"]["value"]))
        .collect();
    let cable = json!(c.cable);
    let (one, m400, m150) = (json!("1"), json!("400"), json!("150"));
    assert_eq!(
        lines,
        vec![
            (&cable, &m400),
            (&big, &one),
            (&cable, &m400),
            (&big, &one),
            (&cable, &m150),
            (&small, &one)
        ]
    );
}

#[actix_web::test]
async fn the_calculator_covers_a_total_length_at_the_lowest_cost() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    // 600 m: 500 + 200 costs 42.00; three 200 m drums cost 36.00.
    let body = json!({"cableProductId": c.cable, "totalLength": 600});
    let plan = assert_json(calculate(&app, body).await, StatusCode::OK).await;
    assert_eq!(plan["drumCost"], "36.00");
    let lengths = each(&plan["cuts"], "length");
    assert_eq!(lengths, vec!["200", "200", "200"]);
}

#[actix_web::test]
async fn the_calculator_refuses_what_no_drum_carries() {
    let app = spawn_app().await;
    let c = cable_with_drums(&app).await;
    let too_long = calculate(
        &app,
        json!({"cableProductId": c.cable, "cuts": ["100", "501"]}),
    )
    .await;
    let problem = assert_problem(too_long, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "cuts[1]");
    let neither = calculate(&app, json!({"cableProductId": c.cable})).await;
    let problem = assert_problem(neither, 422, "VALIDATION_FAILED").await;
    assert_eq!(error_fields(&problem), ["cuts"], "{problem}");
    let not_cable = calculate(
        &app,
        json!({"cableProductId": c.small_drum, "totalLength": "10"}),
    )
    .await;
    let problem = assert_problem(not_cable, 422, "VALIDATION_FAILED").await;
    assert_eq!(problem["errors"][0]["field"], "cableProductId");
    let negative = calculate(
        &app,
        json!({"cableProductId": c.cable, "totalLength": "-5"}),
    )
    .await;
    let problem = assert_problem(negative, 422, "VALIDATION_FAILED").await;
    assert_eq!(error_fields(&problem), ["totalLength"], "{problem}");
}
