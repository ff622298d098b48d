//! Hears every credential that ends anywhere (sign-out, revocation, deactivation, new
//! password) and drops it from this instance's cache; while it cannot hear, the cache is
//! not trusted at all (see [`super::CredentialCache`]).

use actix_web::web;
use orderpath_db::listen::{listen, Heard};
use orderpath_people::{EndedCredential, CREDENTIALS_CHANNEL};
use tokio::sync::watch;

use crate::state::AppState;

/// Runs until `shutdown` turns true.
pub async fn listen_for_ended_credentials(
    state: web::Data<AppState>,
    shutdown: watch::Receiver<bool>,
) {
    let url = state.config.database_url.clone();
    let on = move |heard: Heard| match heard {
        Heard::Listening => state.credentials.set_listening(true),
        Heard::Deaf => state.credentials.set_listening(false),
        Heard::Notification(payload) => match EndedCredential::parse(&payload) {
            Some(ended) => state.credentials.end(ended),
            // Not ours to read: start over rather than guess.
            None => state.credentials.set_listening(true),
        },
    };
    listen(url, CREDENTIALS_CHANNEL, on, shutdown).await;
}
