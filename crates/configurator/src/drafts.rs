//! Request → line drafts, with full validation.
//!
//! [`build_drafts`] either returns every line of the request as a
//! [`LineDraft`] or *all* the problems it found, never a partial result, so a
//! client can fix its whole request in one round trip.

use std::collections::HashMap;

use orderpath_core::product::{DrumOption, ProductKind};
use orderpath_core::quantity::{Quantity, QuantityType, MAX_QUANTITY};
use orderpath_core::FieldError;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::types::{ConfigurableRequest, Flags, LineDraft, ProductFacts, RequestedQuantity};

/// Whether a line is a configurable product itself or one of its children.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Parent,
    Child,
}

/// Validates `items` against `products` and flattens them into line drafts.
///
/// Output order: each parent, directly followed by its children in request
/// order; a child's `parent_index` points at its parent within the returned
/// vector. Absent flags default to `true`.
///
/// On failure every error is returned, in request order: for each
/// configurable product first its own fields (`productId`, `quantity.type`,
/// `quantity.value`), then its `children` list as a whole, then each child in
/// order (`productId`, `quantity.type`, `quantity.value`). Rules:
///
/// * at least one configurable product;
/// * every product exists and is active;
/// * a quantity is a valid [`Quantity`]: `> 0` and `<` [`MAX_QUANTITY`], a
///   unit quantity a whole number, a content quantity with at most 3
///   decimals; its type equals the product's quantity type;
/// * a drum is never a parent line, a cable never a child line;
/// * a cable has at most one drum child (a cut is wound on one drum), that
///   drum is one of the cable's drum options, and the cut (the cable's
///   quantity) is no longer than the option's `max_length`.
///
/// Non-drum children (accessories) are accepted under any parent. Drum
/// children of non-cable parents are not checked against drum options.
pub fn build_drafts(
    items: &[ConfigurableRequest],
    products: &HashMap<Uuid, ProductFacts>,
) -> Result<Vec<LineDraft>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if items.is_empty() {
        errors.push(FieldError::new(
            "configurableProducts",
            "at least one configurable product is required",
        ));
        return Err(errors);
    }

    let line_count = items.iter().map(|item| 1 + item.children.len()).sum();
    let mut drafts = Vec::with_capacity(line_count);
    for (i, item) in items.iter().enumerate() {
        let path = format!("configurableProducts[{i}]");
        let parent = products.get(&item.product_id);
        let cable = parent.filter(|facts| facts.kind == ProductKind::Cable);

        check_product(&path, parent, Role::Parent, &mut errors);
        let quantity = check_quantity(&path, &item.quantity, parent, &mut errors);
        if let Some(cable) = cable {
            check_cable_drums(&path, cable, item, products, &mut errors);
        }

        // Where a quantity is invalid, an error was recorded and no draft is returned.
        let parent_index = drafts.len();
        drafts.extend(quantity.map(|q| draft(item.product_id, q, &item.flags, None)));

        for (j, child) in item.children.iter().enumerate() {
            let child_path = format!("{path}.children[{j}]");
            let facts = products.get(&child.product_id);
            check_product(&child_path, facts, Role::Child, &mut errors);
            if let (Some(cable), Some(drum)) = (cable, facts) {
                check_drum_is_option(&child_path, cable, drum, &mut errors);
            }
            let quantity = check_quantity(&child_path, &child.quantity, facts, &mut errors);
            drafts.extend(
                quantity.map(|q| draft(child.product_id, q, &child.flags, Some(parent_index))),
            );
        }
    }

    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

fn draft(
    product_id: Uuid,
    quantity: Quantity,
    flags: &Flags,
    parent_index: Option<usize>,
) -> LineDraft {
    LineDraft {
        product_id,
        quantity,
        allow_quantity_change: flags.allow_quantity_change.unwrap_or(true),
        allow_quantity_splitting: flags.allow_quantity_splitting.unwrap_or(true),
        removable: flags.removable.unwrap_or(true),
        parent_index,
    }
}

/// Existence, activity and role of the product of one line (`{path}.productId`).
fn check_product(
    path: &str,
    facts: Option<&ProductFacts>,
    role: Role,
    errors: &mut Vec<FieldError>,
) {
    let field = format!("{path}.productId");
    let Some(facts) = facts else {
        errors.push(FieldError::new(field, "unknown product"));
        return;
    };
    if !facts.active {
        errors.push(FieldError::new(&field, "product is not active"));
    }
    match (role, facts.kind) {
        (Role::Parent, ProductKind::Drum) => {
            errors.push(FieldError::new(field, "a drum cannot be a parent line"));
        }
        (Role::Child, ProductKind::Cable) => {
            errors.push(FieldError::new(field, "a cable cannot be a child line"));
        }
        _ => {}
    }
}

/// Type (`{path}.quantity.type`) and value (`{path}.quantity.value`) of one
/// line's quantity. The value's precision is judged by the requested type.
/// Returns the quantity when its value is valid; every problem of the value
/// is recorded, not only the first as [`Quantity::new`] reports it.
fn check_quantity(
    path: &str,
    quantity: &RequestedQuantity,
    facts: Option<&ProductFacts>,
    errors: &mut Vec<FieldError>,
) -> Option<Quantity> {
    if let Some(facts) = facts {
        if quantity.kind != facts.quantity_type {
            errors.push(FieldError::new(
                format!("{path}.quantity.type"),
                format!(
                    "quantity type must be {} for this product, not {}",
                    spoken(facts.quantity_type),
                    spoken(quantity.kind)
                ),
            ));
        }
    }
    let field = format!("{path}.quantity.value");
    let value_errors = errors.len();
    let value = quantity.value;
    if value <= Decimal::ZERO {
        errors.push(FieldError::new(&field, "quantity must be greater than 0"));
    } else if value >= MAX_QUANTITY {
        errors.push(FieldError::new(
            &field,
            format!("quantity must be less than {MAX_QUANTITY}"),
        ));
    }
    let decimals = value.normalize().scale();
    if decimals > quantity.kind.max_scale() {
        errors.push(FieldError::new(
            &field,
            match quantity.kind {
                QuantityType::Unit => "a unit quantity must be a whole number".to_string(),
                QuantityType::ContentQuantity => format!(
                    "a content quantity may have at most {} decimal places",
                    QuantityType::ContentQuantity.max_scale()
                ),
            },
        ));
    }
    match Quantity::new(quantity.kind, value) {
        Ok(quantity) => Some(quantity),
        Err(reason) => {
            // The checks above are a quantity's rules, worded for this request; should
            // they ever miss a case, the quantity's own reason still rejects the line.
            if errors.len() == value_errors {
                errors.push(FieldError::new(field, reason));
            }
            None
        }
    }
}

/// A quantity type as the messages of this request name it.
fn spoken(kind: QuantityType) -> &'static str {
    match kind {
        QuantityType::Unit => "unit",
        QuantityType::ContentQuantity => "content quantity",
    }
}

/// Cable-level drum rules: at most one drum child (`{path}.children`), and
/// the cut length fits each drum option chosen (`{path}.quantity.value`).
fn check_cable_drums(
    path: &str,
    cable: &ProductFacts,
    item: &ConfigurableRequest,
    products: &HashMap<Uuid, ProductFacts>,
    errors: &mut Vec<FieldError>,
) {
    let drums: Vec<&ProductFacts> = item
        .children
        .iter()
        .filter_map(|child| products.get(&child.product_id))
        .filter(|facts| facts.kind == ProductKind::Drum)
        .collect();

    let cut = item.quantity.value;
    for drum in &drums {
        if let Some(option) = drum_option(cable, drum.id) {
            if cut > option.max_length {
                errors.push(FieldError::new(
                    format!("{path}.quantity.value"),
                    format!(
                        "cut of {} m exceeds the {} m that drum {} carries",
                        cut.normalize(),
                        option.max_length.normalize(),
                        drum.id
                    ),
                ));
            }
        }
    }
    if drums.len() > 1 {
        errors.push(FieldError::new(
            format!("{path}.children"),
            format!(
                "a cable cut is wound on one drum, but {} drum lines were given",
                drums.len()
            ),
        ));
    }
}

/// A drum child of a cable must be one of the cable's drum options
/// (`{path}.productId`). Non-drum children are not concerned.
fn check_drum_is_option(
    path: &str,
    cable: &ProductFacts,
    child: &ProductFacts,
    errors: &mut Vec<FieldError>,
) {
    if child.kind == ProductKind::Drum && drum_option(cable, child.id).is_none() {
        errors.push(FieldError::new(
            format!("{path}.productId"),
            format!(
                "drum {} is not a drum option of cable {}",
                child.id, cable.id
            ),
        ));
    }
}

fn drum_option(cable: &ProductFacts, drum_id: Uuid) -> Option<&DrumOption> {
    cable
        .drum_options
        .iter()
        .find(|option| option.drum_product_id == drum_id)
}
