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
use std::sync::{LazyLock, Mutex};

use lru::LruCache;
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

/// Carts by id, least recently changed evicted first beyond the budget in bytes.
struct Recent {
    entries: LruCache<Uuid, (Seen, Cart)>,
    bytes: usize,
    budget: usize,
}

/// Memory for the carts kept unless [`set_budget`] says otherwise.
const DEFAULT_BUDGET: usize = 16 * 1024 * 1024;

static RECENT: LazyLock<Mutex<Recent>> = LazyLock::new(|| {
    Mutex::new(Recent {
        entries: LruCache::unbounded(),
        bytes: 0,
        budget: DEFAULT_BUDGET,
    })
});

fn recent() -> std::sync::MutexGuard<'static, Recent> {
    RECENT.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sets how many bytes of carts the process keeps (0 keeps none), evicting beyond it.
pub fn set_budget(bytes: usize) {
    let mut recent = recent();
    recent.budget = bytes;
    recent.evict();
}

/// The kept cart `id`, taken out, when it was kept for exactly the row `seen`; any other
/// entry of it is dropped, as it can never match again.
pub(crate) fn take(id: Uuid, seen: Seen) -> Option<Cart> {
    let mut recent = recent();
    let (kept, cart) = recent.entries.pop(&id)?;
    recent.bytes -= weight(&cart);
    (kept == seen).then_some(cart)
}

/// Keeps `cart` as the row `seen` shows it.
pub(crate) fn keep(seen: Seen, cart: Cart) {
    let mut recent = recent();
    let weight = weight(&cart);
    if weight > recent.budget {
        return;
    }
    recent.bytes += weight;
    if let Some((_, old)) = recent.entries.put(cart.id, (seen, cart)) {
        recent.bytes -= self::weight(&old);
    }
    recent.evict();
}

impl Recent {
    fn evict(&mut self) {
        while self.bytes > self.budget {
            match self.entries.pop_lru() {
                Some((_, (_, cart))) => self.bytes -= weight(&cart),
                None => break,
            }
        }
    }
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
