//! PostgreSQL `LISTEN` on one channel, kept up for as long as the service runs: when the
//! connection drops it is made again. Whoever listens is told when it starts hearing and
//! when it may have missed something, so that it can fall back (poll, or stop trusting a
//! cache) for the gap.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::watch;
use tokio_postgres::AsyncMessage;

/// What a listener hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// `LISTEN` is in place: every notification from now on arrives.
    Listening,
    /// A notification, with its payload.
    Notification(String),
    /// The connection is gone (or could not be made): notifications may be missed until
    /// the next [`Heard::Listening`].
    Deaf,
}

/// How long to wait before connecting again after a failure.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Listens on `channel` until `shutdown` turns true, telling `on` everything it hears.
pub async fn listen(
    database_url: String,
    channel: &'static str,
    mut on: impl FnMut(Heard) + Send + 'static,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        match tokio_postgres::connect(&database_url, tokio_postgres::NoTls).await {
            Ok((client, mut connection)) => {
                let (heard_tx, mut heard) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(message) = messages.next().await {
                        match message {
                            Ok(AsyncMessage::Notification(n)) => {
                                let _ = heard_tx.send(n.payload().to_string());
                            }
                            Ok(_) => {}
                            Err(e) => {
                                log::warn!("listener on {channel}: connection lost: {e}");
                                break;
                            }
                        }
                    }
                });
                match client.batch_execute(&format!("LISTEN {channel}")).await {
                    Ok(()) => {
                        on(Heard::Listening);
                        loop {
                            tokio::select! {
                                payload = heard.recv() => match payload {
                                    Some(payload) => on(Heard::Notification(payload)),
                                    None => break,
                                },
                                _ = shutdown.changed() => {
                                    driver.abort();
                                    return;
                                }
                            }
                        }
                    }
                    Err(e) => log::warn!("listener on {channel}: could not LISTEN: {e}"),
                }
                driver.abort();
                drop(client);
            }
            Err(e) => log::warn!("listener on {channel}: could not connect: {e}"),
        }
        on(Heard::Deaf);
        tokio::select! {
            _ = tokio::time::sleep(RECONNECT_DELAY) => {}
            _ = shutdown.changed() => return,
        }
    }
}
