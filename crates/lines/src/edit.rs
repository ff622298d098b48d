//! Merchants' price edits on single lines of a cart or an offer. An override belongs to
//! its line alone: other lines, even of the same product, keep their price. A restore
//! returns the line to its catalog prices. Each change is audited in its transaction.
//!
//! The documents differ only in how they are locked and checked (a cart must be open, an
//! offer must not be accepted, rejected or expired) and in how their line table stores an
//! override; each document crate says so by implementing [`PriceEditable`].

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use orderpath_core::{Error, Result};
use orderpath_db::schema::price_edits;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::audit::{edits, restores, DocumentType, EditContext, NewPriceEdit};
use crate::line::Line;

/// New prices for a line; `None` leaves that price as it is. Validated at the edge
/// (≥ 0, at most 4 decimals, below the price ceiling, at least one given).
#[derive(Debug, Clone, Copy, Default)]
pub struct PriceChange {
    pub unit_price: Option<Decimal>,
    pub purchase_price: Option<Decimal>,
}

/// A document, locked for the rest of the transaction, whose line prices may be edited.
pub trait PriceEditable: Sized {
    /// The document as callers read it, lines included.
    type Document;
    /// How the audit names this kind of document.
    const DOCUMENT_TYPE: DocumentType;

    /// Locks document `id`, checks `If-Match` (when given) and that it may still change.
    fn lock(
        conn: &mut PgConnection,
        id: Uuid,
        expected_version: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Self>;

    /// Fails with "not found" unless document `id` exists.
    fn ensure_exists(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<()>;

    /// The locked document as it reads now.
    fn read(&self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Self::Document>;

    /// The lines of a document read by [`PriceEditable::read`].
    fn lines(document: &Self::Document) -> &[Line];

    /// Stores `edit` on its line with its audit ([`LineEdit::audit`]), records that the
    /// document changed (its version rises) and returns the document as it now is. `document` is the document as
    /// [`PriceEditable::read`] read it under the lock, before the edit.
    fn store(
        self,
        conn: &mut PgConnection,
        document: Self::Document,
        edit: &LineEdit,
        now: DateTime<Utc>,
    ) -> Result<Self::Document>;
}

/// What a price edit does to one line of a locked document, with its audit: the
/// document's [`PriceEditable::store`] writes both.
#[derive(Debug, Clone)]
pub struct LineEdit {
    /// The line as it was.
    pub before: Line,
    /// The line as it becomes: its prices in force, their flags and its totals.
    pub after: Line,
    /// What to store.
    pub prices: StoredPrices,
    /// The audit's entries: one per price that changes, never none.
    audit: Vec<NewPriceEdit>,
}

/// The prices a [`LineEdit`] stores on its line.
#[derive(Debug, Clone, Copy)]
pub enum StoredPrices {
    /// The prices `PriceChange` sets become overrides; the others stay as they are.
    Override(PriceChange),
    /// Both prices follow the catalog again (as copied into the document, for an offer).
    Restore,
}

impl LineEdit {
    fn overriding(before: Line, change: PriceChange, audit: Vec<NewPriceEdit>) -> Self {
        let after = before.clone().with_prices(
            change.unit_price.map(|p| (p, true)),
            change.purchase_price.map(|p| (p, true)),
        );
        LineEdit {
            before,
            after,
            prices: StoredPrices::Override(change),
            audit,
        }
    }

    fn restoring(before: Line, audit: Vec<NewPriceEdit>) -> Self {
        let after = before.clone().with_prices(
            Some((before.catalog_unit_price, false)),
            Some((before.catalog_purchase_price, false)),
        );
        LineEdit {
            before,
            after,
            prices: StoredPrices::Restore,
            audit,
        }
    }

    /// The write of the edit's audit, to send with the change it records as one
    /// statement (`orderpath_db::together`).
    pub fn audit(&self) -> impl QueryFragment<Pg> + '_ {
        diesel::insert_into(price_edits::table).values(&self.audit)
    }

    /// Writes the edit's audit on its own.
    pub fn record_audit(&self, conn: &mut PgConnection) -> Result<()> {
        diesel::insert_into(price_edits::table)
            .values(&self.audit)
            .execute(conn)?;
        Ok(())
    }
}

/// Locks the document and reads it with line `line_id`.
fn lock_with_line<D: PriceEditable>(
    conn: &mut PgConnection,
    document_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(D, D::Document, Line)> {
    let locked = D::lock(conn, document_id, expected_version, now)?;
    let document = locked.read(conn, now)?;
    let line = D::lines(&document)
        .iter()
        .find(|l| l.id == line_id)
        .cloned()
        .ok_or(Error::not_found("line"))?;
    Ok((locked, document, line))
}

/// Overrides the sale and/or purchase price of one line, recording each change.
pub fn edit_line_price<D: PriceEditable>(
    conn: &mut PgConnection,
    document_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    change: PriceChange,
    context: &EditContext,
) -> Result<D::Document> {
    let (locked, document, line) =
        lock_with_line::<D>(conn, document_id, line_id, expected_version, context.at)?;
    let audit = edits((D::DOCUMENT_TYPE, document_id), &line, &change, context);
    let edit = LineEdit::overriding(line, change, audit);
    locked.store(conn, document, &edit, context.at)
}

/// Returns a line to its catalog prices, recording each restore. A line without
/// overrides is left alone, and the document's version stays.
pub fn restore_line_price<D: PriceEditable>(
    conn: &mut PgConnection,
    document_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    context: &EditContext,
) -> Result<D::Document> {
    let (locked, document, line) =
        lock_with_line::<D>(conn, document_id, line_id, expected_version, context.at)?;
    if !line.unit_price_overridden && !line.purchase_price_overridden {
        return Ok(document);
    }
    let audit = restores((D::DOCUMENT_TYPE, document_id), &line, context);
    let edit = LineEdit::restoring(line, audit);
    locked.store(conn, document, &edit, context.at)
}
