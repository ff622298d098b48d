//! The recorder: one task that writes the attempts of every send in batches.

use std::time::Duration;

use orderpath_db::PgPool;
use tokio::sync::mpsc;

use crate::deliveries::{record_attempts, AttemptRecord};

/// The most attempts written in one statement.
const MAX_BATCH: usize = 500;
/// Tries per batch before it is given up (its leases then run out and it is sent again).
const TRIES: u32 = 5;

/// How long a batch gathers results after its first: under load, fewer and larger writes
/// (each costs the same five round trips whatever its size); a lone attempt is recorded
/// this much later, which only the delivery log shows.
const GATHER: Duration = Duration::from_millis(5);

/// Writes results in batches: whatever arrives within [`GATHER`] of the first.
/// Returns once every sender of `input` is gone and everything received is written.
pub(super) async fn record_results(
    pool: PgPool,
    mut input: mpsc::UnboundedReceiver<AttemptRecord>,
    worker: String,
) {
    while let Some(first) = input.recv().await {
        let mut batch = vec![first];
        let until = tokio::time::Instant::now() + GATHER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(until, input.recv()).await {
                Ok(Some(record)) => batch.push(record),
                // Time is up, or every sender is gone.
                _ => break,
            }
        }
        write_batch(&pool, batch, &worker).await;
    }
}

async fn write_batch(pool: &PgPool, batch: Vec<AttemptRecord>, worker: &str) {
    for round in 0..TRIES {
        let (records, worker) = (batch.clone(), worker.to_string());
        match orderpath_db::write(pool, move |conn| record_attempts(conn, &records, &worker)).await
        {
            Ok(()) => return,
            Err(e) => {
                // The leases run out and the deliveries are sent again: at least once.
                log::warn!(
                    "recording {} webhook attempts failed (try {}): {e}",
                    batch.len(),
                    round + 1
                );
                tokio::time::sleep(Duration::from_millis(200 << round)).await;
            }
        }
    }
}
