use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Nullable, Numeric, Uuid as SqlUuid};
use orderpath_db::schema::{orders, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub(crate) struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub cart_id: Option<Uuid>,
    pub offer_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub currency: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seq: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipments)]
pub(crate) struct ShipmentRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipment_lines)]
pub(crate) struct ShipmentLineRow {
    pub shipment_id: Uuid,
    pub order_line_id: Uuid,
    pub quantity: Decimal,
    /// The line's product while the shipment waits for stock; `None` otherwise.
    pub waiting_product_id: Option<Uuid>,
}

/// The insert of shipment lines as one statement whose text is the same for any number
/// of them (each column one array, as `orderpath_lines::line_rows` does for order lines),
/// so that the statement placing an order is kept prepared.
pub(crate) struct ShipmentLineRows {
    shipment_ids: Vec<Uuid>,
    order_line_ids: Vec<Uuid>,
    quantities: Vec<Decimal>,
    waiting_product_ids: Vec<Option<Uuid>>,
}

impl ShipmentLineRows {
    pub(crate) fn of(rows: &[ShipmentLineRow]) -> Self {
        ShipmentLineRows {
            shipment_ids: rows.iter().map(|r| r.shipment_id).collect(),
            order_line_ids: rows.iter().map(|r| r.order_line_id).collect(),
            quantities: rows.iter().map(|r| r.quantity).collect(),
            waiting_product_ids: rows.iter().map(|r| r.waiting_product_id).collect(),
        }
    }
}

impl QueryFragment<Pg> for ShipmentLineRows {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO shipment_lines (shipment_id, order_line_id, quantity, waiting_product_id) \
             SELECT * FROM unnest(",
        );
        out.push_bind_param::<Array<SqlUuid>, _>(&self.shipment_ids)?;
        out.push_sql("::uuid[], ");
        out.push_bind_param::<Array<SqlUuid>, _>(&self.order_line_ids)?;
        out.push_sql("::uuid[], ");
        out.push_bind_param::<Array<Numeric>, _>(&self.quantities)?;
        out.push_sql("::numeric[], ");
        out.push_bind_param::<Array<Nullable<SqlUuid>>, _>(&self.waiting_product_ids)?;
        out.push_sql("::uuid[])");
        Ok(())
    }
}

impl QueryId for ShipmentLineRows {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for ShipmentLineRows {}
