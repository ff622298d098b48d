//! Configuration from the environment. Every variable has a default except `DATABASE_URL`
//! (which `recorded_database` may find instead); a malformed value stops the start with a
//! message naming it.

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
    /// Memory for rendered offers (see `render_cache`); 0 turns the cache off.
    pub render_cache_bytes: usize,
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
            bind: var_or("ORDERPATH_BIND", "127.0.0.1:8080".to_string(), Ok)?,
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
            session_idle: var_or(
                "ORDERPATH_SESSION_IDLE_SECS",
                orderpath_people::DEFAULT_SESSION_IDLE,
                |s| {
                    s.parse::<i64>()
                        .ok()
                        .filter(|n| (60..=30 * 86_400).contains(n))
                        .map(chrono::Duration::seconds)
                        .ok_or("a whole number of seconds from 60 to 2592000")
                },
            )?,
            render_cache_bytes: var_or("ORDERPATH_RENDER_CACHE_MB", 64 * MIB, |s| {
                s.parse::<usize>()
                    .map(|mb| mb * MIB)
                    .map_err(|_| "a whole number of MiB")
            })?,
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
            webhook_timeout: var_or(
                "ORDERPATH_WEBHOOK_TIMEOUT_SECS",
                Duration::from_secs(10),
                |s| {
                    s.parse::<u64>()
                        .ok()
                        .filter(|n| (1..=300).contains(n))
                        .map(Duration::from_secs)
                        .ok_or("a whole number of seconds from 1 to 300")
                },
            )?,
            webhook_secret_overlap: orderpath_webhooks::endpoints::SECRET_OVERLAP,
            cors_origins: match std::env::var("ORDERPATH_CORS_ORIGINS") {
                Ok(list) => crate::cors::parse_origins(&list)
                    .map_err(|e| format!("ORDERPATH_CORS_ORIGINS: {e}"))?,
                Err(_) => Vec::new(),
            },
            event_retention: var_or(
                "ORDERPATH_EVENT_RETENTION_DAYS",
                chrono::Duration::days(90),
                |s| {
                    s.parse::<i64>()
                        .ok()
                        .filter(|n| (1..=36_500).contains(n))
                        .map(chrono::Duration::days)
                        .ok_or("a whole number of days from 1 to 36500")
                },
            )?,
            idempotency_ttl: var_or(
                "ORDERPATH_IDEMPOTENCY_TTL_SECS",
                DEFAULT_IDEMPOTENCY_TTL,
                |s| {
                    s.parse::<i64>()
                        .ok()
                        .filter(|n| (1..=30 * 86_400).contains(n))
                        .map(chrono::Duration::seconds)
                        .ok_or("a whole number of seconds from 1 to 2592000")
                },
            )?,
        })
    }
}

fn var_or<T>(
    name: &str,
    default: T,
    parse: impl FnOnce(String) -> Result<T, &'static str>,
) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => {
            parse(value.trim().to_string()).map_err(|expected| format!("{name} must be {expected}"))
        }
        _ => Ok(default),
    }
}
