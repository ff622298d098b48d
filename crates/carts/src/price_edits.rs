//! Price edits on cart lines (see `orderpath_lines` for the rule and its audit). A cart
//! line stores an override beside the catalog price it replaces, so it survives quantity
//! changes, re-reads and catalog changes until it is restored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::cart_lines;
use orderpath_lines::{DocumentType, Line, PriceChange, PriceEditable};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::cart::{lock_cart, LockedCart};
use crate::load::load_cart;
use crate::model::Cart;

/// Only an open cart takes price edits.
impl PriceEditable for LockedCart {
    type Document = Cart;
    const DOCUMENT_TYPE: DocumentType = DocumentType::Cart;

    fn lock(
        conn: &mut PgConnection,
        id: Uuid,
        expected_version: Option<i64>,
        _now: DateTime<Utc>,
    ) -> Result<Self> {
        lock_cart(conn, id, None, expected_version)
    }

    fn ensure_exists(conn: &mut PgConnection, id: Uuid, _now: DateTime<Utc>) -> Result<()> {
        load_cart(conn, id, None).map(drop)
    }

    fn read(&self, conn: &mut PgConnection, _now: DateTime<Utc>) -> Result<Cart> {
        load_cart(conn, self.id, None)
    }

    fn lines(cart: &Cart) -> &[Line] {
        &cart.lines
    }

    fn store_override(
        &self,
        conn: &mut PgConnection,
        line_id: Uuid,
        change: PriceChange,
    ) -> Result<()> {
        let overrides = Overrides {
            unit_price_override: change.unit_price.map(Some),
            purchase_price_override: change.purchase_price.map(Some),
        };
        overrides.store(conn, line_id)
    }

    fn store_restore(&self, conn: &mut PgConnection, line: &Line) -> Result<()> {
        let cleared = Overrides {
            unit_price_override: Some(None),
            purchase_price_override: Some(None),
        };
        cleared.store(conn, line.id)
    }

    fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Cart> {
        LockedCart::finish(self, conn, now)
    }
}

/// The overrides of a cart line that a change sets: `Some(None)` clears one (the line
/// follows the catalog again), `None` leaves it as it is.
#[derive(AsChangeset)]
#[diesel(table_name = cart_lines)]
struct Overrides {
    unit_price_override: Option<Option<Decimal>>,
    purchase_price_override: Option<Option<Decimal>>,
}

impl Overrides {
    fn store(&self, conn: &mut PgConnection, line_id: Uuid) -> Result<()> {
        diesel::update(cart_lines::table.find(line_id))
            .set(self)
            .execute(conn)?;
        Ok(())
    }
}
