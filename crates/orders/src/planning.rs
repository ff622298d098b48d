//! Shipment planning as a pure function: which parts of which lines ship now and which
//! wait for stock.
//!
//! Lines are planned in *groups*: a parent line with its children (a cable cut with its
//! drum), or a line alone. Groups are taken in queue order — older orders first, then
//! line position — and each product is a strict queue:
//!
//! * a group whose products all have free stock for it ships now;
//! * short of stock, a group whose parent allows splitting ships what the parent's free
//!   stock covers (its children travel with that first part) and the rest of the parent
//!   waits; any other group waits whole;
//! * once a product has a waiting part, no later group may take that product, even if
//!   free stock would cover it — a large line that may not be split never starves behind
//!   a stream of small ones.
//!
//! The same function plans a new order (behind the waiting lines of older orders) and
//! releases waiting lines when stock rises.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use uuid::Uuid;

/// A quantity of one product on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub line: Uuid,
    pub product: Uuid,
    pub quantity: Decimal,
}

/// Lines that ship together: a parent and its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub parent: Part,
    /// The parent's `allowQuantitySplitting`.
    pub splittable: bool,
    pub children: Vec<Part>,
}

/// How a group was planned: the parts shipping now and the parts waiting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub ready: Vec<Part>,
    pub waiting: Vec<Part>,
}

/// Stock available to a planning pass, and the products already queued behind a waiting
/// part.
#[derive(Debug, Clone, Default)]
pub struct StockView {
    free: HashMap<Uuid, Decimal>,
    blocked: HashSet<Uuid>,
}

impl StockView {
    pub fn new(free: HashMap<Uuid, Decimal>, blocked: HashSet<Uuid>) -> Self {
        StockView { free, blocked }
    }

    fn free(&self, product: Uuid) -> Decimal {
        self.free
            .get(&product)
            .copied()
            .unwrap_or(Decimal::ZERO)
            .max(Decimal::ZERO)
    }

    fn take(&mut self, part: &Part, quantity: Decimal) {
        *self.free.entry(part.product).or_insert(Decimal::ZERO) -= quantity;
    }
}

/// Plans `queue` in order against `stock`, returning one outcome per group. `stock` is
/// left as the pass leaves it, so several queues can be planned one after the other.
pub fn plan(queue: &[Group], stock: &mut StockView) -> Vec<Outcome> {
    queue.iter().map(|group| plan_group(group, stock)).collect()
}

fn plan_group(group: &Group, stock: &mut StockView) -> Outcome {
    let products = || {
        std::iter::once(&group.parent)
            .chain(&group.children)
            .map(|p| p.product)
    };
    let blocked = products().any(|p| stock.blocked.contains(&p));
    let children_need = needs(&group.children);
    let children_covered = !blocked
        && children_need
            .iter()
            .all(|(product, quantity)| stock.free(*product) >= *quantity);
    // A child may be of the parent's own product: the parent gets what the children leave.
    let parent_free = (stock.free(group.parent.product)
        - children_need
            .get(&group.parent.product)
            .copied()
            .unwrap_or(Decimal::ZERO))
    .max(Decimal::ZERO);
    let parent_now = if blocked || !children_covered {
        Decimal::ZERO
    } else if parent_free >= group.parent.quantity {
        group.parent.quantity
    } else if group.splittable {
        parent_free
    } else {
        Decimal::ZERO
    };

    let mut outcome = Outcome::default();
    if parent_now.is_zero() {
        outcome.waiting = std::iter::once(&group.parent)
            .chain(&group.children)
            .cloned()
            .collect();
        stock.blocked.extend(products());
        return outcome;
    }
    stock.take(&group.parent, parent_now);
    outcome.ready.push(Part {
        quantity: parent_now,
        ..group.parent.clone()
    });
    for child in &group.children {
        stock.take(child, child.quantity);
        outcome.ready.push(child.clone());
    }
    let rest = group.parent.quantity - parent_now;
    if rest > Decimal::ZERO {
        outcome.waiting.push(Part {
            quantity: rest,
            ..group.parent.clone()
        });
        stock.blocked.insert(group.parent.product);
    }
    outcome
}

/// What `parts` need of each product together (several may share a product).
fn needs(parts: &[Part]) -> HashMap<Uuid, Decimal> {
    let mut needed: HashMap<Uuid, Decimal> = HashMap::new();
    for part in parts {
        *needed.entry(part.product).or_insert(Decimal::ZERO) += part.quantity;
    }
    needed
}

#[cfg(test)]
mod tests;
