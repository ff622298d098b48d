//! `spawn_app`: the real app on a random port, over its own fresh database, with a clock
//! the test controls and tokens for every role; and the requests and checks the tests
//! share.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Utc;
use orderpath_core::clock::ManualClock;
use orderpath_db::PgPool;
use orderpath_server::app::{build_server, BASE_PATH};
use orderpath_server::auth::{create_token, Role};
use orderpath_server::config::Config;
use orderpath_server::state::AppState;
use orderpath_testing::TestDatabase;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
    /// Merchant staff.
    pub backoffice: String,
    /// An ERP client.
    pub integration: String,
    /// Keeps webhook delivery running (dropping the switch stops it).
    _delivery: Option<(
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    )>,
    // Dropped last: the database outlives the server's connections. Shared by the
    // instances of one test (see `second_instance`).
    pub db: Arc<TestDatabase>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with webhook delivery running, allowed to call receivers on this machine.
pub async fn spawn_app_delivering(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn(true, |c| {
        c.webhook_allow_private = true;
        adjust(c);
    })
    .await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn(false, adjust).await
}

async fn spawn(deliver: bool, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let db = TestDatabase::new();
    let mut config = test_config(db.url());
    adjust(&mut config);
    let pool = db.pool(config.pool_size);
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let (address, state) = serve(pool.clone(), clock.clone(), config);
    let delivery = deliver.then(|| orderpath_server::background::start_webhook_delivery(&state));
    let mut conn = pool.get().expect("connection");
    let backoffice =
        create_token(&mut conn, "Bea Backoffice", Role::Backoffice, None).expect("token");
    let integration = create_token(&mut conn, "ERP", Role::Integration, None).expect("token");
    TestApp {
        address,
        pool,
        clock,
        client: reqwest::Client::new(),
        backoffice,
        integration,
        _delivery: delivery,
        db: Arc::new(db),
    }
}

/// The configuration every test app starts from, on the database at `url`.
fn test_config(url: &str) -> Config {
    Config {
        database_url: url.to_string(),
        bind: "127.0.0.1:0".into(),
        pool_size: 8,
        client_inactivity: Duration::from_secs(1800),
        session_idle: orderpath_people::DEFAULT_SESSION_IDLE,
        render_cache_bytes: 16 * 1024 * 1024,
        recent_carts_bytes: 16 * 1024 * 1024,
        webhook_allow_private: false,
        webhook_retry_schedule: orderpath_webhooks::RetrySchedule::parse("1,1,1")
            .expect("schedule"),
        webhook_timeout: Duration::from_secs(2),
        webhook_secret_overlap: orderpath_webhooks::endpoints::SECRET_OVERLAP,
        cors_origins: Vec::new(),
        event_retention: chrono::Duration::days(90),
        idempotency_ttl: orderpath_server::config::DEFAULT_IDEMPOTENCY_TTL,
    }
}

/// Serves the app on a free port; returns its address and state.
fn serve(pool: PgPool, clock: Arc<ManualClock>, config: Config) -> (String, web::Data<AppState>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let state = web::Data::new(AppState::new(pool, clock, config));
    let server = build_server(listener, state.clone()).expect("server");
    actix_web::rt::spawn(server);
    (address, state)
}

impl TestApp {
    /// Another instance of the service on the same database, as behind a load balancer:
    /// its own process state (caches, listeners), sharing only PostgreSQL and the clock.
    pub fn second_instance(&self) -> TestApp {
        self.second_instance_with(|_| {})
    }

    /// Another instance as [`TestApp::second_instance`], with `adjust` applied to its
    /// configuration.
    pub fn second_instance_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(self.db.url());
        adjust(&mut config);
        let (address, _) = serve(self.pool.clone(), self.clock.clone(), config);
        TestApp {
            address,
            pool: self.pool.clone(),
            clock: self.clock.clone(),
            client: reqwest::Client::new(),
            backoffice: self.backoffice.clone(),
            integration: self.integration.clone(),
            _delivery: None,
            db: self.db.clone(),
        }
    }

    /// The id `GET /me` gives the caller of `token`: the `userId` its events carry.
    pub async fn caller_id(&self, token: &str) -> Value {
        self.get_json("/me", token).await["id"].clone()
    }

    /// The time the app sees.
    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use orderpath_core::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{BASE_PATH}{path}", self.address)
    }

    /// A customer token bound to `customer_id`.
    pub fn customer_token(&self, customer_id: Uuid) -> String {
        let mut conn = self.pool.get().expect("connection");
        create_token(&mut conn, "Customer", Role::Customer, Some(customer_id)).expect("token")
    }

    /// Another backoffice token than [`TestApp::backoffice`], named `name`.
    pub fn backoffice_token(&self, name: &str) -> String {
        let mut conn = self.pool.get().expect("connection");
        create_token(&mut conn, name, Role::Backoffice, None).expect("token")
    }

    /// Sends a request under the API base path; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Response {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.call(Method::DELETE, path, token, None).await
    }

    /// GETs `path` as `token`, asserts 200 and returns the JSON body.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        assert_json(self.get(path, token).await, StatusCode::OK).await
    }

    /// Sends a JSON body as staff with an `If-Match` header of `version` (e.g. `"\"3\""`).
    pub async fn send_if_match(
        &self,
        method: Method,
        path: &str,
        version: &str,
        body: Value,
    ) -> Response {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.backoffice)
            .header("If-Match", version)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// A customer token bound to the customer that `document` (a cart, offer or order)
    /// belongs to.
    pub fn customer_token_for(&self, document: &Value) -> String {
        let customer = document["customerId"].as_str().expect("customerId");
        self.customer_token(customer.parse().expect("a customer id"))
    }

    /// Asserts that nothing is at `path`: reading it as staff answers 404.
    pub async fn assert_absent(&self, path: &str) {
        assert_problem(self.get(path, &self.backoffice).await, 404, "NOT_FOUND").await;
    }

    /// Upserts a customer in EUR and returns its id.
    pub async fn customer(&self, name: &str) -> Uuid {
        let id = Uuid::new_v4();
        let response = self
            .put(
                &format!("/customers/{id}"),
                &self.backoffice,
                json!({"name": name, "currency": "EUR"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        id
    }

    /// Upserts a product from `fields` laid over a plain STANDARD product in EUR.
    pub async fn product(&self, fields: Value) -> Uuid {
        let id = Uuid::new_v4();
        let body = overlay(product_body(&format!("SKU-{id}")), fields);
        let response = self
            .put(&format!("/products/{id}"), &self.backoffice, body)
            .await;
        assert_json(response, StatusCode::CREATED).await;
        id
    }

    /// A `DRUM` product, `fields` laid over it.
    pub async fn drum(&self, fields: Value) -> Uuid {
        self.product(overlay(json!({"kind": "DRUM"}), fields)).await
    }

    /// A cable sold by the metre that goes on each of `drums` (a drum and the longest cut
    /// it carries), `fields` laid over it.
    pub async fn cable_on(&self, drums: &[(Uuid, &str)], fields: Value) -> Uuid {
        let options: Vec<Value> = drums
            .iter()
            .map(|(drum, max)| json!({"drumProductId": drum, "maxLength": max}))
            .collect();
        let cable = json!({"kind": "CABLE", "unit": "m", "quantityType": "CONTENT_QUANTITY",
            "drumOptions": options});
        self.product(overlay(cable, fields)).await
    }

    /// A cable sold by the metre.
    pub async fn cable(&self, net_price: &str, purchase_price: &str) -> Uuid {
        self.product(
            json!({"kind": "CABLE", "unit": "m", "quantityType": "CONTENT_QUANTITY",
            "netPrice": net_price, "purchasePrice": purchase_price, "stock": "1000"}),
        )
        .await
    }

    /// POSTs `body` to `path` as staff, asserts `status` and returns the JSON answer.
    pub async fn post_as_staff(&self, path: &str, body: Value, status: StatusCode) -> Value {
        assert_json(self.post(path, &self.backoffice, body).await, status).await
    }

    /// An empty cart of a new customer, and a new product to put in it.
    pub async fn empty_cart_and_widget(&self) -> (Value, Uuid) {
        let customer = self.customer("ACME").await;
        let widget = self.product(json!({})).await;
        (self.cart(customer).await, widget)
    }

    /// Creates a cart for `customer` from the backoffice and returns it.
    pub async fn cart(&self, customer: Uuid) -> Value {
        let body = json!({"customerId": customer, "source": "BACKOFFICE"});
        self.post_as_staff("/carts", body, StatusCode::CREATED)
            .await
    }

    /// Asks to order a cart as `token`.
    pub async fn place(&self, cart: &Value, token: &str) -> Response {
        self.post(&format!("/carts/{}/order", id(cart)), token, json!({}))
            .await
    }

    /// Orders a cart as staff, asserts 201 and returns the order.
    pub async fn order(&self, cart: &Value) -> Value {
        assert_json(
            self.place(cart, &self.backoffice).await,
            StatusCode::CREATED,
        )
        .await
    }

    /// Adds `value` of a product to a cart and returns the updated cart.
    pub async fn add(&self, cart: &Value, product: Uuid, kind: &str, value: &str) -> Value {
        let line = json!({"productId": product, "quantity": {"type": kind, "value": value}});
        self.add_line(cart, line).await
    }

    /// Adds a line described by `body` (an add-product request) to a cart as staff, and
    /// returns the updated cart.
    pub async fn add_line(&self, cart: &Value, body: Value) -> Value {
        let path = format!("/carts/{}/products", id(cart));
        self.post_as_staff(&path, body, StatusCode::OK).await
    }

    /// Makes an offer of a cart as staff (`body` as the request) and returns it.
    pub async fn offer(&self, cart: &Value, body: Value) -> Value {
        let path = format!("/carts/{}/offer", id(cart));
        self.post_as_staff(&path, body, StatusCode::CREATED).await
    }

    /// The recorded events of `event_type`, once `count` of them are readable; fails if
    /// there are more. The feed shows an event only when every older transaction of the
    /// PostgreSQL cluster has ended, and tests share the cluster, so it may take a moment.
    /// Later events may still be held back: callers asserting "no more events" make sure
    /// the last thing they did emitted one.
    pub async fn events(&self, event_type: &str, count: usize) -> Vec<Value> {
        for _ in 0..200 {
            let events = self.feed(event_type).await;
            if events.len() >= count {
                assert_eq!(events.len(), count, "{events:?}");
                return events;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("fewer than {count} {event_type} events after 10 seconds");
    }

    /// The events of `event_type` readable now, following the feed to its current end.
    pub async fn feed(&self, event_type: &str) -> Vec<Value> {
        let mut events = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = after_cursor(&format!("/events?type={event_type}"), cursor.as_deref());
            let page = self.get_json(&path, &self.backoffice).await;
            let items = page["items"].as_array().expect("items").clone();
            if items.is_empty() {
                return events;
            }
            events.extend(items);
            cursor = page["nextCursor"].as_str().map(str::to_string);
        }
    }
}

/// `path` (which has a query already) for the page after `cursor`; the first page without
/// one.
pub fn after_cursor(path: &str, cursor: Option<&str>) -> String {
    match cursor {
        Some(c) => format!("{path}&cursor={c}"),
        None => path.to_string(),
    }
}

/// Asserts a problem+json answer with `status` and `code`; returns the body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    body
}

/// Asserts `status` (showing the body if it is another) and returns the JSON body.
pub async fn assert_json(response: Response, status: StatusCode) -> Value {
    let (actual, url) = (response.status(), response.url().clone());
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A plain STANDARD product in EUR: 10.00 net, 6.00 bought, 23 % VAT, 100 in stock.
pub fn product_body(sku: &str) -> Value {
    json!({"sku": sku, "name": "Widget", "kind": "STANDARD", "unit": "pcs",
        "quantityType": "UNIT", "netPrice": "10.00", "purchasePrice": "6.00",
        "vatRate": "23", "currency": "EUR", "stock": "100"})
}

/// `body` with the members of `fields` laid over it.
pub fn overlay(mut body: Value, fields: Value) -> Value {
    for (key, value) in fields.as_object().expect("object") {
        body[key] = value.clone();
    }
    body
}

/// The `id` of a JSON document.
pub fn id(document: &Value) -> String {
    document["id"].as_str().expect("id").to_string()
}

/// Asserts that every member of the JSON object `expected` is the member of that name in
/// `actual`; a failure names the member.
pub fn assert_fields(actual: &Value, expected: Value) {
    for (field, value) in expected.as_object().expect("an object") {
        assert_eq!(&actual[field], value, "{field}");
    }
}

/// The `field` of every element of the JSON array `list`.
pub fn each<'a>(list: &'a Value, field: &str) -> Vec<&'a Value> {
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"));
    items.iter().map(|item| &item[field]).collect()
}

/// Asserts a 422 `VALIDATION_FAILED` answer; returns the fields its `errors` name.
pub async fn invalid_fields(response: Response) -> Vec<String> {
    let problem = assert_problem(response, 422, "VALIDATION_FAILED").await;
    error_fields(&problem)
        .into_iter()
        .map(String::from)
        .collect()
}

/// The fields a problem document's `errors` name.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    each(&problem["errors"], "field")
        .into_iter()
        .map(|field| field.as_str().expect("field"))
        .collect()
}
