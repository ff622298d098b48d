//! The delivery loop. One dispatcher per server process; several processes share the work
//! through the database (leases taken with `FOR UPDATE SKIP LOCKED`).
//!
//! * Claims due deliveries in batches, as many as it has room for in flight, and never
//!   more than `per_endpoint` at once for one endpoint: a slow receiver cannot hold up
//!   the others.
//! * Sends each on its own task; results go to a recorder that writes them in batches.
//! * When a claim comes back short (everything due was taken), looks again every
//!   millisecond, four times, while it stays awake, so that at a steady rate it never
//!   sleeps and new deliveries need not notify it ([`awake`]); then sleeps until the next
//!   delivery falls due or a notification announces new ones, at most one second; when
//!   endpoints are at their share, also until one of their sends finishes.
//! * Works on connections of its own, which commit without waiting for the disk: what it
//!   writes is bookkeeping that is safe to do again (a lost claim or record means a send
//!   again, which at-least-once delivery allows).
//! * On shutdown stops claiming, lets sends in flight finish for a grace period, releases
//!   the rest, and records every result before returning.

mod awake;
mod in_flight;
mod recorder;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use orderpath_db::PgPool;
use tokio::sync::{mpsc, watch, Notify, Semaphore};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::deliveries::{
    claim_due, next_due, pending_by_endpoint, release, Attempt, AttemptRecord, ClaimedDelivery,
};
use crate::metrics::DeliveryMetrics;
use crate::payload::WebhookMessage;
use crate::schedule::RetrySchedule;
use crate::sender::{Sender, Target};
use awake::Awake;
use in_flight::{lock, SharedInFlight};
use recorder::record_results;

#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    /// For the connection that tells the fan-out trigger this dispatcher is awake.
    pub database_url: String,
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
    /// Where attempts are counted; register it to show it (`GET /metrics`).
    pub metrics: DeliveryMetrics,
    /// How often the pending counts of [`Self::metrics`] are read from the database.
    pub pending_refresh: Duration,
}

impl DispatcherConfig {
    pub fn new(
        database_url: String,
        schedule: RetrySchedule,
        timeout: Duration,
        allow_private: bool,
    ) -> Self {
        DispatcherConfig {
            database_url,
            schedule,
            timeout,
            allow_private,
            max_in_flight: 256,
            per_endpoint: 32,
            shutdown_grace: timeout.min(Duration::from_secs(5)),
            worker: worker_name(),
            metrics: DeliveryMetrics::new(),
            pending_refresh: PENDING_REFRESH,
        }
    }

    /// A lease outlives the longest send with room to record it, so a live worker never
    /// loses its delivery; a dead worker's deliveries are taken again soon after.
    fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(5)
    }
}

/// How often, by default, the dispatcher counts pending deliveries for the metrics.
const PENDING_REFRESH: Duration = Duration::from_secs(5);

/// Pending deliveries counted per statement, and the pause between two such statements:
/// about 1.5 ms of a core each, so a million pending are counted in about a second.
const PENDING_COUNT_SLICE: i64 = 10_000;
const PENDING_COUNT_PAUSE: Duration = Duration::from_millis(10);

/// After a claim that found nothing, an awake dispatcher looks again this often,
/// [`LOOKS_BEFORE_SLEEP`] times, before it goes to sleep. While it is awake new deliveries
/// do not notify it, so this is also the longest they wait for it: looks 1, 2 and 4 ms
/// apart made the p99 from event to receipt 5.3 ms at 50 events/s.
const LOOK_AGAIN: Duration = Duration::from_millis(1);
const LOOKS_BEFORE_SLEEP: u32 = 4;
/// The longest pause between looks while transactions that did not notify still run.
const STRAGGLER_PAUSE: Duration = Duration::from_millis(64);
/// The shortest sleep when everything due belongs to endpoints at their share; one of
/// their sends finishing ends it sooner.
const BLOCKED_PAUSE: Duration = Duration::from_millis(250);

fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}:{}", host.trim(), std::process::id())
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
    let (results, recorder_input) = mpsc::unbounded_channel::<AttemptRecord>();
    let recorder = tokio::spawn(record_results(
        pool.clone(),
        recorder_input,
        config.worker.clone(),
    ));
    let counter = tokio::spawn(count_pending(
        pool.clone(),
        config.metrics.clone(),
        config.pending_refresh,
        shutdown.clone(),
    ));
    let mut dispatcher = Dispatcher {
        awake: Awake::new(config.database_url.clone(), pool.clone()),
        slots: Arc::new(Semaphore::new(config.max_in_flight)),
        in_flight: SharedInFlight::default(),
        room: Arc::new(Notify::new()),
        sends: JoinSet::new(),
        pool,
        config,
        sender,
        wake,
        results,
    };
    dispatcher.claim_until_shutdown(&mut shutdown).await;
    // Dropping the dispatcher drops the last sender of results: the recorder then writes
    // what it still has and ends.
    dispatcher.drain().await;
    let _ = recorder.await;
    counter.abort();
}

/// Refreshes the pending counts of `metrics` every `every` until shutdown, counting each
/// endpoint's pending deliveries a slice at a time (see [`pending_by_endpoint`]).
async fn count_pending(
    pool: PgPool,
    metrics: DeliveryMetrics,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !*shutdown.borrow() {
        tokio::select! {
            _ = interval.tick() => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
        }
        match pending_by_endpoint(&pool, PENDING_COUNT_SLICE, PENDING_COUNT_PAUSE).await {
            Ok(counts) => metrics.set_pending(&counts),
            Err(e) => log::warn!("counting pending webhook deliveries failed: {e}"),
        }
    }
}

/// The claim loop's state, shared with the send tasks it spawns through the `Arc`s.
struct Dispatcher {
    pool: PgPool,
    awake: Awake,
    config: DispatcherConfig,
    sender: Sender,
    wake: Arc<Notify>,
    results: mpsc::UnboundedSender<AttemptRecord>,
    /// Room for sends in flight in this process.
    slots: Arc<Semaphore>,
    in_flight: SharedInFlight,
    /// Told when a send of an endpoint at its share finishes: that endpoint may take more.
    room: Arc<Notify>,
    sends: JoinSet<()>,
}

impl Dispatcher {
    /// Claims due deliveries and starts their sends until `shutdown` turns true (or its
    /// switch is dropped); looks again soon, or sleeps, when there was nothing to claim.
    async fn claim_until_shutdown(&mut self, shutdown: &mut watch::Receiver<bool>) {
        // Empty looks in a row while awake; whether to tell the trigger it is awake.
        let (mut empty_looks, mut rise) = (0, true);
        while !*shutdown.borrow() {
            while self.sends.try_join_next().is_some() {}
            let busy = lock(&self.in_flight).busy_endpoints(self.config.per_endpoint);
            let some_busy = !busy.is_empty();
            let (asked, claimed) = self.claim(busy).await;
            if asked == 0 {
                // Every slot is taken: claim again once a send gives one back.
                tokio::select! {
                    _ = self.slots.acquire() => continue,
                    changed = shutdown.changed() => if changed.is_err() { break } else { continue },
                }
            }
            let (short, found) = (claimed.len() < asked, !claimed.is_empty());
            for delivery in claimed {
                if !self.start_send(delivery).await {
                    break;
                }
            }
            if std::mem::take(&mut rise) {
                // After the sends are on their way: they go first.
                self.awake.rise().await;
            }
            if found {
                empty_looks = 0;
            }
            // A short claim took everything due (but what busy endpoints hold back):
            // another claim now would find nothing.
            if !short {
                continue;
            }
            // Everything due belongs to endpoints at their share: looking again soon
            // would only read it again.
            let blocked = some_busy && !found;
            if self.awake.held() && (blocked || empty_looks >= LOOKS_BEFORE_SLEEP) {
                // Going to sleep: from now on new deliveries notify.
                self.awake.lie_down().await;
                empty_looks = 0;
                continue;
            }
            let pause = if self.awake.held() {
                // Busy a moment ago: look again soon rather than have new events notify.
                empty_looks += 1;
                LOOK_AGAIN
            } else if self.awake.stragglers() {
                // Transactions that saw it awake may still add deliveries without notifying.
                empty_looks += 1;
                self.awake.check_stragglers().await;
                (LOOK_AGAIN * (1 << empty_looks.min(6))).min(STRAGGLER_PAUSE)
            } else if blocked {
                // A finishing send of a busy endpoint wakes it (`room`).
                pause_until_due(&self.pool).await.max(BLOCKED_PAUSE)
            } else {
                pause_until_due(&self.pool).await
            };
            if !self.wait(pause, some_busy, shutdown).await {
                break;
            }
            if !self.awake.held() && !self.awake.stragglers() {
                (empty_looks, rise) = (0, true);
            }
        }
        self.awake.close();
    }

    /// Claims due deliveries of endpoints not in `busy`, as many as there is room for but
    /// at most one endpoint's share, so one busy endpoint cannot fill the room in one go.
    /// Returns how many it asked for, and what it got.
    async fn claim(&self, busy: Vec<Uuid>) -> (usize, Vec<ClaimedDelivery>) {
        let room = self.slots.available_permits().min(self.config.per_endpoint);
        if room == 0 {
            return (0, Vec::new());
        }
        let lease = self.config.lease();
        let limit = room as i64;
        // One statement, atomic on its own: no transaction around it.
        let claimed =
            orderpath_db::read(&self.pool, move |conn| claim_due(conn, limit, lease, &busy))
                .await
                .unwrap_or_else(|e| {
                    log::warn!("claiming webhook deliveries failed: {e}");
                    Vec::new()
                });
        (room, claimed)
    }

    /// Sleeps for `pause` or until a notification announces new deliveries, the shutdown
    /// switch moves, or (when `some_busy`: what is due may all belong to endpoints at
    /// their share) one of those endpoints finishes a send. Returns false if the switch
    /// was dropped, which means shutdown too.
    async fn wait(
        &self,
        pause: Duration,
        some_busy: bool,
        shutdown: &mut watch::Receiver<bool>,
    ) -> bool {
        let room = async {
            if some_busy {
                self.room.notified().await
            } else {
                std::future::pending().await
            }
        };
        tokio::select! {
            _ = self.wake.notified() => true,
            _ = room => true,
            _ = tokio::time::sleep(pause) => true,
            changed = shutdown.changed() => changed.is_ok(),
        }
    }

    /// Takes a slot (waiting for one if need be) and sends `delivery` on its own task,
    /// which hands the result to the recorder, and tells the claim loop when its endpoint
    /// comes off its share. Returns false if no slot can be had any more.
    async fn start_send(&mut self, delivery: ClaimedDelivery) -> bool {
        let Ok(slot) = self.slots.clone().acquire_owned().await else {
            return false;
        };
        lock(&self.in_flight).start(delivery.id, delivery.webhook_id);
        let (sender, results, in_flight, room) = (
            self.sender.clone(),
            self.results.clone(),
            self.in_flight.clone(),
            self.room.clone(),
        );
        let schedule = self.config.schedule.clone();
        let metrics = self.config.metrics.clone();
        let share = self.config.per_endpoint;
        self.sends.spawn(async move {
            let record = attempt(&sender, &delivery, &schedule, &metrics).await;
            let was_busy = {
                // Under the lock, so that shutdown either sees the result or releases
                // the delivery, never both.
                let mut held = lock(&in_flight);
                let finished = held.finish(delivery.id, delivery.webhook_id);
                if finished.still_held {
                    let _ = results.send(record);
                }
                finished.sends_before >= share
            };
            drop(slot);
            if was_busy {
                room.notify_one();
            }
        });
        true
    }

    /// Shutdown: claims nothing more; gives sends in flight their grace, then abandons
    /// the rest and releases their deliveries for another process to take at once.
    async fn drain(mut self) {
        let drained = tokio::time::timeout(
            self.config.shutdown_grace,
            self.slots.acquire_many(self.config.max_in_flight as u32),
        )
        .await
        .is_ok();
        let unfinished = lock(&self.in_flight).take_all();
        self.sends.abort_all();
        if !drained && !unfinished.is_empty() {
            let count = unfinished.len();
            match orderpath_db::write(&self.pool, move |conn| release(conn, &unfinished)).await {
                Ok(_) => log::info!("released {count} webhook deliveries still in flight"),
                Err(e) => log::warn!(
                    "releasing in-flight webhook deliveries failed (their leases will run out): {e}"
                ),
            }
        }
    }
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
    metrics: &DeliveryMetrics,
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
        previous_signing_secret: delivery.previous_signing_secret.clone(),
    };
    let attempted_at = Utc::now();
    let outcome = sender.send(&target, &message).await;
    metrics.attempted(delivery.webhook_id, &outcome, delivery.occurred_at);
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
        attempt: Attempt {
            attempted_at,
            succeeded: outcome.delivered,
            status_code: outcome.status_code.map(i32::from),
            duration_ms: outcome.duration_ms.min(i32::MAX as u64) as i32,
            response_body: outcome.response_body,
            error: outcome.error,
        },
        retry_at,
    }
}
