//! Exact decimals in JSON. Input accepts a string (`"0.1"`) or a number (`0.1`); numbers
//! are read from their text (serde_json's `arbitrary_precision`), never through a float.
//! Either is written `-?digits[.digits]` (`docs/api.md`, Strict input): no `_`, `+`,
//! exponent or spaces, which a lenient reader would take for a different number.
//! Output is always a string, in the format `docs/api.md` (Decimals) gives each kind of value.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The key serde_json uses to hand over a number's text under `arbitrary_precision`.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";
/// Longer inputs are refused before parsing: no legitimate amount needs more.
const MAX_DIGITS: usize = 40;

/// A decimal as a client sent it, parsed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalInput(pub Decimal);

fn parse_exact<E: de::Error>(text: &str) -> Result<Decimal, E> {
    if text.is_empty() || text.len() > MAX_DIGITS {
        return Err(E::custom("must be a decimal number such as \"12.5\""));
    }
    let refused = || {
        E::custom(format!(
            "\"{}\" is not a decimal number such as \"12.5\" (digits, an optional leading \
             minus and decimal point)",
            text.escape_debug()
        ))
    };
    if !is_plain_decimal(text) {
        return Err(refused());
    }
    Decimal::from_str(text).map_err(|_| refused())
}

/// Whether `text` is `-?digits[.digits]`.
fn is_plain_decimal(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = DecimalInput;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number, as a string or a JSON number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_exact(v).map(DecimalInput)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(DecimalInput(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(DecimalInput(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        // Unreachable with arbitrary_precision; refusing beats guessing a float's value.
        Err(E::custom("send the number as a string, e.g. \"12.5\""))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == NUMBER_TOKEN => {
                let text: String = map.next_value()?;
                parse_exact(&text).map(DecimalInput)
            }
            _ => Err(de::Error::custom(
                "expected a decimal number, as a string or a JSON number",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for DecimalInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

/// A total or a margin: exactly two decimals (`"506.10"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Decimal);

/// A unit or purchase price: at least two and at most four decimals (`"4.80"`, `"0.0049"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price(pub Decimal);

/// A quantity, stock level or VAT rate: trailing zeros dropped (`"10"`, `"120.5"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain(pub Decimal);

impl Amount {
    /// Rounded to 2 places, always written with 2.
    fn shown(&self) -> Decimal {
        let mut d = self.0.round_dp(2);
        d.rescale(2);
        d
    }

    pub fn format(&self) -> String {
        self.shown().to_string()
    }
}

impl Price {
    /// Rounded to 4 places, written with at least 2.
    fn shown(&self) -> Decimal {
        let mut d = self.0.round_dp(4).normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        d
    }

    pub fn format(&self) -> String {
        self.shown().to_string()
    }
}

impl Plain {
    /// Without trailing zeros.
    fn shown(&self) -> Decimal {
        self.0.normalize()
    }

    pub fn format(&self) -> String {
        self.shown().to_string()
    }
}

/// The text of a decimal (as `Display` writes it), made on the stack from its digits: a
/// document of a hundred lines writes a thousand decimals, and a `String` each, through the
/// formatting machinery, was a fifth of its rendering's time.
struct DecimalText {
    bytes: [u8; 48],
    len: usize,
}

impl DecimalText {
    fn of(d: Decimal) -> DecimalText {
        // At most 29 digits (96 bits) and the zeros before the point: 28 at most.
        let mut reversed = [0u8; 40];
        let scale = d.scale() as usize;
        let mut count = 0;
        let mut push = |digit: u8| {
            reversed[count] = b'0' + digit;
            count += 1;
        };
        let mut m = d.mantissa().unsigned_abs();
        loop {
            // In u64 once it fits: dividing a u128 is a library call.
            let (rest, digit) = match u64::try_from(m) {
                Ok(small) => (u128::from(small / 10), small % 10),
                Err(_) => (m / 10, (m % 10) as u64),
            };
            push(digit as u8);
            m = rest;
            if m == 0 {
                break;
            }
        }
        while count <= scale {
            reversed[count] = b'0';
            count += 1;
        }
        let mut text = DecimalText {
            bytes: [0; 48],
            len: 0,
        };
        if d.is_sign_negative() {
            text.push(b'-');
        }
        for i in (0..count).rev() {
            if i + 1 == scale {
                text.push(b'.');
            }
            text.push(reversed[i]);
        }
        text
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, '-' and '.' are written into `bytes`.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

macro_rules! serialize_as_string {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(DecimalText::of(self.shown()).as_str())
            }
        }

        impl $t {
            /// Appends the JSON string this value serializes to: its text in quotes,
            /// which never needs escaping (digits, `-` and `.`).
            pub fn write_json(&self, out: &mut Vec<u8>) {
                out.push(b'"');
                out.extend_from_slice(DecimalText::of(self.shown()).as_str().as_bytes());
                out.push(b'"');
            }
        }
    )*};
}
serialize_as_string!(Amount, Price, Plain);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        let mut values: Vec<Decimal> = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1",
            "-1",
            "10",
            "0.5",
            "-0.05",
            "12.50",
            "100.000",
            "0.0001",
            "-123456789.123456789",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "7.9228162514264337593543950335",
            "18446744073709551615",
            "18446744073709551616",
        ]
        .iter()
        .map(|s| Decimal::from_str(s).expect("decimal"))
        .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mantissa = (seed as i64 >> (seed % 40)) as i128 * if seed % 3 == 0 { 1 } else { 7 };
            values.push(Decimal::from_i128_with_scale(mantissa, (seed % 29) as u32));
        }
        for d in values {
            assert_eq!(DecimalText::of(d).as_str(), d.to_string(), "{d:?}");
            for shown in [Amount(d).shown(), Price(d).shown(), Plain(d).shown()] {
                assert_eq!(DecimalText::of(shown).as_str(), shown.to_string());
            }
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[derive(Deserialize)]
    struct Holder {
        v: DecimalInput,
    }

    fn parse(json: &str) -> Result<Decimal, String> {
        serde_json::from_str::<Holder>(json)
            .map(|h| h.v.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn strings_and_numbers_parse_to_the_same_exact_value() {
        assert_eq!(parse(r#"{"v": "0.1"}"#), Ok(dec("0.1")));
        assert_eq!(parse(r#"{"v": 0.1}"#), Ok(dec("0.1")));
        assert_eq!(parse(r#"{"v": 120.500}"#), Ok(dec("120.500")));
        assert_eq!(parse(r#"{"v": 12}"#), Ok(dec("12")));
        assert_eq!(parse(r#"{"v": "-3.50"}"#), Ok(dec("-3.50")));
        assert_eq!(parse(r#"{"v": -3.5}"#), Ok(dec("-3.5")));
        // A float would have made this 0.30000000000000004.
        assert_eq!(
            parse(r#"{"v": 0.30000000000000000001}"#),
            Ok(dec("0.30000000000000000001"))
        );
    }

    #[test]
    fn non_numbers_are_refused() {
        assert!(parse(r#"{"v": "abc"}"#).is_err());
        assert!(parse(r#"{"v": true}"#).is_err());
        assert!(parse(r#"{"v": ""}"#).is_err());
        assert!(parse(r#"{"v": {"x": 1}}"#).is_err());
        assert!(parse(r#"{"v": "1e999999"}"#).is_err());
    }

    #[test]
    fn only_digits_with_an_optional_minus_and_point_are_decimals() {
        for refused in [
            r#""1_000""#,
            r#""+1""#,
            r#""1e2""#,
            r#""1E2""#,
            r#"1e2"#,
            r#"1.5E-3"#,
            r#"" 12""#,
            r#""12 ""#,
            r#""1 000""#,
            r#"".5""#,
            r#""5.""#,
            r#""-""#,
            r#""--1""#,
            r#""0x10""#,
            r#""١٢""#,
        ] {
            assert!(
                parse(&format!(r#"{{"v": {refused}}}"#)).is_err(),
                "{refused}"
            );
        }
    }

    #[test]
    fn output_formats_follow_the_specification() {
        assert_eq!(Amount(dec("506.1")).format(), "506.10");
        assert_eq!(Amount(dec("0")).format(), "0.00");
        assert_eq!(Price(dec("4.8")).format(), "4.80");
        assert_eq!(Price(dec("0.0049")).format(), "0.0049");
        assert_eq!(Price(dec("5")).format(), "5.00");
        assert_eq!(Plain(dec("10.000")).format(), "10");
        assert_eq!(Plain(dec("120.50")).format(), "120.5");
    }
}
