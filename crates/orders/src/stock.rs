//! Stock as planning sees it: each product's queue of waiting lines, and the product locks
//! that serialise every change of a product's reservations. The quantities themselves live
//! in the catalog.
//!
//! A change of reservations locks only the products it touches (see `docs/architecture.md`,
//! Locking): placing an order locks the products of its lines (drums included); a change
//! of a product's free stock locks that product and every product whose waiting lines its
//! release could move — the waiting lines that share a product with the changed ones, the
//! products of those lines, and so on (a waiting cut's drum, the drum's other waiting
//! cuts). Locks are taken in one fixed order, so two changes never deadlock on them.

use std::collections::{BTreeSet, HashMap, HashSet};

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Integer, Numeric, Uuid as SqlUuid};
use orderpath_core::{Error, Result};
use orderpath_db::prepared;
use orderpath_db::schema::{order_lines, orders, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::ShipmentStatus;
use crate::planning::{Group, Part, StockView};

/// First key of the two-key advisory locks on products (arbitrary, fixed: "stok"). Two-key
/// locks never collide with the one-key locks taken elsewhere, and no other two-key lock
/// uses this first key.
const PRODUCT_LOCK_SPACE: i32 = 0x7374_6f6b;

/// How many times a change re-locks because the set of products it must lock grew while
/// it waited for the locks, before it takes the missing ones where it stands.
const LOCK_ROUNDS: usize = 8;

/// The second key of product `id`'s lock: its 128 bits folded to 32. Two products that
/// share a key only share a lock (they serialise needlessly), which never breaks a rule.
fn lock_key(id: Uuid) -> i32 {
    let bits = id.as_u128();
    (bits as u32 ^ (bits >> 32) as u32 ^ (bits >> 64) as u32 ^ (bits >> 96) as u32) as i32
}

/// The lock keys of `products`, each once, in the one order every change takes them.
fn lock_keys<'a>(products: impl IntoIterator<Item = &'a Uuid>) -> Vec<i32> {
    let keys: BTreeSet<i32> = products.into_iter().map(|p| lock_key(*p)).collect();
    keys.into_iter().collect()
}

/// Waits until no other transaction holds a lock on any of `products`, and holds those
/// locks until the current transaction ends (outside a transaction it would hold
/// nothing). One statement, keys in ascending order.
pub(crate) fn lock_products(conn: &mut PgConnection, products: &BTreeSet<Uuid>) -> Result<()> {
    let keys = lock_keys(products);
    if keys.is_empty() {
        return Ok(());
    }
    prepared(
        "SELECT pg_advisory_xact_lock($1, k) \
         FROM unnest($2::int4[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
        |q| {
            q.bind::<Integer, _>(PRODUCT_LOCK_SPACE)
                .bind::<Array<Integer>, _>(keys)
        },
    )
    .execute(conn)?;
    Ok(())
}

/// Why one locking round did not settle.
enum Round {
    /// Read under the locks, the change needs more products than were locked.
    Grew(BTreeSet<Uuid>),
    Failed(Error),
}

impl From<diesel::result::Error> for Round {
    fn from(error: diesel::result::Error) -> Self {
        Round::Failed(error.into())
    }
}

/// Locks the products a change needs when that set depends on rows only the locks keep
/// still (the waiting lines of those products). `first` are products the set surely
/// holds (those the change itself touches); `needed` reads the set and whatever the
/// change wants from that read. `first` is locked in order and the set read under the
/// locks: when it names nothing more, that read holds. When it grew, the round's locks
/// are given back (rolled back to a savepoint) and the larger set is locked in order
/// again, at most [`LOCK_ROUNDS`] times; after that the missing locks are taken where the
/// change stands (out of order: should that ever close a cycle, PostgreSQL ends one of
/// the transactions rather than letting both wait). Starting from `first` rather than
/// from a read before the locks saves that read whenever the set is just `first`, as it
/// is for a product none of whose waiting lines travel with another product's
/// (docs/benchmarks.md, Order placement kept prepared).
pub(crate) fn lock_products_for<T>(
    conn: &mut PgConnection,
    first: BTreeSet<Uuid>,
    mut needed: impl FnMut(&mut PgConnection) -> Result<(BTreeSet<Uuid>, T)>,
) -> Result<T> {
    let mut wanted = first;
    for _ in 0..LOCK_ROUNDS {
        let round = conn.transaction(|conn| {
            lock_products(conn, &wanted).map_err(Round::Failed)?;
            let (now_needed, value) = needed(conn).map_err(Round::Failed)?;
            if now_needed.is_subset(&wanted) {
                Ok(value)
            } else {
                Err(Round::Grew(now_needed))
            }
        });
        match round {
            Ok(value) => return Ok(value),
            Err(Round::Grew(more)) => wanted.extend(more),
            Err(Round::Failed(error)) => return Err(error),
        }
    }
    loop {
        lock_products(conn, &wanted)?;
        let (now_needed, value) = needed(conn)?;
        if now_needed.is_subset(&wanted) {
            return Ok(value);
        }
        wanted.extend(now_needed);
    }
}

/// A waiting group, with the order and shipment it waits in.
#[derive(Debug, Clone)]
pub(crate) struct WaitingGroup {
    pub order_id: Uuid,
    pub shipment_id: Uuid,
    pub group: Group,
}

impl WaitingGroup {
    fn products(&self) -> impl Iterator<Item = Uuid> + '_ {
        std::iter::once(&self.group.parent)
            .chain(&self.group.children)
            .map(|p| p.product)
    }
}

/// The waiting lines that a change of some products' free stock may release: the waiting
/// groups that take any of `products`, in queue order (older orders first, then line
/// position), and every product those groups take, the changed ones included.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    pub products: BTreeSet<Uuid>,
    pub queue: Vec<WaitingGroup>,
}

/// The waiting groups connected to `start` through shared products: the groups taking a
/// product of `start`, then the groups taking a product of those, until no more join.
/// Planning a group reads and changes only its own products, and waiting lines elsewhere
/// were planned against stock that did not change, so releasing these groups alone
/// releases exactly what planning the whole queue again would.
pub(crate) fn waiting_component(
    conn: &mut PgConnection,
    start: &BTreeSet<Uuid>,
) -> Result<Component> {
    let mut products = start.clone();
    loop {
        let queue = waiting_queue(conn, &products)?;
        let before = products.len();
        products.extend(queue.iter().flat_map(WaitingGroup::products));
        if products.len() == before {
            return Ok(Component { products, queue });
        }
    }
}

/// Locks the component of the products `start` reads (see [`waiting_component`]) and
/// returns it as it is under those locks.
pub(crate) fn lock_component(
    conn: &mut PgConnection,
    mut start: impl FnMut(&mut PgConnection) -> Result<BTreeSet<Uuid>>,
) -> Result<Component> {
    let first = start(conn)?;
    lock_products_for(conn, first, |conn| {
        let products = start(conn)?;
        let component = waiting_component(conn, &products)?;
        Ok((component.products.clone(), component))
    })
}

/// Stock as a new order's lines see it: the free stock (on hand − reserved) of each of
/// `products`, and which of them have a waiting line, which the new lines queue behind.
/// One statement, so both are read at one moment.
pub(crate) fn stock_for_new_lines(
    conn: &mut PgConnection,
    products: &BTreeSet<Uuid>,
) -> Result<StockView> {
    #[derive(QueryableByName)]
    struct ProductStock {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = Numeric)]
        free: Decimal,
        #[diesel(sql_type = Bool)]
        queued: bool,
    }
    let ids: Vec<Uuid> = products.iter().copied().collect();
    let rows: Vec<ProductStock> = prepared(
        "SELECT p.id, p.stock - p.reserved AS free, EXISTS (SELECT 1 FROM shipment_lines s \
         WHERE s.waiting_product_id = p.id) AS queued FROM products p WHERE p.id = ANY($1)",
        |q| q.bind::<Array<SqlUuid>, _>(ids),
    )
    .load(conn)?;
    let queued = rows.iter().filter(|r| r.queued).map(|r| r.id).collect();
    let free = rows.into_iter().map(|r| (r.id, r.free)).collect();
    Ok(StockView::new(free, queued))
}

/// The waiting groups (a parent with its waiting children) that take any of `products`,
/// in queue order: older orders first, then line position.
fn waiting_queue(conn: &mut PgConnection, products: &BTreeSet<Uuid>) -> Result<Vec<WaitingGroup>> {
    type WaitingRow = (Uuid, Uuid, Decimal, Uuid, Uuid, Option<Uuid>, bool);
    let waiting = ShipmentStatus::WaitingForStock.to_string();
    let ids: Vec<Uuid> = products.iter().copied().collect();
    // Every waiting line of the orders with a waiting line of these products, so that a
    // group is read whole whichever of its products brought it in.
    let orders_waiting: Vec<Uuid> = shipment_lines::table
        .inner_join(shipments::table)
        .filter(shipment_lines::waiting_product_id.eq_any(ids))
        .select(shipments::order_id)
        .distinct()
        .load(conn)?;
    if orders_waiting.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<WaitingRow> = shipment_lines::table
        .inner_join(shipments::table)
        .inner_join(order_lines::table.inner_join(orders::table))
        .filter(shipments::status.eq(waiting))
        .filter(shipments::order_id.eq_any(orders_waiting))
        .order((orders::seq, order_lines::position))
        .select((
            shipments::order_id,
            shipments::id,
            shipment_lines::quantity,
            order_lines::id,
            order_lines::product_id,
            order_lines::parent_line_id,
            order_lines::allow_quantity_splitting,
        ))
        .load(conn)?;
    let waiting_lines: HashSet<Uuid> = rows.iter().map(|r| r.3).collect();
    let mut queue: Vec<WaitingGroup> = Vec::new();
    let mut index_of_parent: HashMap<Uuid, usize> = HashMap::new();
    for (order_id, shipment_id, quantity, line, product, parent, splittable) in rows {
        let part = Part {
            line,
            product,
            quantity,
        };
        match parent
            .filter(|p| waiting_lines.contains(p))
            .and_then(|p| index_of_parent.get(&p))
        {
            Some(&i) => queue[i].group.children.push(part),
            None => {
                index_of_parent.insert(line, queue.len());
                queue.push(WaitingGroup {
                    order_id,
                    shipment_id,
                    group: Group {
                        parent: part,
                        splittable,
                        children: Vec::new(),
                    },
                });
            }
        }
    }
    queue.retain(|w| w.products().any(|p| products.contains(&p)));
    Ok(queue)
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::BigInt;
    use orderpath_testing::TestDatabase;

    use super::*;

    /// The product lock keys this connection holds, ascending.
    fn held_keys(conn: &mut PgConnection) -> Vec<i32> {
        #[derive(QueryableByName)]
        struct Key {
            #[diesel(sql_type = BigInt)]
            key: i64,
        }
        let keys: Vec<Key> = prepared(
            "SELECT objid::bigint AS key FROM pg_locks \
             WHERE locktype = 'advisory' AND pid = pg_backend_pid() \
             AND objsubid = 2 AND classid::bigint = $1 AND granted",
            |q| q.bind::<BigInt, _>(i64::from(PRODUCT_LOCK_SPACE as u32)),
        )
        .load(conn)
        .expect("locks");
        let mut keys: Vec<i32> = keys.into_iter().map(|k| k.key as u32 as i32).collect();
        keys.sort_unstable();
        keys
    }

    /// A `needed` that names one more product on each call than `first` products, up to
    /// `most` products; answers how many it named.
    fn growing(
        first: usize,
        most: usize,
    ) -> impl FnMut(&mut PgConnection) -> Result<(BTreeSet<Uuid>, usize)> {
        let mut named = first;
        move |_| {
            named = (named + 1).min(most);
            Ok(((1..=named as u128).map(Uuid::from_u128).collect(), named))
        }
    }

    #[test]
    fn a_set_that_grows_under_the_locks_is_locked_again_whole() {
        let db = TestDatabase::new();
        let conn = &mut db.connection();
        conn.begin_test_transaction().expect("transaction");
        // {1} is locked first and read 1 names {1, 2}: the round gives its lock back, and
        // the next one locks {1, 2} and reads {1, 2, 3}, and so on until a read under the
        // locks names nothing new.
        let first = BTreeSet::from([Uuid::from_u128(1)]);
        let settled = lock_products_for(conn, first, growing(1, 4)).expect("locked");
        assert_eq!(settled, 4);
        let all: Vec<Uuid> = (1..=4).map(Uuid::from_u128).collect();
        assert_eq!(held_keys(conn), lock_keys(&all));
    }

    #[test]
    fn a_set_that_keeps_growing_is_locked_where_the_change_stands() {
        let db = TestDatabase::new();
        let conn = &mut db.connection();
        conn.begin_test_transaction().expect("transaction");
        let calls = LOCK_ROUNDS + 5;
        let settled = lock_products_for(conn, BTreeSet::new(), growing(0, calls)).expect("locked");
        assert_eq!(settled, calls);
        let all: Vec<Uuid> = (1..=calls as u128).map(Uuid::from_u128).collect();
        assert_eq!(held_keys(conn), lock_keys(&all));
    }

    #[test]
    fn lock_keys_are_sorted_and_taken_once() {
        let a = Uuid::from_u128(5);
        let b = Uuid::from_u128(3);
        // Folds to the same key as `a`: the lock is shared, and taken once.
        let a_twin = Uuid::from_u128(5 << 32);
        assert_eq!(lock_key(a), lock_key(a_twin));
        assert_eq!(lock_keys([&a, &b, &a_twin, &b]), vec![3, 5]);
        let high = Uuid::from_u128(0xffff_ffff);
        assert_eq!(lock_keys([&a, &high]), vec![-1, 5]);
    }
}
