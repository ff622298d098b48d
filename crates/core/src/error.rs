use std::fmt;

use crate::store::StoreError;

/// One problem with one input field, named by its JSON path (`quantity.value`,
/// `configurableProducts[2].children[0].productId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Why a request conflicts with the state of a resource. Each has a stable code that
/// clients may match on (its `SCREAMING_SNAKE_CASE` name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::Display)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum ConflictCode {
    LineNotRemovable,
    QuantityChangeNotAllowed,
    OfferLocked,
    CartNotOpen,
    InvalidStatusTransition,
    ShipmentNotReady,
    EmailInUse,
    /// A request with the same `Idempotency-Key` is still running.
    IdempotencyKeyInUse,
}

/// The domain error every domain crate returns. The HTTP edge maps each variant to a
/// status and a problem+json body; store failures are logged there and answered opaquely.
///
/// Any `std::error::Error` converts into [`Error::Store`], so `?` works on the store's
/// results without this crate knowing the store (as `anyhow::Error` does). That is also
/// why `Error` itself is not a `std::error::Error`: it would convert into itself.
#[derive(Debug)]
pub enum Error {
    Validation(Vec<FieldError>),
    NotFound {
        entity: &'static str,
    },
    Conflict {
        code: ConflictCode,
        message: String,
    },
    VersionMismatch {
        expected: i64,
        current: i64,
    },
    Forbidden(String),
    /// A webhook URL that leads to a loopback, private, link-local or otherwise
    /// non-public address.
    UnsafeWebhookUrl(String),
    /// A sign-in with an unknown email, a wrong password or a deactivated user: one
    /// answer for all three, so it tells nothing about which.
    InvalidCredentials,
    /// Too many failed sign-ins for one email lately; the next attempt may succeed after
    /// `retry_after_secs`.
    TooManyAttempts {
        retry_after_secs: u64,
    },
    Store(StoreError),
}

impl Error {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(code: ConflictCode, message: impl Into<String>) -> Self {
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str) -> Self {
        Error::NotFound { entity }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(_) => f.write_str("invalid input"),
            Error::NotFound { entity } => write!(f, "{entity} not found"),
            Error::Conflict { message, .. } => f.write_str(message),
            Error::VersionMismatch { expected, current } => write!(
                f,
                "version mismatch: If-Match names version {expected}, the current version is {current}"
            ),
            Error::Forbidden(message) | Error::UnsafeWebhookUrl(message) => f.write_str(message),
            Error::InvalidCredentials => f.write_str("the email or the password is wrong"),
            Error::TooManyAttempts { retry_after_secs } => write!(
                f,
                "too many failed sign-ins; try again in {retry_after_secs} seconds"
            ),
            Error::Store(e) => e.fmt(f),
        }
    }
}

impl<E> From<E> for Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn from(e: E) -> Self {
        Error::Store(StoreError::from_error(e))
    }
}

/// Fails with `VersionMismatch` when the client's `If-Match` names another version.
pub fn check_version(expected: Option<i64>, current: i64) -> Result<(), Error> {
    match expected {
        Some(expected) if expected != current => Err(Error::VersionMismatch { expected, current }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreErrorKind;

    #[test]
    fn conflict_codes_are_screaming_snake_case() {
        let code: &str = ConflictCode::QuantityChangeNotAllowed.into();
        assert_eq!(code, "QUANTITY_CHANGE_NOT_ALLOWED");
    }

    #[test]
    fn foreign_errors_become_store_failures_and_store_errors_keep_their_kind() {
        let parse = "x".parse::<i64>().unwrap_err();
        let Error::Store(e) = Error::from(parse) else {
            panic!("a foreign error is a store failure");
        };
        assert_eq!(e.kind(), StoreErrorKind::Query);
        let Error::Store(e) = Error::from(StoreError::task_failed("cancelled")) else {
            panic!("a store error stays a store failure");
        };
        assert_eq!(e.kind(), StoreErrorKind::TaskFailed);
    }
}
