//! Cable products cut to length and wound on drums (SPEC section 7): adding configured
//! products to a cart, and the cable calculator that proposes the drums.

use actix_web::{web, HttpResponse};
use orderpath_configurator as configurator;
use orderpath_core::quantity::QuantityType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::decimal::{Amount, DecimalInput, Plain, Price};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::CartId;
use crate::api::if_match::IfMatch;
use crate::auth::Caller;
use crate::routes::carts::bodies::CartResponse;
use crate::routes::carts::cart_response;
use crate::state::AppState;

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
    fn into_domain(self) -> Vec<configurator::ConfigurableRequest> {
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

/// Add configured products, each as a parent line followed by its child lines, in one
/// transaction: one invalid item rejects the whole request. Never merges lines.
#[utoipa::path(post, path = "/carts/{cartId}/add-configurable-products", tag = "carts",
    request_body = AddConfigurableProductsRequest,
    params(("cartId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_configurable_products(
    state: web::Data<AppState>,
    caller: Caller,
    cart_id: CartId,
    if_match: IfMatch,
    body: Json<AddConfigurableProductsRequest>,
) -> Result<HttpResponse, ApiError> {
    let items = body.0.into_domain();
    let scope = caller.customer_scope();
    let now = state.clock.now();
    let cart = orderpath_db::write(&state.pool, move |conn| {
        orderpath_carts::add_configurable_products(conn, cart_id.0, scope, if_match.0, &items, now)
    })
    .await?;
    Ok(cart_response(HttpResponse::Ok(), &cart, &caller))
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

/// Propose the cheapest drums for cuts of a cable: per cut, the cheapest drum that carries
/// it; for a total length, the cheapest set of drums that covers it (fewer drums on a tie).
#[utoipa::path(post, path = "/cable-calculator", tag = "carts", request_body = CableCalculatorRequest,
    responses((status = 200, body = CableCalculatorResponse), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn cable_calculator(
    state: web::Data<AppState>,
    _caller: Caller,
    body: Json<CableCalculatorRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let wanted = match (request.cuts, request.total_length) {
        (Some(cuts), None) if !cuts.is_empty() => {
            Wanted::Cuts(cuts.into_iter().map(|c| c.0).collect())
        }
        (Some(_), None) => return Err(field("cuts", "needs at least one length")),
        (None, Some(total)) => Wanted::Total(total.0),
        _ => {
            return Err(field(
                "cuts",
                "send either cuts or totalLength, not both or neither",
            ))
        }
    };
    let cable = request.cable_product_id;
    let choices = orderpath_db::read(&state.pool, move |conn| {
        orderpath_carts::cable_drum_choices(conn, cable)
    })
    .await?;
    let plans = match &wanted {
        Wanted::Cuts(cuts) => configurator::plan_cuts(&choices, cuts),
        Wanted::Total(total) => configurator::plan_total_length(&choices, *total),
    }
    .map_err(|e| field(calculator_field(&e, &wanted), e.to_string()))?;
    Ok(HttpResponse::Ok().json(CableCalculatorResponse {
        drum_cost: Amount(configurator::drum_cost(&plans)),
        configurable_products: plans
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
                        value: DecimalInput(rust_decimal::Decimal::ONE),
                    },
                    allow_quantity_change: None,
                    allow_quantity_splitting: None,
                    removable: None,
                }],
            })
            .collect(),
        cuts: plans
            .iter()
            .map(|p| CutResponse {
                length: Plain(p.length),
                drum_product_id: p.drum_product_id,
                drum_price: Price(p.drum_price),
            })
            .collect(),
    }))
}

enum Wanted {
    Cuts(Vec<rust_decimal::Decimal>),
    Total(rust_decimal::Decimal),
}

fn field(name: impl Into<String>, message: impl Into<String>) -> ApiError {
    orderpath_core::Error::field(name, message).into()
}

/// The request field a calculator error is about.
fn calculator_field(error: &configurator::CalculatorError, wanted: &Wanted) -> String {
    use configurator::CalculatorError as E;
    match (error, wanted) {
        (E::NoDrumOptions | E::InvalidDrumOption { .. } | E::DuplicateDrumOption { .. }, _) => {
            "cableProductId".into()
        }
        (E::InvalidLength { index, .. } | E::CutTooLong { index, .. }, Wanted::Cuts(_)) => {
            format!("cuts[{index}]")
        }
        (_, Wanted::Cuts(_)) => "cuts".into(),
        (_, Wanted::Total(_)) => "totalLength".into(),
    }
}
