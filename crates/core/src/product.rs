//! What a catalog product is, as far as more than the catalog needs to know: its kind and
//! the drums a cable may be wound on. Shared by the catalog, which stores them, and the
//! pure configurator, which checks configurations by them.

use rust_decimal::Decimal;
use uuid::Uuid;

crate::stored_enum! {
    /// A product's kind; stored and sent as `STANDARD`, `CABLE` or `DRUM`.
    pub enum ProductKind {
        /// An ordinary product (or an accessory when it is a child line).
        Standard,
        /// Sold by length, cut to order and wound on a drum.
        Cable,
        /// A drum that carries a cable cut; only ever a child of a cable.
        Drum,
    }
}

/// One drum a cable may be wound on, and the longest cut of this cable (in metres) it
/// carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrumOption {
    pub drum_product_id: Uuid,
    pub max_length: Decimal,
}
