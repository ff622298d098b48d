//! Liveness and readiness, outside the API base path.

use actix_web::{get, web, HttpResponse};
use diesel::{sql_query, RunQueryDsl};
use orderpath_core::StoreError;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::error::{ApiError, Problem};
use crate::state::AppState;

/// Registers `/health/live` and `/health/ready`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(live).service(ready);
}

/// The process answers.
#[utoipa::path(tag = "operations", responses((status = 200)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers: one round trip through the same pool the API uses.
#[utoipa::path(tag = "operations",
    responses((status = 200), (status = 503, body = Problem)))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    orderpath_db::read(&state.pool, |conn| {
        sql_query("SELECT 1").execute(conn).map_err(|e| {
            orderpath_core::Error::Store(StoreError::unavailable(format!(
                "database did not answer: {e}"
            )))
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
}
