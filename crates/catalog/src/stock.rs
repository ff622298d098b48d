//! Stock on hand and reserved: the ERP's count, what ready shipments hold, and what
//! leaves with a shipment. Orders decide when reservations change (under their product
//! locks); the quantities live here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Numeric, Uuid as SqlUuid};
use orderpath_core::{Error, Result};
use orderpath_db::schema::products;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{get_product, Product};

/// Sets the quantity on hand as the ERP counted it. `available` is validated at the edge
/// (≥ 0, at most 3 decimals).
pub fn set_stock(
    conn: &mut PgConnection,
    id: Uuid,
    available: Decimal,
    now: DateTime<Utc>,
) -> Result<Product> {
    let updated = diesel::update(products::table.find(id))
        .set((products::stock.eq(available), products::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        return Err(Error::not_found("product"));
    }
    get_product(conn, id)
}

/// Free stock (on hand − reserved) of `ids`; unknown ids are left out.
pub fn free_stock(conn: &mut PgConnection, ids: &[Uuid]) -> Result<HashMap<Uuid, Decimal>> {
    Ok(products::table
        .filter(products::id.eq_any(ids))
        .select((products::id, products::stock, products::reserved))
        .load::<(Uuid, Decimal, Decimal)>(conn)?
        .into_iter()
        .map(|(id, stock, reserved)| (id, stock - reserved))
        .collect())
}

/// Raises the reservation of each product by the given amount, in one statement.
pub fn reserve(conn: &mut PgConnection, amounts: &HashMap<Uuid, Decimal>) -> Result<()> {
    if !amounts.is_empty() {
        reserving(amounts).execute(conn)?;
    }
    Ok(())
}

/// The statement that raises the reservation of each product by the given amount, for a
/// change to send with its own writes (`orderpath_db::together`). Give it at least one.
pub fn reserving(amounts: &HashMap<Uuid, Decimal>) -> Reserving {
    let (ids, amounts) = amounts.iter().map(|(p, a)| (*p, *a)).unzip();
    Reserving { ids, amounts }
}

/// See [`reserving`]. Its parameters are pushed as binds, never numbered by hand, so it
/// keeps its meaning inside a larger statement.
pub struct Reserving {
    ids: Vec<Uuid>,
    amounts: Vec<Decimal>,
}

impl QueryFragment<Pg> for Reserving {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("UPDATE products SET reserved = products.reserved + r.amount FROM unnest(");
        // Typed in the text too, so the statement also plans without its values (a
        // prepared generic plan, as the plan checks make).
        out.push_bind_param::<Array<SqlUuid>, _>(&self.ids)?;
        out.push_sql("::uuid[], ");
        out.push_bind_param::<Array<Numeric>, _>(&self.amounts)?;
        out.push_sql("::numeric[]) AS r(id, amount) WHERE products.id = r.id");
        Ok(())
    }
}

impl QueryId for Reserving {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for Reserving {}

/// Takes shipped quantities (product, quantity) out of stock: on hand and reserved both
/// drop by them. Neither goes below zero: when the ERP's count is lower than what was
/// reserved, the next count corrects it.
pub fn ship_out(
    conn: &mut PgConnection,
    shipped: &[(Uuid, Decimal)],
    now: DateTime<Utc>,
) -> Result<()> {
    for (product, quantity) in shipped {
        diesel::update(products::table.find(product))
            .set((
                products::stock.eq(sql::<Numeric>("GREATEST(stock - ")
                    .bind::<Numeric, _>(*quantity)
                    .sql(", 0)")),
                products::reserved.eq(sql::<Numeric>("GREATEST(reserved - ")
                    .bind::<Numeric, _>(*quantity)
                    .sql(", 0)")),
                products::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
