//! Payment webhooks: `POST /webhooks/{provider}`, a plain Axum handler
//! outside the server-function path.
//!
//! The raw body and the signature come first (verified by the provider's
//! own [`app::payments::PaymentProvider::verify_webhook`]); then the event
//! goes through the inbox (`payment_events`, unique per provider and event
//! id) and changes the order in the same transaction. Answers: 200 for an
//! applied, duplicate or ignored event (the provider must stop resending),
//! 400 for a bad or stale signature, 404 for a provider that is not
//! enabled, 503 when verification could not be done (the provider retries).

use app::error::ServerError;
use app::orders::server::{EventResult, apply_event};
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// Webhook bodies are small JSON documents; anything bigger is refused.
pub const MAX_BODY: usize = 256 * 1024;

pub async fn receive(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&state, &provider, &headers, &body, Utc::now()).await {
        Ok(result) => (StatusCode::OK, format!("{result:?}").to_lowercase()).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Verifies and applies one webhook delivery at `now` (tests pass their own
/// clock), then runs the effects of a payment once.
pub async fn handle(
    state: &AppState,
    provider: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<EventResult, ServerError> {
    let p = state.payments.get(provider).ok_or(ServerError::NotFound)?;
    let event = match p.verify_webhook(headers, body, now.timestamp()).await {
        Ok(event) => event,
        Err(e) => {
            // Every delivery that did not verify is in the inbox as refused
            // (PayPal's own "FAILURE" answers as `Unavailable`, so that it
            // delivers again); a malformed event is not: its text is the
            // sender's, not a verification result.
            if !matches!(e, app::payments::WebhookError::Malformed(_))
                && let Err(stored) = app::orders::server::record_refused(&state.db, p.id(), &e.to_string(), now).await
            {
                tracing::warn!(error = %stored, "refused webhook not recorded");
            }
            return Err(e.into());
        }
    };
    let result = apply_event(&state.db, p.id(), &event, now).await?;
    tracing::info!(provider = p.id(), event = %event.id, kind = %event.kind, ?result, "payment event");
    app::orders::effects::after_event(state, &result).await;
    Ok(result)
}
