use orderpath_core::quantity::Quantity;
use orderpath_pricing::LineTotals;
use rust_decimal::Decimal;
use uuid::Uuid;

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

/// A line of a cart, an offer or an order, as documents show it: prices normalised and
/// totals computed from the prices in force.
#[derive(Debug, Clone)]
pub struct Line {
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
