//! What a store failure means. Domain crates carry every failure of the store as core's
//! opaque [`StoreError`] (diesel's errors convert into it with `?`); this crate, which
//! knows diesel, is the one that tells a missing row from an unreachable database.

use diesel::result::{DatabaseErrorKind, Error as Diesel};
use orderpath_core::{StoreError, StoreErrorKind};

/// What a failed store call means for the one who made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFailure {
    /// A statement that must find a row found none: the resource does not exist.
    NotFound,
    /// The database cannot be reached right now (no pooled connection in time, or the
    /// connection went away): worth trying again, not a defect.
    Unavailable,
    /// Anything else: a defect, or a database in a state the code does not expect.
    Internal,
}

impl StoreFailure {
    pub fn of(error: &StoreError) -> Self {
        match error.kind() {
            StoreErrorKind::Unavailable => StoreFailure::Unavailable,
            StoreErrorKind::TaskFailed | StoreErrorKind::Migration => StoreFailure::Internal,
            StoreErrorKind::Query => Self::of_cause(error.cause()),
        }
    }

    fn of_cause(cause: &(dyn std::error::Error + 'static)) -> Self {
        if let Some(e) = cause.downcast_ref::<Diesel>() {
            return match e {
                Diesel::NotFound => StoreFailure::NotFound,
                Diesel::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                    StoreFailure::Unavailable
                }
                _ => StoreFailure::Internal,
            };
        }
        if cause.is::<diesel::r2d2::PoolError>() {
            return StoreFailure::Unavailable;
        }
        StoreFailure::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderpath_core::Error;

    fn failure(e: impl Into<Error>) -> StoreFailure {
        match e.into() {
            Error::Store(store) => StoreFailure::of(&store),
            other => panic!("not a store failure: {other}"),
        }
    }

    #[test]
    fn a_statement_that_found_no_row_is_not_found() {
        assert_eq!(failure(Diesel::NotFound), StoreFailure::NotFound);
    }

    #[test]
    fn lost_connections_and_pool_timeouts_are_unavailable() {
        let closed = Diesel::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection".to_string()),
        );
        assert_eq!(failure(closed), StoreFailure::Unavailable);
        assert_eq!(
            failure(StoreError::unavailable("timed out")),
            StoreFailure::Unavailable
        );
    }

    #[test]
    fn everything_else_is_internal() {
        assert_eq!(
            failure(Diesel::BrokenTransactionManager),
            StoreFailure::Internal
        );
        assert_eq!(
            failure(StoreError::task_failed("panicked")),
            StoreFailure::Internal
        );
        assert_eq!(
            failure("x".parse::<i64>().unwrap_err()),
            StoreFailure::Internal
        );
    }
}
