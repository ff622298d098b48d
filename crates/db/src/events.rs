//! The outbox. Every domain event is inserted by [`record`] in the transaction of the
//! change that caused it, so an event exists if and only if its change committed; [`feed`]
//! reads them back in commit order (see [`crate::feed`] for why it never skips one).

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Jsonb, Text, Timestamptz};
use orderpath_core::cursor::FeedPosition;
use orderpath_core::events::{EventType, RecordedEvent};
use orderpath_core::page::Page;
use orderpath_core::Result;
use uuid::Uuid;

use crate::feed::feed_page;
use crate::schema::domain_events;

#[derive(Queryable, Selectable)]
#[diesel(table_name = domain_events)]
struct EventRow {
    id: Uuid,
    #[diesel(deserialize_as = String)]
    event_type: EventType,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
    txid: i64,
    seq: i64,
}

impl EventRow {
    fn position(&self) -> FeedPosition {
        FeedPosition {
            txid: self.txid,
            seq: self.seq,
        }
    }

    fn into_event(self) -> RecordedEvent {
        RecordedEvent {
            position: self.position(),
            id: self.id,
            event_type: self.event_type,
            occurred_at: self.occurred_at,
            data: self.data,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = domain_events)]
struct NewEvent {
    id: Uuid,
    event_type: &'static str,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
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
            event_type: event_type.into(),
            occurred_at,
            data,
        })
        .execute(conn)?;
    Ok(id)
}

/// The outbox write of an event, to send as part of a change's own statement
/// (`orderpath_db::together`): it commits exactly when that change does.
pub fn recording(
    event_type: EventType,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
) -> impl diesel::query_builder::QueryFragment<Pg> {
    diesel::insert_into(domain_events::table).values(NewEvent {
        id: Uuid::new_v4(),
        event_type: event_type.into(),
        occurred_at,
        data,
    })
}

/// `change` (an `INSERT`, `UPDATE` or `DELETE` … `RETURNING`) and, when it returns a row,
/// the event that reports it, sent as one statement: atomic on its own, one round trip.
/// Returns what `change` returns; when that is nothing, no event is recorded.
pub fn record_with<C>(
    change: C,
    event_type: EventType,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
) -> RecordedWith<C> {
    RecordedWith {
        change,
        id: Uuid::new_v4(),
        event_type: event_type.into(),
        occurred_at,
        data,
    }
}

/// A change with the event that reports it (see [`record_with`]).
pub struct RecordedWith<C> {
    change: C,
    id: Uuid,
    event_type: &'static str,
    occurred_at: DateTime<Utc>,
    data: serde_json::Value,
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for RecordedWith<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH change AS (");
        self.change.walk_ast(out.reborrow())?;
        out.push_sql(
            "), event AS (INSERT INTO domain_events (id, event_type, occurred_at, data) SELECT ",
        );
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.event_type)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamptz, _>(&self.occurred_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Jsonb, _>(&self.data)?;
        out.push_sql(" FROM change LIMIT 1) SELECT * FROM change");
        Ok(())
    }
}

impl<C: Query> Query for RecordedWith<C> {
    type SqlType = C::SqlType;
}

impl<C> QueryId for RecordedWith<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, Conn> RunQueryDsl<Conn> for RecordedWith<C> {}

/// Reads the events after `after` (from the start when `None`), oldest first, optionally
/// of one type. The page's cursor is always set: the position of its last event, or
/// `after` itself when caught up.
pub fn feed(
    conn: &mut PgConnection,
    event_type: Option<EventType>,
    after: Option<FeedPosition>,
    limit: i64,
) -> Result<Page<RecordedEvent>> {
    let mut query = domain_events::table
        .select(EventRow::as_select())
        .into_boxed();
    if let Some(t) = event_type {
        query = query.filter(domain_events::event_type.eq(<&str>::from(t)));
    }
    feed_page(
        conn,
        query,
        (domain_events::txid, domain_events::seq),
        after,
        limit,
        EventRow::position,
    )
    .map(|page| page.map_items(EventRow::into_event))
}

/// Deletes the given events: the end of their retention. The caller first removes what
/// refers to them (their webhook deliveries); a reference left makes this fail whole.
pub fn forget(conn: &mut PgConnection, ids: &[Uuid]) -> Result<usize> {
    Ok(diesel::delete(domain_events::table.filter(domain_events::id.eq_any(ids))).execute(conn)?)
}
