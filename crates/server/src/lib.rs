//! The `orderpath` service: configuration, authentication, routes, OpenAPI, health and
//! metrics. Handlers stay thin; the rules live in the domain crates.

pub mod admin;
pub mod api;
pub mod app;
pub mod auth;
pub mod background;
pub mod config;
pub mod cors;
pub mod inbox;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod recorded_database;
pub mod render_cache;
pub mod request_id;
pub mod routes;
pub mod routing;
pub mod state;
