//! The audit of line price edits, for carts and offers alike: every edit and every
//! restore, written in the transaction of the change.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::cursor;
use orderpath_core::page::Page;
use orderpath_core::{Error, Result};
use orderpath_db::schema::price_edits;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::CartLine;
use crate::prices::PriceChange;

/// Which kind of document a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricedDocument {
    Cart,
    Offer,
}

impl PricedDocument {
    fn as_str(self) -> &'static str {
        match self {
            PricedDocument::Cart => "CART",
            PricedDocument::Offer => "OFFER",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceField {
    UnitPrice,
    PurchasePrice,
}

impl PriceField {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceField::UnitPrice => "UNIT_PRICE",
            PriceField::PurchasePrice => "PURCHASE_PRICE",
        }
    }
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

pub fn record_price_edit(
    conn: &mut PgConnection,
    document: (PricedDocument, Uuid),
    line_id: Uuid,
    field: PriceField,
    (old_value, new_value): (Decimal, Decimal),
    context: &EditContext,
) -> Result<()> {
    diesel::insert_into(price_edits::table)
        .values((
            price_edits::document_type.eq(document.0.as_str()),
            price_edits::document_id.eq(document.1),
            price_edits::line_id.eq(line_id),
            price_edits::field.eq(field.as_str()),
            price_edits::old_value.eq(old_value),
            price_edits::new_value.eq(new_value),
            price_edits::reason.eq(&context.reason),
            price_edits::actor.eq(&context.actor),
            price_edits::at.eq(context.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records what `change` does to `line`: one entry per price it sets.
pub fn record_edits(
    conn: &mut PgConnection,
    document: (PricedDocument, Uuid),
    line: &CartLine,
    change: &PriceChange,
    context: &EditContext,
) -> Result<()> {
    if let Some(price) = change.unit_price {
        let values = (line.unit_price, price);
        record_price_edit(
            conn,
            document,
            line.id,
            PriceField::UnitPrice,
            values,
            context,
        )?;
    }
    if let Some(price) = change.purchase_price {
        let values = (line.purchase_price, price);
        record_price_edit(
            conn,
            document,
            line.id,
            PriceField::PurchasePrice,
            values,
            context,
        )?;
    }
    Ok(())
}

/// Records the return of `line` to its catalog prices: one entry per overridden price.
pub fn record_restore(
    conn: &mut PgConnection,
    document: (PricedDocument, Uuid),
    line: &CartLine,
    context: &EditContext,
) -> Result<()> {
    if line.unit_price_overridden {
        let values = (line.unit_price, line.catalog_unit_price);
        record_price_edit(
            conn,
            document,
            line.id,
            PriceField::UnitPrice,
            values,
            context,
        )?;
    }
    if line.purchase_price_overridden {
        let values = (line.purchase_price, line.catalog_purchase_price);
        record_price_edit(
            conn,
            document,
            line.id,
            PriceField::PurchasePrice,
            values,
            context,
        )?;
    }
    Ok(())
}

/// The edits of one document, oldest first, `limit` at a time.
pub fn list_price_edits(
    conn: &mut PgConnection,
    document: PricedDocument,
    document_id: Uuid,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<PriceEditRecord>> {
    let after_seq = match after {
        Some(c) => cursor::decode(c, 1)?[0]
            .parse::<i64>()
            .map_err(|_| Error::field("cursor", "is not a cursor this service issued"))?,
        None => 0,
    };
    let mut rows: Vec<PriceEditRecord> = price_edits::table
        .filter(price_edits::document_type.eq(document.as_str()))
        .filter(price_edits::document_id.eq(document_id))
        .filter(price_edits::seq.gt(after_seq))
        .order(price_edits::seq)
        .limit(limit + 1)
        .select(PriceEditRecord::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| cursor::encode(&[&r.seq.to_string()]))
    } else {
        None
    };
    Ok(Page {
        items: rows,
        next_cursor,
    })
}
