//! Price edits on offer lines (see `orderpath_lines` for the rule and its audit). An
//! offer keeps its own copy of every price, so an override replaces that copy and a
//! restore returns to the catalog prices copied when the offer was made. Accepted,
//! rejected and expired offers refuse edits.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::offer_lines;
use orderpath_lines::{DocumentType, Line, LineEdit, PriceEditable, StoredPrices};
use rust_decimal::Decimal;
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

    /// An offer keeps its own copy of the catalog prices; a restore returns to them.
    /// The offer is read again after the change: its feed position moves with it.
    fn store(
        self,
        conn: &mut PgConnection,
        _before: Offer,
        edit: &LineEdit,
        now: DateTime<Utc>,
    ) -> Result<Offer> {
        let prices = match edit.prices {
            StoredPrices::Override(change) => {
                let overridden = |price: Option<Decimal>| price.map(|_| true);
                LinePrices {
                    unit_price: change.unit_price,
                    unit_price_overridden: overridden(change.unit_price),
                    purchase_price: change.purchase_price,
                    purchase_price_overridden: overridden(change.purchase_price),
                }
            }
            StoredPrices::Restore => LinePrices {
                unit_price: Some(edit.before.catalog_unit_price),
                unit_price_overridden: Some(false),
                purchase_price: Some(edit.before.catalog_purchase_price),
                purchase_price_overridden: Some(false),
            },
        };
        edit.record_audit(conn)?;
        prices.store(conn, edit.before.id)?;
        LockedOffer::finish(self, conn, now)
    }
}

/// The prices of an offer line that a change sets, each with whether it is overridden;
/// `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = offer_lines)]
struct LinePrices {
    unit_price: Option<Decimal>,
    unit_price_overridden: Option<bool>,
    purchase_price: Option<Decimal>,
    purchase_price_overridden: Option<bool>,
}

impl LinePrices {
    fn store(&self, conn: &mut PgConnection, line_id: Uuid) -> Result<()> {
        diesel::update(offer_lines::table.find(line_id))
            .set(self)
            .execute(conn)?;
        Ok(())
    }
}
