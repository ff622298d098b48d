//! Products and stock (SPEC section 5).

pub mod bodies;

use actix_web::{web, HttpResponse};
use orderpath_catalog::Upserted;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::body::Json;
use crate::api::error::{ApiError, Problem};
use crate::api::ids::ProductId;
use crate::api::query::Query;
use crate::app::resource;
use crate::auth::Caller;
use crate::routes::common::PageResponse;
use crate::state::AppState;
use bodies::{validate_stock, ProductRequest, ProductResponse, StockRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/products").get(list_products))
        .service(
            resource("/products/{productId}")
                .put(upsert_product)
                .get(get_product),
        )
        .service(resource("/products/{productId}/stock").put(set_stock));
}

/// Create or replace a product (ERP push). 201 when created, 200 when replaced.
#[utoipa::path(put, path = "/products/{productId}", tag = "catalog", request_body = ProductRequest,
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 201, body = ProductResponse),
        (status = 400, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn upsert_product(
    state: web::Data<AppState>,
    caller: Caller,
    product_id: ProductId,
    body: Json<ProductRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let draft = body.0.validate()?;
    let now = state.clock.now();
    let (product, outcome) = orderpath_db::write(&state.pool, move |conn| {
        orderpath_orders::upsert_product_and_release(conn, product_id.0, &draft, now)
    })
    .await?;
    let mut response = match outcome {
        Upserted::Created => HttpResponse::Created(),
        Upserted::Updated => HttpResponse::Ok(),
    };
    Ok(response.json(ProductResponse::new(&product, true)))
}

#[utoipa::path(get, path = "/products/{productId}", tag = "catalog",
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_product(
    state: web::Data<AppState>,
    caller: Caller,
    product_id: ProductId,
) -> Result<HttpResponse, ApiError> {
    let product = orderpath_db::read(&state.pool, move |conn| {
        orderpath_catalog::get_product(conn, product_id.0)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ProductResponse::new(
        &product,
        caller.sees_purchase_prices(),
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// Only the product with this SKU.
    pub sku: Option<String>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Products ordered by SKU.
#[utoipa::path(get, path = "/products", tag = "catalog", params(ProductListQuery),
    responses((status = 200, body = PageResponse<ProductResponse>), (status = 400, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_products(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = orderpath_core::page::limit(query.limit)?;
    let page = orderpath_db::read(&state.pool, move |conn| {
        orderpath_catalog::list_products(conn, query.sku.as_deref(), query.cursor.as_deref(), limit)
    })
    .await?;
    let staff = caller.sees_purchase_prices();
    Ok(HttpResponse::Ok().json(PageResponse {
        items: page
            .items
            .iter()
            .map(|p| ProductResponse::new(p, staff))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Set the quantity on hand, as the ERP counts it.
#[utoipa::path(put, path = "/products/{productId}/stock", tag = "catalog", request_body = StockRequest,
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_stock(
    state: web::Data<AppState>,
    caller: Caller,
    product_id: ProductId,
    body: Json<StockRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff()?;
    let available = validate_stock(body.0.available.0)
        .map_err(|m| orderpath_core::Error::field("available", m))?;
    let now = state.clock.now();
    let product = orderpath_db::write(&state.pool, move |conn| {
        orderpath_orders::set_stock_and_release(conn, product_id.0, available, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ProductResponse::new(&product, true)))
}
