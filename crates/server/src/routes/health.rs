//! Liveness and readiness, outside the API base path.

use actix_web::{web, HttpResponse};
use diesel::{sql_query, RunQueryDsl};
use orderpath_core::StoreError;
use serde_json::json;

use crate::api::error::{ApiError, Problem};
use crate::state::AppState;

/// The process answers.
#[utoipa::path(get, path = "/health/live", tag = "operations", responses((status = 200)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers: one round trip through the same pool the API uses.
#[utoipa::path(get, path = "/health/ready", tag = "operations",
    responses((status = 200), (status = 503, body = Problem)))]
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
