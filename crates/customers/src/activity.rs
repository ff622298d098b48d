use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use orderpath_core::events::EventType;
use orderpath_core::{Error, Result};
use orderpath_db::events;
use orderpath_db::schema::customers;
use serde_json::json;
use uuid::Uuid;

/// Records that the customer is active now (seen from `source`, e.g. `OFE` or
/// `BACKOFFICE`, by `user_id`: the signed-in user or the API token). Emits `CLIENT_LOGGED` when this is the customer's first activity ever or
/// the last one was at least `inactivity` ago; returns whether it did.
///
/// The customer's row is locked for the check, so two simultaneous activities after a
/// long silence emit one event, not two.
pub fn record_activity(
    conn: &mut PgConnection,
    customer_id: Uuid,
    source: &str,
    user_id: Uuid,
    now: DateTime<Utc>,
    inactivity: Duration,
) -> Result<bool> {
    let last: Option<DateTime<Utc>> = customers::table
        .find(customer_id)
        .select(customers::last_activity_at)
        .for_update()
        .first::<Option<DateTime<Utc>>>(conn)
        .optional()?
        .ok_or(Error::not_found("customer"))?;
    let emit = match last {
        None => true,
        Some(last) => now - last >= inactivity,
    };
    diesel::update(customers::table.find(customer_id))
        .set(customers::last_activity_at.eq(now))
        .execute(conn)?;
    if emit {
        events::record(
            conn,
            EventType::ClientLogged,
            now,
            json!({ "customerId": customer_id, "source": source, "userId": user_id }),
        )?;
    }
    Ok(emit)
}
