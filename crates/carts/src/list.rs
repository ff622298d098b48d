//! A customer's carts, newest first: two statements for a page (the carts, then all their
//! lines), whatever the number of lines.

use diesel::prelude::*;
use orderpath_core::page::Page;
use orderpath_core::Result;
use orderpath_db::newest_first::newest_first_page;
use orderpath_db::schema::{cart_lines, carts, products};
use orderpath_lines::lines_by_document;
use uuid::Uuid;

use crate::load::{assemble, line_record};
use crate::model::{Cart, CartStatus};
use crate::rows::{CartRow, LineProduct, LineRow};

/// The carts of customer `customer_id`, newest first, optionally only those in `status`,
/// `limit` at a time after the cursor `after`.
pub fn list_customer_carts(
    conn: &mut PgConnection,
    customer_id: Uuid,
    status: Option<CartStatus>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Cart>> {
    let mut query = carts::table
        .filter(carts::customer_id.eq(customer_id))
        .select(CartRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(carts::status.eq(status.to_string()));
    }
    let columns = (carts::created_at, carts::id);
    let key = |r: &CartRow| (r.created_at, r.id);
    newest_first_page(conn, query, columns, after, limit, key)?
        .try_map_items(|rows| with_lines(conn, rows))
}

/// The carts of `rows` with their lines, read in one more statement, in the same order.
fn with_lines(conn: &mut PgConnection, rows: Vec<CartRow>) -> Result<Vec<Cart>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let line_rows: Vec<(Uuid, LineRow, LineProduct)> = cart_lines::table
        .inner_join(products::table)
        .filter(cart_lines::cart_id.eq_any(&ids))
        .order((
            cart_lines::cart_id,
            cart_lines::position,
            cart_lines::created_at,
        ))
        .select((
            cart_lines::cart_id,
            LineRow::as_select(),
            LineProduct::as_select(),
        ))
        .load(conn)?;
    let mut lines = lines_by_document(
        line_rows
            .into_iter()
            .map(|(cart, line, product)| (cart, line_record((line, product))))
            .collect(),
    );
    Ok(rows
        .into_iter()
        .map(|r| {
            let own = lines.remove(&r.id).unwrap_or_default();
            assemble(r, own)
        })
        .collect())
}
