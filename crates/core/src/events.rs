//! The outbox. Every domain event is inserted by [`record`] in the transaction of the
//! change that caused it, so an event exists if and only if its change committed.
//!
//! The feed ([`feed`]) orders events by (writing transaction id, sequence) and only shows
//! rows written by transactions older than the oldest one still running. A transaction
//! that took its sequence number early and commits late is therefore never skipped: until
//! it finishes, the feed stops just before it, and every later transaction has a larger
//! id than anything already shown.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orderpath_db::schema::domain_events;
use uuid::Uuid;

use crate::cursor::FeedPosition;
use crate::page::Page;
use crate::Result;

/// The kinds of event orderpath records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    CartOpened,
    ClientLogged,
    OfferOpened,
    OrderPlaced,
    ShipmentReady,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::CartOpened,
        EventType::ClientLogged,
        EventType::OfferOpened,
        EventType::OrderPlaced,
        EventType::ShipmentReady,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::CartOpened => "CART_OPENED",
            EventType::ClientLogged => "CLIENT_LOGGED",
            EventType::OfferOpened => "OFFER_OPENED",
            EventType::OrderPlaced => "ORDER_PLACED",
            EventType::ShipmentReady => "SHIPMENT_READY",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// An event as stored and as the feed returns it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = domain_events)]
pub struct RecordedEvent {
    pub id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub data: serde_json::Value,
    pub txid: i64,
    pub seq: i64,
}

#[derive(Insertable)]
#[diesel(table_name = domain_events)]
struct NewEvent<'a> {
    id: Uuid,
    event_type: &'a str,
    occurred_at: DateTime<Utc>,
    data: &'a serde_json::Value,
}

/// Writes an event to the outbox. Call it inside the transaction of the change it
/// reports; it commits or rolls back with that change.
pub fn record(
    conn: &mut PgConnection,
    event_type: EventType,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(domain_events::table)
        .values(NewEvent {
            id,
            event_type: event_type.as_str(),
            occurred_at,
            data: &data,
        })
        .execute(conn)?;
    Ok(id)
}

/// Reads the events after `after` (from the start when `None`), oldest first. The page's
/// cursor is always set: the position of its last event, or `after` itself when caught up.
pub fn feed(
    conn: &mut PgConnection,
    event_type: Option<EventType>,
    after: Option<FeedPosition>,
    limit: i64,
) -> Result<Page<RecordedEvent>> {
    let after = after.unwrap_or_default();
    let mut query = domain_events::table
        .select(RecordedEvent::as_select())
        .filter(
            domain_events::txid.gt(after.txid).or(domain_events::txid
                .eq(after.txid)
                .and(domain_events::seq.gt(after.seq))),
        )
        .filter(domain_events::txid.lt(sql::<BigInt>("orderpath_visible_txid_horizon()")))
        .order((domain_events::txid, domain_events::seq))
        .limit(limit)
        .into_boxed();
    if let Some(t) = event_type {
        query = query.filter(domain_events::event_type.eq(t.as_str()));
    }
    let items: Vec<RecordedEvent> = query.load(conn)?;
    let last = items.last().map_or(after, |e| FeedPosition {
        txid: e.txid,
        seq: e.seq,
    });
    Ok(Page {
        items,
        next_cursor: Some(last.encode()),
    })
}
