//! HTTP details every response gets right: one canonical URL per page,
//! honest cache headers for assets and for pages that depend on the
//! session, and request headers that do not parse are ignored, not obeyed.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::account::session;
use app::state::AppState;

/// Resolves `.` and `..` segments, collapses repeated slashes and drops a
/// trailing slash. `None` when `path` is canonical already.
fn canonical_path(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let canonical = format!("/{}", segments.join("/"));
    (canonical != path).then_some(canonical)
}

/// `/products/`, `/admin/../admin`, `//cart`: a 308 to the one URL of the
/// page (query kept), instead of a 404 or a second copy of the page.
pub async fn canonical_urls(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(path) = canonical_path(req.uri().path()) else {
        return next.run(req).await;
    };
    let location = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    match HeaderValue::from_str(&location) {
        Ok(v) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// A `Range` header as RFC 9110 writes it: `bytes=` and one or more
/// `first-last`, `first-` or `-suffix` specs. Anything else is ignored (the
/// whole file is sent), as the RFC says, rather than answered with 416.
fn range_is_well_formed(value: &str) -> bool {
    let Some(specs) = value.strip_prefix("bytes=") else {
        return false;
    };
    specs.split(',').all(|spec| {
        let Some((first, last)) = spec.trim().split_once('-') else {
            return false;
        };
        let digits = |s: &str| !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit());
        match (first.is_empty(), last.is_empty()) {
            (false, true) => digits(first),
            (true, false) => digits(last),
            (false, false) => digits(first) && digits(last) && first.parse::<u64>().ok() <= last.parse::<u64>().ok(),
            (true, true) => false,
        }
    })
}

/// How one static directory is served.
#[derive(Clone, Copy, Debug)]
pub struct StaticPolicy {
    /// `Cache-Control` of files found.
    pub cache: &'static str,
    /// File extensions served from it; every other name is a 404.
    pub extensions: &'static [&'static str],
}

/// Hashed build output: scripts, wasm and styles, never renamed in place.
pub const PKG: StaticPolicy =
    StaticPolicy { cache: "public, max-age=31536000, immutable", extensions: &["js", "wasm", "css"] };
/// Product and category images may be replaced under the same name.
pub const IMAGES: StaticPolicy = StaticPolicy {
    cache: "public, max-age=86400, stale-while-revalidate=604800",
    extensions: &["svg", "png", "jpg", "jpeg", "webp", "avif"],
};

/// Around a static directory: only its own kinds of file, cache headers
/// for hits only (a miss must not be cached like an asset), and
/// `Vary: Accept-Encoding` on every representation (brotli, gzip, identity),
/// so no shared cache hands compressed bytes to a client that cannot read them.
pub async fn static_files(State(policy): State<StaticPolicy>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let allowed = !path.ends_with(".d.ts")
        && path.rsplit_once('.').is_some_and(|(_, ext)| policy.extensions.contains(&ext.to_ascii_lowercase().as_str()));
    if !allowed {
        return (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "not found").into_response();
    }
    if let Some(range) = req.headers().get(header::RANGE)
        && !range.to_str().is_ok_and(range_is_well_formed)
    {
        req.headers_mut().remove(header::RANGE);
        req.headers_mut().remove(header::IF_RANGE);
    }
    let mut res = next.run(req).await;
    let status = res.status();
    let cache = if status.is_success() || status == StatusCode::NOT_MODIFIED { policy.cache } else { "no-store" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    let varies = res
        .headers()
        .get_all(header::VARY)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding")));
    if !varies {
        res.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// Whether the request carries a session cookie (access or refresh, either name).
fn has_session_cookie(req: &Request, secure: bool) -> bool {
    [session::access_cookie(secure), session::refresh_cookie(secure), session::ACCESS_COOKIE]
        .iter()
        .any(|name| session::cookie_value(req.headers(), name).is_some_and(|v| !v.is_empty()))
}

/// Cache headers for everything that is not a static file:
/// - a response to a request with a session cookie, or one that sets a
///   cookie, may show who is signed in: `private, no-store` (no shared cache
///   keeps it, no browser cache either);
/// - guest pages carry a per-response CSP nonce and the cart's state: `no-cache`
///   (a cache must ask again every time; with no validators, that is a
///   fresh page), and `Vary: Cookie` in case a cache ignores that.
pub async fn cache_policy(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let session = has_session_cookie(&req, state.config.cookie_secure);
    let mut res = next.run(req).await;
    // Files marked `public` here (assets, robots, sitemap) are the same for
    // everyone, cookies or not.
    if res.headers().get(header::CACHE_CONTROL).is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with("public"))) {
        return res;
    }
    let sets_cookie = res.headers().contains_key(header::SET_COOKIE);
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = res.headers_mut();
    if session || sets_cookie {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    } else if html && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if html || session {
        headers.append(header::VARY, HeaderValue::from_static("cookie"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_per_page() {
        assert_eq!(canonical_path("/"), None);
        assert_eq!(canonical_path("/products"), None);
        assert_eq!(canonical_path("/products/").as_deref(), Some("/products"));
        assert_eq!(canonical_path("/admin/../admin").as_deref(), Some("/admin"));
        assert_eq!(canonical_path("//cart").as_deref(), Some("/cart"));
        assert_eq!(canonical_path("/a/./b//c/").as_deref(), Some("/a/b/c"));
        assert_eq!(canonical_path("/../../etc/passwd").as_deref(), Some("/etc/passwd"));
    }

    #[test]
    fn ranges_parse_or_are_ignored() {
        for good in ["bytes=0-99", "bytes=100-", "bytes=-500", "bytes=0-0, 5-9"] {
            assert!(range_is_well_formed(good), "{good}");
        }
        for bad in ["bytes=abc", "bytes=9-1", "bytes=-", "items=0-1", "bytes=", "bytes=1-2-3", "0-10"] {
            assert!(!range_is_well_formed(bad), "{bad}");
        }
    }
}
