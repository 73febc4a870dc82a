//! Admin server functions under `/api/admin`. Each checks the caller's role
//! itself: the `/admin` page guard does not cover these public POST
//! endpoints.

use leptos::prelude::*;

use super::domain::{AdminOrder, Dashboard, OrderFilter, OrderPage};
use crate::error::AppError;
use crate::orders::domain::OrderStatus;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::account::session::require_admin;
    pub use crate::error::{finish, is_form_post};
    pub use crate::state::AppState;
}

/// Today's orders and revenue, what needs doing, and stock to watch.
#[server(prefix = "/api/admin", endpoint = "dashboard")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_dashboard() -> Result<Dashboard, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::dashboard(&state.db, chrono::Utc::now()).await
        }
        .await,
    )
}

/// One page of the orders matching `filter`.
#[server(prefix = "/api/admin", endpoint = "orders")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_orders(filter: OrderFilter) -> Result<OrderPage, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::list_orders(&state.db, &state.payments, &filter).await
        }
        .await,
    )
}

/// One order, as staff see it.
#[server(prefix = "/api/admin", endpoint = "order")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_order_detail(number: String) -> Result<AdminOrder, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::order_for_admin(&state.db, &state.payments, &number).await
        }
        .await,
    )
}

/// Moves order `number` from `from` (the status the page showed) to `to`.
/// A form posted without JavaScript comes back to the order's page.
#[server(prefix = "/api/admin", endpoint = "order-status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(note)))]
pub async fn change_order_status(
    number: String,
    from: OrderStatus,
    to: OrderStatus,
    note: Option<String>,
    tracking: Option<String>,
) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            let change = crate::orders::fulfilment::StatusChange { from: from.into(), to: to.into(), note, tracking };
            let changed = crate::orders::fulfilment::change_status(
                &state.db,
                &state.payments,
                &number,
                &change,
                admin.id,
                chrono::Utc::now(),
            )
            .await?;
            if let Some(f) = changed.paid {
                crate::orders::effects::after_event(&state, &crate::orders::server::EventResult::Paid(f)).await;
            }
            if is_form_post() {
                leptos_axum::redirect(&format!("/admin/orders/{}", changed.number));
            }
            Ok(())
        }
        .await,
    )
}
