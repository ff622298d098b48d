//! Sending one webhook request: safe addresses only, no redirects, a bounded timeout, and
//! the first KiB of the answer kept for the log.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde::Serialize;
use utoipa::ToSchema;

use crate::endpoints::Auth;
use crate::payload::WebhookMessage;
use crate::signing::SigningSecret;
use crate::url_safety::{is_public_ip, parse_webhook_url};

/// How much of a receiver's answer is kept.
pub const RESPONSE_EXCERPT_BYTES: usize = 1024;

/// The header that marks a test send (`POST /webhooks/test`), so that a receiver can tell
/// a sample event from a real one. Real deliveries do not carry it.
pub const TEST_SEND_HEADER: (&str, &str) = ("webhook-test", "true");

/// Where and how to send.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub auth: Auth,
    pub signing_secret: Option<String>,
    /// A rotated-out secret still valid: it signs too (`docs/webhooks.md`).
    pub previous_signing_secret: Option<String>,
}

/// What happened to one attempt. A refused connection or a timeout is an outcome, not an
/// error: it is logged and retried like a 500. A test send answers with it as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(
    as = TestSendResponse,
    description = "What a test send did. A refused connection, a timeout or a 401 from the receiver is an\nanswer (`delivered: false` with the reason), not an error of this service."
)]
pub struct Outcome {
    pub delivered: bool,
    pub status_code: Option<u16>,
    pub duration_ms: u64,
    /// The first KiB of the receiver's answer.
    pub response_body: Option<String>,
    pub error: Option<String>,
    /// What kind of failure `error` is, for metrics; not part of the answer.
    #[serde(skip)]
    pub failure: Option<FailureKind>,
}

/// Why an attempt got no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No complete answer within the timeout (connecting included).
    Timeout,
    /// The receiver's host refused the connection (nothing listens on the port).
    ConnectionRefused,
    /// Any other failure to connect: name resolution, a non-public address, TLS.
    Connect,
    /// Anything else: a malformed URL or secret, a broken answer.
    Other,
}

impl FailureKind {
    fn of(e: &reqwest::Error) -> Self {
        if e.is_timeout() {
            return FailureKind::Timeout;
        }
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return FailureKind::ConnectionRefused;
                }
            }
            source = cause.source();
        }
        if e.is_connect() {
            FailureKind::Connect
        } else {
            FailureKind::Other
        }
    }
}

/// Resolves host names and refuses any that lead to a non-public address, at the moment
/// of connecting: a name cannot pass a check and then be re-pointed at an internal host.
struct SafeResolver {
    allow_private: bool,
}

impl Resolve for SafeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                if let Some(bad) = addrs.iter().find(|a| !is_public_ip(a.ip())) {
                    return Err(format!(
                        "{host} resolves to {}, which is not a public address",
                        bad.ip()
                    )
                    .into());
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Sends webhook requests through one pooled HTTP client.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(timeout: Duration, allow_private: bool) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .user_agent(concat!("orderpath-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(SafeResolver { allow_private }))
            // A proxy from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY) would
            // resolve the receiver's name where SafeResolver cannot check the address.
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Sender {
            client,
            allow_private,
        })
    }

    /// Sends `message` to `target` once.
    pub async fn send(&self, target: &Target, message: &WebhookMessage) -> Outcome {
        self.send_with(target, message, None).await
    }

    /// Sends a sample `message` to `target` once, marked with [`TEST_SEND_HEADER`].
    pub async fn send_test(&self, target: &Target, message: &WebhookMessage) -> Outcome {
        self.send_with(target, message, Some(TEST_SEND_HEADER))
            .await
    }

    async fn send_with(
        &self,
        target: &Target,
        message: &WebhookMessage,
        extra_header: Option<(&str, &str)>,
    ) -> Outcome {
        let started = Instant::now();
        let outcome = |status_code: Option<u16>,
                       response_body: Option<String>,
                       error: Option<String>| Outcome {
            delivered: error.is_none() && status_code.is_some_and(|c| (200..300).contains(&c)),
            status_code,
            duration_ms: started.elapsed().as_millis() as u64,
            response_body,
            failure: error.as_ref().map(|_| FailureKind::Other),
            error,
        };
        let url = match parse_webhook_url(&target.url) {
            Ok(url) => url,
            Err(e) => return outcome(None, None, Some(e.to_string())),
        };
        if !self.allow_private {
            let literal = match url.host() {
                Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
                Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
                _ => None,
            };
            if let Some(ip) = literal.filter(|ip| !is_public_ip(*ip)) {
                return outcome(None, None, Some(format!("{ip} is not a public address")));
            }
        }
        let secrets = match target
            .signing_secret
            .iter()
            .chain(&target.previous_signing_secret)
            .map(|s| SigningSecret::parse(s))
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(secrets) => secrets,
            Err(e) => return outcome(None, None, Some(format!("signing secret: {e}"))),
        };
        let basic = match &target.auth {
            Auth::Basic { username, password } => Some((username.as_str(), password.as_str())),
            Auth::None => None,
        };
        let mut request = self.client.post(url).body(message.body());
        for (name, value) in message.headers(Utc::now().timestamp(), &secrets, basic) {
            request = request.header(name, value);
        }
        if let Some((name, value)) = extra_header {
            request = request.header(name, value);
        }
        match request.send().await {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let excerpt = read_excerpt(&mut response).await;
                outcome(Some(status), excerpt, None)
            }
            Err(e) => Outcome {
                failure: Some(FailureKind::of(&e)),
                ..outcome(None, None, Some(describe(&e)))
            },
        }
    }
}

/// The first KiB of the body, as text; the rest is not read.
async fn read_excerpt(response: &mut reqwest::Response) -> Option<String> {
    let mut bytes = Vec::new();
    while bytes.len() < RESPONSE_EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(RESPONSE_EXCERPT_BYTES);
    (!bytes.is_empty()).then(|| String::from_utf8_lossy(&bytes).into_owned())
}

/// A short reason: "timed out", "connection refused", and the chain of causes.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    if causes.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", causes.join(": "))
    }
}
