//! Customers, their activity, and the lists a frontend shows of them (customers by name,
//! a customer's carts, offers and orders, in `lists`).

pub mod bodies;
pub mod lists;

use actix_web::{get, post, put, HttpResponse};
use orderpath_customers::Customer;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::call::{Answer, Call, Staff};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CustomerId;
use bodies::{ActivityRequest, ActivityResponse, CustomerRequest};

/// The id of a customer the caller may see: a customer token sees only its own, and
/// another is not found.
fn visible(call: &Call, customer_id: CustomerId) -> Result<Uuid, ApiError> {
    if call.scope().is_some_and(|c| c != customer_id.0) {
        return Err(orderpath_core::Error::not_found("customer").into());
    }
    Ok(customer_id.0)
}

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
    responses((status = 200, body = Customer), (status = 201, body = Customer),
        (status = 422, body = Problem)))]
#[put("/customers/{customerId}")]
pub async fn upsert_customer(
    call: Staff,
    customer_id: CustomerId,
    body: Json<CustomerRequest>,
) -> Answer {
    let draft = body.0.validate()?;
    let now = call.now();
    let (customer, created) = call
        .write(move |conn| orderpath_customers::upsert_customer(conn, customer_id.0, &draft, now))
        .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(customer))
}

#[utoipa::path(tag = "customers",
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = Customer), (status = 404, body = Problem)))]
#[get("/customers/{customerId}")]
pub async fn get_customer(call: Call, customer_id: CustomerId) -> Answer {
    let id = visible(&call, customer_id)?;
    let customer = call
        .read(move |conn| orderpath_customers::get_customer(conn, id))
        .await?;
    Ok(HttpResponse::Ok().json(customer))
}

/// The customer is active (logged in, opened a page). Records `CLIENT_LOGGED` after a
/// silence of `ORDERPATH_CLIENT_INACTIVITY_SECS` (30 minutes by default).
#[utoipa::path(tag = "customers", request_body = ActivityRequest,
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = ActivityResponse), (status = 404, body = Problem)))]
#[post("/customers/{customerId}/activity")]
pub async fn record_activity(
    call: Call,
    customer_id: CustomerId,
    body: Json<ActivityRequest>,
) -> Answer {
    let id = visible(&call, customer_id)?;
    let source: &str = body.0.source.into();
    let (now, window) = (call.now(), call.state.client_inactivity());
    let user = call.caller.0.id;
    let emitted = call
        .write(move |conn| {
            orderpath_customers::record_activity(conn, id, source, user, now, window)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ActivityResponse {
        client_logged_emitted: emitted,
    }))
}
