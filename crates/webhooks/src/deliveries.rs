//! Deliveries in the database: claiming due ones, recording attempts, the delivery log
//! and manual retries. Nothing here holds a transaction across an HTTP call: a claim is
//! one statement that leases deliveries to the caller, a record is another.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Double, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use orderpath_core::events::EventType;
use orderpath_core::page::{self, Page};
use orderpath_core::stored_enum;
use orderpath_core::{cursor, Error, Result};
use orderpath_db::partial_index::one_of;
use orderpath_db::prepared;
use orderpath_db::schema::{webhook_attempts, webhook_deliveries, webhooks};
use orderpath_db::PgPool;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::endpoints::{Auth, DISABLE_AFTER_FAILING};

stored_enum! {
    /// Where a delivery stands; stored and sent as `PENDING`, `SUCCEEDED` or `FAILED`.
    pub enum DeliveryStatus {
        /// Due now or later, or leased to a worker sending it.
        Pending,
        Succeeded,
        /// Every attempt of the retry schedule failed.
        Failed,
    }
}

/// The channel new deliveries are announced on (see the fan-out trigger).
pub const DELIVERY_CHANNEL: &str = "orderpath_webhook_deliveries";

/// A delivery leased to this worker, with everything needed to send it.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub id: Uuid,
    /// Including the one about to be made.
    pub attempts: i32,
    pub webhook_id: Uuid,
    pub url: String,
    auth: Auth,
    pub signing_secret: Option<String>,
    /// The secret a rotation replaced, while it still signs (only with a current secret).
    pub previous_signing_secret: Option<String>,
    pub event_id: Uuid,
    /// As stored and as sent in the body's `type`.
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub data: serde_json::Value,
}

impl ClaimedDelivery {
    pub fn auth(&self) -> Auth {
        self.auth.clone()
    }
}

/// A claimed delivery as the claiming statement returns it.
#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Int4)]
    attempts: i32,
    #[diesel(sql_type = SqlUuid)]
    webhook_id: Uuid,
    #[diesel(sql_type = Text)]
    url: String,
    #[diesel(sql_type = Text)]
    auth_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    username: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    password: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    signing_secret: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    previous_signing_secret: Option<String>,
    #[diesel(sql_type = SqlUuid)]
    event_id: Uuid,
    #[diesel(sql_type = Text)]
    event_type: String,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: DateTime<Utc>,
    #[diesel(sql_type = Jsonb)]
    data: serde_json::Value,
}

impl TryFrom<ClaimedRow> for ClaimedDelivery {
    type Error = Error;

    fn try_from(r: ClaimedRow) -> Result<Self> {
        Ok(ClaimedDelivery {
            id: r.id,
            attempts: r.attempts,
            webhook_id: r.webhook_id,
            url: r.url,
            auth: Auth::stored(r.auth_type.parse()?, r.username, r.password),
            signing_secret: r.signing_secret,
            previous_signing_secret: r.previous_signing_secret,
            event_id: r.event_id,
            event_type: r.event_type,
            occurred_at: r.occurred_at,
            data: r.data,
        })
    }
}

/// Leases up to `limit` due deliveries of active endpoints for `lease`, skipping rows
/// other workers hold and endpoints in `skip` (those already busy in this worker).
pub fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
    lease: Duration,
    skip: &[Uuid],
) -> Result<Vec<ClaimedDelivery>> {
    let rows: Vec<ClaimedRow> = prepared(
        "WITH due AS (
             SELECT d.id FROM webhook_deliveries d
             JOIN webhooks w ON w.id = d.webhook_id AND w.status = 'ACTIVE'
             WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
               AND (d.lease_until IS NULL OR d.lease_until < now())
               AND NOT (d.webhook_id = ANY($2))
             ORDER BY d.next_attempt_at
             LIMIT $1
             FOR UPDATE OF d SKIP LOCKED)
         UPDATE webhook_deliveries d
            SET lease_until = now() + make_interval(secs => $3), attempts = d.attempts + 1, updated_at = now()
           FROM due, webhooks w, domain_events e
          WHERE d.id = due.id AND w.id = d.webhook_id AND e.id = d.event_id
         RETURNING d.id, d.attempts, w.id AS webhook_id, w.url, w.auth_type, w.username, w.password,
                   w.signing_secret,
                   CASE WHEN w.signing_secret IS NOT NULL AND w.previous_signing_secret_expires_at > now()
                        THEN w.previous_signing_secret END AS previous_signing_secret,
                   e.id AS event_id, e.event_type, e.occurred_at, e.data",
        |q| {
            q.bind::<BigInt, _>(limit)
                .bind::<Array<SqlUuid>, _>(skip)
                .bind::<Double, _>(lease.as_secs_f64())
        },
    )
    .load(conn)?;
    rows.into_iter().map(ClaimedDelivery::try_from).collect()
}

// The delivery log shows an attempt as stored (schema `AttemptResponse`); a doc comment
// here would become that schema's description.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = webhook_attempts)]
#[serde(rename_all = "camelCase")]
#[schema(as = AttemptResponse)]
pub struct Attempt {
    pub attempted_at: DateTime<Utc>,
    pub succeeded: bool,
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

/// The result of one attempt, as the worker reports it.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub delivery_id: Uuid,
    /// The delivery's attempt count when it was claimed: a record for an older claim
    /// (a lease that ran out and was claimed again) does not overwrite a newer one.
    pub attempts: i32,
    pub attempt: Attempt,
    /// When to try again; `None` after a success or the last attempt.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Records a batch of attempts and moves each delivery on: `SUCCEEDED`, due again at
/// `retry_at`, or `FAILED`. Two statements for the whole batch.
pub fn record_attempts(
    conn: &mut PgConnection,
    records: &[AttemptRecord],
    worker: &str,
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = records.iter().map(|r| r.delivery_id).collect();
    let attempts: Vec<i32> = records.iter().map(|r| r.attempts).collect();
    let statuses: Vec<&str> = records
        .iter()
        .map(|r| match (r.attempt.succeeded, r.retry_at) {
            (true, _) => DeliveryStatus::Succeeded,
            (false, Some(_)) => DeliveryStatus::Pending,
            (false, None) => DeliveryStatus::Failed,
        })
        .map(<&str>::from)
        .collect();
    let next: Vec<Option<DateTime<Utc>>> = records.iter().map(|r| r.retry_at).collect();
    prepared(
        "UPDATE webhook_deliveries d
            SET status = u.status, next_attempt_at = COALESCE(u.next_at, d.next_attempt_at),
                lease_until = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS u(id, attempts, status, next_at)
          WHERE d.id = u.id AND d.attempts = u.attempts",
        |q| {
            q.bind::<Array<SqlUuid>, _>(&ids)
                .bind::<Array<Int4>, _>(&attempts)
                .bind::<Array<Text>, _>(&statuses)
                .bind::<Array<Nullable<Timestamptz>>, _>(&next)
        },
    )
    .execute(conn)?;
    let attempts: Vec<&Attempt> = records.iter().map(|r| &r.attempt).collect();
    let at: Vec<DateTime<Utc>> = attempts.iter().map(|a| a.attempted_at).collect();
    let ok: Vec<bool> = attempts.iter().map(|a| a.succeeded).collect();
    let codes: Vec<Option<i32>> = attempts.iter().map(|a| a.status_code).collect();
    let durations: Vec<i32> = attempts.iter().map(|a| a.duration_ms).collect();
    let bodies: Vec<Option<&str>> = attempts
        .iter()
        .map(|a| a.response_body.as_deref())
        .collect();
    let errors: Vec<Option<&str>> = attempts.iter().map(|a| a.error.as_deref()).collect();
    prepared(
        "INSERT INTO webhook_attempts
             (delivery_id, attempted_at, succeeded, status_code, duration_ms, response_body, error, worker)
         SELECT u.*, $8 FROM unnest($1::uuid[], $2::timestamptz[], $3::bool[], $4::int[], $5::int[],
                                    $6::text[], $7::text[]) AS u",
        |q| {
            q.bind::<Array<SqlUuid>, _>(&ids)
                .bind::<Array<Timestamptz>, _>(&at)
                .bind::<Array<Bool>, _>(&ok)
                .bind::<Array<Nullable<Int4>>, _>(&codes)
                .bind::<Array<Int4>, _>(&durations)
                .bind::<Array<Nullable<Text>>, _>(&bodies)
                .bind::<Array<Nullable<Text>>, _>(&errors)
                .bind::<Text, _>(worker)
        },
    )
    .execute(conn)?;
    track_endpoint_health(conn, &ids, &at, &ok)
}

/// Keeps each endpoint's `failing_since` (the first failed attempt after its last success)
/// up to date with a batch of attempts, and sets `INACTIVE` an endpoint whose every attempt
/// failed for [`DISABLE_AFTER_FAILING`]: a failure recorded that long after the first of
/// the run (`docs/webhooks.md`). Attempts may be recorded out of order (several workers):
/// a failure older than the last success does not count, and a success ends only the
/// failures before it. While an endpoint has no failures its last success is written down
/// at most once a minute, so that busy endpoints' rows are not written with every batch.
fn track_endpoint_health(
    conn: &mut PgConnection,
    delivery_ids: &[Uuid],
    attempted_at: &[DateTime<Utc>],
    succeeded: &[bool],
) -> Result<()> {
    prepared(
        r#"WITH batch AS (
             SELECT d.webhook_id, u.at, u.ok
               FROM unnest($1::uuid[], $2::timestamptz[], $3::bool[]) AS u(delivery_id, at, ok)
               JOIN webhook_deliveries d ON d.id = u.delivery_id),
         per_endpoint AS (
             SELECT webhook_id, max(at) FILTER (WHERE ok) AS last_ok,
                    max(at) FILTER (WHERE NOT ok) AS last_failure
               FROM batch GROUP BY webhook_id),
         locked AS (
             SELECT w.id, w.status, w.failing_since, p.last_failure,
                    GREATEST(w.last_succeeded_at, p.last_ok) AS last_succeeded_at
               FROM per_endpoint p JOIN webhooks w ON w.id = p.webhook_id
              -- A healthy endpoint's row is written (and locked) at most once a minute.
              WHERE p.last_failure IS NOT NULL OR w.failing_since IS NOT NULL
                 OR w.last_succeeded_at IS NULL
                 OR w.last_succeeded_at < p.last_ok - interval '1 minute'
              ORDER BY w.id
              FOR UPDATE OF w),
         next AS (
             SELECT l.id, l.status, l.last_failure, l.last_succeeded_at,
                    LEAST(
                        CASE WHEN l.failing_since > COALESCE(l.last_succeeded_at, '-infinity')
                             THEN l.failing_since END,
                        (SELECT min(b.at) FROM batch b
                          WHERE b.webhook_id = l.id AND NOT b.ok
                            AND b.at > COALESCE(l.last_succeeded_at, '-infinity'))
                    ) AS failing_since
               FROM locked l),
         judged AS (
             SELECT n.*, n.status = 'ACTIVE'
                         AND n.failing_since <= n.last_failure - make_interval(secs => $4) AS disable
               FROM next n)
         UPDATE webhooks w
            SET failing_since = j.failing_since,
                last_succeeded_at = j.last_succeeded_at,
                status = CASE WHEN j.disable THEN 'INACTIVE' ELSE w.status END,
                disabled_at = CASE WHEN j.disable THEN j.last_failure ELSE w.disabled_at END,
                disabled_reason = CASE WHEN j.disable THEN format(
                    'every delivery attempt failed for %s days, since %s; set the endpoint ACTIVE again once the receiver works',
                    $5, to_char(j.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                    ELSE w.disabled_reason END
           FROM judged j
          WHERE w.id = j.id
            AND (w.failing_since IS DISTINCT FROM j.failing_since
                 OR w.last_succeeded_at IS DISTINCT FROM j.last_succeeded_at OR j.disable)"#,
        |q| {
            q.bind::<Array<SqlUuid>, _>(delivery_ids)
                .bind::<Array<Timestamptz>, _>(attempted_at)
                .bind::<Array<Bool>, _>(succeeded)
                .bind::<Double, _>(DISABLE_AFTER_FAILING.num_seconds() as f64)
                .bind::<BigInt, _>(DISABLE_AFTER_FAILING.num_days())
        },
    )
    .execute(conn)?;
    Ok(())
}

/// Gives leased deliveries back unsent (a worker shutting down), so others take them now.
pub fn release(conn: &mut PgConnection, ids: &[Uuid]) -> Result<usize> {
    Ok(
        diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(ids)))
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.to_string()))
            .set((
                webhook_deliveries::lease_until.eq(None::<DateTime<Utc>>),
                webhook_deliveries::attempts.eq(webhook_deliveries::attempts - 1),
            ))
            .execute(conn)?,
    )
}

/// When the next pending delivery that no worker holds falls due, if any: the first entry
/// of the due index past the few held ones (reading every pending delivery for the
/// earliest of due time and lease end cost a read of the whole backlog each time the
/// dispatcher paused). A held delivery's lease running out is not looked at: its worker
/// records it, and a dead worker's deliveries are found by the next look, which comes
/// within a second whatever this says.
pub fn next_due(conn: &mut PgConnection) -> Result<Option<DateTime<Utc>>> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = Nullable<Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let due: Due = prepared(
        // The endpoint's status is asked per row, as a subquery the planner keeps: written
        // as a join, it joined every pending delivery and sorted them (4 ms for 20,000
        // pending, against 0.07 ms reading the due index until the first one).
        "SELECT (SELECT d.next_attempt_at FROM webhook_deliveries d
                  WHERE d.status = 'PENDING'
                    AND (d.lease_until IS NULL OR d.lease_until < now())
                    AND (SELECT w.status FROM webhooks w WHERE w.id = d.webhook_id) = 'ACTIVE'
                  ORDER BY d.next_attempt_at
                  LIMIT 1) AS at",
        |q| q,
    )
    .get_result(conn)?;
    Ok(due.at)
}

/// How many deliveries each endpoint has pending, every endpoint listed (0 for none).
///
/// Each endpoint's pending entries of the index of deliveries not succeeded (migration
/// 000020) are counted `slice` at a time, in log order, each slice read in its own
/// statement and `pause` apart. A backlog of a million is then a hundred reads of a
/// millisecond or two spread over a second, not one read of a tenth of a second that
/// holds a core while requests wait for it (docs/benchmarks.md, Scale). The slices are
/// read at different moments, so a count is as of about when it ends, not one instant:
/// a delivery settled between two slices is counted in neither or in one, never twice.
pub async fn pending_by_endpoint(
    pool: &PgPool,
    slice: i64,
    pause: Duration,
) -> Result<Vec<(Uuid, i64)>> {
    let endpoints: Vec<Uuid> = orderpath_db::read(pool, |conn| {
        Ok::<_, Error>(webhooks::table.select(webhooks::id).load(conn)?)
    })
    .await?;
    let mut counts = Vec::with_capacity(endpoints.len());
    for endpoint in endpoints {
        let (mut pending, mut after) = (0, i64::MIN);
        loop {
            let (counted, last) = orderpath_db::read(pool, move |conn| {
                pending_slice(conn, endpoint, after, slice)
            })
            .await?;
            pending += counted;
            match last {
                Some(last) if counted == slice => after = last,
                _ => break,
            }
            tokio::time::sleep(pause).await;
        }
        counts.push((endpoint, pending));
    }
    Ok(counts)
}

/// How many of `endpoint`'s pending deliveries come after log position `after`, counting
/// at most `most`, and the position of the last one counted.
fn pending_slice(
    conn: &mut PgConnection,
    endpoint: Uuid,
    after: i64,
    most: i64,
) -> Result<(i64, Option<i64>)> {
    #[derive(QueryableByName)]
    struct Slice {
        #[diesel(sql_type = BigInt)]
        counted: i64,
        #[diesel(sql_type = Nullable<BigInt>)]
        last: Option<i64>,
    }
    let slice: Slice = prepared(
        "SELECT count(*) AS counted, max(seq) AS last FROM (
            SELECT d.seq FROM webhook_deliveries d
             WHERE d.webhook_id = $1 AND d.status = 'PENDING' AND d.seq > $2
             ORDER BY d.seq LIMIT $3) s",
        |q| {
            q.bind::<SqlUuid, _>(endpoint)
                .bind::<BigInt, _>(after)
                .bind::<BigInt, _>(most)
        },
    )
    .get_result(conn)?;
    Ok((slice.counted, slice.last))
}

/// Wakes every dispatcher listening (used after a manual retry).
pub fn announce(conn: &mut PgConnection) -> Result<()> {
    diesel::sql_query(format!("SELECT pg_notify('{DELIVERY_CHANNEL}', '')")).execute(conn)?;
    Ok(())
}

/// A delivery of one event to one endpoint.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: Uuid,
    /// Its place in the endpoint's delivery log.
    pub seq: i64,
    pub event_id: Uuid,
    #[diesel(deserialize_as = String)]
    pub status: DeliveryStatus,
    /// Attempts made or under way.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A delivery with its attempts, oldest attempt first.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    pub delivery: Delivery,
    pub event_type: EventType,
    pub attempts: Vec<Attempt>,
}

/// An endpoint's deliveries, newest first, optionally of one status.
pub fn list_deliveries(
    conn: &mut PgConnection,
    webhook_id: Uuid,
    status: Option<DeliveryStatus>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<DeliveryLog>> {
    crate::endpoints::get_endpoint(conn, webhook_id)?;
    // The event's type is kept on the delivery: no event row is read (migration 000021).
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select((Delivery::as_select(), webhook_deliveries::event_type))
        .order(webhook_deliveries::seq.desc())
        .limit(page::fetch_limit(limit))
        .into_boxed();
    if let Some(status) = status {
        // The status index holds only deliveries not SUCCEEDED (migration 000020).
        query = query.filter(one_of("webhook_deliveries.status", &[status]));
    }
    if let Some(c) = after {
        query = query.filter(webhook_deliveries::seq.lt(cursor::decode_key::<i64>(c)?));
    }
    let rows: Vec<(Delivery, String)> = query.load(conn)?;
    Page::keyset(rows, limit, |(d, _)| cursor::encode(&[&d.seq.to_string()]))
        .try_map_items(|rows| with_attempts(conn, rows))
}

/// Each delivery with its attempts, read in one query.
fn with_attempts(
    conn: &mut PgConnection,
    rows: Vec<(Delivery, String)>,
) -> Result<Vec<DeliveryLog>> {
    let ids: Vec<Uuid> = rows.iter().map(|(d, _)| d.id).collect();
    let mut attempts: Vec<(Uuid, Attempt)> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order(webhook_attempts::id)
        .select((webhook_attempts::delivery_id, Attempt::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(delivery, event_type)| {
            let (own, rest): (Vec<_>, Vec<_>) = attempts
                .drain(..)
                .partition(|(delivery_id, _)| *delivery_id == delivery.id);
            attempts = rest;
            Ok(DeliveryLog {
                delivery,
                event_type: event_type.parse()?,
                attempts: own.into_iter().map(|(_, attempt)| attempt).collect(),
            })
        })
        .collect()
}

/// Schedules a new attempt of a delivery now, whatever its status (also `FAILED`).
pub fn retry_delivery(conn: &mut PgConnection, webhook_id: Uuid, delivery_id: Uuid) -> Result<()> {
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(delivery_id))
            .filter(webhook_deliveries::webhook_id.eq(webhook_id)),
    )
    .set((
        webhook_deliveries::status.eq(DeliveryStatus::Pending.to_string()),
        webhook_deliveries::next_attempt_at.eq(diesel::dsl::now),
        webhook_deliveries::lease_until.eq(None::<DateTime<Utc>>),
        webhook_deliveries::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(Error::not_found("delivery"));
    }
    announce(conn)
}
