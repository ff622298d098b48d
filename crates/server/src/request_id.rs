//! `X-Request-Id`: every request has an id, the client's own when it sends a usable one
//! (1 to 128 visible ASCII characters), else a new UUID. Every response carries it in
//! `X-Request-Id`, every problem+json body as `requestId`, and the access log line names it.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use uuid::Uuid;

/// The request and response header.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// The longest id taken from a request.
pub const MAX_CHARS: usize = 128;

/// The id of the request being served, in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Middleware: gives the request its id and the response the header; adds `requestId`
/// to a problem+json body. Wraps everything else but the access log, so every answer
/// (404 and 405 included) gets it.
pub async fn assign(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = taken(&req).unwrap_or_else(|| Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // Handlers and the middleware inside answer errors as responses; none fails the call.
    let response = next.call(req).await?.map_into_boxed_body();
    let mut response = if is_problem(response.headers()) {
        with_request_id(response, &id).await
    } else {
        response
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    Ok(response)
}

/// The client's id, when it sent exactly one that is usable.
fn taken(req: &ServiceRequest) -> Option<String> {
    let mut values = req.headers().get_all(HEADER);
    let id = values.next()?;
    let usable = values.next().is_none()
        && (1..=MAX_CHARS).contains(&id.len())
        && id.as_bytes().iter().all(u8::is_ascii_graphic);
    usable
        .then(|| id.to_str().ok().map(str::to_string))
        .flatten()
}

fn is_problem(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"))
}

/// The problem document with `requestId` set; any other body as it was.
async fn with_request_id(response: ServiceResponse<BoxBody>, id: &str) -> ServiceResponse<BoxBody> {
    let (request, response) = response.into_parts();
    let (response, body) = response.into_parts();
    let bytes = match body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => return ServiceResponse::new(request, response.set_body(BoxBody::new(()))),
    };
    let rewritten = with_member(&bytes, "requestId", id);
    let body = rewritten.map_or(bytes, Into::into);
    let mut response = response.set_body(BoxBody::new(body));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    ServiceResponse::new(request, response)
}

/// `object` (a JSON object's text) with `name` added as its last member, the others as
/// they were, in their order; `None` when it is not an object or has `name` already.
fn with_member(object: &[u8], name: &str, value: &str) -> Option<Vec<u8>> {
    let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(object).ok()?;
    if parsed.contains_key(name) {
        return None;
    }
    let text = std::str::from_utf8(object).ok()?.trim_end();
    let head = text.strip_suffix('}')?.trim_end();
    let separator = if parsed.is_empty() { "" } else { "," };
    let member = format!(
        "{separator}{}:{}}}",
        serde_json::Value::from(name),
        serde_json::Value::from(value)
    );
    Some([head.as_bytes(), member.as_bytes()].concat())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn taken_from(values: &[&[u8]]) -> Option<String> {
        let mut req = TestRequest::default();
        for value in values {
            req = req.append_header((HEADER, HeaderValue::from_bytes(value).unwrap()));
        }
        taken(&req.to_srv_request())
    }

    #[test]
    fn an_id_of_1_to_128_visible_ascii_characters_is_taken() {
        assert_eq!(taken_from(&[b"abc-123"]).as_deref(), Some("abc-123"));
        let longest = "r".repeat(MAX_CHARS);
        assert_eq!(taken_from(&[longest.as_bytes()]), Some(longest));
        let too_long = "r".repeat(MAX_CHARS + 1);
        for refused in [
            &[b"".as_slice()][..],
            &[too_long.as_bytes()],
            &[b"with space"],
            &["żółw".as_bytes()],
            &[b"a", b"b"],
        ] {
            assert_eq!(taken_from(refused), None, "{refused:?}");
        }
        assert_eq!(taken_from(&[]), None);
    }

    #[test]
    fn the_id_joins_a_problem_as_its_last_member() {
        let with =
            |text: &str| with_member(text.as_bytes(), "requestId", "r\"1").map(String::from_utf8);
        assert_eq!(
            with(r#"{"type":"t","status":404} "#),
            Some(Ok(
                r#"{"type":"t","status":404,"requestId":"r\"1"}"#.to_string()
            ))
        );
        assert_eq!(with("{}"), Some(Ok(r#"{"requestId":"r\"1"}"#.to_string())));
        assert_eq!(with(r#"{"requestId":"x"}"#), None);
        assert_eq!(with("[1]"), None);
        assert_eq!(with("not json"), None);
    }
}
