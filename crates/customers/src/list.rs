//! Customers by name, for the backoffice's customer picker: ordered by name ignoring case,
//! optionally only those whose name, external id or email contains a search text.

use diesel::prelude::*;
use orderpath_core::cursor;
use orderpath_core::page::{fetch_limit, Page};
use orderpath_core::Result;
use orderpath_db::schema::customers;
use orderpath_db::search::{contains_pattern, lower};
use uuid::Uuid;

use crate::customer::Customer;

/// Customers ordered by name (ignoring case, then by id), `limit` at a time after the
/// cursor `after`; with `search`, only those whose name, external id or email contains
/// it in any letter case.
pub fn list_customers(
    conn: &mut PgConnection,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Customer>> {
    let name_key = lower(customers::name);
    let mut query = customers::table
        .select((Customer::as_select(), name_key))
        .order((name_key, customers::id))
        .limit(fetch_limit(limit))
        .into_boxed();
    if let Some(pattern) = contains_pattern(search) {
        query = query.filter(
            customers::name
                .ilike(pattern.clone())
                .or(customers::external_id.ilike(pattern.clone()))
                .or(customers::email.ilike(pattern)),
        );
    }
    if let Some(after) = after {
        let parts = cursor::decode(after, 2)?;
        let (name, id): (String, Uuid) = (parts[0].clone(), cursor::parse_part(&parts[1])?);
        // `(name_key, id) > (name, id)`, with the first column alone as the index bound.
        query = query
            .filter(name_key.ge(name.clone()))
            .filter(name_key.gt(name).or(customers::id.gt(id)));
    }
    let rows: Vec<(Customer, String)> = query.load(conn)?;
    Ok(Page::keyset(rows, limit, |(c, name)| {
        cursor::encode(&[name, &c.id.to_string()])
    })
    .map_items(|(customer, _)| customer))
}
