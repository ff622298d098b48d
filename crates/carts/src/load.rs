//! Reading a whole cart in one SQL statement, whatever its number of lines: the statement
//! is consistent on its own (version and lines always agree) and costs one round trip.

use chrono::{DateTime, Utc};
use diesel::connection::DefaultLoadingMode;
use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::{
    BigInt, Bool, Integer, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid,
};
use orderpath_core::{Error, Result};
use orderpath_db::kept;
use orderpath_db::numeric::{ExactDecimal, OptionalDecimal};
use orderpath_lines::{document_totals, LineRecord};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::{Cart, CartLine, CartStatus, Source};
use crate::rows::{CartRow, LineProduct, LineRow};
use crate::stamp::{catalog_shown_sql, CartStamp};

/// Loads cart `id` in one statement, with its stamp (`Cart::stamp`): the catalog's shown
/// version is read in the same statement, so it is exactly the catalog the lines show.
/// With `customer_scope`, a cart of another customer is not found.
pub(crate) fn load_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<Cart> {
    // The statement's text, typed: its rows are decoded by position, not by name.
    let statement = diesel::select(
        dsl::sql::<LoadedRow>(LOAD_CART[0])
            .bind::<SqlUuid, _>(id)
            .sql(LOAD_CART[1])
            .bind::<SqlUuid, _>(id)
            .sql(LOAD_CART[2]),
    );
    // Rows decoded as they are read, not gathered first: each is a few hundred bytes,
    // which a list of them would copy twice.
    let mut rows = kept(statement).load_iter::<CartReadRow, DefaultLoadingMode>(conn)?;
    let (cart, catalog) = match rows.next().transpose()? {
        Some((Some(cart), Some(catalog), ..)) => (cart, catalog),
        _ => return Err(Error::not_found("cart")),
    };
    if customer_scope.is_some_and(|c| c != cart.customer_id) {
        return Err(Error::not_found("cart"));
    }
    let mut lines = Vec::with_capacity(rows.size_hint().0);
    for row in rows {
        if let (_, _, Some(line), Some(product)) = row? {
            lines.push(line_record((line.into(), product)).into_line());
        }
    }
    let mut cart = assemble(cart, lines);
    cart.stamp = Some(CartStamp {
        version: cart.version,
        catalog,
    });
    Ok(cart)
}

/// The statement after `SELECT`, in three parts around the cart's id, bound twice: the
/// cart's own row first, with the catalog's shown version, then one row per line with its
/// product's shown facts, in the lines' order. The cart's columns come once, not on every
/// line: a 50-line cart read with a join sent, and decoded, its nine columns fifty times
/// (docs/benchmarks.md, Numbers read without allocating).
const LOAD_CART: [&str; 3] = [
    concat!(
        "c.id, c.customer_id, c.status, c.currency, c.source, c.version, c.created_at,
       c.updated_at, ",
        catalog_shown_sql!(),
        " AS catalog, NULL::uuid AS line_id, NULL::uuid AS product_id,
       NULL::uuid AS parent_line_id, NULL AS quantity_type, NULL::numeric AS quantity,
       NULL::bool AS allow_quantity_change, NULL::bool AS allow_quantity_splitting,
       NULL::bool AS removable, NULL::numeric AS unit_price_override,
       NULL::numeric AS purchase_price_override, NULL::int4 AS position,
       NULL::timestamptz AS line_created_at, NULL AS sku, NULL AS name, NULL AS unit,
       NULL::numeric AS net_price, NULL::numeric AS purchase_price, NULL::numeric AS vat_rate
FROM carts c WHERE c.id = "
    ),
    "
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, l.id, l.product_id,
       l.parent_line_id, l.quantity_type, l.quantity, l.allow_quantity_change,
       l.allow_quantity_splitting, l.removable, l.unit_price_override,
       l.purchase_price_override, l.position, l.created_at, p.sku, p.name, p.unit,
       p.net_price, p.purchase_price, p.vat_rate
FROM cart_lines l JOIN products p ON p.id = l.product_id WHERE l.cart_id = ",
    "
ORDER BY position NULLS FIRST, line_created_at NULLS FIRST",
];

/// A row of [`LOAD_CART`]: the cart's own with the catalog's shown version, or a line's
/// with its product's.
type CartReadRow = (
    Option<CartRow>,
    Option<i64>,
    Option<ReadLine>,
    Option<LineProduct>,
);

/// The SQL types of [`CartReadRow`], in the statement's column order.
type LoadedRow = (
    Nullable<(
        SqlUuid,
        SqlUuid,
        Text,
        Text,
        Text,
        BigInt,
        Timestamptz,
        Timestamptz,
    )>,
    Nullable<BigInt>,
    Nullable<(
        SqlUuid,
        SqlUuid,
        Nullable<SqlUuid>,
        Text,
        Numeric,
        Bool,
        Bool,
        Bool,
        Nullable<Numeric>,
        Nullable<Numeric>,
        Integer,
        Timestamptz,
    )>,
    Nullable<(Text, Text, Text, Numeric, Numeric, Numeric)>,
);

/// A line's own values as [`LOAD_CART`] reads them.
#[derive(Queryable)]
struct ReadLine {
    line_id: Uuid,
    product_id: Uuid,
    parent_line_id: Option<Uuid>,
    quantity_type: String,
    #[diesel(deserialize_as = ExactDecimal)]
    quantity: Decimal,
    allow_quantity_change: bool,
    allow_quantity_splitting: bool,
    removable: bool,
    #[diesel(deserialize_as = OptionalDecimal)]
    unit_price_override: Option<Decimal>,
    #[diesel(deserialize_as = OptionalDecimal)]
    purchase_price_override: Option<Decimal>,
    position: i32,
    line_created_at: DateTime<Utc>,
}

impl From<ReadLine> for LineRow {
    fn from(line: ReadLine) -> LineRow {
        LineRow {
            id: line.line_id,
            // Not read: a loaded cart's lines are its own.
            cart_id: Uuid::nil(),
            product_id: line.product_id,
            parent_line_id: line.parent_line_id,
            quantity_type: line.quantity_type,
            quantity: line.quantity,
            allow_quantity_change: line.allow_quantity_change,
            allow_quantity_splitting: line.allow_quantity_splitting,
            removable: line.removable,
            unit_price_override: line.unit_price_override,
            purchase_price_override: line.purchase_price_override,
            position: line.position,
            created_at: line.line_created_at,
        }
    }
}

/// Loads cart `id` with the stamp a rendering of it may be kept under, in one statement
/// (see [`load_cart`]). With `customer_scope`, a cart of another customer is not found.
pub fn get_stamped_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<(Cart, CartStamp)> {
    let cart = load_cart(conn, id, customer_scope)?;
    let stamp = cart.stamp.ok_or(Error::not_found("cart"))?;
    Ok((cart, stamp))
}

pub(crate) fn assemble(cart: CartRow, lines: Vec<CartLine>) -> Cart {
    let totals = document_totals(&lines);
    Cart {
        id: cart.id,
        customer_id: cart.customer_id,
        // The table's CHECK constraints admit only the names these parse.
        status: cart.status.parse().unwrap_or(CartStatus::Open),
        currency: cart.currency,
        source: cart.source.parse().unwrap_or(Source::Backoffice),
        version: cart.version,
        created_at: cart.created_at,
        updated_at: cart.updated_at,
        lines: lines.into(),
        totals,
        stamp: None,
    }
}

/// A cart line's values: its own row, priced from the catalog unless overridden.
pub(crate) fn line_record((line, product): (LineRow, LineProduct)) -> LineRecord {
    LineRecord {
        id: line.id,
        product_id: line.product_id,
        parent_line_id: line.parent_line_id,
        sku: product.sku,
        name: product.name,
        unit: product.unit,
        quantity_type: line.quantity_type,
        quantity: line.quantity,
        allow_quantity_change: line.allow_quantity_change,
        allow_quantity_splitting: line.allow_quantity_splitting,
        removable: line.removable,
        unit_price: line.unit_price_override.unwrap_or(product.net_price),
        catalog_unit_price: product.net_price,
        unit_price_overridden: line.unit_price_override.is_some(),
        purchase_price: line
            .purchase_price_override
            .unwrap_or(product.purchase_price),
        catalog_purchase_price: product.purchase_price,
        purchase_price_overridden: line.purchase_price_override.is_some(),
        vat_rate: product.vat_rate,
        position: line.position,
    }
}
