//! Shared set-up for the offers crate's database tests.

use chrono::Utc;
use diesel::PgConnection;
use orderpath_carts::{create_cart, insert_lines, lock_cart, LineFlags, NewLine, Source};
use orderpath_catalog::{upsert_product, ProductDraft, ProductKind};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_customers::{upsert_customer, CustomerDraft};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A customer's cart holding `lines` separate lines; returns the cart id.
pub fn cart_with_lines(conn: &mut PgConnection, lines: usize) -> Uuid {
    let now = Utc::now();
    let customer = Uuid::new_v4();
    let draft = CustomerDraft {
        name: "ACME".into(),
        external_id: None,
        currency: "EUR".into(),
        email: None,
    };
    upsert_customer(conn, customer, &draft, now).expect("customer");
    let product = Uuid::new_v4();
    let product_draft = ProductDraft {
        sku: format!("SKU-{product}"),
        name: "Cable".into(),
        kind: ProductKind::Cable,
        unit: "m".into(),
        quantity_type: QuantityType::ContentQuantity,
        net_price: Decimal::new(420, 2),
        purchase_price: Decimal::new(310, 2),
        vat_rate: Decimal::new(23, 0),
        currency: "EUR".into(),
        stock: Decimal::new(100_000, 0),
        drum_options: vec![],
        active: true,
    };
    upsert_product(conn, product, &product_draft, now).expect("product");
    let cart = create_cart(conn, customer, Source::Backoffice, now).expect("cart");
    let locked = lock_cart(conn, cart.id, None, None).expect("lock");
    let new_lines: Vec<NewLine> = (0..lines)
        .map(|i| NewLine {
            product_id: product,
            quantity: Quantity::new(
                QuantityType::ContentQuantity,
                Decimal::new(1000 + i as i64, 1),
            )
            .expect("qty"),
            flags: LineFlags::default(),
            parent_index: None,
        })
        .collect();
    insert_lines(conn, &locked, &new_lines, now).expect("lines");
    cart.id
}
