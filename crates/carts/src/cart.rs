use chrono::{DateTime, Utc};
use diesel::dsl;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use orderpath_core::error::check_version;
use orderpath_core::events::EventType;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::schema::{carts, products};
use orderpath_db::together::Earlier;
use orderpath_db::{events, kept, prepared};
use orderpath_lines::document_totals;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::line_write::{Bumped, LineWrite};
use crate::load::load_cart;
use crate::model::{Cart, CartStatus, Source};
use crate::recent::{self, Seen};
use crate::rows::SoldProduct;
use crate::stamp::{catalog_shown_sql, CartStamp};

/// The customer (or a sales rep) opened the cart: records `CART_OPENED` naming `user_id`
/// and returns the cart. Opening changes nothing in the cart, so its version stays.
pub fn open_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    source: Source,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let cart = load_cart(conn, id, customer_scope)?;
    record_cart_opened(conn, cart.customer_id, id, source, user_id, now)?;
    Ok(cart)
}

pub fn get_cart(conn: &mut PgConnection, id: Uuid, customer_scope: Option<Uuid>) -> Result<Cart> {
    load_cart(conn, id, customer_scope)
}

/// Locks cart `id` for a change: checks the caller may see it, that `If-Match` (when
/// given) names its current version, and that it is still open. Concurrent changes of
/// one cart queue here, so none is lost. The same statement reads what decides whether
/// the cart this process's last change of it left can be used instead of reading the
/// lines again (see `recent`): the row's version and `xmin`, and the catalog's shown
/// version.
pub fn lock_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
) -> Result<LockedCart> {
    let sql = concat!(
        "SELECT c.customer_id, c.status, c.currency, c.version, c.xmin::text::bigint AS xmin, ",
        catalog_shown_sql!(),
        " AS catalog FROM carts c WHERE c.id = $1 FOR UPDATE OF c"
    );
    let row: ForChange = prepared(sql, |q| q.bind::<SqlUuid, _>(id))
        .get_result(conn)
        .optional()?
        .ok_or(Error::not_found("cart"))?;
    row.check(id, customer_scope, expected_version)
}

/// As [`lock_cart`], without the lock, and with product `product_id` as an add reads it
/// (none when there is no such product), in the same statement: for an add sent as one
/// statement that applies only if the cart is still at the version read
/// ([`LockedCart::finish_unless_changed`]).
pub(crate) fn peek_cart_selling(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    product_id: Uuid,
) -> Result<(LockedCart, Option<SoldProduct>)> {
    type Row = (Uuid, String, String, i64, i64, i64, Option<SoldProduct>);
    let query = carts::table
        .left_join(products::table.on(products::id.eq(product_id)))
        .filter(carts::id.eq(id))
        .select((
            carts::customer_id,
            carts::status,
            carts::currency,
            carts::version,
            dsl::sql::<BigInt>("carts.xmin::text::bigint"),
            dsl::sql::<BigInt>(catalog_shown_sql!()),
            Option::<SoldProduct>::as_select(),
        ));
    let (customer_id, status, currency, version, xmin, catalog, product): Row = kept(query)
        .get_result(conn)
        .optional()?
        .ok_or(Error::not_found("cart"))?;
    let row = ForChange {
        customer_id,
        status,
        currency,
        version,
        xmin,
        catalog,
    };
    Ok((row.check(id, customer_scope, expected_version)?, product))
}

/// A cart's row as a change reads it.
#[derive(QueryableByName)]
struct ForChange {
    #[diesel(sql_type = SqlUuid)]
    customer_id: Uuid,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    currency: String,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = BigInt)]
    xmin: i64,
    #[diesel(sql_type = BigInt)]
    catalog: i64,
}

impl ForChange {
    /// Cart `id` if the caller may see it, `If-Match` (when given) names its current
    /// version, and it is still open.
    fn check(
        self,
        id: Uuid,
        customer_scope: Option<Uuid>,
        expected_version: Option<i64>,
    ) -> Result<LockedCart> {
        if customer_scope.is_some_and(|c| c != self.customer_id) {
            return Err(Error::not_found("cart"));
        }
        check_version(expected_version, self.version)?;
        let status: CartStatus = self.status.parse()?;
        if status != CartStatus::Open {
            return Err(Error::conflict(
                ConflictCode::CartNotOpen,
                format!("the cart is {status} and can no longer change"),
            ));
        }
        Ok(LockedCart {
            id,
            customer_id: self.customer_id,
            currency: self.currency,
            seen: Seen {
                version: self.version,
                xmin: self.xmin,
                catalog: self.catalog,
            },
        })
    }
}

/// A cart locked for the rest of the transaction by [`lock_cart`], or read unlocked for a
/// change that applies only at the version read (`peek_cart_selling`).
#[derive(Debug)]
pub struct LockedCart {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub currency: String,
    /// The row as read.
    seen: Seen,
}

impl LockedCart {
    /// Records that the cart changed (version + 1) and returns it as it now is.
    pub fn finish(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Cart> {
        diesel::update(carts::table.find(self.id))
            .set((
                carts::version.eq(carts::version + 1),
                carts::updated_at.eq(now),
            ))
            .execute(conn)?;
        load_cart(conn, self.id, None)
    }

    /// The locked cart as it is: the one this process's last change of it left, when that
    /// change wrote the row now locked (see `recent`), else read from the database.
    pub fn read(&self, conn: &mut PgConnection) -> Result<Cart> {
        match self.kept() {
            Some(cart) => Ok(cart),
            None => load_cart(conn, self.id, None),
        }
    }

    /// The cart this process's last change of it left, taken out of `recent`, when that
    /// change wrote the row read.
    pub(crate) fn kept(&self) -> Option<Cart> {
        recent::take(self.id, self.seen)
    }

    /// The cart this process's last change of it left, taken out of `recent` whatever the
    /// row is now, as if read unlocked at the row that change wrote: for a change that
    /// applies only while the row is still that one ([`LockedCart::finish_unless_changed`]).
    /// None when none is kept, or when the caller may not see it or `If-Match` names
    /// another version: those answers come from the database.
    pub(crate) fn kept_any(
        id: Uuid,
        customer_scope: Option<Uuid>,
        expected_version: Option<i64>,
    ) -> Option<(LockedCart, Cart)> {
        let (seen, cart) = recent::take_any(id)?;
        let seen_by_caller = customer_scope.is_none_or(|c| c == cart.customer_id);
        if !seen_by_caller || expected_version.is_some_and(|v| v != seen.version) {
            recent::keep(seen, cart);
            return None;
        }
        let locked = LockedCart {
            id,
            customer_id: cart.customer_id,
            currency: cart.currency.clone(),
            seen,
        };
        Some((locked, cart))
    }

    /// Puts back `cart`, taken unchanged by [`LockedCart::kept_any`].
    pub(crate) fn keep_unchanged(self, cart: Cart) {
        recent::keep(self.seen, cart);
    }

    /// The catalog's shown version the cart was read at.
    pub(crate) fn catalog(&self) -> i64 {
        self.seen.catalog
    }

    /// The cart's row as read, at the catalog's shown version then.
    pub(crate) fn seen(&self) -> Seen {
        self.seen
    }

    /// Sends `changes`, writes of the locked cart's lines (and what goes with them), and
    /// the cart's version bump as one statement, and returns `cart` at its new version.
    /// `cart` is the cart read under the lock with the changes already applied to its
    /// lines, so that the answer costs no second read; its totals are computed again here.
    pub(crate) fn finish_with(
        self,
        conn: &mut PgConnection,
        changes: Earlier<'_>,
        cart: Cart,
        now: DateTime<Utc>,
    ) -> Result<Cart> {
        let bump = diesel::update(carts::table.find(self.id))
            .set((
                carts::version.eq(carts::version + 1),
                carts::updated_at.eq(now),
            ))
            .returning((
                carts::version,
                carts::updated_at,
                dsl::sql::<BigInt>("xmin::text::bigint"),
            ));
        // Every change passed here writes one row: a few texts per call site at most.
        let bumped = kept(changes.last(bump)).get_result(conn)?;
        Ok(self.finished(cart, bumped))
    }

    /// Sends `write`, the change of one line of `product`, and the cart's version bump as
    /// one statement that applies only while the cart's row is still the row read (it was
    /// not locked), the catalog's shown version still the one read, and `product` may
    /// still be sold as read; returns `cart` (read with the row, the change applied) at
    /// its new version, or none when something changed and nothing was written.
    pub(crate) fn finish_unless_changed(
        self,
        conn: &mut PgConnection,
        write: &LineWrite,
        product: &SoldProduct,
        cart: Cart,
        now: DateTime<Utc>,
    ) -> Result<Option<Cart>> {
        let bumped = write.unless_changed(conn, self.id, self.seen, product, now)?;
        Ok(bumped.map(|bumped| self.finished(cart, bumped)))
    }

    /// `cart` at the version the bump wrote, its totals computed again, kept for the next
    /// change (see `recent`): a rollback leaves nothing to match it, as no committed row
    /// will carry this transaction's `xmin`.
    pub(crate) fn finished(&self, mut cart: Cart, (version, updated_at, xmin): Bumped) -> Cart {
        cart.version = version;
        cart.updated_at = updated_at;
        cart.totals = document_totals(&cart.lines);
        let catalog = self.seen.catalog;
        cart.stamp = Some(CartStamp { version, catalog });
        let seen = Seen {
            version,
            xmin,
            catalog,
        };
        recent::keep(seen, cart.clone());
        cart
    }

    /// The write that marks the cart `ORDERED` (version + 1): an order was placed from it,
    /// and it no longer changes. The order sends it with its own writes, as one statement.
    pub fn marking_ordered(self, now: DateTime<Utc>) -> impl QueryFragment<Pg> {
        diesel::update(carts::table.find(self.id)).set((
            carts::status.eq(CartStatus::Ordered.to_string()),
            carts::version.eq(carts::version + 1),
            carts::updated_at.eq(now),
        ))
    }
}

fn record_cart_opened(
    conn: &mut PgConnection,
    customer_id: Uuid,
    cart_id: Uuid,
    source: Source,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    events::record(
        conn,
        EventType::CartOpened,
        now,
        cart_opened(customer_id, cart_id, source, user_id),
    )?;
    Ok(())
}

/// `CART_OPENED`'s data.
pub(crate) fn cart_opened(
    customer_id: Uuid,
    cart_id: Uuid,
    source: Source,
    user_id: Uuid,
) -> Value {
    json!({ "customerId": customer_id, "cartId": cart_id, "source": source, "userId": user_id })
}
