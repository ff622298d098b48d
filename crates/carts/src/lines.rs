use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::quantity::{Quantity, MAX_QUANTITY};
use orderpath_core::{ConflictCode, Error, FieldError, Result};
use orderpath_db::in_transaction;
use orderpath_db::schema::{cart_lines, drum_options, products};
use orderpath_db::together::together;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::cart::{lock_cart, peek_cart_selling, LockedCart};
use crate::line_write::LineWrite;
use crate::load::line_record;
use crate::merge::merge_target;
use crate::model::{Cart, CartLine, LineFlags};
use crate::recent;
use crate::rows::{LineRow, SoldProduct};

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
///
/// When this process made the cart's last change, it still holds the cart (see `recent`):
/// the add is then computed from it and sent as one statement that applies only if the
/// cart's row is still the one that change wrote, without a transaction or a lock. With the
/// product kept too (read by an earlier add at the same catalog), that statement is all the
/// add costs; else the cart's row and the product are read first, in one statement.
/// Otherwise, or when another change came first, the cart is locked and read, and the add
/// sent after it; run outside a transaction, that opens one of its own.
pub fn add_product(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    line: NewLine,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let add = Add {
        cart_id,
        customer_scope,
        expected_version,
        line: &line,
        now,
    };
    match add.to_kept(conn)? {
        Ok(cart) => return Ok(cart),
        Err(Missed::Changed) => {}
        Err(Missed::NotKept) => {
            if let Some(cart) = add.to_peeked(conn)? {
                return Ok(cart);
            }
        }
    }
    in_transaction(conn, |conn| add.locked(conn))
}

/// An add of `line` to cart `cart_id`, as the caller asked for it.
struct Add<'a> {
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    line: &'a NewLine,
    now: DateTime<Utc>,
}

/// Why an add to the cart and product this process kept was not made.
enum Missed {
    /// The kept cart or product is no longer current: the add must lock the cart.
    Changed,
    /// Not both kept, or the kept ones would refuse the add, which may be out of date.
    NotKept,
}

impl Add<'_> {
    /// The add as one statement, when this process keeps the cart (as its last change left
    /// it) and the product (read at the same catalog): it applies only while neither
    /// changed. Nothing kept answers the add with an error: a refusal is decided on what
    /// the database holds.
    fn to_kept(&self, conn: &mut PgConnection) -> Result<std::result::Result<Cart, Missed>> {
        let (line, now) = (self.line, self.now);
        let Some((kept, mut cart)) =
            LockedCart::kept_any(self.cart_id, self.customer_scope, self.expected_version)
        else {
            return Ok(Err(Missed::NotKept));
        };
        let Some(product) = recent::product(line.product_id, kept.catalog()) else {
            kept.keep_unchanged(cart);
            return Ok(Err(Missed::NotKept));
        };
        let write = match check_sellable(Some(&product), &kept, &line.quantity, "")
            .and_then(|product| apply_add(&mut cart, &kept, line, product, now))
        {
            Ok(write) => write,
            // Neither check changes the cart when it fails.
            Err(_) => {
                kept.keep_unchanged(cart);
                return Ok(Err(Missed::NotKept));
            }
        };
        let added = kept.finish_unless_changed(conn, &write, &product, cart, now)?;
        Ok(added.ok_or(Missed::Changed))
    }

    /// The add sent after reading the cart's row and the product in one statement, as one
    /// statement that applies only while neither changed, when this process keeps the cart
    /// as that row shows it; none when it does not, or something changed first.
    fn to_peeked(&self, conn: &mut PgConnection) -> Result<Option<Cart>> {
        let line = self.line;
        let (peeked, product) = peek_cart_selling(
            conn,
            self.cart_id,
            self.customer_scope,
            self.expected_version,
            line.product_id,
        )?;
        if let Some(product) = &product {
            recent::keep_product(line.product_id, peeked.catalog(), product);
        }
        let Some(mut cart) = peeked.kept() else {
            return Ok(None);
        };
        let product = check_sellable(product.as_ref(), &peeked, &line.quantity, "")?;
        let write = apply_add(&mut cart, &peeked, line, product, self.now)?;
        peeked.finish_unless_changed(conn, &write, product, cart, self.now)
    }

    /// The add under the cart's lock, the cart read (or the kept one, when current).
    fn locked(&self, conn: &mut PgConnection) -> Result<Cart> {
        let line = self.line;
        let locked = lock_cart(
            conn,
            self.cart_id,
            self.customer_scope,
            self.expected_version,
        )?;
        let product = sold_product(conn, line.product_id)?;
        if let Some(product) = &product {
            recent::keep_product(line.product_id, locked.catalog(), product);
        }
        let product = check_sellable(product.as_ref(), &locked, &line.quantity, "")?;
        let mut cart = locked.read(conn)?;
        let write = apply_add(&mut cart, &locked, line, product, self.now)?;
        locked.finish_with(conn, write.locked(), cart, self.now)
    }
}

/// Applies the add of `line` (of `product`) to `cart`, read at the version `locked` saw,
/// and returns the line's write.
pub(crate) fn apply_add(
    cart: &mut Cart,
    locked: &LockedCart,
    line: &NewLine,
    product: &SoldProduct,
    now: DateTime<Utc>,
) -> Result<LineWrite> {
    let target = merge_target(&cart.lines, line.product_id, line.flags).map(|t| t.id);
    match target.and_then(|id| cart.lines.iter().position(|l| l.id == id)) {
        Some(index) => {
            let target = &cart.lines[index];
            let merged = target.quantity.value() + line.quantity.value();
            if merged >= MAX_QUANTITY {
                return Err(Error::field(
                    "quantity.value",
                    format!("the line would hold {merged}, more than the largest quantity allowed"),
                ));
            }
            let quantity = Quantity::new(target.quantity.kind(), merged)
                .map_err(|message| Error::field("quantity.value", message))?;
            let line_id = target.id;
            cart.lines_mut()[index] = target.clone().with_quantity(quantity);
            Ok(LineWrite::Quantity {
                line_id,
                quantity: merged,
            })
        }
        None => {
            let last_position = cart.lines.iter().map(|l| l.position).max();
            let row = new_row(locked, line, Uuid::new_v4(), None, last_position, 0, now);
            cart.lines_mut()
                .push(line_record((row.clone(), product.shown.clone())).into_line());
            Ok(LineWrite::Insert(row))
        }
    }
}

/// Product `id` as an add reads it, or none when there is no such product.
fn sold_product(conn: &mut PgConnection, id: Uuid) -> Result<Option<SoldProduct>> {
    Ok(products::table
        .find(id)
        .select(SoldProduct::as_select())
        .first(conn)
        .optional()?)
}

/// The row of `line`, the `offset`-th new line after the cart's last position.
fn new_row(
    cart: &LockedCart,
    line: &NewLine,
    id: Uuid,
    parent_line_id: Option<Uuid>,
    last_position: Option<i32>,
    offset: usize,
    now: DateTime<Utc>,
) -> LineRow {
    LineRow {
        id,
        cart_id: cart.id,
        product_id: line.product_id,
        parent_line_id,
        quantity_type: line.quantity.kind().to_string(),
        quantity: line.quantity.value(),
        allow_quantity_change: line.flags.allow_quantity_change,
        allow_quantity_splitting: line.flags.allow_quantity_splitting,
        removable: line.flags.removable,
        unit_price_override: None,
        purchase_price_override: None,
        position: last_position.unwrap_or(0) + 1 + offset as i32,
        created_at: now,
    }
}

/// Checks that `product` may be sold on `cart` in `quantity`; `prefix` is the JSON path
/// of the item in the request (empty for a single add).
pub(crate) fn check_sellable<'p>(
    product: Option<&'p SoldProduct>,
    cart: &LockedCart,
    quantity: &Quantity,
    prefix: &str,
) -> Result<&'p SoldProduct> {
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
    if product.quantity_type != quantity.kind().to_string() {
        errors.push(FieldError::new(
            field("quantity.type"),
            format!("the product is sold as {}", product.quantity_type),
        ));
    }
    if errors.is_empty() {
        Ok(product)
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
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::new_v4()).collect();
    let rows: Vec<LineRow> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let parent = line.parent_index.map(|p| ids[p]);
            new_row(cart, line, ids[i], parent, last_position, i, now)
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
    let locked = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let (mut cart, index) = read_with_line(conn, &locked, line_id)?;
    let line = &cart.lines[index];
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
    check_drum_capacity(conn, line, &quantity)?;
    let change = diesel::update(cart_lines::table.find(line_id))
        .set(cart_lines::quantity.eq(quantity.value()));
    cart.lines_mut()[index] = line.clone().with_quantity(quantity);
    locked.finish_with(conn, together(change), cart, now)
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
    let locked = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let (mut cart, index) = read_with_line(conn, &locked, line_id)?;
    if !cart.lines[index].flags.removable {
        return Err(Error::conflict(
            ConflictCode::LineNotRemovable,
            "this line may not be removed (removable is false)",
        ));
    }
    // Child lines reference their parent ON DELETE CASCADE: they go with it.
    let change = diesel::delete(cart_lines::table.find(line_id));
    let mut removed = vec![line_id];
    while let Some(child) = cart.lines.iter().find(|l| {
        l.parent_line_id.is_some_and(|p| removed.contains(&p)) && !removed.contains(&l.id)
    }) {
        removed.push(child.id);
    }
    cart.lines_mut().retain(|l| !removed.contains(&l.id));
    locked.finish_with(conn, together(change), cart, now)
}

/// Reads the locked cart with line `line_id` of it, found at the index returned.
fn read_with_line(
    conn: &mut PgConnection,
    locked: &LockedCart,
    line_id: Uuid,
) -> Result<(Cart, usize)> {
    let cart = locked.read(conn)?;
    let index = cart
        .lines
        .iter()
        .position(|l| l.id == line_id)
        .ok_or(Error::not_found("line"))?;
    Ok((cart, index))
}
