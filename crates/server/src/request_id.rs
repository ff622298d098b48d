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
    let rewritten = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut problem)) => {
            problem.insert("requestId".into(), id.into());
            serde_json::to_vec(&problem).ok()
        }
        _ => None,
    };
    let body = rewritten.map_or(bytes, Into::into);
    let mut response = response.set_body(BoxBody::new(body));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    ServiceResponse::new(request, response)
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
}
