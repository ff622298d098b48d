//! `orderpath inbox`: a sample webhook receiver — the "lambda page" of the product notes.
//! It accepts deliveries, checks their Basic auth (and their signature when given the
//! secret), and shows what arrived on a page that adds new deliveries as they arrive
//! (see [`page`]) and as JSON at `/events`.

mod page;

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::Mutex;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use orderpath_webhooks::sender::TEST_SEND_HEADER;
use orderpath_webhooks::signing::{verify, SigningSecret};
use serde::{Deserialize, Serialize};

/// How many deliveries the page keeps; older ones drop off.
const KEPT: usize = 500;
/// Signatures older or newer than this are refused, as the Standard Webhooks scheme asks.
const SIGNATURE_TOLERANCE_SECS: i64 = 300;

pub struct InboxConfig {
    pub username: String,
    pub password: String,
    pub signing_secret: Option<SigningSecret>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Received {
    /// Counts deliveries from 1, so the page can ask for those after the newest it shows.
    #[serde(skip)]
    seq: u64,
    received_at: DateTime<Utc>,
    headers: Vec<(String, String)>,
    /// The body as JSON when it is JSON, else as text.
    body: serde_json::Value,
    signature: &'static str,
}

impl Received {
    /// Whether the sender marked this as a test send (`POST /webhooks/test`).
    fn is_test(&self) -> bool {
        let (name, value) = TEST_SEND_HEADER;
        self.headers.iter().any(|(k, v)| k == name && v == value)
    }
}

struct Inbox {
    config: InboxConfig,
    received: Mutex<VecDeque<Received>>,
}

/// Serves the inbox on `listener` until stopped.
pub async fn run_inbox(listener: TcpListener, config: InboxConfig) -> std::io::Result<()> {
    let inbox = web::Data::new(Inbox {
        config,
        received: Mutex::new(VecDeque::new()),
    });
    HttpServer::new(move || {
        App::new()
            .app_data(inbox.clone())
            .app_data(web::PayloadConfig::new(1024 * 1024))
            .route("/events", web::get().to(events_json))
            .route("/events.html", web::get().to(events_after))
            .route("/", web::get().to(whole_page))
            .default_service(web::post().to(receive))
    })
    .listen(listener)?
    .workers(1)
    .run()
    .await
}

async fn receive(req: HttpRequest, body: web::Bytes, inbox: web::Data<Inbox>) -> HttpResponse {
    let expected = format!("{}:{}", inbox.config.username, inbox.config.password);
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok());
    if given.as_deref() != Some(expected.as_bytes()) {
        return HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Basic realm=\"orderpath inbox\""))
            .body("wrong or missing Basic credentials");
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let signature = match &inbox.config.signing_secret {
        None => "not checked",
        Some(secret) => {
            let timestamp = header("webhook-timestamp")
                .parse::<i64>()
                .unwrap_or_default();
            let valid = verify(
                secret,
                &header("webhook-id"),
                timestamp,
                &body,
                &header("webhook-signature"),
                Utc::now().timestamp(),
                SIGNATURE_TOLERANCE_SECS,
            );
            if valid.is_err() {
                return HttpResponse::BadRequest().body("invalid webhook signature");
            }
            "valid"
        }
    };
    let headers = req
        .headers()
        .iter()
        .filter(|(name, _)| name.as_str() != "authorization")
        .map(|(name, value)| {
            (
                name.to_string(),
                value.to_str().unwrap_or("<binary>").to_string(),
            )
        })
        .collect();
    let body = serde_json::from_slice(&body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&body).into_owned()));
    let mut received = inbox.received.lock().unwrap_or_else(|p| p.into_inner());
    let seq = received.front().map_or(1, |newest| newest.seq + 1);
    received.push_front(Received {
        seq,
        received_at: Utc::now(),
        headers,
        body,
        signature,
    });
    received.truncate(KEPT);
    HttpResponse::NoContent().finish()
}

async fn events_json(inbox: web::Data<Inbox>) -> HttpResponse {
    let received = inbox.received.lock().unwrap_or_else(|p| p.into_inner());
    HttpResponse::Ok().json(received.iter().collect::<Vec<_>>())
}

async fn whole_page(inbox: web::Data<Inbox>) -> HttpResponse {
    let received = inbox.received.lock().unwrap_or_else(|p| p.into_inner());
    html(page::page(received.iter()))
}

#[derive(Deserialize)]
struct After {
    after: u64,
}

/// The deliveries after the `after`-th, newest first, as HTML for the page to add on top.
/// All of them when `after` is ahead of the count: the inbox restarted under an open page.
async fn events_after(inbox: web::Data<Inbox>, query: web::Query<After>) -> HttpResponse {
    let received = inbox.received.lock().unwrap_or_else(|p| p.into_inner());
    let newest = received.front().map_or(0, |r| r.seq);
    let after = if query.after > newest { 0 } else { query.after };
    html(page::events(received.iter().take_while(|r| r.seq > after)))
}

fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}
