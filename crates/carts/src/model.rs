use chrono::{DateTime, Utc};
use orderpath_pricing::DocumentTotals;
use uuid::Uuid;

/// A cart line has the shape of every document line; its prices follow the catalog
/// unless overridden.
pub use orderpath_lines::{Line as CartLine, LineFlags};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartStatus {
    Open,
    /// An order was placed from the cart; it no longer changes.
    Ordered,
}

impl CartStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CartStatus::Open => "OPEN",
            CartStatus::Ordered => "ORDERED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "OPEN" => Some(CartStatus::Open),
            "ORDERED" => Some(CartStatus::Ordered),
            _ => None,
        }
    }
}

/// Where a cart was opened: the merchant's backoffice or the customer's online front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Backoffice,
    Ofe,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Backoffice => "BACKOFFICE",
            Source::Ofe => "OFE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "BACKOFFICE" => Some(Source::Backoffice),
            "OFE" => Some(Source::Ofe),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cart {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: CartStatus,
    pub currency: String,
    pub source: Source,
    /// Rises by one with every change; clients send it back in `If-Match`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In position order.
    pub lines: Vec<CartLine>,
    pub totals: DocumentTotals,
}
