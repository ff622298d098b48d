//! What one delivery sends: the JSON body `{id, type, occurredAt, data}` (the same shape as
//! the `GET /events` feed) and its headers per the Standard Webhooks scheme.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::signing::{sign, SigningSecret};

/// One event as delivered to a webhook. The `id` is the event id, so it stays the same across
/// retries and lets receivers drop duplicates (delivery is at least once).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookMessage {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub data: serde_json::Value,
}

impl WebhookMessage {
    /// The request body: compact JSON `{"id","type","occurredAt","data"}`, `occurredAt` in
    /// RFC 3339 UTC (`…Z`). Deterministic for a given message, so a body rebuilt for a retry
    /// matches the one that was signed.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a JSON value always serialises")
    }

    /// The request headers: `content-type`, `webhook-id`, `webhook-timestamp` (Unix seconds of
    /// this attempt), `webhook-signature` over [`Self::body`] when secrets are given (one
    /// `v1,…` signature per secret, space-separated: both secrets sign while a rotation's
    /// old one is still valid), and `authorization: Basic base64(user:pass)` when
    /// credentials are given.
    pub fn headers(
        &self,
        timestamp: i64,
        secrets: &[SigningSecret],
        basic: Option<(&str, &str)>,
    ) -> Vec<(&'static str, String)> {
        let id = self.id.to_string();
        let signature = (!secrets.is_empty()).then(|| {
            let body = self.body();
            secrets
                .iter()
                .map(|secret| sign(secret, &id, timestamp, &body))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let mut headers = vec![
            ("content-type", "application/json".to_owned()),
            ("webhook-id", id),
            ("webhook-timestamp", timestamp.to_string()),
        ];
        if let Some(signature) = signature {
            headers.push(("webhook-signature", signature));
        }
        if let Some((user, password)) = basic {
            let token = BASE64.encode(format!("{user}:{password}"));
            headers.push(("authorization", format!("Basic {token}")));
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::verify;
    use chrono::TimeZone;
    use serde_json::json;

    fn message() -> WebhookMessage {
        WebhookMessage {
            id: Uuid::parse_str("0191e6a4-0000-7000-8000-000000000001").expect("uuid"),
            event_type: "ORDER_PLACED".to_owned(),
            occurred_at: Utc.with_ymd_and_hms(2025, 3, 1, 12, 30, 5).unwrap(),
            data: json!({"customerId": "c-1", "orderId": "o-2", "cartId": "k-3"}),
        }
    }

    fn header<'a>(headers: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn body_has_the_documented_shape() {
        let body: serde_json::Value = serde_json::from_slice(&message().body()).expect("json");
        assert_eq!(
            body,
            json!({
                "id": "0191e6a4-0000-7000-8000-000000000001",
                "type": "ORDER_PLACED",
                "occurredAt": "2025-03-01T12:30:05Z",
                "data": {"customerId": "c-1", "orderId": "o-2", "cartId": "k-3"},
            })
        );
        assert_eq!(message().body(), message().body());
    }

    #[test]
    fn sub_second_times_keep_their_precision() {
        let mut m = message();
        m.occurred_at += chrono::Duration::milliseconds(250);
        let body: serde_json::Value = serde_json::from_slice(&m.body()).expect("json");
        assert_eq!(body["occurredAt"], "2025-03-01T12:30:05.250Z");
    }

    #[test]
    fn plain_headers_without_secret_or_auth() {
        let h = message().headers(1_740_832_205, &[], None);
        assert_eq!(header(&h, "content-type"), Some("application/json"));
        assert_eq!(
            header(&h, "webhook-id"),
            Some("0191e6a4-0000-7000-8000-000000000001")
        );
        assert_eq!(header(&h, "webhook-timestamp"), Some("1740832205"));
        assert_eq!(header(&h, "webhook-signature"), None);
        assert_eq!(header(&h, "authorization"), None);
    }

    #[test]
    fn signature_verifies_against_the_body() {
        let m = message();
        let secret = SigningSecret::generate();
        let ts = 1_740_832_205;
        let h = m.headers(ts, std::slice::from_ref(&secret), None);
        let id = header(&h, "webhook-id").expect("id");
        let sig = header(&h, "webhook-signature").expect("signature");
        assert_eq!(verify(&secret, id, ts, &m.body(), sig, ts, 300), Ok(()));
    }

    #[test]
    fn every_secret_signs_and_each_verifies_alone() {
        let m = message();
        let (new, old) = (SigningSecret::generate(), SigningSecret::generate());
        let ts = 1_740_832_205;
        let h = m.headers(ts, &[new.clone(), old.clone()], None);
        let id = header(&h, "webhook-id").expect("id");
        let sig = header(&h, "webhook-signature").expect("signature");
        let parts: Vec<&str> = sig.split(' ').collect();
        assert_eq!(parts.len(), 2, "{sig}");
        assert!(parts.iter().all(|p| p.starts_with("v1,")), "{sig}");
        for secret in [&new, &old] {
            assert_eq!(verify(secret, id, ts, &m.body(), sig, ts, 300), Ok(()));
        }
        let stranger = SigningSecret::generate();
        assert_eq!(
            verify(&stranger, id, ts, &m.body(), sig, ts, 300),
            Err(crate::signing::VerifyError::Mismatch)
        );
    }

    #[test]
    fn basic_auth_header() {
        let h = message().headers(0, &[], Some(("Aladdin", "open sesame")));
        assert_eq!(
            header(&h, "authorization"),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
    }
}
