//! Reading an offer costs the same number of SQL statements whatever its size.

use chrono::Utc;
use diesel::PgConnection;
use orderpath_offers::{create_offer, get_offer};
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{count_statements, TestDatabase};
use uuid::Uuid;

fn queries_to_read(conn: &mut PgConnection, offer: Uuid, lines: usize) -> usize {
    let (read, count) = count_statements(conn, |c| {
        get_offer(c, offer, None, Utc::now()).expect("offer")
    });
    assert_eq!(read.lines.len(), lines);
    count
}

#[test]
fn reading_an_offer_of_1000_lines_takes_as_many_queries_as_one_of_20() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let small_cart = cart_with_lines(&mut conn, 20);
    let large_cart = cart_with_lines(&mut conn, 1000);
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
