//! Placing an order is one statement whose text does not depend on the number of lines,
//! so each connection keeps it prepared instead of parsing and planning it every time.

mod common;

use common::{child, line, order, product};
use orderpath_testing::{kept_statements, TestDatabase};

#[test]
fn orders_of_one_and_of_three_lines_are_placed_by_one_kept_statement() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let (a, b, drum) = (
        product(&mut conn, 100),
        product(&mut conn, 100),
        product(&mut conn, 100),
    );
    let one = order(&mut conn, &[line(a, 2)]);
    let three = order(&mut conn, &[line(a, 1), line(b, 4), child(drum, 1, 1)]);
    assert_eq!((one.lines.len(), three.lines.len()), (1, 3));
    assert_eq!(kept_statements(&mut conn, "INSERT INTO order_lines"), 1);
    assert_eq!(kept_statements(&mut conn, "pg_advisory_xact_lock"), 1);
}
