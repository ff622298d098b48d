//! Request and response bodies of the cart routes, and their validation.

pub mod configurable;
pub mod line_json;

use chrono::{DateTime, Utc};
use orderpath_carts::{Cart, CartLine, CartStatus, LineFlags, NewLine, Source};
use orderpath_core::quantity::Quantity;
use orderpath_pricing::{DocumentTotals, LineTotals};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::decimal::{Amount, Plain, Price};
use crate::api::validate::Validator;
use crate::routes::common::{QuantityBody, QuantityResponse};
use crate::routes::document::document_body;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCartRequest {
    pub customer_id: Uuid,
    pub source: Source,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenCartRequest {
    pub source: Source,
}

/// Optional flags of a new line; each defaults to `true`.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlagsBody {
    pub allow_quantity_change: Option<bool>,
    pub allow_quantity_splitting: Option<bool>,
    pub removable: Option<bool>,
}

impl FlagsBody {
    pub fn resolve(self) -> LineFlags {
        LineFlags {
            allow_quantity_change: self.allow_quantity_change.unwrap_or(true),
            allow_quantity_splitting: self.allow_quantity_splitting.unwrap_or(true),
            removable: self.removable.unwrap_or(true),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddProductRequest {
    pub product_id: Uuid,
    pub quantity: QuantityBody,
    pub allow_quantity_change: Option<bool>,
    pub allow_quantity_splitting: Option<bool>,
    pub removable: Option<bool>,
}

impl AddProductRequest {
    pub fn validate(&self) -> Result<NewLine, orderpath_core::Error> {
        let mut v = Validator::new();
        let quantity = self.quantity.check(&mut v, "quantity.");
        v.finish(|| {
            Some(NewLine {
                product_id: self.product_id,
                quantity: quantity?,
                flags: FlagsBody {
                    allow_quantity_change: self.allow_quantity_change,
                    allow_quantity_splitting: self.allow_quantity_splitting,
                    removable: self.removable,
                }
                .resolve(),
                parent_index: None,
            })
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeQuantityRequest {
    pub quantity: QuantityBody,
}

impl ChangeQuantityRequest {
    pub fn validate(&self) -> Result<Quantity, orderpath_core::Error> {
        let mut v = Validator::new();
        let quantity = self.quantity.check(&mut v, "quantity.");
        v.finish(|| quantity)
    }
}

/// A document's totals. Purchase total and margins are left out for customer tokens.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TotalsResponse {
    #[schema(value_type = String, example = "506.10")]
    pub net_total: Amount,
    #[schema(value_type = String, example = "116.40")]
    pub vat_total: Amount,
    #[schema(value_type = String, example = "622.50")]
    pub gross_total: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "373.55")]
    pub purchase_total: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "132.55")]
    pub margin: Option<Amount>,
    /// `null` when the net total is 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "26.19")]
    pub margin_percent: Option<Option<Amount>>,
}

impl TotalsResponse {
    pub fn new(t: &DocumentTotals, staff: bool) -> Self {
        TotalsResponse {
            net_total: Amount(t.net_total),
            vat_total: Amount(t.vat_total),
            gross_total: Amount(t.gross_total),
            purchase_total: staff.then_some(Amount(t.purchase_total)),
            margin: staff.then_some(Amount(t.margin)),
            margin_percent: staff.then_some(t.margin_percent.map(Amount)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineResponse {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub quantity: QuantityResponse,
    pub parent_line_id: Option<Uuid>,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    #[schema(value_type = String, example = "4.20")]
    pub unit_price: Price,
    #[schema(value_type = String, example = "4.80")]
    pub catalog_unit_price: Price,
    /// The sale price of this line was edited; it no longer follows the catalog.
    pub price_overridden: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "3.10")]
    pub purchase_price: Option<Price>,
    #[schema(value_type = String, example = "23")]
    pub vat_rate: Plain,
    #[schema(value_type = String, example = "506.10")]
    pub net_total: Amount,
    #[schema(value_type = String, example = "116.40")]
    pub vat_total: Amount,
    #[schema(value_type = String, example = "622.50")]
    pub gross_total: Amount,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "132.55")]
    pub margin: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "26.19")]
    pub margin_percent: Option<Option<Amount>>,
    pub position: i32,
}

impl LineResponse {
    pub fn new(line: &CartLine, staff: bool) -> Self {
        let t: &LineTotals = &line.totals;
        LineResponse {
            id: line.id,
            product_id: line.product_id,
            sku: line.sku.clone(),
            name: line.name.clone(),
            quantity: QuantityResponse {
                kind: line.quantity.kind(),
                value: Plain(line.quantity.value()),
                unit: line.unit.clone(),
            },
            parent_line_id: line.parent_line_id,
            allow_quantity_change: line.flags.allow_quantity_change,
            allow_quantity_splitting: line.flags.allow_quantity_splitting,
            removable: line.flags.removable,
            unit_price: Price(line.unit_price),
            catalog_unit_price: Price(line.catalog_unit_price),
            price_overridden: line.unit_price_overridden
                || (staff && line.purchase_price_overridden),
            purchase_price: staff.then_some(Price(line.purchase_price)),
            vat_rate: Plain(line.vat_rate),
            net_total: Amount(t.net_total),
            vat_total: Amount(t.vat_total),
            gross_total: Amount(t.gross_total),
            margin: staff.then_some(Amount(t.margin)),
            margin_percent: staff.then_some(t.margin_percent.map(Amount)),
            position: line.position,
        }
    }
}

document_body! {
    Cart => CartResponse {
        id: Uuid,
        customer_id: Uuid,
        status: CartStatus,
        currency: String,
        /// Where the cart was created.
        source: Source,
        /// Send it back as `If-Match: "<version>"` to change the cart only if nobody else did.
        version: i64,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>;
        lines, totals
    }
    kept under |cart| cart.stamp.map(crate::render_cache::Stamp::Cart)
}
