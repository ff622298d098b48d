use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::{Text, Timestamptz, Uuid as SqlUuid};
use orderpath_core::error::check_version;
use orderpath_core::events::EventType;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::schema::{carts, customers};
use orderpath_db::together::Earlier;
use orderpath_db::{events, kept};
use orderpath_lines::document_totals;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::load::{assemble, load_cart};
use crate::model::{Cart, CartStatus, Source};
use crate::rows::CartRow;

/// Creates an open cart for the customer (the backoffice "New sale", or the OFE's first
/// cart) in the customer's currency, and records `CART_OPENED` naming `user_id` (the
/// signed-in user or the API token that asked).
///
/// One SQL statement, atomic on its own (run it without a transaction around it): the
/// cart is inserted from the customer's row, so that reading the customer's currency, the
/// insert and its event cost one round trip; an unknown customer inserts nothing.
pub fn create_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
    source: Source,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let id = Uuid::new_v4();
    let from_customer = customers::table
        .filter(customers::id.eq(customer_id))
        .select((
            id.into_sql::<SqlUuid>(),
            customers::id,
            CartStatus::Open.to_string().into_sql::<Text>(),
            customers::currency,
            source.to_string().into_sql::<Text>(),
            now.into_sql::<Timestamptz>(),
            now.into_sql::<Timestamptz>(),
        ));
    let insert = diesel::insert_into(carts::table)
        .values(from_customer)
        .into_columns((
            carts::id,
            carts::customer_id,
            carts::status,
            carts::currency,
            carts::source,
            carts::created_at,
            carts::updated_at,
        ))
        .returning(CartRow::as_returning());
    let row: CartRow = events::record_with(
        insert,
        EventType::CartOpened,
        now,
        cart_opened(customer_id, id, source, user_id),
    )
    .get_result(conn)
    .optional()?
    .ok_or_else(|| Error::field("customerId", "unknown customer"))?;
    Ok(assemble(row, Vec::new()))
}

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
/// one cart queue here, so none is lost.
pub fn lock_cart(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
) -> Result<LockedCart> {
    let row: CartRow = carts::table
        .find(id)
        .select(CartRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(Error::not_found("cart"))?;
    if customer_scope.is_some_and(|c| c != row.customer_id) {
        return Err(Error::not_found("cart"));
    }
    check_version(expected_version, row.version)?;
    let status: CartStatus = row.status.parse()?;
    if status != CartStatus::Open {
        return Err(Error::conflict(
            ConflictCode::CartNotOpen,
            format!("the cart is {status} and can no longer change"),
        ));
    }
    Ok(LockedCart {
        id: row.id,
        customer_id: row.customer_id,
        currency: row.currency,
    })
}

/// A cart locked for the rest of the transaction by [`lock_cart`].
#[derive(Debug)]
pub struct LockedCart {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub currency: String,
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

    /// Sends `changes`, writes of the locked cart's lines (and what goes with them), and
    /// the cart's version bump as one statement, and returns `cart` at its new version.
    /// `cart` is the cart read under the lock with the changes already applied to its
    /// lines, so that the answer costs no second read; its totals are computed again here.
    pub(crate) fn finish_with(
        self,
        conn: &mut PgConnection,
        changes: Earlier<'_>,
        mut cart: Cart,
        now: DateTime<Utc>,
    ) -> Result<Cart> {
        let bump = diesel::update(carts::table.find(self.id))
            .set((
                carts::version.eq(carts::version + 1),
                carts::updated_at.eq(now),
            ))
            .returning((carts::version, carts::updated_at));
        // Every change passed here writes one row: a few texts per call site at most.
        let (version, updated_at) = kept(changes.last(bump)).get_result(conn)?;
        cart.version = version;
        cart.updated_at = updated_at;
        cart.totals = document_totals(&cart.lines);
        Ok(cart)
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
fn cart_opened(customer_id: Uuid, cart_id: Uuid, source: Source, user_id: Uuid) -> Value {
    json!({ "customerId": customer_id, "cartId": cart_id, "source": source, "userId": user_id })
}
