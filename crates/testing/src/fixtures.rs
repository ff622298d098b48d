//! Domain data that the tests of several crates set up alike, written straight through the
//! domain crates (no HTTP).

use chrono::Utc;
use diesel::PgConnection;
use orderpath_carts::{create_cart, insert_lines, lock_cart, LineFlags, NewLine, Source};
use orderpath_catalog::{upsert_product, ProductDraft, ProductKind};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_customers::{upsert_customer, CustomerDraft};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A new customer "ACME" paying in EUR; returns its id.
pub fn customer(conn: &mut PgConnection) -> Uuid {
    let id = Uuid::new_v4();
    let draft = CustomerDraft {
        name: "ACME".into(),
        external_id: None,
        currency: "EUR".into(),
        email: None,
    };
    upsert_customer(conn, id, &draft, Utc::now()).expect("customer");
    id
}

/// A standard product's draft: a widget at 10.00 (bought at 6.00), 19 % VAT, `stock` on
/// hand, a SKU of its own.
pub fn widget_draft(stock: i64) -> ProductDraft {
    ProductDraft {
        sku: format!("W-{}", Uuid::new_v4()),
        name: "Widget".into(),
        kind: ProductKind::Standard,
        unit: "pc".into(),
        quantity_type: QuantityType::Unit,
        net_price: Decimal::new(1000, 2),
        purchase_price: Decimal::new(600, 2),
        vat_rate: Decimal::new(19, 0),
        currency: "EUR".into(),
        stock: Decimal::from(stock),
        drum_options: vec![],
        active: true,
    }
}

/// A new cable sold by the metre at 4.20 (bought at 3.10), with 100 km in stock; returns
/// its id.
pub fn cable(conn: &mut PgConnection) -> Uuid {
    let id = Uuid::new_v4();
    let draft = ProductDraft {
        name: "Cable".into(),
        kind: ProductKind::Cable,
        unit: "m".into(),
        quantity_type: QuantityType::ContentQuantity,
        net_price: Decimal::new(420, 2),
        purchase_price: Decimal::new(310, 2),
        vat_rate: Decimal::new(23, 0),
        stock: Decimal::new(100_000, 0),
        ..widget_draft(0)
    };
    upsert_product(conn, id, &draft, Utc::now()).expect("product");
    id
}

/// Adds `lines` to an open cart as they are, as the configurator does: no merging with
/// lines already there. Returns the new lines' ids.
pub fn add_lines(conn: &mut PgConnection, cart: Uuid, lines: &[NewLine]) -> Vec<Uuid> {
    let locked = lock_cart(conn, cart, None, None).expect("lock cart");
    insert_lines(conn, &locked, lines, Utc::now()).expect("insert lines")
}

/// A new empty cart of `customer`, opened from the backoffice; returns its id.
pub fn empty_cart(conn: &mut PgConnection, customer: Uuid) -> Uuid {
    let cart = create_cart(
        conn,
        customer,
        Source::Backoffice,
        Uuid::new_v4(),
        Utc::now(),
    );
    cart.expect("cart").id
}

/// A new customer's cart holding `lines` separate lines of one new cable (100.0 m,
/// 100.1 m, …); returns the cart's id.
pub fn cart_with_lines(conn: &mut PgConnection, lines: usize) -> Uuid {
    let customer = customer(conn);
    let cable = cable(conn);
    let cart = empty_cart(conn, customer);
    let new_lines: Vec<NewLine> = (0..lines)
        .map(|i| NewLine {
            product_id: cable,
            quantity: metres(Decimal::new(1000 + i as i64, 1)),
            flags: LineFlags::default(),
            parent_index: None,
        })
        .collect();
    add_lines(conn, cart, &new_lines);
    cart
}

/// A quantity of `value` metres.
pub fn metres(value: Decimal) -> Quantity {
    Quantity::new(QuantityType::ContentQuantity, value).expect("a valid length")
}
