use chrono::{DateTime, Utc};
use orderpath_core::quantity::Quantity;
use orderpath_core::stored_enum;
use orderpath_pricing::{DocumentTotals, LineTotals};
use rust_decimal::Decimal;
use uuid::Uuid;

stored_enum! {
    /// Stored and sent as `OPEN` or `ORDERED`.
    pub enum CartStatus {
        Open,
        /// An order was placed from the cart; it no longer changes.
        Ordered,
    }
}

stored_enum! {
    /// Where a cart was opened: the merchant's backoffice or the customer's online front end.
    /// Stored and sent as `BACKOFFICE` or `OFE`.
    pub enum Source {
        Backoffice,
        Ofe,
    }
}

/// What may be done with a line later: change its quantity, split it across shipments,
/// remove it. All `true` unless the merchant says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFlags {
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
}

impl Default for LineFlags {
    fn default() -> Self {
        LineFlags {
            allow_quantity_change: true,
            allow_quantity_splitting: true,
            removable: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CartLine {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: Quantity,
    pub parent_line_id: Option<Uuid>,
    pub flags: LineFlags,
    /// The sale price in force: the override when there is one, else the catalog's.
    pub unit_price: Decimal,
    pub catalog_unit_price: Decimal,
    pub unit_price_overridden: bool,
    pub purchase_price: Decimal,
    pub catalog_purchase_price: Decimal,
    pub purchase_price_overridden: bool,
    pub vat_rate: Decimal,
    pub totals: LineTotals,
    pub position: i32,
}

#[derive(Debug, Clone)]
pub struct Cart {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: CartStatus,
    pub currency: String,
    pub source: Source,
    /// Rises by one with every change; clients send it back in `If-Match`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In position order.
    pub lines: Vec<CartLine>,
    pub totals: DocumentTotals,
}
