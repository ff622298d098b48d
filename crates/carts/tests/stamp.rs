//! A cart's stamp moves when anything its rendering shows changes, whoever writes it, and
//! stays when nothing it shows does.

use diesel::prelude::*;
use orderpath_carts::{cart_stamp, get_stamped_cart};
use orderpath_db::schema::{cart_lines, products};
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::TestDatabase;
use rust_decimal::Decimal;
use uuid::Uuid;

fn product_of(conn: &mut PgConnection, cart: Uuid) -> Uuid {
    cart_lines::table
        .filter(cart_lines::cart_id.eq(cart))
        .select(cart_lines::product_id)
        .first(conn)
        .expect("a line")
}

#[test]
fn a_shown_column_of_any_product_moves_the_stamp_and_stock_does_not() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = cart_with_lines(&mut conn, 3);
    let product = product_of(&mut conn, cart);
    let first = cart_stamp(&mut conn, cart, None).expect("stamp");

    diesel::update(products::table.find(product))
        .set(products::stock.eq(products::stock + Decimal::ONE))
        .execute(&mut conn)
        .expect("stock");
    assert_eq!(cart_stamp(&mut conn, cart, None).expect("stamp"), first);

    diesel::update(products::table.find(product))
        .set(products::net_price.eq(products::net_price + Decimal::ONE))
        .execute(&mut conn)
        .expect("price");
    let priced = cart_stamp(&mut conn, cart, None).expect("stamp");
    assert_eq!(
        priced.version, first.version,
        "the cart's own rows did not change"
    );
    assert!(priced.catalog > first.catalog, "{priced:?} after {first:?}");

    // A product no line of this cart holds: the stamp is the catalog's, it moves too.
    let other = cart_with_lines(&mut conn, 1);
    let other_product = product_of(&mut conn, other);
    diesel::update(products::table.filter(products::id.eq(other_product)))
        .set(products::name.eq("Renamed"))
        .execute(&mut conn)
        .expect("name");
    let renamed = cart_stamp(&mut conn, cart, None).expect("stamp");
    assert!(renamed.catalog > priced.catalog);

    // Setting a column to the value it has is no change.
    diesel::update(products::table.find(product))
        .set(products::name.eq(products::name))
        .execute(&mut conn)
        .expect("same name");
    assert_eq!(cart_stamp(&mut conn, cart, None).expect("stamp"), renamed);

    let (_, loaded) = get_stamped_cart(&mut conn, cart, None).expect("cart");
    assert_eq!(
        loaded, renamed,
        "a load is kept under the stamp a read then gives"
    );
}

#[test]
fn another_customer_does_not_find_the_cart_by_its_stamp() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let cart = cart_with_lines(&mut conn, 1);
    assert!(cart_stamp(&mut conn, cart, Some(Uuid::new_v4())).is_err());
    assert!(cart_stamp(&mut conn, Uuid::new_v4(), None).is_err());
}
