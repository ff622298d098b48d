//! What decides how a cart reads, cheap enough to check on every read before serving a
//! rendering made earlier: the cart's own version, and what carts show of the catalog.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use orderpath_core::{Error, Result};
use orderpath_db::prepared;
use uuid::Uuid;

/// A cart's rendering is current exactly while its stamp is. The cart's `version` covers
/// its own rows (lines, quantities, flags, overrides, status); `catalog` is the catalog's
/// shown version, which rises in the same transaction as any change to a product's SKU,
/// name, unit, prices or VAT rate (migration 000019, `catalog_shown`). It is one number
/// for the whole catalog, so that reading it costs the same for any cart.
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

/// The catalog's shown version: the sum of the 16 rows of `catalog_shown`.
macro_rules! catalog_shown_sql {
    () => {
        "(SELECT sum(version) FROM catalog_shown)::BIGINT"
    };
}
pub(crate) use catalog_shown_sql;

/// The stamp of cart `id`, in one statement; another customer's cart is not found under
/// `customer_scope`.
pub fn cart_stamp(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<CartStamp> {
    let row: StampRow = prepared(
        concat!(
            "SELECT c.customer_id, c.version, ",
            catalog_shown_sql!(),
            " AS catalog FROM carts c WHERE c.id = $1"
        ),
        |q| q.bind::<SqlUuid, _>(id),
    )
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
