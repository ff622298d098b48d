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

/// A line's price as it was and as it becomes.
struct Values {
    old: Decimal,
    new: Decimal,
}

fn record(
    conn: &mut PgConnection,
    document: (DocumentType, Uuid),
    line_id: Uuid,
    field: PriceField,
    values: Values,
    context: &EditContext,
) -> Result<()> {
    let document_type: &'static str = document.0.into();
    let field: &'static str = field.into();
    diesel::insert_into(price_edits::table)
        .values((
            price_edits::document_type.eq(document_type),
            price_edits::document_id.eq(document.1),
            price_edits::line_id.eq(line_id),
            price_edits::field.eq(field),
            price_edits::old_value.eq(values.old),
            price_edits::new_value.eq(values.new),
            price_edits::reason.eq(&context.reason),
            price_edits::actor.eq(&context.actor),
            price_edits::at.eq(context.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records what `change` does to `line`: one entry per price it sets.
pub(crate) fn record_edits(
    conn: &mut PgConnection,
    document: (DocumentType, Uuid),
    line: &Line,
    change: &PriceChange,
    context: &EditContext,
) -> Result<()> {
    let changes = [
        (PriceField::UnitPrice, line.unit_price, change.unit_price),
        (
            PriceField::PurchasePrice,
            line.purchase_price,
            change.purchase_price,
        ),
    ];
    for (field, old, new) in changes {
        if let Some(new) = new {
            record(conn, document, line.id, field, Values { old, new }, context)?;
        }
    }
    Ok(())
}

/// Records the return of `line` to its catalog prices: one entry per overridden price.
pub(crate) fn record_restore(
    conn: &mut PgConnection,
    document: (DocumentType, Uuid),
    line: &Line,
    context: &EditContext,
) -> Result<()> {
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
    for (field, overridden, old, new) in restores {
        if overridden {
            record(conn, document, line.id, field, Values { old, new }, context)?;
        }
    }
    Ok(())
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
