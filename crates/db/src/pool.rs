use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::PgConnection;
use orderpath_core::StoreError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// How long a request waits for a free connection before it is answered 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool sized for this machine: enough connections to keep every core busy while
/// others wait on the network, without crowding PostgreSQL's own processes.
pub fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (cores * 4).clamp(4, 32)
}

/// Builds the pool and checks that the database answers.
pub fn build_pool(database_url: &str, size: u32) -> Result<PgPool, StoreError> {
    builder(size)
        .build(ConnectionManager::new(database_url))
        .map_err(StoreError::unavailable)
}

fn builder(size: u32) -> diesel::r2d2::Builder<ConnectionManager<PgConnection>> {
    Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(false)
}

/// A small pool for background bookkeeping that is safe to do again, kept apart from the
/// requests' pool so that it never queues behind them. Its commits do not wait for the
/// disk (`synchronous_commit = off`): a crash of the database server may lose the last
/// fraction of a second of them, never leave them half done, and never touch what other
/// connections commit.
pub fn build_background_pool(database_url: &str, size: u32) -> Result<PgPool, StoreError> {
    builder(size)
        .connection_customizer(Box::new(CommitWithoutWaiting))
        .build(ConnectionManager::new(database_url))
        .map_err(StoreError::unavailable)
}

#[derive(Debug)]
struct CommitWithoutWaiting;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for CommitWithoutWaiting {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute("SET synchronous_commit = off")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}
