//! The `CLIENT_LOGGED` rule at its edges: activity exactly one window after the last one
//! starts a new visit, and two activities at once after a silence record one event.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use diesel::prelude::*;
use diesel::sql_types::Integer;
use orderpath_core::Result;
use orderpath_customers::record_activity;
use orderpath_db::schema::domain_events;
use orderpath_testing::{fixtures, number, TestDatabase};
use uuid::Uuid;

/// The service's window.
const WINDOW: Duration = Duration::minutes(30);

/// Now, to the microsecond the database keeps.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// How many `CLIENT_LOGGED` events name `customer`.
fn client_logged(conn: &mut PgConnection, customer: Uuid) -> usize {
    domain_events::table
        .filter(domain_events::event_type.eq("CLIENT_LOGGED"))
        .select(domain_events::data)
        .load::<serde_json::Value>(conn)
        .expect("events")
        .iter()
        .filter(|data| data["customerId"] == customer.to_string())
        .count()
}

fn active(conn: &mut PgConnection, customer: Uuid, at: DateTime<Utc>) -> bool {
    record_activity(conn, customer, "OFE", Uuid::new_v4(), at, WINDOW).expect("activity")
}

/// A new customer whose first activity ever, at the moment returned, started a visit.
fn first_visit(conn: &mut PgConnection) -> (Uuid, DateTime<Utc>) {
    let customer = fixtures::customer(conn);
    let start = now();
    assert!(active(conn, customer, start), "the first activity ever");
    (customer, start)
}

#[test]
fn activity_exactly_one_window_after_the_last_starts_a_new_visit() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let (customer, start) = first_visit(conn);
    let just_inside = start + WINDOW - Duration::microseconds(1);
    assert!(
        !active(conn, customer, just_inside),
        "a microsecond short of the window"
    );
    assert!(
        active(conn, customer, just_inside + WINDOW),
        "exactly the window after the last activity"
    );
    assert_eq!(client_logged(conn, customer), 2);
}

/// The server process id behind `conn`.
fn backend_pid(conn: &mut PgConnection) -> i32 {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = Integer)]
        pid: i32,
    }
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)
        .expect("pid")
        .pid
}

/// Waits until the backend `pid` waits for a lock another transaction holds.
fn wait_until_blocked(watcher: &mut PgConnection, pid: i32) {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    while Instant::now() < deadline {
        let waiting = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
        )
        .bind::<Integer, _>(pid);
        if number(watcher, waiting) == 1 {
            return;
        }
        std::thread::sleep(StdDuration::from_millis(10));
    }
    panic!("backend {pid} never waited for the customer's row");
}

#[test]
fn two_activities_at_once_after_a_silence_record_one_event() {
    let db = TestDatabase::new();
    let conn = &mut db.connection();
    let (customer, start) = first_visit(conn);
    let back = start + WINDOW * 2;

    // The first activity holds its transaction open until the second is under way and
    // waiting for it; only then does the first commit.
    let mut second = db.connection();
    let second_pid = backend_pid(&mut second);
    let mut watcher = db.connection();
    let (first_emitted, second_run) = conn
        .transaction(|first| -> Result<_> {
            let emitted = active(first, customer, back);
            let run = std::thread::spawn(move || {
                second.transaction(|second| {
                    record_activity(second, customer, "BACKOFFICE", Uuid::new_v4(), back, WINDOW)
                })
            });
            wait_until_blocked(&mut watcher, second_pid);
            Ok((emitted, run))
        })
        .expect("first activity");
    let second_emitted = second_run
        .join()
        .expect("second thread")
        .expect("second activity");

    assert!(first_emitted, "the first after the silence");
    assert!(!second_emitted, "the second saw the first");
    assert_eq!(client_logged(conn, customer), 2, "one for each visit");
}
