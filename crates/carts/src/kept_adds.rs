//! Adds of new lines that this process can send as one statement each (it keeps the cart as
//! its last change left it, and the product; see `recent`), sent together: one statement
//! for every such add that is waiting (see `orderpath_db::Batcher`), instead of one each.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Integer, Numeric, Text, Timestamptz, Uuid as SqlUuid,
};
use orderpath_core::StoreError;
use orderpath_db::prepared;
use uuid::Uuid;

use crate::cart::LockedCart;
use crate::line_write::{BumpRow, LineWrite};
use crate::lines::{apply_add, check_sellable, NewLine};
use crate::merge::merge_target;
use crate::model::Cart;
use crate::recent;
use crate::rows::{LineRow, SoldProduct};
use crate::stamp::catalog_shown_sql;

/// An add of a new line computed from the cart and the product this process keeps, to be
/// sent as a statement that applies only while neither changed.
pub struct KeptAdd {
    kept: LockedCart,
    /// The kept cart with the new line in it.
    cart: Cart,
    row: LineRow,
    product: SoldProduct,
    now: DateTime<Utc>,
}

/// The add of `line` to cart `cart_id`, as [`crate::add_product`] would send it without
/// reading anything, when this process keeps the cart and the product, the add makes a new
/// line, and what is kept allows it; none otherwise, and the add goes the way of
/// [`crate::add_product`] (a refusal is decided on what the database holds).
pub fn kept_add(
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    line: &NewLine,
    now: DateTime<Utc>,
) -> Option<KeptAdd> {
    let (kept, mut cart) = LockedCart::kept_any(cart_id, customer_scope, expected_version)?;
    let product = recent::product(line.product_id, kept.catalog());
    let merges = merge_target(&cart.lines, line.product_id, line.flags).is_some();
    let sellable = product
        .as_ref()
        .is_some_and(|p| check_sellable(Some(p), &kept, &line.quantity, "").is_ok());
    let (Some(product), true, false) = (product, sellable, merges) else {
        kept.keep_unchanged(cart);
        return None;
    };
    match apply_add(&mut cart, &kept, line, &product, now) {
        Ok(LineWrite::Insert(row)) => Some(KeptAdd {
            kept,
            cart,
            row,
            product,
            now,
        }),
        // Not a merge (checked above), and a new line cannot fail: the cart is as taken.
        _ => None,
    }
}

/// A bump, and the cart it was of.
#[derive(QueryableByName)]
struct Bump {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(embed)]
    row: BumpRow,
}

/// Sends `adds` as one statement: each line inserted, and its cart's version bumped, only
/// while that cart's row is still the one kept, the catalog's shown version the one kept,
/// and the product may still be sold as kept. Answers each add in order: the cart at its
/// new version, or none when something changed and nothing of it was written (the add is
/// then made as [`crate::add_product`] makes it). A second add of one cart in the same
/// batch is answered none, unwritten: both would be checked against the same row.
pub fn write_kept_adds(
    conn: &mut PgConnection,
    adds: Vec<KeptAdd>,
) -> Result<Vec<Option<Cart>>, StoreError> {
    let mut carts = HashSet::new();
    let sent: Vec<bool> = adds.iter().map(|a| carts.insert(a.kept.id)).collect();
    let written: Vec<&KeptAdd> = adds
        .iter()
        .zip(&sent)
        .filter(|(_, s)| **s)
        .map(|(a, _)| a)
        .collect();
    let bumps: Vec<Bump> = prepared(WRITE_KEPT_ADDS, |q| {
        q.bind::<Array<SqlUuid>, _>(column(&written, |a| a.kept.id))
            .bind::<Array<Timestamptz>, _>(column(&written, |a| a.now))
            .bind::<Array<BigInt>, _>(column(&written, |a| a.kept.seen().version))
            .bind::<Array<BigInt>, _>(column(&written, |a| a.kept.seen().xmin))
            .bind::<Array<BigInt>, _>(column(&written, |a| a.kept.seen().catalog))
            .bind::<Array<SqlUuid>, _>(column(&written, |a| a.product.id))
            .bind::<Array<Text>, _>(column(&written, |a| a.product.currency.clone()))
            .bind::<Array<Text>, _>(column(&written, |a| a.row.quantity_type.clone()))
            .bind::<Array<SqlUuid>, _>(column(&written, |a| a.row.id))
            .bind::<Array<Numeric>, _>(column(&written, |a| a.row.quantity))
            .bind::<Array<Bool>, _>(column(&written, |a| a.row.allow_quantity_change))
            .bind::<Array<Bool>, _>(column(&written, |a| a.row.allow_quantity_splitting))
            .bind::<Array<Bool>, _>(column(&written, |a| a.row.removable))
            .bind::<Array<Integer>, _>(column(&written, |a| a.row.position))
            .bind::<Array<Timestamptz>, _>(column(&written, |a| a.row.created_at))
    })
    .load(conn)
    .map_err(StoreError::from_error)?;
    Ok(adds
        .into_iter()
        .zip(sent)
        .map(|(add, sent)| {
            let bump = bumps.iter().find(|b| sent && b.id == add.kept.id)?;
            Some(add.kept.finished(add.cart, bump.row.bumped()))
        })
        .collect())
}

/// One column of the statement's rows: `f` of each add sent.
fn column<T>(adds: &[&KeptAdd], f: fn(&KeptAdd) -> T) -> Vec<T> {
    adds.iter().map(|a| f(a)).collect()
}

/// `$1`–`$5`: each cart, the time, and its row as kept (version, `xmin`) at the catalog's
/// shown version; `$6`–`$8`: the product, its currency and quantity type as kept; `$9`–
/// `$15`: the new line.
const WRITE_KEPT_ADDS: &str = concat!(
    "WITH asked AS (
    SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int8[], $4::int8[], $5::int8[],
                         $6::uuid[], $7::text[], $8::text[], $9::uuid[], $10::numeric[],
                         $11::bool[], $12::bool[], $13::bool[], $14::int4[], $15::timestamptz[])
        AS a(cart_id, at, version, xmin, catalog, product_id, currency, quantity_type, line_id,
             quantity, allow_quantity_change, allow_quantity_splitting, removable, position,
             created_at)
), shown AS (SELECT ",
    catalog_shown_sql!(),
    " AS catalog
), bump AS (
    UPDATE carts c SET version = c.version + 1, updated_at = a.at
    FROM asked a, shown s
    WHERE c.id = a.cart_id AND c.version = a.version AND c.xmin::text::bigint = a.xmin
      AND s.catalog = a.catalog
      AND EXISTS (SELECT FROM products p WHERE p.id = a.product_id AND p.active
                    AND p.currency = a.currency AND p.quantity_type = a.quantity_type)
    RETURNING c.id, c.version, c.updated_at, c.xmin::text::bigint AS xmin
), line AS (
    INSERT INTO cart_lines (id, cart_id, product_id, quantity_type, quantity,
        allow_quantity_change, allow_quantity_splitting, removable, position, created_at)
    SELECT a.line_id, a.cart_id, a.product_id, a.quantity_type, a.quantity,
        a.allow_quantity_change, a.allow_quantity_splitting, a.removable, a.position, a.created_at
    FROM asked a JOIN bump b ON b.id = a.cart_id
)
SELECT id, version, updated_at, xmin FROM bump"
);
