//! The frame of the OpenAPI document: its info and the bearer security scheme. The paths
//! and their schemas are not listed here: the app collects them from the handlers'
//! annotations as it registers the routes (see [`crate::app`]), so the document cannot
//! describe a route that is not served, nor miss one that is. Swagger UI renders it from
//! assets compiled into the binary (no CDN: it works offline).

use actix_web::http::Method;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "orderpath", description = "The order path of a B2B sales platform: catalog, customers, carts, offers, orders and webhooks."),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

const BEARER: &str = "bearer";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document before any route is registered.
pub fn frame() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Marks every operation below `prefix` as needing the bearer token: every API route but
/// sign-in does, so it is said here once rather than on each handler.
pub fn require_bearer_below(document: &mut utoipa::openapi::OpenApi, prefix: &str) {
    let items = document
        .paths
        .paths
        .iter_mut()
        .filter(|(path, _)| path.starts_with(prefix))
        .map(|(_, item)| item);
    for item in items {
        for (_, operation) in operation_slots(item) {
            // An operation that states its own security (`security(())` for a public one,
            // such as signing in) keeps it.
            if let Some(operation) = operation.as_mut().filter(|o| o.security.is_none()) {
                operation.security =
                    Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
            }
        }
    }
}

/// The operation slot of each method of a path item; a method the path does not answer has
/// an empty slot.
pub fn operation_slots(item: &mut PathItem) -> [(Method, &mut Option<Operation>); 8] {
    [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::OPTIONS, &mut item.options),
        (Method::HEAD, &mut item.head),
        (Method::PATCH, &mut item.patch),
        (Method::TRACE, &mut item.trace),
    ]
}
