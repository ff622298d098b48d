//! Products and their stock.

pub mod bodies;

use actix_web::{get, put, HttpResponse};
use orderpath_catalog::Upserted;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::body::Json;
use crate::api::call::{Answer, Call, Staff};
use crate::api::error::Problem;
use crate::api::ids::ProductId;
use crate::routes::common::{Listing, PageQuery, PageResponse};
use bodies::{validate_stock, ProductListQuery, ProductRequest, ProductResponse, StockRequest};

/// Registers every route below `/products`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_products)
        .service(upsert_product)
        .service(get_product)
        .service(set_stock);
}

/// Create or replace a product (ERP push). 201 when created, 200 when replaced.
#[utoipa::path(tag = "catalog", request_body = ProductRequest,
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 201, body = ProductResponse),
        (status = 400, body = Problem), (status = 422, body = Problem)))]
#[put("/products/{productId}")]
pub async fn upsert_product(
    call: Staff,
    product_id: ProductId,
    body: Json<ProductRequest>,
) -> Answer {
    let draft = body.0.validate()?;
    let now = call.now();
    let (product, outcome) = call
        .write(move |conn| {
            orderpath_orders::upsert_product_and_release(conn, product_id.0, &draft, now)
        })
        .await?;
    let mut response = match outcome {
        Upserted::Created => HttpResponse::Created(),
        Upserted::Updated => HttpResponse::Ok(),
    };
    Ok(response.json(ProductResponse::new(&product, true)))
}

#[utoipa::path(tag = "catalog",
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 404, body = Problem)))]
#[get("/products/{productId}")]
pub async fn get_product(call: Call, product_id: ProductId) -> Answer {
    let product = call
        .read(move |conn| orderpath_catalog::get_product(conn, product_id.0))
        .await?;
    Ok(HttpResponse::Ok().json(ProductResponse::new(&product, call.staff())))
}

/// Products ordered by SKU; `search` finds a part of the SKU or the name, in any letter
/// case.
#[utoipa::path(tag = "catalog", params(ProductListQuery, PageQuery),
    responses((status = 200, body = PageResponse<ProductResponse>), (status = 400, body = Problem)))]
#[get("/products")]
pub async fn list_products(call: Call, Listing(query, page): Listing<ProductListQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let filter = query.filter();
    let products = call
        .read(move |conn| {
            orderpath_catalog::list_products(conn, &filter, page.cursor.as_deref(), limit)
        })
        .await?;
    let body = PageResponse::shown(products, call.staff(), ProductResponse::new);
    Ok(HttpResponse::Ok().json(body))
}

/// Set the quantity on hand, as the ERP counts it.
#[utoipa::path(tag = "catalog", request_body = StockRequest,
    params(("productId" = uuid::Uuid, Path)),
    responses((status = 200, body = ProductResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/products/{productId}/stock")]
pub async fn set_stock(call: Staff, product_id: ProductId, body: Json<StockRequest>) -> Answer {
    let available = validate_stock(body.0.available.0)
        .map_err(|m| orderpath_core::Error::field("available", m))?;
    let now = call.now();
    let product = call
        .write(move |conn| {
            orderpath_orders::set_stock_and_release(conn, product_id.0, available, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProductResponse::new(&product, true)))
}
