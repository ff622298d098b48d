//! Merchants' price edits on single cart lines. An override belongs to its line alone:
//! other lines, even of the same product, keep their price, and the override survives
//! quantity changes, re-reads and catalog changes until it is restored.

use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::cart_lines;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::cart::lock_cart;
use crate::lines::find_line;
use crate::model::Cart;
use crate::price_audit::{record_edits, record_restore, EditContext, PricedDocument};

/// New prices for a line; `None` leaves that price as it is. Validated at the edge
/// (≥ 0, at most 4 decimals, below the price ceiling, at least one given).
#[derive(Debug, Clone, Copy, Default)]
pub struct PriceChange {
    pub unit_price: Option<Decimal>,
    pub purchase_price: Option<Decimal>,
}

/// Overrides the sale and/or purchase price of one cart line, recording each change.
pub fn edit_cart_line_price(
    conn: &mut PgConnection,
    cart_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    change: PriceChange,
    context: &EditContext,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, None, expected_version)?;
    let line = find_line(conn, cart_id, line_id)?;
    record_edits(
        conn,
        (PricedDocument::Cart, cart_id),
        &line,
        &change,
        context,
    )?;
    if let Some(price) = change.unit_price {
        diesel::update(cart_lines::table.find(line_id))
            .set(cart_lines::unit_price_override.eq(price))
            .execute(conn)?;
    }
    if let Some(price) = change.purchase_price {
        diesel::update(cart_lines::table.find(line_id))
            .set(cart_lines::purchase_price_override.eq(price))
            .execute(conn)?;
    }
    cart.finish(conn, context.at)
}

/// Drops a line's overrides so it follows the catalog again, recording each restore.
/// A line without overrides is left alone, and the cart's version stays.
pub fn restore_cart_line_price(
    conn: &mut PgConnection,
    cart_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    context: &EditContext,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, None, expected_version)?;
    let line = find_line(conn, cart_id, line_id)?;
    if !line.unit_price_overridden && !line.purchase_price_overridden {
        return crate::get_cart(conn, cart_id, None);
    }
    record_restore(conn, (PricedDocument::Cart, cart_id), &line, context)?;
    diesel::update(cart_lines::table.find(line_id))
        .set((
            cart_lines::unit_price_override.eq(None::<Decimal>),
            cart_lines::purchase_price_override.eq(None::<Decimal>),
        ))
        .execute(conn)?;
    cart.finish(conn, context.at)
}
