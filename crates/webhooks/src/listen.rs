//! Wakes dispatchers the moment a delivery is created: a `LISTEN` on the channel the
//! fan-out trigger notifies. While the connection is down the dispatcher's periodic poll
//! covers the gap.

use std::sync::Arc;

use orderpath_db::listen::{listen, Heard};
use tokio::sync::{watch, Notify};

use crate::deliveries::DELIVERY_CHANNEL;

/// Listens until `shutdown` turns true, calling `wake.notify_one()` on every notification,
/// and each time listening (re)starts, so that anything created while nobody listened is
/// picked up at once.
pub async fn listen_for_deliveries(
    database_url: String,
    wake: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
) {
    let on = move |heard: Heard| match heard {
        Heard::Listening | Heard::Notification(_) => wake.notify_one(),
        Heard::Deaf => {}
    };
    listen(database_url, DELIVERY_CHANNEL, on, shutdown).await;
}
