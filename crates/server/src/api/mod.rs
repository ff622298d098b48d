//! The HTTP edge's building blocks: request extraction and validation, exact decimals in
//! JSON, and problem+json errors.

pub mod body;
pub mod call;
pub mod decimal;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod if_match;
pub mod query;
pub mod validate;
