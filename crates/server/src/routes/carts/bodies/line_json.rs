//! A document's lines written straight into a buffer, byte for byte what serde writes for
//! [`LineResponse`](super::LineResponse) (tests compare the two on many lines, and whole
//! carts and orders with their declared bodies). Every answer showing a cart, an offer or
//! an order writes all its lines: through serde, each line copied its three texts into a
//! `LineResponse`, grew a buffer of its own, and had every key, id and decimal scanned for
//! characters to escape, none of which can occur in them (docs/benchmarks.md, Lines
//! written without serde).

use orderpath_lines::Line;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::api::decimal::{Amount, Plain, Price};

/// A document's lines as a JSON array, each as staff (`staff`) or the document's customer
/// may see it.
pub struct LinesJson<'a> {
    lines: &'a [Line],
    staff: bool,
}

impl<'a> LinesJson<'a> {
    pub fn new(lines: &'a [Line], staff: bool) -> Self {
        LinesJson { lines, staff }
    }
}

impl Serialize for LinesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.lines.len()))?;
        // Each line written here, then copied into the answer.
        let mut written = Vec::with_capacity(1024);
        for line in self.lines {
            written.clear();
            write_line_json(line, self.staff, &mut written);
            // Only ASCII is written outside texts, and texts are written whole.
            seq.serialize_element(&Verbatim(std::str::from_utf8(&written).unwrap_or_default()))?;
        }
        seq.end()
    }
}

/// JSON text written into the answer as it is. serde_json writes a struct of this name
/// verbatim: it is how its own `RawValue` serializes, which would parse the text again
/// to be made from it.
struct Verbatim<'a>(&'a str);

/// serde_json's name for text to be written verbatim (`serde_json::value::RawValue`).
const VERBATIM: &str = "$serde_json::private::RawValue";

impl Serialize for Verbatim<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut verbatim = serializer.serialize_struct(VERBATIM, 1)?;
        verbatim.serialize_field(VERBATIM, self.0)?;
        verbatim.end()
    }
}

/// Appends the JSON object of `line` as staff (`staff`) or the document's customer may
/// see it: the same bytes as `serde_json::to_vec(&LineResponse::new(line, staff))`.
pub fn write_line_json(line: &Line, staff: bool, out: &mut Vec<u8>) {
    let t = &line.totals;
    out.extend_from_slice(b"{\"id\":");
    write_uuid(&line.id, out);
    out.extend_from_slice(b",\"productId\":");
    write_uuid(&line.product_id, out);
    out.extend_from_slice(b",\"sku\":");
    write_text(&line.sku, out);
    out.extend_from_slice(b",\"name\":");
    write_text(&line.name, out);
    out.extend_from_slice(b",\"quantity\":{\"type\":\"");
    out.extend_from_slice(<&str>::from(line.quantity.kind()).as_bytes());
    out.extend_from_slice(b"\",\"value\":");
    Plain(line.quantity.value()).write_json(out);
    out.extend_from_slice(b",\"unit\":");
    write_text(&line.unit, out);
    out.extend_from_slice(b"},\"parentLineId\":");
    match &line.parent_line_id {
        Some(parent) => write_uuid(parent, out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"allowQuantityChange\":");
    write_bool(line.flags.allow_quantity_change, out);
    out.extend_from_slice(b",\"allowQuantitySplitting\":");
    write_bool(line.flags.allow_quantity_splitting, out);
    out.extend_from_slice(b",\"removable\":");
    write_bool(line.flags.removable, out);
    out.extend_from_slice(b",\"unitPrice\":");
    Price(line.unit_price).write_json(out);
    out.extend_from_slice(b",\"catalogUnitPrice\":");
    Price(line.catalog_unit_price).write_json(out);
    out.extend_from_slice(b",\"priceOverridden\":");
    write_bool(
        line.unit_price_overridden || (staff && line.purchase_price_overridden),
        out,
    );
    if staff {
        out.extend_from_slice(b",\"purchasePrice\":");
        Price(line.purchase_price).write_json(out);
    }
    out.extend_from_slice(b",\"vatRate\":");
    Plain(line.vat_rate).write_json(out);
    out.extend_from_slice(b",\"netTotal\":");
    Amount(t.net_total).write_json(out);
    out.extend_from_slice(b",\"vatTotal\":");
    Amount(t.vat_total).write_json(out);
    out.extend_from_slice(b",\"grossTotal\":");
    Amount(t.gross_total).write_json(out);
    if staff {
        out.extend_from_slice(b",\"margin\":");
        Amount(t.margin).write_json(out);
        out.extend_from_slice(b",\"marginPercent\":");
        match t.margin_percent {
            Some(percent) => Amount(percent).write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b",\"position\":");
    // Writing into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, &line.position);
    out.push(b'}');
}

/// An id as serde writes it: hyphenated, lower case, in quotes (nothing to escape).
fn write_uuid(id: &Uuid, out: &mut Vec<u8>) {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    out.push(b'"');
    out.extend_from_slice(id.hyphenated().encode_lower(&mut text).as_bytes());
    out.push(b'"');
}

/// A text as a JSON string, escaped as serde_json escapes it.
fn write_text(text: &str, out: &mut Vec<u8>) {
    // Writing into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

fn write_bool(value: bool, out: &mut Vec<u8>) {
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use orderpath_carts::{Cart, CartStatus, Source};
    use orderpath_lines::{document_totals, LineRecord};
    use orderpath_orders::Order;
    use rust_decimal::Decimal;

    use super::*;
    use crate::api::call::render;
    use crate::routes::carts::bodies::{CartResponse, LineResponse};
    use crate::routes::orders::bodies::OrderResponse;

    /// Lines with every shape a field can take: a parent or none, texts needing escapes,
    /// overridden prices, a zero net total (no margin percent), fractional quantities,
    /// negative margins, positions past one digit.
    fn lines() -> Vec<Line> {
        let names = [
            "Cable \"NYY\" 3×1.5 ½",
            "tab\there",
            "back\\slash",
            "é\u{1}\u{7f}",
            "",
        ];
        let mut out = Vec::new();
        for n in 0..200i64 {
            let record = LineRecord {
                id: Uuid::from_u128(n as u128 * 7_919),
                product_id: Uuid::new_v4(),
                parent_line_id: (n % 3 == 0).then(Uuid::new_v4),
                sku: format!("SKU-{n}/\"x\""),
                name: names[n as usize % names.len()].to_string(),
                unit: if n % 2 == 0 { "m" } else { "pcs" }.into(),
                quantity_type: if n % 2 == 0 {
                    "CONTENT_QUANTITY"
                } else {
                    "UNIT"
                }
                .into(),
                quantity: if n % 2 == 0 {
                    Decimal::new(n * 1_001 + 1, 3)
                } else {
                    Decimal::from(n + 1)
                },
                allow_quantity_change: n % 2 == 0,
                allow_quantity_splitting: n % 5 != 0,
                removable: n % 7 != 0,
                unit_price: if n % 11 == 0 {
                    Decimal::ZERO
                } else {
                    Decimal::new(n * 37 + 1, 4)
                },
                catalog_unit_price: Decimal::new(2_150, 2),
                unit_price_overridden: n % 4 == 0,
                purchase_price: Decimal::new(n * 53 % 9_000, 3),
                catalog_purchase_price: Decimal::new(1_200, 2),
                purchase_price_overridden: n % 6 == 0,
                vat_rate: [Decimal::from(23), Decimal::new(55, 1), Decimal::ZERO][n as usize % 3],
                position: (n * 97 - 3_000) as i32,
            };
            out.push(record.into_line());
        }
        out
    }

    /// Asserts that `written` gives, for staff and for a customer, the bytes serde writes
    /// for the declared body (`declared`).
    fn same_json_for_both_roles(
        written: impl Fn(bool) -> Vec<u8>,
        declared: impl Fn(bool) -> serde_json::Result<Vec<u8>>,
    ) {
        for staff in [true, false] {
            assert_eq!(
                String::from_utf8_lossy(&written(staff)),
                String::from_utf8_lossy(&declared(staff).expect("json")),
                "staff: {staff}"
            );
        }
    }

    #[test]
    fn a_line_is_written_as_serde_writes_its_declared_body() {
        for line in lines() {
            same_json_for_both_roles(
                |staff| {
                    let mut written = Vec::new();
                    write_line_json(&line, staff, &mut written);
                    written
                },
                |staff| serde_json::to_vec(&LineResponse::new(&line, staff)),
            );
        }
    }

    #[test]
    fn a_cart_reads_as_its_declared_body() {
        let lines = lines();
        let cart = Cart {
            id: Uuid::new_v4(),
            customer_id: Uuid::new_v4(),
            status: CartStatus::Open,
            currency: "EUR".into(),
            source: Source::Backoffice,
            version: 7,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            totals: document_totals(&lines),
            lines: lines.into(),
            stamp: None,
        };
        same_json_for_both_roles(
            |staff| render(&cart, staff).expect("render").to_vec(),
            |staff| serde_json::to_vec(&CartResponse::new(&cart, staff)),
        );
    }

    #[test]
    fn an_order_reads_as_its_declared_body() {
        let lines = lines();
        let order = Order {
            id: Uuid::new_v4(),
            number: "OR-000042".into(),
            cart_id: Some(Uuid::new_v4()),
            offer_id: None,
            customer_id: Uuid::new_v4(),
            currency: "EUR".into(),
            version: 3,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            totals: document_totals(&lines),
            lines,
            shipments: vec![],
        };
        same_json_for_both_roles(
            |staff| render(&order, staff).expect("render").to_vec(),
            |staff| serde_json::to_vec(&OrderResponse::new(&order, staff)),
        );
    }
}
