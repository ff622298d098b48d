//! The one place where async code meets synchronous diesel. Should the project move to
//! diesel-async, only this file changes.

use diesel::{Connection, PgConnection};
use orderpath_core::StoreError;

use crate::PgPool;

/// Runs `work` on the blocking thread pool inside one database transaction: everything it
/// writes (a change and the events it causes) commits together or not at all.
pub async fn write<T, E, F>(pool: &PgPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + From<diesel::result::Error> + Send + 'static,
{
    on_connection(pool, move |conn| conn.transaction(work)).await
}

/// Runs `work` on the blocking thread pool without opening a transaction. For reads
/// that are a single statement (consistent on their own) or that do not need to agree
/// with each other; it saves the BEGIN/COMMIT round trips on hot read paths.
pub async fn read<T, E, F>(pool: &PgPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    on_connection(pool, work).await
}

async fn on_connection<T, E, F>(pool: &PgPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool
            .get()
            .map_err(|e| E::from(StoreError::unavailable(e)))?;
        work(&mut conn)
    })
    .await
    .map_err(|e| E::from(StoreError::task_failed(e)))?
}
