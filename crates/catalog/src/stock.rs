use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::{Error, Result};
use orderpath_db::schema::products;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{get_product, Product};

/// Sets the quantity on hand as the ERP counted it. `available` is validated at the edge
/// (≥ 0, at most 3 decimals).
pub fn set_stock(
    conn: &mut PgConnection,
    id: Uuid,
    available: Decimal,
    now: DateTime<Utc>,
) -> Result<Product> {
    let updated = diesel::update(products::table.find(id))
        .set((products::stock.eq(available), products::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        return Err(Error::not_found("product"));
    }
    get_product(conn, id)
}
