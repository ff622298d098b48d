//! One module per domain; each has a `configure` that the app factory mounts under the
//! base path. Handlers stay thin: extract, authorise, call one domain function, answer.

pub mod carts;
pub mod catalog;
pub mod common;
pub mod customers;
pub mod events;
pub mod health;
pub mod offers;
pub mod orders;
pub mod price_edits;
pub mod webhooks;
