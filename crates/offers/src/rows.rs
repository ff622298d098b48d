use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_db::schema::{offer_lines, offers};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub(crate) struct OfferRow {
    pub id: Uuid,
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub status: String,
    pub currency: String,
    pub valid_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub change_txid: i64,
    pub change_seq: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = offer_lines)]
pub(crate) struct OfferLineRow {
    pub id: Uuid,
    pub offer_id: Uuid,
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

orderpath_carts::line_row_conversions!(OfferLineRow, offer_id);
