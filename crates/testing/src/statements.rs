//! Counting the SQL statements a piece of code sends, for tests that hold a read to a fixed
//! number of statements whatever the size of the document.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::{Connection, PgConnection};

struct CountStatements(Arc<AtomicUsize>);

impl Instrumentation for CountStatements {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Runs `work` on `conn` and returns its result with the number of SQL statements it
/// started.
pub fn count_statements<T>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> T,
) -> (T, usize) {
    let count = Arc::new(AtomicUsize::new(0));
    conn.set_instrumentation(CountStatements(count.clone()));
    let out = work(conn);
    conn.set_instrumentation(None::<CountStatements>);
    (out, count.load(Ordering::SeqCst))
}
