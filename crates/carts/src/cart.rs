use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::error::check_version;
use orderpath_core::events::EventType;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::events;
use orderpath_db::schema::carts;
use serde_json::json;
use uuid::Uuid;

use crate::load::load_cart;
use crate::model::{Cart, CartStatus, Source};
use crate::rows::CartRow;

/// Creates an open cart for the customer (the backoffice "New sale", or the OFE's first
/// cart) in the customer's currency, and records `CART_OPENED` naming `user_id` (the
/// signed-in user or the API token that asked).
pub fn create_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
    source: Source,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let customer = orderpath_customers::get_customer(conn, customer_id).map_err(|e| match e {
        Error::NotFound { .. } => Error::field("customerId", "unknown customer"),
        other => other,
    })?;
    let id = Uuid::new_v4();
    diesel::insert_into(carts::table)
        .values((
            carts::id.eq(id),
            carts::customer_id.eq(customer_id),
            carts::status.eq(CartStatus::Open.to_string()),
            carts::currency.eq(&customer.currency),
            carts::source.eq(source.to_string()),
            carts::created_at.eq(now),
            carts::updated_at.eq(now),
        ))
        .execute(conn)?;
    record_cart_opened(conn, customer_id, id, source, user_id, now)?;
    load_cart(conn, id, None)
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

    /// Marks the cart `ORDERED` (version + 1): an order was placed from it, and it no
    /// longer changes.
    pub fn mark_ordered(self, conn: &mut PgConnection, now: DateTime<Utc>) -> Result<()> {
        diesel::update(carts::table.find(self.id))
            .set((
                carts::status.eq(CartStatus::Ordered.to_string()),
                carts::version.eq(carts::version + 1),
                carts::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
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
        json!({ "customerId": customer_id, "cartId": cart_id, "source": source, "userId": user_id }),
    )?;
    Ok(())
}
