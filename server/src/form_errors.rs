//! Errors shown after a form post without JavaScript come from this server,
//! never from a link someone else wrote.
//!
//! Leptos answers a failed no-JavaScript post with a redirect back to the
//! `Referer`, the error in the query (`__path`, `__err`), and the pages show
//! what `__err` says. As it stands anyone could write such a link with any
//! text ("your account is locked, call …") and it would appear on a genuine
//! page. So:
//! - [`sign_form_redirects`] keeps those redirects on this site (a same-origin
//!   path, never wherever the `Referer` pointed; the one way off the site is
//!   a payment provider's hosted page, and only for a redirect that carries
//!   no error, which Leptos' redirect back to the `Referer` always does) and
//!   signs `__err` in a
//!   parameter of its own, `__sig=<expiry>.<HMAC-SHA256 of path, error and
//!   expiry>`, valid for [`TTL_SECS`]. `__err` itself stays as Leptos wrote
//!   it, so Leptos' own reading of it (a `ServerAction` created under the
//!   router starts with that error) works.
//! - [`verify_form_errors`] answers any page request whose `__err` is not
//!   signed by this server (forged, altered, expired) with a redirect to the
//!   same page without it, so a forged message never reaches a page, with
//!   or without JavaScript.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use app::state::AppState;

/// How long a signed error stays showable (a reload soon after still shows it).
pub const TTL_SECS: i64 = 600;

const ERR: &str = "__err";
const PATH: &str = "__path";
const SIG: &str = "__sig";

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn mac(key: &[u8; 32], path: &str, err: &str, expires: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(path.as_bytes());
    mac.update(b"\n");
    mac.update(err.as_bytes());
    mac.update(b"\n");
    mac.update(expires.to_string().as_bytes());
    mac
}

/// The `__sig` of `err` for `path`, valid until `expires`.
pub fn sign(key: &[u8; 32], path: &str, err: &str, expires: i64) -> String {
    let tag = mac(key, path, err, expires).finalize().into_bytes();
    format!("{expires}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// Whether `sig` makes `err` a genuine, unexpired error for `path`.
pub fn verify(key: &[u8; 32], path: &str, err: &str, sig: &str, now: i64) -> bool {
    let Some((expires, tag)) = sig.split_once('.') else {
        return false;
    };
    let Ok(expires_at) = expires.parse::<i64>() else {
        return false;
    };
    let Ok(tag) = URL_SAFE_NO_PAD.decode(tag) else {
        return false;
    };
    expires_at >= now
        && expires_at <= now + TTL_SECS
        && expires == expires_at.to_string()
        && mac(key, path, err, expires_at).verify_slice(&tag).is_ok()
}

fn key(state: &AppState) -> [u8; 32] {
    state.tokens.derived_key("form-errors")
}

/// A Location on this site as a path, or `None`. Absolute URLs count only
/// when they name this very host (Leptos puts the `Referer` there as sent).
fn same_origin_path(location: &str, host: Option<&str>, public_url: &str) -> Option<String> {
    let path = if let Some((scheme, rest)) = location.split_once("://") {
        if !matches!(scheme, "http" | "https") {
            return None;
        }
        let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
        let public_host = public_url.split_once("://").map(|(_, h)| h);
        if Some(authority) != host && Some(authority) != public_host {
            return None;
        }
        path.to_owned()
    } else {
        location.to_owned()
    };
    let safe = app::account::session::safe_next(Some(&path));
    (safe == path).then_some(path)
}

fn pairs_have_error(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(k, _)| k == ERR || k == PATH || k == SIG)
}

/// `scheme://authority` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (end > 0).then(|| &url[..scheme.len() + 3 + end])
}

/// Response side: see the module docs. Applies to plain HTML form posts.
pub async fn sign_form_redirects(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let form_post = req.method() == Method::POST
        && req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if !form_post {
        return next.run(req).await;
    }
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut res = next.run(req).await;
    if !res.status().is_redirection() {
        return res;
    }
    let Some(location) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return res;
    };
    let query_of = |url: &str| -> Vec<(String, String)> {
        let query = url.split_once('?').map_or("", |(_, q)| q);
        form_urlencoded::parse(query.as_bytes()).into_owned().collect()
    };
    let (path, pairs) = match same_origin_path(&location, host.as_deref(), &state.config.public_url) {
        Some(target) => (target.split_once('?').map_or(target.as_str(), |(p, _)| p).to_owned(), query_of(&target)),
        None if !pairs_have_error(&query_of(&location))
            && origin_of(&location).is_some_and(|o| state.payments.is_hosted_origin(o)) =>
        {
            // A server function sending the shopper to their payment page.
            *res.status_mut() = StatusCode::SEE_OTHER;
            return res;
        }
        None => {
            // Another site's page (a forged `Referer`): home, with only the error kept.
            tracing::info!("form post redirect to another origin replaced by /");
            let pairs = query_of(&location).into_iter().filter(|(k, _)| k == ERR || k == PATH).collect();
            ("/".to_owned(), pairs)
        }
    };
    let fn_path = pairs.iter().find(|(k, _)| k == PATH).map(|(_, v)| v.clone());
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        match (k.as_str(), &fn_path) {
            (ERR, Some(p)) => out.append_pair(k, v).append_pair(SIG, &sign(&key(&state), p, v, now() + TTL_SECS)),
            (ERR | SIG, _) => &mut out,
            _ => out.append_pair(k, v),
        };
    }
    let query = out.finish();
    let location = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
    match HeaderValue::from_str(&location) {
        Ok(v) => {
            res.headers_mut().insert(header::LOCATION, v);
        }
        Err(_) => {
            res.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    // 303: the browser follows with a GET whatever the form's method.
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}

/// Request side: see the module docs.
pub async fn verify_form_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(query) = req.uri().query() else {
        return next.run(req).await;
    };
    // Names are compared decoded, as the pages read them (`%5F%5Ferr` is `__err`).
    if !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return next.run(req).await;
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let errs: Vec<&String> = pairs.iter().filter(|(k, _)| k == ERR).map(|(_, v)| v).collect();
    let paths: Vec<&String> = pairs.iter().filter(|(k, _)| k == PATH).map(|(_, v)| v).collect();
    let sigs: Vec<&String> = pairs.iter().filter(|(k, _)| k == SIG).map(|(_, v)| v).collect();
    let genuine = match (errs.as_slice(), paths.as_slice(), sigs.as_slice()) {
        ([], [], []) => true,
        ([err], [path], [sig]) => verify(&key(&state), path, err, sig, now()),
        _ => false,
    };
    if genuine {
        return next.run(req).await;
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != ERR && k != PATH && k != SIG) {
        out.append_pair(k, v);
    }
    let rest = out.finish();
    let path = req.uri().path();
    let clean = if rest.is_empty() { path.to_owned() } else { format!("{path}?{rest}") };
    let mut res = Redirect::to(&clean).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn only_genuine_fresh_errors_verify() {
        let t = 1_000_000;
        let err = "eyJ4IjoxfQ==";
        let sig = sign(&KEY, "/api/auth/sign-in", err, t + 60);
        assert!(verify(&KEY, "/api/auth/sign-in", err, &sig, t));
        assert!(!verify(&KEY, "/api/cart/add", err, &sig, t), "bound to its server function");
        assert!(!verify(&KEY, "/api/auth/sign-in", err, &sig, t + 61), "expired");
        assert!(!verify(&[8; 32], "/api/auth/sign-in", err, &sig, t), "another key");
        assert!(!verify(&KEY, "/api/auth/sign-in", "eyJ5IjoxfQ==", &sig, t), "another error");
        assert!(!verify(&KEY, "/api/auth/sign-in", err, "", t), "unsigned");
        let far = sign(&KEY, "/p", "e", t + TTL_SECS + 100);
        assert!(!verify(&KEY, "/p", "e", &far, t), "no expiry beyond the TTL");
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(origin_of("https://pay.example/s/1?x=1"), Some("https://pay.example"));
        assert_eq!(origin_of("https://pay.example:8443"), Some("https://pay.example:8443"));
        assert_eq!(origin_of("https://pay.example?x"), Some("https://pay.example"));
        for bad in ["/local", "javascript://x", "https://", "pay.example/x"] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn redirects_stay_on_this_site() {
        let host = Some("127.0.0.1:3000");
        let public = "https://shop.example";
        assert_eq!(same_origin_path("http://127.0.0.1:3000/cart?x=1", host, public).as_deref(), Some("/cart?x=1"));
        assert_eq!(same_origin_path("https://shop.example/a", host, public).as_deref(), Some("/a"));
        assert_eq!(same_origin_path("/products/x", host, public).as_deref(), Some("/products/x"));
        for bad in ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)", "http://127.0.0.1:3000.evil/x"]
        {
            assert_eq!(same_origin_path(bad, host, public), None, "{bad}");
        }
    }
}
