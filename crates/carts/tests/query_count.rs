//! Reading a cart costs the same number of SQL statements whatever its size.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Utc;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::{Connection, PgConnection};
use orderpath_carts::{create_cart, get_cart, insert_lines, lock_cart, LineFlags, NewLine, Source};
use orderpath_catalog::{upsert_product, ProductDraft, ProductKind};
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_customers::{upsert_customer, CustomerDraft};
use orderpath_db::testing::TestDatabase;
use rust_decimal::Decimal;
use uuid::Uuid;

struct CountQueries(Arc<AtomicUsize>);

impl Instrumentation for CountQueries {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn cart_with_lines(conn: &mut PgConnection, lines: usize) -> Uuid {
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
        name: "Widget".into(),
        kind: ProductKind::Standard,
        unit: "pcs".into(),
        quantity_type: QuantityType::Unit,
        net_price: Decimal::new(1000, 2),
        purchase_price: Decimal::new(600, 2),
        vat_rate: Decimal::new(23, 0),
        currency: "EUR".into(),
        stock: Decimal::new(100, 0),
        drum_options: vec![],
        active: true,
    };
    upsert_product(conn, product, &product_draft, now).expect("product");
    let cart = create_cart(conn, customer, Source::Backoffice, now).expect("cart");
    let locked = lock_cart(conn, cart.id, None, None).expect("lock");
    let flags = LineFlags {
        removable: false,
        ..LineFlags::default()
    };
    let new_lines: Vec<NewLine> = (0..lines)
        .map(|_| NewLine {
            product_id: product,
            quantity: Quantity::new(QuantityType::Unit, Decimal::TWO).expect("qty"),
            flags,
            parent_index: None,
        })
        .collect();
    insert_lines(conn, &locked, &new_lines, now).expect("lines");
    cart.id
}

fn queries_to_read(conn: &mut PgConnection, cart: Uuid, expected_lines: usize) -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    conn.set_instrumentation(CountQueries(count.clone()));
    let read = get_cart(conn, cart, None).expect("read");
    conn.set_instrumentation(CountQueries(Arc::new(AtomicUsize::new(0))));
    assert_eq!(read.lines.len(), expected_lines);
    count.load(Ordering::SeqCst)
}

#[test]
fn reading_a_cart_of_200_lines_takes_as_many_queries_as_one_of_2() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let small = cart_with_lines(&mut conn, 2);
    let large = cart_with_lines(&mut conn, 200);
    let for_small = queries_to_read(&mut conn, small, 2);
    let for_large = queries_to_read(&mut conn, large, 200);
    assert_eq!(for_small, for_large);
    assert_eq!(for_small, 1, "a cart is read in one statement");
}
