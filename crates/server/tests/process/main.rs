//! Delivery guarantees across processes: the real `orderpath` binary, killed, stopped and
//! run twice over one database, delivering to a receiver inside the test.

// Shared with the API tests, which use all of it.
#[allow(dead_code)]
#[path = "../api/receiver.rs"]
mod receiver;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::{sql_query, PgConnection, RunQueryDsl};
use orderpath_core::events::EventType;
use orderpath_server::app::BASE_PATH;
use orderpath_server::auth::{create_token, Role};
use orderpath_testing::{number, TestDatabase};
use orderpath_webhooks::endpoints::{create_endpoint, Auth, EndpointDraft, EndpointStatus};
use receiver::Receiver;

/// One `orderpath serve` process on its own port.
struct Instance {
    child: Child,
    /// `http://127.0.0.1:<port>`
    address: String,
}

impl Instance {
    async fn start(db: &TestDatabase, timeout_secs: u32) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("port")
            .local_addr()
            .expect("addr")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_orderpath"))
            .arg("serve")
            .env("DATABASE_URL", db.url())
            .env("ORDERPATH_BIND", format!("127.0.0.1:{port}"))
            .env("ORDERPATH_WEBHOOK_ALLOW_PRIVATE", "true")
            .env("ORDERPATH_WEBHOOK_RETRY_SCHEDULE", "1,1,1,1,1,1,1,1,1,1")
            .env("ORDERPATH_WEBHOOK_TIMEOUT_SECS", timeout_secs.to_string())
            .env("ORDERPATH_DB_POOL_SIZE", "4")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start orderpath");
        let ready = format!("http://127.0.0.1:{port}/health/ready");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if reqwest::get(&ready)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                let address = format!("http://127.0.0.1:{port}");
                return Instance { child, address };
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("orderpath did not become ready");
    }

    /// `kill -9`: no chance to finish or release anything.
    fn crash(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }

    /// SIGTERM, then waits for the process to end on its own.
    async fn terminate(mut self) {
        let started = Instant::now();
        Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill -TERM");
        while self.child.try_wait().expect("try_wait").is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "orderpath did not stop on SIGTERM"
            );
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn subscribe(conn: &mut PgConnection, url: &str) {
    let draft = EndpointDraft {
        name: "receiver".into(),
        status: EndpointStatus::Active,
        event_type: EventType::CartOpened,
        url: url.into(),
        auth: Auth::None,
        signing_secret: None,
    };
    create_endpoint(conn, &draft, Utc::now()).expect("endpoint");
}

/// A fresh database with one endpoint subscribed to `CART_OPENED`, sending to a receiver
/// that takes `delay` to answer each request.
async fn subscribed_receiver(delay: Duration) -> (TestDatabase, PgConnection, Receiver) {
    let (db, mut conn) = TestDatabase::connected();
    let receiver = Receiver::start().await;
    receiver.delay(delay);
    subscribe(&mut conn, &receiver.url);
    (db, conn, receiver)
}

/// Records `count` events in one transaction, as a burst.
fn record_events(conn: &mut PgConnection, count: usize) {
    sql_query(format!(
        "INSERT INTO domain_events (id, event_type, occurred_at, data)
         SELECT gen_random_uuid(), 'CART_OPENED', now(), jsonb_build_object('n', n)
         FROM generate_series(1, {count}) AS n"
    ))
    .execute(conn)
    .expect("events");
}

fn scalar(conn: &mut PgConnection, sql: &str) -> i64 {
    number(conn, sql_query(sql))
}

/// Waits until `count` deliveries are `SUCCEEDED` (at most `within`); returns how many are.
async fn succeeded_within(conn: &mut PgConnection, count: i64, within: Duration) -> i64 {
    let deadline = Instant::now() + within;
    loop {
        let n = scalar(
            conn,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'SUCCEEDED'",
        );
        if n >= count || Instant::now() > deadline {
            return n;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How often each event id arrived.
fn arrivals(receiver: &Receiver) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for request in receiver.received() {
        *seen
            .entry(request.headers["webhook-id"].clone())
            .or_insert(0) += 1;
    }
    seen
}

async fn wait_for_distinct(
    receiver: &Receiver,
    count: usize,
    within: Duration,
) -> HashMap<String, usize> {
    let deadline = Instant::now() + within;
    loop {
        let seen = arrivals(receiver);
        if seen.len() >= count || Instant::now() > deadline {
            return seen;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn every_event_arrives_after_a_crash_mid_burst() {
    let (db, mut conn, receiver) = subscribed_receiver(Duration::from_millis(100)).await;
    let first = Instance::start(&db, 2).await;
    record_events(&mut conn, 300);
    let arrived = receiver.wait_for(40, Duration::from_secs(20)).await.len();
    assert!(
        arrived >= 40,
        "only {arrived} events arrived before the crash"
    );
    first.crash();
    let delivered_before_crash = arrivals(&receiver).len();
    assert!(
        (40..300).contains(&delivered_before_crash),
        "the crash came mid-burst: {delivered_before_crash} of 300 had arrived"
    );

    let _second = Instance::start(&db, 2).await;
    let seen = wait_for_distinct(&receiver, 300, Duration::from_secs(60)).await;
    assert_eq!(
        seen.len(),
        300,
        "every event reached the receiver at least once"
    );
    // What the crashed process held is taken again once its leases run out.
    let succeeded = succeeded_within(&mut conn, 300, Duration::from_secs(40)).await;
    assert_eq!(
        succeeded, 300,
        "every delivery ends up recorded as delivered"
    );
}

#[actix_web::test]
async fn two_instances_share_the_work_without_sending_anything_twice() {
    // Slow enough that neither instance can take the whole burst alone.
    let (db, mut conn, receiver) = subscribed_receiver(Duration::from_millis(50)).await;
    let _a = Instance::start(&db, 5).await;
    let _b = Instance::start(&db, 5).await;
    record_events(&mut conn, 400);
    // The burst notifies only when no dispatcher is awake (docs/webhooks.md, Delivery); one
    // still awake from its start would take the burst alone while the other sleeps. This
    // wakes both, as a manual retry does.
    orderpath_webhooks::deliveries::announce(&mut conn).expect("wake the dispatchers");
    let seen = wait_for_distinct(&receiver, 400, Duration::from_secs(60)).await;
    assert_eq!(seen.len(), 400);
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let workers = scalar(
        &mut conn,
        "SELECT count(DISTINCT worker) AS n FROM webhook_attempts",
    );
    assert_eq!(workers, 2, "both instances delivered");
}

#[actix_web::test]
async fn sigterm_finishes_or_releases_what_is_in_flight() {
    // Slower than the shutdown grace: these sends are still running when it ends.
    let (db, mut conn, receiver) = subscribed_receiver(Duration::from_secs(20)).await;
    let instance = Instance::start(&db, 30).await;
    record_events(&mut conn, 10);
    let arrived = receiver.wait_for(10, Duration::from_secs(10)).await.len();
    assert_eq!(arrived, 10, "every send is under way when SIGTERM comes");
    instance.terminate().await;
    let finished = scalar(
        &mut conn,
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'PENDING'",
    );
    assert_eq!(
        finished, 0,
        "the process stopped after its grace, not after the 20-second sends"
    );
    let still_leased = scalar(
        &mut conn,
        "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'PENDING' AND lease_until IS NOT NULL",
    );
    assert_eq!(
        still_leased, 0,
        "nothing stays leased to a process that is gone"
    );

    receiver.delay(Duration::ZERO);
    let _next = Instance::start(&db, 2).await;
    assert_eq!(
        succeeded_within(&mut conn, 10, Duration::from_secs(20)).await,
        10
    );
    // The released sends were made again: the receiver saw each event at least twice.
    assert!(arrivals(&receiver).values().all(|n| *n >= 2));
}

/// A POST below the API base path with an `Idempotency-Key`.
async fn post_keyed(
    instance: &Instance,
    path: &str,
    token: &str,
    key: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{BASE_PATH}{path}", instance.address))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn an_idempotency_key_outlives_a_crash_mid_request_and_a_restart() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let token = create_token(&mut conn, "Staff", Role::Backoffice, None).expect("token");
    let receiver = Receiver::start().await;
    receiver.delay(Duration::from_secs(30));
    let hook = serde_json::json!({"name": "receiver", "status": "ACTIVE", "event": "CART_OPENED",
        "url": receiver.url, "authType": "NONE"});

    // A slow request (a test webhook to a receiver that takes its time) is running on the
    // first instance when it crashes.
    let first = Instance::start(&db, 60).await;
    let slow = {
        let request = reqwest::Client::new()
            .post(format!("{}{BASE_PATH}/webhooks/test", first.address))
            .bearer_auth(&token)
            .header("Idempotency-Key", "slow")
            .json(&hook)
            .send();
        actix_web::rt::spawn(async move { request.await.map(|r| r.status()) })
    };
    receiver.wait_for(1, Duration::from_secs(10)).await;
    let second = Instance::start(&db, 60).await;
    let meanwhile = post_keyed(&second, "/webhooks/test", &token, "slow", hook.clone()).await;
    assert_eq!(meanwhile.status(), reqwest::StatusCode::CONFLICT);
    first.crash();
    let _ = slow.await;

    // Nothing of the crashed request was kept: once PostgreSQL has seen its connection go,
    // the retry runs.
    receiver.delay(Duration::ZERO);
    let deadline = Instant::now() + Duration::from_secs(20);
    let retried = loop {
        let answer = post_keyed(&second, "/webhooks/test", &token, "slow", hook.clone()).await;
        if answer.status() != reqwest::StatusCode::CONFLICT || Instant::now() > deadline {
            break answer;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(retried.status(), reqwest::StatusCode::OK);
    assert!(retried.headers().get("Idempotent-Replayed").is_none());
    assert_eq!(
        receiver.received().len(),
        2,
        "sent by the crashed request and by the retry"
    );

    // A kept answer outlives the instances that gave it.
    let customer = uuid::Uuid::new_v4();
    let put = reqwest::Client::new()
        .put(format!(
            "{}{BASE_PATH}/customers/{customer}",
            second.address
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "ACME", "currency": "EUR"}))
        .send()
        .await
        .expect("request");
    assert_eq!(put.status(), reqwest::StatusCode::CREATED);
    let cart = serde_json::json!({"customerId": customer, "source": "BACKOFFICE"});
    let opened = post_keyed(&second, "/carts", &token, "cart-1", cart.clone()).await;
    assert_eq!(opened.status(), reqwest::StatusCode::CREATED);
    let opened: serde_json::Value = opened.json().await.expect("cart");
    second.crash();
    let third = Instance::start(&db, 60).await;
    let again = post_keyed(&third, "/carts", &token, "cart-1", cart).await;
    assert_eq!(again.status(), reqwest::StatusCode::CREATED);
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    let again: serde_json::Value = again.json().await.expect("cart");
    assert_eq!(again, opened);
    let carts = scalar(&mut conn, "SELECT count(*) AS n FROM carts");
    assert_eq!(carts, 1);
}
