//! Wakes dispatchers the moment a delivery is created: a PostgreSQL `LISTEN` on the
//! channel the fan-out trigger notifies. If the connection drops it is made again; the
//! dispatcher's periodic poll covers the gap.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{watch, Notify};
use tokio_postgres::AsyncMessage;

use crate::deliveries::DELIVERY_CHANNEL;

/// Listens until `shutdown` turns true, calling `wake.notify_one()` on every notification.
pub async fn listen_for_deliveries(
    database_url: String,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        match tokio_postgres::connect(&database_url, tokio_postgres::NoTls).await {
            Ok((client, mut connection)) => {
                let wake_on_message = wake.clone();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(AsyncMessage::Notification(_)) => wake_on_message.notify_one(),
                            Ok(_) => {}
                            Err(e) => {
                                log::warn!("webhook listener connection lost: {e}");
                                break;
                            }
                        }
                    }
                });
                if let Err(e) = client
                    .batch_execute(&format!("LISTEN {DELIVERY_CHANNEL}"))
                    .await
                {
                    log::warn!("webhook listener could not LISTEN: {e}");
                }
                // Anything created while we were away is picked up by this wake.
                wake.notify_one();
                tokio::select! {
                    _ = driver => {}
                    _ = shutdown.changed() => return,
                }
                drop(client);
            }
            Err(e) => log::warn!("webhook listener could not connect (polling instead): {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
    }
}
