//! Store failures as the domain sees them: opaque. The store crate (`orderpath-db`) builds
//! them and alone knows what each one means (a missing row, an unreachable database, a
//! defect); the domain only carries them to the edge.

use std::error::Error as StdError;
use std::fmt;

/// A boxed failure of the store, any error type.
pub type StoreCause = Box<dyn StdError + Send + Sync + 'static>;

/// Where in the store's work a failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// No connection could be had: the database is down or the pool is exhausted.
    Unavailable,
    /// The blocking task running the database work panicked or was cancelled.
    TaskFailed,
    /// A migration did not apply.
    Migration,
    /// A statement failed; the cause says why.
    Query,
}

/// A failure of the store itself, as opposed to a failure of a rule of the domain.
#[derive(Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    cause: StoreCause,
}

impl StoreError {
    pub fn new(kind: StoreErrorKind, cause: impl Into<StoreCause>) -> Self {
        StoreError {
            kind,
            cause: cause.into(),
        }
    }

    pub fn unavailable(cause: impl Into<StoreCause>) -> Self {
        Self::new(StoreErrorKind::Unavailable, cause)
    }

    pub fn task_failed(cause: impl Into<StoreCause>) -> Self {
        Self::new(StoreErrorKind::TaskFailed, cause)
    }

    pub fn migration(cause: impl Into<StoreCause>) -> Self {
        Self::new(StoreErrorKind::Migration, cause)
    }

    /// Wraps any error as a failed statement; a `StoreError` passes through unchanged.
    pub fn from_error<E: StdError + Send + Sync + 'static>(error: E) -> Self {
        let boxed: StoreCause = Box::new(error);
        match boxed.downcast::<StoreError>() {
            Ok(store) => *store,
            Err(cause) => StoreError {
                kind: StoreErrorKind::Query,
                cause,
            },
        }
    }

    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// The underlying error, for the store crate to downcast and classify.
    pub fn cause(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.cause
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cause = &self.cause;
        match self.kind {
            StoreErrorKind::Unavailable => write!(f, "database unavailable: {cause}"),
            StoreErrorKind::TaskFailed => write!(f, "database task failed: {cause}"),
            StoreErrorKind::Migration => write!(f, "migration failed: {cause}"),
            StoreErrorKind::Query => write!(f, "{cause}"),
        }
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self.kind {
            // A failed statement is shown as its cause: the cause's source comes next.
            StoreErrorKind::Query => self.cause.source(),
            _ => Some(&*self.cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Broken;

    impl fmt::Display for Broken {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("broken")
        }
    }

    impl StdError for Broken {}

    #[test]
    fn any_error_is_a_failed_statement_that_keeps_its_cause() {
        let e = StoreError::from_error(Broken);
        assert_eq!(e.kind(), StoreErrorKind::Query);
        assert_eq!(e.to_string(), "broken");
        assert!(e.cause().downcast_ref::<Broken>().is_some());
    }

    #[test]
    fn a_store_error_passes_through_with_its_kind() {
        let e = StoreError::from_error(StoreError::unavailable("pool timed out"));
        assert_eq!(e.kind(), StoreErrorKind::Unavailable);
        assert_eq!(e.to_string(), "database unavailable: pool timed out");
    }
}
