//! Lines as offers and orders keep them: their own copy of the cart line, prices
//! included, so later catalog changes do not change a quote or an order.

use std::collections::HashMap;

use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_pricing::{LineInput, LineTotals};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::{CartLine, LineFlags};

/// The stored values of a copied line, as an offer's or an order's line table holds them.
#[derive(Debug, Clone)]
pub struct LineSnapshot {
    pub id: Uuid,
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

impl LineSnapshot {
    /// Copies `lines` with fresh ids, each child pointing at the copy of its parent.
    /// Returns the copies in the same order, and the new id of each original line.
    pub fn copy_all(lines: &[CartLine]) -> (Vec<LineSnapshot>, HashMap<Uuid, Uuid>) {
        let ids: HashMap<Uuid, Uuid> = lines.iter().map(|l| (l.id, Uuid::new_v4())).collect();
        let copies = lines
            .iter()
            .map(|l| LineSnapshot {
                id: ids[&l.id],
                product_id: l.product_id,
                parent_line_id: l.parent_line_id.and_then(|p| ids.get(&p).copied()),
                sku: l.sku.clone(),
                name: l.name.clone(),
                unit: l.unit.clone(),
                quantity_type: l.quantity.kind().to_string(),
                quantity: l.quantity.value(),
                allow_quantity_change: l.flags.allow_quantity_change,
                allow_quantity_splitting: l.flags.allow_quantity_splitting,
                removable: l.flags.removable,
                unit_price: l.unit_price,
                catalog_unit_price: l.catalog_unit_price,
                unit_price_overridden: l.unit_price_overridden,
                purchase_price: l.purchase_price,
                catalog_purchase_price: l.catalog_purchase_price,
                purchase_price_overridden: l.purchase_price_overridden,
                vat_rate: l.vat_rate,
                position: l.position,
            })
            .collect();
        (copies, ids)
    }

    /// The line as documents show it, with its totals computed from its own prices.
    pub fn into_line(self) -> CartLine {
        let kind = self.quantity_type.parse().unwrap_or(QuantityType::Unit);
        // Stored quantities passed validation on the way in; the fallback is unreachable.
        let quantity = Quantity::new(kind, self.quantity)
            .unwrap_or_else(|_| Quantity::new(kind, Decimal::ONE).expect("one"));
        let totals = LineTotals::compute(&LineInput {
            unit_price: self.unit_price,
            purchase_price: self.purchase_price,
            quantity: quantity.value(),
            vat_rate: self.vat_rate,
        });
        CartLine {
            id: self.id,
            product_id: self.product_id,
            sku: self.sku,
            name: self.name,
            unit: self.unit,
            quantity,
            parent_line_id: self.parent_line_id,
            flags: LineFlags {
                allow_quantity_change: self.allow_quantity_change,
                allow_quantity_splitting: self.allow_quantity_splitting,
                removable: self.removable,
            },
            unit_price: self.unit_price.normalize(),
            catalog_unit_price: self.catalog_unit_price.normalize(),
            unit_price_overridden: self.unit_price_overridden,
            purchase_price: self.purchase_price.normalize(),
            catalog_purchase_price: self.catalog_purchase_price.normalize(),
            purchase_price_overridden: self.purchase_price_overridden,
            vat_rate: self.vat_rate.normalize(),
            totals,
            position: self.position,
        }
    }
}

/// Declares the conversions between a document's line row and [`LineSnapshot`]: the row
/// has the snapshot's fields plus the document's key, named `$document`.
#[macro_export]
macro_rules! line_row_conversions {
    ($row:ident, $document:ident) => {
        impl $row {
            pub(crate) fn from_snapshot(s: $crate::LineSnapshot, $document: uuid::Uuid) -> Self {
                $row {
                    id: s.id,
                    $document,
                    product_id: s.product_id,
                    parent_line_id: s.parent_line_id,
                    sku: s.sku,
                    name: s.name,
                    unit: s.unit,
                    quantity_type: s.quantity_type,
                    quantity: s.quantity,
                    allow_quantity_change: s.allow_quantity_change,
                    allow_quantity_splitting: s.allow_quantity_splitting,
                    removable: s.removable,
                    unit_price: s.unit_price,
                    catalog_unit_price: s.catalog_unit_price,
                    unit_price_overridden: s.unit_price_overridden,
                    purchase_price: s.purchase_price,
                    catalog_purchase_price: s.catalog_purchase_price,
                    purchase_price_overridden: s.purchase_price_overridden,
                    vat_rate: s.vat_rate,
                    position: s.position,
                }
            }

            pub(crate) fn into_line(self) -> $crate::CartLine {
                $crate::LineSnapshot {
                    id: self.id,
                    product_id: self.product_id,
                    parent_line_id: self.parent_line_id,
                    sku: self.sku,
                    name: self.name,
                    unit: self.unit,
                    quantity_type: self.quantity_type,
                    quantity: self.quantity,
                    allow_quantity_change: self.allow_quantity_change,
                    allow_quantity_splitting: self.allow_quantity_splitting,
                    removable: self.removable,
                    unit_price: self.unit_price,
                    catalog_unit_price: self.catalog_unit_price,
                    unit_price_overridden: self.unit_price_overridden,
                    purchase_price: self.purchase_price,
                    catalog_purchase_price: self.catalog_purchase_price,
                    purchase_price_overridden: self.purchase_price_overridden,
                    vat_rate: self.vat_rate,
                    position: self.position,
                }
                .into_line()
            }
        }
    };
}
