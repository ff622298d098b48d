//! The lists a frontend shows: customers by name with search (staff), and one customer's
//! carts, offers and orders, newest first (staff, or that customer itself; a customer
//! token asking for another customer's lists gets 403, as the filtered lists do).

use actix_web::{get, HttpResponse};
use diesel::PgConnection;
use orderpath_core::page::Page;
use orderpath_customers::Customer;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::call::{Answer, Call, Staff};
use crate::api::error::Problem;
use crate::api::ids::CustomerId;
use crate::api::query::Query;
use crate::routes::carts::bodies::CartResponse;
use crate::routes::common::{Listing, PageQuery, PageResponse};
use crate::routes::customers::bodies::{
    CustomerCartsQuery, CustomerListQuery, CustomerOffersQuery,
};
use crate::routes::offers::bodies::OfferResponse;
use crate::routes::orders::bodies::OrderResponse;

/// Customers ordered by name (ignoring case); `search` finds a part of the name, the
/// external id or the email, in any letter case.
#[utoipa::path(tag = "customers", params(CustomerListQuery, PageQuery),
    responses((status = 200, body = PageResponse<Customer>), (status = 400, body = Problem),
        (status = 403, body = Problem)))]
#[get("/customers")]
pub async fn list_customers(
    call: Staff,
    Listing(query, page): Listing<CustomerListQuery>,
) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let customers = call
        .read(move |conn| {
            let (search, after) = (query.search.as_deref(), page.cursor.as_deref());
            orderpath_customers::list_customers(conn, search, after, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(customers, |customer| customer)))
}

/// One customer's list as `call`'s caller may see it: 403 for another customer's token,
/// 404 when the customer does not exist; each item shown by `show` to staff or to the
/// customer.
async fn customer_list<T: Send + 'static, B: ToSchema + Serialize>(
    call: &Call,
    customer_id: CustomerId,
    list: impl FnOnce(&mut PgConnection, Uuid) -> orderpath_core::Result<Page<T>> + Send + 'static,
    show: impl Fn(&T, bool) -> B,
) -> Answer {
    let customer = call
        .caller
        .customer_filter(Some(customer_id.0))?
        .unwrap_or(customer_id.0);
    let page = call
        .read(move |conn| {
            orderpath_customers::get_customer(conn, customer)?;
            list(conn, customer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::shown(page, call.staff(), show)))
}

/// The customer's carts, newest first.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), CustomerCartsQuery, PageQuery),
    responses((status = 200, body = PageResponse<CartResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/carts")]
pub async fn list_customer_carts(
    call: Call,
    customer_id: CustomerId,
    Listing(query, page): Listing<CustomerCartsQuery>,
) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let list = move |conn: &mut PgConnection, customer| {
        let after = page.cursor.as_deref();
        orderpath_carts::list_customer_carts(conn, customer, query.status, after, limit)
    };
    customer_list(&call, customer_id, list, CartResponse::new).await
}

/// The customer's offers, newest first; `status` as the offers read now.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), CustomerOffersQuery, PageQuery),
    responses((status = 200, body = PageResponse<OfferResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/offers")]
pub async fn list_customer_offers(
    call: Call,
    customer_id: CustomerId,
    Listing(query, page): Listing<CustomerOffersQuery>,
) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let now = call.now();
    let list = move |conn: &mut PgConnection, customer| {
        let after = page.cursor.as_deref();
        orderpath_offers::list_customer_offers(conn, customer, query.status, after, limit, now)
    };
    customer_list(&call, customer_id, list, OfferResponse::new).await
}

/// The customer's orders, newest first.
#[utoipa::path(tag = "customers", params(("customerId" = uuid::Uuid, Path), PageQuery),
    responses((status = 200, body = PageResponse<OrderResponse>), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/customers/{customerId}/orders")]
pub async fn list_customer_orders(
    call: Call,
    customer_id: CustomerId,
    Query(page): Query<PageQuery>,
) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let list = move |conn: &mut PgConnection, customer| {
        orderpath_orders::list_orders(conn, Some(customer), page.cursor.as_deref(), limit)
    };
    customer_list(&call, customer_id, list, OrderResponse::new).await
}
