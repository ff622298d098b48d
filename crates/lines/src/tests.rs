use std::str::FromStr;

use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{copy_lines, document_and_lines, lines_by_document, DocumentType, LineRecord};
use crate::{document_totals, PriceField};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn record(parent_line_id: Option<Uuid>, position: i32) -> LineRecord {
    LineRecord {
        id: Uuid::new_v4(),
        product_id: Uuid::new_v4(),
        parent_line_id,
        sku: "CU-3x1.5".into(),
        name: "Copper cable".into(),
        unit: "m".into(),
        quantity_type: "CONTENT_QUANTITY".into(),
        quantity: dec("12.500"),
        allow_quantity_change: true,
        allow_quantity_splitting: false,
        removable: true,
        unit_price: dec("4.2000"),
        catalog_unit_price: dec("4.8000"),
        unit_price_overridden: true,
        purchase_price: dec("3.1000"),
        catalog_purchase_price: dec("3.1000"),
        purchase_price_overridden: false,
        vat_rate: dec("19.00"),
        position,
    }
}

#[test]
fn a_record_reads_as_a_line_with_totals_from_its_own_prices() {
    let line = record(None, 1).into_line();
    assert_eq!(line.quantity.value(), dec("12.5"));
    assert_eq!(line.unit_price.to_string(), "4.2");
    assert_eq!(line.catalog_unit_price.to_string(), "4.8");
    assert_eq!(line.vat_rate.to_string(), "19");
    assert!(line.unit_price_overridden && !line.purchase_price_overridden);
    assert!(!line.flags.allow_quantity_splitting);
    // 12.5 × 4.20 = 52.50 net; 19 % VAT = 9.975 → 9.98; 12.5 × 3.10 = 38.75 purchase.
    assert_eq!(line.totals.net_total, dec("52.50"));
    assert_eq!(line.totals.vat_total, dec("9.98"));
    assert_eq!(line.totals.gross_total, dec("62.48"));
    assert_eq!(line.totals.margin, dec("13.75"));
}

#[test]
fn a_copy_has_fresh_ids_and_its_children_point_at_the_copied_parent() {
    let parent = record(None, 1);
    let child = record(Some(parent.id), 2);
    let lines = vec![parent.clone().into_line(), child.clone().into_line()];
    let (copies, ids) = copy_lines(&lines);
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0].id, ids[&parent.id]);
    assert_eq!(copies[1].id, ids[&child.id]);
    assert!(copies.iter().all(|c| c.id != parent.id && c.id != child.id));
    assert_eq!(copies[0].parent_line_id, None);
    assert_eq!(copies[1].parent_line_id, Some(copies[0].id));
    let copied = copies[1].clone().into_line();
    assert_eq!(copied.product_id, child.product_id);
    assert_eq!(copied.quantity, lines[1].quantity);
    assert_eq!(copied.unit_price, lines[1].unit_price);
    assert_eq!(copied.catalog_unit_price, lines[1].catalog_unit_price);
    assert_eq!(copied.totals, lines[1].totals);
    assert_eq!(copied.position, 2);
}

#[test]
fn joined_rows_give_the_document_once_with_its_lines_in_row_order() {
    let first = record(None, 1);
    let second = record(None, 2);
    let rows = vec![("doc", Some(first.clone())), ("doc", Some(second.clone()))];
    let (document, lines) = document_and_lines(rows).expect("document");
    assert_eq!(document, "doc");
    let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    assert_eq!(ids, [first.id, second.id]);
    assert_eq!(
        document_totals(&lines).net_total,
        lines[0].totals.net_total + lines[1].totals.net_total
    );

    let (_, none) = document_and_lines(vec![("empty", None)]).expect("document");
    assert!(none.is_empty());
    assert!(document_and_lines::<&str>(Vec::new()).is_none());
}

#[test]
fn lines_are_grouped_by_document_in_row_order() {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let rows = vec![
        (a, record(None, 1)),
        (b, record(None, 1)),
        (a, record(None, 2)),
    ];
    let expected: Vec<Uuid> = vec![rows[0].1.id, rows[2].1.id];
    let grouped = lines_by_document(rows);
    let of_a: Vec<Uuid> = grouped[&a].iter().map(|l| l.id).collect();
    assert_eq!(of_a, expected);
    assert_eq!(grouped[&b].len(), 1);
}

#[test]
fn the_audit_stores_the_names_the_price_edits_table_admits() {
    let stored = |t: DocumentType| -> &'static str { t.into() };
    assert_eq!(stored(DocumentType::Cart), "CART");
    assert_eq!(stored(DocumentType::Offer), "OFFER");
    let field = |f: PriceField| -> &'static str { f.into() };
    assert_eq!(field(PriceField::UnitPrice), "UNIT_PRICE");
    assert_eq!(field(PriceField::PurchasePrice), "PURCHASE_PRICE");
    assert_eq!(
        PriceField::from_str("UNIT_PRICE"),
        Ok(PriceField::UnitPrice)
    );
    assert_eq!(PriceField::PurchasePrice.to_string(), "PURCHASE_PRICE");
}
