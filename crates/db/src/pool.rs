use std::time::Duration;

use diesel::r2d2::{ConnectionManager, Pool};
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
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(false)
        .build(manager)
        .map_err(StoreError::unavailable)
}
