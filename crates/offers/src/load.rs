//! Reading offers: one statement for one offer, two for a page of them, whatever the
//! number of lines.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::{Error, Result};
use orderpath_db::schema::{offer_lines, offers};
use orderpath_lines::{document_totals, document_with_lines, lines_of_documents};
use uuid::Uuid;

use crate::model::{Offer, OfferLine, OfferStatus};
use crate::rows::OfferRow;

/// Loads offer `id` as of `now`. With `customer_scope`, another customer's offer is not
/// found.
pub fn get_offer(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Offer> {
    let (offer, lines) = document_with_lines!(conn, offers, OfferRow, offer_lines, id)?
        .filter(|(offer, _)| customer_scope.is_none_or(|c| c == offer.customer_id))
        .ok_or(Error::not_found("offer"))?;
    Ok(assemble(offer, lines, now))
}

/// Loads the offers of `rows` with their lines in one more statement, keeping the order.
pub(crate) fn with_lines(
    conn: &mut PgConnection,
    rows: Vec<OfferRow>,
    now: DateTime<Utc>,
) -> Result<Vec<Offer>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut lines = lines_of_documents!(conn, offer_lines, offer_id, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let own = lines.remove(&r.id).unwrap_or_default();
            assemble(r, own, now)
        })
        .collect())
}

fn assemble(row: OfferRow, lines: Vec<OfferLine>, now: DateTime<Utc>) -> Offer {
    let totals = document_totals(&lines);
    // The table's CHECK constraint admits only the names `parse` knows.
    let stored = row.status.parse().unwrap_or(OfferStatus::Draft);
    Offer {
        id: row.id,
        number: row.number,
        cart_id: row.cart_id,
        customer_id: row.customer_id,
        status: stored.effective(row.valid_until, now),
        currency: row.currency,
        valid_until: row.valid_until,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        lines,
        totals,
    }
}

/// What decides how an offer reads: its version and its status as of now. One indexed
/// row, no lines: cheap enough to check on every read before serving a cached rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferStamp {
    pub version: i64,
    pub status: OfferStatus,
}

/// The stamp of offer `id`; another customer's offer is not found under `customer_scope`.
pub fn offer_stamp(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<OfferStamp> {
    let (customer_id, version, status, valid_until): (Uuid, i64, String, Option<DateTime<Utc>>) =
        offers::table
            .find(id)
            .select((
                offers::customer_id,
                offers::version,
                offers::status,
                offers::valid_until,
            ))
            .first(conn)
            .optional()?
            .ok_or(Error::not_found("offer"))?;
    if customer_scope.is_some_and(|c| c != customer_id) {
        return Err(Error::not_found("offer"));
    }
    let stored = status.parse().unwrap_or(OfferStatus::Draft);
    Ok(OfferStamp {
        version,
        status: stored.effective(valid_until, now),
    })
}
