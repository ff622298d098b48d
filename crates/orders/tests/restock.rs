//! A catalog change that raises stock releases waiting shipments in the same call, so no
//! caller can change stock and forget the release.

use chrono::Utc;
use diesel::PgConnection;
use orderpath_carts::{create_cart, insert_lines, lock_cart, LineFlags, NewLine, Source};
use orderpath_catalog::{ProductDraft, Upserted};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_orders::{
    get_order, place_order, set_stock_and_release, upsert_product_and_release, Order,
    ShipmentStatus,
};
use orderpath_testing::{fixtures, TestDatabase};
use rust_decimal::Decimal;
use uuid::Uuid;

fn widget(stock: i64) -> ProductDraft {
    fixtures::widget_draft(stock)
}

/// An order of five widgets of `product` placed while none are in stock: it waits.
fn waiting_order(conn: &mut PgConnection, product: Uuid) -> Order {
    let now = Utc::now();
    let customer = fixtures::customer(conn);
    let cart = create_cart(conn, customer, Source::Backoffice, Uuid::new_v4(), now).expect("cart");
    let locked = lock_cart(conn, cart.id, None, None).expect("lock");
    let line = NewLine {
        product_id: product,
        quantity: Quantity::new(QuantityType::Unit, Decimal::from(5)).expect("quantity"),
        flags: LineFlags::default(),
        parent_index: None,
    };
    insert_lines(conn, &locked, &[line], now).expect("line");
    let order = place_order(conn, cart.id, None, None, now).expect("order");
    assert_eq!(statuses(&order), [ShipmentStatus::WaitingForStock]);
    order
}

fn statuses(order: &Order) -> Vec<ShipmentStatus> {
    order.shipments.iter().map(|s| s.status).collect()
}

#[test]
fn setting_stock_releases_what_it_now_covers() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let product = Uuid::new_v4();
    upsert_product_and_release(conn, product, &widget(0), Utc::now()).expect("product");
    let order = waiting_order(conn, product);

    let counted =
        set_stock_and_release(conn, product, Decimal::from(8), Utc::now()).expect("stock");

    assert_eq!(counted.stock, Decimal::from(8));
    assert_eq!(
        counted.reserved,
        Decimal::from(5),
        "the release reserved it"
    );
    let released = get_order(conn, order.id, None).expect("order");
    assert_eq!(statuses(&released), [ShipmentStatus::Ready]);
    assert_eq!(released.version, order.version + 1);
}

#[test]
fn pushing_a_product_with_more_stock_releases_what_it_now_covers() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let product = Uuid::new_v4();
    let (_, created) =
        upsert_product_and_release(conn, product, &widget(0), Utc::now()).expect("product");
    assert_eq!(created, Upserted::Created);
    let order = waiting_order(conn, product);

    let (pushed, replaced) =
        upsert_product_and_release(conn, product, &widget(5), Utc::now()).expect("product");

    assert_eq!(replaced, Upserted::Updated);
    assert_eq!(pushed.stock, Decimal::from(5));
    let released = get_order(conn, order.id, None).expect("order");
    assert_eq!(statuses(&released), [ShipmentStatus::Ready]);
}
