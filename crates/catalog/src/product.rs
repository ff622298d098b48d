use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::cursor;
use orderpath_core::page::{self, Page};
pub use orderpath_core::product::{DrumOption, ProductKind};
use orderpath_core::quantity::QuantityType;
use orderpath_core::{Error, FieldError, Result};
use orderpath_db::schema::{drum_options, products};
use orderpath_db::search::{contains_pattern, planned_per_search};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::rows::{DrumOptionRow, ProductChanges, ProductRow};

/// A product as the ERP sends it, with every value already validated at the edge.
#[derive(Debug, Clone)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub kind: ProductKind,
    pub unit: String,
    pub quantity_type: QuantityType,
    pub net_price: Decimal,
    pub purchase_price: Decimal,
    pub vat_rate: Decimal,
    pub currency: String,
    pub stock: Decimal,
    pub drum_options: Vec<DrumOption>,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub kind: ProductKind,
    pub unit: String,
    pub quantity_type: QuantityType,
    pub net_price: Decimal,
    pub purchase_price: Decimal,
    pub vat_rate: Decimal,
    pub currency: String,
    /// On hand, as the ERP counts it.
    pub stock: Decimal,
    /// Held by shipments that are ready to go.
    pub reserved: Decimal,
    pub drum_options: Vec<DrumOption>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whether an upsert created the product or replaced an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
}

/// Creates or replaces product `id`. Checks what only the database can: the SKU is not
/// another product's, every drum option names a DRUM product, and a product that serves
/// as some cable's drum stays a DRUM.
pub fn upsert_product(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &ProductDraft,
    now: DateTime<Utc>,
) -> Result<(Product, Upserted)> {
    check_references(conn, id, draft)?;
    let changes = ProductChanges {
        sku: &draft.sku,
        name: &draft.name,
        kind: draft.kind.into(),
        unit: &draft.unit,
        quantity_type: draft.quantity_type.into(),
        net_price: draft.net_price,
        purchase_price: draft.purchase_price,
        vat_rate: draft.vat_rate,
        currency: &draft.currency,
        stock: draft.stock,
        active: draft.active,
        updated_at: now,
    };
    let exists = products::table
        .find(id)
        .select(products::id)
        .for_update()
        .first::<Uuid>(conn)
        .optional()?
        .is_some();
    if exists {
        diesel::update(products::table.find(id))
            .set(&changes)
            .execute(conn)?;
    } else {
        diesel::insert_into(products::table)
            .values((products::id.eq(id), products::created_at.eq(now), &changes))
            .execute(conn)?;
    }
    diesel::delete(drum_options::table.filter(drum_options::cable_product_id.eq(id)))
        .execute(conn)?;
    let options: Vec<DrumOptionRow> = draft
        .drum_options
        .iter()
        .map(|o| DrumOptionRow {
            cable_product_id: id,
            drum_product_id: o.drum_product_id,
            max_length: o.max_length,
        })
        .collect();
    diesel::insert_into(drum_options::table)
        .values(&options)
        .execute(conn)?;
    let outcome = if exists {
        Upserted::Updated
    } else {
        Upserted::Created
    };
    Ok((get_product(conn, id)?, outcome))
}

fn check_references(conn: &mut PgConnection, id: Uuid, draft: &ProductDraft) -> Result<()> {
    let mut errors = Vec::new();
    let sku_owner: Option<Uuid> = products::table
        .filter(products::sku.eq(&draft.sku))
        .filter(products::id.ne(id))
        .select(products::id)
        .first(conn)
        .optional()?;
    if let Some(owner) = sku_owner {
        errors.push(FieldError::new(
            "sku",
            format!("is already the SKU of product {owner}"),
        ));
    }
    let drum_ids: Vec<Uuid> = draft
        .drum_options
        .iter()
        .map(|o| o.drum_product_id)
        .collect();
    let kinds: HashMap<Uuid, ProductKind> = products::table
        .filter(products::id.eq_any(&drum_ids))
        .select((products::id, products::kind))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .map(|(id, kind)| Ok((id, kind.parse()?)))
        .collect::<Result<_>>()?;
    for (i, option) in draft.drum_options.iter().enumerate() {
        let field = format!("drumOptions[{i}].drumProductId");
        match kinds.get(&option.drum_product_id) {
            None => errors.push(FieldError::new(field, "unknown product")),
            Some(ProductKind::Drum) => {}
            Some(other) => errors.push(FieldError::new(
                field,
                format!("names a {other} product; a drum option must be a DRUM"),
            )),
        }
    }
    if draft.kind != ProductKind::Drum {
        let carried_by: Option<Uuid> = drum_options::table
            .filter(drum_options::drum_product_id.eq(id))
            .select(drum_options::cable_product_id)
            .first(conn)
            .optional()?;
        if let Some(cable) = carried_by {
            errors.push(FieldError::new(
                "kind",
                format!("must stay DRUM: the product is a drum option of cable {cable}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

pub fn get_product(conn: &mut PgConnection, id: Uuid) -> Result<Product> {
    find_product(conn, id)?.ok_or(Error::not_found("product"))
}

/// The products that `filter` selects, each row joined with one of its drum options.
macro_rules! joined_with_drum_options {
    ($filter:expr) => {
        products::table
            .left_join(drum_options::table.on(drum_options::cable_product_id.eq(products::id)))
            .filter($filter)
            .order((products::id, drum_options::max_length))
            .select((
                ProductRow::as_select(),
                Option::<DrumOptionRow>::as_select(),
            ))
    };
}

/// Loads the given products (in no particular order; unknown ids are left out) with
/// their drum options, in one statement however many there are: adding a product to a
/// cart reads it on every add.
pub fn get_products(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Product>> {
    let rows = joined_with_drum_options!(products::id.eq_any(ids)).load(conn)?;
    Ok(products_of(rows))
}

/// Product `id`, or `None` when there is none. Unlike [`get_products`] of one id, its
/// statement is planned once per connection (`= ANY` of an array is planned per call).
pub fn find_product(conn: &mut PgConnection, id: Uuid) -> Result<Option<Product>> {
    let rows = joined_with_drum_options!(products::id.eq(id)).load(conn)?;
    Ok(products_of(rows).pop())
}

/// Products from rows of [`joined_with_drum_options!`], in order, each with its options.
fn products_of(rows: Vec<(ProductRow, Option<DrumOptionRow>)>) -> Vec<Product> {
    let mut found: Vec<(ProductRow, Vec<DrumOption>)> = Vec::new();
    for (row, option) in rows {
        if found.last().is_none_or(|(last, _)| last.id != row.id) {
            found.push((row, Vec::new()));
        }
        if let (Some(o), Some((_, options))) = (option, found.last_mut()) {
            options.push(drum_option(o));
        }
    }
    found
        .into_iter()
        .map(|(row, options)| product_from_row(row, options))
        .collect()
}

/// Which products a list shows; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Only the product with exactly this SKU.
    pub sku: Option<String>,
    /// Only products whose SKU or name contains this text, in any letter case.
    pub search: Option<String>,
    pub kind: Option<ProductKind>,
    pub active: Option<bool>,
}

/// Products ordered by SKU, `limit` at a time, those `filter` lets through.
pub fn list_products(
    conn: &mut PgConnection,
    filter: &ProductFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Product>> {
    let mut query = products::table
        .select(ProductRow::as_select())
        .order(products::sku)
        .limit(page::fetch_limit(limit))
        .into_boxed();
    if let Some(sku) = &filter.sku {
        query = query.filter(products::sku.eq(sku.clone()));
    }
    if let Some(pattern) = contains_pattern(filter.search.as_deref()) {
        query = query.filter(planned_per_search(
            products::sku
                .ilike(pattern.clone())
                .or(products::name.ilike(pattern)),
        ));
    }
    if let Some(kind) = filter.kind {
        let kind: &'static str = kind.into();
        query = query.filter(products::kind.eq(kind));
    }
    if let Some(active) = filter.active {
        query = query.filter(products::active.eq(active));
    }
    if let Some(after) = after {
        query = query.filter(products::sku.gt(cursor::decode_key::<String>(after)?));
    }
    let rows: Vec<ProductRow> = query.load(conn)?;
    Page::keyset(rows, limit, |r| cursor::encode(&[&r.sku]))
        .try_map_items(|rows| with_drum_options(conn, rows))
}

fn with_drum_options(conn: &mut PgConnection, rows: Vec<ProductRow>) -> Result<Vec<Product>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut options: HashMap<Uuid, Vec<DrumOption>> = HashMap::new();
    let option_rows: Vec<DrumOptionRow> = drum_options::table
        .filter(drum_options::cable_product_id.eq_any(&ids))
        .order((drum_options::cable_product_id, drum_options::max_length))
        .select(DrumOptionRow::as_select())
        .load(conn)?;
    for o in option_rows {
        options
            .entry(o.cable_product_id)
            .or_default()
            .push(drum_option(o));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let drum_options = options.remove(&r.id).unwrap_or_default();
            product_from_row(r, drum_options)
        })
        .collect())
}

fn drum_option(o: DrumOptionRow) -> DrumOption {
    DrumOption {
        drum_product_id: o.drum_product_id,
        max_length: o.max_length.normalize(),
    }
}

fn product_from_row(r: ProductRow, drum_options: Vec<DrumOption>) -> Product {
    Product {
        id: r.id,
        sku: r.sku,
        name: r.name,
        kind: r.kind,
        unit: r.unit,
        quantity_type: r.quantity_type,
        net_price: r.net_price.normalize(),
        purchase_price: r.purchase_price.normalize(),
        vat_rate: r.vat_rate.normalize(),
        currency: r.currency,
        stock: r.stock.normalize(),
        reserved: r.reserved.normalize(),
        drum_options,
        active: r.active,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
