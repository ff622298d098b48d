//! Work the server does on its own, besides answering requests.

use std::time::Duration;

use std::sync::Arc;

use actix_web::web;
use orderpath_webhooks::dispatcher::{run_dispatcher, DispatcherConfig};
use orderpath_webhooks::listen::listen_for_deliveries;
use tokio::sync::{watch, Notify};

use crate::state::AppState;

/// How often offers whose `validUntil` passed are written down as expired.
const EXPIRY_SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// Writes down offer expiries periodically, so the ERP change feed reports them (reads
/// show an overdue offer as expired at once either way).
pub async fn sweep_offer_expiry(state: web::Data<AppState>) {
    let mut interval = actix_web::rt::time::interval(EXPIRY_SWEEP_INTERVAL);
    loop {
        interval.tick().await;
        let now = state.clock.now();
        let swept = orderpath_db::write(&state.pool, move |conn| {
            orderpath_offers::expire_offers(conn, now)
        })
        .await;
        match swept {
            Ok(0) => {}
            Ok(n) => log::info!("{n} offer(s) expired"),
            Err(e) => log::warn!("offer expiry sweep failed: {e}"),
        }
    }
}

/// How often sign-in failures that no longer count are deleted.
const FAILURE_PRUNE_INTERVAL: Duration = Duration::from_secs(300);

/// Deletes sign-in failures older than the throttling window, for emails nobody tried
/// again (the table would otherwise only grow). Correctness never depends on it.
pub async fn prune_sign_in_failures(state: web::Data<AppState>) {
    let mut interval = actix_web::rt::time::interval(FAILURE_PRUNE_INTERVAL);
    loop {
        interval.tick().await;
        let now = state.clock.now();
        let pruned = orderpath_db::write(&state.pool, move |conn| {
            orderpath_people::prune_sign_in_failures(conn, now)
        })
        .await;
        if let Err(e) = pruned {
            log::warn!("pruning sign-in failures failed: {e}");
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
