//! Account server functions. Sign-in, registration and sign-out live under
//! `/api/auth`, the only path the refresh cookie is sent to.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use super::domain::SessionUser;
use crate::error::AppError;

/// The signed-in user as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub user: SessionUser,
    /// Seconds until the access token expires: the client renews before then.
    pub expires_in: i64,
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::account::domain::{Email, Password};
    pub use crate::account::server as accounts;
    pub use crate::account::session::{self, current_user, safe_next};
    pub use crate::error::{ServerError, finish};
    pub use crate::state::AppState;

    /// Stores `session` in the response's cookies.
    pub fn set_session(state: &AppState, s: &accounts::Session) {
        append_cookies(session::session_cookies(s, state.config.refresh_ttl, state.config.cookie_secure));
    }

    pub fn append_cookies(cookies: [String; 2]) {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            for c in cookies {
                if let Ok(v) = http::HeaderValue::from_str(&c) {
                    res.append_header(http::header::SET_COOKIE, v);
                }
            }
        }
    }

    /// Starts a session for `user`, stores it in cookies and sends the browser on.
    pub async fn sign_in_as(
        state: &AppState,
        user: crate::account::domain::SessionUser,
        next: Option<&str>,
    ) -> Result<crate::account::domain::SessionUser, ServerError> {
        let session = accounts::start_session(&state.db, &state.tokens, user.clone()).await?;
        set_session(state, &session);
        leptos_axum::redirect(&safe_next(next));
        Ok(user)
    }

    pub fn invalid(field: &'static str, message: &str) -> ServerError {
        ServerError::Validation { field, message: message.to_owned() }
    }
}

/// Who is signed in (`None` for guests).
#[server(prefix = "/api/account", endpoint = "me")]
pub async fn me() -> Result<Option<SessionView>, AppError> {
    Ok(crate::account::session::current_session().map(|(user, expires_in)| SessionView { user, expires_in }))
}

/// Renews the session (the hydrated client calls this shortly before the
/// access token expires). Returns the seconds the new access token lasts.
#[server(prefix = "/api/auth", endpoint = "renew")]
pub async fn renew() -> Result<i64, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let parts =
                leptos::prelude::use_context::<http::request::Parts>().ok_or(ServerError::Context("request parts"))?;
            let token = session::cookie_value(&parts.headers, session::refresh_cookie(state.config.cookie_secure))
                .ok_or(ServerError::SessionExpired)?;
            match accounts::refresh(&state.db, &state.tokens, &token).await {
                Ok(s) => {
                    set_session(&state, &s);
                    Ok(state.tokens.access_ttl.as_secs() as i64)
                }
                Err(ServerError::SessionExpired) => {
                    append_cookies(session::cleared_cookies(state.config.cookie_secure));
                    Err(ServerError::SessionExpired)
                }
                // Another tab renewed a moment ago (its cookies are already in
                // place), or the database stumbled: keep the cookies.
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// Signs in and sends the browser to `next` (a path on this site).
#[server(prefix = "/api/auth", endpoint = "sign-in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<SessionUser, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let ip = session::client_ip();
            if !state.limits.attempt(ip, &email) {
                return Err(ServerError::RateLimited);
            }
            let user = match accounts::authenticate(&state.db, &email, &password).await {
                Ok(user) => {
                    state.limits.succeeded(ip, &email);
                    user
                }
                Err(e) => {
                    state.limits.failed(ip, &email);
                    return Err(e);
                }
            };
            sign_in_as(&state, user, next.as_deref()).await
        }
        .await,
    )
}

/// Registers a customer account and mails the address a confirmation link
/// (or, if it already has an account, a note saying so). Both end on the
/// same "check your inbox" page: the form never tells who has an account.
#[server(prefix = "/api/auth", endpoint = "register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn register(email: String, password: String, confirm: String, next: Option<String>) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let ip = session::client_ip();
            if !state.limits.attempt(ip, &email) {
                return Err(ServerError::RateLimited);
            }
            let email = Email::parse(&email).map_err(|m| invalid("email", m))?;
            let password = Password::parse(&password).map_err(|m| invalid("password", m))?;
            if confirm != password.expose() {
                return Err(invalid("confirm", "The two passwords do not match."));
            }
            // Every registration counts against the address (from this client), so
            // the form cannot be used to flood someone's inbox.
            state.limits.failed(ip, email.as_str());
            let url = &state.config.public_url;
            let mail = match accounts::register(&state.db, &email, &password).await? {
                accounts::Registration::Pending { token } => {
                    crate::account::emails::confirmation(url, &email, &token, &safe_next(next.as_deref()))
                }
                accounts::Registration::Exists => crate::account::emails::already_registered(url, &email),
            };
            state.mailer.send(&mail).await?;
            leptos_axum::redirect("/register/check-email");
            Ok(())
        }
        .await,
    )
}

/// Confirms a registration from the e-mailed link (with the password chosen
/// then), signs the new account in and sends the browser to `next`.
#[server(prefix = "/api/auth", endpoint = "confirm")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_email(token: String, password: String, next: Option<String>) -> Result<SessionUser, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let (ip, key) = (session::client_ip(), "confirm-email");
            if !state.limits.attempt(ip, key) {
                return Err(ServerError::RateLimited);
            }
            let user = match accounts::confirm_email(&state.db, &token, &password).await {
                Ok(user) => user,
                Err(e) => {
                    state.limits.failed(ip, key);
                    return Err(e);
                }
            };
            sign_in_as(&state, user, next.as_deref()).await
        }
        .await,
    )
}

/// Signs out: revokes this browser's token family and clears its cookies.
#[server(prefix = "/api/auth", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let parts =
                leptos::prelude::use_context::<http::request::Parts>().ok_or(ServerError::Context("request parts"))?;
            // Both names: the current one, and over HTTPS the unprefixed one a
            // browser may still hold from before `COOKIE_SECURE` was switched on.
            let secure = state.config.cookie_secure;
            for name in [session::refresh_cookie(secure), session::REFRESH_COOKIE] {
                if let Some(token) = session::cookie_value(&parts.headers, name) {
                    accounts::sign_out(&state.db, &token).await?;
                }
            }
            // The access token names its family too: it dies with it, even
            // when the refresh cookie did not come along.
            if let Some(claims) = session::current_claims() {
                accounts::sign_out_family(&state.db, claims.user.id, &claims.session.family).await?;
                state.sessions.forget(claims.user.id);
            }
            append_cookies(session::cleared_cookies(secure));
            if let Some(legacy) = session::legacy_cleared_cookies(secure) {
                append_cookies(legacy);
            }
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Changes the password; every other session of the account ends, this one
/// continues with fresh tokens.
#[server(prefix = "/api/account", endpoint = "password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let user = current_user().ok_or(ServerError::SessionExpired)?;
            // Guessing the current password with a stolen access token is limited too.
            let (ip, key) = (session::client_ip(), format!("user:{}", user.id));
            if !state.limits.attempt(ip, &key) {
                return Err(ServerError::RateLimited);
            }
            let new = Password::parse(&password).map_err(|m| invalid("password", m))?;
            if confirm != new.expose() {
                return Err(invalid("confirm", "The two passwords do not match."));
            }
            if let Err(e) = accounts::change_password(&state.db, user.id, &current, &new).await {
                if matches!(e, ServerError::Validation { field: "current_password", .. }) {
                    state.limits.failed(ip, &key);
                }
                return Err(e);
            }
            state.sessions.forget(user.id);
            let session = accounts::start_session(&state.db, &state.tokens, user).await?;
            set_session(&state, &session);
            leptos_axum::redirect("/account?password=changed");
            Ok(())
        }
        .await,
    )
}
