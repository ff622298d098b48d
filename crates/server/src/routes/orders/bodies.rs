//! Request and response bodies of the order routes, and the shipment plan of a cart.

use chrono::{DateTime, Utc};
use orderpath_orders::{Order, Shipment, ShipmentStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::decimal::Plain;
use crate::routes::document::document_body;

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

document_body! {
    Order => OrderResponse {
        id: Uuid,
        /// Human-readable, unique and increasing.
        number: String,
        /// The cart the order was placed from; `null` for an order placed from an offer.
        cart_id: Option<Uuid>,
        /// The offer the order was placed from; `null` for an order placed from a cart.
        offer_id: Option<Uuid>,
        customer_id: Uuid,
        currency: String,
        version: i64,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>;
        lines, totals,
        shipments: Vec<ShipmentResponse>,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OrderListQuery {
    /// Only this customer's orders.
    pub customer_id: Option<Uuid>,
}
