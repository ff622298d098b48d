//! The stored values of a line, as offers and orders keep their own copy of it, prices
//! included, so that later catalog changes do not change a quote or an order.

use std::collections::HashMap;

use diesel::Queryable;
use orderpath_core::quantity::{Quantity, QuantityType};
use orderpath_db::numeric::ExactDecimal;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::line::{totals_of, Line, LineFlags};

/// One line's stored values, in the column order of [`line_record_columns!`]. A cart
/// line is turned into one from its own row and its product's catalog prices. Its numbers
/// are read as `orderpath_db::numeric` decodes them.
#[derive(Debug, Clone, Queryable)]
pub struct LineRecord {
    pub id: Uuid,
    pub product_id: Uuid,
    pub parent_line_id: Option<Uuid>,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity_type: String,
    #[diesel(deserialize_as = ExactDecimal)]
    pub quantity: Decimal,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    #[diesel(deserialize_as = ExactDecimal)]
    pub unit_price: Decimal,
    #[diesel(deserialize_as = ExactDecimal)]
    pub catalog_unit_price: Decimal,
    pub unit_price_overridden: bool,
    #[diesel(deserialize_as = ExactDecimal)]
    pub purchase_price: Decimal,
    #[diesel(deserialize_as = ExactDecimal)]
    pub catalog_purchase_price: Decimal,
    pub purchase_price_overridden: bool,
    #[diesel(deserialize_as = ExactDecimal)]
    pub vat_rate: Decimal,
    pub position: i32,
}

impl LineRecord {
    /// The line as documents show it, with its totals computed from its own prices.
    pub fn into_line(self) -> Line {
        let kind = self.quantity_type.parse().unwrap_or(QuantityType::Unit);
        // Stored quantities passed validation on the way in; the fallback is unreachable.
        let quantity = Quantity::new(kind, self.quantity)
            .unwrap_or_else(|_| Quantity::new(kind, Decimal::ONE).expect("one"));
        let totals = totals_of(
            self.unit_price,
            self.purchase_price,
            &quantity,
            self.vat_rate,
        );
        Line {
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

    /// The stored values of `line` under a new id and parent.
    fn copy_of(line: &Line, id: Uuid, parent_line_id: Option<Uuid>) -> Self {
        LineRecord {
            id,
            product_id: line.product_id,
            parent_line_id,
            sku: line.sku.clone(),
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity_type: line.quantity.kind().to_string(),
            quantity: line.quantity.value(),
            allow_quantity_change: line.flags.allow_quantity_change,
            allow_quantity_splitting: line.flags.allow_quantity_splitting,
            removable: line.flags.removable,
            unit_price: line.unit_price,
            catalog_unit_price: line.catalog_unit_price,
            unit_price_overridden: line.unit_price_overridden,
            purchase_price: line.purchase_price,
            catalog_purchase_price: line.catalog_purchase_price,
            purchase_price_overridden: line.purchase_price_overridden,
            vat_rate: line.vat_rate,
            position: line.position,
        }
    }
}

/// Copies `lines` with fresh ids, each child pointing at the copy of its parent. Returns
/// the copies in the same order, and the new id of each original line.
pub fn copy_lines(lines: &[Line]) -> (Vec<LineRecord>, HashMap<Uuid, Uuid>) {
    let ids: HashMap<Uuid, Uuid> = lines.iter().map(|l| (l.id, Uuid::new_v4())).collect();
    let copies = lines
        .iter()
        .map(|l| {
            let parent = l.parent_line_id.and_then(|p| ids.get(&p).copied());
            LineRecord::copy_of(l, ids[&l.id], parent)
        })
        .collect();
    (copies, ids)
}
