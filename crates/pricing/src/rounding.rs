use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds an amount to cents, half away from zero (2.345 → 2.35, −2.345 → −2.35). The one
/// rounding rule of orderpath.
pub fn round_money(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round_money(dec!(2.345)), dec!(2.35));
        assert_eq!(round_money(dec!(2.335)), dec!(2.34));
        assert_eq!(round_money(dec!(-2.345)), dec!(-2.35));
        assert_eq!(round_money(dec!(2.3449999)), dec!(2.34));
        assert_eq!(round_money(dec!(0.005)), dec!(0.01));
    }
}
