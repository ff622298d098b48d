use chrono::{DateTime, Utc};
use orderpath_pricing::DocumentTotals;
use rust_decimal::Decimal;
use uuid::Uuid;

/// An order line has the shape of a cart line; its prices are the order's own copy.
pub use orderpath_lines::Line as OrderLine;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentStatus {
    /// Covered by stock, which it reserves.
    Ready,
    /// Waits until stock covers it.
    WaitingForStock,
    Shipped,
}

impl ShipmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShipmentStatus::Ready => "READY",
            ShipmentStatus::WaitingForStock => "WAITING_FOR_STOCK",
            ShipmentStatus::Shipped => "SHIPPED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "READY" => Some(ShipmentStatus::Ready),
            "WAITING_FOR_STOCK" => Some(ShipmentStatus::WaitingForStock),
            "SHIPPED" => Some(ShipmentStatus::Shipped),
            _ => None,
        }
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
    pub cart_id: Uuid,
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
