//! Work the server does on its own, besides answering requests.

use std::time::Duration;

use std::sync::Arc;

use actix_web::web;
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use orderpath_webhooks::dispatcher::{run_dispatcher, DispatcherConfig};
use orderpath_webhooks::listen::listen_for_deliveries;
use tokio::sync::{watch, Notify};

use crate::state::AppState;

/// A piece of database work the server repeats: one transaction at the time the app sees.
type Chore<T> = fn(&mut PgConnection, DateTime<Utc>) -> orderpath_core::Result<T>;

/// Runs `chore` in a transaction of its own every `period` for as long as the server runs,
/// and hands each outcome to `report`.
async fn every<T: Send + 'static>(
    state: web::Data<AppState>,
    period: Duration,
    chore: Chore<T>,
    report: impl Fn(orderpath_core::Result<T>),
) {
    let mut interval = actix_web::rt::time::interval(period);
    loop {
        interval.tick().await;
        let now = state.clock.now();
        report(orderpath_db::write(&state.pool, move |conn| chore(conn, now)).await);
    }
}

/// How often offers whose `validUntil` passed are written down as expired.
const EXPIRY_SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// Writes down offer expiries periodically, so the ERP change feed reports them (reads
/// show an overdue offer as expired at once either way).
pub async fn sweep_offer_expiry(state: web::Data<AppState>) {
    let sweep = orderpath_offers::expire_offers;
    every(state, EXPIRY_SWEEP_INTERVAL, sweep, |swept| match swept {
        Ok(0) => {}
        Ok(n) => log::info!("{n} offer(s) expired"),
        Err(e) => log::warn!("offer expiry sweep failed: {e}"),
    })
    .await
}

/// How often sign-in failures that no longer count are deleted.
const FAILURE_PRUNE_INTERVAL: Duration = Duration::from_secs(300);

/// Deletes sign-in failures older than the throttling window, for emails nobody tried
/// again (the table would otherwise only grow). Correctness never depends on it.
pub async fn prune_sign_in_failures(state: web::Data<AppState>) {
    let prune = orderpath_people::prune_sign_in_failures;
    every(state, FAILURE_PRUNE_INTERVAL, prune, |pruned| {
        if let Err(e) = pruned {
            log::warn!("pruning sign-in failures failed: {e}");
        }
    })
    .await
}

/// How often old events are looked for, how many go in one transaction, the pause
/// between batches (so that pruning a backlog never crowds out requests), and the most
/// batches of one round.
const RETENTION_SWEEP_INTERVAL: Duration = Duration::from_secs(600);
const RETENTION_BATCH: i64 = 500;
const RETENTION_PAUSE: Duration = Duration::from_millis(50);
const RETENTION_MAX_BATCHES: usize = 2_000;

/// Deletes events older than `ORDERPATH_EVENT_RETENTION_DAYS` with their deliveries and
/// attempts, never one a pending delivery still needs (docs/operations.md, Retention).
pub async fn prune_old_events(state: web::Data<AppState>) {
    let mut interval = actix_web::rt::time::interval(RETENTION_SWEEP_INTERVAL);
    loop {
        interval.tick().await;
        let cutoff = state.clock.now() - state.config.event_retention;
        for _ in 0..RETENTION_MAX_BATCHES {
            let pruned = orderpath_db::write(&state.pool, move |conn| {
                orderpath_webhooks::retention::prune_before(conn, cutoff, RETENTION_BATCH)
            })
            .await;
            match pruned {
                Ok(n) if n < RETENTION_BATCH as usize => break,
                Ok(_) => actix_web::rt::time::sleep(RETENTION_PAUSE).await,
                Err(e) => {
                    log::warn!("pruning old events failed: {e}");
                    break;
                }
            }
        }
    }
}

/// How often expired idempotency answers are deleted, and how many one statement deletes.
const IDEMPOTENCY_SWEEP_INTERVAL: Duration = Duration::from_secs(60);
const IDEMPOTENCY_SWEEP_BATCH: i64 = 1000;

/// Deletes answers kept for idempotency keys once they expired, in batches (each its own
/// short transaction) until none is left. Correctness never depends on it: an expired
/// answer is never given again, whether or not it was deleted yet.
pub async fn sweep_idempotency_keys(state: web::Data<AppState>) {
    let mut interval = actix_web::rt::time::interval(IDEMPOTENCY_SWEEP_INTERVAL);
    loop {
        interval.tick().await;
        match delete_expired_idempotency_keys(&state).await {
            Ok(0) => {}
            Ok(n) => log::info!("{n} expired idempotency key(s) deleted"),
            Err(e) => log::warn!("idempotency key sweep failed: {e}"),
        }
    }
}

/// One sweep: deletes every expired answer, a batch at a time; returns how many.
pub async fn delete_expired_idempotency_keys(
    state: &AppState,
) -> Result<usize, orderpath_core::Error> {
    let now = state.clock.now();
    let mut total = 0;
    loop {
        let deleted = orderpath_db::write(&state.pool, move |conn| {
            orderpath_db::idempotency::delete_expired(conn, now, IDEMPOTENCY_SWEEP_BATCH)
                .map_err(orderpath_core::Error::from)
        })
        .await?;
        total += deleted;
        if deleted < IDEMPOTENCY_SWEEP_BATCH as usize {
            return Ok(total);
        }
    }
}

/// Starts webhook delivery: the dispatcher and its `LISTEN` wake-up. Returns the switch
/// that stops them and the dispatcher's task, which ends once it has drained.
pub fn start_webhook_delivery(
    state: &web::Data<AppState>,
) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let (stop, stopped) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let config = &state.config;
    actix_web::rt::spawn(listen_for_deliveries(
        config.database_url.clone(),
        wake.clone(),
        stopped.clone(),
    ));
    let mut dispatcher = DispatcherConfig::new(
        config.webhook_retry_schedule.clone(),
        config.webhook_timeout,
        config.webhook_allow_private,
    );
    dispatcher.metrics = state.metrics.webhooks.clone();
    let handle = actix_web::rt::spawn(run_dispatcher(
        state.pool.clone(),
        dispatcher,
        wake,
        stopped,
    ));
    (stop, handle)
}
