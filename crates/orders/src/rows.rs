use chrono::{DateTime, Utc};
use diesel::prelude::*;
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

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = shipment_lines)]
pub(crate) struct ShipmentLineRow {
    pub shipment_id: Uuid,
    pub order_line_id: Uuid,
    pub quantity: Decimal,
    /// The line's product while the shipment waits for stock; `None` otherwise.
    pub waiting_product_id: Option<Uuid>,
}
