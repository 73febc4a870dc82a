//! The two error types of the app.
//!
//! [`AppError`] is what the browser sees: small, serializable, safe to show.
//! [`ServerError`] (ssr only) carries the internals; it is logged on the server
//! and mapped to an [`AppError`] before it crosses the wire, so database
//! messages never reach a shopper.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One problem with one field of a form, told next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Client-facing error of every server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("please sign in")]
    Unauthorized,
    #[error("you do not have access to this")]
    Forbidden,
    #[error("too many attempts: please wait a few minutes and try again")]
    RateLimited,
    /// Someone else changed the same thing at the same moment; try again.
    #[error("that changed in the meantime; please try again")]
    Conflict,
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Several fields of a form need fixing; each message is shown next to its field.
    #[error("please correct the fields marked below")]
    Fields { fields: Vec<FieldError> },
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The cart store (Redis) cannot be reached right now; nothing was changed.
    #[error("your cart cannot be reached right now; nothing was changed: please try again in a moment")]
    CartUnavailable,
    /// A cart change was sent but its answer did not come back: it may or
    /// may not have been saved, and the shopper is told exactly that.
    #[error("your cart did not answer in time, so that change may or may not have been saved: please check your cart")]
    CartUncertain,
    /// The payment provider did not answer; the order is kept.
    #[error("the payment provider cannot be reached right now; your order is saved: please try again in a moment")]
    PaymentUnavailable,
    /// Transport or framework failure (network down, bad response).
    #[error("the store could not be reached; check your connection and try again")]
    Unavailable,
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    /// HTTP status this error maps to when answering a request.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Conflict => 409,
            Self::RateLimited => 429,
            Self::Validation { .. } | Self::Fields { .. } => 400,
            Self::Internal => 500,
            Self::Unavailable | Self::CartUnavailable | Self::CartUncertain | Self::PaymentUnavailable => 503,
        }
    }
}

/// What to tell the shopper: a validation message as written, anything else
/// by its description.
pub fn message(e: &AppError) -> String {
    match e {
        AppError::Validation { message, .. } => message.clone(),
        AppError::Fields { fields } if fields.len() == 1 => fields[0].message.clone(),
        other => other.to_string(),
    }
}

/// The error a form post without JavaScript came back with, if the current
/// URL carries one for a server function path that `matches`.
///
/// The server signs `__err` (in `__sig`) and turns away any page request
/// whose `__err` it did not sign (`server::form_errors`), so the text shown
/// is always the store's own.
pub fn form_error_from_url(matches: fn(&str) -> bool) -> impl Fn() -> Option<AppError> + Copy {
    use leptos::prelude::Read as _;
    let query = leptos_router::hooks::use_query_map();
    move || {
        let q = query.read();
        let path = q.get("__path")?;
        matches(&path).then(|| q.get("__err")).flatten().map(|e| decode_form_error(&e))
    }
}

/// Decodes an `__err` value (its signature travels in `__sig`).
pub fn decode_form_error(value: &str) -> AppError {
    leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(value)
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::validation("request", "the request was malformed")
            }
            // On the server this is a request body that did not decode (the
            // browser's own failure to decode a response is `Unavailable`).
            ServerFnErrorErr::Deserialization(_) if cfg!(feature = "ssr") => {
                Self::validation("request", "the request was malformed")
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{ServerError, finish, is_form_post};

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    /// Server-side failures, with their causes kept for the logs.
    #[derive(Debug, thiserror::Error)]
    pub enum ServerError {
        #[error("database: {0}")]
        Db(#[from] sea_orm::DbErr),
        #[error("search index: {0}")]
        Search(#[from] tantivy::TantivyError),
        #[error("not found")]
        NotFound,
        #[error("invalid {field}: {message}")]
        Validation { field: &'static str, message: String },
        #[error("configuration: {0}")]
        Config(String),
        #[error("missing server context: {0}")]
        Context(&'static str),
        #[error("internal: {0}")]
        Internal(String),
        #[error("e-mail already registered")]
        EmailTaken,
        #[error("wrong e-mail or password")]
        InvalidCredentials,
        #[error("session expired or revoked")]
        SessionExpired,
        #[error("not allowed for this role")]
        Forbidden,
        #[error("refresh token renewed concurrently")]
        RefreshRace,
        #[error("too many attempts")]
        RateLimited,
        #[error("confirmation link unknown, used or expired")]
        LinkExpired,
        /// The cart store could not be read, or a change was never sent.
        #[error("cart store: {0}")]
        CartStore(String),
        /// A cart change was sent and then failed: it may have been applied.
        #[error("cart store, outcome unknown: {0}")]
        CartUncertain(String),
        #[error("checkout: {0}")]
        Checkout(crate::orders::server::CheckoutProblem),
        #[error("{} fields need fixing", .0.len())]
        Fields(Vec<super::FieldError>),
        #[error("changed concurrently")]
        Conflict,
        /// A status change the order status machine does not allow.
        #[error("an order cannot go from {from:?} to {to:?}")]
        IllegalTransition { from: crate::orders::domain::OrderStatus, to: crate::orders::domain::OrderStatus },
        #[error(transparent)]
        Payment(#[from] crate::payments::PaymentError),
        #[error("webhook refused: {0}")]
        Webhook(#[from] crate::payments::WebhookError),
    }

    impl ServerError {
        /// The HTTP status a plain handler answers this with.
        pub fn status(&self) -> http::StatusCode {
            use crate::payments::WebhookError;
            use http::StatusCode as S;
            match self {
                Self::NotFound => S::NOT_FOUND,
                Self::Validation { .. }
                | Self::Fields(_)
                | Self::EmailTaken
                | Self::InvalidCredentials
                | Self::LinkExpired
                // Told next to the form's buttons, as a validation error.
                | Self::IllegalTransition { .. } => S::BAD_REQUEST,
                Self::Checkout(_) => S::UNPROCESSABLE_ENTITY,
                Self::SessionExpired => S::UNAUTHORIZED,
                Self::Forbidden => S::FORBIDDEN,
                Self::RefreshRace | Self::Conflict => S::CONFLICT,
                Self::RateLimited => S::TOO_MANY_REQUESTS,
                Self::CartStore(_)
                | Self::CartUncertain(_)
                | Self::Payment(_)
                | Self::Webhook(WebhookError::Unavailable(_)) => S::SERVICE_UNAVAILABLE,
                Self::Webhook(_) => S::BAD_REQUEST,
                Self::Db(_) | Self::Search(_) | Self::Config(_) | Self::Context(_) | Self::Internal(_) => {
                    S::INTERNAL_SERVER_ERROR
                }
            }
        }
    }

    /// Plain Axum handlers (webhooks, the stub's page) answer with the
    /// status of the variant and a short text; internals only reach the log.
    impl axum::response::IntoResponse for ServerError {
        fn into_response(self) -> axum::response::Response {
            let status = self.status();
            let text = if status.is_server_error() {
                tracing::error!(error = %self, "request failed");
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                tracing::info!(error = %self, "request refused");
                match &self {
                    Self::Webhook(e) => e.to_string(),
                    _ => AppError::from(self).to_string(),
                }
            };
            (status, [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
        }
    }

    /// Ends a server function: maps a failure to the client error and sets
    /// the status (404, 400…) of whatever response is being built.
    /// Whether the current request is a plain HTML form post (no JavaScript):
    /// it is answered with a redirect rather than data.
    pub fn is_form_post() -> bool {
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
            p.method == http::Method::POST
                && p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
        })
    }

    pub fn finish<T>(result: Result<T, ServerError>) -> Result<T, AppError> {
        result.map_err(|e| {
            let err = AppError::from(e);
            // A plain HTML form post (no JavaScript) is answered with a redirect
            // back carrying the error; a status here would replace that redirect.
            if !is_form_post()
                && let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                && let Ok(status) = http::StatusCode::from_u16(err.status())
            {
                res.set_status(status);
            }
            err
        })
    }

    impl From<ServerError> for AppError {
        fn from(err: ServerError) -> Self {
            match err {
                ServerError::NotFound => AppError::NotFound,
                ServerError::Validation { field, message } => AppError::Validation { field: field.into(), message },
                // Worded so that neither reveals whether an account exists.
                ServerError::EmailTaken => AppError::validation(
                    "email",
                    "We could not register with these details. If you already have an account, sign in instead.",
                ),
                ServerError::InvalidCredentials => AppError::validation(
                    "credentials",
                    "Wrong e-mail or password. Just registered? Open the link we e-mailed you first.",
                ),
                ServerError::SessionExpired => AppError::Unauthorized,
                ServerError::Forbidden => AppError::Forbidden,
                ServerError::RefreshRace => AppError::Conflict,
                ServerError::RateLimited => AppError::RateLimited,
                ServerError::CartStore(e) => {
                    tracing::warn!(error = %e, "cart store unavailable");
                    AppError::CartUnavailable
                }
                ServerError::CartUncertain(e) => {
                    tracing::warn!(error = %e, "cart change sent, outcome unknown");
                    AppError::CartUncertain
                }
                ServerError::Fields(fields) => AppError::Fields { fields },
                ServerError::Checkout(problem) => AppError::validation(problem.field(), problem.to_string()),
                ServerError::Conflict => AppError::Conflict,
                ServerError::IllegalTransition { from, to } => AppError::validation(
                    "status",
                    format!("An order that is “{}” cannot become “{}”.", from.admin_label(), to.admin_label()),
                ),
                ServerError::Payment(e) => {
                    tracing::warn!(error = %e, "payment provider failed");
                    AppError::PaymentUnavailable
                }
                ServerError::LinkExpired => AppError::validation(
                    "token",
                    "This link has expired or was already used. Sign in, or register again to get a new link.",
                ),
                other => {
                    tracing::error!(error = %other, "request failed");
                    AppError::Internal
                }
            }
        }
    }
}
