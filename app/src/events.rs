//! Store events: written to an outbox in the transaction of the change
//! that causes them, published to the bus (Redis pub/sub, or in-process) by
//! a relay, and acted on by background subscribers and the back office's
//! live notifications.

#[cfg(feature = "ssr")]
pub mod bus;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod subscribers;

/// How often the relay looks for events to publish while all is well.
#[cfg(feature = "ssr")]
pub const RELAY_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Starts this process's relay and background subscribers.
#[cfg(feature = "ssr")]
pub fn start(state: &crate::state::AppState) {
    tokio::spawn(outbox::run_relay(state.db.clone(), state.events.clone(), RELAY_EVERY));
    let mail = subscribers::OrderPlacedMail {
        mailer: state.mailer.clone(),
        to: state.config.shop_email.clone(),
        public_url: state.config.public_url.clone(),
    };
    subscribers::spawn(state.db.clone(), &state.events, std::sync::Arc::new(mail));
    let alerts = crate::catalog::stock_alerts::StockAlerts { db: state.db.clone() };
    subscribers::spawn(state.db.clone(), &state.events, std::sync::Arc::new(alerts));
    if let Some(catalog) = &state.catalog {
        let heard = catalog.heard_since_load().unwrap_or_else(|| state.events.subscribe());
        tokio::spawn(crate::catalog::read_model::follow(catalog.clone(), heard));
    }
    tokio::spawn(crate::catalog::search_index::follow(
        state.search.clone(),
        state.db.clone(),
        state.events.subscribe(),
    ));
}
