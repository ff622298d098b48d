//! The OpenAPI document, generated from the handlers' annotations, and the Swagger UI
//! that renders it from assets compiled into the binary (no CDN: it works offline).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::app::BASE_PATH;
use crate::routes::{
    carts, catalog, customers, events, health, offers, orders, price_edits, webhooks,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "orderpath", description = "The order path of a B2B sales platform: catalog, customers, carts, offers, orders and webhooks."),
    paths(
        catalog::upsert_product, catalog::get_product, catalog::list_products, catalog::set_stock,
        customers::upsert_customer, customers::get_customer, customers::record_activity,
        carts::create_cart, carts::get_cart, carts::open_cart, carts::add_product,
        carts::change_line_quantity, carts::delete_line,
        carts::configurable::add_configurable_products, carts::configurable::cable_calculator,
        offers::create_offer, offers::get_offer_by_query, offers::get_offer, offers::list_offers,
        offers::update_offer, offers::open_offer,
        price_edits::edit_cart_line_price, price_edits::restore_cart_line_price, price_edits::list_cart_price_edits,
        price_edits::edit_offer_line_price, price_edits::restore_offer_line_price, price_edits::list_offer_price_edits,
        orders::shipment_plan, orders::place_order, orders::get_order, orders::list_orders,
        orders::ship_shipment,
        webhooks::create_webhook, webhooks::list_webhooks, webhooks::get_webhook, webhooks::update_webhook,
        webhooks::delete_webhook, webhooks::samples::test_new_webhook, webhooks::samples::test_saved_webhook,
        webhooks::samples::list_event_types, webhooks::deliveries::list_deliveries,
        webhooks::deliveries::retry_delivery,
        events::list_events,
    ),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

#[derive(OpenApi)]
#[openapi(paths(health::live, health::ready))]
struct OperationsDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document: API routes under the base path, operations routes at the root.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut api = ApiDoc::openapi();
    let paths = std::mem::take(&mut api.paths.paths);
    for (path, item) in paths {
        api.paths.paths.insert(format!("{BASE_PATH}{path}"), item);
    }
    api.merge(OperationsDoc::openapi());
    api
}
