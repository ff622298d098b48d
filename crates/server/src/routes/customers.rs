//! Customers, their activity, and the lists a frontend shows of them (customers by name,
//! a customer's carts, offers and orders, in `lists`).

pub mod bodies;
pub mod lists;

use actix_web::{get, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CustomerId;
use crate::auth::Caller;
use crate::state::AppState;
use bodies::{ActivityRequest, ActivityResponse, CustomerRequest, CustomerResponse};

/// Registers every route below `/customers`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(lists::list_customers)
        .service(upsert_customer)
        .service(get_customer)
        .service(record_activity)
        .service(lists::list_customer_carts)
        .service(lists::list_customer_offers)
        .service(lists::list_customer_orders);
}

/// Create or replace a customer (ERP push). 201 when created, 200 when replaced.
#[utoipa::path(tag = "customers", request_body = CustomerRequest,
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = CustomerResponse), (status = 201, body = CustomerResponse),
        (status = 422, body = Problem)))]
#[put("/customers/{customerId}")]
pub async fn upsert_customer(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
    body: Json<CustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let draft = body.0.validate()?;
    let now = state.clock.now();
    let (customer, created) = orderpath_db::write(&state.pool, move |conn| {
        orderpath_customers::upsert_customer(conn, customer_id.0, &draft, now)
    })
    .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(CustomerResponse::from(customer)))
}

#[utoipa::path(tag = "customers",
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = CustomerResponse), (status = 404, body = Problem)))]
#[get("/customers/{customerId}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
) -> Result<HttpResponse, ApiError> {
    if caller.customer_scope().is_some_and(|c| c != customer_id.0) {
        return Err(orderpath_core::Error::not_found("customer").into());
    }
    let customer = orderpath_db::read(&state.pool, move |conn| {
        orderpath_customers::get_customer(conn, customer_id.0)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CustomerResponse::from(customer)))
}

/// The customer is active (logged in, opened a page). Records `CLIENT_LOGGED` after a
/// silence of `ORDERPATH_CLIENT_INACTIVITY_SECS` (30 minutes by default).
#[utoipa::path(tag = "customers", request_body = ActivityRequest,
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = ActivityResponse), (status = 404, body = Problem)))]
#[post("/customers/{customerId}/activity")]
pub async fn record_activity(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
    body: Json<ActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    if caller.customer_scope().is_some_and(|c| c != customer_id.0) {
        return Err(orderpath_core::Error::not_found("customer").into());
    }
    let source: &str = body.0.source.into();
    let user = caller.0.id;
    let now = state.clock.now();
    let window = state.client_inactivity();
    let emitted = orderpath_db::write(&state.pool, move |conn| {
        orderpath_customers::record_activity(conn, customer_id.0, source, user, now, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ActivityResponse {
        client_logged_emitted: emitted,
    }))
}
