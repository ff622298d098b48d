//! Creating carts (the backoffice "New sale", the OFE's first cart), one at a time or in a
//! batch of the requests that arrived together (see `orderpath_db::Batcher`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use orderpath_core::events::EventType;
use orderpath_core::{Error, Result, StoreError};
use orderpath_db::prepared;
use uuid::Uuid;

use crate::cart::cart_opened;
use crate::load::assemble;
use crate::model::{Cart, CartStatus, Source};
use crate::rows::CartRow;

/// A cart to create: whose, from where, who asked (named in `CART_OPENED`), and when.
#[derive(Debug, Clone)]
pub struct NewCart {
    pub customer_id: Uuid,
    pub source: Source,
    pub user_id: Uuid,
    pub now: DateTime<Utc>,
}

/// Creates an open cart for the customer in the customer's currency, and records
/// `CART_OPENED` naming the user (the signed-in user or the API token that asked).
pub fn create_cart(
    conn: &mut PgConnection,
    customer_id: Uuid,
    source: Source,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Cart> {
    let asked = NewCart {
        customer_id,
        source,
        user_id,
        now,
    };
    match create_carts(conn, vec![asked])?.pop() {
        Some(Some(cart)) => Ok(cart),
        _ => Err(Error::field("customerId", "unknown customer")),
    }
}

/// Creates each cart of `asked` as [`create_cart`] does, answering each in the order
/// asked: the cart, or `None` for a customer that does not exist (which writes nothing).
///
/// One SQL statement, atomic on its own (run it without a transaction around it): each
/// cart is inserted from its customer's row, so reading the customer's currency, the
/// inserts and their events cost one round trip whatever their number. The rows go as one
/// array per column, so the statement has one text and is kept prepared. The events are
/// recorded in the order asked.
pub fn create_carts(
    conn: &mut PgConnection,
    asked: Vec<NewCart>,
) -> std::result::Result<Vec<Option<Cart>>, StoreError> {
    let ids: Vec<Uuid> = asked.iter().map(|_| Uuid::new_v4()).collect();
    let event_ids: Vec<Uuid> = asked.iter().map(|_| Uuid::new_v4()).collect();
    let customers: Vec<Uuid> = asked.iter().map(|a| a.customer_id).collect();
    let sources: Vec<String> = asked.iter().map(|a| a.source.to_string()).collect();
    let times: Vec<DateTime<Utc>> = asked.iter().map(|a| a.now).collect();
    let data: Vec<serde_json::Value> = asked
        .iter()
        .zip(&ids)
        .map(|(a, id)| cart_opened(a.customer_id, *id, a.source, a.user_id))
        .collect();
    let event_type: &'static str = EventType::CartOpened.into();
    let rows: Vec<CartRow> = prepared(CREATE_CARTS, |q| {
        q.bind::<Array<SqlUuid>, _>(&ids)
            .bind::<Array<SqlUuid>, _>(customers)
            .bind::<Array<Text>, _>(sources)
            .bind::<Array<Timestamptz>, _>(times)
            .bind::<Array<SqlUuid>, _>(event_ids)
            .bind::<Array<Jsonb>, _>(data)
            .bind::<Text, _>(CartStatus::Open.to_string())
            .bind::<Text, _>(event_type)
    })
    .load(conn)
    .map_err(StoreError::from_error)?;
    let mut created: Vec<Option<Cart>> = ids.iter().map(|_| None).collect();
    for row in rows {
        if let Some(at) = ids.iter().position(|id| *id == row.id) {
            created[at] = Some(assemble(row, Vec::new()));
        }
    }
    Ok(created)
}

/// `$1`–`$6`: each cart's id, customer, source and time, its event's id and data; `$7` the
/// open status; `$8` the event's type.
const CREATE_CARTS: &str = "\
WITH asked AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::uuid[], $6::jsonb[])
        WITH ORDINALITY AS a(id, customer_id, source, at, event_id, data, n)
), change AS (
    INSERT INTO carts (id, customer_id, status, currency, source, created_at, updated_at)
    SELECT a.id, c.id, $7, c.currency, a.source, a.at, a.at
    FROM asked a JOIN customers c ON c.id = a.customer_id
    ORDER BY a.n
    RETURNING id, customer_id, status, currency, source, version, created_at, updated_at
), event AS (
    INSERT INTO domain_events (id, event_type, occurred_at, data)
    SELECT a.event_id, $8, a.at, a.data FROM asked a JOIN change ON change.id = a.id
    ORDER BY a.n
)
SELECT * FROM change";
