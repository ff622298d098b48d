//! Statements written by hand are kept prepared on the connection, so PostgreSQL plans
//! them once rather than on every call; `sql_query`'s are not.

use diesel::prelude::*;
use diesel::sql_types::Integer;
use orderpath_db::{kept, prepared};
use orderpath_testing::{kept_statements, TestDatabase};

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = Integer)]
    total: i32,
}

#[test]
fn a_prepared_statement_is_planned_once_and_answers_each_call_with_its_own_binds() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for (a, b) in [(1, 2), (40, 2), (-5, 5)] {
        let sum: Sum = prepared("SELECT $1::int4 + $2::int4 AS total /* kept */", |q| {
            q.bind::<Integer, _>(a).bind::<Integer, _>(b)
        })
        .get_result(&mut conn)
        .expect("sum");
        assert_eq!(sum.total, a + b);
    }
    assert_eq!(
        kept_statements(&mut conn, "/* kept */"),
        1,
        "one statement, kept"
    );
}

#[test]
fn a_sql_query_is_not_kept() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for _ in 0..2 {
        diesel::sql_query("SELECT 1 /* not kept */")
            .execute(&mut conn)
            .expect("select");
    }
    assert_eq!(kept_statements(&mut conn, "/* not kept */"), 0);
}

#[test]
fn an_update_diesel_would_plan_each_time_is_kept_when_asked() {
    use orderpath_db::schema::catalog_shown;
    use orderpath_db::together::together;
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for shard in [1i16, 2, 3] {
        let first = diesel::update(catalog_shown::table.find(shard))
            .set(catalog_shown::version.eq(catalog_shown::version + 1));
        let last = diesel::update(catalog_shown::table.find(shard + 1))
            .set(catalog_shown::version.eq(catalog_shown::version + 1))
            .returning(catalog_shown::version);
        let version: i64 = kept(together(first).last(last))
            .get_result(&mut conn)
            .expect("together");
        assert!(version >= 1);
    }
    assert_eq!(kept_statements(&mut conn, "earlier_0"), 1);
}

#[test]
fn a_hand_written_statement_run_for_its_count_is_kept_too() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for key in [7, 8, 9] {
        let changed = prepared("SELECT pg_advisory_xact_lock($1) /* counted */", |q| {
            q.bind::<Integer, _>(key)
        })
        .execute(&mut conn)
        .expect("lock");
        assert_eq!(changed, 1, "one row answered");
    }
    assert_eq!(kept_statements(&mut conn, "/* counted */"), 1);
}

#[test]
fn a_feed_page_is_kept_whatever_its_cursor_and_type() {
    use orderpath_core::cursor::FeedPosition;
    use orderpath_core::events::EventType;
    use orderpath_db::events::feed;
    let db = TestDatabase::new();
    let mut conn = db.connection();
    for after in [None, Some(FeedPosition { txid: 5, seq: 9 })] {
        feed(&mut conn, None, after, 2).expect("page");
        feed(&mut conn, Some(EventType::CartOpened), after, 2).expect("page of one type");
    }
    // Two texts, each kept once: all types, and one type.
    assert_eq!(kept_statements(&mut conn, "FROM \"domain_events\""), 2);
}
