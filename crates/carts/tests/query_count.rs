//! Reading a cart costs the same number of SQL statements whatever its size.

use orderpath_carts::get_cart;
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{assert_read_in_one_statement, TestDatabase};

#[test]
fn reading_a_cart_of_200_lines_takes_as_many_queries_as_one_of_2() {
    let db = TestDatabase::new();
    let read = |c: &mut _, id| get_cart(c, id, None).expect("cart").lines.to_vec();
    assert_read_in_one_statement(&mut db.connection(), [2, 200], cart_with_lines, read);
}
