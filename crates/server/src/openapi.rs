//! The frame of the OpenAPI document: its info and the bearer security scheme. The paths
//! and their schemas are not listed here: the app collects them from the handlers'
//! annotations as it registers the routes (see [`crate::app`]), so the document cannot
//! describe a route that is not served, nor miss one that is. Swagger UI renders it from
//! assets compiled into the binary (no CDN: it works offline).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "orderpath", description = "The order path of a B2B sales platform: catalog, customers, carts, offers, orders and webhooks."),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

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

/// The document before any route is registered.
pub fn frame() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
