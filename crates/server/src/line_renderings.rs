//! The JSON of each cart line as last rendered, so that an answer showing a cart renders
//! only the lines that changed since. The backoffice adds line after line to one cart, and
//! every add answers with the whole cart: rendering its unchanged lines again (their
//! decimals, names and ids) was a quarter to a third of the add's cost on the server
//! (docs/benchmarks.md, Carts kept for their next change).
//!
//! A rendering is kept with the line it was made from, and used only for a line equal to
//! that one in every field, for the same role: what a line shows depends on nothing else,
//! so a kept rendering is always what a fresh one would be.

use std::mem::size_of;
use std::sync::{Mutex, MutexGuard};

use orderpath_core::weighed_lru::WeighedLru;
use orderpath_lines::Line;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::routes::carts::bodies::line_json::write_line_json;

type Kept = WeighedLru<(Uuid, bool), (Line, Box<str>)>;

/// Line renderings by line id and role, least recently used evicted first beyond the
/// budget in bytes.
pub struct LineRenderings {
    inner: Mutex<Kept>,
}

impl LineRenderings {
    pub fn new(budget: usize) -> Self {
        LineRenderings {
            inner: Mutex::new(WeighedLru::new(budget, weight)),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Kept> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// About the memory an entry holds: the line, its texts and its JSON.
fn weight((line, json): &(Line, Box<str>)) -> usize {
    size_of::<((Uuid, bool), Line, Box<str>)>()
        + line.sku.len()
        + line.name.len()
        + line.unit.len()
        + json.len()
}

/// A document's lines as a JSON array, each as staff (`staff`) or the document's customer
/// may see it ([`LineResponse`](crate::routes::carts::bodies::LineResponse), written by
/// `write_line_json`); with `kept`, each line's rendering is taken from there when it was
/// made from an equal line, and kept there when made now.
pub struct LinesJson<'a> {
    lines: &'a [Line],
    staff: bool,
    kept: Option<&'a LineRenderings>,
}

impl<'a> LinesJson<'a> {
    pub fn new(lines: &'a [Line], staff: bool, kept: Option<&'a LineRenderings>) -> Self {
        LinesJson { lines, staff, kept }
    }
}

impl Serialize for LinesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.lines.len()))?;
        // Each line written here first, then copied into the answer (and kept).
        let mut buffer = Vec::with_capacity(1024);
        let Some(kept) = self.kept else {
            for line in self.lines {
                seq.serialize_element(&Json(written(line, self.staff, &mut buffer)))?;
            }
            return seq.end();
        };
        // One lock for the whole list: the renderings are written into memory only.
        let mut kept = kept.inner();
        for line in self.lines {
            let key = (line.id, self.staff);
            match kept.get(&key) {
                Some((rendered_from, json)) if rendered_from == line => {
                    seq.serialize_element(&Json(json))?
                }
                _ => {
                    let json = written(line, self.staff, &mut buffer);
                    seq.serialize_element(&Json(json))?;
                    kept.put(key, (line.clone(), json.into()));
                }
            }
        }
        seq.end()
    }
}

/// The JSON of `line` (see `write_line_json`), written into `buffer`.
fn written<'b>(line: &Line, staff: bool, buffer: &'b mut Vec<u8>) -> &'b str {
    buffer.clear();
    write_line_json(line, staff, buffer);
    // Only ASCII is written outside texts, and texts are written whole.
    std::str::from_utf8(buffer).unwrap_or_default()
}

/// JSON text written into the answer as it is. serde_json writes a struct of this name
/// verbatim: it is how its own `RawValue` serializes, which would parse the text again
/// to be made from it.
struct Json<'a>(&'a str);

/// serde_json's name for text to be written verbatim (`serde_json::value::RawValue`).
const VERBATIM: &str = "$serde_json::private::RawValue";

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut verbatim = serializer.serialize_struct(VERBATIM, 1)?;
        verbatim.serialize_field(VERBATIM, self.0)?;
        verbatim.end()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use orderpath_carts::{Cart, CartStatus, Source};
    use orderpath_core::quantity::{Quantity, QuantityType};
    use orderpath_lines::{document_totals, LineRecord};
    use orderpath_orders::Order;
    use rust_decimal::Decimal;

    use super::*;
    use crate::api::call::render;
    use crate::render_cache::RenderCache;
    use crate::routes::carts::bodies::CartResponse;
    use crate::routes::orders::bodies::OrderResponse;

    fn line(n: u32, purchase_cents: i64) -> Line {
        LineRecord {
            id: Uuid::new_v4(),
            product_id: Uuid::new_v4(),
            parent_line_id: None,
            sku: format!("SKU-{n}"),
            name: format!("Product \"{n}\" ½"),
            unit: "pc".into(),
            quantity_type: "UNIT".into(),
            quantity: Decimal::from(n),
            allow_quantity_change: n % 2 == 0,
            allow_quantity_splitting: true,
            removable: n % 3 != 0,
            unit_price: Decimal::new(1999, 2),
            catalog_unit_price: Decimal::new(2150, 2),
            unit_price_overridden: true,
            purchase_price: Decimal::new(purchase_cents, 2),
            catalog_purchase_price: Decimal::new(purchase_cents, 2),
            purchase_price_overridden: false,
            vat_rate: Decimal::from(23),
            position: n as i32,
        }
        .into_line()
    }

    fn cart(lines: Vec<Line>) -> Cart {
        Cart {
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
        }
    }

    /// The body as the OpenAPI document declares it, serialized as it is.
    fn declared(cart: &Cart, staff: bool) -> Vec<u8> {
        serde_json::to_vec(&CartResponse::new(cart, staff)).expect("json")
    }

    #[test]
    fn a_cart_reads_as_its_declared_body_while_its_lines_change() {
        let cache = RenderCache::new(1 << 20);
        let mut cart = cart((1..=5).map(|n| line(n, 1200)).collect());
        for staff in [true, false] {
            let first = render(&cart, staff, &cache).expect("render");
            assert_eq!(&first[..], &declared(&cart, staff)[..]);
        }
        // A quantity changed, a price edited, a line added, one removed: each answer is the
        // declared body of the cart as it now is, never a line as it was.
        let changed = cart.lines[1].clone();
        let quantity = Quantity::new(QuantityType::Unit, Decimal::from(40)).expect("quantity");
        let lines = cart.lines_mut();
        lines[1] = changed.with_quantity(quantity);
        lines[3].name = "Renamed".into();
        lines.push(line(6, 2500));
        lines.remove(0);
        cart.totals = document_totals(&cart.lines);
        for staff in [true, false] {
            let again = render(&cart, staff, &cache).expect("render");
            assert_eq!(
                String::from_utf8_lossy(&again),
                String::from_utf8_lossy(&declared(&cart, staff))
            );
        }
    }

    #[test]
    fn a_document_that_keeps_no_line_renderings_reads_as_its_declared_body() {
        let lines: Vec<Line> = (1..=3).map(|n| line(n, 2500)).collect();
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
        let cache = RenderCache::new(1 << 20);
        for staff in [true, false] {
            let written = render(&order, staff, &cache).expect("render");
            let declared = serde_json::to_vec(&OrderResponse::new(&order, staff)).expect("json");
            assert_eq!(&written[..], &declared[..]);
        }
    }
}
