//! What decides how a cart reads, cheap enough to check on every read before serving a
//! rendering made earlier: the cart's own version, and what its lines show of the catalog.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use orderpath_core::{Error, Result};
use uuid::Uuid;

/// A cart's rendering is current exactly while its stamp is. The cart's `version` covers
/// its own rows (lines, quantities, flags, overrides, status); `catalog` is the sum of
/// its lines' products' `shown_version`, which rises whenever a product's SKU, name,
/// unit, prices or VAT rate change. At one cart version the lines are fixed and each
/// product's `shown_version` only rises, so the sum moves whenever anything the lines
/// show of the catalog does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CartStamp {
    pub version: i64,
    pub catalog: i64,
}

#[derive(QueryableByName)]
struct StampRow {
    #[diesel(sql_type = SqlUuid)]
    customer_id: Uuid,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = BigInt)]
    catalog: i64,
}

/// The stamp of cart `id`, in one statement over its lines' index entries and products;
/// another customer's cart is not found under `customer_scope`.
pub fn cart_stamp(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<CartStamp> {
    let row: StampRow = diesel::sql_query(
        "SELECT c.customer_id, c.version, COALESCE(SUM(p.shown_version), 0)::BIGINT AS catalog \
         FROM carts c \
         LEFT JOIN cart_lines l ON l.cart_id = c.id \
         LEFT JOIN products p ON p.id = l.product_id \
         WHERE c.id = $1 \
         GROUP BY c.id",
    )
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .optional()?
    .ok_or(Error::not_found("cart"))?;
    if customer_scope.is_some_and(|c| c != row.customer_id) {
        return Err(Error::not_found("cart"));
    }
    Ok(CartStamp {
        version: row.version,
        catalog: row.catalog,
    })
}
