/// Failures of the store itself, as opposed to failures of a query's logic.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No connection could be had in time: the database is down or the pool is exhausted.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The blocking task running the database work panicked or was cancelled.
    #[error("database task failed: {0}")]
    TaskFailed(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}
