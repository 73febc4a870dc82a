//! Admin server functions under `/api/admin`. Each checks the caller's role
//! itself: the `/admin` page guard does not cover these public POST
//! endpoints.

use leptos::prelude::*;

use super::domain::{
    AdjustReason, AdminOrder, Dashboard, OrderFilter, OrderPage, ProductStock, StockFilter, StockPage,
};
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
            state.events.nudge();
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

/// One page of products for the stock list.
#[server(prefix = "/api/admin", endpoint = "stock")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_stock(filter: StockFilter) -> Result<StockPage, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::list_stock(&state.db, &filter).await
        }
        .await,
    )
}

/// A product's stock and its ledger.
#[server(prefix = "/api/admin", endpoint = "product-stock")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_product_stock(id: i32) -> Result<ProductStock, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::product_stock(&state.db, &state.payments, id).await
        }
        .await,
    )
}

/// Changes product `product_id`'s stock by `delta` units (a whole number,
/// typed by staff: "+5", "-2") for `reason`, recorded in its ledger.
#[server(prefix = "/api/admin", endpoint = "adjust-stock")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(note)))]
pub async fn adjust_stock(
    product_id: i32,
    delta: String,
    reason: AdjustReason,
    note: Option<String>,
) -> Result<i32, AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            let delta: i64 =
                delta.trim().trim_start_matches('+').parse().map_err(|_| crate::error::ServerError::Validation {
                    field: "delta",
                    message: "Enter a whole number of units, like 5 or -2.".into(),
                })?;
            let stock = crate::catalog::stock::adjust(
                &state.db,
                product_id,
                delta,
                reason.into(),
                note,
                admin.id,
                chrono::Utc::now(),
            )
            .await?;
            state.events.nudge();
            if is_form_post() {
                leptos_axum::redirect(&format!("/admin/stock/{product_id}"));
            }
            Ok(stock)
        }
        .await,
    )
}
