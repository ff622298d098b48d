//! The app factory: one function builds the HTTP server for `main` and for the tests.

use std::net::TcpListener;

use actix_web::dev::{Server, ServiceFactory, ServiceRequest};
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpResponse, HttpServer, ResponseError};
use tokio::sync::watch;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::error::ApiError;
use crate::api::idempotency;
use crate::auth::listen_for_ended_credentials;
use crate::cors;
use crate::metrics;
use crate::openapi;
use crate::pages;
use crate::request_id;
use crate::routes::{self, health};
use crate::routing::{self, RouteTable};
use crate::state::AppState;

/// Every API route lives below this path.
pub const BASE_PATH: &str = "/api/v1/orderpath/integrations/auth-required";

/// Registers every documented route once, and collects the OpenAPI document from that same
/// registration: the API under [`BASE_PATH`], the operations routes at the root.
fn register_routes<T>(app: App<T>) -> (App<T>, OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, mut document) = app
        .into_utoipa_app()
        .openapi(openapi::frame())
        .service(
            scope(BASE_PATH)
                .configure(routes::configure)
                // Inside the 405 (wrapped around the whole app in `build_server`): a
                // method the route does not answer keeps nothing.
                .wrap(from_fn(idempotency::keep_answers)),
        )
        .configure(health::configure)
        .split_for_parts();
    openapi::require_bearer_below(&mut document, BASE_PATH);
    openapi::declare_idempotency_key(&mut document, BASE_PATH, &idempotency::NEVER_KEPT);
    (app, document)
}

/// Builds the server on an already bound listener (port 0 in tests), and starts listening
/// for ended credentials, without which no credential is served from the cache. Call it
/// inside the runtime that will run the server.
pub fn build_server(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    let (keep_listening, shutdown) = watch::channel(false);
    let credentials_state = state.clone();
    actix_web::rt::spawn(async move {
        let _keep_listening = keep_listening;
        listen_for_ended_credentials(credentials_state, shutdown).await;
    });
    let server = HttpServer::new(move || {
        let (app, document) = register_routes(App::new());
        let served_document = openapi::declare_answers(&document, BASE_PATH);
        app.app_data(state.clone())
            .app_data(web::Data::new(RouteTable::from_document(&document)))
            // Every documented path, the API's and the operations routes alike, answers
            // another method with 405 and `Allow`.
            .wrap(from_fn(routing::reject_unsupported_methods))
            .wrap(from_fn(metrics::track))
            .wrap(cors::middleware(&state.config.cors_origins))
            .wrap(from_fn(request_id::assign))
            // Probes and scrapes come every few seconds and would drown the requests.
            .wrap(
                Logger::new("%r %s %Dms request-id=%{x-request-id}o")
                    .exclude("/health/live")
                    .exclude("/health/ready")
                    .exclude("/metrics"),
            )
            .route("/metrics", web::get().to(metrics::metrics))
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .external_url_unchecked("/api-docs/openapi.json", served_document),
            )
            .route("/docs", web::get().to(redirect_to_docs))
            .configure(pages::configure)
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
