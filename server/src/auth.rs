//! Session handling at the HTTP layer: who is asking, transparent refresh of
//! expired access tokens, the refresh endpoints, and the page guards.

use app::account::rate_limit::ClientIp;
use app::account::revocation::Liveness;
use app::account::server as accounts;
use app::account::session::{self, CurrentUser, REFRESH_PATH, safe_next};
use app::account::tokens::{AccessClaims, TokenError};
use app::state::AppState;
use axum::extract::{ConnectInfo, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// A browser asking for a page (not an API call or an asset).
fn is_page_request(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.starts_with("/images/")
        && req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

fn path_and_query(req: &Request) -> String {
    req.uri().path_and_query().map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned())
}

/// Percent-encodes a path for use as a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Set for a few seconds when a refresh could not complete for a reason
/// other than a dead session (a race with another tab, a database hiccup):
/// the page then renders for a guest instead of bouncing again.
const RETRY_MARKER: &str = "ob_rf";

fn retry_marker_cookie(secure: bool) -> String {
    cookie::Cookie::build((RETRY_MARKER, "1"))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(15))
        .build()
        .to_string()
}

/// Resolves the signed-in user of every request into a [`CurrentUser`]
/// request extension (Leptos reads it from the request parts).
///
/// A page request whose access token has expired is sent through
/// `GET /api/auth/refresh`, the one path that receives the refresh cookie,
/// and comes straight back with fresh tokens: the shopper never notices.
/// Pages under `/account` and `/admin` need a signed-in user, and `/admin`
/// pages an admin (a 403 for anyone else).
///
/// A token that is genuine and unexpired still has to belong to a live
/// session ([`app::account::revocation`]): signed out, revoked or locked,
/// it is a guest's; issued before a password or role change, it is renewed
/// like an expired one (and is a guest's for API calls until then).
pub async fn session_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ip = client_ip(&req, state.config.trust_proxy);
    req.extensions_mut().insert(ip);
    let token = session::cookie_value(req.headers(), session::access_cookie(state.config.cookie_secure));
    let verified = match token.as_deref().map(|t| state.tokens.verify_access_claims(t)) {
        Some(Ok(claims)) => match state.sessions.check(&state.db, &claims).await {
            Ok(Liveness::Live) => Ok(Some(claims)),
            Ok(Liveness::Stale) => Err(TokenError::Expired),
            Ok(Liveness::Revoked) => Ok(None),
            // Cannot tell (the database stumbled): a guest for this request,
            // cookies untouched.
            Err(e) => {
                tracing::warn!(error = %e, "session check failed");
                Ok(None)
            }
        },
        Some(Err(e)) => Err(e),
        None => Ok(None),
    };
    let claims: Option<AccessClaims> = match verified {
        Ok(claims) => claims,
        Err(TokenError::Expired)
            if is_page_request(&req) && session::cookie_value(req.headers(), RETRY_MARKER).is_none() =>
        {
            let back = path_and_query(&req);
            return Redirect::to(&format!("{REFRESH_PATH}/refresh?next={}", encode(&back))).into_response();
        }
        Err(_) => None,
    };
    let (user, expires_at) = claims.as_ref().map_or((None, 0), |c| (Some(c.user.clone()), c.expires_at));
    let path = req.uri().path();
    let guarded = ["/account", "/admin"].iter().any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if guarded && user.is_none() && is_page_request(&req) {
        let back = path_and_query(&req);
        return Redirect::to(&format!("/sign-in?next={}", encode(&back))).into_response();
    }
    // The back office: a signed-in non-admin is refused every `/admin`
    // page. The page still renders (the admin layout renders the refusal in
    // place of any admin page, so the browser hydrates what it was sent),
    // and the answer is a 403 whatever the page did.
    let refused = user.as_ref().is_some_and(|u| !u.is_admin())
        && (path == "/admin" || path.starts_with("/admin/"))
        && is_page_request(&req);
    req.extensions_mut().insert(CurrentUser { user, expires_at, claims });
    let mut res = next.run(req).await;
    if refused && !res.status().is_redirection() {
        *res.status_mut() = axum::http::StatusCode::FORBIDDEN;
    }
    res
}

fn client_ip(req: &Request, trust_proxy: bool) -> ClientIp {
    let forwarded = trust_proxy
        // The rightmost hop is the one our proxy added; anything left of it is the client's say-so.
        .then(|| req.headers().get("x-forwarded-for")?.to_str().ok()?.rsplit(',').next()?.trim().parse().ok())
        .flatten();
    ClientIp(forwarded.or_else(|| req.extensions().get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())))
}

fn with_cookies(mut res: Response, cookies: [String; 2]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /api/auth/refresh?next=/path`: rotates the refresh token and returns
/// to `next`. If the session is gone, clears the cookies and returns anyway
/// (the page then renders for a guest or asks to sign in).
pub async fn refresh_redirect(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    // Read by hand: a malformed or repeated `next` is no reason to fail a
    // session renewal; it just returns home.
    let nexts: Vec<String> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned())
        .collect();
    let back = match nexts.as_slice() {
        [one] => safe_next(Some(one)),
        _ => "/".to_owned(),
    };
    let secure = state.config.cookie_secure;
    let Some(token) = session::cookie_value(&headers, session::refresh_cookie(state.config.cookie_secure)) else {
        return with_cookies(Redirect::to(&back).into_response(), session::cleared_cookies(secure));
    };
    match accounts::refresh(&state.db, &state.tokens, &token).await {
        Ok(s) => with_cookies(
            Redirect::to(&back).into_response(),
            session::session_cookies(&s, state.config.refresh_ttl, secure),
        ),
        Err(app::error::ServerError::SessionExpired) => {
            with_cookies(Redirect::to(&back).into_response(), session::cleared_cookies(secure))
        }
        // Another tab rotated first (its cookies win), or the database stumbled:
        // keep the cookies, and render the next page as a guest instead of bouncing again.
        Err(e) => {
            tracing::info!(error = %e, "refresh not completed");
            let mut res = Redirect::to(&back).into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_marker_cookie(secure)) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
    }
}
