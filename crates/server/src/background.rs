//! Work the server does on its own, besides answering requests.

use std::time::Duration;

use actix_web::web;

use crate::state::AppState;

/// How often offers whose `validUntil` passed are written down as expired.
const EXPIRY_SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// Writes down offer expiries periodically, so the ERP change feed reports them (reads
/// show an overdue offer as expired at once either way).
pub async fn sweep_offer_expiry(state: web::Data<AppState>) {
    let mut interval = actix_web::rt::time::interval(EXPIRY_SWEEP_INTERVAL);
    loop {
        interval.tick().await;
        let now = state.clock.now();
        let swept = orderpath_db::write(&state.pool, move |conn| {
            orderpath_offers::expire_offers(conn, now)
        })
        .await;
        match swept {
            Ok(0) => {}
            Ok(n) => log::info!("{n} offer(s) expired"),
            Err(e) => log::warn!("offer expiry sweep failed: {e}"),
        }
    }
}
