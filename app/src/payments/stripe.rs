//! Stripe Checkout (ssr only), through async-stripe's 1.0 line.
//!
//! - **Paying**: a Checkout Session in `payment` mode whose line items are
//!   the order's snapshot (`price_data` with the server's unit amounts and
//!   currency, shipping as its own line), the order number as
//!   `client_reference_id` and in `metadata`, the shopper's e-mail, and an
//!   `expires_at` at the end of the stock hold. Stripe only accepts an expiry
//!   from 30 minutes to 24 hours after creation, so a shorter hold (15
//!   minutes by default) is sent as 31 minutes: the store's sweeper cancels
//!   the order when the hold ends, and a payment that still arrives is a
//!   late payment (stock taken again if it is there, else held for a refund).
//!   The order number is the `Idempotency-Key`, and a request that failed
//!   in transit (a dropped connection, a timeout) is sent again with the
//!   same key, so Stripe answers it with the session it already made.
//! - **Webhooks**: `checkout.session.completed`,
//!   `checkout.session.async_payment_succeeded`,
//!   `checkout.session.async_payment_failed` and `checkout.session.expired`,
//!   verified from the raw body and `Stripe-Signature` (HMAC-SHA256 over
//!   `"{t}.{body}"`, 300 s tolerance, the caller's clock: [`super::signature`]).
//!   The event is only a hint: the session is fetched again from the API and
//!   its state decides (paid with this amount and currency, expired, or
//!   nothing yet), so a forged or replayed event body cannot say more than
//!   Stripe does. If Stripe cannot be asked, the webhook answers 503 and
//!   Stripe delivers it again later.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest as _};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ProductData, RetrieveCheckoutSession,
};
use stripe_checkout::{CheckoutSession, CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus};

use super::{
    HostedPayment, PaymentError, PaymentOutcome, PaymentProvider, PaymentRequest, PaymentStatus, ProviderEvent, Refund,
    RefundStatus, WebhookError,
};
use crate::money::{Currency, Money};

/// Header that carries Stripe's webhook signature.
pub const SIGNATURE_HEADER: &str = "stripe-signature";

/// Stripe's bounds for a Checkout Session's `expires_at`, after creation.
const MIN_EXPIRY_SECS: i64 = 30 * 60;
const MAX_EXPIRY_SECS: i64 = 24 * 60 * 60;

/// How often a request that failed in transit is sent (same idempotency key).
const ATTEMPTS: u32 = 3;

/// Where the store reaches Stripe, and with which secrets.
#[derive(Clone)]
pub struct StripeConfig {
    /// `STRIPE_SECRET_KEY` (`sk_live_…`, `sk_test_…` or a restricted `rk_…`).
    pub secret_key: SecretString,
    /// `STRIPE_WEBHOOK_SECRET` (`whsec_…`), the endpoint's signing secret.
    pub webhook_secret: SecretString,
    /// `STRIPE_API_BASE`, ending in `/` (default `https://api.stripe.com/`).
    pub api_base: String,
    /// `STRIPE_CHECKOUT_ORIGIN`, where hosted Checkout pages live (default
    /// `https://checkout.stripe.com`): the one other site a checkout
    /// without JavaScript may be redirected to.
    pub checkout_origin: String,
    /// Per-attempt time limit of an API call.
    pub timeout: Duration,
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("checkout_origin", &self.checkout_origin)
            .finish_non_exhaustive()
    }
}

pub struct StripeProvider {
    client: stripe::Client,
    webhook_secret: SecretString,
    checkout_origin: String,
}

impl std::fmt::Debug for StripeProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeProvider").field("checkout_origin", &self.checkout_origin).finish_non_exhaustive()
    }
}

/// `POST /v1/refunds` for a PaymentIntent (async-stripe's refund request
/// lives in another resource crate; this one request is all the store needs).
#[derive(serde::Serialize)]
struct CreateRefund {
    payment_intent: String,
    amount: i64,
    metadata: std::collections::HashMap<String, String>,
}

impl stripe::StripeRequest for CreateRefund {
    type Output = stripe_shared::Refund;

    fn build(&self) -> stripe_client_core::RequestBuilder {
        stripe_client_core::RequestBuilder::new(stripe_client_core::StripeMethod::Post, "/refunds").form(self)
    }
}

/// The parts of a webhook event the store reads before asking Stripe.
#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: EventObject,
}

#[derive(Deserialize)]
struct EventObject {
    id: String,
    object: String,
}

fn transport(e: &StripeError) -> bool {
    matches!(e, StripeError::ClientError(_) | StripeError::Timeout)
}

fn payment_error(e: StripeError) -> PaymentError {
    match e {
        StripeError::Stripe(errors, status) => {
            let message = errors.message.clone().unwrap_or_else(|| format!("{:?}", errors.type_));
            if status == 404 {
                PaymentError::UnknownPayment(message)
            } else {
                PaymentError::Refused(format!("{status}: {message}"))
            }
        }
        StripeError::JSONDeserialize(e) => PaymentError::Unreachable(format!("unreadable answer: {e}")),
        other => PaymentError::Unreachable(other.to_string()),
    }
}

/// The store's amount of a session: `None` when Stripe names a currency the
/// store does not price in (the caller holds such a payment for review).
fn session_amount(session: &CheckoutSession) -> Result<Money, String> {
    let minor = session.amount_total.unwrap_or(0);
    let code = session.currency.as_ref().map(ToString::to_string).unwrap_or_default();
    Currency::parse(&code).map(|c| Money::new(minor, c)).ok_or_else(|| format!("{minor} {}", code.to_uppercase()))
}

fn is_paid(session: &CheckoutSession) -> bool {
    matches!(session.status, Some(CheckoutSessionStatus::Complete))
        && matches!(session.payment_status, CheckoutSessionPaymentStatus::Paid)
}

impl StripeProvider {
    pub fn new(config: &StripeConfig) -> Result<Self, String> {
        let client = stripe::ClientBuilder::new(config.secret_key.expose_secret())
            .url(config.api_base.clone())
            .timeout(config.timeout)
            .app_info("OctaBlitz", Some(env!("CARGO_PKG_VERSION").to_owned()), None)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            webhook_secret: config.webhook_secret.clone(),
            checkout_origin: config.checkout_origin.trim_end_matches('/').to_owned(),
        })
    }

    async fn session(&self, id: &str) -> Result<CheckoutSession, PaymentError> {
        let mut attempt = 1;
        loop {
            match RetrieveCheckoutSession::new(id).send(&self.client).await {
                Err(e) if transport(&e) && attempt < ATTEMPTS => attempt += 1,
                other => return other.map_err(payment_error),
            }
        }
    }

    fn create_request(request: &PaymentRequest, now: i64) -> Result<CreateCheckoutSession, PaymentError> {
        if !request.lines_add_up() || request.lines.is_empty() {
            return Err(PaymentError::Refused("the lines do not add up to the amount".into()));
        }
        let currency: stripe_types::Currency = request
            .amount
            .currency()
            .code()
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| PaymentError::Refused("currency".into()))?;
        let lines: Vec<CreateCheckoutSessionLineItems> = request
            .lines
            .iter()
            .map(|l| {
                let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency.clone());
                price.unit_amount = Some(l.unit_amount.minor());
                price.product_data = Some(ProductData::new(l.name.clone()));
                let mut item = CreateCheckoutSessionLineItems::new();
                item.price_data = Some(price);
                item.quantity = Some(u64::from(l.quantity));
                item
            })
            .collect();
        let expires_at = request.expires_at.clamp(now + MIN_EXPIRY_SECS + 60, now + MAX_EXPIRY_SECS - 60);
        let metadata = std::collections::HashMap::from([("order_number".to_owned(), request.order_number.clone())]);
        let mut intent = CreateCheckoutSessionPaymentIntentData::new();
        intent.description = Some(request.description.clone());
        intent.metadata = Some(metadata.clone());
        Ok(CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(lines)
            .client_reference_id(request.order_number.clone())
            .metadata(metadata)
            .payment_intent_data(intent)
            .customer_email(request.email.clone())
            .success_url(request.success_url.clone())
            .cancel_url(request.cancel_url.clone())
            .expires_at(expires_at))
    }
}

#[async_trait::async_trait]
impl PaymentProvider for StripeProvider {
    fn id(&self) -> &'static str {
        "stripe"
    }

    fn label(&self) -> &'static str {
        "Card (Stripe)"
    }

    async fn create_payment(&self, request: &PaymentRequest) -> Result<HostedPayment, PaymentError> {
        let now = chrono::Utc::now().timestamp();
        let create = Self::create_request(request, now)?;
        let key = IdempotencyKey::new(format!("octablitz-checkout-{}", request.idempotency_key))
            .map_err(|e| PaymentError::Refused(e.to_string()))?;
        let mut attempt = 1;
        let session = loop {
            let sent =
                create.customize().request_strategy(RequestStrategy::Idempotent(key.clone())).send(&self.client).await;
            match sent {
                Err(e) if transport(&e) && attempt < ATTEMPTS => {
                    tracing::warn!(error = %e, attempt, "Stripe did not answer; sending again with the same key");
                    attempt += 1;
                }
                other => break other.map_err(payment_error)?,
            }
        };
        let redirect_url =
            session.url.clone().ok_or_else(|| PaymentError::Refused("the session has no hosted page".into()))?;
        if !redirect_url.starts_with(&format!("{}/", self.checkout_origin)) {
            return Err(PaymentError::Refused(format!("hosted page outside {}", self.checkout_origin)));
        }
        Ok(HostedPayment { reference: session.id.as_str().to_owned(), redirect_url })
    }

    async fn verify_webhook(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<ProviderEvent, WebhookError> {
        let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
        super::signature::verify(self.webhook_secret.expose_secret().as_bytes(), header, body, now)?;
        let event: Event = serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        if event.data.object.object != "checkout.session" {
            return Ok(ProviderEvent {
                id: event.id,
                kind: event.kind,
                reference: event.data.object.id,
                order_number: None,
                outcome: PaymentOutcome::Other,
            });
        }
        // The event only says which session to look at; Stripe's own answer decides.
        let session = match self.session(&event.data.object.id).await {
            Ok(session) => session,
            Err(PaymentError::UnknownPayment(e)) => {
                return Err(WebhookError::Malformed(format!("unknown session: {e}")));
            }
            Err(e) => return Err(WebhookError::Unavailable(e.to_string())),
        };
        let outcome = if is_paid(&session) {
            match session_amount(&session) {
                Ok(amount) => PaymentOutcome::Paid { amount },
                Err(said) => PaymentOutcome::PaidForeign { said },
            }
        } else if matches!(session.status, Some(CheckoutSessionStatus::Expired)) {
            PaymentOutcome::Expired
        } else if event.kind == "checkout.session.async_payment_failed" {
            PaymentOutcome::Failed { reason: "the bank did not confirm the payment".into() }
        } else {
            // Completed but not yet paid (a bank payment on its way), or
            // an event the store does not act on.
            PaymentOutcome::Other
        };
        Ok(ProviderEvent {
            id: event.id,
            kind: event.kind,
            reference: session.id.as_str().to_owned(),
            order_number: session.client_reference_id.clone(),
            outcome,
        })
    }

    async fn fetch_payment(&self, reference: &str) -> Result<PaymentStatus, PaymentError> {
        let session = self.session(reference).await?;
        Ok(if is_paid(&session) {
            match session_amount(&session) {
                Ok(amount) => PaymentStatus::Paid { amount },
                Err(said) => PaymentStatus::PaidForeign { said },
            }
        } else {
            match session.status {
                Some(CheckoutSessionStatus::Expired) => PaymentStatus::Expired,
                _ => PaymentStatus::Open,
            }
        })
    }

    async fn resume(&self, reference: &str) -> Result<Option<String>, PaymentError> {
        let session = self.session(reference).await?;
        let open = session.status == Some(CheckoutSessionStatus::Open) && !is_paid(&session);
        Ok(session.url.filter(|url| open && url.starts_with(&format!("{}/", self.checkout_origin))))
    }

    async fn refund(&self, reference: &str, amount: Money, idempotency_key: &str) -> Result<Refund, PaymentError> {
        let session = self.session(reference).await?;
        let paid = match session_amount(&session) {
            Ok(paid) if is_paid(&session) => paid,
            _ => return Err(PaymentError::Refused("the session is not paid in the store's currency".into())),
        };
        super::check_refund(amount, paid, 0)?;
        let intent = session
            .payment_intent
            .as_ref()
            .map(|p| p.id().as_str().to_owned())
            .ok_or_else(|| PaymentError::Refused("the session has no payment to refund".into()))?;
        let request = CreateRefund {
            payment_intent: intent,
            amount: amount.minor(),
            metadata: std::collections::HashMap::from([(
                "order_number".to_owned(),
                session.client_reference_id.clone().unwrap_or_default(),
            )]),
        };
        let key = IdempotencyKey::new(format!("octablitz-refund-{idempotency_key}"))
            .map_err(|e| PaymentError::Refused(e.to_string()))?;
        let mut attempt = 1;
        let refund = loop {
            let sent =
                request.customize().request_strategy(RequestStrategy::Idempotent(key.clone())).send(&self.client).await;
            match sent {
                Err(e) if transport(&e) && attempt < ATTEMPTS => attempt += 1,
                other => break other.map_err(payment_error)?,
            }
        };
        let status = match refund.status.as_deref() {
            Some("succeeded") => RefundStatus::Succeeded,
            Some("pending" | "requires_action") => RefundStatus::Pending,
            _ => RefundStatus::Failed,
        };
        Ok(Refund { id: refund.id.as_str().to_owned(), status })
    }

    fn hosted_origin(&self) -> Option<String> {
        Some(self.checkout_origin.clone())
    }
}
