//! The kept answers of idempotency keys against a real PostgreSQL: the lock of a key and
//! the cleanup of expired answers.

use chrono::{DateTime, Duration, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use orderpath_db::idempotency::{delete_expired, find, keep, try_lock, KeptAnswer};
use orderpath_db::schema::idempotency_keys;
use orderpath_testing::TestDatabase;
use uuid::Uuid;

fn answer(principal: Uuid, key: &str, expires_at: DateTime<Utc>) -> KeptAnswer {
    KeptAnswer {
        principal_id: principal,
        idempotency_key: key.to_string(),
        request_hash: vec![1, 2, 3],
        status: 201,
        headers: serde_json::json!([["content-type", "application/json"]]),
        body: b"{}".to_vec(),
        created_at: expires_at - Duration::hours(24),
        expires_at,
    }
}

fn kept(conn: &mut PgConnection) -> i64 {
    idempotency_keys::table
        .count()
        .get_result(conn)
        .expect("count")
}

#[test]
fn a_key_is_locked_by_one_transaction_at_a_time_and_per_caller() {
    let db = TestDatabase::new();
    let (mut first, mut second) = (db.connection(), db.connection());
    let (ann, bob) = (Uuid::new_v4(), Uuid::new_v4());
    AnsiTransactionManager::begin_transaction(&mut first).expect("begin");
    assert!(try_lock(&mut first, ann, "k").expect("lock"));
    AnsiTransactionManager::begin_transaction(&mut second).expect("begin");
    assert!(
        !try_lock(&mut second, ann, "k").expect("lock"),
        "held by the first"
    );
    assert!(
        try_lock(&mut second, bob, "k").expect("lock"),
        "another caller's key"
    );
    assert!(
        try_lock(&mut second, ann, "k2").expect("lock"),
        "another key"
    );
    AnsiTransactionManager::rollback_transaction(&mut second).expect("rollback");
    AnsiTransactionManager::commit_transaction(&mut first).expect("commit");
    AnsiTransactionManager::begin_transaction(&mut second).expect("begin");
    assert!(
        try_lock(&mut second, ann, "k").expect("lock"),
        "free once the first ended"
    );
    AnsiTransactionManager::rollback_transaction(&mut second).expect("rollback");
}

#[test]
fn the_cleanup_deletes_expired_answers_in_batches_oldest_first_skipping_locked_ones() {
    let (db, mut conn) = TestDatabase::connected();
    let now = Utc::now();
    let caller = Uuid::new_v4();
    for n in 0..5 {
        keep(
            &mut conn,
            &answer(caller, &format!("old-{n}"), now - Duration::seconds(10 - n)),
        )
        .expect("keep");
    }
    keep(&mut conn, &answer(caller, "due-now", now)).expect("keep");
    keep(
        &mut conn,
        &answer(caller, "fresh", now + Duration::seconds(1)),
    )
    .expect("keep");

    assert_eq!(delete_expired(&mut conn, now, 2).expect("sweep"), 2);
    assert!(find(&mut conn, caller, "old-0").expect("find").is_none());
    assert!(find(&mut conn, caller, "old-1").expect("find").is_none());
    assert!(find(&mut conn, caller, "old-2").expect("find").is_some());

    // A row another transaction has locked waits for a later sweep.
    let mut other = db.connection();
    AnsiTransactionManager::begin_transaction(&mut other).expect("begin");
    idempotency_keys::table
        .find((caller, "old-2"))
        .for_update()
        .select(idempotency_keys::idempotency_key)
        .first::<String>(&mut other)
        .expect("lock the row");
    assert_eq!(delete_expired(&mut conn, now, 100).expect("sweep"), 3);
    AnsiTransactionManager::rollback_transaction(&mut other).expect("rollback");
    assert_eq!(kept(&mut conn), 2);
    assert_eq!(delete_expired(&mut conn, now, 100).expect("sweep"), 1);
    assert!(find(&mut conn, caller, "fresh").expect("find").is_some());
    assert_eq!(kept(&mut conn), 1);
}

#[test]
fn keeping_an_answer_replaces_an_expired_one() {
    let (_db, mut conn) = TestDatabase::connected();
    let caller = Uuid::new_v4();
    let now = Utc::now();
    keep(&mut conn, &answer(caller, "k", now - Duration::seconds(1))).expect("keep");
    let mut fresh = answer(caller, "k", now + Duration::hours(24));
    fresh.status = 422;
    keep(&mut conn, &fresh).expect("keep again");
    let found = find(&mut conn, caller, "k").expect("find").expect("kept");
    assert_eq!(
        (found.status, found.expires_at.timestamp()),
        (422, fresh.expires_at.timestamp())
    );
    assert_eq!(kept(&mut conn), 1);
}
