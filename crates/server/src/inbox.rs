//! `orderpath inbox`: a sample webhook receiver — the "lambda page" of the product notes.
//! It accepts deliveries, checks their Basic auth (and their signature when given the
//! secret), and shows what arrived on an auto-refreshing page and as JSON at `/events`.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::Mutex;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use orderpath_webhooks::signing::{verify, SigningSecret};
use serde::Serialize;

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
    received_at: DateTime<Utc>,
    headers: Vec<(String, String)>,
    /// The body as JSON when it is JSON, else as text.
    body: serde_json::Value,
    signature: &'static str,
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
            .route("/", web::get().to(page))
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
    received.push_front(Received {
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

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn page(inbox: web::Data<Inbox>) -> HttpResponse {
    let received = inbox
        .received
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">\
         <title>orderpath inbox</title><style>body{font-family:sans-serif;margin:2em}\
         .event{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}\
         pre{background:#f6f6f6;padding:.5em;overflow:auto}small{color:#666}</style></head><body>\
         <h1>orderpath inbox</h1><p>Received webhooks, newest first. This page refreshes every 2 seconds; \
         the same list is at <a href=\"/events\">/events</a>.</p>",
    );
    if received.is_empty() {
        html.push_str("<p><em>Nothing yet.</em></p>");
    }
    for event in &received {
        let kind = event
            .body
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("?");
        let headers: String = event
            .headers
            .iter()
            .map(|(k, v)| format!("{}: {}\n", escape(k), escape(v)))
            .collect();
        let body = serde_json::to_string_pretty(&event.body).unwrap_or_default();
        html.push_str(&format!(
            "<div class=\"event\"><h2>{}</h2><small>received {} · signature {}</small>\
             <pre>{}</pre><pre>{}</pre></div>",
            escape(kind),
            event.received_at.to_rfc3339(),
            event.signature,
            escape(&body),
            headers
        ));
    }
    html.push_str("</body></html>");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html)
}
