//! Reading a whole cart in one SQL statement, whatever its number of lines: the statement
//! is consistent on its own (version and lines always agree) and costs one round trip.

use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orderpath_core::{Error, Result};
use orderpath_db::kept;
use orderpath_db::schema::{cart_lines, carts, products};
use orderpath_lines::{document_and_lines, document_totals, LineRecord};
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
    type Row = (CartRow, i64, Option<LineRow>, Option<LineProduct>);
    let query = carts::table
        .left_join(cart_lines::table.inner_join(products::table))
        .filter(carts::id.eq(id))
        .select((
            CartRow::as_select(),
            dsl::sql::<BigInt>(catalog_shown_sql!()),
            Option::<LineRow>::as_select(),
            Option::<LineProduct>::as_select(),
        ))
        .order((cart_lines::position, cart_lines::created_at));
    let rows: Vec<Row> = kept(query).load(conn)?;
    let catalog = rows.first().map(|row| row.1);
    let rows = rows
        .into_iter()
        .map(|(cart, _, line, product)| (cart, line.zip(product).map(line_record)))
        .collect();
    let (cart, lines) = document_and_lines(rows)
        .filter(|(cart, _)| customer_scope.is_none_or(|c| c == cart.customer_id))
        .ok_or(Error::not_found("cart"))?;
    let mut cart = assemble(cart, lines);
    cart.stamp = catalog.map(|catalog| CartStamp {
        version: cart.version,
        catalog,
    });
    Ok(cart)
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
