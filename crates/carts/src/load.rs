//! Reading a whole cart in one SQL statement, whatever its number of lines: the statement
//! is consistent on its own (version and lines always agree) and costs one round trip.

use diesel::prelude::*;
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_core::{Error, Result};
use orderpath_db::schema::{cart_lines, carts, products};
use orderpath_pricing::{DocumentTotals, LineInput, LineTotals};
use uuid::Uuid;

use crate::model::{Cart, CartLine, CartStatus, LineFlags, Source};
use crate::rows::{CartRow, LineProduct, LineRow};

/// Loads cart `id`. With `customer_scope`, a cart of another customer is not found.
pub(crate) fn load_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<Cart> {
    let rows: Vec<(CartRow, Option<LineRow>, Option<LineProduct>)> = carts::table
        .left_join(cart_lines::table.inner_join(products::table))
        .filter(carts::id.eq(id))
        .select((
            CartRow::as_select(),
            Option::<LineRow>::as_select(),
            Option::<LineProduct>::as_select(),
        ))
        .order((cart_lines::position, cart_lines::created_at))
        .load(conn)?;
    let Some((cart, _, _)) = rows.first() else {
        return Err(Error::not_found("cart"));
    };
    if customer_scope.is_some_and(|c| c != cart.customer_id) {
        return Err(Error::not_found("cart"));
    }
    let cart = cart.clone();
    let lines: Vec<CartLine> = rows
        .into_iter()
        .filter_map(|(_, line, product)| Some(line_from_rows(line?, product?)))
        .collect();
    Ok(assemble(cart, lines))
}

pub(crate) fn assemble(cart: CartRow, lines: Vec<CartLine>) -> Cart {
    let totals = DocumentTotals::sum(lines.iter().map(|l| &l.totals));
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
        lines,
        totals,
    }
}

fn line_from_rows(line: LineRow, product: LineProduct) -> CartLine {
    let kind = line.quantity_type.parse().unwrap_or(QuantityType::Unit);
    // Stored quantities passed validation on the way in; the fallback is unreachable.
    let quantity = Quantity::new(kind, line.quantity)
        .unwrap_or_else(|_| Quantity::new(kind, rust_decimal::Decimal::ONE).expect("one"));
    let unit_price = line.unit_price_override.unwrap_or(product.net_price);
    let purchase_price = line
        .purchase_price_override
        .unwrap_or(product.purchase_price);
    let totals = LineTotals::compute(&LineInput {
        unit_price,
        purchase_price,
        quantity: quantity.value(),
        vat_rate: product.vat_rate,
    });
    CartLine {
        id: line.id,
        product_id: line.product_id,
        sku: product.sku,
        name: product.name,
        unit: product.unit,
        quantity,
        parent_line_id: line.parent_line_id,
        flags: LineFlags {
            allow_quantity_change: line.allow_quantity_change,
            allow_quantity_splitting: line.allow_quantity_splitting,
            removable: line.removable,
        },
        unit_price: unit_price.normalize(),
        catalog_unit_price: product.net_price.normalize(),
        unit_price_overridden: line.unit_price_override.is_some(),
        purchase_price: purchase_price.normalize(),
        catalog_purchase_price: product.purchase_price.normalize(),
        purchase_price_overridden: line.purchase_price_override.is_some(),
        vat_rate: product.vat_rate.normalize(),
        totals,
        position: line.position,
    }
}
