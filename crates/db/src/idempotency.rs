//! The kept answers to requests that carried an `Idempotency-Key` (see docs/api.md,
//! Idempotency). The HTTP edge decides what to keep; this module only stores it.
//!
//! Every function but [`delete_expired`] runs in the request's own transaction: the key is
//! locked, looked up, and its answer stored in the transaction that makes the change.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text, Timestamptz};
use uuid::Uuid;

use crate::prepared;
use crate::schema::idempotency_keys;

/// First key of the two-key advisory locks taken per caller and key (arbitrary, fixed:
/// "idem"). Two-key locks never collide with the one-key locks taken elsewhere.
const IDEMPOTENCY_LOCK_SPACE: i32 = 0x6964_656d;

/// An answer kept for a caller and key.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct KeptAnswer {
    pub principal_id: Uuid,
    pub idempotency_key: String,
    pub request_hash: Vec<u8>,
    pub status: i16,
    /// `[[name, value], …]`
    pub headers: serde_json::Value,
    pub body: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Takes the lock of this caller's key until the current transaction ends, unless another
/// transaction holds it (a request with this key is running): then `false`, at once.
/// Different keys share a lock only when their 32-bit hashes collide, which answers a
/// request as if its key were in use.
pub fn try_lock(conn: &mut PgConnection, principal: Uuid, key: &str) -> QueryResult<bool> {
    prepared(
        "SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked",
        |q| {
            q.bind::<Integer, _>(IDEMPOTENCY_LOCK_SPACE)
                .bind::<Text, _>(format!("{principal}/{key}"))
        },
    )
    .get_result::<Locked>(conn)
    .map(|row| row.locked)
}

/// The answer kept for this caller's key, expired or not.
pub fn find(
    conn: &mut PgConnection,
    principal: Uuid,
    key: &str,
) -> QueryResult<Option<KeptAnswer>> {
    idempotency_keys::table
        .find((principal, key))
        .select(KeptAnswer::as_select())
        .first(conn)
        .optional()
}

/// Forgets the answer kept for this caller's key (an expired one, before the key is used
/// again).
pub fn forget(conn: &mut PgConnection, principal: Uuid, key: &str) -> QueryResult<()> {
    diesel::delete(idempotency_keys::table.find((principal, key)))
        .execute(conn)
        .map(drop)
}

/// Keeps `answer`, replacing an expired one the cleanup may not have removed yet.
pub fn keep(conn: &mut PgConnection, answer: &KeptAnswer) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values(answer)
        .on_conflict((
            idempotency_keys::principal_id,
            idempotency_keys::idempotency_key,
        ))
        .do_update()
        .set((
            idempotency_keys::request_hash.eq(&answer.request_hash),
            idempotency_keys::status.eq(answer.status),
            idempotency_keys::headers.eq(&answer.headers),
            idempotency_keys::body.eq(&answer.body),
            idempotency_keys::created_at.eq(answer.created_at),
            idempotency_keys::expires_at.eq(answer.expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Deletes up to `batch` answers that expired by `now`, oldest first, in one statement;
/// returns how many. Rows a running request has locked are skipped (a later sweep takes
/// them).
pub fn delete_expired(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    batch: i64,
) -> QueryResult<usize> {
    prepared(
        "DELETE FROM idempotency_keys WHERE (principal_id, idempotency_key) IN ( \
             SELECT principal_id, idempotency_key FROM idempotency_keys \
             WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) \
         RETURNING 1",
        |q| q.bind::<Timestamptz, _>(now).bind::<BigInt, _>(batch),
    )
    .execute(conn)
}
