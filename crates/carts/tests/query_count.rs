//! Reading a cart costs the same number of SQL statements whatever its size.

use diesel::PgConnection;
use orderpath_carts::get_cart;
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{count_statements, TestDatabase};
use uuid::Uuid;

fn queries_to_read(conn: &mut PgConnection, cart: Uuid, expected_lines: usize) -> usize {
    let (read, count) = count_statements(conn, |c| get_cart(c, cart, None).expect("read"));
    assert_eq!(read.lines.len(), expected_lines);
    count
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
