//! Every statement the lists, feeds, searches and the delivery log send is planned with
//! sequential scans discouraged, and none may still scan a growing table: an index such a
//! read needs that goes missing fails here, long before a merchant's volumes show it
//! (docs/benchmarks.md, Scale).

use orderpath_testing::plans::{
    generic_plan, has_plan, record_statements, sequential_scans, take_recorded_statements,
    GROWING_TABLES,
};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{id, spawn_app_with};

#[actix_web::test]
async fn lists_feeds_searches_and_the_delivery_log_read_growing_tables_through_indexes() {
    record_statements();
    let app = spawn_app_with(|c| c.webhook_allow_private = true).await;
    let staff = app.backoffice.clone();
    let hook = app
        .post_as_staff(
            "/webhooks",
            json!({"name": "ERP", "status": "ACTIVE", "event": "ORDER_PLACED",
                   "url": "http://127.0.0.1:9/hooks", "authType": "NONE"}),
            StatusCode::CREATED,
        )
        .await;
    let customer = app.customer("Kowalski Kable Sp. z o.o.").await;
    let short = app.product(json!({"stock": "1"})).await;
    let cart = app.cart(customer).await;
    app.add(&cart, short, "UNIT", "3").await;
    let offer = app.offer(&cart, json!({})).await;
    let order = app.order(&cart).await;
    let waiting = app.cart(customer).await;
    app.add(&waiting, short, "UNIT", "2").await;
    app.order(&waiting).await;
    let stock = format!("/products/{short}/stock");
    let restocked = app.put(&stock, &staff, json!({"available": "2"})).await;
    assert_eq!(restocked.status(), StatusCode::OK);

    let reads = [
        "/customers".to_string(),
        "/customers?search=kowalski".into(),
        "/customers?search=k".into(),
        format!("/customers/{customer}/carts"),
        format!("/customers/{customer}/offers"),
        format!("/customers/{customer}/orders"),
        "/orders".into(),
        format!("/orders?customerId={customer}"),
        // Not `/products?search=`: its generic plan reads the products in SKU order and
        // filters them (`ORDER BY sku LIMIT` over `ILIKE`), the whole catalog for a rare
        // text. Open in docs/benchmarks.md, Scale.
        "/products".into(),
        "/offers".into(),
        format!("/offers?customerId={customer}"),
        format!("/offer?offerId={}", id(&offer)),
        format!("/orders/{}", id(&order)),
        format!("/carts/{}/shipment-plan", id(&waiting)),
        "/events".into(),
        "/events?type=ORDER_PLACED".into(),
        format!("/webhooks/{}/deliveries", id(&hook)),
        format!("/webhooks/{}/deliveries?status=FAILED", id(&hook)),
        format!("/webhooks/{}/deliveries?status=PENDING", id(&hook)),
    ];
    for path in &reads {
        let page = app.get_json(path, &staff).await;
        // A page's cursor is followed too: reads after a key plan differently.
        if let Some(next) = page["nextCursor"].as_str() {
            let joined = if path.contains('?') { '&' } else { '?' };
            app.get_json(&format!("{path}{joined}cursor={next}"), &staff)
                .await;
        }
    }

    let statements: Vec<String> = take_recorded_statements()
        .into_iter()
        .filter(|sql| has_plan(sql))
        .collect();
    assert!(statements.len() > 20, "{statements:#?}");
    let mut conn = app.pool.get().expect("connection");
    let scans: Vec<String> = statements
        .iter()
        .filter_map(
            |sql| match sequential_scans(&mut conn, sql, GROWING_TABLES) {
                Ok(tables) if tables.is_empty() => None,
                Ok(tables) => Some(format!("{tables:?}: {sql}")),
                Err(e) => Some(format!("not planned: {e}")),
            },
        )
        .collect();
    assert!(scans.is_empty(), "{scans:#?}");

    // A status page reads that status's entries of the status index, whatever status the
    // plan is used for: a plan that walks the endpoint's log and filters it reads the
    // whole history of an endpoint with none of that status.
    let status_pages: Vec<&String> = statements
        .iter()
        .filter(|sql| {
            sql.split_once("FROM \"webhook_deliveries\" WHERE ")
                .is_some_and(|(_, filter)| filter.contains("status"))
        })
        .collect();
    assert!(!status_pages.is_empty(), "{statements:#?}");
    for sql in status_pages {
        let plan = generic_plan(&mut conn, sql).expect("planned").join("\n");
        assert!(
            plan.contains("webhook_deliveries_log_status_idx") && !plan.contains("Filter:"),
            "{sql}\n{plan}"
        );
    }
}
