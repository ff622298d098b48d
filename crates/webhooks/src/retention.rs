//! The end of an event's life (docs/operations.md, Retention): events older than the
//! retention period go, with their deliveries and those deliveries' attempts, in small
//! batches, each its own short transaction. An event with a delivery still pending stays,
//! with all of its deliveries, until that delivery ends.

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::{domain_events, webhook_deliveries};
use uuid::Uuid;

use crate::deliveries::DeliveryStatus;

/// Deletes up to `batch` events that occurred before `cutoff` and that no pending delivery
/// needs, their deliveries and their attempts (which go with their delivery). Answers how
/// many events went: fewer than `batch` means none is left for now. Another instance
/// pruning at the same time skips the events this one holds.
pub fn prune_before(conn: &mut PgConnection, cutoff: DateTime<Utc>, batch: i64) -> Result<usize> {
    conn.transaction(|conn| {
        let pending = webhook_deliveries::table
            .filter(webhook_deliveries::event_id.eq(domain_events::id))
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.to_string()));
        let doomed: Vec<Uuid> = domain_events::table
            .filter(domain_events::occurred_at.lt(cutoff))
            .filter(not(exists(pending)))
            .order(domain_events::occurred_at)
            .limit(batch)
            .select(domain_events::id)
            .for_update()
            .skip_locked()
            .load(conn)?;
        if doomed.is_empty() {
            return Ok(0);
        }
        // A retry may have made one of their deliveries pending since: it stays, and so
        // does its event.
        diesel::delete(
            webhook_deliveries::table
                .filter(webhook_deliveries::event_id.eq_any(&doomed))
                .filter(webhook_deliveries::status.ne(DeliveryStatus::Pending.to_string())),
        )
        .execute(conn)?;
        let kept: Vec<Uuid> = webhook_deliveries::table
            .filter(webhook_deliveries::event_id.eq_any(&doomed))
            .select(webhook_deliveries::event_id)
            .load(conn)?;
        let gone: Vec<Uuid> = doomed.into_iter().filter(|id| !kept.contains(id)).collect();
        orderpath_db::events::forget(conn, &gone)
    })
}
