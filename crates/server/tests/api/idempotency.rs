//! `Idempotency-Key` on POST requests and `X-Request-Id` on every answer.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use orderpath_db::schema::{domain_events, idempotency_keys};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{assert_json, assert_problem, id, spawn_app, spawn_app_with, TestApp};

const KEY: &str = "Idempotency-Key";
const REPLAYED: &str = "Idempotent-Replayed";

/// POSTs `body` to `path` as `token` with `key`.
async fn post_keyed(app: &TestApp, path: &str, token: &str, key: &str, body: Value) -> Response {
    post_keyed_by(&app.client, app, path, token, key, body).await
}

/// The same with `client`, which keeps its own connections.
async fn post_keyed_by(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: Value,
) -> Response {
    client
        .post(app.url(path))
        .bearer_auth(token)
        .header(KEY, key)
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// An answer as a client sees it: status, ETag, whether it is a replay, and the body.
#[derive(Debug)]
struct Seen {
    status: StatusCode,
    etag: Option<String>,
    replayed: bool,
    body: Value,
}

async fn seen(response: Response) -> Seen {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_string())
    };
    let (etag, replayed) = (header("ETag"), header(REPLAYED));
    assert!(
        replayed.as_deref().is_none_or(|r| r == "true"),
        "{replayed:?}"
    );
    Seen {
        status: response.status(),
        etag,
        replayed: replayed.is_some(),
        body: response.json().await.expect("JSON body"),
    }
}

/// A cart of 2 widgets (100 in stock) for a new customer; returns the cart and the product.
async fn cart_to_order(app: &TestApp) -> (Value, Uuid) {
    let (cart, widget) = app.empty_cart_and_widget().await;
    let cart = app.add(&cart, widget, "UNIT", "2").await;
    (cart, widget)
}

fn order_path(cart: &Value) -> String {
    format!("/carts/{}/order", id(cart))
}

/// The orders of the cart's customer.
async fn orders_of(app: &TestApp, cart: &Value) -> Vec<Value> {
    let path = format!(
        "/customers/{}/orders",
        cart["customerId"].as_str().expect("id")
    );
    let page = app.get_json(&path, &app.backoffice).await;
    page["items"].as_array().expect("items").clone()
}

async fn reserved(app: &TestApp, product: Uuid) -> Value {
    app.get_json(&format!("/products/{product}"), &app.backoffice)
        .await["reserved"]
        .clone()
}

async fn carts_of(app: &TestApp, customer: Uuid) -> usize {
    let path = format!("/customers/{customer}/carts");
    app.get_json(&path, &app.backoffice).await["items"]
        .as_array()
        .expect("items")
        .len()
}

/// How many answers to keyed requests are kept, expired or not.
fn kept_answers(app: &TestApp) -> i64 {
    let mut conn = app.pool.get().expect("connection");
    idempotency_keys::table
        .count()
        .get_result(&mut conn)
        .expect("count")
}

#[actix_web::test]
async fn an_order_posted_twice_with_one_key_is_placed_once_and_answered_alike() {
    let app = spawn_app().await;
    let (cart, widget) = cart_to_order(&app).await;
    let body = json!({});

    let first = seen(
        post_keyed(
            &app,
            &order_path(&cart),
            &app.integration,
            "order-1",
            body.clone(),
        )
        .await,
    )
    .await;
    let second =
        seen(post_keyed(&app, &order_path(&cart), &app.integration, "order-1", body).await).await;

    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert!(!first.replayed);
    assert_eq!(second.status, StatusCode::CREATED);
    assert!(second.replayed);
    assert_eq!(second.body, first.body);
    assert!(first.etag.is_some());
    assert_eq!(second.etag, first.etag);
    let orders = orders_of(&app, &cart).await;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["id"], first.body["id"]);
    assert_eq!(reserved(&app, widget).await, "2");
    // One ORDER_PLACED recorded (counted in the table: the feed may lag behind other
    // databases' transactions on a shared server).
    let mut conn = app.pool.get().expect("connection");
    let placed: i64 = domain_events::table
        .filter(domain_events::event_type.eq("ORDER_PLACED"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(placed, 1);
}

#[actix_web::test]
async fn without_a_key_a_repeated_order_is_refused_as_before() {
    let app = spawn_app().await;
    let (cart, _) = cart_to_order(&app).await;
    assert_json(
        app.place(&cart, &app.integration).await,
        StatusCode::CREATED,
    )
    .await;
    let again = app.place(&cart, &app.integration).await;
    assert_problem(again, 409, "CART_NOT_OPEN").await;
}

#[actix_web::test]
async fn one_order_sent_at_the_same_moment_twice_is_placed_once() {
    let app = spawn_app().await;
    for round in 0..5 {
        let (cart, widget) = cart_to_order(&app).await;
        let path = order_path(&cart);
        let key = format!("race-{round}");
        // Two clients: two connections.
        let other = reqwest::Client::new();
        let (a, b) = tokio::join!(
            post_keyed(&app, &path, &app.integration, &key, json!({})),
            post_keyed_by(&other, &app, &path, &app.integration, &key, json!({})),
        );
        let (a, b) = (seen(a).await, seen(b).await);
        let (placed, other) = if a.status == StatusCode::CREATED && !a.replayed {
            (a, b)
        } else {
            (b, a)
        };
        assert_eq!(placed.status, StatusCode::CREATED, "{placed:?} {other:?}");
        assert!(!placed.replayed);
        match other.status {
            StatusCode::CREATED => {
                assert!(other.replayed, "{other:?}");
                assert_eq!(other.body, placed.body);
            }
            StatusCode::CONFLICT => assert_eq!(other.body["code"], "IDEMPOTENCY_KEY_IN_USE"),
            _ => panic!("{other:?}"),
        }
        assert_eq!(orders_of(&app, &cart).await.len(), 1);
        assert_eq!(reserved(&app, widget).await, "2");
    }
}

#[actix_web::test]
async fn a_key_whose_request_is_running_is_in_use_until_it_ends() {
    let app = spawn_app().await;
    let (cart, _) = cart_to_order(&app).await;
    let path = order_path(&cart);
    let caller: Uuid = app
        .caller_id(&app.integration)
        .await
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");

    // Another instance is running a request with this key: its transaction holds the key.
    let mut running = app.pool.get().expect("connection");
    AnsiTransactionManager::begin_transaction(&mut *running).expect("begin");
    assert!(orderpath_db::idempotency::try_lock(&mut running, caller, "busy").expect("lock"));

    let refused = post_keyed(&app, &path, &app.integration, "busy", json!({})).await;
    let problem = assert_problem(refused, 409, "IDEMPOTENCY_KEY_IN_USE").await;
    assert!(orders_of(&app, &cart).await.is_empty(), "{problem}");

    // That instance crashes: its connection ends, and so does its hold on the key once
    // PostgreSQL has seen it go. The client retries, as after any 409.
    drop(running);
    let mut placed = seen(post_keyed(&app, &path, &app.integration, "busy", json!({})).await).await;
    for _ in 0..100 {
        if placed.status != StatusCode::CONFLICT {
            break;
        }
        assert_eq!(placed.body["code"], "IDEMPOTENCY_KEY_IN_USE");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        placed = seen(post_keyed(&app, &path, &app.integration, "busy", json!({})).await).await;
    }
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert!(!placed.replayed, "the 409 was not kept");
    assert_eq!(orders_of(&app, &cart).await.len(), 1);
}

#[actix_web::test]
async fn a_key_holds_across_instances() {
    let app = spawn_app().await;
    let other = app.second_instance();
    let (cart, widget) = cart_to_order(&app).await;
    let path = order_path(&cart);

    let first = seen(post_keyed(&app, &path, &app.integration, "erp-77", json!({})).await).await;
    let second = seen(post_keyed(&other, &path, &app.integration, "erp-77", json!({})).await).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert!(second.replayed);
    assert_eq!(
        (second.status, &second.body, &second.etag),
        (first.status, &first.body, &first.etag)
    );
    assert_eq!(orders_of(&app, &cart).await.len(), 1);
    assert_eq!(reserved(&app, widget).await, "2");
}

#[actix_web::test]
async fn a_key_used_again_for_another_request_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let opened = json!({"customerId": customer, "source": "BACKOFFICE"});
    let created = post_keyed(&app, "/carts", &app.integration, "k-1", opened).await;
    assert_json(created, StatusCode::CREATED).await;

    let other_body = json!({"customerId": customer, "source": "OFE"});
    let reused = post_keyed(&app, "/carts", &app.integration, "k-1", other_body).await;
    let problem = assert_problem(reused, 422, "IDEMPOTENCY_KEY_REUSED").await;
    assert_eq!(problem["errors"][0]["field"], KEY);
    // Another path with the same body is another request too.
    let (cart, _) = cart_to_order(&app).await;
    let elsewhere = post_keyed(&app, &order_path(&cart), &app.integration, "k-1", json!({})).await;
    assert_problem(elsewhere, 422, "IDEMPOTENCY_KEY_REUSED").await;

    assert_eq!(carts_of(&app, customer).await, 1);
    assert!(orders_of(&app, &cart).await.is_empty());
}

#[actix_web::test]
async fn callers_keys_are_their_own() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let body = json!({"customerId": customer, "source": "BACKOFFICE"});
    let erp = seen(post_keyed(&app, "/carts", &app.integration, "same", body.clone()).await).await;
    let staff = seen(post_keyed(&app, "/carts", &app.backoffice, "same", body).await).await;
    assert_eq!(
        (erp.status, staff.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert!(!staff.replayed);
    assert_ne!(erp.body["id"], staff.body["id"]);
    assert_eq!(carts_of(&app, customer).await, 2);
}

#[actix_web::test]
async fn an_expired_key_runs_the_request_again_and_the_sweep_deletes_it() {
    let ttl = chrono::Duration::seconds(60);
    let app = spawn_app_with(|c| c.idempotency_ttl = ttl).await;
    let customer = app.customer("ACME").await;
    let body = json!({"customerId": customer, "source": "BACKOFFICE"});
    let first =
        seen(post_keyed(&app, "/carts", &app.integration, "daily", body.clone()).await).await;

    app.clock.advance(ttl - chrono::Duration::seconds(1));
    let replay =
        seen(post_keyed(&app, "/carts", &app.integration, "daily", body.clone()).await).await;
    assert!(replay.replayed);
    assert_eq!(replay.body["id"], first.body["id"]);

    app.clock.advance(chrono::Duration::seconds(1));
    let again =
        seen(post_keyed(&app, "/carts", &app.integration, "daily", body.clone()).await).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert!(!again.replayed);
    assert_ne!(again.body["id"], first.body["id"]);
    assert_eq!(carts_of(&app, customer).await, 2);
    let kept_again = seen(post_keyed(&app, "/carts", &app.integration, "daily", body).await).await;
    assert!(kept_again.replayed);
    assert_eq!(kept_again.body["id"], again.body["id"]);

    // The cleanup deletes what expired, and only that.
    let other = post_keyed(
        &app,
        "/carts",
        &app.backoffice,
        "older",
        json!({"customerId": customer, "source": "OFE"}),
    )
    .await;
    assert_eq!(other.status(), StatusCode::CREATED);
    app.clock.advance(ttl - chrono::Duration::seconds(1));
    let mut conn = app.pool.get().expect("connection");
    let now = app.clock_now();
    assert_eq!(
        orderpath_db::idempotency::delete_expired(&mut conn, now, 10).expect("sweep"),
        0
    );
    app.clock.advance(chrono::Duration::seconds(1));
    let now = app.clock_now();
    assert_eq!(
        orderpath_db::idempotency::delete_expired(&mut conn, now, 10).expect("sweep"),
        2
    );
    assert_eq!(kept_answers(&app), 0);
}

#[actix_web::test]
async fn client_errors_are_kept_and_replayed() {
    let app = spawn_app().await;
    let cart = app.cart(app.customer("ACME").await).await;
    let path = order_path(&cart);
    let empty = post_keyed(&app, &path, &app.integration, "too-early", json!({})).await;
    let empty = seen(empty).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        empty.body
    );

    // The cart fills up meanwhile; the key still answers what it answered.
    let widget = app.product(json!({})).await;
    app.add(&cart, widget, "UNIT", "1").await;
    let again = seen(post_keyed(&app, &path, &app.integration, "too-early", json!({})).await).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.replayed);
    assert_eq!(again.body["code"], empty.body["code"]);
    assert_eq!(again.body["detail"], empty.body["detail"]);
    assert!(orders_of(&app, &cart).await.is_empty());

    // A new key orders it.
    let placed = post_keyed(&app, &path, &app.integration, "now", json!({})).await;
    assert_json(placed, StatusCode::CREATED).await;
}

#[actix_web::test]
async fn a_malformed_key_is_refused_naming_the_header_and_changes_nothing() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let body = json!({"customerId": customer, "source": "BACKOFFICE"});
    for bad in ["", "has space", &"k".repeat(256)] {
        let response = post_keyed(&app, "/carts", &app.integration, bad, body.clone()).await;
        let problem = assert_problem(response, 400, "VALIDATION_FAILED").await;
        assert_eq!(problem["errors"][0]["field"], KEY, "{bad:?}");
    }
    assert_eq!(carts_of(&app, customer).await, 0);
    // Without a token the answer is 401 whatever the key.
    let anonymous = app
        .client
        .post(app.url("/carts"))
        .header(KEY, "has space")
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_problem(anonymous, 401, "UNAUTHENTICATED").await;
    let longest = "k".repeat(255);
    let response = post_keyed(&app, "/carts", &app.integration, &longest, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn a_new_token_is_never_kept_so_its_route_ignores_the_key() {
    let app = spawn_app().await;
    let body = json!({"name": "ERP 2", "role": "integration"});
    let first = assert_json(
        post_keyed(&app, "/tokens", &app.backoffice, "t-1", body.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let second = seen(post_keyed(&app, "/tokens", &app.backoffice, "t-1", body).await).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert!(!second.replayed);
    assert_ne!(second.body["token"], first["token"]);
    assert_eq!(kept_answers(&app), 0);
}

async fn request_id_of(response: &Response) -> String {
    response
        .headers()
        .get("X-Request-Id")
        .expect("X-Request-Id")
        .to_str()
        .expect("ascii")
        .to_string()
}

#[actix_web::test]
async fn a_request_id_is_echoed_or_generated_and_named_in_problems() {
    let app = spawn_app().await;
    let send = |method: Method, path: &str, id: Option<&str>| {
        let mut request = app
            .client
            .request(method, app.url(path))
            .bearer_auth(&app.backoffice);
        if let Some(id) = id {
            request = request.header("X-Request-Id", id);
        }
        request.send()
    };

    let echoed = send(Method::GET, "/me", Some("erp-batch-7/line-3"))
        .await
        .expect("request");
    assert_eq!(echoed.status(), StatusCode::OK);
    assert_eq!(request_id_of(&echoed).await, "erp-batch-7/line-3");

    let generated = send(Method::GET, "/me", None).await.expect("request");
    let generated_id = request_id_of(&generated).await;
    assert!(Uuid::parse_str(&generated_id).is_ok(), "{generated_id}");
    let another = request_id_of(&send(Method::GET, "/me", None).await.expect("request")).await;
    assert_ne!(another, generated_id);

    for invalid in ["two words", &"r".repeat(129)] {
        let response = send(Method::GET, "/me", Some(invalid))
            .await
            .expect("request");
        let id = request_id_of(&response).await;
        assert!(Uuid::parse_str(&id).is_ok(), "{invalid:?} gave {id}");
    }

    // Problems: an unknown route, a method the route does not answer, a missing token, a
    // refused body.
    let not_found = send(Method::GET, "/nowhere", Some("rid-404"))
        .await
        .expect("request");
    let id = request_id_of(&not_found).await;
    let problem = assert_problem(not_found, 404, "NOT_FOUND").await;
    assert_eq!(
        (id.as_str(), &problem["requestId"]),
        ("rid-404", &json!("rid-404"))
    );

    let not_allowed = send(Method::DELETE, "/events", None)
        .await
        .expect("request");
    let id = request_id_of(&not_allowed).await;
    let problem = assert_problem(not_allowed, 405, "METHOD_NOT_ALLOWED").await;
    assert_eq!(problem["requestId"], json!(id));

    let anonymous = app
        .client
        .get(app.url("/me"))
        .header("X-Request-Id", "rid-401")
        .send()
        .await
        .expect("request");
    assert_eq!(request_id_of(&anonymous).await, "rid-401");
    let problem = assert_problem(anonymous, 401, "UNAUTHENTICATED").await;
    assert_eq!(problem["requestId"], "rid-401");

    let refused = app
        .post("/carts", &app.backoffice, json!({"source": "BACKOFFICE"}))
        .await;
    let id = request_id_of(&refused).await;
    let problem = assert_problem(refused, 400, "VALIDATION_FAILED").await;
    assert_eq!(problem["requestId"], json!(id));

    // Pages outside the API carry one too.
    let health = app
        .client
        .get(format!("{}/health/live", app.address))
        .send()
        .await
        .expect("request");
    assert!(Uuid::parse_str(&request_id_of(&health).await).is_ok());
}

#[actix_web::test]
async fn a_replayed_problem_names_the_request_that_asked_again() {
    let app = spawn_app().await;
    let path = format!("/carts/{}/order", Uuid::new_v4());
    let ask = |rid: &'static str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&app.integration)
            .header(KEY, "ghost")
            .header("X-Request-Id", rid)
            .json(&json!({}))
            .send()
    };
    let first = assert_problem(ask("first").await.expect("request"), 404, "NOT_FOUND").await;
    let again = ask("second").await.expect("request");
    assert_eq!(again.headers()[REPLAYED], "true");
    let again = assert_problem(again, 404, "NOT_FOUND").await;
    assert_eq!(
        (&first["requestId"], &again["requestId"]),
        (&json!("first"), &json!("second"))
    );
    assert_eq!(first["detail"], again["detail"]);
}

#[actix_web::test]
async fn the_openapi_document_declares_the_key_on_the_posts_that_keep_answers() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(format!("{}/api-docs/openapi.json", app.address))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");
    let operation = |path: &str, method: &str| {
        doc["paths"][format!("{}{path}", orderpath_server::app::BASE_PATH)][method].clone()
    };
    let declares_key = |operation: &Value| {
        operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == KEY && p["in"] == "header")
    };
    let order = operation("/carts/{cartId}/order", "post");
    assert!(declares_key(&order), "{order}");
    assert_eq!(
        order["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter(|p| p["name"] == KEY)
            .count(),
        1
    );
    for status in ["201", "409", "422"] {
        assert!(order["responses"][status].is_object(), "{status}: {order}");
    }
    assert_eq!(
        order["responses"]["201"]["headers"][REPLAYED]["schema"]["enum"],
        json!(["true"])
    );
    assert!(declares_key(&operation("/carts", "post")));
    assert!(!declares_key(&operation("/sessions", "post")));
    assert!(!declares_key(&operation("/tokens", "post")));
    assert!(!declares_key(&operation("/carts/{cartId}", "get")));
}

#[actix_web::test]
async fn an_order_whose_answer_cannot_be_kept_is_not_placed_and_may_be_retried() {
    let app = spawn_app().await;
    let (cart, widget) = cart_to_order(&app).await;
    let path = order_path(&cart);
    // Storing the answer to this key fails, after the order was made in the same request.
    let mut conn = app.pool.get().expect("connection");
    diesel::sql_query(
        "CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.idempotency_key = 'doomed' THEN RAISE EXCEPTION 'disk full'; END IF; \
         RETURN NEW; END $$",
    )
    .execute(&mut conn)
    .expect("function");
    diesel::sql_query(
        "CREATE TRIGGER refuse_doomed BEFORE INSERT ON idempotency_keys \
         FOR EACH ROW EXECUTE FUNCTION refuse_doomed()",
    )
    .execute(&mut conn)
    .expect("trigger");

    let failed = post_keyed(&app, &path, &app.integration, "doomed", json!({})).await;
    assert_problem(failed, 500, "INTERNAL_ERROR").await;
    // The order went with its answer: nothing of it stays.
    assert!(orders_of(&app, &cart).await.is_empty());
    assert_eq!(reserved(&app, widget).await, "0");
    let read = app
        .get_json(&format!("/carts/{}", id(&cart)), &app.backoffice)
        .await;
    assert_eq!(read["status"], "OPEN");

    // The key is free again: the retry places the order, once.
    diesel::sql_query("DROP TRIGGER refuse_doomed ON idempotency_keys")
        .execute(&mut conn)
        .expect("drop trigger");
    let placed = seen(post_keyed(&app, &path, &app.integration, "doomed", json!({})).await).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert!(!placed.replayed);
    assert_eq!(orders_of(&app, &cart).await.len(), 1);
    assert_eq!(reserved(&app, widget).await, "2");
}
