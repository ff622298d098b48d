//! Prices, VAT rates and currencies as validated exact decimals.

use rust_decimal::Decimal;

/// Prices are below one billion per unit: far above any real price, and small enough that
/// line totals stay exact.
pub const MAX_PRICE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// Unit and purchase prices carry at most this many decimals.
pub const PRICE_SCALE: u32 = 4;

/// Checks a unit or purchase price: ≥ 0, < [`MAX_PRICE`], at most 4 decimals. Returns the
/// value with trailing zeros dropped; the error is a message for the field.
pub fn validate_price(value: Decimal) -> Result<Decimal, String> {
    validate_bounded(value, MAX_PRICE, PRICE_SCALE)
}

/// Checks an amount that may be zero but not negative: < `limit`, at most `scale`
/// decimals. Returns the value with trailing zeros dropped; the error is a message for
/// the field.
pub fn validate_bounded(value: Decimal, limit: Decimal, scale: u32) -> Result<Decimal, String> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err("must not be negative".into());
    }
    if value >= limit {
        return Err(format!("must be less than {limit}"));
    }
    let value = value.normalize();
    if value.scale() > scale {
        return Err(format!("may have at most {scale} decimal places"));
    }
    Ok(value)
}

/// Checks a VAT rate in percent: 0 to 100, at most 3 decimals.
pub fn validate_vat_rate(value: Decimal) -> Result<Decimal, String> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err("must not be negative".into());
    }
    if value > Decimal::ONE_HUNDRED {
        return Err("must be at most 100 (percent)".into());
    }
    let value = value.normalize();
    if value.scale() > 3 {
        return Err("may have at most 3 decimal places".into());
    }
    Ok(value)
}

/// Checks an ISO 4217 code's shape: three upper-case letters.
pub fn validate_currency(code: &str) -> Result<String, String> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code.to_string())
    } else {
        Err("must be an ISO 4217 code of three upper-case letters, such as EUR".into())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn prices_are_non_negative_with_four_decimals() {
        assert_eq!(validate_price(dec!(4.8000)), Ok(dec!(4.8)));
        // Free is a price; so is the largest one below the limit, to the last decimal.
        assert_eq!(validate_price(dec!(0)), Ok(Decimal::ZERO));
        assert_eq!(validate_price(dec!(-0)), Ok(Decimal::ZERO));
        assert_eq!(validate_price(dec!(0.0049)), Ok(dec!(0.0049)));
        assert_eq!(
            validate_price(dec!(999999999.9999)),
            Ok(dec!(999999999.9999))
        );
        assert_eq!(
            validate_price(dec!(0.00049)),
            Err("may have at most 4 decimal places".into())
        );
        assert_eq!(validate_price(dec!(0.12340)), Ok(dec!(0.1234)));
        assert_eq!(
            validate_price(dec!(-0.01)),
            Err("must not be negative".into())
        );
        assert_eq!(
            validate_price(dec!(1000000000)),
            Err("must be less than 1000000000".into())
        );
    }

    #[test]
    fn vat_rates_and_currencies() {
        assert_eq!(validate_vat_rate(dec!(23.000)), Ok(dec!(23)));
        assert_eq!(validate_vat_rate(dec!(0)), Ok(Decimal::ZERO));
        assert_eq!(
            validate_vat_rate(dec!(100)),
            Ok(Decimal::ONE_HUNDRED),
            "the whole amount is the highest rate"
        );
        assert_eq!(validate_vat_rate(dec!(7.125)), Ok(dec!(7.125)));
        assert_eq!(
            validate_vat_rate(dec!(100.001)),
            Err("must be at most 100 (percent)".into())
        );
        assert_eq!(
            validate_vat_rate(dec!(-1)),
            Err("must not be negative".into())
        );
        assert_eq!(
            validate_vat_rate(dec!(7.1255)),
            Err("may have at most 3 decimal places".into())
        );
        assert_eq!(validate_currency("EUR"), Ok("EUR".to_string()));
        assert!(validate_currency("eur").is_err());
        assert!(validate_currency("EURO").is_err());
        assert!(validate_currency("EU").is_err());
    }
}
