//! The lists a frontend shows: customers by name with search (staff), and one customer's
//! carts, offers and orders, newest first (staff, or that customer itself; a customer
//! token asking for another customer's lists gets 403, as the filtered lists do).

use actix_web::{get, web, HttpResponse};
use diesel::PgConnection;
use orderpath_core::page::Page;
use orderpath_customers::Customer;
use uuid::Uuid;

use crate::api::error::{ApiError, Problem};
use crate::api::ids::CustomerId;
use crate::api::query::Query;
use crate::auth::Caller;
use crate::routes::carts::bodies::CartResponse;
use crate::routes::common::{PageQuery, PageResponse};
use crate::routes::customers::bodies::{
    CustomerCartsQuery, CustomerListQuery, CustomerOffersQuery,
};
use crate::routes::offers::bodies::OfferResponse;
use crate::routes::orders::bodies::OrderResponse;
use crate::state::AppState;

/// Customers ordered by name (ignoring case); `search` finds a part of the name, the
/// external id or the email, in any letter case.
#[utoipa::path(tag = "customers", params(CustomerListQuery),
    responses((status = 200, body = PageResponse<Customer>), (status = 400, body = Problem),
        (status = 403, body = Problem)))]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CustomerListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_customers::list_customers(
            conn,
            query.search.as_deref(),
            query.cursor.as_deref(),
            limit,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(page, |customer| customer)))
}

/// Reads one customer's list for `caller`: 403 for another customer's token, 404 when
/// the customer does not exist.
async fn customer_list<T: Send + 'static>(
    state: &AppState,
    caller: &Caller,
    customer_id: CustomerId,
    list: impl FnOnce(&mut PgConnection, Uuid) -> orderpath_core::Result<Page<T>> + Send + 'static,
) -> Result<Page<T>, ApiError> {
    let customer = caller
        .customer_filter(Some(customer_id.0))?
        .unwrap_or(customer_id.0);
    orderpath_db::read(&state.pool, move |conn| {
        orderpath_customers::get_customer(conn, customer)?;
        list(conn, customer)
    })
    .await
    .map_err(ApiError::from)
}

/// The customer's carts, newest first.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), CustomerCartsQuery),
    responses((status = 200, body = PageResponse<CartResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/carts")]
pub async fn list_customer_carts(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
    query: Query<CustomerCartsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let page = customer_list(&state, &caller, customer_id, move |conn, customer| {
        orderpath_carts::list_customer_carts(
            conn,
            customer,
            query.status,
            query.cursor.as_deref(),
            limit,
        )
    })
    .await?;
    let staff = caller.sees_purchase_prices();
    Ok(
        HttpResponse::Ok().json(PageResponse::from_page(page, |cart| {
            CartResponse::new(&cart, staff)
        })),
    )
}

/// The customer's offers, newest first; `status` as the offers read now.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), CustomerOffersQuery),
    responses((status = 200, body = PageResponse<OfferResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/offers")]
pub async fn list_customer_offers(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
    query: Query<CustomerOffersQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let now = state.clock.now();
    let page = customer_list(&state, &caller, customer_id, move |conn, customer| {
        orderpath_offers::list_customer_offers(
            conn,
            customer,
            query.status,
            query.cursor.as_deref(),
            limit,
            now,
        )
    })
    .await?;
    let staff = caller.sees_purchase_prices();
    Ok(
        HttpResponse::Ok().json(PageResponse::from_page(page, |offer| {
            OfferResponse::new(&offer, staff)
        })),
    )
}

/// The customer's orders, newest first.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), PageQuery),
    responses((status = 200, body = PageResponse<OrderResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/orders")]
pub async fn list_customer_orders(
    state: web::Data<AppState>,
    caller: Caller,
    customer_id: CustomerId,
    query: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let page = customer_list(&state, &caller, customer_id, move |conn, customer| {
        orderpath_orders::list_orders(conn, Some(customer), query.cursor.as_deref(), limit)
    })
    .await?;
    let staff = caller.sees_purchase_prices();
    Ok(
        HttpResponse::Ok().json(PageResponse::from_page(page, |order| {
            OrderResponse::new(&order, staff)
        })),
    )
}
