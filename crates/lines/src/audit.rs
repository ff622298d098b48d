//! The audit of line price edits, for carts and offers alike: every edit and every
//! restore, written in the transaction of the change.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::cursor;
use orderpath_core::page::{self, Page};
use orderpath_core::Result;
use orderpath_db::schema::price_edits;
use rust_decimal::Decimal;
use strum::{Display, EnumString, IntoStaticStr};
use uuid::Uuid;

use crate::edit::{PriceChange, PriceEditable};
use crate::line::Line;

/// Which kind of document an edited line belongs to, as `price_edits.document_type`
/// stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, Display)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentType {
    Cart,
    Offer,
}

/// Which price of a line changed, as `price_edits.field` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, Display)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum PriceField {
    UnitPrice,
    PurchasePrice,
}

/// One recorded change of one price of one line.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = price_edits)]
pub struct PriceEditRecord {
    pub seq: i64,
    pub line_id: Uuid,
    /// `UNIT_PRICE` or `PURCHASE_PRICE`.
    pub field: String,
    pub old_value: Decimal,
    pub new_value: Decimal,
    pub reason: Option<String>,
    /// The name of the token that made the change.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// Who changed a price, why and when.
#[derive(Debug, Clone)]
pub struct EditContext {
    pub actor: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// One entry of the audit, as [`LineEdit`](crate::LineEdit) writes it with its change.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = price_edits)]
pub struct NewPriceEdit {
    document_type: &'static str,
    document_id: Uuid,
    line_id: Uuid,
    field: &'static str,
    old_value: Decimal,
    new_value: Decimal,
    reason: Option<String>,
    actor: String,
    at: DateTime<Utc>,
}

/// The entry of one price of `line` going from `old` to `new`.
fn entry(
    document: (DocumentType, Uuid),
    line: &Line,
    field: PriceField,
    (old, new): (Decimal, Decimal),
    context: &EditContext,
) -> NewPriceEdit {
    NewPriceEdit {
        document_type: document.0.into(),
        document_id: document.1,
        line_id: line.id,
        field: field.into(),
        old_value: old,
        new_value: new,
        reason: context.reason.clone(),
        actor: context.actor.clone(),
        at: context.at,
    }
}

/// What `change` does to `line`: one entry per price it sets.
pub(crate) fn edits(
    document: (DocumentType, Uuid),
    line: &Line,
    change: &PriceChange,
    context: &EditContext,
) -> Vec<NewPriceEdit> {
    let changes = [
        (PriceField::UnitPrice, line.unit_price, change.unit_price),
        (
            PriceField::PurchasePrice,
            line.purchase_price,
            change.purchase_price,
        ),
    ];
    changes
        .into_iter()
        .filter_map(|(field, old, new)| Some(entry(document, line, field, (old, new?), context)))
        .collect()
}

/// The return of `line` to its catalog prices: one entry per overridden price.
pub(crate) fn restores(
    document: (DocumentType, Uuid),
    line: &Line,
    context: &EditContext,
) -> Vec<NewPriceEdit> {
    let restores = [
        (
            PriceField::UnitPrice,
            line.unit_price_overridden,
            line.unit_price,
            line.catalog_unit_price,
        ),
        (
            PriceField::PurchasePrice,
            line.purchase_price_overridden,
            line.purchase_price,
            line.catalog_purchase_price,
        ),
    ];
    restores
        .into_iter()
        .filter(|(_, overridden, _, _)| *overridden)
        .map(|(field, _, old, new)| entry(document, line, field, (old, new), context))
        .collect()
}

/// The price edits of document `document_id` of kind `D`, oldest first, `limit` at a
/// time. A document that does not exist is not found.
pub fn list_price_edits<D: PriceEditable>(
    conn: &mut PgConnection,
    document_id: Uuid,
    after: Option<&str>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Page<PriceEditRecord>> {
    D::ensure_exists(conn, document_id, now)?;
    let after_seq = after
        .map(cursor::decode_key::<i64>)
        .transpose()?
        .unwrap_or(0);
    let document_type: &'static str = D::DOCUMENT_TYPE.into();
    let rows: Vec<PriceEditRecord> = price_edits::table
        .filter(price_edits::document_type.eq(document_type))
        .filter(price_edits::document_id.eq(document_id))
        .filter(price_edits::seq.gt(after_seq))
        .order(price_edits::seq)
        .limit(page::fetch_limit(limit))
        .select(PriceEditRecord::as_select())
        .load(conn)?;
    Ok(Page::keyset(rows, limit, |r| {
        cursor::encode(&[&r.seq.to_string()])
    }))
}
