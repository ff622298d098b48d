use std::sync::Arc;

use orderpath_carts::{Cart, NewCart};
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
}

/// Threads creating carts, and the most carts one statement creates. One writer would
/// create as many carts a second, gathering larger batches while it waits on each commit;
/// two keep carts coming when one batch is held up, waiting for a pooled connection
/// (docs/benchmarks.md, Cart creation written in batches).
const CART_WRITERS: usize = 2;
const CARTS_PER_STATEMENT: usize = 64;

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
        AppState {
            new_carts,
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
