use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_db::schema::{order_lines, orders, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub(crate) struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub currency: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub seq: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_lines)]
pub(crate) struct OrderLineRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Uuid,
    pub parent_line_id: Option<Uuid>,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity_type: String,
    pub quantity: Decimal,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    pub unit_price: Decimal,
    pub catalog_unit_price: Decimal,
    pub unit_price_overridden: bool,
    pub purchase_price: Decimal,
    pub catalog_purchase_price: Decimal,
    pub purchase_price_overridden: bool,
    pub vat_rate: Decimal,
    pub position: i32,
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
}

orderpath_carts::line_row_conversions!(OrderLineRow, order_id);
