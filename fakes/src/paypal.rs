//! A local stand-in for PayPal's REST API, for tests: a small Axum app that
//! speaks the documented JSON of OAuth 2 client credentials, Orders v2
//! (create with `PayPal-Request-Id` replays, get, capture with its
//! `ORDER_ALREADY_CAPTURED` / `ORDER_NOT_APPROVED` errors) and
//! `verify-webhook-signature`, and keeps a log of every call.
//!
//! PayPal signs webhooks with RSA over
//! `"{transmission_id}|{transmission_time}|{webhook_id}|{crc32(body)}"` and
//! the merchant asks PayPal to verify them, so the store never checks the
//! signature itself. The fake signs the same string with an HMAC key of its
//! own instead of an RSA key, and verifies it the same way when asked.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;

use crate::http::broken;
use crate::page::{escape, html, lines_table};
use crate::{Delivered, Delivery};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

pub const CLIENT_ID: &str = "fake-client-id";
pub const CLIENT_SECRET: &str = "fake-client-secret";
pub const WEBHOOK_ID: &str = "WH-FAKE-0001";
const SIGNING_KEY: &[u8] = b"the fake's stand-in for PayPal's RSA key";

#[derive(Clone, Debug)]
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub request_id: Option<String>,
    pub body: Value,
}

#[derive(Clone, Debug)]
pub struct FakeOrder {
    pub id: String,
    /// `PAYER_ACTION_REQUIRED`, `APPROVED`, `COMPLETED`, `VOIDED`.
    pub status: String,
    pub reference_id: String,
    pub currency: String,
    pub value: String,
    /// `(status, value)` of its capture, once captured.
    pub capture: Option<(String, String)>,
    /// The next read still says `APPROVED` (someone captured it meanwhile).
    pub stale_once: bool,
    pub items: Vec<(String, String, String)>,
    /// Refunded so far, in cents.
    pub refunded: i64,
    /// Refunds made of it.
    pub refunds: u32,
    /// Where the approval page sends the shopper back (`experience_context`).
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    /// What capturing this order yields, when the approval page chose it
    /// (a funding source that will be declined); else the fake's default.
    pub capture_outcome: Option<String>,
}

#[derive(Default)]
struct Book {
    tokens: Vec<String>,
    orders: BTreeMap<String, FakeOrder>,
    replies: HashMap<String, (StatusCode, Value)>,
    calls: Vec<Call>,
    /// What a capture yields: `COMPLETED`, `PENDING` or `DECLINED`.
    capture_outcome: Option<String>,
    drop_next_reply: bool,
    down: bool,
    /// `verify-webhook-signature` answers `FAILURE` whatever it is given.
    verification_fails: bool,
    events: u32,
    delivered: Vec<Delivered>,
}

#[derive(Clone)]
struct Shared {
    book: Arc<Mutex<Book>>,
    origin: String,
    delivery: Option<Delivery>,
}

pub struct FakePayPal {
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakePayPal {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn json_reply(status: StatusCode, body: &Value) -> Response {
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

fn issue(status: StatusCode, name: &str, issue: &str) -> (StatusCode, Value) {
    (status, json!({ "name": name, "message": issue, "details": [{ "issue": issue, "description": issue }] }))
}

fn order_json(shared: &Shared, o: &FakeOrder) -> Value {
    let mut unit = json!({
        "reference_id": o.reference_id,
        "custom_id": o.reference_id,
        "amount": { "currency_code": o.currency, "value": o.value },
    });
    if let Some((status, value)) = &o.capture {
        unit["payments"] = json!({ "captures": [{
            "id": format!("CAP-{}", o.id),
            "status": status,
            "amount": { "currency_code": o.currency, "value": value },
            "final_capture": true,
        }] });
    }
    json!({
        "id": o.id,
        "intent": "CAPTURE",
        "status": o.status,
        "purchase_units": [unit],
        "links": [
            { "href": format!("{}/v2/checkout/orders/{}", shared.origin, o.id), "rel": "self", "method": "GET" },
            { "href": format!("{}/checkoutnow?token={}", shared.origin, o.id), "rel": "payer-action", "method": "GET" },
        ],
    })
}

fn cents(v: &str) -> Option<i64> {
    let (u, c) = v.split_once('.')?;
    (c.len() == 2).then_some(())?;
    u.parse::<i64>().ok()?.checked_mul(100)?.checked_add(c.parse().ok()?)
}

/// CRC-32 (IEEE), as PayPal's signature string uses.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn signature(transmission_id: &str, time: &str, webhook_id: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SIGNING_KEY).unwrap();
    mac.update(format!("{transmission_id}|{time}|{webhook_id}|{}", crc32(body)).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

impl Shared {
    /// Logs the call; `Err` with the reply when the fake is down or the
    /// bearer token is not one it issued.
    fn enter(
        &self,
        method: &'static str,
        path: String,
        headers: &HeaderMap,
        body: Value,
    ) -> Result<Option<String>, Box<Response>> {
        let mut book = self.book.lock().unwrap();
        if book.down {
            return Err(Box::new(broken()));
        }
        let request_id = headers.get("paypal-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        book.calls.push(Call { method, path, request_id: request_id.clone(), body });
        let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !token.is_some_and(|t| book.tokens.iter().any(|known| known == t)) {
            return Err(Box::new(json_reply(
                StatusCode::UNAUTHORIZED,
                &json!({ "error": "invalid_token", "error_description": "Token signature verification failed" }),
            )));
        }
        Ok(request_id)
    }

    /// Answers with a stored reply for a request id seen before, or runs
    /// `make` and stores its reply under the id.
    fn idempotent(&self, request_id: Option<String>, make: impl FnOnce(&mut Book) -> (StatusCode, Value)) -> Response {
        let mut book = self.book.lock().unwrap();
        if let Some(id) = &request_id
            && let Some((status, body)) = book.replies.get(id).cloned()
        {
            return json_reply(status, &body);
        }
        let (status, body) = make(&mut book);
        if let Some(id) = request_id {
            book.replies.insert(id, (status, body.clone()));
        }
        if std::mem::take(&mut book.drop_next_reply) {
            return broken();
        }
        json_reply(status, &body)
    }
}

async fn token(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut book = shared.book.lock().unwrap();
    if book.down {
        return broken();
    }
    let expected =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    book.calls.push(Call {
        method: "POST",
        path: "/v1/oauth2/token".into(),
        request_id: None,
        body: Value::String(String::from_utf8_lossy(&body).into_owned()),
    });
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str())
        || !String::from_utf8_lossy(&body).contains("grant_type=client_credentials")
    {
        return json_reply(
            StatusCode::UNAUTHORIZED,
            &json!({ "error": "invalid_client", "error_description": "Client Authentication failed" }),
        );
    }
    let token = format!("A21AA-fake-{}", book.tokens.len() + 1);
    book.tokens.push(token.clone());
    json_reply(
        StatusCode::OK,
        &json!({ "scope": "https://uri.paypal.com/services/payments", "access_token": token, "token_type": "Bearer", "app_id": "APP-FAKE", "expires_in": 32400, "nonce": "n" }),
    )
}

async fn create(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let request_id = match shared.enter("POST", "/v2/checkout/orders".into(), &headers, body.clone()) {
        Ok(id) => id,
        Err(reply) => return *reply,
    };
    let origin = shared.clone();
    shared.idempotent(request_id, move |book| {
        let unit = &body["purchase_units"][0];
        let amount = &unit["amount"];
        let (Some(currency), Some(value)) = (amount["currency_code"].as_str(), amount["value"].as_str()) else {
            return issue(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER");
        };
        if body["intent"] != "CAPTURE" {
            return issue(StatusCode::BAD_REQUEST, "INVALID_REQUEST", "INVALID_PARAMETER_VALUE");
        }
        let items = unit["items"].as_array().cloned().unwrap_or_default();
        let context = &body["payment_source"]["paypal"]["experience_context"];
        let item_total: Option<i64> = items
            .iter()
            .map(|i| Some(cents(i["unit_amount"]["value"].as_str()?)? * i["quantity"].as_str()?.parse::<i64>().ok()?))
            .sum();
        let breakdown = &amount["breakdown"];
        let declared_items = breakdown["item_total"]["value"].as_str().and_then(cents);
        let shipping = breakdown["shipping"]["value"].as_str().and_then(cents).unwrap_or(0);
        if item_total != declared_items || declared_items.map(|i| i + shipping) != cents(value) {
            return issue(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE_ENTITY", "AMOUNT_MISMATCH");
        }
        let order = FakeOrder {
            id: format!("5O{:015}", book.orders.len() + 1),
            status: "PAYER_ACTION_REQUIRED".into(),
            reference_id: unit["reference_id"].as_str().unwrap_or("default").to_owned(),
            currency: currency.to_owned(),
            value: value.to_owned(),
            capture: None,
            stale_once: false,
            refunded: 0,
            refunds: 0,
            return_url: context["return_url"].as_str().map(str::to_owned),
            cancel_url: context["cancel_url"].as_str().map(str::to_owned),
            capture_outcome: None,
            items: items
                .iter()
                .map(|i| {
                    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
                    (s(&i["name"]), s(&i["unit_amount"]["value"]), s(&i["quantity"]))
                })
                .collect(),
        };
        let reply = order_json(&origin, &order);
        book.orders.insert(order.id.clone(), order);
        (StatusCode::OK, reply)
    })
}

async fn read(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(reply) = shared.enter("GET", format!("/v2/checkout/orders/{id}"), &headers, Value::Null) {
        return *reply;
    }
    let mut book = shared.book.lock().unwrap();
    let Some(o) = book.orders.get_mut(&id) else {
        let (s, b) = issue(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
        return json_reply(s, &b);
    };
    let mut shown = o.clone();
    if std::mem::take(&mut o.stale_once) {
        shown.status = "APPROVED".into();
        shown.capture = None;
    }
    json_reply(StatusCode::OK, &order_json(&shared, &shown))
}

async fn capture(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let request_id = match shared.enter("POST", format!("/v2/checkout/orders/{id}/capture"), &headers, Value::Null) {
        Ok(id) => id,
        Err(reply) => return *reply,
    };
    let origin = shared.clone();
    let mut captured = None;
    let reply = shared.idempotent(request_id, |book| {
        let default = book.capture_outcome.clone().unwrap_or_else(|| "COMPLETED".into());
        let Some(o) = book.orders.get_mut(&id) else {
            return issue(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
        };
        match o.status.as_str() {
            "COMPLETED" => issue(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED"),
            "APPROVED" => {
                o.status = "COMPLETED".into();
                o.capture = Some((o.capture_outcome.clone().unwrap_or(default), o.value.clone()));
                captured = Some(o.clone());
                (StatusCode::CREATED, order_json(&origin, o))
            }
            _ => issue(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED"),
        }
    });
    // PayPal then tells the merchant about the capture, a moment later.
    if let Some(o) = captured
        && shared.delivery.is_some()
    {
        let kind = match o.capture.as_ref().map(|(s, _)| s.as_str()) {
            Some("COMPLETED") => "PAYMENT.CAPTURE.COMPLETED",
            Some("DECLINED") => "PAYMENT.CAPTURE.DENIED",
            _ => "PAYMENT.CAPTURE.PENDING",
        };
        let shared = shared.clone();
        tokio::spawn(async move { deliver(&shared, kind, &o).await });
    }
    reply
}

/// Sends one signed event about `o` to the store, and logs the answer.
async fn deliver(shared: &Shared, kind: &str, o: &FakeOrder) {
    let Some(delivery) = &shared.delivery else { return };
    let event_id = {
        let mut book = shared.book.lock().unwrap();
        book.events += 1;
        format!("WH-FAKE-EVENT-{:06}", book.events)
    };
    let (body, headers) = event(shared, &event_id, kind, o);
    let status = delivery.post("paypal", body, headers).await;
    shared.book.lock().unwrap().delivered.push(Delivered { event_type: kind.into(), reference: o.id.clone(), status });
}

async fn refund(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(capture): Path<String>,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let request_id =
        match shared.enter("POST", format!("/v2/payments/captures/{capture}/refund"), &headers, body.clone()) {
            Ok(id) => id,
            Err(reply) => return *reply,
        };
    shared.idempotent(request_id, move |book| {
        let Some(o) = book.orders.values_mut().find(|o| format!("CAP-{}", o.id) == capture) else {
            return issue(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
        };
        let captured = match &o.capture {
            Some((status, value)) if status == "COMPLETED" => cents(value).unwrap_or(0),
            _ => return issue(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE_ENTITY", "CAPTURE_NOT_REFUNDABLE"),
        };
        let asked = body["amount"]["value"].as_str().and_then(cents).unwrap_or(0);
        if asked <= 0 || o.refunded + asked > captured {
            return issue(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED");
        }
        o.refunded += asked;
        o.refunds += 1;
        (
            StatusCode::CREATED,
            json!({ "id": format!("REF-{}-{}", o.id, o.refunds), "status": "COMPLETED", "amount": body["amount"] }),
        )
    })
}

async fn verify(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Err(reply) =
        shared.enter("POST", "/v1/notifications/verify-webhook-signature".into(), &headers, body.clone())
    {
        return *reply;
    }
    let fails = shared.book.lock().unwrap().verification_fails;
    let s = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    let event = body["webhook_event"].to_string();
    let genuine = !fails
        && s("auth_algo") == "SHA256withRSA"
        && s("cert_url").starts_with("https://api.paypal.com/v1/notifications/certs/")
        && s("webhook_id") == WEBHOOK_ID
        && s("transmission_sig")
            == signature(&s("transmission_id"), &s("transmission_time"), WEBHOOK_ID, event.as_bytes());
    json_reply(StatusCode::OK, &json!({ "verification_status": if genuine { "SUCCESS" } else { "FAILURE" } }))
}

impl FakePayPal {
    /// On a free port, delivering no webhooks (tests post them themselves).
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, None)
    }

    /// On `listener`; approvals on the hosted page and captures deliver
    /// their webhooks to `delivery`, when given.
    pub fn serve(listener: tokio::net::TcpListener, delivery: Option<Delivery>) -> Self {
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared { book: Arc::default(), origin, delivery };
        let app = Router::new()
            .route("/checkoutnow", get(hosted).post(hosted_act))
            .route("/_fake/delivered", get(delivered))
            .route("/healthz", get(|| async { "ok" }))
            .route("/v1/oauth2/token", post(token))
            .route("/v2/checkout/orders", post(create))
            .route("/v2/checkout/orders/{id}", get(read))
            .route("/v2/checkout/orders/{id}/capture", post(capture))
            .route("/v1/notifications/verify-webhook-signature", post(verify))
            .route("/v2/payments/captures/{id}/refund", post(refund))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { shared, task }
    }

    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.shared.book.lock().unwrap().calls.clone()
    }

    pub fn calls_to(&self, method: &str, path_part: &str) -> usize {
        self.calls().iter().filter(|c| c.method == method && c.path.contains(path_part)).count()
    }

    pub fn orders(&self) -> Vec<FakeOrder> {
        self.shared.book.lock().unwrap().orders.values().cloned().collect()
    }

    pub fn order(&self, id: &str) -> FakeOrder {
        self.shared.book.lock().unwrap().orders[id].clone()
    }

    /// The shopper approves the order on PayPal's page.
    pub fn approve(&self, id: &str) {
        self.update(id, |o| o.status = "APPROVED".into());
    }

    pub fn update(&self, id: &str, change: impl FnOnce(&mut FakeOrder)) {
        change(self.shared.book.lock().unwrap().orders.get_mut(id).expect("order"));
    }

    pub fn set_capture_outcome(&self, outcome: &str) {
        self.shared.book.lock().unwrap().capture_outcome = Some(outcome.to_owned());
    }

    pub fn drop_next_reply(&self) {
        self.shared.book.lock().unwrap().drop_next_reply = true;
    }

    pub fn set_down(&self, down: bool) {
        self.shared.book.lock().unwrap().down = down;
    }

    pub fn set_verification_fails(&self, fails: bool) {
        self.shared.book.lock().unwrap().verification_fails = fails;
    }

    /// A webhook event of `kind` about order `id`, as PayPal posts it: the
    /// body and the transmission headers.
    pub fn event(&self, event_id: &str, kind: &str, id: &str) -> (Vec<u8>, Vec<(&'static str, String)>) {
        event(&self.shared, event_id, kind, &self.order(id))
    }

    /// The webhooks the fake delivered, and the store's answers.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.book.lock().unwrap().delivered.clone()
    }
}

fn event(shared: &Shared, event_id: &str, kind: &str, o: &FakeOrder) -> (Vec<u8>, Vec<(&'static str, String)>) {
    let resource = if kind.starts_with("CHECKOUT.ORDER.") {
        order_json(shared, o)
    } else {
        let (status, value) = o.capture.clone().unwrap_or(("PENDING".into(), o.value.clone()));
        json!({
            "id": format!("CAP-{}", o.id),
            "status": status,
            "amount": { "currency_code": o.currency, "value": value },
            "custom_id": o.reference_id,
            "supplementary_data": { "related_ids": { "order_id": o.id } },
        })
    };
    let body = json!({
        "id": event_id,
        "event_version": "1.0",
        "create_time": "2026-12-02T12:00:00Z",
        "resource_type": if kind.starts_with("CHECKOUT.ORDER.") { "checkout-order" } else { "capture" },
        "event_type": kind,
        "summary": kind,
        "resource": resource,
    })
    .to_string();
    let transmission_id = format!("tx-{event_id}");
    let time = "2026-12-02T12:00:01Z".to_owned();
    let sig = signature(&transmission_id, &time, WEBHOOK_ID, body.as_bytes());
    let headers = vec![
        ("paypal-auth-algo", "SHA256withRSA".to_owned()),
        ("paypal-cert-url", "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-fake".to_owned()),
        ("paypal-transmission-id", transmission_id),
        ("paypal-transmission-sig", sig),
        ("paypal-transmission-time", time),
    ];
    (body.into_bytes(), headers)
}

#[derive(serde::Deserialize)]
struct Token {
    token: String,
}

#[derive(serde::Deserialize)]
struct Choice {
    action: String,
}

/// PayPal's approval page, in miniature: pay with the PayPal balance, pay
/// with a card that will be declined at capture, or cancel.
async fn hosted(State(shared): State<Shared>, Query(t): Query<Token>) -> Response {
    let order = shared.book.lock().unwrap().orders.get(&t.token).cloned();
    let Some(o) = order else { return (StatusCode::NOT_FOUND, "No such order").into_response() };
    let back = o.cancel_url.as_deref().map(|u| format!("<p><a href=\"{}\">Back to the store</a></p>", escape(u)));
    if o.status != "PAYER_ACTION_REQUIRED" && o.status != "CREATED" {
        let body = format!("<h1>This order can no longer be approved</h1>{}", back.unwrap_or_default());
        return html("PayPal test checkout", &body);
    }
    let lines: Vec<(String, String, String)> =
        o.items.iter().map(|(name, unit, q)| (name.clone(), format!("{unit} {}", o.currency), q.clone())).collect();
    let total = format!("{} {}", o.value, o.currency);
    let body = format!(
        "<h1>PayPal test checkout</h1><p>Local fake of PayPal: no money moves.</p>{table}\
         <form method=\"post\" action=\"/checkoutnow?token={id}\">\
         <button name=\"action\" value=\"approve\">Pay {total} with PayPal</button>\
         <button name=\"action\" value=\"decline\">Pay with a card that will be declined</button>\
         <button name=\"action\" value=\"cancel\">Cancel and return to the store</button></form>",
        table = lines_table(&lines, &total),
        id = escape(&o.id),
    );
    html("PayPal test checkout", &body)
}

/// The shopper's click: approving (either way) delivers
/// `CHECKOUT.ORDER.APPROVED` and returns to the store's return URL with
/// PayPal's `token` and `PayerID`; cancelling returns to the cancel URL.
async fn hosted_act(State(shared): State<Shared>, Query(t): Query<Token>, Form(choice): Form<Choice>) -> Response {
    let approved = {
        let mut book = shared.book.lock().unwrap();
        let Some(o) = book.orders.get_mut(&t.token) else {
            return (StatusCode::NOT_FOUND, "No such order").into_response();
        };
        if choice.action == "cancel" {
            return back_to(o.cancel_url.as_deref(), &format!("token={}", o.id));
        }
        if o.status != "PAYER_ACTION_REQUIRED" {
            return back_to(o.return_url.as_deref(), &format!("token={}&PayerID=FAKEPAYER01", o.id));
        }
        match choice.action.as_str() {
            "approve" => {}
            "decline" => o.capture_outcome = Some("DECLINED".into()),
            _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
        }
        o.status = "APPROVED".into();
        o.clone()
    };
    deliver(&shared, "CHECKOUT.ORDER.APPROVED", &approved).await;
    back_to(approved.return_url.as_deref(), &format!("token={}&PayerID=FAKEPAYER01", approved.id))
}

/// A redirect to the store's `url` with PayPal's `query` added.
fn back_to(url: Option<&str>, query: &str) -> Response {
    let url = url.unwrap_or_default();
    let joiner = if url.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{url}{joiner}{query}")).into_response()
}

async fn delivered(State(shared): State<Shared>) -> Response {
    axum::Json(shared.book.lock().unwrap().delivered.clone()).into_response()
}
