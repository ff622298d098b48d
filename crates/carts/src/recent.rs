//! Carts as this process's last change of each left them, so that the next change of the
//! same cart (the backoffice adding line after line, a merchant editing prices one by one)
//! does not read every line of it again under the lock.
//!
//! An entry is used only when the row just locked is exactly the row the entry was made
//! for: the same version, the same `xmin` (the transaction that wrote that version, so a
//! version written by a change that rolled back, and then written again by another, never
//! matches) and the same catalog's shown version (so the lines' SKUs, names and prices are
//! the catalog's of now). Anything else is a miss, and the cart is read from the database.
//! Another instance's changes therefore only cost this one a miss, never a wrong cart.
//!
//! Beside them, the products adds read, with the catalog's shown version they were read at:
//! an add to a kept cart of a kept product (at the same catalog) reads neither again, and is
//! sent as one statement that applies only while the cart's row, the catalog and the
//! product's facts are still those (`LockedCart::finish_unless_changed`).

use std::mem::size_of;
use std::sync::{LazyLock, Mutex, MutexGuard};

use orderpath_core::weighed_lru::WeighedLru;
use uuid::Uuid;

use crate::model::{Cart, CartLine};
use crate::rows::SoldProduct;

/// What a cart row was when an entry was made for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    pub version: i64,
    /// The row's `xmin`: the (sub)transaction that wrote this version of it.
    pub xmin: i64,
    pub catalog: i64,
}

/// Memory for the carts kept unless [`set_budget`] says otherwise.
const DEFAULT_BUDGET: usize = 16 * 1024 * 1024;

/// Carts by id, least recently changed evicted first beyond the budget in bytes.
static RECENT: LazyLock<Mutex<WeighedLru<Uuid, (Seen, Cart)>>> = LazyLock::new(|| {
    Mutex::new(WeighedLru::new(
        DEFAULT_BUDGET - DEFAULT_BUDGET / PRODUCTS_SHARE,
        |(_, cart)| weight(cart),
    ))
});

/// Products by id, with the catalog's shown version they were read at.
static SOLD: LazyLock<Mutex<WeighedLru<Uuid, (i64, SoldProduct)>>> = LazyLock::new(|| {
    Mutex::new(WeighedLru::new(
        DEFAULT_BUDGET / PRODUCTS_SHARE,
        |(_, p)| product_weight(p),
    ))
});

/// The products' share of the budget: one in this many bytes.
const PRODUCTS_SHARE: usize = 16;

fn recent() -> MutexGuard<'static, WeighedLru<Uuid, (Seen, Cart)>> {
    RECENT.lock().unwrap_or_else(|p| p.into_inner())
}

fn sold() -> MutexGuard<'static, WeighedLru<Uuid, (i64, SoldProduct)>> {
    SOLD.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sets how many bytes of carts and products the process keeps (0 keeps none), evicting
/// beyond it.
pub fn set_budget(bytes: usize) {
    let products = bytes / PRODUCTS_SHARE;
    recent().set_budget(bytes - products);
    sold().set_budget(products);
}

/// The kept cart `id`, taken out, when it was kept for exactly the row `seen`; any other
/// entry of it is dropped, as it can never match again.
pub(crate) fn take(id: Uuid, seen: Seen) -> Option<Cart> {
    let (kept, cart) = recent().pop(&id)?;
    (kept == seen).then_some(cart)
}

/// The kept cart `id`, taken out, with the row it was kept for: for a change that applies
/// only while the row is still that one.
pub(crate) fn take_any(id: Uuid) -> Option<(Seen, Cart)> {
    recent().pop(&id)
}

/// Keeps `cart` as the row `seen` shows it.
pub(crate) fn keep(seen: Seen, cart: Cart) {
    recent().put(cart.id, (seen, cart));
}

/// Keeps product `id` as an add read it when the catalog's shown version was `catalog`.
pub(crate) fn keep_product(id: Uuid, catalog: i64, product: &SoldProduct) {
    sold().put(id, (catalog, product.clone()));
}

/// Product `id` as an add read it, if that was at the catalog's shown version `catalog`.
pub(crate) fn product(id: Uuid, catalog: i64) -> Option<SoldProduct> {
    match sold().get(&id) {
        Some((read_at, product)) if *read_at == catalog => Some(product.clone()),
        _ => None,
    }
}

fn product_weight(p: &SoldProduct) -> usize {
    let shown = &p.shown;
    size_of::<(i64, SoldProduct)>()
        + p.currency.len()
        + p.quantity_type.len()
        + shown.sku.len()
        + shown.name.len()
        + shown.unit.len()
}

/// About the memory `cart` holds: its structs and the text of its lines.
fn weight(cart: &Cart) -> usize {
    let text = |l: &CartLine| l.sku.len() + l.name.len() + l.unit.len();
    size_of::<Cart>()
        + cart.currency.len()
        + cart
            .lines
            .iter()
            .map(|l| size_of::<CartLine>() + text(l))
            .sum::<usize>()
}
