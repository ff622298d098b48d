//! The shared vocabulary of orderpath: the domain error, exact quantities and prices,
//! pagination cursors and pages, the clock, product kinds, the kinds of domain event, and a
//! memory-bounded LRU map for caches. Pure: the store (`orderpath-db`) depends on this
//! crate, never the other way round.

pub mod clock;
pub mod cursor;
pub mod error;
pub mod events;
pub mod money;
pub mod page;
pub mod product;
pub mod quantity;
pub mod store;
mod stored_enum;
pub mod weighed_lru;

pub use error::{ConflictCode, Error, FieldError};
pub use store::{StoreError, StoreErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;
