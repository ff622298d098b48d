//! Input and output types of [`build_drafts`](crate::build_drafts).
//!
//! These mirror the shape of a configurable-product request without any
//! serialisation concerns: the HTTP layer maps its JSON onto them, and the
//! `field` paths of the errors use the JSON names so the caller can hand
//! them back to the client unchanged.

use orderpath_core::product::{DrumOption, ProductKind};
use orderpath_core::quantity::{Quantity, QuantityType};
use rust_decimal::Decimal;
use uuid::Uuid;

/// What the configurator needs to know of a catalog product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFacts {
    pub id: Uuid,
    pub kind: ProductKind,
    pub quantity_type: QuantityType,
    pub active: bool,
    /// Drums this product (a cable) may be wound on; ignored for other kinds.
    pub drum_options: Vec<DrumOption>,
}

/// Per-line permissions as requested; `None` means "allowed" (`true`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub allow_quantity_change: Option<bool>,
    pub allow_quantity_splitting: Option<bool>,
    pub removable: Option<bool>,
}

/// A quantity as the client sent it, before it is checked (against the product, and
/// against the rules of a [`Quantity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestedQuantity {
    pub kind: QuantityType,
    pub value: Decimal,
}

/// A line attached to a configurable product (drum, accessory, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRequest {
    pub product_id: Uuid,
    pub quantity: RequestedQuantity,
    pub flags: Flags,
}

/// One configurable product of a request: a parent line and its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigurableRequest {
    pub product_id: Uuid,
    pub quantity: RequestedQuantity,
    pub flags: Flags,
    pub children: Vec<ChildRequest>,
}

/// A validated line, ready to be turned into a cart/order line.
///
/// Flags are resolved (absent flags became `true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    pub product_id: Uuid,
    pub quantity: Quantity,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    /// index into the returned Vec of this line's parent; None for parents
    pub parent_index: Option<usize>,
}
