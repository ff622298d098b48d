//! Configuration from the environment. Every variable has a default except `DATABASE_URL`
//! (which `recorded_database` may find instead); a malformed value stops the start with a
//! message naming it.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::time::Duration;

use orderpath_webhooks::RetrySchedule;

const MIB: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub pool_size: u32,
    /// Silence after which a customer's activity emits `CLIENT_LOGGED` again.
    pub client_inactivity: Duration,
    /// A session ends after this long unused.
    pub session_idle: chrono::Duration,
    /// Memory for rendered offers, carts and orders (see `render_cache`); 0 turns the
    /// cache off.
    pub render_cache_bytes: usize,
    /// Memory for carts as this process's last change of each left them, so that the
    /// next change of a cart skips reading its lines (see `orderpath_carts`, `recent`); 0
    /// keeps none. One budget for the process.
    pub recent_carts_bytes: usize,
    /// Allow webhook URLs on loopback and private addresses (development only).
    pub webhook_allow_private: bool,
    /// Delays between delivery attempts; a delivery fails after the last.
    pub webhook_retry_schedule: RetrySchedule,
    /// Limit of one delivery attempt.
    pub webhook_timeout: Duration,
    /// How long a rotated-out signing secret keeps signing next to the new one: always
    /// 24 hours, shorter only in tests.
    pub webhook_secret_overlap: chrono::Duration,
    /// Origins whose browser frontends may call the API (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// Events, deliveries and attempts older than this are deleted in the background.
    pub event_retention: chrono::Duration,
    /// How long the answer to a request with an `Idempotency-Key` is kept.
    pub idempotency_ttl: chrono::Duration,
}

/// How long answers to requests with an `Idempotency-Key` are kept by default: a day.
pub const DEFAULT_IDEMPOTENCY_TTL: chrono::Duration = chrono::Duration::seconds(86_400);

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let database_url = crate::recorded_database::database_url()?;
        Ok(Config {
            database_url,
            bind: var_or(
                "ORDERPATH_BIND",
                "127.0.0.1:8080".to_string(),
                Ok::<_, String>,
            )?,
            pool_size: var_or(
                "ORDERPATH_DB_POOL_SIZE",
                orderpath_db::default_pool_size(),
                |s| {
                    s.parse::<u32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or("a whole number ≥ 1")
                },
            )?,
            client_inactivity: var_or(
                "ORDERPATH_CLIENT_INACTIVITY_SECS",
                Duration::from_secs(1800),
                |s| {
                    s.parse::<u64>()
                        .map(Duration::from_secs)
                        .map_err(|_| "a whole number of seconds")
                },
            )?,
            session_idle: whole_number_var(
                "ORDERPATH_SESSION_IDLE_SECS",
                orderpath_people::DEFAULT_SESSION_IDLE.num_seconds(),
                60..=30 * 86_400,
                "seconds",
            )
            .map(chrono::Duration::seconds)?,
            render_cache_bytes: mebibytes_var("ORDERPATH_RENDER_CACHE_MB", 64)?,
            recent_carts_bytes: mebibytes_var("ORDERPATH_RECENT_CARTS_MB", 16)?,
            webhook_allow_private: var_or("ORDERPATH_WEBHOOK_ALLOW_PRIVATE", false, |s| {
                match s.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => Ok(true),
                    "false" | "0" | "no" => Ok(false),
                    _ => Err("true or false"),
                }
            })?,
            webhook_retry_schedule: match std::env::var("ORDERPATH_WEBHOOK_RETRY_SCHEDULE") {
                Ok(s) if !s.trim().is_empty() => RetrySchedule::parse(&s)
                    .map_err(|e| format!("ORDERPATH_WEBHOOK_RETRY_SCHEDULE: {e}"))?,
                _ => RetrySchedule::default(),
            },
            webhook_timeout: whole_number_var(
                "ORDERPATH_WEBHOOK_TIMEOUT_SECS",
                10,
                1..=300,
                "seconds",
            )
            .map(Duration::from_secs)?,
            webhook_secret_overlap: orderpath_webhooks::endpoints::SECRET_OVERLAP,
            cors_origins: match std::env::var("ORDERPATH_CORS_ORIGINS") {
                Ok(list) => crate::cors::parse_origins(&list)
                    .map_err(|e| format!("ORDERPATH_CORS_ORIGINS: {e}"))?,
                Err(_) => Vec::new(),
            },
            event_retention: whole_number_var(
                "ORDERPATH_EVENT_RETENTION_DAYS",
                90,
                1..=36_500,
                "days",
            )
            .map(chrono::Duration::days)?,
            idempotency_ttl: whole_number_var(
                "ORDERPATH_IDEMPOTENCY_TTL_SECS",
                DEFAULT_IDEMPOTENCY_TTL.num_seconds(),
                1..=30 * 86_400,
                "seconds",
            )
            .map(chrono::Duration::seconds)?,
        })
    }
}

/// A whole number of `unit` within `range` from the variable `name`, `default` when unset;
/// out of range or not a number, the message names the range.
fn whole_number_var<N: FromStr + PartialOrd + Display>(
    name: &str,
    default: N,
    range: RangeInclusive<N>,
    unit: &str,
) -> Result<N, String> {
    var_or(name, default, |s| {
        s.parse::<N>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                format!(
                    "a whole number of {unit} from {} to {}",
                    range.start(),
                    range.end()
                )
            })
    })
}

/// A memory budget given in MiB, in bytes.
fn mebibytes_var(name: &str, default_mib: usize) -> Result<usize, String> {
    var_or(name, default_mib * MIB, |s| {
        s.parse::<usize>()
            .map(|mb| mb * MIB)
            .map_err(|_| "a whole number of MiB")
    })
}

fn var_or<T, E: Display>(
    name: &str,
    default: T,
    parse: impl FnOnce(String) -> Result<T, E>,
) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => {
            parse(value.trim().to_string()).map_err(|expected| format!("{name} must be {expected}"))
        }
        _ => Ok(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_variable_is_read_within_its_range_or_refused_naming_it() {
        const NAME: &str = "ORDERPATH_CONFIG_TEST_WHOLE_NUMBER";
        let read = |value: Option<&str>| {
            match value {
                Some(value) => std::env::set_var(NAME, value),
                None => std::env::remove_var(NAME),
            }
            whole_number_var(NAME, 10u64, 1..=300, "seconds")
        };
        assert_eq!(read(None), Ok(10));
        assert_eq!(read(Some(" ")), Ok(10));
        assert_eq!(read(Some(" 300 ")), Ok(300));
        let refused = Err(format!(
            "{NAME} must be a whole number of seconds from 1 to 300"
        ));
        for value in ["0", "301", "-1", "1.5", "ten"] {
            assert_eq!(read(Some(value)), refused, "{value}");
        }
    }
}
