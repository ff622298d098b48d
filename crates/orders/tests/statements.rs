//! Placing an order is one statement whose text does not depend on the number of lines,
//! so each connection keeps it prepared instead of parsing and planning it every time;
//! and it sends no more statements than it needs.

mod common;

use chrono::Utc;
use common::{child, line, order, product};
use diesel::{PgConnection, RunQueryDsl};
use orderpath_carts::{add_product, create_cart, LineFlags, NewLine, Source};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_orders::place_order;
use orderpath_testing::{count_statements, fixtures, kept_statements, TestDatabase};
use rust_decimal::Decimal;
use uuid::Uuid;

#[test]
fn orders_of_one_and_of_three_lines_are_placed_by_one_kept_statement() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let (a, b, drum) = (
        product(&mut conn, 100),
        product(&mut conn, 100),
        product(&mut conn, 100),
    );
    let one = order(&mut conn, &[line(a, 2)]);
    let three = order(&mut conn, &[line(a, 1), line(b, 4), child(drum, 1, 1)]);
    assert_eq!((one.lines.len(), three.lines.len()), (1, 3));
    assert_eq!(kept_statements(&mut conn, "INSERT INTO order_lines"), 1);
    assert_eq!(kept_statements(&mut conn, "pg_advisory_xact_lock"), 1);
}

/// An open cart holding `product`, added the way the API adds it, so that this process
/// keeps the cart as the add left it.
fn cart_added_here(conn: &mut PgConnection, product: Uuid) -> Uuid {
    let customer = fixtures::customer(conn);
    let now = Utc::now();
    let cart = create_cart(conn, customer, Source::Backoffice, Uuid::new_v4(), now).expect("cart");
    let line = NewLine {
        product_id: product,
        quantity: Quantity::new(QuantityType::Unit, Decimal::from(2)).expect("quantity"),
        flags: LineFlags::default(),
        parent_index: None,
    };
    add_product(conn, cart.id, None, None, line, now).expect("add");
    cart.id
}

#[test]
fn an_order_from_a_cart_this_process_just_changed_does_not_read_its_lines_again() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let a = product(&mut conn, 100);
    let kept = cart_added_here(&mut conn, a);
    let elsewhere = cart_added_here(&mut conn, a);
    // Another writer's touch of the row (a new `xmin`): what this process kept of the
    // cart no longer describes the row, so the order reads the cart.
    diesel::sql_query("UPDATE carts SET updated_at = updated_at WHERE id = $1")
        .bind::<diesel::sql_types::Uuid, _>(elsewhere)
        .execute(&mut conn)
        .expect("touch");

    let place = |conn: &mut PgConnection, cart| {
        count_statements(conn, |c| place_order(c, cart, None, None, Utc::now()))
    };
    let (from_kept, sent_kept) = place(&mut conn, kept);
    let (from_read, sent_read) = place(&mut conn, elsewhere);
    let (from_kept, from_read) = (from_kept.expect("order"), from_read.expect("order"));
    for order in [&from_kept, &from_read] {
        assert_eq!(order.lines.len(), 1);
        assert_eq!(order.lines[0].product_id, a);
        assert_eq!(order.lines[0].quantity.value(), Decimal::from(2));
    }
    assert_eq!(
        sent_read,
        sent_kept + 1,
        "the cart's lines are read only when the kept cart is not the row locked"
    );
    // BEGIN, the cart locked, its products locked, their stock and queues read, the
    // order written, COMMIT.
    assert_eq!(sent_kept, 6);
    assert_eq!(
        kept_statements(&mut conn, "EXISTS (SELECT 1 FROM shipment_lines"),
        1
    );
}
