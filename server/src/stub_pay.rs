//! The development payment stub's hosted page: `/pay/stub/{reference}`.
//!
//! Looks like a provider's page: what is being paid, until when, and Pay,
//! Fail, Cancel. Pay and Fail drive a webhook signed with the stub's secret
//! through [`crate::webhooks::handle`], the same code a real provider's
//! delivery goes through; then the shopper is sent back to the store. A 404
//! whenever the stub is off (always in production mode).

use app::payments::stub::{SIGNATURE_HEADER, StubAction};
use app::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

/// The page's only styles: legible, and buttons big enough to tap (44 px).
const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#0b0f1a;color:#e8ecf5}\
main{max-width:32rem;margin:0 auto;padding:1rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}\
dd{margin:0}form{display:flex;flex-wrap:wrap;gap:.75rem}button{font:inherit;min-height:44px;padding:0 1rem;\
border-radius:10px;border:1px solid #2a3550;background:#1c2438;color:#e8ecf5;cursor:pointer}\
button[value=pay]{background:#22d3ee;color:#04222a;border-color:#22d3ee}a{color:#22d3ee}";

/// The page's Content-Security-Policy: nothing but that style block, and
/// forms that post here.
fn csp() -> &'static str {
    static CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE.as_bytes()));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    });
    &CSP
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

pub async fn page(State(state): State<AppState>, Path(reference): Path<String>) -> Response {
    let Some(stub) = state.payments.stub() else { return not_found() };
    let Some(p) = stub.payment(&reference) else { return not_found() };
    let deadline = chrono::DateTime::<Utc>::from_timestamp(p.expires_at, 0)
        .map(|d| d.format("%H:%M UTC").to_string())
        .unwrap_or_default();
    let settled = matches!(p.status, app::payments::PaymentStatus::Paid { .. } | app::payments::PaymentStatus::Expired);
    let actions = if settled {
        format!(
            "<p>This payment is already settled.</p><p><a href=\"{}\">Back to the store</a></p>",
            escape(&p.success_url)
        )
    } else {
        format!(
            "<form method=\"post\" action=\"/pay/stub/{r}\">\
             <button name=\"action\" value=\"pay\">Pay {amount}</button> \
             <button name=\"action\" value=\"fail\">Fail the payment</button> \
             <button name=\"action\" value=\"cancel\">Cancel and go back</button></form>",
            r = escape(&p.reference),
            amount = escape(&p.amount.to_string()),
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>Test payment: {number}</title><style>{STYLE}</style></head>\
         <body><main><h1>Test payment</h1>\
         <p>Development stub: no money moves.</p>\
         <dl><dt>Order</dt><dd>{number}</dd><dt>Amount</dt><dd>{amount}</dd>\
         <dt>Pay by</dt><dd><time datetime=\"{iso}\">{deadline}</time></dd></dl>{actions}</main></body></html>",
        number = escape(&p.order_number),
        amount = escape(&p.amount.to_string()),
        iso = chrono::DateTime::<Utc>::from_timestamp(p.expires_at, 0).map(|d| d.to_rfc3339()).unwrap_or_default(),
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp())),
        ],
        html,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct Choice {
    action: String,
}

pub async fn act(State(state): State<AppState>, Path(reference): Path<String>, Form(choice): Form<Choice>) -> Response {
    let Some(stub) = state.payments.stub().cloned() else { return not_found() };
    let Some(p) = stub.payment(&reference) else { return not_found() };
    let action = match choice.action.as_str() {
        "pay" => StubAction::Pay,
        "fail" => StubAction::Fail,
        "cancel" => return Redirect::to(&p.cancel_url).into_response(),
        _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
    };
    let now = Utc::now();
    if let Some((body, signature)) = stub.act(&reference, action, now.timestamp()) {
        let mut headers = HeaderMap::new();
        match HeaderValue::from_str(&signature) {
            Ok(v) => headers.insert(SIGNATURE_HEADER, v),
            Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "signature").into_response(),
        };
        if let Err(e) = crate::webhooks::handle(&state, "stub", &headers, &body, now).await {
            // A provider retries failed deliveries; the stub reports it instead.
            return e.into_response();
        }
    }
    // A failure goes back like a cancel: the order page tells what happened.
    let back = if action == StubAction::Pay { p.success_url } else { p.cancel_url };
    Redirect::to(&back).into_response()
}
