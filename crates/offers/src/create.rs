use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orderpath_core::{Error, Result};
use orderpath_db::schema::offers;
use orderpath_lines::{insert_line_copies, LineTable};
use uuid::Uuid;

use crate::load::get_offer;
use crate::model::{Offer, OfferStatus};

/// Makes a `DRAFT` offer of everything in the cart: lines, prices (overrides included)
/// and flags are copied, and each child's parent points at the offer's own copy of the
/// parent line. The cart itself is left as it is.
pub fn create_offer(
    conn: &mut PgConnection,
    cart_id: Uuid,
    valid_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Offer> {
    if valid_until.is_some_and(|until| until <= now) {
        return Err(Error::field("validUntil", "must be in the future"));
    }
    // Locking the cart makes the copy consistent with concurrent edits of it.
    let locked = orderpath_carts::lock_cart(conn, cart_id, None, None)?;
    let cart = orderpath_carts::get_cart(conn, locked.id, None)?;
    if cart.lines.is_empty() {
        return Err(Error::field(
            "cartId",
            "the cart has no lines; an offer needs at least one",
        ));
    }
    let number: i64 =
        diesel::select(sql::<BigInt>("nextval('offer_number_seq')")).get_result(conn)?;
    let id = Uuid::new_v4();
    diesel::insert_into(offers::table)
        .values((
            offers::id.eq(id),
            offers::number.eq(format!("OF-{number:06}")),
            offers::cart_id.eq(cart.id),
            offers::customer_id.eq(cart.customer_id),
            offers::status.eq(OfferStatus::Draft.to_string()),
            offers::currency.eq(&cart.currency),
            offers::valid_until.eq(valid_until),
            offers::created_at.eq(now),
            offers::updated_at.eq(now),
        ))
        .execute(conn)?;
    insert_line_copies(conn, LineTable::Offer, id, &cart.lines)?;
    get_offer(conn, id, None, now)
}
