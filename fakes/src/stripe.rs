//! A local stand-in for the Stripe API, for tests: a small Axum app that
//! speaks the documented JSON of Checkout Sessions (form-encoded requests
//! with bracketed keys, `Bearer` secret keys, `Idempotency-Key` replays,
//! Stripe's error objects) and signs webhook events with Stripe's real
//! scheme. It keeps a log of every call, so tests can assert what reached
//! "Stripe" and how often.
//!
//! Behaviour taken from Stripe's API reference:
//! - `POST /v1/checkout/sessions` needs `mode`, at least one line item with
//!   `price_data[currency]`, `price_data[unit_amount]`,
//!   `price_data[product_data][name]` and `quantity`; `expires_at` must be
//!   30 minutes to 24 hours after creation.
//! - An `Idempotency-Key` seen before with the same parameters answers the
//!   first result again (no new object); with other parameters, a 400
//!   `idempotency_error`.
//! - `GET /v1/checkout/sessions/{id}`: the session, or a 404
//!   `resource_missing`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;

use crate::http::broken;
use crate::page::{escape, html, lines_table};
use crate::{Delivered, Delivery};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// The secret key the fake accepts.
pub const SECRET_KEY: &str = "sk_test_octablitz_fake";
/// The webhook signing secret it signs with.
pub const WEBHOOK_SECRET: &str = "whsec_octablitz_fake";

/// One API call as the fake received it.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub idempotency_key: Option<String>,
    pub form: Vec<(String, String)>,
}

impl Call {
    /// The value of one form key (`line_items[0][price_data][unit_amount]`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// A Checkout Session as the fake keeps it.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: String,
    pub created: i64,
    pub expires_at: i64,
    pub amount_total: i64,
    pub currency: String,
    pub client_reference_id: Option<String>,
    pub customer_email: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: &'static str,
    /// `unpaid` or `paid`.
    pub payment_status: &'static str,
    /// `(name, unit_amount, quantity)`.
    pub lines: Vec<(String, i64, u64)>,
    /// The PaymentIntent that collected it, once paid.
    pub payment_intent: Option<String>,
    /// Refunded so far, in minor units.
    pub refunded: i64,
}

impl Session {
    /// Its hosted page at `fake`, while it is open.
    pub fn url_on(&self, fake: &FakeStripe) -> String {
        format!("{}/c/pay/{}", fake.origin(), self.id)
    }
}

#[derive(Default)]
struct Book {
    sessions: BTreeMap<String, Session>,
    /// Idempotency key → (request body, status, response body).
    replies: HashMap<String, (String, StatusCode, String)>,
    calls: Vec<Call>,
    next_id: u32,
    /// Make the object, then break the connection before the reply is read.
    drop_next_reply: bool,
    /// Every reply breaks off after its headers, as if Stripe were unreachable.
    down: bool,
    /// Refunds made.
    refunds: u32,
    /// Events made (for their ids).
    events: u32,
    /// Webhooks delivered to the store, in order.
    delivered: Vec<Delivered>,
}

#[derive(Clone)]
struct Shared {
    book: Arc<Mutex<Book>>,
    origin: String,
    delivery: Option<Delivery>,
}

pub struct FakeStripe {
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn error(status: StatusCode, kind: &str, code: &str, message: &str, param: Option<&str>) -> Response {
    let body = json!({ "error": { "type": kind, "code": code, "message": message, "param": param } });
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

fn session_json(s: &Session) -> Value {
    let head = json!({
        "id": s.id,
        "object": "checkout.session",
        "adaptive_pricing": null,
        "after_expiration": null,
        "allow_promotion_codes": null,
        "amount_subtotal": s.amount_total,
        "amount_total": s.amount_total,
        "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
        "billing_address_collection": null,
        "cancel_url": s.cancel_url,
        "client_reference_id": s.client_reference_id,
        "client_secret": null,
        "consent": null,
        "consent_collection": null,
        "created": s.created,
        "currency": s.currency,
        "custom_fields": [],
        "custom_text": { "after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null },
        "customer": null,
        "customer_creation": "if_required",
        "customer_details": null,
        "customer_email": s.customer_email,
        "expires_at": s.expires_at,
    });
    // Two halves: one `json!` of the whole object exceeds the macro's recursion limit.
    let rest = json!({
        "invoice": null,
        "invoice_creation": null,
        "livemode": false,
        "locale": null,
        "metadata": s.metadata,
        "mode": "payment",
        "payment_intent": s.payment_intent,
        "payment_link": null,
        "payment_method_collection": "if_required",
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": s.payment_status,
        "phone_number_collection": { "enabled": false },
        "recovered_from": null,
        "setup_intent": null,
        "shipping_address_collection": null,
        "shipping_cost": null,
        "shipping_options": [],
        "status": s.status,
        "submit_type": null,
        "subscription": null,
        "success_url": s.success_url,
        "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
        "ui_mode": "hosted",
        "url": (s.status == "open").then(|| format!("{}/c/pay/{}", "ORIGIN", s.id)),
    });
    let (Value::Object(mut head), Value::Object(rest)) = (head, rest) else { unreachable!("both are objects") };
    head.extend(rest);
    Value::Object(head)
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {SECRET_KEY}"))
}

fn unauthorised() -> Response {
    error(StatusCode::UNAUTHORIZED, "invalid_request_error", "", "Invalid API Key provided.", None)
}

fn render(shared: &Shared, s: &Session) -> String {
    session_json(s).to_string().replace("ORIGIN", &shared.origin)
}

async fn create(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body).into_owned();
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut book = shared.book.lock().unwrap();
    if book.down {
        return broken();
    }
    book.calls.push(Call {
        method: "POST",
        path: "/v1/checkout/sessions".into(),
        idempotency_key: key.clone(),
        form: form.clone(),
    });
    if !authorised(&headers) {
        return unauthorised();
    }
    if let Some(key) = &key
        && let Some((sent, status, reply)) = book.replies.get(key).cloned()
    {
        if sent != text {
            return error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                None,
            );
        }
        return (status, [("content-type", "application/json"), ("idempotent-replayed", "true")], reply)
            .into_response();
    }
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let outcome = (|| {
        if get("mode").as_deref() != Some("payment") {
            return Err(("mode", "Missing required param: mode."));
        }
        let created = chrono::Utc::now().timestamp();
        let expires_at = get("expires_at")
            .map_or(Some(created + 86_400), |v| v.parse().ok())
            .ok_or(("expires_at", "Invalid integer"))?;
        if !(created + 1800..=created + 86_400).contains(&expires_at) {
            return Err((
                "expires_at",
                "The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.",
            ));
        }
        let mut lines = Vec::new();
        let mut currency = None;
        for i in 0.. {
            let field = |f: &str| get(&format!("line_items[{i}]{f}"));
            let Some(q) = field("[quantity]") else { break };
            let quantity: u64 = q.parse().map_err(|_| ("line_items", "Invalid quantity"))?;
            let unit: i64 = field("[price_data][unit_amount]")
                .and_then(|v| v.parse().ok())
                .ok_or(("line_items", "Missing unit_amount"))?;
            let name = field("[price_data][product_data][name]").ok_or(("line_items", "Missing product name"))?;
            let c = field("[price_data][currency]").ok_or(("line_items", "Missing currency"))?;
            if currency.get_or_insert_with(|| c.clone()) != &c {
                return Err(("line_items", "All line items must share one currency."));
            }
            lines.push((name, unit, quantity));
        }
        if lines.is_empty() {
            return Err(("line_items", "You must provide at least one line item."));
        }
        let metadata: BTreeMap<String, String> = form
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("metadata[").and_then(|k| k.strip_suffix(']')).map(|k| (k.to_owned(), v.clone()))
            })
            .collect();
        Ok(Session {
            id: String::new(),
            created,
            expires_at,
            amount_total: lines.iter().map(|(_, unit, q)| unit * i64::try_from(*q).unwrap()).sum(),
            currency: currency.unwrap_or_default(),
            client_reference_id: get("client_reference_id"),
            customer_email: get("customer_email"),
            metadata,
            success_url: get("success_url"),
            cancel_url: get("cancel_url"),
            status: "open",
            payment_status: "unpaid",
            lines,
            payment_intent: None,
            refunded: 0,
        })
    })();
    let (status, reply) = match outcome {
        Ok(mut session) => {
            book.next_id += 1;
            session.id = format!("cs_test_{:04}{}", book.next_id, "a1b2c3d4e5f6");
            let reply = render(&shared, &session);
            book.sessions.insert(session.id.clone(), session);
            (StatusCode::OK, reply)
        }
        Err((param, message)) => {
            let body = json!({ "error": { "type": "invalid_request_error", "code": "parameter_invalid", "message": message, "param": param } });
            (StatusCode::BAD_REQUEST, body.to_string())
        }
    };
    if let Some(key) = key {
        book.replies.insert(key, (text, status, reply.clone()));
    }
    if std::mem::take(&mut book.drop_next_reply) {
        // The session is made, but the connection breaks before the reply:
        // the client cannot know whether it was.
        return broken();
    }
    (status, [("content-type", "application/json")], reply).into_response()
}

async fn retrieve(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let mut book = shared.book.lock().unwrap();
    if book.down {
        return broken();
    }
    book.calls.push(Call {
        method: "GET",
        path: format!("/v1/checkout/sessions/{id}"),
        idempotency_key: None,
        form: Vec::new(),
    });
    if !authorised(&headers) {
        return unauthorised();
    }
    match book.sessions.get(&id) {
        Some(s) => (StatusCode::OK, [("content-type", "application/json")], render(&shared, s)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "resource_missing",
            &format!("No such checkout.session: '{id}'"),
            Some("session"),
        ),
    }
}

async fn refund(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body).into_owned();
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut book = shared.book.lock().unwrap();
    if book.down {
        return broken();
    }
    book.calls.push(Call {
        method: "POST",
        path: "/v1/refunds".into(),
        idempotency_key: key.clone(),
        form: form.clone(),
    });
    if !authorised(&headers) {
        return unauthorised();
    }
    if let Some(key) = &key
        && let Some((sent, status, reply)) = book.replies.get(key).cloned()
    {
        if sent != text {
            return error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                None,
            );
        }
        return (status, [("content-type", "application/json")], reply).into_response();
    }
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let intent = get("payment_intent").unwrap_or_default();
    let amount: i64 = get("amount").and_then(|v| v.parse().ok()).unwrap_or(0);
    let refunds = book.refunds;
    let (status, reply) = match book
        .sessions
        .values_mut()
        .find(|s| s.payment_intent.as_deref() == Some(intent.as_str()))
    {
        None => (
            StatusCode::NOT_FOUND,
            json!({ "error": { "type": "invalid_request_error", "code": "resource_missing", "message": format!("No such payment_intent: '{intent}'"), "param": "payment_intent" } }),
        ),
        Some(s) if amount <= 0 || s.refunded + amount > s.amount_total => (
            StatusCode::BAD_REQUEST,
            json!({ "error": { "type": "invalid_request_error", "code": "amount_too_large", "message": "Refund amount is greater than unrefunded amount on charge.", "param": "amount" } }),
        ),
        Some(s) => {
            s.refunded += amount;
            let metadata: BTreeMap<String, String> = form
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("metadata[").and_then(|k| k.strip_suffix(']')).map(|k| (k.to_owned(), v.clone()))
                })
                .collect();
            (
                StatusCode::OK,
                json!({
                    "id": format!("re_test_{:04}", refunds + 1),
                    "object": "refund",
                    "amount": amount,
                    "currency": s.currency,
                    "created": chrono::Utc::now().timestamp(),
                    "metadata": metadata,
                    "payment_intent": intent,
                    "status": "succeeded",
                }),
            )
        }
    };
    if status == StatusCode::OK {
        book.refunds += 1;
    }
    let reply = reply.to_string();
    if let Some(key) = key {
        book.replies.insert(key, (text, status, reply.clone()));
    }
    if std::mem::take(&mut book.drop_next_reply) {
        return broken();
    }
    (status, [("content-type", "application/json")], reply).into_response()
}

impl FakeStripe {
    /// On a free port, delivering no webhooks (tests post them themselves).
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, None)
    }

    /// On `listener`; the hosted page's clicks deliver their webhooks to
    /// `delivery`, when given.
    pub fn serve(listener: tokio::net::TcpListener, delivery: Option<Delivery>) -> Self {
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared { book: Arc::default(), origin, delivery };
        let app = Router::new()
            .route("/v1/checkout/sessions", post(create))
            .route("/v1/checkout/sessions/{id}", get(retrieve))
            .route("/v1/refunds", post(refund))
            .route("/c/pay/{id}", get(hosted).post(hosted_act))
            .route("/_fake/delivered", get(delivered))
            .route("/healthz", get(|| async { "ok" }))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { shared, task }
    }

    /// Where the fake's hosted pages live.
    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    /// From now on (`true`) every call breaks off unanswered.
    pub fn set_down(&self, down: bool) {
        self.shared.book.lock().unwrap().down = down;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.shared.book.lock().unwrap().calls.clone()
    }

    pub fn sessions(&self) -> Vec<Session> {
        self.shared.book.lock().unwrap().sessions.values().cloned().collect()
    }

    pub fn session(&self, id: &str) -> Session {
        self.shared.book.lock().unwrap().sessions[id].clone()
    }

    /// Refunds the fake has made.
    pub fn refunds(&self) -> u32 {
        self.shared.book.lock().unwrap().refunds
    }

    /// The next create makes its session, then breaks the connection.
    pub fn drop_next_reply(&self) {
        self.shared.book.lock().unwrap().drop_next_reply = true;
    }

    /// Changes a session as Stripe would when the shopper acts on it.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Session)) {
        change(self.shared.book.lock().unwrap().sessions.get_mut(id).expect("session"));
    }

    /// A webhook event of `kind` about session `id`, and its
    /// `Stripe-Signature` header signed at `t`.
    pub fn event(&self, event_id: &str, kind: &str, id: &str, t: i64) -> (Vec<u8>, String) {
        event(&self.shared, event_id, kind, &self.session(id), t)
    }

    /// The webhooks the hosted page delivered, and the store's answers.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.book.lock().unwrap().delivered.clone()
    }
}

/// Stripe's webhook signature header: `t=<unix seconds>,v1=<hex>` with an
/// HMAC-SHA256 of `"{t}.{body}"` under the endpoint's signing secret.
/// Written here from Stripe's documentation, not taken from the store.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

fn event(shared: &Shared, event_id: &str, kind: &str, session: &Session, t: i64) -> (Vec<u8>, String) {
    let object = session_json(session);
    let body = json!({
        "id": event_id,
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": t,
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": kind,
        "data": { "object": object },
    })
    .to_string()
    .replace("ORIGIN", &shared.origin)
    .into_bytes();
    let header = sign(WEBHOOK_SECRET.as_bytes(), t, &body);
    (body, header)
}

fn money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02} {}", minor / 100, minor % 100, currency.to_uppercase())
}

/// Stripe Checkout's page, in miniature: what is paid for, a card that
/// pays, a card that is declined, and the way back.
async fn hosted(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    let session = shared.book.lock().unwrap().sessions.get(&id).cloned();
    let Some(s) = session else { return (StatusCode::NOT_FOUND, "No such Checkout Session").into_response() };
    checkout_page(&s, None)
}

fn checkout_page(s: &Session, alert: Option<&str>) -> Response {
    let now = chrono::Utc::now().timestamp();
    let back = s.cancel_url.as_deref().map(|u| format!("<p><a href=\"{}\">Back to the store</a></p>", escape(u)));
    if s.status != "open" || now >= s.expires_at {
        let body = format!("<h1>This Checkout Session is no longer available</h1>{}", back.unwrap_or_default());
        return html("Stripe test checkout", &body);
    }
    let lines: Vec<(String, String, String)> =
        s.lines.iter().map(|(name, unit, q)| (name.clone(), money(*unit, &s.currency), q.to_string())).collect();
    let total = money(s.amount_total, &s.currency);
    let alert = alert.map(|a| format!("<p role=\"alert\">{}</p>", escape(a))).unwrap_or_default();
    let body = format!(
        "<h1>Stripe test checkout</h1><p>Local fake of Stripe Checkout: no money moves.</p>{table}{alert}\
         <form method=\"post\" action=\"/c/pay/{id}\">\
         <button name=\"action\" value=\"pay\">Pay {total} with card 4242</button>\
         <button name=\"action\" value=\"decline\">Pay with card 0002 (declined)</button></form>{back}",
        table = lines_table(&lines, &total),
        id = escape(&s.id),
        back = back.unwrap_or_default(),
    );
    html("Stripe test checkout", &body)
}

#[derive(serde::Deserialize)]
struct Choice {
    action: String,
}

/// The shopper's click: a good card completes the session, delivers
/// `checkout.session.completed` (signed) to the store and goes to the
/// success URL; a declined card stays on the page with Stripe's message,
/// as Checkout does (no event: the session is still open).
async fn hosted_act(State(shared): State<Shared>, Path(id): Path<String>, Form(choice): Form<Choice>) -> Response {
    let now = chrono::Utc::now().timestamp();
    let paid = {
        let mut book = shared.book.lock().unwrap();
        let Some(s) = book.sessions.get_mut(&id) else {
            return (StatusCode::NOT_FOUND, "No such Checkout Session").into_response();
        };
        if s.status != "open" || now >= s.expires_at {
            return checkout_page(s, None);
        }
        match choice.action.as_str() {
            "pay" => {
                s.status = "complete";
                s.payment_status = "paid";
                s.payment_intent = Some(format!("pi_test_{}", &s.id[8..]));
                s.clone()
            }
            "decline" => return checkout_page(s, Some("Your card was declined. Try another card.")),
            _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
        }
    };
    if let Some(delivery) = &shared.delivery {
        let event_id = {
            let mut book = shared.book.lock().unwrap();
            book.events += 1;
            format!("evt_test_{:06}", book.events)
        };
        let (body, header) = event(&shared, &event_id, "checkout.session.completed", &paid, now);
        let status = delivery.post("stripe", body, vec![("stripe-signature", header)]).await;
        shared.book.lock().unwrap().delivered.push(Delivered {
            event_type: "checkout.session.completed".into(),
            reference: paid.id.clone(),
            status,
        });
    }
    let success = paid.success_url.unwrap_or_default().replace("{CHECKOUT_SESSION_ID}", &paid.id);
    Redirect::to(&success).into_response()
}

async fn delivered(State(shared): State<Shared>) -> Response {
    axum::Json(shared.book.lock().unwrap().delivered.clone()).into_response()
}
