//! Customers and their activity (SPEC sections 5 and 10).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_carts::Source;
use orderpath_core::money::validate_currency;
use orderpath_customers::{Customer, CustomerDraft};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CustomerId;
use crate::api::validate::{text, Validator};
use crate::app::resource;
use crate::auth::Caller;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/customers/{customerId}")
            .put(upsert_customer)
            .get(get_customer),
    )
    .service(resource("/customers/{customerId}/activity").post(record_activity));
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRequest {
    pub name: String,
    /// The customer's id in the ERP.
    pub external_id: Option<String>,
    /// ISO 4217; carts of this customer are in this currency.
    pub currency: String,
    pub email: Option<String>,
}

impl CustomerRequest {
    fn validate(&self) -> Result<CustomerDraft, orderpath_core::Error> {
        let mut v = Validator::new();
        let name = v.check("name", text(&self.name, 500));
        let currency = v.check("currency", validate_currency(&self.currency));
        let external_id = match &self.external_id {
            Some(id) => v.check("externalId", text(id, 200)).map(Some),
            None => Some(None),
        };
        let email = match &self.email {
            Some(e) if !e.contains('@') || e.trim().len() > 320 => {
                v.fail("email", "must be an e-mail address");
                None
            }
            Some(e) => Some(Some(e.trim().to_string())),
            None => Some(None),
        };
        v.finish(|| {
            Some(CustomerDraft {
                name: name?,
                external_id: external_id?,
                currency: currency?,
                email: email?,
            })
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResponse {
    pub id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    pub currency: String,
    pub email: Option<String>,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Customer> for CustomerResponse {
    fn from(c: Customer) -> Self {
        CustomerResponse {
            id: c.id,
            name: c.name,
            external_id: c.external_id,
            currency: c.currency,
            email: c.email,
            last_activity_at: c.last_activity_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Create or replace a customer (ERP push). 201 when created, 200 when replaced.
#[utoipa::path(put, path = "/customers/{customerId}", tag = "customers", request_body = CustomerRequest,
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = CustomerResponse), (status = 201, body = CustomerResponse),
        (status = 422, body = Problem)),
    security(("bearer" = [])))]
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

#[utoipa::path(get, path = "/customers/{customerId}", tag = "customers",
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = CustomerResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivityRequest {
    pub source: Source,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityResponse {
    /// Whether this activity recorded `CLIENT_LOGGED` (first activity, or the first after
    /// the inactivity window).
    pub client_logged_emitted: bool,
}

/// The customer is active (logged in, opened a page). Records `CLIENT_LOGGED` after a
/// silence of `ORDERPATH_CLIENT_INACTIVITY_SECS` (30 minutes by default).
#[utoipa::path(post, path = "/customers/{customerId}/activity", tag = "customers", request_body = ActivityRequest,
    params(("customerId" = uuid::Uuid, Path)),
    responses((status = 200, body = ActivityResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
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
    let now = state.clock.now();
    let window = state.client_inactivity();
    let emitted = orderpath_db::write(&state.pool, move |conn| {
        orderpath_customers::record_activity(conn, customer_id.0, source, now, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ActivityResponse {
        client_logged_emitted: emitted,
    }))
}
