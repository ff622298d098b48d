//! The store: diesel schema, the r2d2 pool, embedded migrations, the one blocking helper
//! every database call goes through, changes of one kind written in batches, what a store
//! failure means, the outbox and the commit-ordered feeds, lists read newest first,
//! `LISTEN` for changes other instances make, substring search, `NUMERIC` read without
//! allocating, and the answers kept for idempotency keys.

mod batch;
mod blocking;
mod error;
pub mod events;
pub mod feed;
pub mod idempotency;
pub mod listen;
mod migrate;
pub mod newest_first;
pub mod numeric;
pub mod partial_index;
mod pool;
mod prepared;
pub mod schema;
pub mod search;
pub mod together;

pub use batch::Batcher;
pub use blocking::{in_transaction, read, write, Held};
pub use error::StoreFailure;
pub use migrate::{run_pending_migrations, MIGRATIONS};
pub use pool::{build_background_pool, build_pool, default_pool_size, PgPool};
pub use prepared::{kept, prepared, Prepared};

pub use diesel::PgConnection;
