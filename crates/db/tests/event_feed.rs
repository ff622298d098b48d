//! The event feed against a real PostgreSQL: a transaction that commits late is never
//! skipped by a reader following the cursor.

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::{Connection, PgConnection};
use orderpath_core::cursor::FeedPosition;
use orderpath_core::events::EventType;
use orderpath_db::events::{feed, record};
use orderpath_testing::{read_while_writing, TestDatabase};
use serde_json::json;
use uuid::Uuid;

fn record_one(conn: &mut PgConnection, n: usize) -> Uuid {
    record(conn, EventType::CartOpened, Utc::now(), json!({ "n": n })).expect("record")
}

/// Reads the feed from `cursor` to its current end; returns the ids and the new cursor.
fn drain(
    conn: &mut PgConnection,
    mut cursor: Option<FeedPosition>,
) -> (Vec<Uuid>, Option<FeedPosition>) {
    let mut ids = Vec::new();
    loop {
        let page = feed(conn, None, cursor, 3).expect("feed");
        let next =
            FeedPosition::decode(page.next_cursor.as_deref().expect("cursor")).expect("decode");
        if page.items.is_empty() {
            return (ids, Some(next));
        }
        ids.extend(page.items.iter().map(|e| e.id));
        cursor = Some(next);
    }
}

/// Follows the feed until `count` events arrived or ten seconds passed. Other tests'
/// transactions (the transaction-id horizon is cluster-wide) may hold the feed back for a
/// moment; they never make it skip anything.
fn follow_until(
    conn: &mut PgConnection,
    mut cursor: Option<FeedPosition>,
    count: usize,
) -> Vec<Uuid> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while seen.len() < count && Instant::now() < deadline {
        let (ids, next) = drain(conn, cursor);
        seen.extend(ids);
        cursor = next;
        thread::sleep(Duration::from_millis(2));
    }
    seen
}

#[test]
fn an_event_that_commits_late_is_not_skipped() {
    let db = TestDatabase::new();
    let mut reader = db.connection();
    let mut early_writer = db.connection();
    let mut late_writer = db.connection();

    // The early transaction takes its id and writes first, but commits last.
    let go_commit = Arc::new(Barrier::new(2));
    let written = Arc::new(Barrier::new(2));
    let (go, done) = (go_commit.clone(), written.clone());
    let slow = thread::spawn(move || {
        early_writer
            .transaction::<_, diesel::result::Error, _>(|c| {
                let id = record_one(c, 0);
                done.wait();
                go.wait();
                Ok(id)
            })
            .expect("commit")
    });
    written.wait();
    let quick = late_writer
        .transaction::<_, diesel::result::Error, _>(|c| Ok(record_one(c, 1)))
        .expect("commit");

    // The quick event has committed, but the feed holds it back behind the open one.
    let (seen, cursor) = drain(&mut reader, None);
    assert!(
        seen.is_empty(),
        "nothing may pass an uncommitted earlier writer: {seen:?}"
    );

    go_commit.wait();
    let slow_id = slow.join().expect("writer");
    let seen = follow_until(&mut reader, cursor, 2);
    assert_eq!(seen, vec![slow_id, quick]);
}

#[test]
fn a_reader_following_the_cursor_sees_every_event_of_concurrent_writers_once() {
    let db = TestDatabase::new();
    let writers = 6;
    let per_writer = 25;
    let total = writers * per_writer;
    let write = move |w, conn: &mut PgConnection| {
        let mut ids = Vec::new();
        for i in 0..per_writer {
            let id = conn
                .transaction::<_, diesel::result::Error, _>(|c| {
                    let id = record_one(c, w * 1000 + i);
                    // Hold some transactions open so commit order differs from id order.
                    if (w + i) % 4 == 0 {
                        thread::sleep(Duration::from_millis(3));
                    }
                    Ok(id)
                })
                .expect("commit");
            ids.push(id);
        }
        ids
    };
    // Read while the writers write, then until everything arrived.
    let read = |reader: &mut PgConnection, (seen, cursor): &mut (Vec<Uuid>, _)| {
        let (ids, next) = drain(reader, *cursor);
        seen.extend(ids);
        *cursor = next;
    };
    let (written, mut reader, (mut seen, cursor)) =
        read_while_writing(&db, writers, write, (Vec::new(), None), read);
    let rest = total.saturating_sub(seen.len());
    seen.extend(follow_until(&mut reader, cursor, rest));
    let written: Vec<Uuid> = written.into_iter().flatten().collect();

    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an event was delivered twice");
    assert_eq!(
        unique,
        written.iter().collect::<HashSet<_>>(),
        "the reader missed events"
    );
}
