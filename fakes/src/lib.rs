//! Local stand-ins for the payment providers the store talks to: small
//! Axum apps that speak the documented JSON of Stripe's Checkout Sessions
//! and Refunds ([`stripe`]) and PayPal's OAuth, Orders v2, captures and
//! webhook verification ([`paypal`]), sign webhooks with each provider's
//! scheme, and keep a log of every call so tests can assert what reached
//! "the provider" and how often.
//!
//! Each also serves a hosted page in place of Stripe Checkout or PayPal's
//! approval page: the shopper's click there changes the payment, delivers
//! the signed webhook to the store (when started with one, see
//! [`Delivery`]) and redirects back, as the real page does. The Rust
//! integration tests start them in process; the browser tests run the
//! `payment-fakes` binary beside the store.

pub mod paypal;
pub mod stripe;

mod http;
mod page;

pub use http::broken;

/// Where a fake delivers the webhooks its hosted page causes: the store's
/// origin (`http://127.0.0.1:3100`); events go to `/webhooks/stripe` and
/// `/webhooks/paypal` there, as the provider's dashboard would be set up.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub store: String,
    pub client: reqwest::Client,
}

impl Delivery {
    pub fn to(store: impl Into<String>) -> Self {
        Self { store: store.into().trim_end_matches('/').to_owned(), client: reqwest::Client::new() }
    }

    /// Posts one event; returns the store's status (0 when it did not answer).
    async fn post(&self, provider: &str, body: Vec<u8>, headers: Vec<(&'static str, String)>) -> u16 {
        let mut req = self
            .client
            .post(format!("{}/webhooks/{provider}", self.store))
            .header("content-type", "application/json")
            .timeout(std::time::Duration::from_secs(10))
            .body(body);
        for (name, value) in headers {
            req = req.header(name, value);
        }
        match req.send().await {
            Ok(reply) => reply.status().as_u16(),
            Err(e) => {
                tracing::warn!(error = %e, provider, "webhook delivery failed");
                0
            }
        }
    }
}

/// One webhook a fake delivered, and what the store answered.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Delivered {
    pub event_type: String,
    pub reference: String,
    pub status: u16,
}
