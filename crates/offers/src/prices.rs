//! Price edits on single offer lines. An offer keeps its own copy of every price, so an
//! override replaces that copy and a restore returns to the catalog prices copied when
//! the offer was made. Accepted, rejected and expired offers refuse edits.

use diesel::prelude::*;
use orderpath_carts::{record_edits, record_restore, EditContext, PriceChange, PricedDocument};
use orderpath_core::{Error, Result};
use orderpath_db::schema::offer_lines;
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::{Offer, OfferLine};
use crate::status::lock_offer;

fn find_line(offer: &Offer, line_id: Uuid) -> Result<OfferLine> {
    offer
        .lines
        .iter()
        .find(|l| l.id == line_id)
        .cloned()
        .ok_or(Error::not_found("line"))
}

/// Overrides the sale and/or purchase price of one offer line, recording each change.
pub fn edit_offer_line_price(
    conn: &mut PgConnection,
    offer_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    change: PriceChange,
    context: &EditContext,
) -> Result<Offer> {
    let locked = lock_offer(conn, offer_id, expected_version, context.at)?;
    locked.ensure_editable()?;
    let line = find_line(&get_offer(conn, offer_id, None, context.at)?, line_id)?;
    record_edits(
        conn,
        (PricedDocument::Offer, offer_id),
        &line,
        &change,
        context,
    )?;
    if let Some(price) = change.unit_price {
        diesel::update(offer_lines::table.find(line_id))
            .set((
                offer_lines::unit_price.eq(price),
                offer_lines::unit_price_overridden.eq(true),
            ))
            .execute(conn)?;
    }
    if let Some(price) = change.purchase_price {
        diesel::update(offer_lines::table.find(line_id))
            .set((
                offer_lines::purchase_price.eq(price),
                offer_lines::purchase_price_overridden.eq(true),
            ))
            .execute(conn)?;
    }
    locked.finish(conn, context.at)
}

/// Returns a line to the catalog prices copied into the offer, recording each restore.
/// A line without overrides is left alone, and the offer's version stays.
pub fn restore_offer_line_price(
    conn: &mut PgConnection,
    offer_id: Uuid,
    line_id: Uuid,
    expected_version: Option<i64>,
    context: &EditContext,
) -> Result<Offer> {
    let locked = lock_offer(conn, offer_id, expected_version, context.at)?;
    locked.ensure_editable()?;
    let offer = get_offer(conn, offer_id, None, context.at)?;
    let line = find_line(&offer, line_id)?;
    if !line.unit_price_overridden && !line.purchase_price_overridden {
        return Ok(offer);
    }
    record_restore(conn, (PricedDocument::Offer, offer_id), &line, context)?;
    diesel::update(offer_lines::table.find(line_id))
        .set((
            offer_lines::unit_price.eq(line.catalog_unit_price),
            offer_lines::unit_price_overridden.eq(false),
            offer_lines::purchase_price.eq(line.catalog_purchase_price),
            offer_lines::purchase_price_overridden.eq(false),
        ))
        .execute(conn)?;
    locked.finish(conn, context.at)
}
