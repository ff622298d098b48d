//! Black-box tests: the real app over HTTP on a random port, each test with its own
//! database.

mod helpers;
mod inbox;

mod auth;
mod carts;
mod catalog;
mod configurator;
mod contract;
mod customers;
mod document_reads;
mod errors;
mod events;
mod idempotency;
mod lists;
mod offer_orders;
mod offers;
mod operations;
mod orders;
mod people;
mod plans;
mod prices;
mod receiver;
mod strict;
mod webhooks;
