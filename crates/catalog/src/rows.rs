use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::product::ProductKind;
use orderpath_core::quantity::QuantityType;
use orderpath_db::schema::{drum_options, products};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub(crate) struct ProductRow {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: ProductKind,
    pub unit: String,
    #[diesel(deserialize_as = String)]
    pub quantity_type: QuantityType,
    pub net_price: Decimal,
    pub purchase_price: Decimal,
    pub vat_rate: Decimal,
    pub currency: String,
    pub stock: Decimal,
    pub reserved: Decimal,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = products)]
pub(crate) struct ProductChanges<'a> {
    pub sku: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub unit: &'a str,
    pub quantity_type: &'static str,
    pub net_price: Decimal,
    pub purchase_price: Decimal,
    pub vat_rate: Decimal,
    pub currency: &'a str,
    pub stock: Decimal,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drum_options)]
pub(crate) struct DrumOptionRow {
    pub cable_product_id: Uuid,
    pub drum_product_id: Uuid,
    pub max_length: Decimal,
}
