//! Quantities of a line: whole pieces, or a content quantity such as metres of cable.

use rust_decimal::Decimal;

crate::stored_enum! {
    /// How a product is counted; stored and sent as `UNIT` or `CONTENT_QUANTITY`.
    pub enum QuantityType {
        /// Whole pieces.
        Unit,
        /// A measured amount (metres of cable), up to 3 decimals.
        ContentQuantity,
    }
}

impl QuantityType {
    /// Decimal places a value of this type may have.
    pub fn max_scale(self) -> u32 {
        match self {
            QuantityType::Unit => 0,
            QuantityType::ContentQuantity => 3,
        }
    }
}

/// The largest quantity accepted, far above any real order but low enough that every
/// price × quantity product stays exact in `Decimal`.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A validated quantity: positive, below [`MAX_QUANTITY`], whole for `UNIT`, at most three
/// decimals for `CONTENT_QUANTITY`. No other value of this type can exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    kind: QuantityType,
    value: Decimal,
}

impl Quantity {
    /// Checks `value` against the rules of `kind`; the error is a message for the
    /// `value` field.
    pub fn new(kind: QuantityType, value: Decimal) -> Result<Self, String> {
        if value <= Decimal::ZERO {
            return Err("must be greater than 0".into());
        }
        if value >= MAX_QUANTITY {
            return Err(format!("must be less than {MAX_QUANTITY}"));
        }
        let value = value.normalize();
        if value.scale() > kind.max_scale() {
            return Err(match kind {
                QuantityType::Unit => "must be a whole number for UNIT quantities".into(),
                QuantityType::ContentQuantity => {
                    "may have at most 3 decimal places for CONTENT_QUANTITY".into()
                }
            });
        }
        Ok(Quantity { kind, value })
    }

    pub fn kind(&self) -> QuantityType {
        self.kind
    }

    pub fn value(&self) -> Decimal {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn unit_quantities_are_whole_and_positive() {
        assert!(Quantity::new(QuantityType::Unit, dec!(3)).is_ok());
        assert!(Quantity::new(QuantityType::Unit, dec!(3.000)).is_ok());
        assert!(Quantity::new(QuantityType::Unit, dec!(1.5)).is_err());
        assert!(Quantity::new(QuantityType::Unit, dec!(0)).is_err());
        assert!(Quantity::new(QuantityType::Unit, dec!(-2)).is_err());
    }

    #[test]
    fn content_quantities_allow_three_decimals() {
        let q = Quantity::new(QuantityType::ContentQuantity, dec!(120.500)).expect("valid");
        assert_eq!(q.value().to_string(), "120.5");
        assert!(Quantity::new(QuantityType::ContentQuantity, dec!(0.001)).is_ok());
        assert!(Quantity::new(QuantityType::ContentQuantity, dec!(0.0001)).is_err());
        assert!(Quantity::new(QuantityType::ContentQuantity, dec!(1000000000)).is_err());
    }
}
