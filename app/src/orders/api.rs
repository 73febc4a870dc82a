//! Order server functions under `/api/orders`. An order is shown to the
//! account that placed it, or to whoever holds its private link secret
//! (`key`, from the confirmation e-mail, or the cookie a guest's browser got
//! when placing it). Anything else is "not found", for every reason alike.

use leptos::prelude::*;

use super::domain::{OrderSummary, OrderView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::account::session::current_user;
    pub use crate::error::{ServerError, finish, is_form_post};
    pub use crate::orders::server::{self as orders, Viewer};
    pub use crate::state::AppState;
    pub use sea_orm::EntityTrait;

    /// Every way the current request may see order `number`.
    pub fn viewers(number: &str, key: Option<String>) -> Vec<Viewer> {
        let mut out = Vec::new();
        if let Some(u) = current_user() {
            out.push(Viewer::User(u.id));
        }
        if let Some(k) = key.filter(|k| !k.is_empty() && k.len() <= 64) {
            out.push(Viewer::Key(k));
        }
        let cookie = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| crate::account::session::cookie_value(&p.headers, crate::checkout::api::GUEST_ORDER_COOKIE));
        if let Some((n, k)) = cookie.as_deref().and_then(|c| c.split_once('.'))
            && n == number
        {
            out.push(Viewer::Key(k.to_owned()));
        }
        out
    }
}

/// One order, for its owner. Coming back from the payment page, a pending
/// order asks its provider once whether it has been paid (the webhook may
/// be slower than the shopper); that only speeds up what the webhook does.
#[server(prefix = "/api/orders", endpoint = "get")]
pub async fn get_order(number: String, key: Option<String>) -> Result<OrderView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let viewers = viewers(&number, key);
            let o = orders::find_for(&state.db, &number, &viewers).await?;
            if o.status == entity::order::OrderStatus::Pending
                && o.provider_ref.is_some()
                && let Some(p) = state.payments.get(&o.provider)
            {
                match orders::refresh_from_provider(&state.db, p.as_ref(), o.id, chrono::Utc::now()).await {
                    Ok(result) => crate::orders::effects::after_event(&state, &result).await,
                    Err(e) => tracing::warn!(order = %o.number, error = %e, "asking the provider failed"),
                }
            }
            // Read again: the refresh may have moved it.
            let o = entity::order::Entity::find_by_id(o.id).one(&state.db).await?.ok_or(ServerError::NotFound)?;
            orders::view_of(&state.db, o, &state.payments).await
        }
        .await,
    )
}

/// The signed-in shopper's orders, newest first.
#[server(prefix = "/api/orders", endpoint = "mine")]
pub async fn my_orders() -> Result<Vec<OrderSummary>, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let user = current_user().ok_or(ServerError::SessionExpired)?;
            orders::list_for_user(&state.db, user.id).await
        }
        .await,
    )
}

/// Opens the hosted payment of an order that still awaits one (after a
/// failed or abandoned payment) and sends the shopper there.
#[server(prefix = "/api/orders", endpoint = "pay")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(key)))]
pub async fn pay_order(number: String, key: Option<String>) -> Result<String, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let o = orders::find_for(&state.db, &number, &viewers(&number, key)).await?;
            let provider = state.payments.get(&o.provider).cloned().ok_or(ServerError::NotFound)?;
            let go_to = if o.status == entity::order::OrderStatus::Pending && o.hold_expires_at > chrono::Utc::now() {
                crate::checkout::server::open_payment(&state, provider.as_ref(), &o).await?
            } else {
                format!("/orders/{}", o.number)
            };
            if is_form_post() {
                leptos_axum::redirect(&go_to);
            }
            Ok(go_to)
        }
        .await,
    )
}
