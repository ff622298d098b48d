//! Adds of new lines computed from the carts and products this process keeps, sent
//! together in one statement: each applies only while its cart and product are as kept,
//! and is answered on its own; one whose cart changed writes nothing and spoils none of
//! the others.

use chrono::Utc;
use diesel::prelude::*;
use orderpath_carts::{
    add_product, get_cart, kept_add, write_kept_adds, Cart, KeptAdd, LineFlags, NewLine,
};
use orderpath_catalog::upsert_product;
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_db::schema::{carts, products};
use orderpath_testing::fixtures::{customer, empty_cart, widget_draft};
use orderpath_testing::{kept_statements, TestDatabase};
use rust_decimal::Decimal;
use uuid::Uuid;

fn widget(conn: &mut PgConnection) -> Uuid {
    let id = Uuid::new_v4();
    upsert_product(conn, id, &widget_draft(100), Utc::now()).expect("product");
    id
}

fn one_of(product: Uuid) -> NewLine {
    NewLine {
        product_id: product,
        quantity: Quantity::new(QuantityType::Unit, Decimal::ONE).expect("quantity"),
        flags: LineFlags::default(),
        parent_index: None,
    }
}

/// `count` carts, each with one line of `first` added by this process (so each is kept as
/// that change left it, and `first` with it), and `others` kept too, each added once.
fn kept_carts(conn: &mut PgConnection, count: usize, first: Uuid, others: &[Uuid]) -> Vec<Uuid> {
    let customer = customer(conn);
    let warm = empty_cart(conn, customer);
    let carts: Vec<Uuid> = (0..count).map(|_| empty_cart(conn, customer)).collect();
    for product in others {
        add_product(conn, warm, None, None, one_of(*product), Utc::now()).expect("kept product");
    }
    for cart in &carts {
        add_product(conn, *cart, None, None, one_of(first), Utc::now()).expect("first line");
    }
    carts
}

/// An add of one of `product` to each of `carts`, from what this process keeps.
fn kept_adds_of(carts: &[Uuid], product: Uuid) -> Vec<KeptAdd> {
    carts
        .iter()
        .map(|cart| kept_add(*cart, None, None, &one_of(product), Utc::now()).expect("kept"))
        .collect()
}

fn assert_as_stored(conn: &mut PgConnection, answered: &Cart) {
    let stored = get_cart(conn, answered.id, None).expect("cart");
    assert_eq!(stored.version, answered.version);
    let ids = |c: &Cart| {
        c.lines
            .iter()
            .map(|l| (l.id, l.product_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&stored), ids(answered));
    assert_eq!(stored.totals, answered.totals);
}

#[test]
fn adds_to_kept_carts_are_written_together_each_as_its_own_change() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second) = (widget(&mut conn), widget(&mut conn));
    let carts = kept_carts(&mut conn, 3, first, &[second]);
    let adds = kept_adds_of(&carts, second);
    let answered = write_kept_adds(&mut conn, adds).expect("written");
    for (cart, answer) in carts.iter().zip(&answered) {
        let answer = answer.as_ref().expect("written");
        assert_eq!(answer.id, *cart);
        assert_eq!(answer.version, 3, "created at 1, one change each");
        let products: Vec<Uuid> = answer.lines.iter().map(|l| l.product_id).collect();
        assert_eq!(products, [first, second]);
        assert_as_stored(&mut conn, answer);
    }
}

#[test]
fn an_add_whose_cart_changed_writes_nothing_and_the_others_are_written() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second) = (widget(&mut conn), widget(&mut conn));
    let carts = kept_carts(&mut conn, 3, first, &[second]);
    let adds = kept_adds_of(&carts, second);
    // Another instance changed the middle cart after this one computed its add.
    diesel::update(carts::table.find(carts[1]))
        .set(carts::version.eq(carts::version + 1))
        .execute(&mut conn)
        .unwrap();
    let answered = write_kept_adds(&mut conn, adds).expect("written");
    assert!(answered[1].is_none(), "the changed cart's add is not made");
    let untouched = get_cart(&mut conn, carts[1], None).expect("cart");
    assert_eq!((untouched.lines.len(), untouched.version), (1, 3));
    for i in [0, 2] {
        let answer = answered[i].as_ref().expect("written");
        assert_eq!(answer.lines.len(), 2);
        assert_as_stored(&mut conn, answer);
    }
}

#[test]
fn an_add_of_a_product_no_longer_sold_as_kept_writes_nothing() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second) = (widget(&mut conn), widget(&mut conn));
    let carts = kept_carts(&mut conn, 1, first, &[second]);
    let add = kept_add(carts[0], None, None, &one_of(second), Utc::now()).expect("kept");
    diesel::update(products::table.find(second))
        .set(products::active.eq(false))
        .execute(&mut conn)
        .unwrap();
    let answered = write_kept_adds(&mut conn, vec![add]).expect("written");
    assert!(answered[0].is_none());
    assert_eq!(get_cart(&mut conn, carts[0], None).unwrap().lines.len(), 1);
}

#[test]
fn a_kept_cart_serves_one_add_at_a_time_and_the_next_after_it() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second, third) = (widget(&mut conn), widget(&mut conn), widget(&mut conn));
    let carts = kept_carts(&mut conn, 1, first, &[second, third]);
    let add = kept_add(carts[0], None, None, &one_of(second), Utc::now()).expect("kept");
    assert!(
        kept_add(carts[0], None, None, &one_of(third), Utc::now()).is_none(),
        "taken by the add in flight"
    );
    let answered = write_kept_adds(&mut conn, vec![add]).expect("written");
    let cart = answered[0].as_ref().expect("written");
    // Kept again by that add, at its new version.
    let next = kept_add(
        cart.id,
        None,
        Some(cart.version),
        &one_of(third),
        Utc::now(),
    );
    let answered = write_kept_adds(&mut conn, vec![next.expect("kept")]).expect("written");
    let cart = answered[0].as_ref().expect("written");
    assert_eq!(cart.lines.len(), 3);
    assert_as_stored(&mut conn, cart);
    assert!(
        kept_add(cart.id, None, None, &one_of(third), Utc::now()).is_none(),
        "the product is in the cart now: a merge, which goes the usual way"
    );
}

#[test]
fn nothing_kept_or_a_merge_is_left_to_the_usual_add() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second) = (widget(&mut conn), widget(&mut conn));
    let carts = kept_carts(&mut conn, 1, first, &[]);
    assert!(
        kept_add(carts[0], None, None, &one_of(second), Utc::now()).is_none(),
        "the product is not kept"
    );
    assert!(
        kept_add(carts[0], None, None, &one_of(first), Utc::now()).is_none(),
        "a merge into the line of `first`"
    );
    assert!(kept_add(Uuid::new_v4(), None, None, &one_of(first), Utc::now()).is_none());
    assert!(
        kept_add(
            carts[0],
            Some(Uuid::new_v4()),
            None,
            &one_of(first),
            Utc::now()
        )
        .is_none(),
        "another customer's token"
    );
    // Each refusal put the kept cart back: the next add still finds it.
    let add = add_product(&mut conn, carts[0], None, None, one_of(second), Utc::now());
    assert_eq!(add.expect("added").lines.len(), 2);
}

#[test]
fn batches_of_any_size_share_one_kept_statement() {
    let (_db, mut conn) = TestDatabase::connected();
    let (first, second) = (widget(&mut conn), widget(&mut conn));
    for size in [1, 3] {
        let carts = kept_carts(&mut conn, size, first, &[second]);
        let adds = kept_adds_of(&carts, second);
        let answered = write_kept_adds(&mut conn, adds).expect("written");
        assert!(answered.iter().all(Option::is_some));
    }
    assert_eq!(kept_statements(&mut conn, "UPDATE carts c SET version"), 1);
}
