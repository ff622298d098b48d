use orderpath_db::StoreError;

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
/// clients may match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictCode {
    LineNotRemovable,
    QuantityChangeNotAllowed,
    OfferLocked,
    CartNotOpen,
    InvalidStatusTransition,
    ShipmentNotReady,
    EmailInUse,
}

impl ConflictCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::LineNotRemovable => "LINE_NOT_REMOVABLE",
            ConflictCode::QuantityChangeNotAllowed => "QUANTITY_CHANGE_NOT_ALLOWED",
            ConflictCode::OfferLocked => "OFFER_LOCKED",
            ConflictCode::CartNotOpen => "CART_NOT_OPEN",
            ConflictCode::InvalidStatusTransition => "INVALID_STATUS_TRANSITION",
            ConflictCode::ShipmentNotReady => "SHIPMENT_NOT_READY",
            ConflictCode::EmailInUse => "EMAIL_IN_USE",
        }
    }
}

/// The domain error every domain crate returns. The HTTP edge maps each variant to a
/// status and a problem+json body; store failures are logged there and answered opaquely.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{message}")]
    Conflict { code: ConflictCode, message: String },
    #[error(
        "version mismatch: If-Match names version {expected}, the current version is {current}"
    )]
    VersionMismatch { expected: i64, current: i64 },
    #[error("{0}")]
    Forbidden(String),
    /// A webhook URL that leads to a loopback, private, link-local or otherwise
    /// non-public address.
    #[error("{0}")]
    UnsafeWebhookUrl(String),
    /// A sign-in with an unknown email, a wrong password or a deactivated user: one
    /// answer for all three, so it tells nothing about which.
    #[error("the email or the password is wrong")]
    InvalidCredentials,
    /// Too many failed sign-ins for one email lately; the next attempt may succeed after
    /// `retry_after_secs`.
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
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

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as Diesel};
        match e {
            Diesel::NotFound => Error::NotFound { entity: "resource" },
            // The database went away under a pooled connection: unavailable, not a defect.
            Diesel::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Error::Store(StoreError::Unavailable(info.message().to_string()))
            }
            other => Error::Store(StoreError::Query(other)),
        }
    }
}

/// Fails with `VersionMismatch` when the client's `If-Match` names another version.
pub fn check_version(expected: Option<i64>, current: i64) -> Result<(), Error> {
    match expected {
        Some(expected) if expected != current => Err(Error::VersionMismatch { expected, current }),
        _ => Ok(()),
    }
}
