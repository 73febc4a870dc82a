//! The development payment provider: a hosted-looking page on this server
//! (`/pay/stub/{reference}`, served by `server::stub_pay`) with Pay, Fail
//! and Cancel. Pay and Fail send the store a webhook signed exactly as
//! Stripe signs its own ([`super::signature`]), through the same handler
//! code as any provider's webhook. Off in production mode (the page is a 404).
//!
//! It keeps its payments in memory, as a provider keeps them on its side:
//! one process, development only.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{
    HostedPayment, PaymentError, PaymentOutcome, PaymentProvider, PaymentRequest, PaymentStatus, ProviderEvent,
    WebhookError,
};
use crate::money::{Currency, Money};

/// Header that carries the stub's signature (`t=…,v1=…`).
pub const SIGNATURE_HEADER: &str = "stub-signature";

/// One hosted payment as the stub keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StubPayment {
    pub reference: String,
    pub order_number: String,
    pub amount: Money,
    pub description: String,
    pub success_url: String,
    pub cancel_url: String,
    pub expires_at: i64,
    pub status: PaymentStatus,
}

/// The webhook body the stub sends.
#[derive(Debug, Serialize, Deserialize)]
pub struct StubEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created: i64,
    pub data: StubEventData,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct StubEventData {
    pub payment: String,
    pub order: String,
    pub amount: i64,
    pub currency: String,
}

/// What the shopper did on the stub's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StubAction {
    Pay,
    Fail,
    /// The hosted payment ran out of time (as the sweeper or a test says).
    Expire,
}

#[derive(Debug, Default)]
struct Book {
    payments: HashMap<String, StubPayment>,
    by_key: HashMap<String, String>,
    /// Refunds by idempotency key, and how much of each payment they took.
    refunds: HashMap<String, super::Refund>,
    refunded: HashMap<String, i64>,
}

#[derive(Debug)]
pub struct StubProvider {
    secret: Vec<u8>,
    public_url: String,
    book: Mutex<Book>,
}

fn random_id(prefix: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}_{hex}")
}

impl StubProvider {
    pub fn new(secret: Vec<u8>, public_url: String) -> Self {
        Self { secret, public_url, book: Mutex::default() }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        // A panic elsewhere while holding it leaves plain data behind.
        self.book.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The payment behind `reference`, for its hosted page.
    pub fn payment(&self, reference: &str) -> Option<StubPayment> {
        self.book().payments.get(reference).cloned()
    }

    /// Records what the shopper did and returns the signed webhook (body,
    /// signature header) the stub sends for it. `None` when the payment is
    /// unknown or already settled (a second Pay sends nothing new).
    pub fn act(&self, reference: &str, action: StubAction, now: i64) -> Option<(Vec<u8>, String)> {
        let mut book = self.book();
        let payment = book.payments.get_mut(reference)?;
        if matches!(payment.status, PaymentStatus::Paid { .. } | PaymentStatus::Expired) {
            return None;
        }
        let kind = match action {
            StubAction::Pay => {
                payment.status = PaymentStatus::Paid { amount: payment.amount };
                "payment.succeeded"
            }
            StubAction::Fail => {
                payment.status = PaymentStatus::Failed;
                "payment.failed"
            }
            StubAction::Expire => {
                payment.status = PaymentStatus::Expired;
                "payment.expired"
            }
        };
        let event = StubEvent {
            id: random_id("evt"),
            kind: kind.into(),
            created: now,
            data: StubEventData {
                payment: payment.reference.clone(),
                order: payment.order_number.clone(),
                amount: payment.amount.minor(),
                currency: payment.amount.currency().code().into(),
            },
        };
        drop(book);
        let body = serde_json::to_vec(&event).ok()?;
        let header = self.sign(&body, now);
        Some((body, header))
    }

    /// Signs `body` at `now` with the stub's webhook secret.
    pub fn sign(&self, body: &[u8], now: i64) -> String {
        super::signature::sign(&self.secret, now, body)
    }
}

#[async_trait::async_trait]
impl PaymentProvider for StubProvider {
    fn id(&self) -> &'static str {
        "stub"
    }

    fn label(&self) -> &'static str {
        "Test payment (development stub: no money moves)"
    }

    async fn create_payment(&self, request: &PaymentRequest) -> Result<HostedPayment, PaymentError> {
        let mut book = self.book();
        let reference = match book.by_key.get(&request.idempotency_key) {
            Some(existing) => existing.clone(),
            None => {
                let reference = random_id("stubpay");
                book.by_key.insert(request.idempotency_key.clone(), reference.clone());
                book.payments.insert(
                    reference.clone(),
                    StubPayment {
                        reference: reference.clone(),
                        order_number: request.order_number.clone(),
                        amount: request.amount,
                        description: request.description.clone(),
                        success_url: request.success_url.clone(),
                        cancel_url: request.cancel_url.clone(),
                        expires_at: request.expires_at,
                        status: PaymentStatus::Open,
                    },
                );
                reference
            }
        };
        Ok(HostedPayment { redirect_url: format!("{}/pay/stub/{reference}", self.public_url), reference })
    }

    async fn verify_webhook(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<ProviderEvent, WebhookError> {
        let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
        super::signature::verify(&self.secret, header, body, now)?;
        let event: StubEvent = serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        let outcome = match event.kind.as_str() {
            "payment.succeeded" => {
                let currency = Currency::parse(&event.data.currency)
                    .ok_or_else(|| WebhookError::Malformed(format!("currency {}", event.data.currency)))?;
                PaymentOutcome::Paid { amount: Money::new(event.data.amount, currency) }
            }
            "payment.failed" => PaymentOutcome::Failed { reason: "the test payment was declined".into() },
            "payment.expired" => PaymentOutcome::Expired,
            _ => PaymentOutcome::Other,
        };
        Ok(ProviderEvent {
            id: event.id,
            kind: event.kind,
            reference: event.data.payment,
            order_number: Some(event.data.order),
            outcome,
        })
    }

    async fn fetch_payment(&self, reference: &str) -> Result<PaymentStatus, PaymentError> {
        self.payment(reference).map(|p| p.status).ok_or_else(|| PaymentError::UnknownPayment(reference.to_owned()))
    }

    async fn refund(
        &self,
        reference: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<super::Refund, PaymentError> {
        let mut book = self.book();
        if let Some(done) = book.refunds.get(idempotency_key) {
            return Ok(done.clone());
        }
        let payment = book.payments.get(reference).ok_or_else(|| PaymentError::UnknownPayment(reference.to_owned()))?;
        let PaymentStatus::Paid { amount: paid } = payment.status else {
            return Err(PaymentError::Refused("the payment is not paid".into()));
        };
        let before = book.refunded.get(reference).copied().unwrap_or(0);
        super::check_refund(amount, paid, before)?;
        let refund = super::Refund { id: random_id("re_stub"), status: super::RefundStatus::Succeeded };
        book.refunded.insert(reference.to_owned(), before + amount.minor());
        book.refunds.insert(idempotency_key.to_owned(), refund.clone());
        Ok(refund)
    }
}
