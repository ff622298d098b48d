//! Bodies of the configured-product and cable-calculator routes.

use orderpath_carts::CablePlan;
use orderpath_configurator as configurator;
use orderpath_core::quantity::QuantityType;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::decimal::{Amount, DecimalInput, Plain, Price};

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChildBody {
    pub product_id: Uuid,
    pub quantity: QuantityOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_quantity_change: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_quantity_splitting: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removable: Option<bool>,
}

/// One configurable product: a parent line (e.g. a cable cut) and its children (e.g. the
/// drum it is wound on). Flags default to `true`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurableProductBody {
    pub product_id: Uuid,
    pub quantity: QuantityOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_quantity_change: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_quantity_splitting: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removable: Option<bool>,
    #[serde(default)]
    pub children: Vec<ChildBody>,
}

/// A quantity as read from a request, and as written in a ready-to-send body.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct QuantityOut {
    #[serde(rename = "type")]
    pub kind: QuantityType,
    #[schema(value_type = String, example = "250")]
    #[serde(serialize_with = "plain_string")]
    pub value: DecimalInput,
}

fn plain_string<S: serde::Serializer>(v: &DecimalInput, s: S) -> Result<S::Ok, S::Error> {
    Plain(v.0).serialize(s)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddConfigurableProductsRequest {
    pub configurable_products: Vec<ConfigurableProductBody>,
}

fn requested(q: &QuantityOut) -> configurator::RequestedQuantity {
    configurator::RequestedQuantity {
        kind: q.kind,
        value: q.value.0,
    }
}

impl AddConfigurableProductsRequest {
    pub fn into_domain(self) -> Vec<configurator::ConfigurableRequest> {
        self.configurable_products
            .into_iter()
            .map(|item| configurator::ConfigurableRequest {
                product_id: item.product_id,
                quantity: requested(&item.quantity),
                flags: configurator::Flags {
                    allow_quantity_change: item.allow_quantity_change,
                    allow_quantity_splitting: item.allow_quantity_splitting,
                    removable: item.removable,
                },
                children: item
                    .children
                    .into_iter()
                    .map(|child| configurator::ChildRequest {
                        product_id: child.product_id,
                        quantity: requested(&child.quantity),
                        flags: configurator::Flags {
                            allow_quantity_change: child.allow_quantity_change,
                            allow_quantity_splitting: child.allow_quantity_splitting,
                            removable: child.removable,
                        },
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Either `cuts` (the lengths wanted) or `totalLength` (the calculator chooses the cuts).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CableCalculatorRequest {
    pub cable_product_id: Uuid,
    #[schema(value_type = Option<Vec<String>>, example = json!(["400", "400", "150"]))]
    pub cuts: Option<Vec<DecimalInput>>,
    #[schema(value_type = Option<String>, example = "1250")]
    pub total_length: Option<DecimalInput>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CutResponse {
    #[schema(value_type = String, example = "400")]
    pub length: Plain,
    pub drum_product_id: Uuid,
    #[schema(value_type = String, example = "30.00")]
    pub drum_price: Price,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CableCalculatorResponse {
    pub cuts: Vec<CutResponse>,
    /// The drums' prices added up.
    #[schema(value_type = String, example = "72.00")]
    pub drum_cost: Amount,
    /// A body `add-configurable-products` accepts unchanged: one cable cut per drum.
    pub configurable_products: Vec<ConfigurableProductBody>,
}

impl CableCalculatorResponse {
    /// The drums proposed for cuts of `cable`, with each cut as a configurable product.
    pub fn new(cable: Uuid, plan: &CablePlan) -> Self {
        CableCalculatorResponse {
            drum_cost: Amount(plan.drum_cost),
            configurable_products: plan
                .cuts
                .iter()
                .map(|p| ConfigurableProductBody {
                    product_id: cable,
                    quantity: QuantityOut {
                        kind: QuantityType::ContentQuantity,
                        value: DecimalInput(p.length),
                    },
                    allow_quantity_change: None,
                    allow_quantity_splitting: None,
                    removable: None,
                    children: vec![ChildBody {
                        product_id: p.drum_product_id,
                        quantity: QuantityOut {
                            kind: QuantityType::Unit,
                            value: DecimalInput(Decimal::ONE),
                        },
                        allow_quantity_change: None,
                        allow_quantity_splitting: None,
                        removable: None,
                    }],
                })
                .collect(),
            cuts: plan
                .cuts
                .iter()
                .map(|p| CutResponse {
                    length: Plain(p.length),
                    drum_product_id: p.drum_product_id,
                    drum_price: Price(p.drum_price),
                })
                .collect(),
        }
    }
}
