//! Writers and a reader at once, for the feeds that must hold up while transactions
//! commit in another order than they started.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use diesel::PgConnection;

use crate::TestDatabase;

/// Runs `write(w, conn)` for each writer `w` in `0..writers`, each on a thread and a
/// connection of its own, while `read(conn, &mut state)` runs on one more connection every
/// millisecond until every writer has finished. Returns what each writer returned, then
/// the reader's connection and state, from which the test follows the feed to its end.
pub fn read_while_writing<Written, State>(
    db: &TestDatabase,
    writers: usize,
    write: impl Fn(usize, &mut PgConnection) -> Written + Send + Sync + 'static,
    mut state: State,
    mut read: impl FnMut(&mut PgConnection, &mut State) + Send + 'static,
) -> (Vec<Written>, PgConnection, State)
where
    Written: Send + 'static,
    State: Send + 'static,
{
    let write = Arc::new(write);
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let mut conn = db.connection();
            let write = write.clone();
            thread::spawn(move || write(w, &mut conn))
        })
        .collect();
    let finished = Arc::new(AtomicBool::new(false));
    let done = finished.clone();
    let mut reader = db.connection();
    let follower = thread::spawn(move || {
        while !done.load(Ordering::SeqCst) {
            read(&mut reader, &mut state);
            thread::sleep(Duration::from_millis(1));
        }
        (reader, state)
    });
    let written = handles
        .into_iter()
        .map(|h| h.join().expect("writer"))
        .collect();
    finished.store(true, Ordering::SeqCst);
    let (reader, state) = follower.join().expect("reader");
    (written, reader, state)
}
