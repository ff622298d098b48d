//! Names of test databases: `orderpath_test_<run>_<created>_<random>`.
//!
//! * `<run>` is `ORDERPATH_TEST_RUN` (lower-case letters and digits, at most 20), which
//!   `scripts/test` sets to an id of its own, or `local` when unset. A run drops what it
//!   left behind by this part, and nothing of another run.
//! * `<created>` is the creation time in Unix seconds, so that databases whose run died
//!   can be told apart from those of a run still going: only old ones count as abandoned.
//! * `<random>` keeps the names of one run apart.

use std::time::{SystemTime, UNIX_EPOCH};

use uuid::Uuid;

/// Prefix of every database this harness creates.
pub const TEST_DATABASE_PREFIX: &str = "orderpath_test_";
/// The variable naming the run a test belongs to.
pub const RUN_VARIABLE: &str = "ORDERPATH_TEST_RUN";
/// The run of tests started without `ORDERPATH_TEST_RUN`.
pub const DEFAULT_RUN: &str = "local";
/// A run id's longest length: with the prefix, 10 digits of time and 12 hex digits the
/// name stays within PostgreSQL's 63 bytes.
const MAX_RUN_LENGTH: usize = 20;

/// A fresh name for a test database of this run.
pub fn new_database_name() -> String {
    let run = std::env::var(RUN_VARIABLE).unwrap_or_else(|_| DEFAULT_RUN.to_string());
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    database_name(&run, created, Uuid::new_v4())
}

fn database_name(run: &str, created: u64, random: Uuid) -> String {
    assert!(
        is_valid_run(run),
        "{RUN_VARIABLE} must be 1 to {MAX_RUN_LENGTH} lower-case letters or digits, not {run:?}"
    );
    let random = &random.simple().to_string()[..12];
    format!("{TEST_DATABASE_PREFIX}{run}_{created}_{random}")
}

fn is_valid_run(run: &str) -> bool {
    (1..=MAX_RUN_LENGTH).contains(&run.len())
        && run
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_carries_run_creation_time_and_a_random_part() {
        let id = Uuid::parse_str("0123456789ab4def8123456789abcdef").expect("uuid");
        assert_eq!(
            database_name("r4711", 1_700_000_000, id),
            "orderpath_test_r4711_1700000000_0123456789ab"
        );
    }

    #[test]
    fn the_longest_name_fits_postgres() {
        let run = "z".repeat(MAX_RUN_LENGTH);
        let name = database_name(&run, u32::MAX as u64 * 2, Uuid::new_v4());
        assert!(name.len() <= 63, "{name} is {} bytes", name.len());
    }

    #[test]
    fn run_ids_that_would_need_quoting_are_refused() {
        for bad in ["", "Run", "a-b", "a_b", "a b", "x;drop", &"z".repeat(21)] {
            assert!(!is_valid_run(bad), "{bad:?}");
        }
        assert!(is_valid_run(DEFAULT_RUN));
        assert!(is_valid_run("r20240101x99"));
    }

    #[test]
    #[should_panic(expected = "ORDERPATH_TEST_RUN must be")]
    fn an_invalid_run_id_stops_the_test_with_a_clear_message() {
        database_name("Bad-Run", 1, Uuid::new_v4());
    }
}
