//! Webhooks (`docs/webhooks.md`): endpoints, durable at-least-once delivery and the
//! delivery log.
//!
//! * The pure building blocks: Standard Webhooks signatures ([`signing`]), the check that a
//!   URL is safe to call ([`url_safety`]), the retry schedule ([`schedule`]) and the
//!   delivered body and headers ([`payload`]).
//! * The store: endpoints ([`endpoints`]) and deliveries ([`deliveries`]). A trigger fans
//!   every recorded event out to the active endpoints of its type in the event's own
//!   transaction, so an event that commits always has its deliveries.
//! * The worker: [`dispatcher`] claims due deliveries with `FOR UPDATE SKIP LOCKED` under a
//!   lease, sends them with [`sender`] (public addresses only, checked when connecting),
//!   records every attempt and reschedules failures; [`listen`] wakes it on `NOTIFY`;
//!   [`metrics`] counts what it does per endpoint.
//! * [`retention`] deletes old events with their deliveries, never a pending one.

pub mod deliveries;
pub mod dispatcher;
pub mod endpoints;
pub mod listen;
pub mod metrics;
pub mod payload;
pub mod retention;
pub mod schedule;
pub mod sender;
pub mod signing;
pub mod url_safety;

pub use payload::WebhookMessage;
pub use schedule::{RetrySchedule, ScheduleError};
pub use signing::{sign, verify, SecretError, SigningSecret, VerifyError};
pub use url_safety::{is_public_ip, parse_webhook_url, resolve_and_check, UrlError};
