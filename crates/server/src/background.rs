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

/// A deletion of at most `batch` rows from before a time, in one transaction; answers
/// how many went.
type BatchDelete = fn(&mut PgConnection, DateTime<Utc>, i64) -> orderpath_core::Result<usize>;

/// A table that only grows unless swept: every `period`, rows from before `cutoff(now)`
/// go, `batch` per transaction, with a pause between batches so that a backlog never
/// holds locks long or crowds out requests, and at most `most` batches per round. The
/// pause is `pause`, or `rest` times as long as the batch took when that is longer: a
/// busy machine makes batches slower and so the sweep gentler.
struct Sweep {
    what: &'static str,
    period: Duration,
    cutoff: fn(&AppState, DateTime<Utc>) -> DateTime<Utc>,
    delete: BatchDelete,
    batch: i64,
    pause: Duration,
    rest: u32,
    most: usize,
}

impl Sweep {
    async fn run(self, state: web::Data<AppState>) {
        let mut interval = actix_web::rt::time::interval(self.period);
        loop {
            interval.tick().await;
            match self.once(&state).await {
                Ok(0) => {}
                Ok(n) => log::info!("{n} {} deleted", self.what),
                Err(e) => log::warn!("deleting {} failed: {e}", self.what),
            }
        }
    }

    async fn once(&self, state: &AppState) -> orderpath_core::Result<usize> {
        let (delete, batch) = (self.delete, self.batch);
        let before = (self.cutoff)(state, state.clock.now());
        let mut total = 0;
        for _ in 0..self.most {
            let started = std::time::Instant::now();
            let deleted =
                orderpath_db::write(&state.pool, move |conn| delete(conn, before, batch)).await?;
            total += deleted;
            if deleted < batch as usize {
                break;
            }
            let pause = self.pause.max(started.elapsed() * self.rest);
            actix_web::rt::time::sleep(pause).await;
        }
        Ok(total)
    }
}

/// Deletes events older than `ORDERPATH_EVENT_RETENTION_DAYS` with their deliveries and
/// attempts, never one a pending delivery still needs (docs/operations.md, Retention).
pub async fn prune_old_events(state: web::Data<AppState>) {
    Sweep {
        what: "old event(s)",
        period: Duration::from_secs(600),
        cutoff: |state, now| now - state.config.event_retention,
        delete: orderpath_webhooks::retention::prune_before,
        // Short batches, and at most a fifth of one connection's time: deleting a backlog
        // of old events 500 at a time, 50 ms apart, raised the p99 of requests by 1.4×
        // while it ran (docs/benchmarks.md, Scale).
        batch: 100,
        pause: Duration::from_millis(20),
        rest: 4,
        most: 2_000,
    }
    .run(state)
    .await
}

/// Deletes answers kept for idempotency keys once they expired. Correctness never depends
/// on it: an expired answer is never given again, whether or not it was deleted yet.
pub async fn sweep_idempotency_keys(state: web::Data<AppState>) {
    Sweep {
        what: "expired idempotency key(s)",
        period: Duration::from_secs(60),
        cutoff: |_, now| now,
        delete: |conn, now, batch| Ok(orderpath_db::idempotency::delete_expired(conn, now, batch)?),
        batch: 1_000,
        pause: Duration::ZERO,
        rest: 0,
        most: usize::MAX,
    }
    .run(state)
    .await
}

/// The dispatcher's own connections: its claims, its recorder and its pending count each
/// have one, so none waits for another, nor for the requests' pool.
const DISPATCHER_CONNECTIONS: u32 = 3;

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
        config.database_url.clone(),
        config.webhook_retry_schedule.clone(),
        config.webhook_timeout,
        config.webhook_allow_private,
    );
    dispatcher.metrics = state.metrics.webhooks.clone();
    let pool = orderpath_db::build_background_pool(&config.database_url, DISPATCHER_CONNECTIONS)
        .unwrap_or_else(|e| {
            log::warn!("webhook delivery shares the requests' connections: {e}");
            state.pool.clone()
        });
    let handle = actix_web::rt::spawn(run_dispatcher(pool, dispatcher, wake, stopped));
    (stop, handle)
}
