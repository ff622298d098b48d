use orderpath_core::quantity::Quantity;
use orderpath_pricing::{LineInput, LineTotals};
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
#[derive(Debug, Clone, PartialEq)]
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

impl Line {
    /// The line holding `quantity` instead, its totals computed again.
    pub fn with_quantity(mut self, quantity: Quantity) -> Line {
        self.quantity = quantity;
        self.totals = totals_of(
            self.unit_price,
            self.purchase_price,
            &quantity,
            self.vat_rate,
        );
        self
    }

    /// The line with new prices in force (`None` keeps one), each marked overridden or
    /// not as `overridden` says, its totals computed again: the line as a price edit or a
    /// restore leaves it.
    pub fn with_prices(
        mut self,
        unit_price: Option<(Decimal, bool)>,
        purchase_price: Option<(Decimal, bool)>,
    ) -> Line {
        if let Some((price, overridden)) = unit_price {
            self.unit_price = price.normalize();
            self.unit_price_overridden = overridden;
        }
        if let Some((price, overridden)) = purchase_price {
            self.purchase_price = price.normalize();
            self.purchase_price_overridden = overridden;
        }
        self.totals = totals_of(
            self.unit_price,
            self.purchase_price,
            &self.quantity,
            self.vat_rate,
        );
        self
    }
}

/// A line's totals from the prices in force, its quantity and VAT rate.
pub(crate) fn totals_of(
    unit_price: Decimal,
    purchase_price: Decimal,
    quantity: &Quantity,
    vat_rate: Decimal,
) -> LineTotals {
    LineTotals::compute(&LineInput {
        unit_price,
        purchase_price,
        quantity: quantity.value(),
        vat_rate,
    })
}
