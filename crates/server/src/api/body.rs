//! `Json<T>`: the request-body extractor. Unlike actix's own it answers every failure as
//! problem+json naming the offending field (`quantity.value: invalid type…`).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::api::error::ApiError;

/// The largest request body accepted. A 1,000-line configurator request is well below.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest {
                    detail: format!("the request body could not be read: {e}"),
                    errors: vec![],
                })?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(ApiError::PayloadTooLarge {
                        limit: MAX_BODY_BYTES,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Json)
        })
    }
}

/// Deserializes a body, turning serde's error into one naming the JSON path at fault.
/// Every request body of this API is a JSON object; anything else is refused before
/// serde could read an array positionally into a struct's fields.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(ApiError::bad_field("body", "must be a JSON object"));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::BadRequest {
                detail: format!("the request body is not valid JSON: {inner}"),
                errors: vec![],
            };
        }
        let message = strip_position(&inner.to_string());
        let (field, message) = match missing_field(&message) {
            Some(name) if path == "." => (name.to_string(), "is required".to_string()),
            Some(name) => (format!("{path}.{name}"), "is required".to_string()),
            None if path == "." => ("body".to_string(), message),
            None => (path, message),
        };
        ApiError::bad_field(field, message)
    })
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// serde_json appends " at line 1 column 20"; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Inner {
        value: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        product_id: String,
        quantity: Inner,
    }

    fn field_of(body: &str) -> String {
        match parse::<Outer>(body.as_bytes()) {
            Err(ApiError::BadRequest { errors, .. }) if !errors.is_empty() => {
                errors[0].field.clone()
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        assert_eq!(field_of(r#"{"quantity": {"value": 1}}"#), "productId");
        assert_eq!(
            field_of(r#"{"productId": "x", "quantity": {}}"#),
            "quantity.value"
        );
        assert_eq!(
            field_of(r#"{"productId": "x", "quantity": {"value": "one"}}"#),
            "quantity.value"
        );
        assert_eq!(field_of(r#"[1]"#), "body");
    }

    #[test]
    fn malformed_json_is_a_bad_request_without_fields() {
        assert!(matches!(
            parse::<Outer>(b"{\"productId\": "),
            Err(ApiError::BadRequest { errors, .. }) if errors.is_empty()
        ));
    }
}
