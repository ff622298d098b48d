//! Catalog changes that may raise free stock, with the release they cause: the ERP's new
//! count of a product, or a product pushed whole. Both lock the product and the waiting
//! lines its release may move (see [`crate::stock`]) before the product row changes, and
//! release what the new stock covers in the same transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use orderpath_catalog::{Product, ProductDraft, Upserted};
use orderpath_core::Result;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::release::release_waiting;
use crate::stock::lock_component;

/// Sets the quantity on hand of product `id` as the ERP counted it and releases waiting
/// shipments it now covers, oldest order first. Returns the product as it now is
/// (reservations included). Runs in one transaction (the caller's, when it is in one).
pub fn set_stock_and_release(
    conn: &mut PgConnection,
    id: Uuid,
    available: Decimal,
    now: DateTime<Utc>,
) -> Result<Product> {
    orderpath_db::in_transaction(conn, |conn| {
        let component = lock_component(conn, |_| Ok(BTreeSet::from([id])))?;
        orderpath_catalog::set_stock(conn, id, available, now)?;
        release_waiting(conn, &component, now)?;
        orderpath_catalog::get_product(conn, id)
    })
}

/// Creates or replaces product `id` and releases waiting shipments its stock now covers.
/// Returns the product as the upsert left it (before the release), and whether it was
/// created. Runs in one transaction (the caller's, when it is in one).
pub fn upsert_product_and_release(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &ProductDraft,
    now: DateTime<Utc>,
) -> Result<(Product, Upserted)> {
    orderpath_db::in_transaction(conn, |conn| {
        let component = lock_component(conn, |_| Ok(BTreeSet::from([id])))?;
        let upserted = orderpath_catalog::upsert_product(conn, id, draft, now)?;
        release_waiting(conn, &component, now)?;
        Ok(upserted)
    })
}
