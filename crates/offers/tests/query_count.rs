//! Reading an offer costs the same number of SQL statements whatever its size.

use chrono::Utc;
use diesel::PgConnection;
use orderpath_offers::{create_offer, get_offer};
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{assert_read_in_one_statement, TestDatabase};
use uuid::Uuid;

/// An offer made from a cart of `lines` lines.
fn offer_with_lines(conn: &mut PgConnection, lines: usize) -> Uuid {
    let cart = cart_with_lines(conn, lines);
    create_offer(conn, cart, None, Utc::now())
        .expect("offer")
        .id
}

#[test]
fn reading_an_offer_of_1000_lines_takes_as_many_queries_as_one_of_20() {
    let db = TestDatabase::new();
    let read = |c: &mut _, id| get_offer(c, id, None, Utc::now()).expect("offer").lines;
    assert_read_in_one_statement(&mut db.connection(), [20, 1000], offer_with_lines, read);
}
