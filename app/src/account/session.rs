//! Session cookies and the signed-in user of the current request (ssr only).
//!
//! Two cookies, both HttpOnly and SameSite=Lax:
//! - `ob_at`: the access JWT, path `/`. It outlives the token inside it, so
//!   an expired token still tells the server "this browser had a session".
//! - `ob_rt`: the opaque refresh token, path [`REFRESH_PATH`] only, so it
//!   travels with sign-in, sign-out and refresh requests and nothing else.

use cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use super::domain::SessionUser;
use super::server::Session;

pub const ACCESS_COOKIE: &str = "ob_at";
pub const REFRESH_COOKIE: &str = "ob_rt";

/// The access cookie's name. Over HTTPS it carries the `__Host-` prefix:
/// browsers then accept it only with `Secure`, `Path=/` and no `Domain`, so
/// a sibling subdomain or a plain-HTTP page cannot plant or shadow it.
pub fn access_cookie(secure: bool) -> &'static str {
    if secure { "__Host-ob_at" } else { ACCESS_COOKIE }
}

/// The refresh cookie's name: `__Secure-` over HTTPS (`__Host-` needs `Path=/`).
pub fn refresh_cookie(secure: bool) -> &'static str {
    if secure { "__Secure-ob_rt" } else { REFRESH_COOKIE }
}
/// Where the refresh cookie is sent, and where the auth endpoints live.
pub const REFRESH_PATH: &str = "/api/auth";

/// Who the session middleware found on this request.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser {
    /// `None`: a guest.
    pub user: Option<SessionUser>,
    /// When the access token expires (unix seconds); 0 for guests.
    pub expires_at: i64,
    /// The live session's token claims (`None` for guests).
    pub claims: Option<super::tokens::AccessClaims>,
}

fn request_session() -> Option<CurrentUser> {
    leptos::prelude::use_context::<http::request::Parts>()?.extensions.get::<CurrentUser>().cloned()
}

/// The signed-in user of the request being handled (page render or server function).
pub fn current_user() -> Option<SessionUser> {
    request_session()?.user
}

/// The access token claims of the signed-in user of this request.
pub fn current_claims() -> Option<super::tokens::AccessClaims> {
    request_session()?.claims
}

/// The signed-in user and the seconds until their access token expires.
pub fn current_session() -> Option<(SessionUser, i64)> {
    let s = request_session()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Some((s.user?, (s.expires_at - now).max(0)))
}

/// The client address of the current request.
pub fn client_ip() -> super::rate_limit::ClientIp {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<super::rate_limit::ClientIp>().copied())
        .unwrap_or(super::rate_limit::ClientIp(None))
}

/// The signed-in user, or `SessionExpired` (401) for guests.
pub fn require_user() -> Result<SessionUser, crate::error::ServerError> {
    current_user().ok_or(crate::error::ServerError::SessionExpired)
}

/// The signed-in admin, or 401 for guests and 403 for everyone else. Every
/// admin server function starts with this: they are public POST endpoints.
pub fn require_admin() -> Result<SessionUser, crate::error::ServerError> {
    let user = require_user()?;
    if user.is_admin() { Ok(user) } else { Err(crate::error::ServerError::Forbidden) }
}

fn base(name: &'static str, value: String, path: &'static str, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value)).path(path).http_only(true).secure(secure).same_site(SameSite::Lax).build()
}

/// `Set-Cookie` values that store `session`.
pub fn session_cookies(session: &Session, refresh_ttl: std::time::Duration, secure: bool) -> [String; 2] {
    let max_age = CookieDuration::seconds(refresh_ttl.as_secs() as i64);
    let mut access = base(access_cookie(secure), session.access_token.clone(), "/", secure);
    access.set_max_age(max_age);
    let mut refresh = base(refresh_cookie(secure), session.refresh_token.clone(), REFRESH_PATH, secure);
    refresh.set_max_age(max_age);
    [access.to_string(), refresh.to_string()]
}

/// `Set-Cookie` values that delete both cookies.
pub fn cleared_cookies(secure: bool) -> [String; 2] {
    let mut access = base(access_cookie(secure), String::new(), "/", secure);
    access.make_removal();
    let mut refresh = base(refresh_cookie(secure), String::new(), REFRESH_PATH, secure);
    refresh.make_removal();
    [access.to_string(), refresh.to_string()]
}

/// Over HTTPS, removals for the unprefixed names a browser may still hold
/// from before `COOKIE_SECURE` was set (sign-out sends these too).
pub fn legacy_cleared_cookies(secure: bool) -> Option<[String; 2]> {
    secure.then(|| cleared_cookies(false))
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A same-site relative path to return to after signing in; anything else
/// (absolute URLs, `//host`, backslashes) becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains("://")
                // Browsers drop tabs and newlines from URLs ("/<TAB>/evil" becomes "//evil").
                && !n.chars().any(|c| c.is_control() || c.is_whitespace())
                && n.len() < 512 =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account?tab=1")), "/account?tab=1");
        for bad in ["//evil.com", "https://evil.com", "/\\evil.com", "evil", "", "/\t/evil.com", "/\n", "/ /evil.com"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn cookies_are_http_only_and_scoped() {
        let s = Session {
            user: SessionUser { id: 1, email: "a@b.co".into(), role: super::super::domain::Role::Customer },
            access_token: "AT".into(),
            refresh_token: "RT".into(),
        };
        let [access, refresh] = session_cookies(&s, std::time::Duration::from_secs(60), true);
        assert!(access.starts_with("__Host-ob_at=AT") && access.contains("HttpOnly") && access.contains("Path=/;"));
        assert!(access.contains("Secure") && access.contains("SameSite=Lax") && access.contains("Max-Age=60"));
        assert!(!access.contains("Domain"));
        assert!(refresh.starts_with("__Secure-ob_rt=RT") && refresh.contains("Path=/api/auth"));
        let [plain, _] = session_cookies(&s, std::time::Duration::from_secs(60), false);
        assert!(plain.starts_with("ob_at=AT") && !plain.contains("Secure"));
        let [gone, _] = cleared_cookies(false);
        assert!(gone.starts_with("ob_at=;") && gone.contains("Max-Age=0") && !gone.contains("Secure"));
        let [gone, _] = cleared_cookies(true);
        assert!(gone.starts_with("__Host-ob_at=;") && gone.contains("Secure"));
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "x=1; ob_at=abc; y=2".parse().unwrap());
        assert_eq!(cookie_value(&headers, ACCESS_COOKIE).as_deref(), Some("abc"));
    }
}
