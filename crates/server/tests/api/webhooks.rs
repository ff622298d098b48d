use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use orderpath_webhooks::{verify, RetrySchedule, SigningSecret};
use reqwest::StatusCode;
use serde_json::{json, Value};

use orderpath_server::app::BASE_PATH;

use crate::helpers::{
    assert_json, assert_problem, each, id, spawn_app, spawn_app_delivering, spawn_app_with, TestApp,
};
use crate::receiver::{Received, Receiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn hook(url: &str, event: &str) -> Value {
    json!({"name": "ERP", "status": "ACTIVE", "event": event, "url": url,
           "authType": "HTTP_BASIC", "username": "admin", "password": "admin", "signingSecret": SECRET})
}

async fn create(app: &TestApp, body: Value) -> Value {
    let response = app.post("/webhooks", &app.backoffice, body).await;
    assert_json(response, StatusCode::CREATED).await
}

async fn deliveries(app: &TestApp, webhook: &Value, query: &str) -> Vec<Value> {
    let path = format!("/webhooks/{}/deliveries{query}", id(webhook));
    let page = app.get_json(&path, &app.backoffice).await;
    page["items"].as_array().expect("items").clone()
}

/// Waits until the endpoint has `count` deliveries in `status`.
async fn wait_for_status(app: &TestApp, webhook: &Value, status: &str, count: usize) -> Vec<Value> {
    for _ in 0..300 {
        let found = deliveries(app, webhook, &format!("?status={status}&limit=500")).await;
        if found.len() >= count {
            return found;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} {status} deliveries after 15 seconds");
}

/// Waits until `count` deliveries of the endpoint have had their first attempt recorded
/// and wait for another one.
async fn wait_for_retries(app: &TestApp, webhook: &Value, count: usize) -> Vec<Value> {
    for _ in 0..300 {
        let pending = deliveries(app, webhook, "?status=PENDING&limit=500").await;
        let tried: Vec<Value> = pending
            .into_iter()
            .filter(|d| !d["attempts"].as_array().expect("attempts").is_empty())
            .collect();
        if tried.len() >= count {
            return tried;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} deliveries waiting for a retry after 15 seconds");
}

fn time(value: &Value) -> DateTime<Utc> {
    value.as_str().expect("a time").parse().expect("RFC 3339")
}

/// When an attempt began, and how long its send took.
fn began_and_took(attempt: &Value) -> (DateTime<Utc>, chrono::Duration) {
    let took = attempt["durationMs"].as_i64().expect("durationMs");
    (
        time(&attempt["attemptedAt"]),
        chrono::Duration::milliseconds(took),
    )
}

/// Timestamps keep microseconds, and jitter multiplies in floating point: a millisecond
/// covers both.
const ROUNDING: chrono::Duration = chrono::Duration::milliseconds(1);

/// The app delivering webhooks, retrying after the delays of `schedule` (in seconds).
async fn spawn_app_retrying(schedule: &str) -> TestApp {
    let schedule = RetrySchedule::parse(schedule).expect("schedule");
    spawn_app_delivering(|c| c.webhook_retry_schedule = schedule).await
}

/// An app retrying on `schedule`, a receiver that answers `statuses` first (then 200),
/// and a `CART_OPENED` webhook sending to it.
async fn retrying_to(schedule: &str, statuses: &[u16]) -> (TestApp, Receiver, Value) {
    let app = spawn_app_retrying(schedule).await;
    let receiver = Receiver::start().await;
    receiver.answer(statuses);
    let webhook = create(&app, hook(&receiver.url, "CART_OPENED")).await;
    (app, receiver, webhook)
}

#[actix_web::test]
async fn endpoints_are_configured_without_ever_showing_secrets() {
    let app = spawn_app_with(|c| c.webhook_allow_private = true).await;
    let created = create(&app, hook("http://127.0.0.1:9/hook", "CART_OPENED")).await;
    assert_eq!(created["passwordSet"], true);
    assert_eq!(created["signingSecretSet"], true);
    assert_eq!(created["username"], "admin");
    let path = format!("/webhooks/{}", id(&created));
    let change = json!({"name": "ERP 2", "status": "INACTIVE"});
    let patched = app.patch(&path, &app.backoffice, change).await;
    let patched = assert_json(patched, StatusCode::OK).await;
    assert_eq!(patched["name"], "ERP 2");
    assert_eq!(patched["status"], "INACTIVE");
    assert_eq!(
        patched["passwordSet"], true,
        "an edit keeps the stored password"
    );
    let listed = app
        .get("/webhooks", &app.backoffice)
        .await
        .text()
        .await
        .expect("body");
    let items: Value = serde_json::from_str(&listed).expect("json");
    let shown = &items["items"][0];
    assert!(shown.get("password").is_none() && shown.get("signingSecret").is_none());
    assert!(!listed.contains(SECRET), "{listed}");
    assert_eq!(
        app.delete(&path, &app.backoffice).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.get(&path, &app.backoffice).await, 404, "NOT_FOUND").await;
    assert_problem(
        app.get("/webhooks", &app.integration).await,
        403,
        "FORBIDDEN",
    )
    .await;
}

#[actix_web::test]
async fn invalid_endpoints_are_refused_naming_the_field() {
    let app = spawn_app_with(|c| c.webhook_allow_private = true).await;
    let base = hook("http://127.0.0.1:9/hook", "CART_OPENED");
    let mut cases = Vec::new();
    for (key, value, field) in [
        ("url", json!("ftp://example.com/x"), "url"),
        ("url", json!("not a url"), "url"),
        ("event", json!("CART_CLOSED"), "event"),
        ("signingSecret", json!("secret"), "signingSecret"),
        ("name", json!(" "), "name"),
    ] {
        let mut body = base.clone();
        body[key] = value;
        cases.push((body, field));
    }
    let mut no_password = base.clone();
    no_password
        .as_object_mut()
        .expect("object")
        .remove("password");
    cases.push((no_password, "password"));
    for (body, field) in cases {
        let problem = assert_problem(
            app.post("/webhooks", &app.backoffice, body).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let listed = app.get_json("/webhooks", &app.backoffice).await;
    assert_eq!(listed["items"], json!([]));
}

#[actix_web::test]
async fn urls_of_local_and_private_hosts_are_refused() {
    let app = spawn_app().await;
    for url in [
        "http://localhost/hook",
        "http://127.1/hook",
        "http://0.0.0.0/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://2130706433/hook",
        "http://0x7f000001/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
    ] {
        let body = hook(url, "CART_OPENED");
        let saved = app.post("/webhooks", &app.backoffice, body.clone()).await;
        let problem = assert_problem(saved, 422, "UNSAFE_WEBHOOK_URL").await;
        assert_eq!(problem["errors"][0]["field"], "url");
        let message = problem["errors"][0]["message"].as_str().expect("message");
        assert!(
            message.contains("ORDERPATH_WEBHOOK_ALLOW_PRIVATE=true"),
            "the refusal names the setting that allows it: {message}"
        );
        assert_problem(
            app.post("/webhooks/test", &app.backoffice, body).await,
            422,
            "UNSAFE_WEBHOOK_URL",
        )
        .await;
    }
}

#[actix_web::test]
async fn a_test_send_reports_what_the_receiver_did() {
    let app = spawn_app_with(|c| {
        c.webhook_allow_private = true;
        c.webhook_timeout = Duration::from_millis(1500);
    })
    .await;
    let receiver = Receiver::start().await;
    let test = |url: String| {
        let app = &app;
        async move {
            let body = hook(&url, "CLIENT_LOGGED");
            let response = app.post("/webhooks/test", &app.backoffice, body).await;
            assert_json(response, StatusCode::OK).await
        }
    };
    let ok = test(receiver.url.clone()).await;
    assert_eq!(
        (ok["delivered"].as_bool(), ok["statusCode"].as_u64()),
        (Some(true), Some(204))
    );
    let sample = &receiver.received()[0];
    assert_eq!(
        sample.headers["webhook-test"], "true",
        "test sends are marked"
    );
    let sample = sample.json();
    assert_eq!(sample["type"], "CLIENT_LOGGED");
    assert_eq!(
        sample["data"]["customerId"], "00000000-0000-0000-0000-000000000001",
        "obviously a sample customer"
    );

    receiver.answer(&[500]);
    let failed = test(receiver.url.clone()).await;
    assert_eq!(
        (failed["delivered"].as_bool(), failed["statusCode"].as_u64()),
        (Some(false), Some(500))
    );
    assert_eq!(failed["responseBody"], "answered 500");
    receiver.answer(&[401]);
    assert_eq!(test(receiver.url.clone()).await["statusCode"], 401);
    receiver.answer(&[302]);
    let redirected = test(receiver.url.clone()).await;
    assert_eq!(
        (
            redirected["delivered"].as_bool(),
            redirected["statusCode"].as_u64()
        ),
        (Some(false), Some(302)),
        "redirects are not followed"
    );

    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let refused = test(format!("http://127.0.0.1:{dead}/hook")).await;
    assert_eq!(refused["delivered"], false);
    assert!(
        refused["error"]
            .as_str()
            .expect("error")
            .contains("connect"),
        "{refused}"
    );

    receiver.delay(Duration::from_secs(3));
    let slow = test(receiver.url.clone()).await;
    assert_eq!(slow["delivered"], false);
    assert!(
        slow["error"].as_str().expect("error").contains("timed out"),
        "{slow}"
    );
}

#[actix_web::test]
async fn event_types_come_with_sample_payloads() {
    let app = spawn_app().await;
    let types = app.get_json("/webhook-event-types", &app.backoffice).await;
    let names: Vec<&str> = types
        .as_array()
        .expect("list")
        .iter()
        .map(|t| t["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        names,
        [
            "CART_OPENED",
            "CLIENT_LOGGED",
            "OFFER_OPENED",
            "ORDER_PLACED",
            "SHIPMENT_READY"
        ]
    );
    for t in types.as_array().expect("list") {
        assert_eq!(t["samplePayload"]["type"], t["type"]);
        assert!(t["description"].as_str().expect("description").len() > 10);
    }
}

#[actix_web::test]
async fn an_opened_cart_reaches_the_receiver_signed_and_authenticated() {
    let app = spawn_app_delivering(|_| {}).await;
    let receiver = Receiver::start().await;
    let webhook = create(&app, hook(&receiver.url, "CART_OPENED")).await;
    let customer = app.customer("ACME").await;
    let cart = app.cart(customer).await;
    let received = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    let request = &received[0];
    let body = request.json();
    assert_eq!(body["type"], "CART_OPENED");
    assert_eq!(
        body["data"],
        json!({"customerId": customer, "cartId": cart["id"], "source": "BACKOFFICE",
               "userId": app.caller_id(&app.backoffice).await})
    );
    assert_eq!(
        request.headers["webhook-id"],
        body["id"].as_str().expect("id")
    );
    assert_eq!(request.headers["authorization"], "Basic YWRtaW46YWRtaW4=");
    assert_eq!(request.headers["content-type"], "application/json");
    assert!(
        !request.headers.contains_key("webhook-test"),
        "only test sends are marked as such"
    );
    let timestamp: i64 = request.headers["webhook-timestamp"]
        .parse()
        .expect("timestamp");
    let secret = SigningSecret::parse(SECRET).expect("secret");
    let now = chrono::Utc::now().timestamp();
    verify(
        &secret,
        &request.headers["webhook-id"],
        timestamp,
        &request.body,
        &request.headers["webhook-signature"],
        now,
        300,
    )
    .expect("a valid signature");

    let log = wait_for_status(&app, &webhook, "SUCCEEDED", 1).await;
    assert_eq!(log[0]["eventId"], body["id"]);
    assert_eq!(log[0]["eventType"], "CART_OPENED");
    assert_eq!(log[0]["attempts"][0]["statusCode"], 204);

    // The endpoint moved to another event: its log still names each delivery's own event.
    let path = format!("/webhooks/{}", id(&webhook));
    let moved = app
        .patch(&path, &app.backoffice, json!({"event": "ORDER_PLACED"}))
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let log = deliveries(&app, &webhook, "").await;
    assert_eq!(log[0]["eventType"], "CART_OPENED");
}

#[actix_web::test]
async fn failures_are_retried_on_schedule_until_delivered() {
    // Longer than the dispatcher's longest idle pause (a second), so that a retry sent
    // on the next pause instead of on schedule shows.
    let (app, receiver, webhook) = retrying_to("2,2,2", &[500, 503]).await;
    app.cart(app.customer("ACME").await).await;
    let log = wait_for_status(&app, &webhook, "SUCCEEDED", 1).await;
    let codes = each(&log[0]["attempts"], "statusCode");
    assert_eq!(codes, [&json!(500), &json!(503), &json!(204)]);
    assert_eq!(receiver.received().len(), 3);
    // Each retry began no sooner than the failed send had ended and the delay of two
    // seconds, less its jitter of at most a fifth, had passed.
    let attempts = log[0]["attempts"].as_array().expect("attempts");
    for pair in attempts.windows(2) {
        let (began, took) = began_and_took(&pair[0]);
        let (next, _) = began_and_took(&pair[1]);
        let earliest = began + took + chrono::Duration::milliseconds(1600) - ROUNDING;
        assert!(next >= earliest, "retried at {next}, before {earliest}");
    }
    // The same webhook-id on every retry.
    assert!(receiver
        .received()
        .iter()
        .all(|r| r.headers["webhook-id"] == log[0]["eventId"].as_str().expect("id")));
}

#[actix_web::test]
async fn a_delivery_fails_after_its_last_attempt_and_can_be_retried_by_hand() {
    let (app, _receiver, webhook) = retrying_to("0,0", &[500, 500, 500]).await;
    app.cart(app.customer("ACME").await).await;
    let failed = wait_for_status(&app, &webhook, "FAILED", 1).await;
    assert_eq!(failed[0]["attempts"].as_array().expect("attempts").len(), 3);
    let retry = format!(
        "/webhooks/{}/deliveries/{}/retry",
        id(&webhook),
        id(&failed[0])
    );
    assert_eq!(
        app.post(&retry, &app.backoffice, json!({})).await.status(),
        StatusCode::ACCEPTED
    );
    let done = wait_for_status(&app, &webhook, "SUCCEEDED", 1).await;
    assert_eq!(done[0]["attempts"].as_array().expect("attempts").len(), 4);
}

#[actix_web::test]
async fn a_receiver_that_was_down_gets_everything_once_it_is_back() {
    let app = spawn_app_retrying("1,1,1,1,1,1,1,1").await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let webhook = create(&app, hook(&format!("http://{address}/hook"), "CART_OPENED")).await;
    let customer = app.customer("ACME").await;
    for _ in 0..5 {
        app.cart(customer).await;
    }
    // Every delivery found the receiver down before it comes back.
    wait_for_retries(&app, &webhook, 5).await;
    let receiver = Receiver::on(std::net::TcpListener::bind(address).expect("rebind")).await;
    let delivered = wait_for_status(&app, &webhook, "SUCCEEDED", 5).await;
    for delivery in &delivered {
        let attempts = delivery["attempts"].as_array().expect("attempts");
        assert_eq!(attempts[0]["statusCode"], Value::Null, "{delivery}");
        assert_eq!(attempts[0]["succeeded"], false, "{delivery}");
        assert_eq!(attempts.last().expect("an attempt")["statusCode"], 204);
    }
    let mut ids: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| r.headers["webhook-id"].clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
}

#[actix_web::test]
async fn a_slow_receiver_does_not_hold_up_the_others() {
    // The slow receiver answers nothing while the test runs: whatever the fast one gets,
    // it gets while the slow one is busy.
    let hour = Duration::from_secs(3600);
    let app = spawn_app_delivering(|c| c.webhook_timeout = hour).await;
    let slow = Receiver::start().await;
    slow.delay(hour);
    let fast = Receiver::start().await;
    let slow_hook = create(&app, hook(&slow.url, "CART_OPENED")).await;
    create(&app, hook(&fast.url, "CART_OPENED")).await;
    let customer = app.customer("ACME").await;
    for _ in 0..40 {
        app.cart(customer).await;
    }
    assert!(
        !slow.wait_for(1, Duration::from_secs(15)).await.is_empty(),
        "the slow receiver is being called"
    );
    let received = fast.wait_for(40, Duration::from_secs(15)).await;
    assert_eq!(
        received.len(),
        40,
        "the fast receiver got everything while the slow one was still busy"
    );
    let slow_log = deliveries(&app, &slow_hook, "?limit=500").await;
    assert!(
        slow_log.iter().all(|d| d["attempts"] == json!([])),
        "no send to the slow receiver has ended"
    );
}

#[actix_web::test]
async fn retries_are_due_after_the_scheduled_delay_spread_by_jitter() {
    // One long delay: every delivery fails once and then waits; none is retried here.
    let count = 20;
    let (app, _receiver, webhook) = retrying_to("100", &vec![500; count]).await;
    let customer = app.customer("ACME").await;
    for _ in 0..count {
        app.cart(customer).await;
    }
    let waiting = wait_for_retries(&app, &webhook, count).await;
    // Every retry time was set before now, after its failed send ended.
    let seen = Utc::now();
    let delay = chrono::Duration::seconds(100);
    let fifth = chrono::Duration::seconds(20);
    let mut shifted = 0;
    for delivery in &waiting {
        let (began, took) = began_and_took(&delivery["attempts"][0]);
        let due = time(&delivery["nextAttemptAt"]);
        // due = (end of the send) + (delay ± a fifth), and the send ended in
        // [began + took, seen].
        assert!(due >= began + took + delay - fifth - ROUNDING, "{delivery}");
        assert!(due <= seen + delay + fifth + ROUNDING, "{delivery}");
        // Without jitter the delay would be exactly 100 s, which these bounds allow only
        // if due lies in [began + took + 100 s, seen + 100 s].
        if due < began + took + delay - ROUNDING || due > seen + delay + ROUNDING {
            shifted += 1;
        }
    }
    assert!(shifted > 0, "no retry time moved by jitter: {waiting:?}");
}

#[actix_web::test]
async fn inactive_endpoints_get_nothing() {
    let app = spawn_app_delivering(|_| {}).await;
    let receiver = Receiver::start().await;
    let mut body = hook(&receiver.url, "CART_OPENED");
    body["status"] = json!("INACTIVE");
    let webhook = create(&app, body).await;
    let active = Receiver::start().await;
    let control = create(&app, hook(&active.url, "CART_OPENED")).await;
    app.cart(app.customer("ACME").await).await;
    wait_for_status(&app, &control, "SUCCEEDED", 1).await;
    assert!(receiver.received().is_empty());
    assert!(deliveries(&app, &webhook, "").await.is_empty());
}

/// Checks `request`'s signature with `secret`, as a receiver would.
fn verify_with(request: &Received, secret: &str) -> Result<(), orderpath_webhooks::VerifyError> {
    let timestamp: i64 = request.headers["webhook-timestamp"]
        .parse()
        .expect("timestamp");
    verify(
        &SigningSecret::parse(secret).expect("secret"),
        &request.headers["webhook-id"],
        timestamp,
        &request.body,
        &request.headers["webhook-signature"],
        Utc::now().timestamp(),
        300,
    )
}

async fn rotate(app: &TestApp, webhook: &Value, body: Value) -> reqwest::Response {
    let path = format!("/webhooks/{}/secret/rotate", id(webhook));
    app.post(&path, &app.backoffice, body).await
}

#[actix_web::test]
async fn a_rotated_secret_signs_next_to_the_new_one_until_the_overlap_ends() {
    let overlap = chrono::Duration::seconds(3);
    let app = spawn_app_delivering(|c| c.webhook_secret_overlap = overlap).await;
    let receiver = Receiver::start().await;
    let webhook = create(&app, hook(&receiver.url, "CART_OPENED")).await;
    let rotated = assert_json(rotate(&app, &webhook, json!({})).await, StatusCode::OK).await;
    let new = rotated["signingSecret"].as_str().expect("the new secret");
    let key_len = SigningSecret::parse(new).map(|s| s.to_string().len());
    assert!(new.starts_with("whsec_") && new != SECRET, "{rotated}");
    assert_eq!(key_len, Ok(new.len()), "a valid secret");
    let expires = time(&rotated["previousSecretExpiresAt"]);
    let expected = app.clock_now() + overlap;
    assert!(
        (expires - expected).abs() < ROUNDING,
        "{expires} vs {expected}"
    );

    // Shown once: never listed or read back.
    let listed = app.get("/webhooks", &app.backoffice).await.text().await;
    let path = format!("/webhooks/{}", id(&webhook));
    let read = app.get(&path, &app.backoffice).await.text().await;
    for shown in [listed.expect("body"), read.expect("body")] {
        assert!(!shown.contains(new) && !shown.contains(SECRET), "{shown}");
    }

    let customer = app.customer("ACME").await;
    app.cart(customer).await;
    let test_send = format!("/webhooks/{}/test", id(&webhook));
    let tested = app.post(&test_send, &app.backoffice, json!({})).await;
    assert_eq!(assert_json(tested, StatusCode::OK).await["delivered"], true);
    let during = receiver.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(during.len(), 2);
    for request in &during {
        let signatures = &request.headers["webhook-signature"];
        assert_eq!(signatures.split(' ').count(), 2, "{signatures}");
        assert_eq!(verify_with(request, new), Ok(()), "the new secret");
        assert_eq!(verify_with(request, SECRET), Ok(()), "the old secret");
    }

    // The stored expiry is on the app's clock, which started with the test; delivery
    // compares it with the database's time, a test send with the app's clock.
    let wait = (expires - Utc::now()).to_std().unwrap_or_default();
    actix_web::rt::time::sleep(wait + Duration::from_millis(200)).await;
    app.clock.advance(overlap + chrono::Duration::seconds(1));
    app.cart(customer).await;
    let tested = app.post(&test_send, &app.backoffice, json!({})).await;
    assert_eq!(assert_json(tested, StatusCode::OK).await["delivered"], true);
    let after = receiver.wait_for(4, Duration::from_secs(10)).await;
    assert_eq!(after.len(), 4);
    for request in &after[2..] {
        assert_eq!(verify_with(request, new), Ok(()));
        assert_eq!(
            verify_with(request, SECRET),
            Err(orderpath_webhooks::VerifyError::Mismatch),
            "the old secret no longer signs"
        );
        assert_eq!(request.headers["webhook-signature"].split(' ').count(), 1);
    }
}

#[actix_web::test]
async fn a_rotation_takes_a_given_secret_and_refuses_bad_ones() {
    let app = spawn_app_delivering(|_| {}).await;
    let receiver = Receiver::start().await;
    let mut body = hook(&receiver.url, "CART_OPENED");
    body.as_object_mut()
        .expect("object")
        .remove("signingSecret");
    let unsigned = create(&app, body).await;
    assert_eq!(unsigned["signingSecretSet"], false);

    for (given, status, message) in [
        (json!("secret"), 422, "whsec_"),
        (json!("whsec_c2hvcnQ="), 422, "24 to 64 bytes"),
        (json!(42), 400, "string"),
    ] {
        let refused = rotate(&app, &unsigned, json!({"signingSecret": given})).await;
        let problem = assert_problem(refused, status, "VALIDATION_FAILED").await;
        assert_eq!(problem["errors"][0]["field"], "signingSecret", "{problem}");
        let text = problem["errors"][0]["message"].as_str().expect("message");
        assert!(text.contains(message), "{problem}");
    }
    let misspelt = rotate(&app, &unsigned, json!({"secret": SECRET})).await;
    let problem = assert_problem(misspelt, 400, "VALIDATION_FAILED").await;
    let text = problem["errors"][0]["message"].as_str().expect("message");
    assert!(text.contains("signingSecret"), "{problem}");
    let path = format!("/webhooks/{}", id(&unsigned));
    let unchanged = app.get_json(&path, &app.backoffice).await;
    assert_eq!(
        unchanged["signingSecretSet"], false,
        "refusals change nothing"
    );

    // An endpoint without a secret gets the one given, alone.
    let given = json!({"signingSecret": SECRET});
    let rotated = assert_json(rotate(&app, &unsigned, given.clone()).await, StatusCode::OK).await;
    assert_eq!(
        rotated,
        json!({"signingSecret": SECRET, "previousSecretExpiresAt": null})
    );
    assert_eq!(
        app.get_json(&path, &app.backoffice).await["signingSecretSet"],
        true
    );
    let again = assert_problem(
        rotate(&app, &unsigned, given).await,
        422,
        "VALIDATION_FAILED",
    );
    assert_eq!(again.await["errors"][0]["field"], "signingSecret");
    app.cart(app.customer("ACME").await).await;
    let received = receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(verify_with(&received[0], SECRET), Ok(()));
    assert_eq!(
        received[0].headers["webhook-signature"].split(' ').count(),
        1,
        "no previous secret to sign with"
    );

    let unknown = format!("/webhooks/{}/secret/rotate", uuid::Uuid::new_v4());
    let missing = app.post(&unknown, &app.backoffice, json!({})).await;
    assert_problem(missing, 404, "NOT_FOUND").await;
    let path = format!("/webhooks/{}/secret/rotate", id(&unsigned));
    let bodiless = app
        .call(reqwest::Method::POST, &path, &app.backoffice, None)
        .await;
    let bodiless = assert_json(bodiless, StatusCode::OK).await;
    let made = bodiless["signingSecret"]
        .as_str()
        .expect("a secret made here");
    assert!(made.starts_with("whsec_") && made != SECRET, "{bodiless}");
    let expires = time(&bodiless["previousSecretExpiresAt"]);
    let expected = app.clock_now() + chrono::Duration::hours(24);
    assert!(
        (expires - expected).abs() < ROUNDING,
        "{expires} vs {expected}"
    );
    let by_erp = app.post(&path, &app.integration, json!({})).await;
    assert_problem(by_erp, 403, "FORBIDDEN").await;

    let doc = app
        .client
        .get(format!("{}/api-docs/openapi.json", app.address));
    let doc: Value = doc.send().await.expect("get").json().await.expect("json");
    let route = format!("{BASE_PATH}/webhooks/{{webhookId}}/secret/rotate");
    let operation = &doc["paths"][&route]["post"];
    assert_eq!(
        operation["tags"],
        json!(["webhooks"]),
        "{route} is documented"
    );
    assert!(operation["responses"]["200"].is_object(), "{operation}");
}

/// `GET /metrics` as a scraper reads it.
async fn metrics(app: &TestApp) -> String {
    let response = app.client.get(format!("{}/metrics", app.address)).send();
    response.await.expect("metrics").text().await.expect("text")
}

/// The value of the series `name{labels}`, if shown (labels in the order shown).
fn series(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.parse().expect("a number"))
}

#[actix_web::test]
async fn metrics_show_attempts_latency_and_pending_deliveries_per_endpoint() {
    // One long retry delay: every failure is attempted once and then waits.
    let app = spawn_app_retrying("100").await;
    let fine = Receiver::start().await;
    let broken = Receiver::start().await;
    broken.answer(&[503]);
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let fine_hook = create(&app, hook(&fine.url, "CART_OPENED")).await;
    let broken_hook = create(&app, hook(&broken.url, "CART_OPENED")).await;
    let dead_hook = create(&app, hook(&format!("http://{dead}/hook"), "CART_OPENED")).await;
    let customer = app.customer("ACME").await;
    app.cart(customer).await;
    wait_for_status(&app, &fine_hook, "SUCCEEDED", 1).await;
    wait_for_retries(&app, &broken_hook, 1).await;
    wait_for_retries(&app, &dead_hook, 1).await;

    let attempts = "orderpath_webhook_attempts_total";
    let endpoint = |webhook: &Value| format!("endpoint=\"{}\"", id(webhook));
    let text = metrics(&app).await;
    for (webhook, outcome) in [
        (&fine_hook, "succeeded"),
        (&broken_hook, "http_5xx"),
        (&dead_hook, "connection_refused"),
    ] {
        let labels = format!("{},outcome=\"{outcome}\"", endpoint(webhook));
        assert_eq!(
            series(&text, attempts, &labels),
            Some(1.0),
            "{labels}: {text}"
        );
    }
    let latency = "orderpath_webhook_delivery_latency_seconds_count";
    assert_eq!(
        series(&text, latency, &endpoint(&fine_hook)),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        series(&text, latency, &endpoint(&broken_hook)),
        None,
        "only deliveries have a latency"
    );

    // The pending counts come from the database every few seconds.
    let pending = "orderpath_webhook_deliveries_pending";
    let expected = [(&fine_hook, 0.0), (&broken_hook, 1.0), (&dead_hook, 1.0)];
    let mut text = String::new();
    for _ in 0..150 {
        text = metrics(&app).await;
        if expected
            .iter()
            .all(|(w, n)| series(&text, pending, &endpoint(w)) == Some(*n))
        {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("pending counts not shown as expected: {text}");
}

/// Records, as a worker would have, a failed attempt of `delivery` made at `at`: the past
/// the test does not wait for. The delivery itself is left as it is (a record of an older
/// claim).
fn record_old_failure(app: &TestApp, delivery: &Value, at: DateTime<Utc>) {
    use orderpath_webhooks::deliveries::{record_attempts, Attempt, AttemptRecord};
    let record = AttemptRecord {
        delivery_id: id(delivery).parse().expect("uuid"),
        attempts: 0,
        attempt: Attempt {
            attempted_at: at,
            succeeded: false,
            status_code: Some(503),
            duration_ms: 5,
            response_body: None,
            error: None,
        },
        retry_at: None,
    };
    let mut conn = app.pool.get().expect("connection");
    record_attempts(&mut conn, &[record], "earlier").expect("recorded");
}

/// Waits until the endpoint's `field` satisfies `check`; returns the endpoint.
async fn wait_for_endpoint(
    app: &TestApp,
    webhook: &Value,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let path = format!("/webhooks/{}", id(webhook));
    let mut shown = Value::Null;
    for _ in 0..300 {
        shown = app.get_json(&path, &app.backoffice).await;
        if check(&shown) {
            return shown;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the endpoint never got there: {shown}");
}

#[actix_web::test]
async fn an_endpoint_whose_every_attempt_failed_for_five_days_is_set_inactive() {
    // One long retry delay: every delivery is attempted once here.
    let (app, receiver, webhook) = retrying_to("100", &[503, 503, 503]).await;
    assert_eq!(webhook["failingSince"], Value::Null);
    let customer = app.customer("ACME").await;
    let path = format!("/webhooks/{}", id(&webhook));

    app.cart(customer).await;
    let first = wait_for_retries(&app, &webhook, 1).await.remove(0);
    let failed_at = time(&first["attempts"][0]["attemptedAt"]);
    let shown = wait_for_endpoint(&app, &webhook, |w| !w["failingSince"].is_null()).await;
    assert_eq!(time(&shown["failingSince"]), failed_at);

    // Failing for just under five days: a new failure leaves it active.
    // Whole microseconds, as stored.
    let ago = |d: chrono::Duration| (Utc::now() - d).trunc_subsecs(6);
    let almost = ago(chrono::Duration::days(5) - chrono::Duration::minutes(5));
    record_old_failure(&app, &first, almost);
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(
        time(&shown["failingSince"]),
        almost,
        "the run began earlier"
    );
    app.cart(customer).await;
    wait_for_retries(&app, &webhook, 2).await;
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(
        (&shown["status"], &shown["disabledAt"]),
        (&json!("ACTIVE"), &Value::Null)
    );

    // Failing for five days: the next failure sets it inactive, saying why.
    let over = ago(chrono::Duration::days(5) + chrono::Duration::minutes(1));
    record_old_failure(&app, &first, over);
    assert_eq!(
        app.get_json(&path, &app.backoffice).await["status"],
        "ACTIVE"
    );
    app.cart(customer).await;
    let disabled = wait_for_endpoint(&app, &webhook, |w| w["status"] == "INACTIVE").await;
    let reason = disabled["disabledReason"].as_str().expect("a reason");
    assert!(reason.contains("failed for 5 days"), "{reason}");
    assert!(
        reason.contains(&over.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        "{reason}"
    );
    let pending = deliveries(&app, &webhook, "?status=PENDING").await;
    assert_eq!(pending.len(), 3, "undelivered events stay pending");
    let last_attempt = pending
        .iter()
        .flat_map(|d| d["attempts"].as_array().expect("attempts"))
        .map(|a| time(&a["attemptedAt"]))
        .max()
        .expect("attempts");
    assert_eq!(time(&disabled["disabledAt"]), last_attempt);

    // While inactive it gets nothing: no new deliveries, no retries.
    app.cart(customer).await;
    let retry = format!("/webhooks/{}/deliveries/{}/retry", id(&webhook), id(&first));
    let retried = app.post(&retry, &app.backoffice, json!({})).await;
    assert_eq!(retried.status(), StatusCode::ACCEPTED);
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(deliveries(&app, &webhook, "").await.len(), 3);
    assert_eq!(receiver.received().len(), 3);

    // Set active again: the reason goes, and what was pending is delivered.
    let active = app
        .patch(&path, &app.backoffice, json!({"status": "ACTIVE"}))
        .await;
    let active = assert_json(active, StatusCode::OK).await;
    for field in ["disabledAt", "disabledReason", "failingSince"] {
        assert_eq!(active[field], Value::Null, "{field}: {active}");
    }
    let delivered = wait_for_status(&app, &webhook, "SUCCEEDED", 1).await;
    assert_eq!(
        delivered[0]["id"], first["id"],
        "the retried delivery went out"
    );
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(
        (&shown["status"], &shown["failingSince"]),
        (&json!("ACTIVE"), &Value::Null)
    );
}

#[actix_web::test]
async fn a_success_ends_a_run_of_failures_and_older_failures_do_not_count() {
    let (app, _receiver, webhook) = retrying_to("1", &[500]).await;
    app.cart(app.customer("ACME").await).await;
    let delivery = wait_for_status(&app, &webhook, "SUCCEEDED", 1)
        .await
        .remove(0);
    let attempts = delivery["attempts"].as_array().expect("attempts");
    assert_eq!(
        each(&delivery["attempts"], "succeeded"),
        [&json!(false), &json!(true)]
    );
    let succeeded_at = time(&attempts[1]["attemptedAt"]);
    let path = format!("/webhooks/{}", id(&webhook));
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(shown["failingSince"], Value::Null, "{shown}");

    // A failure recorded late, but made before the success, starts no run.
    record_old_failure(&app, &delivery, succeeded_at - chrono::Duration::days(6));
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(shown["failingSince"], Value::Null, "{shown}");
    // One made after it does.
    let later = succeeded_at + chrono::Duration::milliseconds(1);
    record_old_failure(&app, &delivery, later);
    let shown = app.get_json(&path, &app.backoffice).await;
    assert_eq!(time(&shown["failingSince"]), later);
    assert_eq!(shown["status"], "ACTIVE");
}
