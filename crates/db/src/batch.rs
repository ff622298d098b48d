//! Changes of one kind that concurrent requests ask for at the same time, written
//! together: one statement and one commit for every change that is waiting, instead of
//! one each.
//!
//! PostgreSQL spends most of a one-row change on the statement around the row (starting
//! the executor, the triggers' set-up, the commit), so a statement that writes eight rows
//! costs each row about half of what a statement of its own would (docs/benchmarks.md,
//! Cart creation written in batches). A [`Batcher`] gathers the changes: each of its
//! writer threads takes whatever is queued when it is free, up to a bound, and writes it
//! at once. Nothing waits for a batch to fill: a change that finds a writer free is
//! written alone, at once; a batch forms only from changes that arrived while the writers
//! were busy, which is when gathering them pays.
//!
//! Each change is answered after its batch commits. A batch is one statement, so it
//! commits whole or not at all: the write answers each change on its own (a change that
//! cannot apply, such as a cart for an unknown customer, writes nothing and is answered
//! so), and a failure of the statement itself (the database gone) fails every change of
//! the batch, each answered with that failure.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use diesel::PgConnection;
use orderpath_core::StoreError;
use tokio::sync::oneshot;

use crate::{PgPool, StoreFailure};

/// Writes a batch of changes on `conn`, answering each in the order given.
pub type WriteBatch<I, O> =
    dyn Fn(&mut PgConnection, Vec<I>) -> Result<Vec<O>, StoreError> + Send + Sync + 'static;

type Answer<O> = oneshot::Sender<Result<O, StoreError>>;
type Queue<I, O> = Receiver<(I, Answer<O>)>;

/// Changes of one kind written in batches by a few threads of their own (see the module).
/// Dropped, it lets its threads end once they have answered what they hold.
pub struct Batcher<I, O> {
    queue: Sender<(I, Answer<O>)>,
    write: Arc<WriteBatch<I, O>>,
}

impl<I: Send + 'static, O: Send + 'static> Batcher<I, O> {
    /// Starts `writers` threads named after `name`, each writing up to `most` changes at
    /// a time with `write` on a connection from `pool`.
    pub fn start(
        name: &str,
        pool: PgPool,
        writers: usize,
        most: usize,
        write: impl Fn(&mut PgConnection, Vec<I>) -> Result<Vec<O>, StoreError> + Send + Sync + 'static,
    ) -> Self {
        let (queue, taken) = mpsc::channel();
        let taken = Arc::new(Mutex::new(taken));
        let write: Arc<WriteBatch<I, O>> = Arc::new(write);
        for n in 0..writers.max(1) {
            let (taken, pool, write) = (taken.clone(), pool.clone(), write.clone());
            thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    while let Some(batch) = next_batch(&taken, most.max(1)) {
                        write_and_answer(&pool, &*write, batch);
                    }
                })
                .expect("a batch writer's thread");
        }
        Batcher { queue, write }
    }

    /// Queues the change `item`; answers once the batch it joined has committed.
    pub async fn submit(&self, item: I) -> Result<O, StoreError> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send((item, answer))
            .map_err(|_| StoreError::task_failed("the batch writers have stopped"))?;
        answered
            .await
            .map_err(|_| StoreError::task_failed("the batch writer stopped before answering"))?
    }

    /// The change `item` written alone on a connection the caller holds: for a request
    /// whose changes must commit with the rest of its transaction (an `Idempotency-Key`'s).
    pub fn write_alone(&self, item: I) -> impl FnOnce(&mut PgConnection) -> Result<O, StoreError> {
        let write = self.write.clone();
        move |conn| {
            write(conn, vec![item])?
                .pop()
                .ok_or_else(|| StoreError::task_failed("a batch write answered no change"))
        }
    }
}

/// The next batch: waits for one change, then takes up to `most` in all of those already
/// queued. One writer waits on the queue at a time; the others wait for it to be done.
fn next_batch<I, O>(taken: &Mutex<Queue<I, O>>, most: usize) -> Option<Vec<(I, Answer<O>)>> {
    let queue = taken.lock().unwrap_or_else(|p| p.into_inner());
    let first = queue.recv().ok()?;
    let mut batch = vec![first];
    while batch.len() < most {
        match queue.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn write_and_answer<I, O>(pool: &PgPool, write: &WriteBatch<I, O>, batch: Vec<(I, Answer<O>)>) {
    let (items, answers): (Vec<I>, Vec<Answer<O>>) = batch.into_iter().unzip();
    let count = items.len();
    // A panic in one batch must not stop the thread, which the next batches need.
    let written = catch_unwind(AssertUnwindSafe(|| {
        let mut conn = pool.get().map_err(StoreError::unavailable)?;
        write(&mut conn, items)
    }))
    .unwrap_or_else(|_| Err(StoreError::task_failed("a batch write panicked")));
    match written {
        Ok(outcomes) if outcomes.len() == count => {
            for (answer, outcome) in answers.into_iter().zip(outcomes) {
                // The request may have gone; its change stays written, as any other.
                let _ = answer.send(Ok(outcome));
            }
        }
        Ok(outcomes) => {
            let e = StoreError::task_failed(format!(
                "a batch write answered {} of {count} changes",
                outcomes.len()
            ));
            answer_all(answers, &e);
        }
        Err(e) => answer_all(answers, &e),
    }
}

/// Every change of a failed batch answered with its failure: the first cause is logged,
/// and each answer keeps what the failure means (worth a retry, or a defect).
fn answer_all<O>(answers: Vec<Answer<O>>, e: &StoreError) {
    log::error!("a batch of {} changes failed: {e}", answers.len());
    let unavailable = StoreFailure::of(e) == StoreFailure::Unavailable;
    for answer in answers {
        let shared = match unavailable {
            true => StoreError::unavailable(e.to_string()),
            false => StoreError::task_failed(e.to_string()),
        };
        let _ = answer.send(Err(shared));
    }
}
