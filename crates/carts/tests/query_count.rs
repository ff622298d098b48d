//! Reading a cart costs the same number of SQL statements whatever its size, and that
//! statement is kept prepared: PostgreSQL plans it once per connection.

use orderpath_carts::get_cart;
use orderpath_testing::fixtures::cart_with_lines;
use orderpath_testing::{assert_read_in_one_statement, kept_statements, TestDatabase};

#[test]
fn reading_a_cart_of_200_lines_takes_as_many_queries_as_one_of_2() {
    let db = TestDatabase::new();
    let read = |c: &mut _, id| get_cart(c, id, None).expect("cart").lines.to_vec();
    assert_read_in_one_statement(&mut db.connection(), [2, 200], cart_with_lines, read);
}

#[test]
fn carts_of_any_size_are_read_with_one_kept_statement_and_in_their_order() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for lines in [0, 3, 40] {
        let id = cart_with_lines(&mut conn, lines);
        let cart = get_cart(&mut conn, id, None).expect("cart");
        assert_eq!(cart.id, id);
        assert_eq!(cart.lines.len(), lines);
        let positions: Vec<i32> = cart.lines.iter().map(|l| l.position).collect();
        let mut sorted = positions.clone();
        sorted.sort_unstable();
        assert_eq!(positions, sorted, "lines in position order");
    }
    assert_eq!(kept_statements(&mut conn, "UNION ALL"), 1);
}
