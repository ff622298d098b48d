//! Reservation changes lock only the products they touch: orders and stock changes of
//! different products do not wait on each other, a stock change releases only what its
//! product's queue (and the lines travelling with it) may release, and changes racing on
//! shared products keep every planning rule.

mod common;

use std::collections::HashMap;

use chrono::Utc;
use common::{cart, child, line, order, product, L};
use diesel::prelude::*;
use orderpath_catalog::get_product;
use orderpath_orders::{
    get_order, place_order, set_stock_and_release, ship_shipment, Order, ShipmentStatus,
};
use orderpath_testing::TestDatabase;
use rust_decimal::Decimal;
use uuid::Uuid;

fn statuses(conn: &mut PgConnection, order: &Order) -> Vec<ShipmentStatus> {
    get_order(conn, order.id, None)
        .expect("order")
        .shipments
        .iter()
        .map(|s| s.status)
        .collect()
}

fn reserved(conn: &mut PgConnection, product: Uuid) -> Decimal {
    get_product(conn, product).expect("product").reserved
}

/// A connection that gives up waiting for a lock after a while, so a test that would wait
/// for a lock held elsewhere fails instead of hanging.
fn impatient(db: &TestDatabase) -> PgConnection {
    let mut conn = db.connection();
    diesel::sql_query("SET lock_timeout = '3s'")
        .execute(&mut conn)
        .expect("lock timeout");
    conn
}

/// Runs `hold` in a transaction left open on a connection of its own, so that the locks
/// it took stay held until the returned holder is dropped; next to it, an [`impatient`]
/// connection to race against them.
fn held_elsewhere(
    db: &TestDatabase,
    hold: impl FnOnce(&mut PgConnection),
) -> (PgConnection, PgConnection) {
    let mut holder = db.connection();
    holder.begin_test_transaction().expect("transaction");
    hold(&mut holder);
    (holder, impatient(db))
}

#[test]
fn an_order_does_not_wait_for_a_change_of_another_product() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let a = product(conn, 10);
    let b = product(conn, 10);
    let cart_of_a = cart(conn, &[line(a, 2)]);
    let cart_of_b = cart(conn, &[line(b, 2)]);

    // A stock change of A that has not committed yet holds A's lock.
    let (holder, mut other) = held_elsewhere(&db, |holder| {
        set_stock_and_release(holder, a, Decimal::from(20), Utc::now()).expect("stock");
    });
    let of_b = place_order(&mut other, cart_of_b, None, None, Utc::now())
        .expect("an order of B does not wait for the change of A");
    assert_eq!(statuses(&mut other, &of_b), [ShipmentStatus::Ready]);
    assert_eq!(reserved(&mut other, b), Decimal::from(2));

    // The lock is real: an order of A waits for it, and gives up here.
    let waited = place_order(&mut other, cart_of_a, None, None, Utc::now())
        .expect_err("an order of A waits for the change of A");
    assert!(waited.to_string().contains("lock timeout"), "{waited}");

    drop(holder);
    let of_a = place_order(&mut other, cart_of_a, None, None, Utc::now())
        .expect("once the change of A is over, the order goes");
    assert_eq!(statuses(&mut other, &of_a), [ShipmentStatus::Ready]);
}

#[test]
fn a_stock_change_does_not_wait_for_an_order_of_another_product() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let a = product(conn, 10);
    let b = product(conn, 0);
    let waiting = order(conn, &[line(b, 3)]);
    let cart_of_a = cart(conn, &[line(a, 2)]);

    // An order of A that has not committed yet holds A's lock.
    let (_holder, mut other) = held_elsewhere(&db, |holder| {
        place_order(holder, cart_of_a, None, None, Utc::now()).expect("order");
    });
    set_stock_and_release(&mut other, b, Decimal::from(3), Utc::now())
        .expect("a stock change of B does not wait for the order of A");
    assert_eq!(statuses(&mut other, &waiting), [ShipmentStatus::Ready]);

    let waited = set_stock_and_release(&mut other, a, Decimal::from(30), Utc::now())
        .expect_err("a stock change of A waits for the order of A");
    assert!(waited.to_string().contains("lock timeout"), "{waited}");
}

#[test]
fn a_stock_rise_leaves_the_queues_of_other_products_alone() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let a = product(conn, 0);
    let b = product(conn, 0);
    let of_a = order(conn, &[line(a, 4)]);
    let of_b = order(conn, &[line(b, 4)]);
    // B's count changes without its release (as no caller can): B's lines are not
    // released by what happens to A, as nothing of B changed.
    orderpath_catalog::set_stock(conn, b, Decimal::from(10), Utc::now()).expect("stock");

    set_stock_and_release(conn, a, Decimal::from(10), Utc::now()).expect("stock");

    assert_eq!(statuses(conn, &of_a), [ShipmentStatus::Ready]);
    assert_eq!(statuses(conn, &of_b), [ShipmentStatus::WaitingForStock]);
    assert_eq!(reserved(conn, b), Decimal::ZERO);

    set_stock_and_release(conn, b, Decimal::from(10), Utc::now()).expect("stock");
    assert_eq!(statuses(conn, &of_b), [ShipmentStatus::Ready]);
    assert_eq!(reserved(conn, b), Decimal::from(4));
}

#[test]
fn releasing_a_cut_releases_its_drum_and_then_the_drums_younger_waiting_lines() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let cable = product(conn, 0);
    let drum = product(conn, 2);
    // The cut may not split and the cable is short: it waits whole, with its drum.
    let cut = order(conn, &[line(cable, 5), child(drum, 1, 0)]);
    // Drums of younger orders queue behind the waiting drum, though stock covers two.
    let second = order(conn, &[line(drum, 1)]);
    let third = order(conn, &[line(drum, 1)]);
    for waiting in [&cut, &second, &third] {
        assert_eq!(statuses(conn, waiting), [ShipmentStatus::WaitingForStock]);
    }
    assert_eq!(reserved(conn, drum), Decimal::ZERO);

    set_stock_and_release(conn, cable, Decimal::from(5), Utc::now()).expect("stock");

    assert_eq!(statuses(conn, &cut), [ShipmentStatus::Ready]);
    assert_eq!(
        statuses(conn, &second),
        [ShipmentStatus::Ready],
        "the drum's queue moved on when the cut went"
    );
    assert_eq!(
        statuses(conn, &third),
        [ShipmentStatus::WaitingForStock],
        "what the drum's stock does not cover keeps waiting"
    );
    assert_eq!(reserved(conn, cable), Decimal::from(5));
    assert_eq!(reserved(conn, drum), Decimal::from(2));
}

#[test]
fn orders_stock_changes_and_shipping_racing_on_shared_products_keep_every_rule() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let cables = [product(conn, 3), product(conn, 3)];
    let drum = product(conn, 2);
    let loose = product(conn, 1);
    // Carts: cuts of either cable with the shared drum (some may split), drums alone,
    // and loose parts that share nothing with the others.
    let carts: Vec<Uuid> = (0..12)
        .map(|i| match i % 4 {
            0 | 1 => cart(
                conn,
                &[
                    L {
                        splittable: i % 8 == 0,
                        ..line(cables[i % 2], 2)
                    },
                    child(drum, 1, 0),
                ],
            ),
            2 => cart(conn, &[line(drum, 1)]),
            _ => cart(conn, &[line(loose, 1)]),
        })
        .collect();
    // The ERP's counts only rise here, so a reservation above stock can only come from
    // planning against stock another change had taken.
    let counts: Vec<(Uuid, [i64; 3])> = vec![
        (cables[0], [4, 5, 7]),
        (cables[1], [4, 6, 7]),
        (drum, [3, 4, 6]),
    ];

    std::thread::scope(|scope| {
        for chunk in carts.chunks(3) {
            let db = &db;
            scope.spawn(move || {
                let conn = &mut db.connection();
                for (i, &cart) in chunk.iter().enumerate() {
                    let order = place_order(conn, cart, None, None, Utc::now()).expect("order");
                    // Ship what is ready at once, now and then: shipping changes stock too.
                    let ready = order
                        .shipments
                        .iter()
                        .find(|s| s.status == ShipmentStatus::Ready);
                    if let (Some(ready), 0) = (ready, i % 2) {
                        let id = ready.id.expect("placed shipments have ids");
                        ship_shipment(conn, order.id, id, Utc::now()).expect("ship");
                    }
                }
            });
        }
        for (product, stocks) in &counts {
            let db = &db;
            scope.spawn(move || {
                let conn = &mut db.connection();
                for stock in stocks {
                    set_stock_and_release(conn, *product, Decimal::from(*stock), Utc::now())
                        .expect("stock");
                }
            });
        }
    });

    // What is reserved is exactly what ready shipments hold, and never more than stock.
    let held: HashMap<Uuid, Decimal> = held_by_ready_shipments(conn);
    for p in [cables[0], cables[1], drum, loose] {
        let counted = get_product(conn, p).expect("product");
        let holds = held.get(&p).copied().unwrap_or(Decimal::ZERO);
        assert_eq!(counted.reserved, holds, "reservation of {p}");
        assert!(counted.reserved <= counted.stock, "{p} is over-reserved");
    }
    // Every waiting line, and no other, is in its product's queue.
    for (status, product, queued) in queue_entries(conn) {
        let waiting = status == "WAITING_FOR_STOCK";
        assert_eq!(queued, waiting.then_some(product), "a {status} line");
    }
    // Nothing was left waiting that its products' stock now covers: counting every
    // product again (which releases whatever its queue may release) releases nothing.
    let before = waiting_lines(conn);
    for p in [cables[0], cables[1], drum, loose] {
        let stock = get_product(conn, p).expect("product").stock;
        set_stock_and_release(conn, p, stock, Utc::now()).expect("stock");
    }
    assert_eq!(waiting_lines(conn), before, "a release was missed");
}

fn held_by_ready_shipments(conn: &mut PgConnection) -> HashMap<Uuid, Decimal> {
    use orderpath_db::schema::{order_lines, shipment_lines, shipments};
    let rows: Vec<(Uuid, Decimal)> = shipment_lines::table
        .inner_join(shipments::table)
        .inner_join(order_lines::table)
        .filter(shipments::status.eq("READY"))
        .select((order_lines::product_id, shipment_lines::quantity))
        .load(conn)
        .expect("ready lines");
    let mut held = HashMap::new();
    for (product, quantity) in rows {
        *held.entry(product).or_insert(Decimal::ZERO) += quantity;
    }
    held
}

fn waiting_lines(conn: &mut PgConnection) -> Vec<(Uuid, Decimal)> {
    use orderpath_db::schema::{shipment_lines, shipments};
    shipment_lines::table
        .inner_join(shipments::table)
        .filter(shipments::status.eq("WAITING_FOR_STOCK"))
        .select((shipment_lines::order_line_id, shipment_lines::quantity))
        .order(shipment_lines::order_line_id)
        .load(conn)
        .expect("waiting lines")
}

/// Each shipment line's shipment status, order line product and queue entry.
fn queue_entries(conn: &mut PgConnection) -> Vec<(String, Uuid, Option<Uuid>)> {
    use orderpath_db::schema::{order_lines, shipment_lines, shipments};
    shipment_lines::table
        .inner_join(shipments::table)
        .inner_join(order_lines::table)
        .select((
            shipments::status,
            order_lines::product_id,
            shipment_lines::waiting_product_id,
        ))
        .load(conn)
        .expect("shipment lines")
}
