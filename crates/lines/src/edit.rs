//! Merchants' price edits on single lines of a cart or an offer. An override belongs to
//! its line alone: other lines, even of the same product, keep their price. A restore
//! returns the line to its catalog prices. Each change is audited in its transaction.
//!
//! The documents differ only in how they are locked and checked (a cart must be open, an
//! offer must not be accepted, rejected or expired) and in how their line table stores an
//! override; each document crate says so by implementing [`PriceEditable`].

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use orderpath_core::{Error, Result};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::audit::{record_edits, record_restore, DocumentType, EditContext};
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

    /// Stores the prices `change` sets on line `line_id` as overrides.
    fn store_override(
        &self,
        conn: &mut PgConnection,
        line_id: Uuid,
        change: PriceChange,
    ) -> Result<()>;

    /// Stores `line` back at its catalog prices.
    fn store_restore(&self, conn: &mut PgConnection, line: &Line) -> Result<()>;

    /// Records that the document changed (its version rises) and reads it as it now is.
    fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Self::Document>;
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
    let (locked, _, line) =
        lock_with_line::<D>(conn, document_id, line_id, expected_version, context.at)?;
    record_edits(
        conn,
        (D::DOCUMENT_TYPE, document_id),
        &line,
        &change,
        context,
    )?;
    locked.store_override(conn, line_id, change)?;
    locked.finish(conn, context.at)
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
    record_restore(conn, (D::DOCUMENT_TYPE, document_id), &line, context)?;
    locked.store_restore(conn, &line)?;
    locked.finish(conn, context.at)
}
