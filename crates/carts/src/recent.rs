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

use std::mem::size_of;
use std::sync::{LazyLock, Mutex, MutexGuard};

use orderpath_core::weighed_lru::WeighedLru;
use uuid::Uuid;

use crate::model::{Cart, CartLine};

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
static RECENT: LazyLock<Mutex<WeighedLru<Uuid, (Seen, Cart)>>> =
    LazyLock::new(|| Mutex::new(WeighedLru::new(DEFAULT_BUDGET, |(_, cart)| weight(cart))));

fn recent() -> MutexGuard<'static, WeighedLru<Uuid, (Seen, Cart)>> {
    RECENT.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sets how many bytes of carts the process keeps (0 keeps none), evicting beyond it.
pub fn set_budget(bytes: usize) {
    recent().set_budget(bytes);
}

/// The kept cart `id`, taken out, when it was kept for exactly the row `seen`; any other
/// entry of it is dropped, as it can never match again.
pub(crate) fn take(id: Uuid, seen: Seen) -> Option<Cart> {
    let (kept, cart) = recent().pop(&id)?;
    (kept == seen).then_some(cart)
}

/// Keeps `cart` as the row `seen` shows it.
pub(crate) fn keep(seen: Seen, cart: Cart) {
    recent().put(cart.id, (seen, cart));
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
