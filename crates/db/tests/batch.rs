//! Changes asked for together are written together, each answered with its own outcome;
//! a batch that fails fails only its own changes, and the writers go on.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::Integer;
use futures_util::future::join_all;
use orderpath_core::{StoreError, StoreErrorKind};
use orderpath_db::{prepared, Batcher, StoreFailure};
use orderpath_testing::TestDatabase;

#[derive(QueryableByName)]
struct Doubled {
    #[diesel(sql_type = Integer)]
    doubled: i32,
}

/// Each change is a number, answered doubled by the database, one statement a batch.
fn doubled(conn: &mut PgConnection, numbers: Vec<i32>) -> Result<Vec<i32>, StoreError> {
    let rows: Vec<Doubled> = prepared(
        "SELECT n * 2 AS doubled FROM unnest($1::int4[]) WITH ORDINALITY AS t(n, i) ORDER BY i",
        |q| q.bind::<diesel::sql_types::Array<Integer>, _>(numbers),
    )
    .load(conn)
    .map_err(StoreError::from_error)?;
    Ok(rows.into_iter().map(|r| r.doubled).collect())
}

/// A batcher of one writer, up to `most` changes a batch, written with `write`; its first
/// batch, the change 0 alone, holds the writer until the test lets it go. Records the
/// size of every batch.
struct HeldFirst {
    batcher: Batcher<i32, i32>,
    sizes: Arc<Mutex<Vec<usize>>>,
    release: mpsc::Sender<()>,
}

type Write = fn(&mut PgConnection, Vec<i32>) -> Result<Vec<i32>, StoreError>;

impl HeldFirst {
    fn start(db: &TestDatabase, most: usize, write: Write) -> Self {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let (release, held) = mpsc::channel::<()>();
        let held = Mutex::new(held);
        let seen = sizes.clone();
        let batcher = Batcher::start("test", db.pool(2), 1, most, move |conn, numbers| {
            seen.lock().unwrap().push(numbers.len());
            if numbers == [0] {
                let held = held.lock().unwrap();
                held.recv_timeout(Duration::from_secs(10)).ok();
                return doubled(conn, numbers);
            }
            write(conn, numbers)
        });
        HeldFirst {
            batcher,
            sizes,
            release,
        }
    }

    /// Submits 0, then `rest` while 0 holds the writer, then lets it go; answers 0's
    /// answer and those of `rest`.
    async fn submit(
        &self,
        rest: Vec<i32>,
    ) -> (Result<i32, StoreError>, Vec<Result<i32, StoreError>>) {
        tokio::join!(self.batcher.submit(0), async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let rest = join_all(rest.into_iter().map(|n| self.batcher.submit(n)));
            let released = async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                self.release.send(()).unwrap();
            };
            tokio::join!(rest, released).0
        })
    }

    fn sizes(&self) -> Vec<usize> {
        self.sizes.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn changes_that_wait_while_the_writer_is_busy_are_written_in_one_batch() {
    let db = TestDatabase::new();
    let held = HeldFirst::start(&db, 64, doubled);
    let (first, rest) = held.submit((1..=20).collect()).await;
    assert_eq!(first.unwrap(), 0);
    let answers: Vec<i32> = rest.into_iter().map(Result::unwrap).collect();
    assert_eq!(answers, (1..=20).map(|n| n * 2).collect::<Vec<_>>());
    assert_eq!(held.sizes(), [1, 20], "one alone, then all that waited");
}

#[tokio::test]
async fn a_batch_holds_no_more_changes_than_its_bound() {
    let db = TestDatabase::new();
    let held = HeldFirst::start(&db, 8, doubled);
    let (_, rest) = held.submit((1..=20).collect()).await;
    assert!(rest.iter().all(Result::is_ok));
    assert_eq!(held.sizes(), [1, 8, 8, 4]);
}

#[tokio::test]
async fn a_failed_batch_fails_its_changes_and_the_next_batch_is_written() {
    let db = TestDatabase::new();
    let batcher = Batcher::start("test", db.pool(2), 1, 64, |conn, numbers: Vec<i32>| {
        if numbers.contains(&-1) {
            return Err(StoreError::unavailable("the database went away"));
        }
        doubled(conn, numbers)
    });
    let failed = batcher.submit(-1).await.unwrap_err();
    assert_eq!(failed.kind(), StoreErrorKind::Unavailable, "worth a retry");
    assert_eq!(StoreFailure::of(&failed), StoreFailure::Unavailable);
    assert_eq!(batcher.submit(21).await.unwrap(), 42);
}

#[tokio::test]
async fn a_statement_that_fails_is_a_defect_for_each_of_its_changes() {
    let db = TestDatabase::new();
    let batcher = Batcher::start("test", db.pool(2), 2, 64, |conn, numbers: Vec<i32>| {
        // Overflows int4 for the largest number: the whole statement fails.
        doubled(conn, numbers)
    });
    let failed = batcher.submit(i32::MAX).await.unwrap_err();
    assert_eq!(StoreFailure::of(&failed), StoreFailure::Internal);
    assert!(failed.to_string().contains("out of range"), "{failed}");
    assert_eq!(batcher.submit(4).await.unwrap(), 8);
}

#[tokio::test]
async fn a_write_that_panics_is_answered_as_failed_and_its_writer_goes_on() {
    let db = TestDatabase::new();
    let batcher = Batcher::start("test", db.pool(2), 1, 64, |conn, numbers: Vec<i32>| {
        assert!(!numbers.contains(&13), "unlucky");
        doubled(conn, numbers)
    });
    let failed = batcher.submit(13).await.unwrap_err();
    assert_eq!(failed.kind(), StoreErrorKind::TaskFailed);
    assert_eq!(
        batcher.submit(5).await.unwrap(),
        10,
        "the one writer still writes"
    );
}

#[tokio::test]
async fn a_write_that_answers_too_few_changes_fails_them_all() {
    let db = TestDatabase::new();
    let held = HeldFirst::start(&db, 64, |conn, numbers| {
        let mut answers = doubled(conn, numbers)?;
        answers.pop();
        Ok(answers)
    });
    let (_, rest) = held.submit(vec![1, 2, 3]).await;
    assert_eq!(held.sizes(), [1, 3]);
    assert!(
        rest.iter().all(|r| r
            .as_ref()
            .is_err_and(|e| e.kind() == StoreErrorKind::TaskFailed)),
        "no change is answered with another's outcome"
    );
}

#[test]
fn a_change_written_alone_runs_on_the_callers_connection() {
    let db = TestDatabase::new();
    let batcher = Batcher::start("test", db.pool(1), 1, 64, doubled);
    let mut conn = db.connection();
    assert_eq!(batcher.write_alone(7)(&mut conn).unwrap(), 14);
}

#[tokio::test]
async fn many_changes_at_once_are_each_answered_with_their_own_outcome() {
    let db = TestDatabase::new();
    let batcher = Arc::new(Batcher::start("test", db.pool(4), 2, 16, doubled));
    let asked = (0..500).map(|n| {
        let batcher = batcher.clone();
        tokio::spawn(async move { (n, batcher.submit(n).await) })
    });
    for answered in join_all(asked).await {
        let (n, doubled) = answered.unwrap();
        assert_eq!(doubled.unwrap(), n * 2);
    }
}
