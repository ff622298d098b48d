//! Adding configured products (a cable cut with its drum, or any parent with children) as
//! separate lines. The configurator checks the request as a whole; nothing is written
//! unless every item is valid.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_catalog::{Product, ProductKind};
use orderpath_configurator as configurator;
use orderpath_core::{Error, FieldError, Result};
use uuid::Uuid;

use crate::cart::lock_cart;
use crate::lines::{insert_lines, NewLine};
use crate::model::{Cart, LineFlags};

/// Adds every configurable product of `items` as a parent line followed by its children.
/// Never merges: the same cable may stand in many separate lines.
pub fn add_configurable_products(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    items: &[configurator::ConfigurableRequest],
    now: DateTime<Utc>,
) -> Result<Cart> {
    let cart = lock_cart(conn, cart_id, customer_scope, expected_version)?;
    let ids: Vec<Uuid> = items
        .iter()
        .flat_map(|item| {
            std::iter::once(item.product_id).chain(item.children.iter().map(|c| c.product_id))
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let products: HashMap<Uuid, Product> = orderpath_catalog::get_products(conn, &ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let facts = products
        .iter()
        .map(|(id, p)| (*id, product_facts(p)))
        .collect();
    let currency = currency_errors(items, &products, &cart.currency);
    let drafts = match configurator::build_drafts(items, &facts) {
        Ok(drafts) if currency.is_empty() => drafts,
        Ok(_) => return Err(Error::Validation(currency)),
        Err(mut errors) => {
            errors.extend(currency);
            return Err(Error::Validation(errors));
        }
    };
    let lines: Vec<NewLine> = drafts
        .into_iter()
        .map(|d| NewLine {
            product_id: d.product_id,
            quantity: d.quantity,
            flags: LineFlags {
                allow_quantity_change: d.allow_quantity_change,
                allow_quantity_splitting: d.allow_quantity_splitting,
                removable: d.removable,
            },
            parent_index: d.parent_index,
        })
        .collect();
    insert_lines(conn, &cart, &lines, now)?;
    cart.finish(conn, now)
}

/// What the configurator needs to know of a catalog product.
pub fn product_facts(p: &Product) -> configurator::ProductFacts {
    configurator::ProductFacts {
        id: p.id,
        kind: p.kind,
        quantity_type: p.quantity_type,
        active: p.active,
        drum_options: p.drum_options.clone(),
    }
}

/// Every product of the request must be priced in the cart's currency.
fn currency_errors(
    items: &[configurator::ConfigurableRequest],
    products: &HashMap<Uuid, Product>,
    currency: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field: String, id: Uuid| {
        if let Some(p) = products.get(&id).filter(|p| p.currency != currency) {
            errors.push(FieldError::new(
                field,
                format!(
                    "the product is priced in {}, the cart in {currency}",
                    p.currency
                ),
            ));
        }
    };
    for (i, item) in items.iter().enumerate() {
        check(
            format!("configurableProducts[{i}].productId"),
            item.product_id,
        );
        for (j, child) in item.children.iter().enumerate() {
            check(
                format!("configurableProducts[{i}].children[{j}].productId"),
                child.product_id,
            );
        }
    }
    errors
}

/// The drums a cable may be wound on, each with its capacity for this cable and its sale
/// price, for the cable calculator. Inactive drums are left out: they cannot be sold.
pub(crate) fn cable_drum_choices(
    conn: &mut PgConnection,
    cable_id: Uuid,
) -> Result<Vec<configurator::DrumChoice>> {
    let not_a_cable = || Error::field("cableProductId", "unknown cable product");
    let cable = orderpath_catalog::get_products(conn, &[cable_id])?
        .pop()
        .ok_or_else(not_a_cable)?;
    if cable.kind != ProductKind::Cable {
        return Err(Error::field(
            "cableProductId",
            format!("names a {} product, not a CABLE", cable.kind),
        ));
    }
    let drum_ids: Vec<Uuid> = cable
        .drum_options
        .iter()
        .map(|o| o.drum_product_id)
        .collect();
    let drums: HashMap<Uuid, Product> = orderpath_catalog::get_products(conn, &drum_ids)?
        .into_iter()
        .filter(|d| d.active)
        .map(|d| (d.id, d))
        .collect();
    Ok(cable
        .drum_options
        .iter()
        .filter_map(|o| {
            drums
                .get(&o.drum_product_id)
                .map(|drum| configurator::DrumChoice {
                    drum_product_id: o.drum_product_id,
                    max_length: o.max_length,
                    price: drum.net_price,
                })
        })
        .collect())
}
