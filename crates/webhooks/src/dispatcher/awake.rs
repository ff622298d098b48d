//! Whether new deliveries need to announce themselves.
//!
//! A transaction that creates deliveries could always `NOTIFY` the dispatchers, but
//! PostgreSQL commits notifying transactions one at a time, holding a lock across the
//! commit's flush to disk: recording events then goes no faster than one disk flush after
//! another, however many requests record them at once. So the fan-out trigger notifies
//! only while no dispatcher is awake; one that is awake looks for new deliveries anyway.
//!
//! An awake dispatcher holds the advisory lock [`AWAKE`] on a connection of its own. The
//! trigger, in a transaction that creates deliveries, takes [`RECORDING`] (shared, until
//! the transaction ends), then notifies unless [`AWAKE`] is held. A dispatcher going to
//! sleep lets [`AWAKE`] go, notes the transactions holding [`RECORDING`] at that moment —
//! among them every one that saw it awake and did not notify — and keeps claiming until
//! they have all ended; every later transaction notifies. So no delivery waits for the
//! next poll, and no transaction ever waits for the dispatcher. (Advisory locks rather than
//! a row: what a row says depends on the reader's snapshot, a lock is the same for all.)

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use orderpath_db::PgPool;

/// Held (exclusively, by a session) by a dispatcher while it is awake. The same number is
/// in the fan-out trigger (migration `webhook_wake_on_demand`).
pub const AWAKE: i64 = 0x6f70_7768_6177_616b;
/// Held (shared, until it ends) by every transaction that creates deliveries; the same
/// number is in the trigger.
pub const RECORDING: i64 = 0x6f70_7768_7265_636f;

/// This dispatcher's side of the protocol above.
pub(super) struct Awake {
    database_url: String,
    pool: PgPool,
    /// A connection of its own, for [`AWAKE`]: closing it, whatever state it is in, lets
    /// the lock go. Kept open between naps.
    conn: Option<PgConnection>,
    held: bool,
    /// Transactions that may have seen this dispatcher awake and not notified, still
    /// running when it let [`AWAKE`] go: it keeps looking until they have ended.
    stragglers: Vec<String>,
}

impl Awake {
    pub(super) fn new(database_url: String, pool: PgPool) -> Self {
        Awake {
            database_url,
            pool,
            conn: None,
            held: false,
            stragglers: Vec::new(),
        }
    }

    /// Whether the trigger leaves this dispatcher's wake-up to it.
    pub(super) fn held(&self) -> bool {
        self.held
    }

    /// Whether transactions that may not have notified are still running.
    pub(super) fn stragglers(&self) -> bool {
        !self.stragglers.is_empty()
    }

    /// Tells the trigger that this dispatcher is awake, unless another holds [`AWAKE`]
    /// already (that one looks for new deliveries before it sleeps). On any failure the
    /// trigger goes on notifying, which is safe.
    pub(super) async fn rise(&mut self) {
        if self.held {
            return;
        }
        let (conn, url) = (self.conn.take(), self.database_url.clone());
        let risen = tokio::task::spawn_blocking(move || {
            let mut conn = match conn {
                Some(conn) => conn,
                None => PgConnection::establish(&url).ok()?,
            };
            let taken = try_lock(&mut conn, AWAKE).ok()?;
            Some((conn, taken))
        })
        .await
        .ok()
        .flatten();
        if let Some((conn, taken)) = risen {
            self.conn = Some(conn);
            self.held = taken;
        }
    }

    /// Lets [`AWAKE`] go, and notes the transactions to wait for.
    pub(super) async fn lie_down(&mut self) {
        if !std::mem::take(&mut self.held) {
            return;
        }
        let (conn, pool) = (self.conn.take(), self.pool.clone());
        let outcome = tokio::task::spawn_blocking(move || {
            // A connection that cannot unlock is closed, which unlocks.
            let conn = conn.and_then(|mut c| unlock(&mut c, AWAKE).ok().map(|_| c));
            let recording = pool
                .get()
                .map_err(|e| e.to_string())
                .and_then(|mut c| recording(&mut c).map_err(|e| e.to_string()));
            (conn, recording)
        })
        .await;
        match outcome {
            Ok((conn, recording)) => {
                self.conn = conn;
                match recording {
                    Ok(stragglers) => self.stragglers = stragglers,
                    Err(e) => log::warn!("webhook dispatcher going to sleep: {e}"),
                }
            }
            Err(e) => log::warn!("webhook dispatcher going to sleep: {e}"),
        }
    }

    /// Forgets the stragglers that have ended since. A claim after the last has ended
    /// sees everything they created.
    pub(super) async fn check_stragglers(&mut self) {
        let pool = self.pool.clone();
        let now = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            recording(&mut conn).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        match now {
            Ok(now) => self.stragglers.retain(|v| now.contains(v)),
            // Looked at again at the next check.
            Err(e) => log::warn!("webhook dispatcher checking recorders: {e}"),
        }
    }

    /// Lets [`AWAKE`] go at shutdown, so that others are notified again.
    pub(super) fn close(&mut self) {
        self.held = false;
        self.conn = None;
    }
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Bool)]
    taken: bool,
}

/// Takes `key` for this session if it is free.
fn try_lock(conn: &mut PgConnection, key: i64) -> QueryResult<bool> {
    diesel::sql_query(format!("SELECT pg_try_advisory_lock({key}) AS taken"))
        .get_result::<Taken>(conn)
        .map(|t| t.taken)
}

/// Lets this session's hold of `key` go.
fn unlock(conn: &mut PgConnection, key: i64) -> QueryResult<bool> {
    diesel::sql_query(format!("SELECT pg_advisory_unlock({key}) AS taken"))
        .get_result::<Taken>(conn)
        .map(|t| t.taken)
}

/// The transactions of this database holding [`RECORDING`] now (virtual transaction ids,
/// which no later transaction reuses).
fn recording(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Holder {
        #[diesel(sql_type = Text)]
        vxid: String,
    }
    // A bigint advisory key is shown split into its high and low 32 bits.
    let (high, low) = ((RECORDING >> 32) as u32, RECORDING as u32);
    let holders: Vec<Holder> = diesel::sql_query(format!(
        "SELECT virtualtransaction AS vxid FROM pg_locks
          WHERE locktype = 'advisory' AND classid = '{high}'::oid AND objid = '{low}'::oid
            AND objsubid = 1 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ))
    .load(conn)?;
    Ok(holders.into_iter().map(|h| h.vxid).collect())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use chrono::Utc;
    use diesel::connection::SimpleConnection;
    use orderpath_core::events::EventType;
    use orderpath_db::events::record;
    use orderpath_testing::TestDatabase;

    use super::*;
    use crate::deliveries::{claim_due, DELIVERY_CHANNEL};
    use crate::endpoints::{create_endpoint, Auth, EndpointDraft, EndpointStatus};

    /// A database with one `CART_OPENED` endpoint, and a connection listening for
    /// deliveries.
    fn subscribed() -> (TestDatabase, PgConnection) {
        let db = TestDatabase::new();
        let draft = EndpointDraft {
            name: "ERP".into(),
            status: EndpointStatus::Active,
            event_type: EventType::CartOpened,
            url: "https://erp.example.com/hooks".into(),
            auth: Auth::None,
            signing_secret: None,
        };
        create_endpoint(&mut db.connection(), &draft, Utc::now()).expect("endpoint");
        let mut listener = db.connection();
        listener
            .batch_execute(&format!("LISTEN {DELIVERY_CHANNEL}"))
            .expect("listen");
        (db, listener)
    }

    fn open_cart(conn: &mut PgConnection) {
        record(
            conn,
            EventType::CartOpened,
            Utc::now(),
            serde_json::json!({}),
        )
        .expect("event");
    }

    /// Notifications heard until `expected` have arrived (or two seconds passed), then a
    /// moment longer for any that should not have come.
    fn notifications(listener: &mut PgConnection, expected: usize) -> usize {
        let mut heard = 0;
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut settle = 3;
        while settle > 0 && Instant::now() < deadline {
            // A statement lets the server hand over what is pending for this listener.
            listener.batch_execute("SELECT 1").expect("ping");
            heard += listener.notifications_iter().filter(Result::is_ok).count();
            if heard >= expected {
                settle -= 1;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        heard
    }

    #[test]
    fn new_deliveries_notify_only_while_no_dispatcher_is_awake() {
        let (db, mut listener) = subscribed();
        let mut conn = db.connection();
        open_cart(&mut conn);
        assert_eq!(notifications(&mut listener, 1), 1, "nobody awake: notified");

        let mut dispatcher = db.connection();
        assert!(try_lock(&mut dispatcher, AWAKE).expect("lock"));
        open_cart(&mut conn);
        open_cart(&mut conn);
        assert!(unlock(&mut dispatcher, AWAKE).expect("unlock"));
        open_cart(&mut conn);
        assert_eq!(
            notifications(&mut listener, 1),
            1,
            "only the event recorded after the dispatcher went to sleep notified"
        );
    }

    #[test]
    fn a_dispatcher_going_to_sleep_knows_whom_to_wait_for() {
        let (db, mut listener) = subscribed();
        let mut dispatcher = db.connection();
        assert!(try_lock(&mut dispatcher, AWAKE).expect("lock"));
        // A transaction records an event while the dispatcher is awake, and runs on.
        let mut slow = db.connection();
        slow.batch_execute("BEGIN").expect("begin");
        open_cart(&mut slow);
        assert!(unlock(&mut dispatcher, AWAKE).expect("unlock"));
        let stragglers = recording(&mut dispatcher).expect("recording");
        assert_eq!(stragglers.len(), 1, "the running transaction is noted");
        let lease = Duration::from_secs(30);
        assert!(claim_due(&mut dispatcher, 10, lease, &[])
            .expect("claim")
            .is_empty());

        slow.batch_execute("COMMIT").expect("commit");
        let now = recording(&mut dispatcher).expect("recording");
        assert!(!now.contains(&stragglers[0]), "it has ended");
        assert_eq!(
            claim_due(&mut dispatcher, 10, lease, &[])
                .expect("claim")
                .len(),
            1,
            "a claim once it has ended finds its delivery"
        );
        assert_eq!(
            notifications(&mut listener, 0),
            0,
            "it saw the dispatcher awake"
        );
    }

    #[test]
    fn the_trigger_uses_the_dispatchers_keys() {
        let migration =
            include_str!("../../../../migrations/2026-11-28-000016_webhook_wake_on_demand/up.sql");
        for key in [AWAKE, RECORDING] {
            assert!(migration.contains(&key.to_string()), "{key} in the trigger");
        }
    }
}
