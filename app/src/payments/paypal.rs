//! PayPal Checkout (ssr only): Orders v2 over `reqwest`.
//!
//! - **Token**: OAuth 2 client credentials (`POST /v1/oauth2/token`), kept
//!   until a minute before it expires, fetched again after a 401.
//! - **Paying**: `POST /v2/checkout/orders` with intent `CAPTURE`, one
//!   purchase unit with the order number as `reference_id`, `custom_id` and
//!   `invoice_id`, the amount with its breakdown and the snapshot's items,
//!   and `PayPal-Request-Id` from the order number (PayPal answers a repeated
//!   request id with the order it already made; a request that failed in
//!   transit is sent again with it). The shopper approves on PayPal's page
//!   (the `payer-action` link) and comes back to the order page.
//! - **Capture on return**: asking where a payment stands captures an
//!   approved order (`POST …/capture`, its own request id, so it is done
//!   once); `ORDER_ALREADY_CAPTURED` reads the order instead. Only an order
//!   that is `COMPLETED` with a `COMPLETED` capture is paid: a `PENDING` or
//!   `DECLINED` capture is not.
//! - **Webhooks** `CHECKOUT.ORDER.APPROVED`, `PAYMENT.CAPTURE.COMPLETED`,
//!   `PAYMENT.CAPTURE.DENIED`: verified by PayPal itself
//!   (`POST /v1/notifications/verify-webhook-signature` with the transmission
//!   headers, the event and `PAYPAL_WEBHOOK_ID`). A `FAILURE`, or PayPal not
//!   answering, fails closed with a 5xx (PayPal delivers again) and changes
//!   nothing. Then the order is read (or captured) from the API and its state
//!   decides, as for Stripe.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    HostedPayment, PaymentError, PaymentOutcome, PaymentProvider, PaymentRequest, PaymentStatus, ProviderEvent, Refund,
    RefundStatus, WebhookError,
};
use crate::money::{Currency, Money};

/// How often a request that failed in transit is sent (same request id).
const ATTEMPTS: u32 = 3;

/// The transmission headers PayPal signs a webhook with.
pub const TRANSMISSION_HEADERS: [&str; 5] = [
    "paypal-auth-algo",
    "paypal-cert-url",
    "paypal-transmission-id",
    "paypal-transmission-sig",
    "paypal-transmission-time",
];

/// Where the store reaches PayPal, and with which secrets.
#[derive(Clone)]
pub struct PayPalConfig {
    /// `PAYPAL_CLIENT_ID`.
    pub client_id: SecretString,
    /// `PAYPAL_CLIENT_SECRET`.
    pub client_secret: SecretString,
    /// `PAYPAL_WEBHOOK_ID`: the id of the store's webhook in the PayPal
    /// dashboard, which verification needs.
    pub webhook_id: String,
    /// `PAYPAL_API_BASE` (default `https://api-m.paypal.com`; the sandbox is
    /// `https://api-m.sandbox.paypal.com`).
    pub api_base: String,
    /// `PAYPAL_APPROVAL_ORIGIN`, where the approval pages live (default
    /// `https://www.paypal.com`).
    pub approval_origin: String,
    /// Per-request time limit.
    pub timeout: Duration,
}

impl std::fmt::Debug for PayPalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayPalConfig")
            .field("api_base", &self.api_base)
            .field("approval_origin", &self.approval_origin)
            .finish_non_exhaustive()
    }
}

pub struct PayPalProvider {
    http: reqwest::Client,
    config: PayPalConfig,
    token: tokio::sync::Mutex<Option<(SecretString, Instant)>>,
}

impl std::fmt::Debug for PayPalProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayPalProvider").field("config", &self.config).finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: u64,
}

#[derive(Debug, Deserialize)]
struct Order {
    id: String,
    status: String,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    purchase_units: Vec<Unit>,
}

#[derive(Debug, Deserialize)]
struct Link {
    href: String,
    rel: String,
}

#[derive(Debug, Deserialize)]
struct Unit {
    #[serde(default)]
    reference_id: Option<String>,
    #[serde(default)]
    payments: Option<UnitPayments>,
}

#[derive(Debug, Deserialize)]
struct UnitPayments {
    #[serde(default)]
    captures: Vec<Capture>,
}

#[derive(Debug, Deserialize)]
struct Capture {
    #[serde(default)]
    id: String,
    status: String,
    amount: Amount,
}

#[derive(Debug, Deserialize)]
struct Amount {
    currency_code: String,
    value: String,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    name: String,
    #[serde(default)]
    details: Vec<ApiErrorDetail>,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct ApiErrorDetail {
    #[serde(default)]
    issue: String,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    event_type: String,
    resource: Value,
}

/// A PayPal `value` ("123.45") for an amount in minor units.
fn value_of(m: Money) -> String {
    let minor = m.minor();
    format!("{}{}.{:02}", if minor < 0 { "-" } else { "" }, (minor / 100).abs(), (minor % 100).abs())
}

/// The store's amount for a PayPal amount; `Err` with what PayPal said when
/// the currency is not one the store sells in or the value is malformed.
fn money_of(a: &Amount) -> Result<Money, String> {
    let said = format!("{} {}", a.value, a.currency_code);
    let currency = Currency::parse(&a.currency_code).ok_or_else(|| said.clone())?;
    let (units, cents) = a.value.split_once('.').unwrap_or((&a.value, "00"));
    let valid = !units.is_empty()
        && units.bytes().all(|b| b.is_ascii_digit())
        && cents.len() == 2
        && cents.bytes().all(|b| b.is_ascii_digit());
    let minor = valid
        .then(|| units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents.parse::<i64>().ok()?))
        .flatten()
        .ok_or_else(|| said.clone())?;
    Ok(Money::new(minor, currency))
}

/// Where a PayPal order stands, for the store.
fn status_of(order: &Order) -> PaymentStatus {
    let captures: Vec<&Capture> =
        order.purchase_units.iter().filter_map(|u| u.payments.as_ref()).flat_map(|p| p.captures.iter()).collect();
    let completed = captures.iter().find(|c| c.status == "COMPLETED");
    match (order.status.as_str(), completed) {
        // Paid only when the order is completed *and* its capture is.
        ("COMPLETED", Some(capture)) => match money_of(&capture.amount) {
            Ok(amount) => PaymentStatus::Paid { amount },
            Err(said) => PaymentStatus::PaidForeign { said },
        },
        ("VOIDED", _) => PaymentStatus::Expired,
        _ if captures.iter().any(|c| c.status == "DECLINED" || c.status == "FAILED") => PaymentStatus::Failed,
        _ => PaymentStatus::Open,
    }
}

fn outcome_of(status: PaymentStatus, kind: &str) -> PaymentOutcome {
    match status {
        PaymentStatus::Paid { amount } => PaymentOutcome::Paid { amount },
        PaymentStatus::PaidForeign { said } => PaymentOutcome::PaidForeign { said },
        PaymentStatus::Expired => PaymentOutcome::Expired,
        PaymentStatus::Failed => PaymentOutcome::Failed { reason: "PayPal declined the payment".into() },
        PaymentStatus::Open if kind == "PAYMENT.CAPTURE.DENIED" => {
            PaymentOutcome::Failed { reason: "PayPal declined the payment".into() }
        }
        PaymentStatus::Open => PaymentOutcome::Other,
    }
}

enum Call {
    Get,
    Post(Value),
}

impl PayPalProvider {
    pub fn new(config: &PayPalConfig) -> Result<Self, String> {
        let http = reqwest::Client::builder().timeout(config.timeout).build().map_err(|e| e.to_string())?;
        Ok(Self { http, config: config.clone(), token: tokio::sync::Mutex::new(None) })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.api_base.trim_end_matches('/'))
    }

    /// A live access token: the cached one, or a new one.
    async fn token(&self, renew: bool) -> Result<SecretString, PaymentError> {
        let mut cached = self.token.lock().await;
        if !renew
            && let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let reply = self
            .http
            .post(self.url("/v1/oauth2/token"))
            .basic_auth(self.config.client_id.expose_secret(), Some(self.config.client_secret.expose_secret()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| PaymentError::Unreachable(format!("PayPal token: {e}")))?;
        if !reply.status().is_success() {
            return Err(PaymentError::Refused(format!("PayPal token: {}", reply.status())));
        }
        let t: TokenReply =
            reply.json().await.map_err(|e| PaymentError::Unreachable(format!("PayPal token reply: {e}")))?;
        let token = SecretString::from(t.access_token);
        let lifetime = Duration::from_secs(t.expires_in.saturating_sub(60));
        *cached = Some((token.clone(), Instant::now() + lifetime));
        Ok(token)
    }

    /// One API call with the cached token (renewed once after a 401) and,
    /// for a POST, `request_id` as `PayPal-Request-Id`; sent again with the
    /// same id when it failed in transit. Returns the status and the body.
    async fn call(&self, path: &str, call: Call, request_id: Option<&str>) -> Result<(u16, Value), PaymentError> {
        let mut renew = false;
        let mut attempt = 1;
        loop {
            let token = self.token(renew).await?;
            let mut req = match &call {
                Call::Get => self.http.get(self.url(path)),
                Call::Post(body) => self.http.post(self.url(path)).json(body),
            };
            req = req.bearer_auth(token.expose_secret()).header("Prefer", "return=representation");
            if let Some(id) = request_id {
                req = req.header("PayPal-Request-Id", id);
            }
            // Only a failure in transit is retried; any answer is returned
            // (a body that is not JSON reads as `null`).
            let sent = match req.send().await {
                Ok(reply) => {
                    let status = reply.status().as_u16();
                    reply.bytes().await.map(|bytes| (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
                }
                Err(e) => Err(e),
            };
            match sent {
                Ok((401, _)) if !renew => renew = true,
                Ok(answer) => return Ok(answer),
                Err(e) if attempt < ATTEMPTS => {
                    tracing::warn!(error = %e, attempt, path, "PayPal did not answer; sending again");
                    attempt += 1;
                }
                Err(e) => return Err(PaymentError::Unreachable(format!("PayPal: {e}"))),
            }
        }
    }

    fn order_from(status: u16, body: Value) -> Result<Order, PaymentError> {
        if (200..300).contains(&status) {
            return serde_json::from_value(body).map_err(|e| PaymentError::Unreachable(format!("PayPal order: {e}")));
        }
        let e: ApiError = serde_json::from_value(body).unwrap_or(ApiError {
            name: String::new(),
            details: vec![],
            message: String::new(),
        });
        let issue = e.details.first().map(|d| d.issue.clone()).unwrap_or(e.name);
        Err(match status {
            404 => PaymentError::UnknownPayment(issue),
            500.. => PaymentError::Unreachable(format!("PayPal {status}: {issue}")),
            _ => PaymentError::Refused(format!("PayPal {status}: {issue} {}", e.message)),
        })
    }

    async fn order(&self, id: &str) -> Result<Order, PaymentError> {
        let (status, body) = self.call(&format!("/v2/checkout/orders/{id}"), Call::Get, None).await?;
        Self::order_from(status, body)
    }

    /// Captures an approved order (once: the request id is fixed per order);
    /// an order captured already is read instead.
    async fn capture(&self, id: &str) -> Result<Order, PaymentError> {
        let path = format!("/v2/checkout/orders/{id}/capture");
        let (status, body) = self.call(&path, Call::Post(json!({})), Some(&format!("capture-{id}"))).await?;
        let issue = body.pointer("/details/0/issue").and_then(Value::as_str).unwrap_or_default().to_owned();
        match (status, issue.as_str()) {
            (422, "ORDER_ALREADY_CAPTURED") => self.order(id).await,
            // Not approved yet: nothing to capture, it stays open.
            (422, "ORDER_NOT_APPROVED") => self.order(id).await,
            _ => Self::order_from(status, body),
        }
    }

    /// The order's state, capturing it first when the shopper approved it.
    async fn settle(&self, id: &str) -> Result<Order, PaymentError> {
        let order = self.order(id).await?;
        if order.status == "APPROVED" { self.capture(id).await } else { Ok(order) }
    }
}

#[async_trait::async_trait]
impl PaymentProvider for PayPalProvider {
    fn id(&self) -> &'static str {
        "paypal"
    }

    fn label(&self) -> &'static str {
        "PayPal"
    }

    async fn create_payment(&self, request: &PaymentRequest) -> Result<HostedPayment, PaymentError> {
        if !request.lines_add_up() || request.lines.is_empty() {
            return Err(PaymentError::Refused("the lines do not add up to the amount".into()));
        }
        let currency = request.amount.currency().code();
        let (shipping, items): (Vec<_>, Vec<_>) =
            request.lines.iter().partition(|l| l.kind == super::LineKind::Shipping);
        let sum = |lines: &[&super::PaymentLine]| {
            Money::sum(request.amount.currency(), lines.iter().filter_map(|l| l.unit_amount.times(l.quantity)))
                .unwrap_or(Money::zero(request.amount.currency()))
        };
        let amount = |m: Money| json!({ "currency_code": currency, "value": value_of(m) });
        let body = json!({
            "intent": "CAPTURE",
            "purchase_units": [{
                "reference_id": request.order_number,
                "custom_id": request.order_number,
                "invoice_id": request.order_number,
                "description": request.description,
                "amount": {
                    "currency_code": currency,
                    "value": value_of(request.amount),
                    "breakdown": { "item_total": amount(sum(&items)), "shipping": amount(sum(&shipping)) },
                },
                "items": items.iter().map(|l| json!({
                    "name": l.name.chars().take(127).collect::<String>(),
                    "quantity": l.quantity.to_string(),
                    "unit_amount": amount(l.unit_amount),
                })).collect::<Vec<_>>(),
            }],
            "payment_source": { "paypal": {
                "email_address": request.email,
                "experience_context": {
                    "return_url": request.success_url,
                    "cancel_url": request.cancel_url,
                    "user_action": "PAY_NOW",
                    "shipping_preference": "NO_SHIPPING",
                    "brand_name": "OctaBlitz",
                },
            } },
        });
        let request_id = format!("octablitz-checkout-{}", request.idempotency_key);
        let (status, reply) = self.call("/v2/checkout/orders", Call::Post(body), Some(&request_id)).await?;
        let order = Self::order_from(status, reply)?;
        let approve = order
            .links
            .iter()
            .find(|l| l.rel == "payer-action" || l.rel == "approve")
            .map(|l| l.href.clone())
            .ok_or_else(|| PaymentError::Refused("PayPal gave no approval link".into()))?;
        let origin = self.config.approval_origin.trim_end_matches('/');
        if !approve.starts_with(&format!("{origin}/")) {
            return Err(PaymentError::Refused(format!("approval page outside {origin}")));
        }
        if order.purchase_units.first().and_then(|u| u.reference_id.as_deref()) != Some(request.order_number.as_str()) {
            return Err(PaymentError::Refused("PayPal's order is for another reference".into()));
        }
        Ok(HostedPayment { reference: order.id, redirect_url: approve })
    }

    async fn verify_webhook(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        _now: i64,
    ) -> Result<ProviderEvent, WebhookError> {
        let mut transmission = serde_json::Map::new();
        for name in TRANSMISSION_HEADERS {
            let value = headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
            let Some(value) = value else { return Err(WebhookError::MissingSignature) };
            let key = name.trim_start_matches("paypal-").replace('-', "_");
            transmission.insert(key, Value::String(value.to_owned()));
        }
        let event: Value = serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        transmission.insert("webhook_id".into(), Value::String(self.config.webhook_id.clone()));
        transmission.insert("webhook_event".into(), event.clone());
        // PayPal's own answer decides: nothing is read from an unverified event.
        let (status, reply) = self
            .call("/v1/notifications/verify-webhook-signature", Call::Post(Value::Object(transmission)), None)
            .await
            .map_err(|e| WebhookError::Unavailable(e.to_string()))?;
        let verdict = reply.get("verification_status").and_then(Value::as_str).unwrap_or_default();
        if status != 200 || verdict != "SUCCESS" {
            return Err(WebhookError::Unavailable(format!("PayPal did not verify the event ({status} {verdict})")));
        }
        let event: Event = serde_json::from_value(event).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        let reference = match event.event_type.as_str() {
            "CHECKOUT.ORDER.APPROVED" => event.resource.get("id"),
            "PAYMENT.CAPTURE.COMPLETED" | "PAYMENT.CAPTURE.DENIED" | "PAYMENT.CAPTURE.PENDING" => {
                event.resource.pointer("/supplementary_data/related_ids/order_id")
            }
            _ => None,
        }
        .and_then(Value::as_str)
        .map(str::to_owned);
        let Some(reference) = reference else {
            let reference = event.resource.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            return Ok(ProviderEvent {
                id: event.id,
                kind: event.event_type,
                reference,
                order_number: None,
                outcome: PaymentOutcome::Other,
            });
        };
        let order = match self.settle(&reference).await {
            Ok(order) => order,
            Err(PaymentError::UnknownPayment(e)) => return Err(WebhookError::Malformed(format!("unknown order: {e}"))),
            Err(e) => return Err(WebhookError::Unavailable(e.to_string())),
        };
        let order_number = order.purchase_units.first().and_then(|u| u.reference_id.clone());
        Ok(ProviderEvent {
            id: event.id,
            outcome: outcome_of(status_of(&order), &event.event_type),
            kind: event.event_type,
            reference: order.id,
            order_number,
        })
    }

    async fn fetch_payment(&self, reference: &str) -> Result<PaymentStatus, PaymentError> {
        Ok(status_of(&self.settle(reference).await?))
    }

    async fn refund(&self, reference: &str, amount: Money, idempotency_key: &str) -> Result<Refund, PaymentError> {
        let order = self.order(reference).await?;
        let capture = order
            .purchase_units
            .iter()
            .filter_map(|u| u.payments.as_ref())
            .flat_map(|p| p.captures.iter())
            .find(|c| c.status == "COMPLETED")
            .filter(|_| order.status == "COMPLETED")
            .ok_or_else(|| PaymentError::Refused("the order has no completed capture to refund".into()))?;
        let paid = money_of(&capture.amount).map_err(|said| PaymentError::Refused(format!("captured {said}")))?;
        super::check_refund(amount, paid, 0)?;
        let body = json!({
            "amount": { "currency_code": amount.currency().code(), "value": value_of(amount) },
            "invoice_id": order.purchase_units.first().and_then(|u| u.reference_id.clone()),
        });
        let path = format!("/v2/payments/captures/{}/refund", capture.id);
        let request_id = format!("octablitz-refund-{idempotency_key}");
        let (status, reply) = self.call(&path, Call::Post(body), Some(&request_id)).await?;
        if !(200..300).contains(&status) {
            let issue = reply.pointer("/details/0/issue").and_then(Value::as_str).unwrap_or_default();
            return Err(if status >= 500 {
                PaymentError::Unreachable(format!("PayPal {status}: {issue}"))
            } else {
                PaymentError::Refused(format!("PayPal {status}: {issue}"))
            });
        }
        let id = reply.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let status = match reply.get("status").and_then(Value::as_str) {
            Some("COMPLETED") => RefundStatus::Succeeded,
            Some("PENDING") => RefundStatus::Pending,
            _ => RefundStatus::Failed,
        };
        Ok(Refund { id, status })
    }

    fn hosted_origin(&self) -> Option<String> {
        Some(self.config.approval_origin.trim_end_matches('/').to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_go_both_ways() {
        assert_eq!(value_of(Money::usd(12345)), "123.45");
        assert_eq!(value_of(Money::usd(5)), "0.05");
        let a = |v: &str, c: &str| money_of(&Amount { currency_code: c.into(), value: v.into() });
        assert_eq!(a("123.45", "USD"), Ok(Money::usd(12345)));
        assert_eq!(a("7", "USD"), Ok(Money::usd(700)));
        assert_eq!(a("1.5", "USD"), Err("1.5 USD".into()), "PayPal always sends two decimals for USD");
        assert_eq!(a("-1.00", "USD"), Err("-1.00 USD".into()));
        assert_eq!(a("10.00", "EUR"), Err("10.00 EUR".into()));
    }

    fn order(status: &str, captures: &[(&str, &str)]) -> Order {
        let captures: Vec<Value> = captures
            .iter()
            .map(|(s, v)| json!({ "id": "C1", "status": s, "amount": { "currency_code": "USD", "value": v } }))
            .collect();
        serde_json::from_value(json!({
            "id": "O1", "status": status,
            "purchase_units": [{ "reference_id": "OB-1", "payments": { "captures": captures } }],
        }))
        .unwrap()
    }

    #[test]
    fn only_a_completed_order_with_a_completed_capture_is_paid() {
        assert_eq!(
            status_of(&order("COMPLETED", &[("COMPLETED", "10.00")])),
            PaymentStatus::Paid { amount: Money::usd(1000) }
        );
        assert_eq!(status_of(&order("COMPLETED", &[("PENDING", "10.00")])), PaymentStatus::Open);
        assert_eq!(status_of(&order("COMPLETED", &[("DECLINED", "10.00")])), PaymentStatus::Failed);
        assert_eq!(status_of(&order("APPROVED", &[])), PaymentStatus::Open);
        assert_eq!(status_of(&order("VOIDED", &[])), PaymentStatus::Expired);
    }
}
