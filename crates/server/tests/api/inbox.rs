//! The sample receiver (`orderpath inbox`) as a sender meets it.

use std::net::TcpListener;

use orderpath_server::inbox::{run_inbox, InboxConfig};
use orderpath_webhooks::{sign, SigningSecret};
use reqwest::StatusCode;
use serde_json::{json, Value};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn start_inbox(with_secret: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let config = InboxConfig {
        username: "admin".into(),
        password: "admin".into(),
        signing_secret: with_secret.then(|| SigningSecret::parse(SECRET).expect("secret")),
    };
    actix_web::rt::spawn(run_inbox(listener, config));
    address
}

fn delivery(
    client: &reqwest::Client,
    url: &str,
    body: &str,
    signature: Option<String>,
) -> reqwest::RequestBuilder {
    let now = chrono::Utc::now().timestamp();
    delivery_at(client, url, body, signature, now)
}

/// A delivery stamped `timestamp`: the one its signature was made for, even if a second
/// has passed since.
fn delivery_at(
    client: &reqwest::Client,
    url: &str,
    body: &str,
    signature: Option<String>,
    timestamp: i64,
) -> reqwest::RequestBuilder {
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", "msg_1")
        .header("webhook-timestamp", timestamp.to_string())
        .body(body.to_string());
    if let Some(signature) = signature {
        request = request.header("webhook-signature", signature);
    }
    request
}

/// Sends `request` as the inbox's user `admin` with `password`; returns the answer's status.
async fn send_as_admin(request: reqwest::RequestBuilder, password: &str) -> StatusCode {
    let sent = request.basic_auth("admin", Some(password)).send().await;
    sent.expect("send").status()
}

/// What the inbox lists as received.
async fn received(client: &reqwest::Client, inbox: &str) -> Value {
    let response = client.get(format!("{inbox}/events")).send().await;
    response.expect("get").json().await.expect("json")
}

#[actix_web::test]
async fn the_inbox_checks_basic_auth_and_shows_what_arrived() {
    let inbox = start_inbox(false).await;
    let client = reqwest::Client::new();
    let body = r#"{"id":"msg_1","type":"CART_OPENED","data":{"cartId":"c1"}}"#;
    let hook = format!("{inbox}/hook");
    let refused = send_as_admin(delivery(&client, &hook, body, None), "nope").await;
    assert_eq!(refused, StatusCode::UNAUTHORIZED);
    let accepted = send_as_admin(delivery(&client, &hook, body, None), "admin").await;
    assert_eq!(accepted, StatusCode::NO_CONTENT);

    let events = received(&client, &inbox).await;
    let events = events.as_array().expect("list");
    assert_eq!(events.len(), 1, "the refused one is not shown");
    assert_eq!(events[0]["body"]["data"], json!({"cartId": "c1"}));
    let page = client
        .get(&inbox)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(page.contains("CART_OPENED") && page.contains("/events.html?after="));
}

#[actix_web::test]
async fn the_inbox_badges_test_sends_and_hands_the_page_what_is_new() {
    let inbox = start_inbox(false).await;
    let client = reqwest::Client::new();
    let real = r#"{"id":"msg_1","type":"CART_OPENED","data":{}}"#;
    let test = r#"{"id":"msg_2","type":"CLIENT_LOGGED","data":{}}"#;
    for (body, marked) in [(real, false), (test, true)] {
        let mut request = delivery(&client, &format!("{inbox}/hook"), body, None);
        if marked {
            request = request.header("webhook-test", "true");
        }
        assert_eq!(
            send_as_admin(request, "admin").await,
            StatusCode::NO_CONTENT
        );
    }
    let get = |path: String| {
        let client = &client;
        async move {
            client
                .get(path)
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("html")
        }
    };
    let page = get(inbox.clone()).await;
    assert_eq!(page.matches("class=\"badge\"").count(), 1, "{page}");
    let test_send = page.find("class=\"event test\"").expect("the test send");
    let real = page.find("class=\"event\"").expect("the real one");
    assert!(test_send < real, "newest first");
    assert!(page[test_send..real].contains("CLIENT_LOGGED"));
    assert!(page[test_send..real].contains("class=\"badge\""));
    assert!(page.contains("data-last=\"2\""), "{page}");

    let after_first = get(format!("{inbox}/events.html?after=1")).await;
    assert!(after_first.contains("CLIENT_LOGGED") && !after_first.contains("CART_OPENED"));
    assert_eq!(get(format!("{inbox}/events.html?after=2")).await, "");
    let ahead = get(format!("{inbox}/events.html?after=7")).await;
    assert!(
        ahead.contains("CLIENT_LOGGED") && ahead.contains("CART_OPENED"),
        "a page from before a restart gets everything"
    );
}

#[actix_web::test]
async fn the_inbox_verifies_signatures_when_given_the_secret() {
    let inbox = start_inbox(true).await;
    let client = reqwest::Client::new();
    let body = r#"{"id":"msg_1","type":"CLIENT_LOGGED","data":{}}"#;
    let secret = SigningSecret::parse(SECRET).expect("secret");
    let now = chrono::Utc::now().timestamp();
    let good = sign(&secret, "msg_1", now, body.as_bytes());
    let hook = format!("{inbox}/hook");
    let signed = delivery_at(&client, &hook, body, Some(good), now);
    assert_eq!(send_as_admin(signed, "admin").await, StatusCode::NO_CONTENT);
    let forged = sign(&secret, "msg_1", now, b"{}");
    let forged = delivery_at(&client, &hook, body, Some(forged), now);
    let bad = send_as_admin(forged, "admin").await;
    assert_eq!(bad, StatusCode::BAD_REQUEST);
    let events = received(&client, &inbox).await;
    assert_eq!(events.as_array().expect("list").len(), 1);
    assert_eq!(events[0]["signature"], "valid");
}

#[actix_web::test]
async fn the_inbox_accepts_a_delivery_signed_during_a_secret_rotation() {
    // While a rotated-out secret is still valid, deliveries carry one signature per secret.
    let inbox = start_inbox(true).await;
    let client = reqwest::Client::new();
    let body = r#"{"id":"msg_1","type":"CART_OPENED","data":{}}"#;
    let now = chrono::Utc::now().timestamp();
    let own = sign(
        &SigningSecret::parse(SECRET).expect("secret"),
        "msg_1",
        now,
        body.as_bytes(),
    );
    let other = sign(&SigningSecret::generate(), "msg_1", now, body.as_bytes());
    let hook = format!("{inbox}/hook");
    for header in [format!("{other} {own}"), format!("{own} {other}")] {
        let request = delivery_at(&client, &hook, body, Some(header), now);
        assert_eq!(
            send_as_admin(request, "admin").await,
            StatusCode::NO_CONTENT
        );
    }
    let foreign = delivery_at(&client, &hook, body, Some(other), now);
    let foreign = send_as_admin(foreign, "admin").await;
    assert_eq!(foreign, StatusCode::BAD_REQUEST);
    let events = received(&client, &inbox).await;
    let events = events.as_array().expect("list");
    assert_eq!(events.len(), 2);
    assert!(
        events.iter().all(|e| e["signature"] == "valid"),
        "{events:?}"
    );
}
