use chrono::{DateTime, Utc};
use orderpath_core::stored_enum;
use orderpath_pricing::DocumentTotals;
use rust_decimal::Decimal;
use uuid::Uuid;

/// An order line has the shape of a cart line; its prices are the order's own copy.
pub use orderpath_lines::Line as OrderLine;

stored_enum! {
    /// Stored and sent as `READY`, `WAITING_FOR_STOCK` or `SHIPPED`.
    pub enum ShipmentStatus {
        /// Covered by stock, which it reserves.
        Ready,
        /// Waits until stock covers it.
        WaitingForStock,
        Shipped,
    }
}

/// A quantity of one line in one shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentLine {
    pub line_id: Uuid,
    pub quantity: Decimal,
}

#[derive(Debug, Clone)]
pub struct Shipment {
    /// `None` in a plan that was not placed yet.
    pub id: Option<Uuid>,
    pub status: ShipmentStatus,
    pub lines: Vec<ShipmentLine>,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: Uuid,
    /// Human-readable, unique and increasing: `OR-000042`.
    pub number: String,
    /// The cart it was placed from, or `None` when it was placed from an offer.
    pub cart_id: Option<Uuid>,
    /// The offer it was placed from, if any.
    pub offer_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub currency: String,
    /// Rises with every change, including stock releasing a waiting shipment.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub lines: Vec<OrderLine>,
    pub totals: DocumentTotals,
    /// In the order they were created: the first ready one, then waiting or released ones.
    pub shipments: Vec<Shipment>,
}
