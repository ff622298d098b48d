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

/// Asserts that a document is read in one SQL statement whatever its size: `make` makes
/// a document of each of the `sizes` (in lines), `read` reads its lines back.
pub fn assert_read_in_one_statement<Id, Line>(
    conn: &mut PgConnection,
    sizes: [usize; 2],
    make: impl Fn(&mut PgConnection, usize) -> Id,
    read: impl Fn(&mut PgConnection, Id) -> Vec<Line>,
) {
    for size in sizes {
        let document = make(conn, size);
        let (lines, count) = count_statements(conn, |c| read(c, document));
        assert_eq!(lines.len(), size);
        assert_eq!(
            count, 1,
            "a document of {size} lines is read in one statement"
        );
    }
}

/// How many statements `conn` keeps prepared whose text contains `marker`: one for a
/// statement kept and reused, none for one parsed and planned on every call.
pub fn kept_statements(conn: &mut PgConnection, marker: &str) -> i64 {
    crate::number(
        conn,
        diesel::sql_query(
            "SELECT count(*) AS n FROM pg_prepared_statements WHERE strpos(statement, $1) > 0",
        )
        .bind::<diesel::sql_types::Text, _>(marker),
    )
}
