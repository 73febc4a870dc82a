//! `payment-fakes`: the Stripe and PayPal fakes as one process, for the
//! browser tests (`end2end/`), beside the store.
//!
//! Settings: `FAKE_STRIPE_ADDR` (default `127.0.0.1:3110`),
//! `FAKE_PAYPAL_ADDR` (`127.0.0.1:3111`), and `FAKE_STORE_URL`, the store
//! the hosted pages deliver their webhooks to (`http://127.0.0.1:3100`).
//! Point the store at them with `STRIPE_API_BASE`/`STRIPE_CHECKOUT_ORIGIN`
//! and `PAYPAL_API_BASE`/`PAYPAL_APPROVAL_ORIGIN`, and the keys in
//! [`payment_fakes::stripe`] and [`payment_fakes::paypal`].

use payment_fakes::Delivery;
use payment_fakes::paypal::FakePayPal;
use payment_fakes::stripe::FakeStripe;

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let store = Delivery::to(setting("FAKE_STORE_URL", "http://127.0.0.1:3100"));
    let stripe = tokio::net::TcpListener::bind(setting("FAKE_STRIPE_ADDR", "127.0.0.1:3110")).await?;
    let paypal = tokio::net::TcpListener::bind(setting("FAKE_PAYPAL_ADDR", "127.0.0.1:3111")).await?;
    let stripe = FakeStripe::serve(stripe, Some(store.clone()));
    let paypal = FakePayPal::serve(paypal, Some(store));
    println!("fake Stripe on {}, fake PayPal on {}", stripe.origin(), paypal.origin());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
