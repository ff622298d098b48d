//! The app factory: one function builds the HTTP server for `main` and for the tests.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpResponse, HttpServer, Resource, ResponseError};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::error::ApiError;
use crate::metrics;
use crate::openapi;
use crate::routes::{
    carts, catalog, customers, events, health, offers, orders, price_edits, webhooks,
};
use crate::state::AppState;

/// Every API route lives below this path.
pub const BASE_PATH: &str = "/api/v1/orderpath/integrations/auth-required";

/// Mounts the API routes under [`BASE_PATH`].
fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(BASE_PATH)
            .configure(catalog::configure)
            .configure(customers::configure)
            .configure(carts::configure)
            .configure(offers::configure)
            .configure(price_edits::configure)
            .configure(orders::configure)
            .configure(webhooks::configure)
            .configure(events::configure),
    );
}

/// Builds the server on an already bound listener (port 0 in tests).
pub fn build_server(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    let document = openapi::document();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(from_fn(metrics::track))
            // Probes and scrapes come every few seconds and would drown the requests.
            .wrap(
                Logger::new("%r %s %Dms")
                    .exclude("/health/live")
                    .exclude("/health/ready")
                    .exclude("/metrics"),
            )
            .route("/health/live", web::get().to(health::live))
            .route("/health/ready", web::get().to(health::ready))
            .route("/metrics", web::get().to(metrics::metrics))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", document.clone()))
            .route("/docs", web::get().to(redirect_to_docs))
            .configure(configure_api)
            .default_service(web::to(unknown_route))
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/docs/"))
        .finish()
}

/// Unknown paths answer 404 problem+json.
async fn unknown_route() -> HttpResponse {
    ApiError::RouteNotFound.error_response()
}

async fn method_not_allowed() -> HttpResponse {
    ApiError::MethodNotAllowed.error_response()
}

/// A route path whose unsupported methods answer 405 problem+json. Routes modules
/// register every path through this, one resource per path.
pub fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}
