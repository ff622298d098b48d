//! Products, carts and orders for the tests of this crate.

// Each test file uses what it needs of these.
#![allow(dead_code)]

use chrono::Utc;
use diesel::PgConnection;
use orderpath_carts::{create_cart, insert_lines, lock_cart, LineFlags, NewLine, Source};
use orderpath_catalog::ProductDraft;
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_orders::{place_order, upsert_product_and_release, Order};
use orderpath_testing::fixtures;
use rust_decimal::Decimal;
use uuid::Uuid;

pub fn product(conn: &mut PgConnection, stock: i64) -> Uuid {
    let id = Uuid::new_v4();
    let draft = ProductDraft {
        name: "Part".into(),
        ..fixtures::widget_draft(stock)
    };
    upsert_product_and_release(conn, id, &draft, Utc::now()).expect("product");
    id
}

/// A line of `quantity` pieces of `product`; `parent` is the index of its parent line in
/// the same cart.
pub struct L {
    pub product: Uuid,
    pub quantity: i64,
    pub splittable: bool,
    pub parent: Option<usize>,
}

pub fn line(product: Uuid, quantity: i64) -> L {
    L {
        product,
        quantity,
        splittable: false,
        parent: None,
    }
}

pub fn child(product: Uuid, quantity: i64, parent: usize) -> L {
    L {
        parent: Some(parent),
        ..line(product, quantity)
    }
}

/// A new customer's open cart holding `lines`.
pub fn cart(conn: &mut PgConnection, lines: &[L]) -> Uuid {
    let now = Utc::now();
    let customer = fixtures::customer(conn);
    let cart = create_cart(conn, customer, Source::Backoffice, Uuid::new_v4(), now).expect("cart");
    let locked = lock_cart(conn, cart.id, None, None).expect("lock");
    let new_lines: Vec<NewLine> = lines
        .iter()
        .map(|l| NewLine {
            product_id: l.product,
            quantity: Quantity::new(QuantityType::Unit, Decimal::from(l.quantity))
                .expect("quantity"),
            flags: LineFlags {
                allow_quantity_splitting: l.splittable,
                ..LineFlags::default()
            },
            parent_index: l.parent,
        })
        .collect();
    insert_lines(conn, &locked, &new_lines, now).expect("lines");
    cart.id
}

pub fn order(conn: &mut PgConnection, lines: &[L]) -> Order {
    let cart = cart(conn, lines);
    place_order(conn, cart, None, None, Utc::now()).expect("order")
}
