//! One module per resource; each registers its routes in a `configure` that the app
//! factory mounts under the base path. A handler carries its method and path in its route
//! attribute and its OpenAPI description beside it; registering it is the one place a
//! route is listed. Handlers stay thin: extract, authorise, call one domain function,
//! answer. Each module keeps its request and response types in its `bodies`.

pub mod carts;
pub mod catalog;
pub mod common;
pub mod customers;
pub mod document;
pub mod events;
pub mod health;
pub mod offers;
pub mod orders;
pub mod people;
pub mod price_edits;
pub mod rendered;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every API route; the app mounts them under [`BASE_PATH`].
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(catalog::configure)
        .configure(customers::configure)
        .configure(carts::configure)
        .configure(offers::configure)
        .configure(orders::configure)
        .configure(webhooks::configure)
        .configure(events::configure)
        .configure(people::configure);
}
