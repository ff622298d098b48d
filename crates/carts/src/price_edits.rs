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
        if let Some(price) = change.unit_price {
            diesel::update(cart_lines::table.find(line_id))
                .set(cart_lines::unit_price_override.eq(price))
                .execute(conn)?;
        }
        if let Some(price) = change.purchase_price {
            diesel::update(cart_lines::table.find(line_id))
                .set(cart_lines::purchase_price_override.eq(price))
                .execute(conn)?;
        }
        Ok(())
    }

    fn store_restore(&self, conn: &mut PgConnection, line: &Line) -> Result<()> {
        diesel::update(cart_lines::table.find(line.id))
            .set((
                cart_lines::unit_price_override.eq(None::<Decimal>),
                cart_lines::purchase_price_override.eq(None::<Decimal>),
            ))
            .execute(conn)?;
        Ok(())
    }

    fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Cart> {
        LockedCart::finish(self, conn, now)
    }
}
