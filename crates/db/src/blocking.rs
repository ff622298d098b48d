//! The one place where async code meets synchronous diesel. Should the project move to
//! diesel-async, only this file changes.

use std::sync::{Arc, Mutex};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{ConnectionManager, PooledConnection};
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

/// Runs `work` in the transaction `conn` is in, or in a transaction of its own when it is
/// in none: for entry points whose locks must last until their change commits. Inside a
/// caller's transaction it sets no savepoint, which would cost two round trips: a failure
/// fails the caller's transaction, which the caller ([`write`], or the savepoint
/// [`Held::run`] sets around each unit of work) rolls back.
pub fn in_transaction<T, E, F>(conn: &mut PgConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let depth = AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth();
    match depth {
        Ok(Some(_)) => work(conn),
        _ => conn.transaction(work),
    }
}

/// Runs `work` on the blocking thread pool without opening a transaction. For reads
/// that are a single statement (consistent on their own) or that do not need to agree
/// with each other, and for a change sent as one SQL statement (see [`crate::together`]
/// and [`crate::events::record_with`]), which is atomic on its own; it saves the
/// BEGIN/COMMIT round trips on hot paths.
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

/// One transaction that spans a whole request: begun before the request's handler runs,
/// it runs each of the handler's units of work in it (each in its own savepoint, so a unit
/// that fails undoes only itself, as its own transaction would), and ends with
/// [`Held::commit`] or [`Held::rollback`] once the answer is known. Whatever else the
/// request writes in it (an idempotency key and the answer it gives) therefore commits
/// together with the change, or not at all.
///
/// It holds one pooled connection until it ends. Dropped without ending (the request was
/// abandoned), the connection is discarded by the pool, since it is still in a
/// transaction, and PostgreSQL rolls the transaction back.
#[derive(Clone)]
pub struct Held {
    conn: Arc<Mutex<Option<Pooled>>>,
}

type Pooled = PooledConnection<ConnectionManager<PgConnection>>;

impl Held {
    /// Takes a connection from `pool` and begins the transaction.
    pub async fn begin(pool: &PgPool) -> Result<Held, StoreError> {
        let pool = pool.clone();
        let conn = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(StoreError::unavailable)?;
            AnsiTransactionManager::begin_transaction(&mut *conn)
                .map_err(StoreError::from_error)?;
            Ok::<_, StoreError>(conn)
        })
        .await
        .map_err(StoreError::task_failed)??;
        Ok(Held {
            conn: Arc::new(Mutex::new(Some(conn))),
        })
    }

    /// Runs `work` in a savepoint of the held transaction: it takes effect when the
    /// transaction commits, and alone is undone when `work` fails.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + From<diesel::result::Error> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            let conn: &mut PgConnection = guard
                .as_mut()
                .ok_or_else(|| E::from(StoreError::task_failed("the transaction has ended")))?;
            conn.transaction(work)
        })
        .await
        .map_err(|e| E::from(StoreError::task_failed(e)))?
    }

    /// Commits everything the request did, and gives the connection back.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.end(AnsiTransactionManager::commit_transaction).await
    }

    /// Undoes everything the request did, and gives the connection back.
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.end(AnsiTransactionManager::rollback_transaction).await
    }

    async fn end(
        self,
        finish: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<()> + Send + 'static,
    ) -> Result<(), StoreError> {
        let conn = self.conn;
        tokio::task::spawn_blocking(move || {
            let taken = conn.lock().unwrap_or_else(|p| p.into_inner()).take();
            let mut conn =
                taken.ok_or_else(|| StoreError::task_failed("the transaction has ended"))?;
            // On failure the connection is still in a transaction, so the pool discards it
            // when it is dropped here, and PostgreSQL rolls back.
            finish(&mut conn).map_err(StoreError::from_error)
        })
        .await
        .map_err(StoreError::task_failed)?
    }
}
