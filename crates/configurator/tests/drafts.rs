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
    children: impl IntoIterator<Item = ChildRequest>,
) -> ConfigurableRequest {
    ConfigurableRequest {
        product_id,
        quantity,
        flags: Flags::default(),
        children: children.into_iter().collect(),
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

/// Asserts that `items` are refused with exactly one problem: `message` on `field`.
fn refused(items: &[ConfigurableRequest], field: &str, message: &str) {
    assert_eq!(errors(items), [(field.to_string(), message.to_string())]);
}

/// Asserts that `items` make valid drafts.
fn accepted(items: &[ConfigurableRequest]) {
    assert!(
        build_drafts(items, &catalog()).is_ok(),
        "{:?}",
        errors(items)
    );
}

fn fields(items: &[ConfigurableRequest]) -> Vec<String> {
    errors(items).into_iter().map(|(field, _)| field).collect()
}

fn cable_on(drum: Uuid, length: &str) -> ConfigurableRequest {
    parent(CABLE, metres(length), [child(drum, units("1"))])
}

#[test]
fn flattens_parents_then_children_with_parent_index() {
    let items = [
        parent(
            CABLE,
            metres("120.5"),
            [child(DRUM_250, units("1")), child(ACCESSORY, units("2"))],
        ),
        parent(STANDARD, units("3"), [child(ACCESSORY, units("1"))]),
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
    let mut item = parent(STANDARD, units("1"), [child(ACCESSORY, units("1"))]);
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
    refused(
        &[],
        "configurableProducts",
        "at least one configurable product is required",
    );
}

#[test]
fn unknown_products_are_refused_without_type_checks() {
    let items = [parent(UNKNOWN, metres("1"), [child(UNKNOWN, units("1"))])];
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
    let items = [parent(STANDARD, units("1"), [child(INACTIVE, units("1"))])];
    refused(
        &items,
        "configurableProducts[0].children[0].productId",
        "product is not active",
    );
}

#[test]
fn a_drum_cannot_be_a_parent() {
    refused(
        &[parent(DRUM_250, units("1"), [])],
        "configurableProducts[0].productId",
        "a drum cannot be a parent line",
    );
}

#[test]
fn a_cable_cannot_be_a_child() {
    let items = [parent(
        STANDARD,
        units("1"),
        [child(OTHER_CABLE, metres("10"))],
    )];
    refused(
        &items,
        "configurableProducts[0].children[0].productId",
        "a cable cannot be a child line",
    );
}

#[test]
fn each_quantity_value_rule_is_checked() {
    accepted(&[parent(STANDARD, units("999999999"), [])]);
    accepted(&[parent(STANDARD, units("2.000"), [])]);
    accepted(&[parent(CABLE, metres("1.234"), [])]);
    accepted(&[parent(CABLE, metres("1.2340"), [])]);
    let refusals = [
        (STANDARD, units("0"), "quantity must be greater than 0"),
        (STANDARD, units("-1"), "quantity must be greater than 0"),
        (
            STANDARD,
            units("1000000000"),
            "quantity must be less than 1000000000",
        ),
        (
            STANDARD,
            units("2.5"),
            "a unit quantity must be a whole number",
        ),
        (
            CABLE,
            metres("1.2345"),
            "a content quantity may have at most 3 decimal places",
        ),
    ];
    for (product, quantity, message) in refusals {
        let items = [parent(product, quantity, [])];
        refused(&items, "configurableProducts[0].quantity.value", message);
    }
}

#[test]
fn negative_fraction_reports_both_value_rules() {
    assert_eq!(
        fields(&[parent(STANDARD, units("-1.5"), [])]),
        [
            "configurableProducts[0].quantity.value",
            "configurableProducts[0].quantity.value"
        ]
    );
}

#[test]
fn quantity_type_must_match_the_product() {
    let items = [parent(CABLE, units("10"), [child(ACCESSORY, metres("1"))])];
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
    refused(
        &[cable_on(OTHER_DRUM, "10")],
        "configurableProducts[0].children[0].productId",
        &format!("drum {OTHER_DRUM} is not a drum option of cable {CABLE}"),
    );
}

#[test]
fn the_cut_must_fit_the_chosen_drum() {
    accepted(&[cable_on(DRUM_250, "250")]);
    accepted(&[cable_on(DRUM_500, "300")]);
    refused(
        &[cable_on(DRUM_250, "300")],
        "configurableProducts[0].quantity.value",
        &format!("cut of 300 m exceeds the 250 m that drum {DRUM_250} carries"),
    );
}

#[test]
fn a_cable_has_at_most_one_drum() {
    let items = [parent(
        CABLE,
        metres("100"),
        [child(DRUM_250, units("1")), child(DRUM_500, units("1"))],
    )];
    refused(
        &items,
        "configurableProducts[0].children",
        "a cable cut is wound on one drum, but 2 drum lines were given",
    );
}

#[test]
fn drum_options_restrict_only_drums_under_cables() {
    // A cable may go without a drum, and its accessories are no drums.
    accepted(&[parent(CABLE, metres("100"), [])]);
    accepted(&[parent(CABLE, metres("100"), [child(ACCESSORY, units("4"))])]);
    // A drum under a product that is no cable is an accessory like any other.
    accepted(&[parent(
        STANDARD,
        units("1"),
        [child(OTHER_DRUM, units("1"))],
    )]);
}

#[test]
fn all_errors_are_collected_in_request_order() {
    let items = [
        parent(STANDARD, units("1"), []),
        parent(
            CABLE,
            metres("600.0001"),
            vec![
                child(UNKNOWN, units("1")),
                child(DRUM_250, units("0")),
                child(OTHER_DRUM, metres("1")),
            ],
        ),
        parent(DRUM_500, metres("1"), [child(INACTIVE, units("1.5"))]),
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
