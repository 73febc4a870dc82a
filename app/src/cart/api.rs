//! Cart server functions under `/api/cart`. Each checks who is asking: a
//! signed-in cart is only ever the caller's own (there is no cart id to
//! guess). Quantities and ids arrive as text, so a bad value gets a clear
//! message instead of a generic "malformed request".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::domain::{CartView, GuestLine, LineRequest};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::account::session::{current_user, safe_next};
    pub use crate::cart::domain::{Quantity, parse_product_id};
    pub use crate::cart::server as carts;
    pub use crate::error::{ServerError, finish, is_form_post};
    pub use crate::state::AppState;

    pub fn invalid(field: &'static str, message: &str) -> ServerError {
        ServerError::Validation { field, message: message.to_owned() }
    }

    /// The signed-in user's id, or 401 ("please sign in").
    pub fn user_id() -> Result<i32, ServerError> {
        current_user().map(|u| u.id).ok_or(ServerError::SessionExpired)
    }

    /// A plain form post (no JavaScript) goes on to the cart page, or `next`.
    pub fn back_to(next: Option<&str>) {
        if is_form_post() {
            leptos_axum::redirect(&safe_next(Some(next.unwrap_or("/cart"))));
        }
    }
}

/// The signed-in shopper's cart, checked against stock now (`None` for guests:
/// their cart is in the browser).
#[server(prefix = "/api/cart", endpoint = "get")]
pub async fn get_cart() -> Result<Option<CartView>, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            match current_user() {
                Some(u) => Ok(Some(carts::view(&state.db, &state.carts, u.id).await?)),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// Prices and checks a guest cart from the browser's storage. Stores nothing.
#[server(prefix = "/api/cart", endpoint = "price", input = Json)]
pub async fn price_cart(lines: Vec<GuestLine>) -> Result<CartView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            carts::price_guest(&state.db, &lines).await
        }
        .await,
    )
}

/// Adds to the signed-in shopper's cart.
#[server(prefix = "/api/cart", endpoint = "add")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn add_to_cart(product_id: String, quantity: String, next: Option<String>) -> Result<CartView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let product = parse_product_id(&product_id).map_err(|m| invalid("product_id", m))?;
            let quantity = Quantity::parse(&quantity).map_err(|m| invalid("quantity", m))?;
            let user = user_id()?;
            let cart = carts::add(&state.db, &state.carts, user, product, quantity).await?;
            back_to(next.as_deref());
            Ok(cart)
        }
        .await,
    )
}

/// Sets the quantity of a line of the signed-in shopper's cart.
#[server(prefix = "/api/cart", endpoint = "set")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_cart_quantity(product_id: String, quantity: String) -> Result<CartView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let product = parse_product_id(&product_id).map_err(|m| invalid("product_id", m))?;
            let quantity = Quantity::parse(&quantity).map_err(|m| invalid("quantity", m))?;
            let user = user_id()?;
            let cart = carts::set_quantity(&state.db, &state.carts, user, product, quantity).await?;
            back_to(None);
            Ok(cart)
        }
        .await,
    )
}

/// Removes a line from the signed-in shopper's cart.
#[server(prefix = "/api/cart", endpoint = "remove")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn remove_from_cart(product_id: String) -> Result<CartView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let product = parse_product_id(&product_id).map_err(|m| invalid("product_id", m))?;
            let user = user_id()?;
            let cart = carts::remove(&state.db, &state.carts, user, product).await?;
            back_to(None);
            Ok(cart)
        }
        .await,
    )
}

/// Merges the browser's guest cart into the signed-in shopper's cart.
/// `merge_id` is chosen by the browser with its guest cart: retrying after a
/// lost response adds nothing twice.
#[server(prefix = "/api/cart", endpoint = "merge", input = Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(lines)))]
pub async fn merge_cart(merge_id: String, lines: Vec<LineRequest>) -> Result<CartView, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            if merge_id.is_empty()
                || merge_id.len() > 64
                || !merge_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(invalid("merge_id", "the request was malformed"));
            }
            let user = user_id()?;
            carts::merge(&state.db, &state.carts, user, &merge_id, &lines).await
        }
        .await,
    )
}
