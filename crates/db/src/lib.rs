//! The store: diesel schema, the r2d2 pool, embedded migrations, and the one blocking
//! helper every database call goes through.

mod blocking;
mod error;
mod migrate;
mod pool;
pub mod schema;

pub use blocking::{read, write};
pub use error::StoreError;
pub use migrate::{run_pending_migrations, MIGRATIONS};
pub use pool::{build_pool, default_pool_size, PgPool};

pub use diesel::PgConnection;
