//! Cross-site request checks and security headers.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses state-changing requests sent from another site.
///
/// Session cookies are `SameSite=Lax` already; this adds the browser's own
/// word: `Sec-Fetch-Site` must be `same-origin` (or `none`, typed by the
/// user), and without it `Origin`, when sent, must be this host. Clients that
/// send neither (curl, old browsers) carry no ambient cookies from a
/// cross-site page, so they pass.
pub async fn csrf_layer(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match fetch_site {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                origin.split_once("://").is_some_and(|(_, rest)| !host.is_empty() && rest == host)
            }
            None => true,
        },
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

/// Gives every request a [`app::app::PagePolicy`] slot; a page that comes
/// back without the Content-Security-Policy its render recorded there gets
/// it (and a warning in the log: see the type's docs).
pub async fn page_policy(mut req: Request, next: Next) -> Response {
    let slot = app::app::PagePolicy::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CONTENT_SECURITY_POLICY)
        && let Some(policy) = slot.get()
        && let Ok(value) = HeaderValue::from_str(&policy)
    {
        tracing::warn!("a rendered page lost its Content-Security-Policy header; restored");
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// Headers for every response. Pages set their own Content-Security-Policy
/// with the per-request nonce (`app::shell`); everything else gets a
/// policy that allows nothing. Served over HTTPS (`COOKIE_SECURE`), browsers
/// are also told to use nothing but HTTPS for a year.
pub fn default_headers(https: bool) -> Vec<(header::HeaderName, HeaderValue)> {
    let mut headers = vec![
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")),
    ];
    if https {
        headers.push((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000")));
    }
    headers
}

/// Server functions answer every failure they raise before the function
/// body runs (arguments that do not decode, say) with a 500. The body is the
/// client error; its own status is the honest one (a malformed request is a
/// 400, not a server fault), so it replaces the 500 here.
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
