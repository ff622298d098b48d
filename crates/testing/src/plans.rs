//! The query plans of the statements the service sends, for tests that hold every read of
//! a growing table to an index: a sequential scan of one costs what the merchant has, and
//! is a defect (docs/benchmarks.md, Scale).
//!
//! [`record_statements`] makes every connection the process opens afterwards note the SQL
//! it sends; [`sequential_scans`] plans one such statement for any parameters (its generic
//! plan) with sequential scans discouraged (`enable_seqscan = off`), so that on a test's
//! few rows the planner still takes an index whenever one serves. Where none does, it
//! scans the table, or reads some other index from end to end and filters: both count.

use std::collections::BTreeSet;
use std::sync::Mutex;

use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use diesel::sql_types::Text;

/// Tables whose size follows the merchant's (products, customers, documents and their
/// lines, orders and shipments, events and their deliveries).
pub const GROWING_TABLES: &[&str] = &[
    "products",
    "drum_options",
    "customers",
    "carts",
    "cart_lines",
    "offers",
    "offer_lines",
    "orders",
    "order_lines",
    "shipments",
    "shipment_lines",
    "domain_events",
    "webhook_deliveries",
    "webhook_attempts",
    "price_edits",
];

static RECORDED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

struct RecordStatements;

impl Instrumentation for RecordStatements {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            // Diesel shows a statement as its SQL, then its parameters' values.
            let sql = text.split(" -- binds: ").next().unwrap_or_default().trim();
            if let Ok(mut recorded) = RECORDED.lock() {
                recorded.insert(sql.to_string());
            }
        }
    }
}

/// From now on, every connection this process opens notes the statements it sends. Call
/// it before the pool is made (each test runs in a process of its own).
pub fn record_statements() {
    set_default_instrumentation(|| Some(Box::new(RecordStatements)))
        .expect("instrumentation is set");
}

/// The distinct statements noted since [`record_statements`], forgetting them.
pub fn take_recorded_statements() -> Vec<String> {
    std::mem::take(&mut *RECORDED.lock().expect("recorded statements"))
        .into_iter()
        .collect()
}

/// Whether `sql` reads or changes rows, so has a plan (not `BEGIN`, `SET`, `LISTEN` …).
pub fn has_plan(sql: &str) -> bool {
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_uppercase();
    ["SELECT", "WITH", "UPDATE", "DELETE", "INSERT"].contains(&first.as_str())
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The tables of `tables` that the generic plan of `sql` (with `$1`, `$2` … parameters)
/// reads whole although sequential scans are discouraged: those no index serves. Errors
/// name the statement.
pub fn sequential_scans(
    conn: &mut PgConnection,
    sql: &str,
    tables: &[&str],
) -> Result<BTreeSet<String>, String> {
    let plan = generic_plan(conn, sql)?;
    let lines: Vec<&str> = plan.iter().map(String::as_str).collect();
    Ok(whole_table_reads(&lines)
        .into_iter()
        .filter(|table| tables.contains(&table.as_str()))
        .collect())
}

/// The generic plan of `sql` (the one PostgreSQL may keep for a prepared statement and
/// use whatever its parameters), sequential scans discouraged: EXPLAIN's text, a line per
/// row. Errors name the statement.
pub fn generic_plan(conn: &mut PgConnection, sql: &str) -> Result<Vec<String>, String> {
    let parameters = (1..)
        .take_while(|n| sql.contains(&format!("${n}")))
        .map(|_| "NULL")
        .collect::<Vec<_>>()
        .join(", ");
    let arguments = if parameters.is_empty() {
        String::new()
    } else {
        format!("({parameters})")
    };
    // Settings local to the transaction; EXPLAIN without ANALYZE runs nothing.
    let plan = conn
        .transaction::<_, diesel::result::Error, _>(|conn| {
            diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn)?;
            diesel::sql_query("SET LOCAL plan_cache_mode = force_generic_plan").execute(conn)?;
            diesel::sql_query(format!("PREPARE orderpath_plan_check AS {sql}")).execute(conn)?;
            let plan =
                diesel::sql_query(format!("EXPLAIN EXECUTE orderpath_plan_check{arguments}"))
                    .load::<PlanLine>(conn);
            diesel::sql_query("DEALLOCATE orderpath_plan_check").execute(conn)?;
            plan
        })
        .map_err(|e| format!("{e}: {sql}"))?;
    Ok(plan.into_iter().map(|l| l.line).collect())
}

/// The tables a plan (EXPLAIN's text, a line per row) reads whole: a sequential scan, or
/// an index read from end to end to keep the rows a filter lets through — what the
/// planner falls back to, sequential scans discouraged, when the index a condition needs
/// is missing.
fn whole_table_reads(lines: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, line) in lines.iter().enumerate() {
        let Some((node, rest)) = line.split_once(" on ") else {
            continue;
        };
        let table = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        // The node's own details come before the next node (`->`).
        let details: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| !l.contains("->"))
            .copied()
            .collect();
        let has = |what: &str| details.iter().any(|d| d.trim_start().starts_with(what));
        let index_scan = node.contains("Index Scan") || node.contains("Index Only Scan");
        if node.contains("Seq Scan") || (index_scan && !has("Index Cond:") && has("Filter:")) {
            found.insert(table);
        }
    }
    found
}
