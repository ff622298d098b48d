//! The shared vocabulary of orderpath: the domain error, exact quantities and prices,
//! pagination cursors, the clock, and the outbox every domain event is written to.

pub mod clock;
pub mod cursor;
pub mod error;
pub mod events;
pub mod money;
pub mod page;
pub mod quantity;

pub use error::{ConflictCode, Error, FieldError};
pub type Result<T, E = Error> = std::result::Result<T, E>;
