//! Rendered storefront pages for guests, kept per catalog snapshot.
//!
//! A guest (a request with no cookie at all) asking for a storefront page
//! (home, the listings, categories, product pages) gets the same HTML as
//! every other guest for as long as the catalog does not change: those pages
//! are rendered from the catalog's read model alone, and the only part of
//! them that differs between two responses is the CSP nonce. So the first
//! render of a URL is kept, cut at its nonce, and the next guest gets the
//! kept page with a nonce of its own put back, in the body and in the
//! Content-Security-Policy header.
//!
//! Freshness is the read model's own: before answering, the cache asks the
//! read model for its snapshot (which first catches up with this process's
//! commits and other servers' events, as a render would) and serves a kept
//! page only if it was rendered while that same snapshot was current. A
//! page whose render overlapped a change is kept under the older version,
//! so it is never served. Searches (a `q` in the query) are not kept: their
//! results come from the search index, which has no such version. Nor are
//! pages with a signed form error (`__err`), answers that are not a plain
//! 200 HTML page, or ones that set a cookie.
//!
//! Bounded: [`MAX_BYTES`] of pages; when a new page would not fit, the
//! cache starts over empty (the pages asked for often come back first).
//! `CACHES=off` turns it off.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

/// The most bytes of pages kept at once.
pub const MAX_BYTES: usize = 64 << 20;
/// The largest page kept; a bigger one is answered, not kept.
const MAX_PAGE: usize = 4 << 20;

/// The kept pages of one router (its state in [`layer`]).
#[derive(Clone)]
pub struct PageCache {
    app: AppState,
    kept: Arc<RwLock<Kept>>,
}

#[derive(Default)]
struct Kept {
    /// The snapshot version every page here was rendered from.
    version: u64,
    pages: HashMap<String, Arc<Page>>,
    bytes: usize,
}

/// One rendered page with its nonce cut out.
struct Page {
    headers: HeaderMap,
    /// The Content-Security-Policy, split where the nonce was.
    policy: Vec<String>,
    /// The HTML, split where the nonce was.
    body: Vec<String>,
}

impl Page {
    /// Cuts `nonce` out of a rendered page; `None` if the policy does not
    /// carry it.
    fn cut(mut headers: HeaderMap, body: &str, nonce: &str) -> Option<Self> {
        let policy = headers.remove(header::CONTENT_SECURITY_POLICY)?;
        let policy: Vec<String> = policy.to_str().ok()?.split(nonce).map(str::to_owned).collect();
        if policy.len() < 2 {
            return None;
        }
        Some(Page { headers, policy, body: body.split(nonce).map(str::to_owned).collect() })
    }

    fn bytes(&self) -> usize {
        self.body.iter().map(String::len).sum()
    }

    /// The page as an answer carrying `nonce`.
    fn answer(&self, nonce: &str) -> Response {
        let body = self.body.join(nonce);
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = self.headers.clone();
        if let Ok(policy) = HeaderValue::from_str(&self.policy.join(nonce)) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        res
    }
}

impl PageCache {
    /// The cache for `app`'s router; `None` when `CACHES=off` (or the read
    /// model is off, which it follows).
    pub fn new(app: &AppState) -> Option<Self> {
        (app.config.caches && app.catalog.is_some())
            .then(|| PageCache { app: app.clone(), kept: Arc::new(RwLock::new(Kept::default())) })
    }

    fn get(&self, version: u64, key: &str) -> Option<Arc<Page>> {
        let kept = self.kept.read().ok()?;
        (kept.version == version).then(|| kept.pages.get(key).cloned()).flatten()
    }

    fn keep(&self, version: u64, key: String, page: Arc<Page>) {
        let Ok(mut kept) = self.kept.write() else { return };
        if kept.version > version {
            return;
        }
        let size = page.bytes() + key.len();
        if kept.version < version || kept.bytes + size > MAX_BYTES {
            *kept = Kept { version, ..Kept::default() };
        }
        kept.bytes += size;
        if let Some(old) = kept.pages.insert(key.clone(), page) {
            kept.bytes -= old.bytes() + key.len();
        }
    }

    /// How many pages are kept now (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.kept.read().map(|k| k.pages.len()).unwrap_or_default()
    }

    /// Whether no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether `path` is a storefront page rendered from the catalog alone.
fn storefront(path: &str) -> bool {
    let under = |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    matches!(path, "/" | "/products" | "/categories") || under("/products/") || under("/categories/")
}

/// Whether the request is one whose page may be kept or answered from the cache.
fn cacheable(req: &Request) -> bool {
    req.method() == Method::GET
        && storefront(req.uri().path())
        && !req.headers().contains_key(header::COOKIE)
        && !req
            .uri()
            .query()
            .is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "q" || k == "__err"))
}

/// The nonce the page's policy names (`'nonce-…'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    let nonce = &policy[start..start + len];
    (nonce.len() >= 16).then(|| nonce.to_owned())
}

/// The middleware (innermost, around the page handlers).
pub async fn layer(State(cache): State<Option<PageCache>>, req: Request, next: Next) -> Response {
    let Some(cache) = cache.filter(|_| cacheable(&req)) else {
        return next.run(req).await;
    };
    let Some(catalog) = cache.app.catalog.clone() else {
        return next.run(req).await;
    };
    // The version current now, caught up as a render would be; if the
    // database cannot be asked, the page's own render reports it.
    let version = match catalog.snapshot(&cache.app.db).await {
        Ok(snapshot) => snapshot.version(),
        Err(_) => return next.run(req).await,
    };
    let key = req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    if let Some(page) = cache.get(version, &key) {
        return page.answer(&leptos::nonce::Nonce::new());
    }
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let Some(nonce) = nonce_of(res.headers()) else { return res };
    // The whole page is in memory anyway (rendered before it is sent):
    // read it all, and keep it if it is not too big.
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, path = %key, "a page's body failed while it was sent");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let kept = (bytes.len() <= MAX_PAGE)
        .then(|| std::str::from_utf8(&bytes).ok())
        .flatten()
        .and_then(|text| Page::cut(parts.headers.clone(), text, &nonce));
    if let Some(page) = kept {
        cache.keep(version, key, Arc::new(page));
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storefront_paths_only() {
        for path in ["/", "/products", "/categories", "/products/some-gpu", "/categories/gpus"] {
            assert!(storefront(path), "{path}");
        }
        for path in ["/cart", "/search", "/products/", "/products/a/b", "/admin", "/account/orders", "/api/x"] {
            assert!(!storefront(path), "{path}");
        }
    }

    #[test]
    fn the_nonce_is_cut_everywhere_and_put_back() {
        let nonce = "AAAAbbbbCCCCdddd0123==";
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("script-src 'nonce-{nonce}' 'strict-dynamic'")).unwrap(),
        );
        assert_eq!(nonce_of(&headers).as_deref(), Some(nonce));
        let body = format!("<link nonce=\"{nonce}\"><script nonce=\"{nonce}\">x</script>");
        let page = Page::cut(headers, &body, nonce).unwrap();
        let res = page.answer("ZZZZyyyyXXXXwwww9876==");
        assert_eq!(
            res.headers()[header::CONTENT_SECURITY_POLICY],
            "script-src 'nonce-ZZZZyyyyXXXXwwww9876==' 'strict-dynamic'"
        );
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(page.body.join("ZZZZyyyyXXXXwwww9876=="), body.replace(nonce, "ZZZZyyyyXXXXwwww9876=="));
    }
}
