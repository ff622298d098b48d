//! A change of a cart starts from the cart this process's last change of it left, and only
//! when that is still exactly the cart in the database: whatever else wrote it (another
//! instance, a change that rolled back, the catalog), every answer is the cart as it is.

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::thread;

use chrono::Utc;
use diesel::prelude::*;
use orderpath_carts::{
    add_product, change_quantity, create_cart, delete_line, get_cart, Cart, LineFlags, NewLine,
    Source,
};
use orderpath_catalog::upsert_product;
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_core::Error;
use orderpath_db::schema::{cart_lines, carts, products};
use orderpath_testing::fixtures::{customer, widget_draft};
use orderpath_testing::{count_statements, TestDatabase};
use rust_decimal::Decimal;
use uuid::Uuid;

fn widget(conn: &mut PgConnection) -> Uuid {
    let id = Uuid::new_v4();
    upsert_product(conn, id, &widget_draft(100), Utc::now()).expect("product");
    id
}

fn units(n: i64) -> Quantity {
    Quantity::new(QuantityType::Unit, Decimal::from(n)).expect("quantity")
}

fn line_of(product: Uuid, n: i64) -> NewLine {
    NewLine {
        product_id: product,
        quantity: units(n),
        flags: LineFlags::default(),
        parent_index: None,
    }
}

fn one_of(product: Uuid) -> NewLine {
    line_of(product, 1)
}

fn add(conn: &mut PgConnection, cart: Uuid, product: Uuid, n: i64) -> Cart {
    add_product(conn, cart, None, None, line_of(product, n), Utc::now()).expect("add")
}

fn new_cart(conn: &mut PgConnection) -> Uuid {
    let customer = customer(conn);
    create_cart(
        conn,
        customer,
        Source::Backoffice,
        Uuid::new_v4(),
        Utc::now(),
    )
    .expect("cart")
    .id
}

/// Asserts that `answer` is the cart as a fresh read shows it now (amounts compared as
/// numbers: `10` and `10.00` are written alike).
fn assert_is_current(conn: &mut PgConnection, answer: &Cart) {
    let fresh = get_cart(conn, answer.id, None).expect("cart");
    assert_eq!(answer.version, fresh.version);
    assert_eq!(answer.updated_at, fresh.updated_at);
    assert_eq!(answer.lines, fresh.lines);
    assert_eq!(answer.totals, fresh.totals);
}

/// Adds a line of `product` at `position` and bumps the cart's version as another instance
/// would: nothing of it reaches this process's kept carts.
fn add_elsewhere(conn: &mut PgConnection, cart: Uuid, product: Uuid, position: i32) {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(
            "INSERT INTO cart_lines (id, cart_id, product_id, quantity_type, quantity, \
               allow_quantity_change, allow_quantity_splitting, removable, position, created_at) \
             VALUES (gen_random_uuid(), $1, $2, 'UNIT', 3, true, true, true, $3, now())",
        )
        .bind::<diesel::sql_types::Uuid, _>(cart)
        .bind::<diesel::sql_types::Uuid, _>(product)
        .bind::<diesel::sql_types::Integer, _>(position)
        .execute(conn)?;
        diesel::update(carts::table.find(cart))
            .set(carts::version.eq(carts::version + 1))
            .execute(conn)?;
        Ok(())
    })
    .expect("a change made elsewhere");
}

#[test]
fn the_next_add_starts_from_the_cart_the_last_one_left_and_reads_no_line() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = new_cart(&mut conn);
    let products: Vec<Uuid> = (0..3).map(|_| widget(&mut conn)).collect();
    let first = add(&mut conn, cart, products[0], 1);
    assert_is_current(&mut conn, &first);

    // A product not added here yet: the cart's row with the product, then the add with its
    // version bump as one statement.
    let (second, statements) = count_statements(&mut conn, |c| add(c, cart, products[1], 2));
    assert_eq!(statements, 2, "no BEGIN, lock, line read or COMMIT");
    assert_is_current(&mut conn, &second);

    // A product added here before: the add as one statement, nothing read first.
    let (merged, statements) = count_statements(&mut conn, |c| add(c, cart, products[0], 4));
    assert_eq!(statements, 1);
    assert_eq!(merged.lines.len(), 2, "merged into the plain line");
    assert_eq!(merged.lines[0].quantity.value(), Decimal::from(5));
    assert_is_current(&mut conn, &merged);

    // Changes of another kind keep the cart too: the next add still reads no line.
    let line = merged.lines[1].id;
    let changed =
        change_quantity(&mut conn, cart, line, None, None, units(7), Utc::now()).expect("quantity");
    assert_is_current(&mut conn, &changed);
    let (third, statements) = count_statements(&mut conn, |c| add(c, cart, products[2], 1));
    assert_eq!(statements, 2);
    assert_is_current(&mut conn, &third);
    let (fourth, statements) = count_statements(&mut conn, |c| add(c, cart, products[1], 1));
    assert_eq!(statements, 1);
    assert_is_current(&mut conn, &fourth);
    let removed = delete_line(&mut conn, cart, line, None, None, Utc::now()).expect("delete");
    assert_is_current(&mut conn, &removed);
    let last = add(&mut conn, cart, products[1], 1);
    assert_is_current(&mut conn, &last);
}

/// A cart holding one unit of the first of three new widgets, added here (so kept).
fn cart_with_one_of_three_widgets() -> (TestDatabase, PgConnection, Uuid, [Uuid; 3]) {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = new_cart(&mut conn);
    let widgets = [(); 3].map(|_| widget(&mut conn));
    add(&mut conn, cart, widgets[0], 1);
    (db, conn, cart, widgets)
}

#[test]
fn a_change_written_elsewhere_is_never_hidden_by_the_cart_kept_here() {
    let (_db, mut conn, cart, [_, b, c]) = cart_with_one_of_three_widgets();

    add_elsewhere(&mut conn, cart, b, 2);
    let answer = add(&mut conn, cart, c, 1);
    assert_eq!(answer.lines.len(), 3, "the other instance's line is there");
    assert_is_current(&mut conn, &answer);
}

#[test]
fn a_change_that_rolled_back_leaves_nothing_behind_even_at_the_same_version() {
    let (_db, mut conn, cart, [a, b, c]) = cart_with_one_of_three_widgets();

    // An add that rolls back after it was kept here...
    let rolled_back = conn.transaction::<(), _, _>(|conn| {
        add(conn, cart, b, 1);
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    // ...and another instance's change that writes the very same version with other lines.
    add_elsewhere(&mut conn, cart, c, 2);
    let again = add(&mut conn, cart, a, 1);
    assert!(again.lines.iter().all(|l| l.product_id != b), "{again:?}");
    assert!(again.lines.iter().any(|l| l.product_id == c), "{again:?}");
    assert_is_current(&mut conn, &again);
}

#[test]
fn a_product_withdrawn_elsewhere_is_refused_though_it_was_kept_sellable_here() {
    let (_db, mut conn, cart, [a, _, _]) = cart_with_one_of_three_widgets();
    let kept_version = get_cart(&mut conn, cart, None).expect("cart").version;

    // Withdrawn as a stock-keeping system might: no product edit of this process sees it.
    diesel::update(products::table.find(a))
        .set(products::active.eq(false))
        .execute(&mut conn)
        .expect("withdraw");
    let refused = add_product(&mut conn, cart, None, None, one_of(a), Utc::now());
    assert!(
        matches!(&refused, Err(Error::Validation(errors)) if errors[0].message.contains("not active")),
        "{refused:?}"
    );
    let unchanged = get_cart(&mut conn, cart, None).expect("cart");
    assert_eq!(unchanged.version, kept_version, "nothing written");
    assert_eq!(unchanged.lines[0].quantity.value(), Decimal::ONE);
}

#[test]
fn a_product_kept_unsellable_here_is_sold_once_the_database_allows_it() {
    let (_db, mut conn, cart, [a, b, _]) = cart_with_one_of_three_widgets();
    let set_active = |conn: &mut PgConnection, active: bool| {
        diesel::update(products::table.find(b))
            .set(products::active.eq(active))
            .execute(conn)
            .expect("product");
    };
    set_active(&mut conn, false);
    let refused = add_product(&mut conn, cart, None, None, one_of(b), Utc::now());
    assert!(matches!(refused, Err(Error::Validation(_))), "{refused:?}");
    // The cart kept again, with the refused product kept as read.
    add(&mut conn, cart, a, 1);

    set_active(&mut conn, true);
    let answer = add(&mut conn, cart, b, 1);
    assert_eq!(answer.lines.len(), 2);
    assert_is_current(&mut conn, &answer);
}

#[test]
fn a_catalog_change_shows_in_the_next_answer() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = new_cart(&mut conn);
    let (a, b) = (widget(&mut conn), widget(&mut conn));
    add(&mut conn, cart, a, 1);
    let mut renamed = widget_draft(100);
    renamed.name = "Widget XL".into();
    renamed.net_price = Decimal::new(1250, 2);
    upsert_product(&mut conn, a, &renamed, Utc::now()).expect("rename");

    // The cart and the product were both kept here, before the change.
    let merged = add(&mut conn, cart, a, 1);
    assert_eq!(merged.lines[0].name, "Widget XL");
    assert_eq!(merged.lines[0].unit_price, Decimal::new(1250, 2));
    assert_is_current(&mut conn, &merged);
    let answer = add(&mut conn, cart, b, 1);
    assert_eq!(answer.lines[0].name, "Widget XL");
    assert_is_current(&mut conn, &answer);
}

#[test]
fn concurrent_adds_to_one_cart_lose_none_and_take_one_version_each() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = new_cart(&mut conn);
    let (threads, each) = (6, 8);
    let products: Vec<Vec<Uuid>> = (0..threads)
        .map(|_| (0..each).map(|_| widget(&mut conn)).collect())
        .collect();
    let start = add(&mut conn, cart, products[0][0], 1).version;
    let barrier = Arc::new(Barrier::new(threads));
    let versions: Vec<i64> = thread::scope(|s| {
        let handles: Vec<_> = products
            .iter()
            .map(|mine| {
                let (barrier, mut conn) = (barrier.clone(), db.connection());
                s.spawn(move || {
                    barrier.wait();
                    mine.iter()
                        .map(|&p| add(&mut conn, cart, p, 1).version)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    let distinct: HashSet<i64> = versions.iter().copied().collect();
    assert_eq!(distinct.len(), threads * each, "one version per add");
    let last = start + (threads * each) as i64;
    assert_eq!(distinct.iter().max(), Some(&last));

    let lines: Vec<(Uuid, Decimal)> = cart_lines::table
        .filter(cart_lines::cart_id.eq(cart))
        .select((cart_lines::product_id, cart_lines::quantity))
        .load(&mut conn)
        .expect("lines");
    assert_eq!(lines.len(), threads * each, "every add made its line");
    let first = lines
        .iter()
        .find(|(p, _)| *p == products[0][0])
        .expect("first");
    assert_eq!(
        first.1,
        Decimal::from(2),
        "the first product was added twice"
    );
    let last = add(&mut conn, cart, products[1][1], 1);
    assert_is_current(&mut conn, &last);
}
