//! The lists a frontend needs: customers by name with search, one customer's carts,
//! offers and orders newest first, product search, and CORS for a frontend served from
//! another origin.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{
    after_cursor, assert_json, assert_problem, id, spawn_app, spawn_app_with, TestApp,
};

/// Upserts a customer in EUR with the given fields.
async fn customer_with(app: &TestApp, fields: Value) -> Uuid {
    let id = Uuid::new_v4();
    let mut body = json!({"currency": "EUR"});
    for (key, value) in fields.as_object().expect("object") {
        body[key] = value.clone();
    }
    let response = app
        .put(&format!("/customers/{id}"), &app.backoffice, body)
        .await;
    assert_json(response, StatusCode::CREATED).await;
    id
}

/// The values of `field` of a page's items, as strings.
fn field(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every item of a list, following `nextCursor` `limit` items at a time; asserts each
/// page but the last is full.
async fn every_page(app: &TestApp, path: &str, token: &str, limit: usize) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let first_page = format!("{path}{separator}limit={limit}");
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = after_cursor(&first_page, cursor.as_deref());
        let page = app.get_json(&page_path, token).await;
        let page_items = page["items"].as_array().expect("items").clone();
        cursor = page["nextCursor"].as_str().map(str::to_string);
        if cursor.is_some() {
            assert_eq!(page_items.len(), limit, "{page_path}");
        }
        items.extend(page_items);
        if cursor.is_none() {
            return items;
        }
    }
}

/// Asserts a 400 or 422 `VALIDATION_FAILED` answer, as every list gives a parameter it
/// cannot use (400 when it does not parse, 422 when it breaks a rule).
async fn assert_refused(response: reqwest::Response, what: &str) {
    let status = response.status();
    assert!([400, 422].contains(&status.as_u16()), "{what}: {status}");
    assert_problem(response, status.as_u16(), "VALIDATION_FAILED").await;
}

fn names(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|item| item["name"].as_str().expect("name"))
        .collect()
}

#[actix_web::test]
async fn customers_are_listed_by_name_and_found_by_part_of_a_name_external_id_or_email() {
    let app = spawn_app().await;
    customer_with(
        &app,
        json!({"name": "beta Industries", "externalId": "ERP-100", "email": "ops@beta.example"}),
    )
    .await;
    customer_with(
        &app,
        json!({"name": "Alpha GmbH", "externalId": "K-2001", "email": "Buyer@Alpha.de"}),
    )
    .await;
    customer_with(&app, json!({"name": "Gamma 50% Off", "externalId": "X_1"})).await;
    customer_with(
        &app,
        json!({"name": "alphabet soup", "email": "soup@example.com"}),
    )
    .await;
    customer_with(&app, json!({"name": "Delta", "externalId": "XY1"})).await;

    let all = every_page(&app, "/customers", &app.backoffice, 2).await;
    assert_eq!(
        names(&all),
        [
            "Alpha GmbH",
            "alphabet soup",
            "beta Industries",
            "Delta",
            "Gamma 50% Off"
        ],
        "ordered by name, ignoring case"
    );
    assert_eq!(all[0]["externalId"], "K-2001");
    assert_eq!(all[0]["email"], "Buyer@Alpha.de");

    for (search, expected) in [
        ("ALPHA", vec!["Alpha GmbH", "alphabet soup"]),
        ("dustr", vec!["beta Industries"]),
        ("erp-1", vec!["beta Industries"]),
        ("buyer@alpha.DE", vec!["Alpha GmbH"]),
        ("example", vec!["beta Industries", "alphabet soup"]),
        ("50%", vec!["Gamma 50% Off"]),
        ("x_1", vec!["Gamma 50% Off"]),
        ("  delta ", vec!["Delta"]),
        ("nobody", vec![]),
    ] {
        let page = app
            .get_json(&format!("/customers?search={search}"), &app.backoffice)
            .await;
        let mut found = field(&page, "name");
        found.sort_by_key(|name| name.to_lowercase());
        let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
        expected.sort_by_key(|name| name.to_lowercase());
        assert_eq!(found, expected, "search {search:?}");
    }
    let searched = every_page(&app, "/customers?search=a", &app.backoffice, 1).await;
    assert_eq!(
        names(&searched),
        [
            "Alpha GmbH",
            "alphabet soup",
            "beta Industries",
            "Delta",
            "Gamma 50% Off"
        ],
        "a search pages in name order too"
    );
}

#[actix_web::test]
async fn the_customer_list_is_for_staff_and_refuses_bad_pages() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let answer = app.get("/customers", &app.customer_token(customer)).await;
    assert_problem(answer, 403, "FORBIDDEN").await;
    for query in ["limit=0", "limit=501", "cursor=nonsense", "limit=x"] {
        let response = app
            .get(&format!("/customers?{query}"), &app.backoffice)
            .await;
        assert_refused(response, query).await;
    }
    let page = app.get_json("/customers", &app.integration).await;
    assert_eq!(field(&page, "name"), ["ACME"]);
    assert_eq!(page["nextCursor"], Value::Null);
}

/// A customer with three carts made a minute apart (ids returned oldest first): the
/// first ordered, the second with an offer that was sent and expired, the third with a
/// draft offer; `other` has a cart and an offer of its own.
struct History {
    customer: Uuid,
    carts: Vec<String>,
    offers: Vec<String>,
    order: String,
    other: Uuid,
}

async fn history(app: &TestApp) -> History {
    let customer = app.customer("ACME").await;
    let widget = app.product(json!({})).await;
    let mut carts = Vec::new();
    for _ in 0..3 {
        let cart = app.cart(customer).await;
        carts.push(app.add(&cart, widget, "UNIT", "2").await);
        app.clock.advance(Duration::minutes(1));
    }
    let order = app.order(&carts[0]).await;
    let valid_until = app.clock_now() + Duration::hours(1);
    let expiring = app
        .offer(&carts[1], json!({"validUntil": valid_until}))
        .await;
    let path = format!("/offers/{}", id(&expiring));
    let sent = app
        .patch(&path, &app.backoffice, json!({"status": "SENT"}))
        .await;
    assert_json(sent, StatusCode::OK).await;
    app.clock.advance(Duration::minutes(1));
    let draft = app.offer(&carts[2], json!({})).await;
    app.clock.advance(Duration::hours(2));

    let other = app.customer("Other").await;
    let other_cart = app.cart(other).await;
    let other_cart = app.add(&other_cart, widget, "UNIT", "1").await;
    app.offer(&other_cart, json!({})).await;
    History {
        customer,
        carts: carts.iter().map(id).collect(),
        offers: vec![id(&expiring), id(&draft)],
        order: id(&order),
        other,
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(id).collect()
}

#[actix_web::test]
async fn a_customers_carts_offers_and_orders_are_listed_newest_first() {
    let app = spawn_app().await;
    let h = history(&app).await;
    let c = h.customer;
    let newest_first = |list: &[String]| -> Vec<String> { list.iter().rev().cloned().collect() };

    let carts = every_page(&app, &format!("/customers/{c}/carts"), &app.backoffice, 2).await;
    assert_eq!(ids(&carts), newest_first(&h.carts));
    assert_eq!(carts[0]["lines"][0]["quantity"]["value"], "2");
    let ordered = app
        .get_json(
            &format!("/customers/{c}/carts?status=ORDERED"),
            &app.backoffice,
        )
        .await;
    assert_eq!(field(&ordered, "id"), [h.carts[0].clone()]);
    let open = every_page(
        &app,
        &format!("/customers/{c}/carts?status=OPEN"),
        &app.backoffice,
        1,
    )
    .await;
    assert_eq!(ids(&open), [h.carts[2].clone(), h.carts[1].clone()]);

    let offers = every_page(&app, &format!("/customers/{c}/offers"), &app.backoffice, 1).await;
    assert_eq!(ids(&offers), newest_first(&h.offers));
    assert_eq!(offers[1]["status"], "EXPIRED", "validUntil passed");
    for (status, expected) in [
        ("EXPIRED", vec![h.offers[0].clone()]),
        ("DRAFT", vec![h.offers[1].clone()]),
        ("SENT", vec![]),
        ("ACCEPTED", vec![]),
    ] {
        let path = format!("/customers/{c}/offers?status={status}");
        let page = app.get_json(&path, &app.backoffice).await;
        assert_eq!(field(&page, "id"), expected, "{status}");
    }

    let orders = app
        .get_json(&format!("/customers/{c}/orders"), &app.backoffice)
        .await;
    assert_eq!(field(&orders, "id"), std::slice::from_ref(&h.order));
    assert_eq!(orders["items"][0]["cartId"], h.carts[0].as_str());
    assert_eq!(orders["items"][0]["offerId"], Value::Null);
    let others = app
        .get_json(&format!("/customers/{}/carts", h.other), &app.backoffice)
        .await;
    assert_eq!(others["items"].as_array().expect("items").len(), 1);
}

#[actix_web::test]
async fn a_customer_lists_its_own_documents_only_and_bad_queries_are_refused() {
    let app = spawn_app().await;
    let h = history(&app).await;
    let own = app.customer_token(h.customer);
    for list in ["carts", "offers", "orders"] {
        let page = app
            .get_json(&format!("/customers/{}/{list}", h.customer), &own)
            .await;
        let text = page.to_string();
        assert!(
            !page["items"].as_array().expect("items").is_empty(),
            "{list}"
        );
        for secret in ["purchasePrice", "purchaseTotal", "margin"] {
            assert!(
                !text.contains(secret),
                "{list} shows {secret} to a customer"
            );
        }
        assert_problem(
            app.get(&format!("/customers/{}/{list}", h.other), &own)
                .await,
            403,
            "FORBIDDEN",
        )
        .await;
        assert_problem(
            app.get(
                &format!("/customers/{}/{list}", Uuid::new_v4()),
                &app.backoffice,
            )
            .await,
            404,
            "NOT_FOUND",
        )
        .await;
        for query in ["limit=0", "cursor=nonsense"] {
            let path = format!("/customers/{}/{list}?{query}", h.customer);
            assert_refused(app.get(&path, &own).await, &path).await;
        }
    }
    for path in [
        "carts?status=SENT",
        "offers?status=sent",
        "offers?status=LOST",
    ] {
        let path = format!("/customers/{}/{path}", h.customer);
        assert_refused(app.get(&path, &own).await, &path).await;
    }
}

#[actix_web::test]
async fn products_are_searched_by_sku_or_name_and_filtered_by_kind_and_active() {
    let app = spawn_app().await;
    let product = |sku: &str, fields: Value| {
        let mut body = json!({"sku": sku});
        for (key, value) in fields.as_object().expect("object") {
            body[key] = value.clone();
        }
        body
    };
    for body in [
        product(
            "CU-NYM-3x1.5",
            json!({"name": "Copper cable NYM", "kind": "CABLE",
            "unit": "m", "quantityType": "CONTENT_QUANTITY"}),
        ),
        product("DR-500", json!({"name": "Wooden drum", "kind": "DRUM"})),
        product(
            "DR-900",
            json!({"name": "Steel drum", "kind": "DRUM", "active": false}),
        ),
        product("WID-1", json!({"name": "Widget for copper"})),
    ] {
        app.product(body).await;
    }
    for (query, expected) in [
        ("search=copper", vec!["CU-NYM-3x1.5", "WID-1"]),
        ("search=nym", vec!["CU-NYM-3x1.5"]),
        ("search=DRUM", vec!["DR-500", "DR-900"]),
        ("search=dr-", vec!["DR-500", "DR-900"]),
        ("kind=DRUM", vec!["DR-500", "DR-900"]),
        ("kind=DRUM&active=true", vec!["DR-500"]),
        ("active=false", vec!["DR-900"]),
        ("search=copper&kind=STANDARD", vec!["WID-1"]),
        ("search=3x1.5&active=true", vec!["CU-NYM-3x1.5"]),
        ("sku=WID-1&search=widget", vec!["WID-1"]),
        ("search=cable&kind=DRUM", vec![]),
    ] {
        let page = app
            .get_json(&format!("/products?{query}"), &app.backoffice)
            .await;
        assert_eq!(field(&page, "sku"), expected, "{query}");
    }
    let paged = every_page(&app, "/products?search=r", &app.integration, 1).await;
    let skus: Vec<&str> = paged
        .iter()
        .map(|p| p["sku"].as_str().expect("sku"))
        .collect();
    assert_eq!(skus, ["CU-NYM-3x1.5", "DR-500", "DR-900", "WID-1"]);
    for query in ["kind=BOX", "active=maybe"] {
        let response = app
            .get(&format!("/products?{query}"), &app.backoffice)
            .await;
        assert_refused(response, query).await;
    }
}

/// A CORS preflight from `origin` for a PATCH with the usual headers.
async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, app.url("/offers/some-offer"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, if-match",
        )
        .send()
        .await
        .expect("preflight")
}

fn allowed_origin(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("Access-Control-Allow-Origin")
        .map(|v| v.to_str().expect("header").to_string())
}

#[actix_web::test]
async fn a_configured_origin_may_call_the_api_from_a_browser_and_no_other() {
    let shop = "https://shop.example.com";
    let app = spawn_app_with(|c| c.cors_origins = vec![shop.to_string()]).await;

    let allowed = preflight(&app, shop).await;
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(allowed_origin(&allowed).as_deref(), Some(shop));
    let methods = allowed.headers()["Access-Control-Allow-Methods"]
        .to_str()
        .expect("methods")
        .to_string();
    assert!(methods.contains("PATCH"), "{methods}");

    let refused = preflight(&app, "https://evil.example.com").await;
    assert_eq!(allowed_origin(&refused), None);

    let read = app
        .client
        .get(app.url("/products"))
        .bearer_auth(&app.backoffice)
        .header("Origin", shop)
        .send()
        .await
        .expect("request");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(allowed_origin(&read).as_deref(), Some(shop));
    let exposed = read.headers()["Access-Control-Expose-Headers"]
        .to_str()
        .expect("exposed")
        .to_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");

    let elsewhere = app
        .client
        .get(app.url("/products"))
        .bearer_auth(&app.backoffice)
        .header("Origin", "https://evil.example.com")
        .send()
        .await
        .expect("request");
    assert_eq!(
        elsewhere.status(),
        StatusCode::OK,
        "non-browser clients are served"
    );
    assert_eq!(allowed_origin(&elsewhere), None);
}

#[actix_web::test]
async fn without_configured_origins_no_origin_is_allowed() {
    let app = spawn_app().await;
    let response = preflight(&app, "https://shop.example.com").await;
    assert_eq!(allowed_origin(&response), None);
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}
