//! The delivery loop. One dispatcher per server process; several processes share the work
//! through the database (leases taken with `FOR UPDATE SKIP LOCKED`).
//!
//! * Claims due deliveries in batches, as many as it has room for in flight, and never
//!   more than `per_endpoint` at once for one endpoint: a slow receiver cannot hold up
//!   the others.
//! * Sends each on its own task; results go to a recorder that writes them in batches.
//! * Sleeps until the next delivery falls due, a notification announces new ones, or a
//!   send finishes; at most one second.
//! * On shutdown stops claiming, lets sends in flight finish for a grace period, releases
//!   the rest, and records every result before returning.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use orderpath_db::PgPool;
use tokio::sync::{mpsc, watch, Notify, Semaphore};
use uuid::Uuid;

use crate::deliveries::{
    claim_due, next_due, record_attempts, release, AttemptRecord, ClaimedDelivery,
};
use crate::payload::WebhookMessage;
use crate::schedule::RetrySchedule;
use crate::sender::{Sender, Target};

#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    pub schedule: RetrySchedule,
    pub timeout: Duration,
    pub allow_private: bool,
    /// Sends in flight at once in this process.
    pub max_in_flight: usize,
    /// Sends in flight at once to one endpoint (a soft cap: one claim may take it to
    /// just under twice this).
    pub per_endpoint: usize,
    /// How long sends in flight may finish after shutdown begins.
    pub shutdown_grace: Duration,
    /// Names this process in the attempt log (`host:pid`).
    pub worker: String,
}

impl DispatcherConfig {
    pub fn new(schedule: RetrySchedule, timeout: Duration, allow_private: bool) -> Self {
        DispatcherConfig {
            schedule,
            timeout,
            allow_private,
            max_in_flight: 256,
            per_endpoint: 32,
            shutdown_grace: timeout.min(Duration::from_secs(5)),
            worker: worker_name(),
        }
    }

    /// A lease outlives the longest send with room to record it, so a live worker never
    /// loses its delivery; a dead worker's deliveries are taken again soon after.
    fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(5)
    }
}

fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}:{}", host.trim(), std::process::id())
}

/// Deliveries this process holds, by endpoint.
#[derive(Default)]
struct InFlight {
    ids: HashSet<Uuid>,
    per_endpoint: HashMap<Uuid, usize>,
}

/// Runs until `shutdown` turns true, then drains as described above.
pub async fn run_dispatcher(
    pool: PgPool,
    config: DispatcherConfig,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let sender = match Sender::new(config.timeout, config.allow_private) {
        Ok(sender) => sender,
        Err(e) => {
            log::error!("webhook dispatcher cannot start its HTTP client: {e}");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(config.max_in_flight));
    let in_flight = Arc::new(Mutex::new(InFlight::default()));
    let (results, recorder_input) = mpsc::unbounded_channel::<AttemptRecord>();
    let recorder = tokio::spawn(record_results(
        pool.clone(),
        recorder_input,
        config.worker.clone(),
    ));

    let mut sends = tokio::task::JoinSet::new();
    while !*shutdown.borrow() {
        while sends.try_join_next().is_some() {}
        // At most one endpoint's share per claim, so one busy endpoint cannot fill the
        // room in one go; endpoints at their share are skipped until they finish some.
        let room = slots.available_permits().min(config.per_endpoint);
        let busy: Vec<Uuid> = {
            let held = in_flight.lock().unwrap_or_else(|p| p.into_inner());
            held.per_endpoint
                .iter()
                .filter(|(_, n)| **n >= config.per_endpoint)
                .map(|(id, _)| *id)
                .collect()
        };
        let some_busy = !busy.is_empty();
        let claimed = if room == 0 {
            Vec::new()
        } else {
            let lease = config.lease();
            let limit = room as i64;
            orderpath_db::write(&pool, move |conn| claim_due(conn, limit, lease, &busy))
                .await
                .unwrap_or_else(|e| {
                    log::warn!("claiming webhook deliveries failed: {e}");
                    Vec::new()
                })
        };
        if claimed.is_empty() {
            let mut pause = pause_until_due(&pool).await;
            if some_busy {
                // What is due may all belong to busy endpoints: a finishing send wakes us.
                pause = pause.max(Duration::from_millis(250));
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
                // A dropped switch means shutdown too.
                changed = shutdown.changed() => if changed.is_err() { break },
            }
            continue;
        }
        for delivery in claimed {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                break;
            };
            {
                let mut held = in_flight.lock().unwrap_or_else(|p| p.into_inner());
                held.ids.insert(delivery.id);
                *held.per_endpoint.entry(delivery.webhook_id).or_default() += 1;
            }
            let (sender, results, in_flight, wake) = (
                sender.clone(),
                results.clone(),
                in_flight.clone(),
                wake.clone(),
            );
            let schedule = config.schedule.clone();
            sends.spawn(async move {
                let record = attempt(&sender, &delivery, &schedule).await;
                {
                    let mut held = in_flight.lock().unwrap_or_else(|p| p.into_inner());
                    if held.ids.remove(&delivery.id) {
                        let _ = results.send(record);
                    }
                    if let Some(n) = held.per_endpoint.get_mut(&delivery.webhook_id) {
                        *n = n.saturating_sub(1);
                    }
                }
                drop(slot);
                // Room for more: an endpoint may have come off its limit.
                wake.notify_one();
            });
        }
    }

    // Shutdown: claim nothing more; give sends in flight their grace, then release the rest.
    let drained = tokio::time::timeout(
        config.shutdown_grace,
        slots.acquire_many(config.max_in_flight as u32),
    )
    .await
    .is_ok();
    let unfinished: Vec<Uuid> = {
        let mut held = in_flight.lock().unwrap_or_else(|p| p.into_inner());
        held.ids.drain().collect()
    };
    // Whatever still runs is abandoned; its deliveries are released below.
    sends.abort_all();
    if !drained && !unfinished.is_empty() {
        let count = unfinished.len();
        match orderpath_db::write(&pool, move |conn| release(conn, &unfinished)).await {
            Ok(_) => log::info!("released {count} webhook deliveries still in flight"),
            Err(e) => log::warn!(
                "releasing in-flight webhook deliveries failed (their leases will run out): {e}"
            ),
        }
    }
    drop(results);
    let _ = recorder.await;
}

/// How long to sleep when nothing is due: until the next delivery is, at most a second.
async fn pause_until_due(pool: &PgPool) -> Duration {
    let due = orderpath_db::read(pool, next_due).await.ok().flatten();
    let max = Duration::from_secs(1);
    match due {
        Some(at) => (at - Utc::now())
            .to_std()
            .unwrap_or(Duration::from_millis(20))
            .min(max),
        None => max,
    }
}

/// Sends one claimed delivery and says what should become of it.
async fn attempt(
    sender: &Sender,
    delivery: &ClaimedDelivery,
    schedule: &RetrySchedule,
) -> AttemptRecord {
    let message = WebhookMessage {
        id: delivery.event_id,
        event_type: delivery.event_type.clone(),
        occurred_at: delivery.occurred_at,
        data: delivery.data.clone(),
    };
    let target = Target {
        url: delivery.url.clone(),
        auth: delivery.auth(),
        signing_secret: delivery.signing_secret.clone(),
    };
    let attempted_at = Utc::now();
    let outcome = sender.send(&target, &message).await;
    let retry_at = if outcome.delivered {
        None
    } else {
        schedule
            .delay_after(delivery.attempts as u32)
            .map(|delay| RetrySchedule::with_jitter(delay, &mut rand::rng()))
            .and_then(|delay| chrono::Duration::from_std(delay).ok())
            .map(|delay| Utc::now() + delay)
    };
    AttemptRecord {
        delivery_id: delivery.id,
        attempts: delivery.attempts,
        attempted_at,
        succeeded: outcome.delivered,
        status_code: outcome.status_code.map(i32::from),
        duration_ms: outcome.duration_ms.min(i32::MAX as u64) as i32,
        response_body: outcome.response_body,
        error: outcome.error,
        retry_at,
    }
}

/// Writes results in batches: whatever arrived while the previous batch was written.
async fn record_results(
    pool: PgPool,
    mut input: mpsc::UnboundedReceiver<AttemptRecord>,
    worker: String,
) {
    while let Some(first) = input.recv().await {
        let mut batch = vec![first];
        while batch.len() < 500 {
            match input.try_recv() {
                Ok(record) => batch.push(record),
                Err(_) => break,
            }
        }
        for round in 0..5 {
            let (records, worker) = (batch.clone(), worker.clone());
            match orderpath_db::write(&pool, move |conn| record_attempts(conn, &records, &worker))
                .await
            {
                Ok(()) => break,
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
}
