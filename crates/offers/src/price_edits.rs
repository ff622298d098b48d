//! Price edits on offer lines (see `orderpath_lines` for the rule and its audit). An
//! offer keeps its own copy of every price, so an override replaces that copy and a
//! restore returns to the catalog prices copied when the offer was made. Accepted,
//! rejected and expired offers refuse edits.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::offer_lines;
use orderpath_lines::{DocumentType, Line, PriceChange, PriceEditable};
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::Offer;
use crate::status::{lock_offer, LockedOffer};

impl PriceEditable for LockedOffer {
    type Document = Offer;
    const DOCUMENT_TYPE: DocumentType = DocumentType::Offer;

    fn lock(
        conn: &mut PgConnection,
        id: Uuid,
        expected_version: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let locked = lock_offer(conn, id, expected_version, now)?;
        locked.ensure_editable()?;
        Ok(locked)
    }

    fn ensure_exists(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        get_offer(conn, id, None, now).map(drop)
    }

    fn read(&self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Offer> {
        get_offer(conn, self.id, None, now)
    }

    fn lines(offer: &Offer) -> &[Line] {
        &offer.lines
    }

    fn store_override(
        &self,
        conn: &mut PgConnection,
        line_id: Uuid,
        change: PriceChange,
    ) -> Result<()> {
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
        Ok(())
    }

    fn store_restore(&self, conn: &mut PgConnection, line: &Line) -> Result<()> {
        diesel::update(offer_lines::table.find(line.id))
            .set((
                offer_lines::unit_price.eq(line.catalog_unit_price),
                offer_lines::unit_price_overridden.eq(false),
                offer_lines::purchase_price.eq(line.catalog_purchase_price),
                offer_lines::purchase_price_overridden.eq(false),
            ))
            .execute(conn)?;
        Ok(())
    }

    fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Offer> {
        LockedOffer::finish(self, conn, now)
    }
}
