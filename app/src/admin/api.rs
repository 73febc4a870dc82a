//! Admin server functions under `/api/admin`. Each checks the caller's role
//! itself: the `/admin` page guard does not cover these public POST
//! endpoints.

use leptos::prelude::*;

use super::catalog::{Gallery, ProductEditor, ProductFilter, ProductForm, ProductList, SaveOutcome};
use super::domain::{
    AdjustReason, AdminOrder, Dashboard, OrderFilter, OrderPage, ProductStock, StockFilter, StockPage,
};
use super::domain::{AlertFilter, AlertPage, BulkOrderMove, BulkReport, InboxFilter, InboxPage};
use crate::catalog::gallery::GalleryMove;
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

/// Moves the selected orders `numbers` the way `action` says, each through
/// the status machine. A form posted without JavaScript returns to `back`
/// (the orders list it came from), where the statuses show what moved.
#[server(prefix = "/api/admin", endpoint = "bulk-orders")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn bulk_order_status(
    #[server(default)] numbers: Vec<String>,
    action: BulkOrderMove,
    back: Option<String>,
) -> Result<BulkReport, AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            let (report, changed) =
                super::server::bulk_move(&state.db, &state.payments, &numbers, action, admin.id, chrono::Utc::now())
                    .await?;
            state.events.nudge();
            for c in changed {
                if let Some(f) = c.paid {
                    crate::orders::effects::after_event(&state, &crate::orders::server::EventResult::Paid(f)).await;
                }
            }
            if is_form_post() {
                leptos_axum::redirect(&admin_back(back.as_deref(), "/admin/orders"));
            }
            Ok(report)
        }
        .await,
    )
}

/// Where a form posted without JavaScript goes back to: `back` if it is a
/// back-office page, else `fallback`.
#[cfg(feature = "ssr")]
fn admin_back(back: Option<&str>, fallback: &str) -> String {
    let back = crate::account::session::safe_next(back);
    if back == "/admin" || back.starts_with("/admin/") || back.starts_with("/admin?") {
        back
    } else {
        fallback.to_owned()
    }
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

/// One page of the low-stock alert list.
#[server(prefix = "/api/admin", endpoint = "stock-alerts")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_stock_alerts(filter: AlertFilter) -> Result<AlertPage, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::list_alerts(&state.db, &filter, super::domain::ALERTS_PER_PAGE).await
        }
        .await,
    )
}

/// Dismisses low-stock alert `id` (`dismissed`), or brings it back. A form
/// posted without JavaScript returns to `back` (an `/admin` page).
#[server(prefix = "/api/admin", endpoint = "dismiss-alert")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn dismiss_stock_alert(id: i32, dismissed: bool, back: Option<String>) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            crate::catalog::stock_alerts::set_dismissed(&state.db, id, dismissed, admin.id, chrono::Utc::now()).await?;
            if is_form_post() {
                leptos_axum::redirect(&admin_back(back.as_deref(), "/admin/alerts"));
            }
            Ok(())
        }
        .await,
    )
}

/// One page of the products list.
#[server(prefix = "/api/admin", endpoint = "products")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_products(filter: ProductFilter) -> Result<ProductList, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::catalog_server::list(&state.db, &filter).await
        }
        .await,
    )
}

/// The product form's data: product `id` (or a new product in `category`),
/// with the caller's own `draft` of it when asked.
#[server(prefix = "/api/admin", endpoint = "product")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_product_editor(
    id: Option<i32>,
    category: Option<String>,
    draft: Option<i32>,
) -> Result<ProductEditor, AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            super::catalog_server::editor(&state.db, id, category, draft, admin.id).await
        }
        .await,
    )
}

/// Creates or updates a product. Someone else's save in between (or field
/// errors after a post without JavaScript) keeps the edit as the caller's
/// draft and answers where to see it: nothing typed is lost.
#[server(prefix = "/api/admin", endpoint = "save-product")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), fields(id = ?form.id)))]
pub async fn save_product(form: ProductForm, draft: Option<i32>) -> Result<SaveOutcome, AppError> {
    use crate::admin::catalog_server as products;
    use crate::error::ServerError;
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            let now = chrono::Utc::now();
            let outcome = match products::save(&state.db, &form, now).await {
                Ok(saved) => {
                    after_product_change(&state, saved.id).await;
                    if let Some(d) = draft {
                        products::forget_draft(&state.db, admin.id, d).await?;
                    }
                    SaveOutcome::Saved { id: saved.id, version: saved.version }
                }
                Err(ServerError::Conflict) => {
                    let d = products::keep_draft(&state.db, admin.id, &form, Vec::new(), true, now).await?;
                    SaveOutcome::Kept { product: form.id, draft: d }
                }
                Err(ServerError::Fields(errors)) if is_form_post() => {
                    let d = products::keep_draft(&state.db, admin.id, &form, errors, false, now).await?;
                    SaveOutcome::Kept { product: form.id, draft: d }
                }
                Err(e) => return Err(e),
            };
            if is_form_post() {
                leptos_axum::redirect(&outcome.page());
            }
            Ok(outcome)
        }
        .await,
    )
}

/// Soft-deletes product `id`, if it is still at `version`.
#[server(prefix = "/api/admin", endpoint = "delete-product")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn delete_product(id: i32, version: i32) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::catalog_server::delete(&state.db, id, version, chrono::Utc::now()).await?;
            after_product_change(&state, id).await;
            if is_form_post() {
                leptos_axum::redirect(&format!("/admin/products/{id}"));
            }
            Ok(())
        }
        .await,
    )
}

/// Brings deleted product `id` back (not on sale until staff say so).
#[server(prefix = "/api/admin", endpoint = "restore-product")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn restore_product(id: i32) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::catalog_server::restore(&state.db, id, chrono::Utc::now()).await?;
            after_product_change(&state, id).await;
            if is_form_post() {
                leptos_axum::redirect(&format!("/admin/products/{id}"));
            }
            Ok(())
        }
        .await,
    )
}

/// Puts the selected products `ids` on sale (`on_sale`) or takes them off,
/// in one transaction. A form posted without JavaScript returns to `back`.
/// Returns how many changed (those deleted or already so are left).
#[server(prefix = "/api/admin", endpoint = "bulk-products")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn bulk_products(
    #[server(default)] ids: Vec<i32>,
    on_sale: bool,
    back: Option<String>,
) -> Result<u32, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            let changed = super::catalog_server::set_on_sale(&state.db, &ids, on_sale, chrono::Utc::now()).await?;
            for &id in &changed {
                after_product_change(&state, id).await;
            }
            if is_form_post() {
                leptos_axum::redirect(&admin_back(back.as_deref(), "/admin/products"));
            }
            Ok(u32::try_from(changed.len()).unwrap_or(u32::MAX))
        }
        .await,
    )
}

/// After a product's change committed: this process's search index follows
/// at once (the next search sees it); other app servers follow through the
/// `ProductChanged` event, which the relay is nudged to publish now.
#[cfg(feature = "ssr")]
async fn after_product_change(state: &ssr::AppState, id: i32) {
    if let Err(e) = crate::catalog::search_index::refresh(&state.search, &state.db, id).await {
        // The event brings it in line moments later.
        tracing::error!(product_id = id, error = %e, "search index not refreshed after an edit");
    }
    state.events.nudge();
}

/// Product `id`'s gallery, primary image first.
#[server(prefix = "/api/admin", endpoint = "gallery")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_gallery(id: i32) -> Result<Gallery, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::catalog_server::gallery(&state.db, id).await
        }
        .await,
    )
}

/// Moves one image of a gallery up, down or to the front (primary).
#[server(prefix = "/api/admin", endpoint = "move-image")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn move_product_image(product_id: i32, image_id: i32, to: GalleryMove) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            crate::catalog::images::move_image(&state.db, product_id, image_id, to, chrono::Utc::now()).await?;
            after_gallery_change(&state, product_id);
            Ok(())
        }
        .await,
    )
}

/// Puts a gallery in `order` (every image id of the product, each once).
#[server(prefix = "/api/admin", endpoint = "reorder-images")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn reorder_product_images(product_id: i32, order: Vec<i32>) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            crate::catalog::images::reorder(&state.db, product_id, &order, chrono::Utc::now()).await?;
            after_gallery_change(&state, product_id);
            Ok(())
        }
        .await,
    )
}

/// Deletes one image of a gallery (the next becomes primary if it was).
#[server(prefix = "/api/admin", endpoint = "delete-image")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn delete_product_image(product_id: i32, image_id: i32) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            crate::catalog::images::delete(&state.db, state.media.as_ref(), product_id, image_id, chrono::Utc::now())
                .await?;
            after_gallery_change(&state, product_id);
            Ok(())
        }
        .await,
    )
}

/// After a gallery change committed: back to the gallery page for a post
/// without JavaScript, and the relay nudged to publish the event.
#[cfg(feature = "ssr")]
fn after_gallery_change(state: &ssr::AppState, product_id: i32) {
    state.events.nudge();
    if ssr::is_form_post() {
        leptos_axum::redirect(&format!("/admin/products/{product_id}/images"));
    }
}

/// One page of the payment-events inbox.
#[server(prefix = "/api/admin", endpoint = "payment-events")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_payment_events(filter: InboxFilter) -> Result<InboxPage, AppError> {
    use ssr::*;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            super::server::payment_events(&state.db, &filter).await
        }
        .await,
    )
}

/// Accepts a held payment event after review (its order becomes paid).
#[server(prefix = "/api/admin", endpoint = "replay-payment-event")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn replay_payment_event(id: i32) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            let changed =
                super::server::replay_held_event(&state.db, &state.payments, id, admin.id, chrono::Utc::now()).await?;
            state.events.nudge();
            if let Some(f) = changed.paid {
                crate::orders::effects::after_event(&state, &crate::orders::server::EventResult::Paid(f)).await;
            }
            if is_form_post() {
                leptos_axum::redirect("/admin/payments");
            }
            Ok(())
        }
        .await,
    )
}

/// Records that staff refunded order `number` by hand (a refund marked manual).
#[server(prefix = "/api/admin", endpoint = "mark-refunded")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(how)))]
pub async fn mark_refunded(number: String, how: String) -> Result<(), AppError> {
    use ssr::*;
    finish(
        async {
            let admin = require_admin()?;
            let state = AppState::from_context()?;
            crate::orders::fulfilment::mark_refunded(&state.db, &number, &how, admin.id, chrono::Utc::now()).await?;
            if is_form_post() {
                leptos_axum::redirect(&format!("/admin/orders/{number}"));
            }
            Ok(())
        }
        .await,
    )
}
