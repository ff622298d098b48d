//! `NUMERIC` read straight into a `Decimal`. The generic conversion (diesel's `PgNumeric`,
//! then rust_decimal's) allocates twice per value and divides a `Decimal` for every group
//! of four fractional digits; reading a 50-line cart decodes about 300 numbers, and that
//! conversion was a tenth of the server's work for it (docs/benchmarks.md, Numbers read without allocating).
//! Here the digits are summed into one integer instead. Values that integer cannot hold
//! exactly (more than 28 decimals, beyond 96 bits) take the generic conversion, so every
//! value reads exactly as before, scale included.
//!
//! Used as `#[diesel(deserialize_as = ExactDecimal)]` (or `OptionalDecimal` for a nullable
//! column) on `Decimal` fields of rows read often.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Nullable, Numeric};
use rust_decimal::Decimal;

/// A `NUMERIC` value as a `Decimal`, decoded without allocating.
#[derive(Debug, Clone, Copy, PartialEq, FromSqlRow)]
pub struct ExactDecimal(pub Decimal);

impl From<ExactDecimal> for Decimal {
    fn from(value: ExactDecimal) -> Decimal {
        value.0
    }
}

impl FromSql<Numeric, Pg> for ExactDecimal {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        match decode(value.as_bytes()) {
            Some(decimal) => Ok(ExactDecimal(decimal)),
            None => Ok(ExactDecimal(<Decimal as FromSql<Numeric, Pg>>::from_sql(
                value,
            )?)),
        }
    }
}

/// A nullable `NUMERIC` value, decoded as [`ExactDecimal`].
#[derive(Debug, Clone, Copy, PartialEq, FromSqlRow)]
pub struct OptionalDecimal(pub Option<Decimal>);

impl From<OptionalDecimal> for Option<Decimal> {
    fn from(value: OptionalDecimal) -> Option<Decimal> {
        value.0
    }
}

impl FromSql<Nullable<Numeric>, Pg> for OptionalDecimal {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let ExactDecimal(decimal) = FromSql::<Numeric, Pg>::from_sql(value)?;
        Ok(OptionalDecimal(Some(decimal)))
    }

    fn from_nullable_sql(value: Option<PgValue<'_>>) -> deserialize::Result<Self> {
        match value {
            Some(value) => Self::from_sql(value),
            None => Ok(OptionalDecimal(None)),
        }
    }
}

const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;

/// The binary `NUMERIC` in `bytes` (digit count, weight, sign, display scale, then the
/// digits in base 10,000, the first worth 10,000^weight) as a `Decimal` of the display
/// scale; none for anything the generic conversion should decide (NaN, infinities, a
/// malformed value, more than 28 decimals, a mantissa beyond 96 bits, or digits beyond
/// the display scale that are not zero).
pub fn decode(bytes: &[u8]) -> Option<Decimal> {
    let word = |i: usize| -> Option<u16> {
        let pair = bytes.get(2 * i..2 * i + 2)?;
        Some(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let count = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    let scale = word(3)?;
    if bytes.len() != 8 + 2 * count || (sign != POSITIVE && sign != NEGATIVE) || scale > 28 {
        return None;
    }
    let mut mantissa: i128 = 0;
    for i in 0..count {
        let digit = word(4 + i)?;
        if digit > 9999 {
            return None;
        }
        // This group's power of ten in the mantissa: 4 per group, plus the scale.
        let power = 4 * (weight - i as i32) + i32::from(scale);
        let value = if power >= 0 {
            i128::from(digit).checked_mul(10i128.checked_pow(power as u32)?)?
        } else {
            let divisor = 10i128.checked_pow(power.unsigned_abs())?;
            if i128::from(digit) % divisor != 0 {
                return None;
            }
            i128::from(digit) / divisor
        };
        mantissa = mantissa.checked_add(value)?;
    }
    if sign == NEGATIVE {
        mantissa = -mantissa;
    }
    Decimal::try_from_i128_with_scale(mantissa, u32::from(scale)).ok()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use diesel::pg::data_types::PgNumeric;

    use super::*;

    /// The binary form PostgreSQL sends for `numeric`.
    fn binary(numeric: &PgNumeric) -> Vec<u8> {
        let (sign, weight, scale, digits): (u16, i16, u16, &[i16]) = match numeric {
            PgNumeric::Positive {
                weight,
                scale,
                digits,
            } => (POSITIVE, *weight, *scale, digits),
            PgNumeric::Negative {
                weight,
                scale,
                digits,
            } => (NEGATIVE, *weight, *scale, digits),
            PgNumeric::NaN => (0xC000, 0, 0, &[]),
        };
        let mut bytes = Vec::new();
        for word in [digits.len() as u16, weight as u16, sign, scale] {
            bytes.extend_from_slice(&word.to_be_bytes());
        }
        for digit in digits {
            bytes.extend_from_slice(&digit.to_be_bytes());
        }
        bytes
    }

    fn numeric(digits: &[i16], weight: i16, scale: u16, negative: bool) -> PgNumeric {
        let digits = digits.to_vec();
        if negative {
            PgNumeric::Negative {
                weight,
                scale,
                digits,
            }
        } else {
            PgNumeric::Positive {
                weight,
                scale,
                digits,
            }
        }
    }

    #[test]
    fn reads_what_the_generic_conversion_reads_scale_included() {
        let cases: &[(&[i16], i16, u16, bool)] = &[
            (&[], 0, 0, false),
            (&[], 0, 2, false),
            (&[10], 0, 2, false),
            (&[12, 5000], 0, 2, false),
            (&[12, 5000], 0, 2, true),
            (&[1, 2345, 6789], 1, 4, false),
            (&[5], -1, 4, false),
            (&[50], -1, 6, false),
            (&[997, 1230], 0, 3, false),
            (&[23], 0, 0, false),
            (&[1], 2, 0, false),
            (&[9999, 9999, 9999, 9999, 9999, 9999, 9999], 6, 0, false),
            (&[1, 0, 0, 1], 0, 12, true),
        ];
        for &(digits, weight, scale, negative) in cases {
            let value = numeric(digits, weight, scale, negative);
            let generic = Decimal::try_from(&value).expect("generic");
            let fast = decode(&binary(&value)).expect("decoded");
            assert_eq!(fast, generic, "{value:?}");
            assert_eq!(fast.scale(), generic.scale(), "{value:?}");
            assert_eq!(fast.to_string(), generic.to_string(), "{value:?}");
        }
    }

    #[test]
    fn leaves_to_the_generic_conversion_what_it_cannot_hold_exactly() {
        // NaN, more than 28 decimals, beyond 96 bits, non-zero digits past the scale,
        // a digit out of range, a truncated value.
        let nan = binary(&PgNumeric::NaN);
        assert_eq!(decode(&nan), None);
        assert_eq!(decode(&binary(&numeric(&[1], -8, 32, false))), None);
        assert_eq!(decode(&binary(&numeric(&[1], 8, 0, false))), None);
        assert_eq!(decode(&binary(&numeric(&[1, 5], 0, 2, false))), None);
        assert_eq!(decode(&binary(&numeric(&[10000], 0, 0, false))), None);
        let whole = binary(&numeric(&[12, 5000], 0, 2, false));
        assert_eq!(decode(&whole[..whole.len() - 1]), None);
    }

    #[test]
    fn every_decimal_written_reads_back_equal() {
        for text in [
            "0", "0.00", "1", "-1", "12.50", "-0.001", "997.123", "5000000", "73.001",
        ] {
            let decimal = Decimal::from_str(text).expect("decimal");
            let read = decode(&binary(&PgNumeric::from(decimal))).expect("decoded");
            assert_eq!(read, decimal, "{text}");
        }
    }
}
