//! Request and response bodies of the order routes, and the shipment plan of a cart.

use chrono::{DateTime, Utc};
use orderpath_orders::{Order, Shipment, ShipmentStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::call::Shown;
use crate::api::decimal::Plain;
use crate::routes::carts::bodies::{LineResponse, TotalsResponse};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentLineResponse {
    pub line_id: Uuid,
    #[schema(value_type = String, example = "200")]
    pub quantity: Plain,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentResponse {
    /// `null` in a plan: the shipment does not exist yet.
    pub id: Option<Uuid>,
    pub status: ShipmentStatus,
    pub lines: Vec<ShipmentLineResponse>,
}

impl From<&Shipment> for ShipmentResponse {
    fn from(s: &Shipment) -> Self {
        ShipmentResponse {
            id: s.id,
            status: s.status,
            lines: s
                .lines
                .iter()
                .map(|l| ShipmentLineResponse {
                    line_id: l.line_id,
                    quantity: Plain(l.quantity),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentPlanResponse {
    /// What placing the order now would do; line ids are the cart's.
    pub shipments: Vec<ShipmentResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    pub id: Uuid,
    /// Human-readable, unique and increasing.
    pub number: String,
    /// The cart the order was placed from; `null` for an order placed from an offer.
    pub cart_id: Option<Uuid>,
    /// The offer the order was placed from; `null` for an order placed from a cart.
    pub offer_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub currency: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<LineResponse>,
    pub totals: TotalsResponse,
    pub shipments: Vec<ShipmentResponse>,
}

impl Shown for Order {
    type Body = OrderResponse;
    fn version(&self) -> i64 {
        self.version
    }
    fn body(&self, staff: bool) -> OrderResponse {
        OrderResponse::new(self, staff)
    }
}

impl OrderResponse {
    pub fn new(order: &Order, staff: bool) -> Self {
        OrderResponse {
            id: order.id,
            number: order.number.clone(),
            cart_id: order.cart_id,
            offer_id: order.offer_id,
            customer_id: order.customer_id,
            currency: order.currency.clone(),
            version: order.version,
            created_at: order.created_at,
            updated_at: order.updated_at,
            lines: order
                .lines
                .iter()
                .map(|l| LineResponse::new(l, staff))
                .collect(),
            totals: TotalsResponse::new(&order.totals, staff),
            shipments: order.shipments.iter().map(ShipmentResponse::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OrderListQuery {
    /// Only this customer's orders.
    pub customer_id: Option<Uuid>,
}
