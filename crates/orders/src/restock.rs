//! Catalog changes that may raise free stock, with the release they cause: the ERP's new
//! count of a product, or a product pushed whole. Both run under the stock lock, taken
//! before any product row lock as every reservation change takes it, and release what
//! the new stock covers in the same transaction.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use orderpath_catalog::{Product, ProductDraft, Upserted};
use orderpath_core::Result;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::release::release_waiting;
use crate::stock::lock_stock;

/// Sets the quantity on hand of product `id` as the ERP counted it and releases waiting
/// shipments it now covers, oldest order first. Returns the product as it now is
/// (reservations included). Run it in one transaction.
pub fn set_stock_and_release(
    conn: &mut PgConnection,
    id: Uuid,
    available: Decimal,
    now: DateTime<Utc>,
) -> Result<Product> {
    lock_stock(conn)?;
    orderpath_catalog::set_stock(conn, id, available, now)?;
    release_waiting(conn, now)?;
    orderpath_catalog::get_product(conn, id)
}

/// Creates or replaces product `id` and releases waiting shipments its stock now covers.
/// Returns the product as the upsert left it (before the release), and whether it was
/// created. Run it in one transaction.
pub fn upsert_product_and_release(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &ProductDraft,
    now: DateTime<Utc>,
) -> Result<(Product, Upserted)> {
    lock_stock(conn)?;
    let upserted = orderpath_catalog::upsert_product(conn, id, draft, now)?;
    release_waiting(conn, now)?;
    Ok(upserted)
}
