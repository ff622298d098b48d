//! What tests share, kept out of the production crates: every crate lists this one under
//! `[dev-dependencies]` only.
//!
//! * [`TestDatabase`]: each test gets its own database, copied from a template that was
//!   migrated once, so tests run in parallel (also as separate processes) and never see
//!   each other's rows. Database names carry the run they belong to (see [`names`]), so
//!   that `scripts/test` can clean up after its own run without touching another's.
//! * [`fixtures`]: domain data that several crates' tests set up the same way.
//! * [`count_statements`]: how many SQL statements a piece of code sends, and
//!   [`kept_statements`]: which of them a connection keeps prepared.
//! * [`plans`]: the statements the service sends, and their plans' sequential scans.
//! * [`number`]: one number read with hand-written SQL.
//! * [`read_while_writing`]: concurrent writers and a reader following them.

mod concurrent;
mod database;
pub mod fixtures;
pub mod names;
mod number;
pub mod plans;
mod server;
mod statements;
mod template;

pub use concurrent::read_while_writing;
pub use database::TestDatabase;
pub use number::{number, Number};
pub use statements::{assert_read_in_one_statement, count_statements, kept_statements};
