use std::sync::Arc;

use chrono::{DateTime, Utc};
use orderpath_core::stored_enum;
use orderpath_pricing::DocumentTotals;
use uuid::Uuid;

use crate::stamp::CartStamp;

/// A cart line has the shape of every document line; its prices follow the catalog
/// unless overridden.
pub use orderpath_lines::{Line as CartLine, LineFlags};

stored_enum! {
    /// Stored and sent as `OPEN` or `ORDERED`.
    pub enum CartStatus {
        Open,
        /// An order was placed from the cart; it no longer changes.
        Ordered,
    }
}

stored_enum! {
    /// Where a cart was opened: the merchant's backoffice or the customer's online front end.
    /// Stored and sent as `BACKOFFICE` or `OFE`.
    pub enum Source {
        Backoffice,
        Ofe,
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
    /// In position order. Shared, so that the cart a change leaves is kept for the next
    /// change (`recent`) and answered without copying its lines: a change takes them
    /// back with `Arc::make_mut`, which copies only while an answer still holds them.
    pub lines: Arc<Vec<CartLine>>,
    pub totals: DocumentTotals,
    /// The stamp a rendering of this cart may be kept under, when it is known: the cart
    /// as a change just left it, or as read with its stamp.
    pub stamp: Option<CartStamp>,
}

impl Cart {
    /// The lines, to change: copied first only when an answer still shares them.
    pub fn lines_mut(&mut self) -> &mut Vec<CartLine> {
        Arc::make_mut(&mut self.lines)
    }
}
