//! What delivery looks like from outside (`GET /metrics`, see `docs/webhooks.md`): pending
//! deliveries, attempts by outcome and the time from an event to its delivery, per
//! endpoint. The `endpoint` label is the endpoint's id, so there are as many series as
//! endpoints.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry};
use uuid::Uuid;

use crate::sender::{FailureKind, Outcome};

/// Seconds from an event to its successful delivery: from a fast first attempt (well
/// under a second) to the end of the retry schedule (days).
const LATENCY_BUCKETS: [f64; 19] = [
    0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0,
    21600.0, 43200.0, 86400.0, 259200.0,
];

/// The delivery metrics of one process. Clones share the same series.
#[derive(Clone)]
pub struct DeliveryMetrics {
    pending: IntGaugeVec,
    attempts: IntCounterVec,
    latency: HistogramVec,
}

impl DeliveryMetrics {
    pub fn new() -> Self {
        let pending = IntGaugeVec::new(
            Opts::new(
                "orderpath_webhook_deliveries_pending",
                "Deliveries waiting for a (first or further) attempt, from the database",
            ),
            &["endpoint"],
        )
        .expect("valid metric");
        let attempts = IntCounterVec::new(
            Opts::new(
                "orderpath_webhook_attempts_total",
                "Delivery attempts made by this process, by outcome",
            ),
            &["endpoint", "outcome"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "orderpath_webhook_delivery_latency_seconds",
                "Time from an event to the attempt that delivered it",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["endpoint"],
        )
        .expect("valid metric");
        DeliveryMetrics {
            pending,
            attempts,
            latency,
        }
    }

    /// Adds the series to `registry`.
    pub fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.pending.clone()))?;
        registry.register(Box::new(self.attempts.clone()))?;
        registry.register(Box::new(self.latency.clone()))
    }

    /// Counts one attempt to `endpoint`; a success also records how long after the event
    /// (`occurred_at`) it came.
    pub fn attempted(&self, endpoint: Uuid, outcome: &Outcome, occurred_at: DateTime<Utc>) {
        let endpoint = endpoint.to_string();
        self.attempts
            .with_label_values(&[endpoint.as_str(), outcome_label(outcome)])
            .inc();
        if outcome.delivered {
            let seconds = (Utc::now() - occurred_at).num_milliseconds().max(0) as f64 / 1000.0;
            self.latency
                .with_label_values(&[endpoint.as_str()])
                .observe(seconds);
        }
    }

    /// Sets the pending count of every endpoint in `counts`, and removes the series of
    /// endpoints no longer listed (deleted ones).
    pub fn set_pending(&self, counts: &[(Uuid, i64)]) {
        let listed: HashSet<String> = counts.iter().map(|(id, _)| id.to_string()).collect();
        for (id, count) in counts {
            self.pending
                .with_label_values(&[id.to_string().as_str()])
                .set(*count);
        }
        let gone: Vec<String> = prometheus::core::Collector::collect(&self.pending)
            .iter()
            .flat_map(|family| family.get_metric())
            .filter_map(|metric| {
                let label = metric.get_label().iter().find(|l| l.name() == "endpoint")?;
                (!listed.contains(label.value())).then(|| label.value().to_string())
            })
            .collect();
        for id in gone {
            let _ = self.pending.remove_label_values(&[id.as_str()]);
        }
    }
}

impl Default for DeliveryMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for DeliveryMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeliveryMetrics")
    }
}

/// The `outcome` label: `succeeded`, `http_3xx`/`http_4xx`/`http_5xx` (any other answer),
/// `timeout`, `connection_refused`, `connect_failed` or `error`.
pub fn outcome_label(outcome: &Outcome) -> &'static str {
    if outcome.delivered {
        return "succeeded";
    }
    match (outcome.status_code, outcome.failure) {
        (Some(code), _) => match code / 100 {
            1 => "http_1xx",
            2 => "http_2xx",
            3 => "http_3xx",
            4 => "http_4xx",
            _ => "http_5xx",
        },
        (None, Some(FailureKind::Timeout)) => "timeout",
        (None, Some(FailureKind::ConnectionRefused)) => "connection_refused",
        (None, Some(FailureKind::Connect)) => "connect_failed",
        (None, Some(FailureKind::Other) | None) => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status_code: Option<u16>, failure: Option<FailureKind>) -> Outcome {
        Outcome {
            delivered: status_code.is_some_and(|c| (200..300).contains(&c)),
            status_code,
            duration_ms: 3,
            response_body: None,
            error: failure.map(|_| "failed".to_string()),
            failure,
        }
    }

    #[test]
    fn outcomes_are_labelled_by_class() {
        use FailureKind::*;
        for (status, failure, label) in [
            (Some(204), None, "succeeded"),
            (Some(302), None, "http_3xx"),
            (Some(401), None, "http_4xx"),
            (Some(503), None, "http_5xx"),
            (None, Some(Timeout), "timeout"),
            (None, Some(ConnectionRefused), "connection_refused"),
            (None, Some(Connect), "connect_failed"),
            (None, Some(Other), "error"),
        ] {
            assert_eq!(outcome_label(&outcome(status, failure)), label);
        }
    }

    fn render(registry: &Registry) -> String {
        let mut out = Vec::new();
        prometheus::Encoder::encode(
            &prometheus::TextEncoder::new(),
            &registry.gather(),
            &mut out,
        )
        .expect("encode");
        String::from_utf8(out).expect("utf-8")
    }

    /// Asserts that the rendered `text` holds every one of `lines`.
    fn assert_lines(text: &str, lines: &[String]) {
        for line in lines {
            assert!(text.contains(line), "{line} missing from {text}");
        }
    }

    #[test]
    fn pending_counts_follow_the_endpoints_listed() {
        let registry = Registry::new();
        let metrics = DeliveryMetrics::new();
        metrics.register(&registry).expect("register");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        metrics.set_pending(&[(a, 3), (b, 0)]);
        assert_lines(
            &render(&registry),
            &[
                format!("orderpath_webhook_deliveries_pending{{endpoint=\"{a}\"}} 3"),
                format!("orderpath_webhook_deliveries_pending{{endpoint=\"{b}\"}} 0"),
            ],
        );
        metrics.set_pending(&[(a, 1)]);
        let text = render(&registry);
        assert!(text.contains(&format!("{{endpoint=\"{a}\"}} 1")), "{text}");
        assert!(
            !text.contains(&b.to_string()),
            "a deleted endpoint's series goes: {text}"
        );
    }

    #[test]
    fn a_success_records_its_latency() {
        let registry = Registry::new();
        let metrics = DeliveryMetrics::new();
        metrics.register(&registry).expect("register");
        let endpoint = Uuid::new_v4();
        let event_at = Utc::now() - chrono::Duration::seconds(20);
        metrics.attempted(endpoint, &outcome(Some(500), None), event_at);
        metrics.attempted(endpoint, &outcome(Some(200), None), event_at);
        let text = render(&registry);
        let series = |name: &str| format!("{name}{{endpoint=\"{endpoint}\"");
        let attempts = series("orderpath_webhook_attempts_total");
        let latency_count = series("orderpath_webhook_delivery_latency_seconds_count");
        let latency_bucket = series("orderpath_webhook_delivery_latency_seconds_bucket");
        assert_lines(
            &text,
            &[
                format!("{attempts},outcome=\"http_5xx\"}} 1"),
                format!("{attempts},outcome=\"succeeded\"}} 1"),
                format!("{latency_count}}} 1"),
                format!("{latency_bucket},le=\"10\"}} 0"),
                format!("{latency_bucket},le=\"30\"}} 1"),
            ],
        );
    }
}
