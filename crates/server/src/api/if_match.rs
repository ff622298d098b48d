use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{HeaderValue, ETAG};
use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder};

use crate::api::error::ApiError;

/// The version a client's `If-Match` names (`"3"`, `W/"3"` or `3`); `None` without the
/// header or with `*`. A change made with a stale version is refused with 412.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.headers().get("If-Match")).map(IfMatch))
    }
}

/// The version a client's `If-None-Match` names: a read answers 304 when it is current.
/// An unreadable header is ignored (the full document is sent), as HTTP caches expect.
#[derive(Debug, Clone, Copy)]
pub struct IfNoneMatch(pub Option<i64>);

impl FromRequest for IfNoneMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(IfNoneMatch(
            parse(req.headers().get("If-None-Match")).ok().flatten(),
        )))
    }
}

fn parse(header: Option<&HeaderValue>) -> Result<Option<i64>, ApiError> {
    let Some(header) = header else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::bad_field(
            "If-Match",
            "must be an ETag this service issued, such as \"3\"",
        )
    };
    let text = header.to_str().map_err(|_| invalid())?.trim();
    if text == "*" {
        return Ok(None);
    }
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text.trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|_| invalid())
}

/// The ETag of a document at `version`.
pub fn etag(version: i64) -> (actix_web::http::header::HeaderName, String) {
    (ETAG, format!("\"{version}\""))
}

/// Adds the ETag to a response under construction.
pub fn with_etag(builder: &mut HttpResponseBuilder, version: i64) -> &mut HttpResponseBuilder {
    builder.insert_header(etag(version))
}
