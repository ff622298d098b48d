use std::sync::Arc;

use orderpath_carts::{Cart, KeptAdd, NewCart};
use orderpath_core::clock::Clock;
use orderpath_db::{Batcher, PgPool};

use crate::auth::CredentialCache;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::render_cache::RenderCache;
use orderpath_webhooks::sender::Sender;

/// What every handler shares.
pub struct AppState {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    pub metrics: Metrics,
    /// Credentials seen recently; see `auth::cache`.
    pub credentials: CredentialCache,
    /// Renderings of offers, carts and orders; see `render_cache`.
    pub renders: RenderCache,
    /// Sends test webhooks (deliveries have the dispatcher's own).
    pub webhook_sender: Sender,
    /// Carts asked for at the same time, created together (`POST /carts`).
    pub new_carts: Batcher<NewCart, Option<Cart>>,
    /// Adds of new lines computed from the carts and products this process keeps, sent
    /// together (`POST /carts/{id}/products`).
    pub kept_adds: Batcher<KeptAdd, Option<Cart>>,
}

/// One writer thread for each kind, and the most changes one statement writes. One
/// writer gathers all that arrive while it waits on a commit into its next statement: for
/// adds it served 20-25 % more a second than two, whose batches are smaller
/// (docs/benchmarks.md, Adds written in batches). The cost: a statement that waits (on a
/// cart's lock another change holds) holds the batches behind it for that time.
const CART_WRITERS: usize = 1;
const CARTS_PER_STATEMENT: usize = 64;
const ADD_WRITERS: usize = 1;
const ADDS_PER_STATEMENT: usize = 64;

impl AppState {
    pub fn new(pool: PgPool, clock: Arc<dyn Clock>, config: Config) -> Self {
        orderpath_carts::set_recent_carts_budget(config.recent_carts_bytes);
        let new_carts = Batcher::start(
            "new-carts",
            pool.clone(),
            CART_WRITERS,
            CARTS_PER_STATEMENT,
            orderpath_carts::create_carts,
        );
        let kept_adds = Batcher::start(
            "kept-adds",
            pool.clone(),
            ADD_WRITERS,
            ADDS_PER_STATEMENT,
            orderpath_carts::write_kept_adds,
        );
        AppState {
            new_carts,
            kept_adds,
            pool,
            clock,
            metrics: Metrics::new(),
            credentials: CredentialCache::new(),
            renders: RenderCache::new(config.render_cache_bytes),
            webhook_sender: Sender::new(config.webhook_timeout, config.webhook_allow_private)
                .expect("the HTTP client for webhooks"),
            config,
        }
    }

    pub fn client_inactivity(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.client_inactivity).unwrap_or(chrono::Duration::MAX)
    }
}
