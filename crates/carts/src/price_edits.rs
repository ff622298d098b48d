//! Price edits on cart lines (see `orderpath_lines` for the rule and its audit). A cart
//! line stores an override beside the catalog price it replaces, so it survives quantity
//! changes, re-reads and catalog changes until it is restored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::cart_lines;
use orderpath_db::together::together;
use orderpath_lines::{DocumentType, Line, LineEdit, PriceEditable, StoredPrices};
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
        LockedCart::read(self, conn)
    }

    fn lines(cart: &Cart) -> &[Line] {
        &cart.lines
    }

    /// The audit, the override (or its removal) and the version bump go as one statement; the cart
    /// read under the lock, with the edited line in place, is the cart as it now is.
    fn store(
        self,
        conn: &mut PgConnection,
        mut cart: Cart,
        edit: &LineEdit,
        now: DateTime<Utc>,
    ) -> Result<Cart> {
        let overrides = match edit.prices {
            StoredPrices::Override(change) => Overrides {
                unit_price_override: change.unit_price.map(Some),
                purchase_price_override: change.purchase_price.map(Some),
            },
            StoredPrices::Restore => Overrides {
                unit_price_override: Some(None),
                purchase_price_override: Some(None),
            },
        };
        let store = diesel::update(cart_lines::table.find(edit.before.id)).set(overrides);
        for line in cart
            .lines_mut()
            .iter_mut()
            .filter(|l| l.id == edit.before.id)
        {
            *line = edit.after.clone();
        }
        self.finish_with(conn, together(edit.audit()).then(store), cart, now)
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
