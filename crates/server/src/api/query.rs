//! `Query<T>`: the query-string extractor. It answers a malformed parameter as
//! problem+json, refuses a parameter holding a control character with 422 naming it
//! (`docs/api.md`, Strict input), and reads nothing before the call is authorized.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::api::body::{control_character_error, has_control_character};
use crate::api::call::Authorization;
use crate::api::error::ApiError;

pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        read_when_authorized(req, |query| parse(query).map(Query))
    }
}

/// Reads the query string with `read` once the call is authorized: an extractor reading
/// parameters answers 401 or 403 before it looks at them.
pub fn read_when_authorized<T: 'static>(
    req: &HttpRequest,
    read: impl FnOnce(&str) -> Result<T, ApiError> + 'static,
) -> LocalBoxFuture<'static, Result<T, ApiError>> {
    let authorized = Authorization::of(req);
    let query = req.query_string().to_string();
    Box::pin(async move {
        authorized.await?;
        read(&query)
    })
}

/// Reads a query string into `T`, after refusing any parameter (its name or its decoded
/// value) that holds a control character.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let malformed = |e: actix_web::error::QueryPayloadError| ApiError::BadRequest {
        detail: format!("invalid query parameters: {e}"),
        errors: vec![],
    };
    let pairs =
        actix_web::web::Query::<Vec<(String, String)>>::from_query(query).map_err(malformed)?;
    for (name, value) in pairs.iter() {
        if has_control_character(name, false) || has_control_character(value, false) {
            return Err(control_character_error(name.clone(), false));
        }
    }
    actix_web::web::Query::<T>::from_query(query)
        .map(|q| q.into_inner())
        .map_err(malformed)
}
