//! Reading an offer costs the same number of SQL statements whatever its size.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Utc;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::{Connection, PgConnection};
use orderpath_db::testing::TestDatabase;
use orderpath_offers::{create_offer, get_offer};
use uuid::Uuid;

struct CountQueries(Arc<AtomicUsize>);

impl Instrumentation for CountQueries {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn queries_to_read(conn: &mut PgConnection, offer: Uuid, lines: usize) -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    conn.set_instrumentation(CountQueries(count.clone()));
    let read = get_offer(conn, offer, None, Utc::now()).expect("offer");
    conn.set_instrumentation(CountQueries(Arc::new(AtomicUsize::new(0))));
    assert_eq!(read.lines.len(), lines);
    count.load(Ordering::SeqCst)
}

#[test]
fn reading_an_offer_of_1000_lines_takes_as_many_queries_as_one_of_20() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let small_cart = common::cart_with_lines(&mut conn, 20);
    let large_cart = common::cart_with_lines(&mut conn, 1000);
    let small = create_offer(&mut conn, small_cart, None, Utc::now())
        .expect("offer")
        .id;
    let large = create_offer(&mut conn, large_cart, None, Utc::now())
        .expect("offer")
        .id;
    let for_small = queries_to_read(&mut conn, small, 20);
    let for_large = queries_to_read(&mut conn, large, 1000);
    assert_eq!(for_small, for_large);
    assert_eq!(for_small, 1, "an offer is read in one statement");
}
