//! The payment strategy (ssr only): every provider is one
//! [`PaymentProvider`], chosen by configuration and kept in
//! [`Payments`] on the `AppState`.
//!
//! The shape follows the hosted flows of Stripe Checkout and PayPal Orders
//! v2: the store creates a hosted payment for an order (with an idempotency
//! key, so a retried call makes one payment), sends the shopper to the
//! provider's page, and learns the outcome from a signed webhook; the
//! return page and the sweeper can ask the provider for the current status,
//! and a paid payment can be refunded (nothing calls that yet: cancelling
//! paid orders is the orders issue). Providers: [`stub`] (development),
//! [`stripe`], [`paypal`].

pub mod paypal;
pub mod signature;
pub mod stripe;
pub mod stub;

use std::sync::Arc;

use crate::money::Money;

/// What the store asks a provider to collect for one order.
#[derive(Clone, Debug)]
pub struct PaymentRequest {
    /// Sent as the provider's idempotency key (`Idempotency-Key`,
    /// `PayPal-Request-Id`): the same order never gets two payments.
    pub idempotency_key: String,
    /// The order number (Stripe `client_reference_id`, PayPal `custom_id`).
    pub order_number: String,
    /// The total to collect: the sum of `lines`, always.
    pub amount: Money,
    /// What the total is made of, from the order's snapshot (products, then
    /// shipping), so a hosted page can show it line by line. Amounts come
    /// from the server's snapshot only, never from the shopper's request.
    pub lines: Vec<PaymentLine>,
    pub description: String,
    pub email: String,
    /// Where the provider sends the shopper back after paying, and after
    /// giving up. Both only show status: they never fulfil by themselves.
    pub success_url: String,
    pub cancel_url: String,
    /// Unix seconds: the provider should expire the payment with the hold.
    pub expires_at: i64,
}

/// One line of what a payment is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentLine {
    pub kind: LineKind,
    pub name: String,
    pub unit_amount: Money,
    pub quantity: u32,
}

/// What a [`PaymentLine`] is for (PayPal itemises products and shows
/// shipping in the amount's breakdown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Product,
    Shipping,
}

impl PaymentRequest {
    /// Whether `lines` add up to `amount`, in its currency (providers that
    /// itemise refuse a request that does not).
    pub fn lines_add_up(&self) -> bool {
        let lines: Option<Vec<Money>> = self.lines.iter().map(|l| l.unit_amount.times(l.quantity)).collect();
        lines.and_then(|lines| Money::sum(self.amount.currency(), lines)) == Some(self.amount)
    }
}

/// A hosted payment the shopper is sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostedPayment {
    /// The provider's id of it (a Checkout Session id, a PayPal order id).
    pub reference: String,
    pub redirect_url: String,
}

/// What a verified provider event says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Money was collected: this much, in this currency.
    Paid { amount: Money },
    /// Money was collected in a currency the store does not price in
    /// (`said`: what the provider reported): held for review, never paid.
    PaidForeign { said: String },
    /// The attempt failed (card declined…); the shopper may try again.
    Failed { reason: String },
    /// The hosted payment expired unpaid.
    Expired,
    /// Something the store does not act on.
    Other,
}

/// A provider event whose signature checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderEvent {
    /// The provider's unique id of the event (the inbox key).
    pub id: String,
    /// The provider's name of the event type, for the inbox.
    pub kind: String,
    /// The hosted payment it is about.
    pub reference: String,
    /// The order number the store gave the provider, when it says.
    pub order_number: Option<String>,
    pub outcome: PaymentOutcome,
}

/// The provider's current view of a hosted payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentStatus {
    Open,
    Paid {
        amount: Money,
    },
    /// Paid in a currency the store does not price in (see [`PaymentOutcome::PaidForeign`]).
    PaidForeign {
        said: String,
    },
    Failed,
    Expired,
}

/// A refund the provider accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    /// The provider's id of it (`re_…`, a PayPal refund id).
    pub id: String,
    pub status: RefundStatus,
}

/// Where a refund stands at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundStatus {
    Succeeded,
    /// Accepted, still under way (the money has not moved yet).
    Pending,
    Failed,
}

/// Refuses refunding `amount` of a payment of `paid` of which `refunded`
/// (minor units) is refunded already: another currency, nothing, or more
/// than is left. Every provider checks this before asking its API.
pub fn check_refund(amount: Money, paid: Money, refunded: i64) -> Result<(), PaymentError> {
    let left = paid.minor().saturating_sub(refunded);
    if amount.currency() != paid.currency() || amount.minor() <= 0 || amount.minor() > left {
        return Err(PaymentError::Refused(format!("cannot refund {amount} of {paid} ({refunded} refunded already)")));
    }
    Ok(())
}

/// Why a webhook was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error("no signature header")]
    MissingSignature,
    #[error("signature does not match")]
    BadSignature,
    #[error("timestamp outside the tolerance")]
    Stale,
    #[error("malformed event: {0}")]
    Malformed(String),
    /// The provider could not be asked to verify (PayPal): fail closed, retry later.
    #[error("verification unavailable: {0}")]
    Unavailable(String),
}

/// Why a call to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("payment provider unreachable: {0}")]
    Unreachable(String),
    #[error("payment provider refused: {0}")]
    Refused(String),
    #[error("unknown payment {0}")]
    UnknownPayment(String),
}

/// One payment provider. Adding a provider means implementing this and
/// registering it in [`Payments::from_config`]; nothing else changes.
#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync + std::fmt::Debug {
    /// Stable id, stored with every order ("stub", "stripe", "paypal").
    fn id(&self) -> &'static str;
    /// What the shopper picks at checkout.
    fn label(&self) -> &'static str;
    /// Creates (or, for the same idempotency key, finds again) the hosted payment.
    async fn create_payment(&self, request: &PaymentRequest) -> Result<HostedPayment, PaymentError>;
    /// Verifies a webhook from its raw body and headers, at `now` (Unix seconds).
    async fn verify_webhook(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<ProviderEvent, WebhookError>;
    /// Asks the provider where a hosted payment stands now.
    async fn fetch_payment(&self, reference: &str) -> Result<PaymentStatus, PaymentError>;
    /// The hosted page of `reference` while the shopper can still pay
    /// there (an open Stripe Checkout Session, where a declined card may be
    /// followed by another), so paying again goes back to it: creating it
    /// again later would send other parameters (a later expiry) under the
    /// same idempotency key, which Stripe refuses. `None`: make a new one.
    async fn resume(&self, reference: &str) -> Result<Option<String>, PaymentError> {
        let _ = reference;
        Ok(None)
    }
    /// Refunds `amount` of the paid payment `reference`. The same
    /// `idempotency_key` refunds once: a retried call gets the refund it made.
    /// A payment that is not paid, or an amount above what is left of it, is
    /// [`PaymentError::Refused`].
    async fn refund(&self, reference: &str, amount: Money, idempotency_key: &str) -> Result<Refund, PaymentError>;
    /// The origin (`https://host[:port]`) of the provider's hosted pages
    /// when they are on another site, so a checkout without JavaScript may
    /// be redirected there (`server::form_errors` lets nothing else leave
    /// the site). `None` for a page on this site, as the stub's is.
    fn hosted_origin(&self) -> Option<String> {
        None
    }
}

/// The providers this store runs with, in the order checkout offers them
/// (the first is chosen unless the shopper picks another).
#[derive(Clone, Debug, Default)]
pub struct Payments {
    providers: Vec<Arc<dyn PaymentProvider>>,
    /// The development stub, when enabled (its hosted page needs it by type).
    stub: Option<Arc<stub::StubProvider>>,
}

impl Payments {
    /// The providers `config` enables: the stub outside production mode
    /// (first, so development never sends anyone to a real provider by
    /// default), then Stripe, then PayPal when `PAYMENT_PROVIDERS` lists
    /// them (their settings already checked).
    pub fn from_config(config: &crate::config::Config, secret: &[u8]) -> Result<Self, crate::error::ServerError> {
        let mut payments = Self::default();
        if config.stub_payments() {
            payments.add_stub(Arc::new(stub::StubProvider::new(secret.to_vec(), config.public_url.clone())));
        }
        if let Some(stripe) = &config.stripe {
            let provider = stripe::StripeProvider::new(stripe).map_err(crate::error::ServerError::Config)?;
            payments.add(Arc::new(provider));
        }
        if let Some(paypal) = &config.paypal {
            let provider = paypal::PayPalProvider::new(paypal).map_err(crate::error::ServerError::Config)?;
            payments.add(Arc::new(provider));
        }
        Ok(payments)
    }

    pub fn add_stub(&mut self, stub: Arc<stub::StubProvider>) {
        self.add(stub.clone());
        self.stub = Some(stub);
    }

    /// Adds `provider` after the others, replacing one with the same id.
    pub fn add(&mut self, provider: Arc<dyn PaymentProvider>) {
        self.providers.retain(|p| p.id() != provider.id());
        self.providers.push(provider);
    }

    pub fn get(&self, id: &str) -> Option<&Arc<dyn PaymentProvider>> {
        self.providers.iter().find(|p| p.id() == id)
    }

    /// The development stub, when it is enabled.
    pub fn stub(&self) -> Option<&Arc<stub::StubProvider>> {
        self.stub.as_ref()
    }

    /// Where the enabled providers' hosted pages live (for the pages'
    /// `form-action`: a checkout posted without JavaScript is redirected there).
    pub fn hosted_origins(&self) -> Vec<String> {
        self.providers.iter().filter_map(|p| p.hosted_origin()).collect()
    }

    /// Whether `origin` is where an enabled provider's hosted pages live.
    pub fn is_hosted_origin(&self, origin: &str) -> bool {
        self.providers.iter().filter_map(|p| p.hosted_origin()).any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// `(id, label)` of every enabled provider, in order, for the checkout form.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.providers.iter().map(|p| (p.id().to_owned(), p.label().to_owned())).collect()
    }
}
