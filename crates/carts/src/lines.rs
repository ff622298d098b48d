use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_catalog::Product;
use orderpath_core::quantity::{Quantity, MAX_QUANTITY};
use orderpath_core::{ConflictCode, Error, FieldError, Result};
use orderpath_db::schema::{cart_lines, drum_options};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::cart::{lock_cart, LockedCart};
use crate::load::load_cart;
use crate::merge::merge_target;
use crate::model::{Cart, CartLine, LineFlags};
use crate::rows::LineRow;

/// A line to insert. `parent_index` points at an earlier entry of the same batch.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub product_id: Uuid,
    pub quantity: Quantity,
    pub flags: LineFlags,
    pub parent_index: Option<usize>,
}

/// Adds a product to the cart, merging into a plain line of it when `flags` are the
/// defaults (see the merge rule). Returns the updated cart.
pub fn add_product(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    line: NewLine,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let product = orderpath_catalog::get_products(conn, &[line.product_id])?.pop();
    check_sellable(product.as_ref(), &cart, &line.quantity, "")?;
    let current = load_cart(conn, cart_id, None)?;
    match merge_target(&current.lines, line.product_id, line.flags) {
        Some(target) => {
            let merged = target.quantity.value() + line.quantity.value();
            if merged >= MAX_QUANTITY {
                return Err(Error::field(
                    "quantity.value",
                    format!("the line would hold {merged}, more than the largest quantity allowed"),
                ));
            }
            diesel::update(cart_lines::table.find(target.id))
                .set(cart_lines::quantity.eq(merged))
                .execute(conn)?;
        }
        None => {
            insert_lines(conn, &cart, &[line], now)?;
        }
    }
    cart.finish(conn, now)
}

/// Checks that `product` may be sold on `cart` in `quantity`; `prefix` is the JSON path
/// of the item in the request (empty for a single add).
pub(crate) fn check_sellable(
    product: Option<&Product>,
    cart: &LockedCart,
    quantity: &Quantity,
    prefix: &str,
) -> Result<()> {
    let field = |name: &str| format!("{prefix}{name}");
    let Some(product) = product else {
        return Err(Error::field(field("productId"), "unknown product"));
    };
    let mut errors = Vec::new();
    if !product.active {
        errors.push(FieldError::new(
            field("productId"),
            "the product is not active",
        ));
    }
    if product.currency != cart.currency {
        errors.push(FieldError::new(
            field("productId"),
            format!(
                "the product is priced in {}, the cart in {}",
                product.currency, cart.currency
            ),
        ));
    }
    if product.quantity_type != quantity.kind() {
        errors.push(FieldError::new(
            field("quantity.type"),
            format!("the product is sold as {}", product.quantity_type),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// Inserts a batch of lines at the end of a locked cart, in order, turning each
/// `parent_index` into the parent's new line id. Returns the new ids, in batch order.
pub fn insert_lines(
    conn: &mut PgConnection,
    cart: &LockedCart,
    lines: &[NewLine],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let last_position: Option<i32> = cart_lines::table
        .filter(cart_lines::cart_id.eq(cart.id))
        .select(diesel::dsl::max(cart_lines::position))
        .first(conn)?;
    let first_position = last_position.unwrap_or(0) + 1;
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::new_v4()).collect();
    let rows: Vec<LineRow> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| LineRow {
            id: ids[i],
            cart_id: cart.id,
            product_id: line.product_id,
            parent_line_id: line.parent_index.map(|p| ids[p]),
            quantity_type: line.quantity.kind().to_string(),
            quantity: line.quantity.value(),
            allow_quantity_change: line.flags.allow_quantity_change,
            allow_quantity_splitting: line.flags.allow_quantity_splitting,
            removable: line.flags.removable,
            unit_price_override: None,
            purchase_price_override: None,
            position: first_position + i as i32,
            created_at: now,
        })
        .collect();
    diesel::insert_into(cart_lines::table)
        .values(&rows)
        .execute(conn)?;
    Ok(ids)
}

/// Sets a line's quantity, unless the line says its quantity may not change.
pub fn change_quantity(
    conn: &mut PgConnection,
    cart_id: Uuid,
    line_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    quantity: Quantity,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let line = find_line(conn, cart_id, line_id)?;
    if !line.flags.allow_quantity_change {
        return Err(Error::conflict(
            ConflictCode::QuantityChangeNotAllowed,
            "this line's quantity may not be changed (allowQuantityChange is false)",
        ));
    }
    if line.quantity.kind() != quantity.kind() {
        return Err(Error::field(
            "quantity.type",
            format!("the line is counted as {}", line.quantity.kind()),
        ));
    }
    check_drum_capacity(conn, &line, &quantity)?;
    diesel::update(cart_lines::table.find(line_id))
        .set(cart_lines::quantity.eq(quantity.value()))
        .execute(conn)?;
    cart.finish(conn, now)
}

/// A cable cut may not grow beyond what the drum it is wound on carries.
fn check_drum_capacity(
    conn: &mut PgConnection,
    line: &CartLine,
    quantity: &Quantity,
) -> Result<()> {
    let child_products = cart_lines::table
        .filter(cart_lines::parent_line_id.eq(line.id))
        .select(cart_lines::product_id);
    let capacity: Option<Decimal> = drum_options::table
        .filter(drum_options::cable_product_id.eq(line.product_id))
        .filter(drum_options::drum_product_id.eq_any(child_products))
        .select(drum_options::max_length)
        .order(drum_options::max_length)
        .first(conn)
        .optional()?;
    match capacity {
        Some(max) if quantity.value() > max => Err(Error::field(
            "quantity.value",
            format!("the drum of this cut carries at most {}", max.normalize()),
        )),
        _ => Ok(()),
    }
}

/// Deletes a line, and its child lines with it, unless the line is not removable.
pub fn delete_line(
    conn: &mut PgConnection,
    cart_id: Uuid,
    line_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let line = find_line(conn, cart_id, line_id)?;
    if !line.flags.removable {
        return Err(Error::conflict(
            ConflictCode::LineNotRemovable,
            "this line may not be removed (removable is false)",
        ));
    }
    // Child lines reference their parent ON DELETE CASCADE: they go with it.
    diesel::delete(cart_lines::table.find(line_id)).execute(conn)?;
    cart.finish(conn, now)
}

pub(crate) fn find_line(conn: &mut PgConnection, cart_id: Uuid, line_id: Uuid) -> Result<CartLine> {
    load_cart(conn, cart_id, None)?
        .lines
        .into_iter()
        .find(|l| l.id == line_id)
        .ok_or(Error::not_found("line"))
}
