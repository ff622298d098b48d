use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_db::numeric::{ExactDecimal, OptionalDecimal};
use orderpath_db::schema::{cart_lines, carts, products};
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = carts)]
pub(crate) struct CartRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: String,
    pub currency: String,
    pub source: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A row of `cart_lines`, as read with its cart and as inserted. Its numbers, and those
/// of [`LineProduct`], are read as `orderpath_db::numeric` decodes them: a cart's read
/// decodes hundreds.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cart_lines)]
pub(crate) struct LineRow {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub product_id: Uuid,
    pub parent_line_id: Option<Uuid>,
    pub quantity_type: String,
    #[diesel(deserialize_as = ExactDecimal)]
    pub quantity: Decimal,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    #[diesel(deserialize_as = OptionalDecimal)]
    pub unit_price_override: Option<Decimal>,
    #[diesel(deserialize_as = OptionalDecimal)]
    pub purchase_price_override: Option<Decimal>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
}

/// What adding a product to a cart reads of it: whether it may be sold there, and the
/// facts its line shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub(crate) struct SoldProduct {
    pub id: Uuid,
    pub active: bool,
    pub currency: String,
    pub quantity_type: String,
    #[diesel(embed)]
    pub shown: LineProduct,
}

/// The catalog facts a line shows beside its own values (their changes move the cart's
/// stamp; see `CartStamp`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub(crate) struct LineProduct {
    pub sku: String,
    pub name: String,
    pub unit: String,
    #[diesel(deserialize_as = ExactDecimal)]
    pub net_price: Decimal,
    #[diesel(deserialize_as = ExactDecimal)]
    pub purchase_price: Decimal,
    #[diesel(deserialize_as = ExactDecimal)]
    pub vat_rate: Decimal,
}
