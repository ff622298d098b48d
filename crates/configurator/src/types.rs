//! Input and output types of [`build_drafts`](crate::build_drafts).
//!
//! These mirror the shape of a configurable-product request without any
//! serialisation concerns: the HTTP layer maps its JSON onto them, and the
//! `field` paths in [`FieldError`] use the JSON names so the caller can hand
//! them back to the client unchanged.

use std::fmt;

use rust_decimal::Decimal;
use uuid::Uuid;

/// What role a catalog product can play in a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductKind {
    /// An ordinary product (or accessory when used as a child).
    Standard,
    /// A cable sold by length; its quantity is the cut length in metres.
    Cable,
    /// A drum a cable cut is wound on; only ever a child of a cable.
    Drum,
}

/// How a product's quantity is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityType {
    /// Whole pieces.
    Unit,
    /// A measured content (e.g. metres of cable), up to 3 decimal places.
    ContentQuantity,
}

impl fmt::Display for QuantityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unit => "unit",
            Self::ContentQuantity => "content quantity",
        })
    }
}

/// A drum a cable may be wound on, and the longest cut that drum carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrumOption {
    pub drum_product_id: Uuid,
    /// Longest cut, in metres, this drum can carry.
    pub max_length: Decimal,
}

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

/// A quantity as the client sent it, before it is checked against the product.
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

/// A validation failure, addressed by the JSON path of the offending field
/// (e.g. `configurableProducts[0].children[1].quantity.value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A validated line, ready to be turned into a cart/order line.
///
/// Flags are resolved (absent flags became `true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    pub product_id: Uuid,
    pub quantity_type: QuantityType,
    pub quantity: Decimal,
    pub allow_quantity_change: bool,
    pub allow_quantity_splitting: bool,
    pub removable: bool,
    /// index into the returned Vec of this line's parent; None for parents
    pub parent_index: Option<usize>,
}
