//! Every error leaves as `application/problem+json` (RFC 9457) with a stable `code`.
//! Domain errors keep their meaning; store failures are logged and answered opaquely.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use orderpath_core::{Error, FieldError};
use orderpath_db::StoreFailure;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// JSON path of the offending input, e.g. `quantity.value`.
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, upper-case; match on this rather than on `title` or `detail`.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The request's `X-Request-Id`, to quote when reporting a problem. Every problem
    /// answered over HTTP carries it (set on the way out, see `request_id`).
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Built with `From`, which turns a store failure that means "not found" into the
    /// domain's not found.
    #[error("{0}")]
    Domain(Error),
    /// Input that could not even be read: malformed JSON, a wrong type, a bad parameter.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("missing or unknown bearer token")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("no such route")]
    RouteNotFound,
    /// The path is a route's, the method is not one of its methods (listed in `Allow`).
    #[error("method not allowed on this route")]
    MethodNotAllowed { allowed: Vec<Method> },
    /// An `Idempotency-Key` this caller used before for another request (another method,
    /// path or body).
    #[error("this Idempotency-Key was used for another request (another method, path or body); use a new key")]
    IdempotencyKeyReused,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Store(store) if StoreFailure::of(&store) == StoreFailure::NotFound => {
                ApiError::Domain(Error::not_found("resource"))
            }
            other => ApiError::Domain(other),
        }
    }
}

/// Whether a store failure is the database being out of reach (503) rather than a
/// defect (500).
fn unavailable(e: &orderpath_core::StoreError) -> bool {
    StoreFailure::of(e) == StoreFailure::Unavailable
}

impl ApiError {
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        ApiError::BadRequest {
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Domain(e) => match e {
                Error::Validation(_) => "VALIDATION_FAILED",
                Error::NotFound { .. } => "NOT_FOUND",
                Error::Conflict { code, .. } => (*code).into(),
                Error::VersionMismatch { .. } => "VERSION_MISMATCH",
                Error::Forbidden(_) => "FORBIDDEN",
                Error::UnsafeWebhookUrl(_) => "UNSAFE_WEBHOOK_URL",
                Error::InvalidCredentials => "INVALID_CREDENTIALS",
                Error::TooManyAttempts { .. } => "TOO_MANY_ATTEMPTS",
                Error::Store(e) if unavailable(e) => "SERVICE_UNAVAILABLE",
                Error::Store(_) => "INTERNAL_ERROR",
            },
            ApiError::BadRequest { .. } => "VALIDATION_FAILED",
            ApiError::Unauthenticated => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            ApiError::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ApiError::RouteNotFound => "NOT_FOUND",
            ApiError::MethodNotAllowed { .. } => "METHOD_NOT_ALLOWED",
            ApiError::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Domain(Error::Validation(errors)) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            ApiError::Domain(Error::Store(e)) if unavailable(e) => {
                "the database is unavailable; try again shortly".into()
            }
            ApiError::Domain(Error::Store(_)) => "an internal error occurred".into(),
            other => other.to_string(),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Domain(Error::Validation(errors)) | ApiError::BadRequest { errors, .. } => {
                errors.clone()
            }
            ApiError::Domain(Error::UnsafeWebhookUrl(message)) => {
                vec![FieldError::new("url", message.clone())]
            }
            ApiError::IdempotencyKeyReused => vec![FieldError::new(
                crate::api::idempotency::KEY_HEADER,
                "was used for another request",
            )],
            _ => Vec::new(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Domain(e) => match e {
                Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Error::NotFound { .. } => StatusCode::NOT_FOUND,
                Error::Conflict { .. } => StatusCode::CONFLICT,
                Error::VersionMismatch { .. } => StatusCode::PRECONDITION_FAILED,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                Error::UnsafeWebhookUrl(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
                Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                Error::Store(e) if unavailable(e) => StatusCode::SERVICE_UNAVAILABLE,
                Error::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            log::error!("request failed: {self:?}");
        }
        let code = self.code();
        let problem = Problem {
            problem_type: format!(
                "urn:orderpath:problem:{}",
                code.to_lowercase().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            code: code.to_string(),
            errors: self
                .field_errors()
                .into_iter()
                .map(|e| ProblemField {
                    field: e.field,
                    message: e.message,
                })
                .collect(),
            request_id: None,
        };
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthenticated => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::MethodNotAllowed { allowed } => {
                let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        if let ApiError::Domain(Error::TooManyAttempts { retry_after_secs }) = self {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        response.json(problem)
    }
}

#[cfg(test)]
mod sign_in_error_tests {
    use super::*;

    #[test]
    fn refused_sign_ins_answer_401_and_429_with_retry_after() {
        let invalid = ApiError::Domain(Error::InvalidCredentials).error_response();
        assert_eq!(invalid.status(), StatusCode::UNAUTHORIZED);
        let throttled = ApiError::Domain(Error::TooManyAttempts {
            retry_after_secs: 600,
        });
        assert_eq!(throttled.code(), "TOO_MANY_ATTEMPTS");
        let response = throttled.error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get("Retry-After").unwrap(), "600");
        assert_eq!(
            ApiError::Domain(Error::InvalidCredentials).code(),
            "INVALID_CREDENTIALS"
        );
    }
}
