//! The insert of a document's lines as one statement whose text is the same for any
//! number of lines: each column is sent as one array and `unnest` turns them back into
//! rows. A `VALUES` list makes one text per line count, which PostgreSQL parses and plans
//! on every call, and which cannot be kept prepared (docs/benchmarks.md, Order placement
//! kept prepared).

use std::collections::HashMap;

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bool, Integer, Nullable, Numeric, Text, Uuid as SqlUuid};
use diesel::QueryResult;
use diesel::{PgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{copy_lines, Line, LineRecord};

/// Inserts copies of `lines` with fresh ids (see [`copy_lines`]) into `table` as lines of
/// document `document_id`; answers the new id of each original line.
pub fn insert_line_copies(
    conn: &mut PgConnection,
    table: LineTable,
    document_id: Uuid,
    lines: &[Line],
) -> QueryResult<HashMap<Uuid, Uuid>> {
    let (copies, ids) = copy_lines(lines);
    line_rows(table, document_id, &copies).execute(conn)?;
    Ok(ids)
}

/// A table of document lines: offers' or orders'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTable {
    Offer,
    Order,
}

impl LineTable {
    fn name(self) -> &'static str {
        match self {
            LineTable::Offer => "offer_lines",
            LineTable::Order => "order_lines",
        }
    }

    fn document_column(self) -> &'static str {
        match self {
            LineTable::Offer => "offer_id",
            LineTable::Order => "order_id",
        }
    }
}

/// The insert of `records` into `table` as lines of document `document_id` (see the
/// module). Run it on its own or as part of a larger statement.
pub fn line_rows(table: LineTable, document_id: Uuid, records: &[LineRecord]) -> LineRows<'_> {
    let column = |f: fn(&LineRecord) -> Decimal| records.iter().map(f).collect();
    let flag = |f: fn(&LineRecord) -> bool| records.iter().map(f).collect();
    LineRows {
        table,
        document_id,
        ids: records.iter().map(|r| r.id).collect(),
        product_ids: records.iter().map(|r| r.product_id).collect(),
        parent_line_ids: records.iter().map(|r| r.parent_line_id).collect(),
        skus: records.iter().map(|r| r.sku.as_str()).collect(),
        names: records.iter().map(|r| r.name.as_str()).collect(),
        units: records.iter().map(|r| r.unit.as_str()).collect(),
        quantity_types: records.iter().map(|r| r.quantity_type.as_str()).collect(),
        quantities: column(|r| r.quantity),
        allow_quantity_change: flag(|r| r.allow_quantity_change),
        allow_quantity_splitting: flag(|r| r.allow_quantity_splitting),
        removable: flag(|r| r.removable),
        unit_prices: column(|r| r.unit_price),
        catalog_unit_prices: column(|r| r.catalog_unit_price),
        unit_price_overridden: flag(|r| r.unit_price_overridden),
        purchase_prices: column(|r| r.purchase_price),
        catalog_purchase_prices: column(|r| r.catalog_purchase_price),
        purchase_price_overridden: flag(|r| r.purchase_price_overridden),
        vat_rates: column(|r| r.vat_rate),
        positions: records.iter().map(|r| r.position).collect(),
    }
}

/// See [`line_rows`]: the lines' values, a column each.
pub struct LineRows<'a> {
    table: LineTable,
    document_id: Uuid,
    ids: Vec<Uuid>,
    product_ids: Vec<Uuid>,
    parent_line_ids: Vec<Option<Uuid>>,
    skus: Vec<&'a str>,
    names: Vec<&'a str>,
    units: Vec<&'a str>,
    quantity_types: Vec<&'a str>,
    quantities: Vec<Decimal>,
    allow_quantity_change: Vec<bool>,
    allow_quantity_splitting: Vec<bool>,
    removable: Vec<bool>,
    unit_prices: Vec<Decimal>,
    catalog_unit_prices: Vec<Decimal>,
    unit_price_overridden: Vec<bool>,
    purchase_prices: Vec<Decimal>,
    catalog_purchase_prices: Vec<Decimal>,
    purchase_price_overridden: Vec<bool>,
    vat_rates: Vec<Decimal>,
    positions: Vec<i32>,
}

/// The columns after the document's key, in the order the arrays are sent.
const COLUMNS: [&str; 18] = [
    "product_id",
    "parent_line_id",
    "sku",
    "name",
    "unit",
    "quantity_type",
    "quantity",
    "allow_quantity_change",
    "allow_quantity_splitting",
    "removable",
    "unit_price",
    "catalog_unit_price",
    "unit_price_overridden",
    "purchase_price",
    "catalog_purchase_price",
    "purchase_price_overridden",
    "vat_rate",
    "position",
];

/// Writes [`COLUMNS`], each after `prefix` and `, `: the statement's text is written on
/// every call (diesel looks kept statements up by it), so without building a string.
fn push_columns(out: &mut AstPass<'_, '_, Pg>, prefix: &str) {
    for column in COLUMNS {
        out.push_sql(", ");
        out.push_sql(prefix);
        out.push_sql(column);
    }
}

impl QueryFragment<Pg> for LineRows<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ");
        out.push_sql(self.table.name());
        out.push_sql(" (id, ");
        out.push_sql(self.table.document_column());
        push_columns(&mut out, "");
        out.push_sql(") SELECT u.id, ");
        out.push_bind_param::<SqlUuid, _>(&self.document_id)?;
        push_columns(&mut out, "u.");
        // Each array typed in the text too, so that the statement plans without its values.
        out.push_sql(" FROM unnest(");
        out.push_bind_param::<Array<SqlUuid>, _>(&self.ids)?;
        out.push_sql("::uuid[], ");
        out.push_bind_param::<Array<SqlUuid>, _>(&self.product_ids)?;
        out.push_sql("::uuid[], ");
        out.push_bind_param::<Array<Nullable<SqlUuid>>, _>(&self.parent_line_ids)?;
        out.push_sql("::uuid[], ");
        for texts in [&self.skus, &self.names, &self.units, &self.quantity_types] {
            out.push_bind_param::<Array<Text>, _>(texts)?;
            out.push_sql("::text[], ");
        }
        out.push_bind_param::<Array<Numeric>, _>(&self.quantities)?;
        out.push_sql("::numeric[], ");
        for flags in [
            &self.allow_quantity_change,
            &self.allow_quantity_splitting,
            &self.removable,
        ] {
            out.push_bind_param::<Array<Bool>, _>(flags)?;
            out.push_sql("::bool[], ");
        }
        for (prices, overridden) in [
            (
                [&self.unit_prices, &self.catalog_unit_prices],
                &self.unit_price_overridden,
            ),
            (
                [&self.purchase_prices, &self.catalog_purchase_prices],
                &self.purchase_price_overridden,
            ),
        ] {
            for price in prices {
                out.push_bind_param::<Array<Numeric>, _>(price)?;
                out.push_sql("::numeric[], ");
            }
            out.push_bind_param::<Array<Bool>, _>(overridden)?;
            out.push_sql("::bool[], ");
        }
        out.push_bind_param::<Array<Numeric>, _>(&self.vat_rates)?;
        out.push_sql("::numeric[], ");
        out.push_bind_param::<Array<Integer>, _>(&self.positions)?;
        out.push_sql("::int4[]) WITH ORDINALITY AS u(id");
        push_columns(&mut out, "");
        // Parents before their children, in the records' order.
        out.push_sql(", n) ORDER BY u.n");
        Ok(())
    }
}

impl QueryId for LineRows<'_> {
    // Keyed by its text, which is one per table.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for LineRows<'_> {}
