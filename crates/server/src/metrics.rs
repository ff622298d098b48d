//! Prometheus metrics: requests by route pattern, method and status, and their latency;
//! and webhook delivery, per endpoint (`orderpath_webhooks::metrics`).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

use orderpath_webhooks::metrics::DeliveryMetrics;

use crate::state::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    /// Counted by this process's webhook dispatcher.
    pub webhooks: DeliveryMetrics,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("orderpath_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "orderpath_http_request_duration_seconds",
                "Time from request to response",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route"],
        )
        .expect("valid metric");
        registry
            .register(Box::new(requests.clone()))
            .expect("register");
        registry
            .register(Box::new(latency.clone()))
            .expect("register");
        let webhooks = DeliveryMetrics::new();
        webhooks.register(&registry).expect("register");
        Metrics {
            registry,
            requests,
            latency,
            webhooks,
        }
    }

    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware: counts and times every request under its route *pattern*
/// (`/carts/{cartId}`), so the label set stays small whatever the ids.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    if let Some(state) = state {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        let status = response.status().as_u16().to_string();
        state
            .metrics
            .requests
            .with_label_values(&[&method, &route, &status])
            .inc();
        state
            .metrics
            .latency
            .with_label_values(&[&method, &route])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

/// `GET /metrics`
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
