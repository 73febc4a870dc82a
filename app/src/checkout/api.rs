//! Checkout server functions under `/api/checkout`: the quote the page
//! shows, and placing the order. Prices never come from the browser: the
//! form carries product ids, quantities and the subtotal the shopper saw,
//! which must match the server's or nothing is placed.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::domain::{CheckoutQuote, PlaceInput};
use crate::cart::domain::LineRequest;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::account::session::{client_ip, current_user};
    pub use crate::error::{finish, is_form_post};
    pub use crate::state::AppState;

    /// A random checkout attempt id (128 bits, hex).
    pub fn new_checkout_key() -> String {
        use rand::RngCore;
        let mut bytes = [0_u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The cookie that lets a guest's browser see the order it just placed
    /// (the e-mail carries the same private link).
    pub const GUEST_ORDER_COOKIE: &str = "ob_order";

    /// Adds a `Set-Cookie` to this server function's response.
    pub fn set_cookie(value: &str) {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(v) = http::HeaderValue::from_str(value)
        {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }

    /// The draft this browser's last failed checkout post left, if genuine.
    pub fn request_draft(state: &AppState) -> Option<crate::checkout::domain::CheckoutDraft> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let value = crate::account::session::cookie_value(&parts.headers, crate::checkout::draft::DRAFT_COOKIE)?;
        crate::checkout::draft::open(&state.draft_secret(), &value, chrono::Utc::now().timestamp())
    }
}

#[cfg(feature = "ssr")]
pub use ssr::GUEST_ORDER_COOKIE;

/// What the checkout page shows: the cart checked now (the signed-in
/// shopper's from the server; a guest's `lines` from the browser), shipping
/// prices, payment methods, saved addresses and a fresh checkout attempt id.
#[server(prefix = "/api/checkout", endpoint = "quote", input = Json)]
pub async fn get_checkout(lines: Vec<LineRequest>) -> Result<CheckoutQuote, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let user = current_user();
            let cart = match &user {
                Some(u) => crate::cart::server::view(&state.db, &state.carts, u.id).await?,
                None => {
                    let guest: Vec<_> = lines
                        .iter()
                        .map(|l| crate::cart::domain::GuestLine {
                            product_id: l.product_id,
                            quantity: l.quantity,
                            seen_price: None,
                        })
                        .collect();
                    crate::cart::server::price_guest(&state.db, &guest).await?
                }
            };
            let addresses = match &user {
                Some(u) => crate::checkout::server::saved_addresses(&state.db, u.id).await?,
                None => Vec::new(),
            };
            let mut quote =
                crate::checkout::server::quote(&state, cart, user.map(|u| u.email), addresses, new_checkout_key());
            quote.draft = request_draft(&state);
            Ok(quote)
        }
        .await,
    )
}

/// Places the order and sends the shopper to the payment page. Without
/// JavaScript the answer is that redirect; with it, the URL to go to.
#[server(prefix = "/api/checkout", endpoint = "place")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn place_order(input: PlaceInput) -> Result<String, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let user = current_user();
            let ip = client_ip().0.map(|ip| ip.to_string());
            let secure = state.config.cookie_secure;
            let placed = match crate::checkout::server::place(&state, user.as_ref(), ip, &input).await {
                Ok(placed) => placed,
                Err(e) => {
                    if is_form_post() {
                        // The page comes back fresh: it fills the form from this.
                        let now = chrono::Utc::now().timestamp();
                        let draft = crate::checkout::domain::CheckoutDraft::from(&input);
                        if let Some(sealed) = crate::checkout::draft::seal(&state.draft_secret(), &draft, now) {
                            set_cookie(&crate::checkout::draft::cookie(Some(sealed), secure));
                        }
                    }
                    return Err(e);
                }
            };
            if user.is_none() {
                // Only this browser may follow the order without the e-mail's link.
                let cookie = cookie::Cookie::build((GUEST_ORDER_COOKIE, format!("{}.{}", placed.number, placed.key)))
                    .path("/")
                    .http_only(true)
                    .secure(secure)
                    .same_site(cookie::SameSite::Lax)
                    .max_age(cookie::time::Duration::days(7))
                    .build();
                set_cookie(&cookie.to_string());
            }
            if is_form_post() {
                set_cookie(&crate::checkout::draft::cookie(None, secure));
                leptos_axum::redirect(&placed.go_to);
            }
            Ok(placed.go_to)
        }
        .await,
    )
}
