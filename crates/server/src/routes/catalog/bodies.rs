use chrono::{DateTime, Utc};
use orderpath_catalog::{DrumOption, Product, ProductDraft, ProductFilter, ProductKind};
use orderpath_core::money::{
    validate_bounded, validate_currency, validate_price, validate_vat_rate,
};
use orderpath_core::quantity::{QuantityType, MAX_QUANTITY};
use orderpath_core::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::decimal::{DecimalInput, Plain, Price};
use crate::api::validate::{text, Validator};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DrumOptionBody {
    /// A product of kind `DRUM`.
    pub drum_product_id: Uuid,
    /// The longest cut of this cable the drum carries.
    #[schema(value_type = String, example = "500")]
    pub max_length: DecimalInput,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductRequest {
    #[schema(min_length = 1, max_length = 64)]
    pub sku: String,
    #[schema(min_length = 1, max_length = 500)]
    pub name: String,
    pub kind: ProductKind,
    /// e.g. `pcs`, `m`.
    #[schema(min_length = 1, max_length = 16)]
    pub unit: String,
    pub quantity_type: QuantityType,
    #[schema(value_type = String, example = "4.80")]
    pub net_price: DecimalInput,
    #[schema(value_type = String, example = "3.10")]
    pub purchase_price: DecimalInput,
    /// Percent.
    #[schema(value_type = String, example = "23")]
    pub vat_rate: DecimalInput,
    /// ISO 4217.
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    /// On hand; 0 when omitted.
    #[schema(value_type = Option<String>, example = "1200")]
    pub stock: Option<DecimalInput>,
    /// Only for `CABLE` products.
    #[serde(default)]
    pub drum_options: Vec<DrumOptionBody>,
    /// An inactive product cannot be added to a cart. Default `true`.
    pub active: Option<bool>,
}

/// Stock on hand: ≥ 0, < [`MAX_QUANTITY`], at most 3 decimals.
pub fn validate_stock(value: Decimal) -> Result<Decimal, String> {
    validate_bounded(value, MAX_QUANTITY, 3)
}

impl ProductRequest {
    pub fn validate(&self) -> Result<ProductDraft, Error> {
        let mut v = Validator::new();
        let sku = v.check("sku", text(&self.sku, 64));
        let name = v.check("name", text(&self.name, 500));
        let unit = v.check("unit", text(&self.unit, 16));
        let net_price = v.check("netPrice", validate_price(self.net_price.0));
        let purchase_price = v.check("purchasePrice", validate_price(self.purchase_price.0));
        let vat_rate = v.check("vatRate", validate_vat_rate(self.vat_rate.0));
        let currency = v.check("currency", validate_currency(&self.currency));
        let stock = v.check(
            "stock",
            validate_stock(self.stock.map_or(Decimal::ZERO, |s| s.0)),
        );
        let kind = self.kind;
        if kind != ProductKind::Cable && !self.drum_options.is_empty() {
            v.fail("drumOptions", "only CABLE products have drum options");
        }
        let mut drum_options = Vec::new();
        for (i, option) in self.drum_options.iter().enumerate() {
            if self.drum_options[..i]
                .iter()
                .any(|o| o.drum_product_id == option.drum_product_id)
            {
                v.fail(
                    format!("drumOptions[{i}].drumProductId"),
                    "names the same drum twice",
                );
            }
            let max_length = v.check(
                format!("drumOptions[{i}].maxLength"),
                validate_stock(option.max_length.0).and_then(|l| {
                    if l.is_zero() {
                        Err("must be greater than 0".into())
                    } else {
                        Ok(l)
                    }
                }),
            );
            if let Some(max_length) = max_length {
                drum_options.push(DrumOption {
                    drum_product_id: option.drum_product_id,
                    max_length,
                });
            }
        }
        v.finish(|| {
            Some(ProductDraft {
                sku: sku?,
                name: name?,
                kind,
                unit: unit?,
                quantity_type: self.quantity_type,
                net_price: net_price?,
                purchase_price: purchase_price?,
                vat_rate: vat_rate?,
                currency: currency?,
                stock: stock?,
                drum_options,
                active: self.active.unwrap_or(true),
            })
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StockRequest {
    /// Quantity on hand as the ERP counts it.
    #[schema(value_type = String, example = "1200")]
    pub available: DecimalInput,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DrumOptionResponse {
    pub drum_product_id: Uuid,
    #[schema(value_type = String, example = "500")]
    pub max_length: Plain,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductResponse {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub kind: ProductKind,
    pub unit: String,
    pub quantity_type: QuantityType,
    #[schema(value_type = String, example = "4.80")]
    pub net_price: Price,
    /// Left out for customer tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "3.10")]
    pub purchase_price: Option<Price>,
    #[schema(value_type = String, example = "23")]
    pub vat_rate: Plain,
    pub currency: String,
    /// On hand.
    #[schema(value_type = String, example = "1200")]
    pub stock: Plain,
    /// Held by shipments that are ready to go.
    #[schema(value_type = String, example = "0")]
    pub reserved: Plain,
    /// On hand minus reserved.
    #[schema(value_type = String, example = "1200")]
    pub free: Plain,
    pub drum_options: Vec<DrumOptionResponse>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProductResponse {
    pub fn new(p: &Product, staff: bool) -> Self {
        ProductResponse {
            id: p.id,
            sku: p.sku.clone(),
            name: p.name.clone(),
            kind: p.kind,
            unit: p.unit.clone(),
            quantity_type: p.quantity_type,
            net_price: Price(p.net_price),
            purchase_price: staff.then_some(Price(p.purchase_price)),
            vat_rate: Plain(p.vat_rate),
            currency: p.currency.clone(),
            stock: Plain(p.stock),
            reserved: Plain(p.reserved),
            free: Plain(p.stock - p.reserved),
            drum_options: p
                .drum_options
                .iter()
                .map(|o| DrumOptionResponse {
                    drum_product_id: o.drum_product_id,
                    max_length: Plain(o.max_length),
                })
                .collect(),
            active: p.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    /// Only the product with this SKU.
    pub sku: Option<String>,
    /// Only products whose SKU or name contains this text, in any letter case.
    pub search: Option<String>,
    /// Only products of this kind.
    pub kind: Option<ProductKind>,
    /// Only active (`true`) or only inactive (`false`) products.
    pub active: Option<bool>,
}

impl ProductListQuery {
    /// The products this query asks for.
    pub fn filter(&self) -> ProductFilter {
        ProductFilter {
            sku: self.sku.clone(),
            search: self.search.clone(),
            kind: self.kind,
            active: self.active,
        }
    }
}
