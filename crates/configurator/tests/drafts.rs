//! `build_drafts`: flattening, flag defaults, each validation rule, and the
//! collection and ordering of errors.

use std::collections::HashMap;
use std::str::FromStr;

use orderpath_configurator::{
    build_drafts, ChildRequest, ConfigurableRequest, Flags, LineDraft, ProductFacts,
    RequestedQuantity,
};
use orderpath_core::product::{DrumOption, ProductKind};
use orderpath_core::quantity::QuantityType;
use orderpath_core::FieldError;
use rust_decimal::Decimal;
use uuid::Uuid;

const CABLE: Uuid = Uuid::from_u128(1);
const DRUM_250: Uuid = Uuid::from_u128(2);
const DRUM_500: Uuid = Uuid::from_u128(3);
const OTHER_DRUM: Uuid = Uuid::from_u128(4);
const ACCESSORY: Uuid = Uuid::from_u128(5);
const STANDARD: Uuid = Uuid::from_u128(6);
const INACTIVE: Uuid = Uuid::from_u128(7);
const OTHER_CABLE: Uuid = Uuid::from_u128(8);
const UNKNOWN: Uuid = Uuid::from_u128(99);

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn facts(id: Uuid, kind: ProductKind, quantity_type: QuantityType) -> ProductFacts {
    ProductFacts {
        id,
        kind,
        quantity_type,
        active: true,
        drum_options: Vec::new(),
    }
}

fn catalog() -> HashMap<Uuid, ProductFacts> {
    use ProductKind::*;
    use QuantityType::*;
    let mut cable = facts(CABLE, Cable, ContentQuantity);
    cable.drum_options = vec![
        DrumOption {
            drum_product_id: DRUM_250,
            max_length: d("250"),
        },
        DrumOption {
            drum_product_id: DRUM_500,
            max_length: d("500"),
        },
    ];
    let mut inactive = facts(INACTIVE, Standard, Unit);
    inactive.active = false;
    [
        cable,
        facts(DRUM_250, Drum, Unit),
        facts(DRUM_500, Drum, Unit),
        facts(OTHER_DRUM, Drum, Unit),
        facts(ACCESSORY, Standard, Unit),
        facts(STANDARD, Standard, Unit),
        inactive,
        facts(OTHER_CABLE, Cable, ContentQuantity),
    ]
    .into_iter()
    .map(|f| (f.id, f))
    .collect()
}

fn qty(kind: QuantityType, value: &str) -> RequestedQuantity {
    RequestedQuantity {
        kind,
        value: d(value),
    }
}

fn units(value: &str) -> RequestedQuantity {
    qty(QuantityType::Unit, value)
}

fn metres(value: &str) -> RequestedQuantity {
    qty(QuantityType::ContentQuantity, value)
}

fn parent(
    product_id: Uuid,
    quantity: RequestedQuantity,
    children: Vec<ChildRequest>,
) -> ConfigurableRequest {
    ConfigurableRequest {
        product_id,
        quantity,
        flags: Flags::default(),
        children,
    }
}

fn child(product_id: Uuid, quantity: RequestedQuantity) -> ChildRequest {
    ChildRequest {
        product_id,
        quantity,
        flags: Flags::default(),
    }
}

fn errors(items: &[ConfigurableRequest]) -> Vec<(String, String)> {
    build_drafts(items, &catalog())
        .expect_err("request should be refused")
        .into_iter()
        .map(|FieldError { field, message }| (field, message))
        .collect()
}

/// The lines a valid request becomes: product, quantity as written back, parent index.
fn accepted(items: &[ConfigurableRequest]) -> Vec<(Uuid, String, Option<usize>)> {
    build_drafts(items, &catalog())
        .expect("request should be accepted")
        .iter()
        .map(|l| (l.product_id, l.quantity.value().to_string(), l.parent_index))
        .collect()
}

fn line(
    product: Uuid,
    quantity: &str,
    parent_index: Option<usize>,
) -> (Uuid, String, Option<usize>) {
    (product, quantity.to_string(), parent_index)
}

fn fields(items: &[ConfigurableRequest]) -> Vec<String> {
    errors(items).into_iter().map(|(field, _)| field).collect()
}

fn cable_on(drum: Uuid, length: &str) -> ConfigurableRequest {
    parent(CABLE, metres(length), vec![child(drum, units("1"))])
}

#[test]
fn flattens_parents_then_children_with_parent_index() {
    let items = [
        parent(
            CABLE,
            metres("120.5"),
            vec![child(DRUM_250, units("1")), child(ACCESSORY, units("2"))],
        ),
        parent(STANDARD, units("3"), vec![child(ACCESSORY, units("1"))]),
    ];
    let drafts = build_drafts(&items, &catalog()).unwrap();
    let shape: Vec<(Uuid, Option<usize>)> = drafts
        .iter()
        .map(|l| (l.product_id, l.parent_index))
        .collect();
    assert_eq!(
        shape,
        [
            (CABLE, None),
            (DRUM_250, Some(0)),
            (ACCESSORY, Some(0)),
            (STANDARD, None),
            (ACCESSORY, Some(3))
        ]
    );
    assert_eq!(drafts[0].quantity.value(), d("120.5"));
    assert_eq!(drafts[0].quantity.kind(), QuantityType::ContentQuantity);
    assert_eq!(drafts[3].quantity.value(), d("3"));
}

#[test]
fn absent_flags_default_to_true_and_given_flags_are_kept() {
    let mut item = parent(STANDARD, units("1"), vec![child(ACCESSORY, units("1"))]);
    item.children[0].flags = Flags {
        allow_quantity_change: Some(false),
        allow_quantity_splitting: None,
        removable: Some(false),
    };
    let drafts = build_drafts(&[item], &catalog()).unwrap();
    let flags = |l: &LineDraft| {
        (
            l.allow_quantity_change,
            l.allow_quantity_splitting,
            l.removable,
        )
    };
    assert_eq!(flags(&drafts[0]), (true, true, true));
    assert_eq!(flags(&drafts[1]), (false, true, false));
}

#[test]
fn empty_request_is_refused() {
    assert_eq!(
        errors(&[]),
        [(
            "configurableProducts".into(),
            "at least one configurable product is required".into()
        )]
    );
}

#[test]
fn unknown_products_are_refused_without_type_checks() {
    let items = [parent(
        UNKNOWN,
        metres("1"),
        vec![child(UNKNOWN, units("1"))],
    )];
    assert_eq!(
        errors(&items),
        [
            (
                "configurableProducts[0].productId".into(),
                "unknown product".into()
            ),
            (
                "configurableProducts[0].children[0].productId".into(),
                "unknown product".into()
            ),
        ]
    );
}

#[test]
fn inactive_products_are_refused() {
    let items = [parent(
        STANDARD,
        units("1"),
        vec![child(INACTIVE, units("1"))],
    )];
    assert_eq!(
        errors(&items),
        [(
            "configurableProducts[0].children[0].productId".into(),
            "product is not active".into()
        )]
    );
}

#[test]
fn a_drum_cannot_be_a_parent() {
    assert_eq!(
        errors(&[parent(DRUM_250, units("1"), vec![])]),
        [(
            "configurableProducts[0].productId".into(),
            "a drum cannot be a parent line".into()
        )]
    );
}

#[test]
fn a_cable_cannot_be_a_child() {
    let items = [parent(
        STANDARD,
        units("1"),
        vec![child(OTHER_CABLE, metres("10"))],
    )];
    assert_eq!(
        errors(&items),
        [(
            "configurableProducts[0].children[0].productId".into(),
            "a cable cannot be a child line".into()
        )]
    );
}

#[test]
fn quantity_must_be_positive() {
    for value in ["0", "-1"] {
        assert_eq!(
            errors(&[parent(STANDARD, units(value), vec![])]),
            [(
                "configurableProducts[0].quantity.value".into(),
                "quantity must be greater than 0".into()
            )]
        );
    }
}

#[test]
fn quantity_must_be_below_one_billion() {
    assert_eq!(
        accepted(&[parent(STANDARD, units("999999999"), vec![])]),
        [line(STANDARD, "999999999", None)]
    );
    assert_eq!(
        errors(&[parent(STANDARD, units("1000000000"), vec![])]),
        [(
            "configurableProducts[0].quantity.value".into(),
            "quantity must be less than 1000000000".into()
        )]
    );
}

#[test]
fn unit_quantity_must_be_whole() {
    assert_eq!(
        accepted(&[parent(STANDARD, units("2.000"), vec![])]),
        [line(STANDARD, "2", None)]
    );
    assert_eq!(
        errors(&[parent(STANDARD, units("2.5"), vec![])]),
        [(
            "configurableProducts[0].quantity.value".into(),
            "a unit quantity must be a whole number".into()
        )]
    );
}

#[test]
fn content_quantity_has_at_most_three_decimals() {
    for written in ["1.234", "1.2340"] {
        assert_eq!(
            accepted(&[parent(CABLE, metres(written), vec![])]),
            [line(CABLE, "1.234", None)]
        );
    }
    assert_eq!(
        errors(&[parent(CABLE, metres("1.2345"), vec![])]),
        [(
            "configurableProducts[0].quantity.value".into(),
            "a content quantity may have at most 3 decimal places".into()
        )]
    );
}

#[test]
fn negative_fraction_reports_both_value_rules() {
    assert_eq!(
        fields(&[parent(STANDARD, units("-1.5"), vec![])]),
        [
            "configurableProducts[0].quantity.value",
            "configurableProducts[0].quantity.value"
        ]
    );
}

#[test]
fn quantity_type_must_match_the_product() {
    let items = [parent(
        CABLE,
        units("10"),
        vec![child(ACCESSORY, metres("1"))],
    )];
    assert_eq!(
        errors(&items),
        [
            (
                "configurableProducts[0].quantity.type".into(),
                "quantity type must be content quantity for this product, not unit".into()
            ),
            (
                "configurableProducts[0].children[0].quantity.type".into(),
                "quantity type must be unit for this product, not content quantity".into()
            ),
        ]
    );
}

#[test]
fn a_cable_drum_must_be_one_of_its_drum_options() {
    let errs = errors(&[cable_on(OTHER_DRUM, "10")]);
    assert_eq!(
        errs,
        [(
            "configurableProducts[0].children[0].productId".into(),
            format!("drum {OTHER_DRUM} is not a drum option of cable {CABLE}")
        )]
    );
}

#[test]
fn the_cut_must_fit_the_chosen_drum() {
    assert_eq!(
        accepted(&[cable_on(DRUM_250, "250")]),
        [line(CABLE, "250", None), line(DRUM_250, "1", Some(0))],
        "a cut exactly as long as the drum carries"
    );
    assert_eq!(
        accepted(&[cable_on(DRUM_500, "300")]),
        [line(CABLE, "300", None), line(DRUM_500, "1", Some(0))]
    );
    assert_eq!(
        errors(&[cable_on(DRUM_250, "300")]),
        [(
            "configurableProducts[0].quantity.value".into(),
            format!("cut of 300 m exceeds the 250 m that drum {DRUM_250} carries")
        )]
    );
}

#[test]
fn a_cable_has_at_most_one_drum() {
    let items = [parent(
        CABLE,
        metres("100"),
        vec![child(DRUM_250, units("1")), child(DRUM_500, units("1"))],
    )];
    assert_eq!(
        errors(&items),
        [(
            "configurableProducts[0].children".into(),
            "a cable cut is wound on one drum, but 2 drum lines were given".into()
        )]
    );
}

#[test]
fn a_cable_without_drum_is_accepted() {
    assert_eq!(
        accepted(&[parent(CABLE, metres("100"), vec![])]),
        [line(CABLE, "100", None)]
    );
}

#[test]
fn accessories_are_not_checked_against_drum_options() {
    let items = [parent(
        CABLE,
        metres("100"),
        vec![child(ACCESSORY, units("4"))],
    )];
    assert_eq!(
        accepted(&items),
        [line(CABLE, "100", None), line(ACCESSORY, "4", Some(0))]
    );
}

#[test]
fn drums_under_non_cable_parents_are_not_checked_against_drum_options() {
    let items = [parent(
        STANDARD,
        units("1"),
        vec![child(OTHER_DRUM, units("1"))],
    )];
    assert_eq!(
        accepted(&items),
        [line(STANDARD, "1", None), line(OTHER_DRUM, "1", Some(0))]
    );
}

#[test]
fn all_errors_are_collected_in_request_order() {
    let items = [
        parent(STANDARD, units("1"), vec![]),
        parent(
            CABLE,
            metres("600.0001"),
            vec![
                child(UNKNOWN, units("1")),
                child(DRUM_250, units("0")),
                child(OTHER_DRUM, metres("1")),
            ],
        ),
        parent(DRUM_500, metres("1"), vec![child(INACTIVE, units("1.5"))]),
    ];
    assert_eq!(
        fields(&items),
        [
            "configurableProducts[1].quantity.value", // 4 decimals
            "configurableProducts[1].quantity.value", // exceeds drum 250
            "configurableProducts[1].children",       // two drums
            "configurableProducts[1].children[0].productId",
            "configurableProducts[1].children[1].quantity.value",
            "configurableProducts[1].children[2].productId", // not an option
            "configurableProducts[1].children[2].quantity.type",
            "configurableProducts[2].productId", // drum as parent
            "configurableProducts[2].quantity.type",
            "configurableProducts[2].children[0].productId", // inactive
            "configurableProducts[2].children[0].quantity.value",
        ]
    );
}
