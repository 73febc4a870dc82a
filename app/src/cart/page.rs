//! `/cart`. Server-rendered for signed-in shoppers (it works without
//! JavaScript: quantity and remove are forms); a guest's cart is in the
//! browser, so until it has been reconciled the page says it is loading.

use crate::ui::PageMeta;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::api::{RemoveFromCart, SetCartQuantity, get_cart};
use super::domain::{CartLine, CartView};
use super::state::Cart;
use crate::catalog::types::Money;

#[component]
pub fn CartPage() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let from_server = Resource::new(|| (), |_| get_cart());
    view! {
        <PageMeta title="Your cart" robots="noindex" />
        <section class="cart-page">
            <h1>"Your cart"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading your cart…"</p> }>
                {move || Suspend::new(async move {
                    // A cart that cannot be read (Redis down) is said so, on the
                    // server's page and the hydrated one alike: never "loading"
                    // forever, never "sign in" to someone who is signed in.
                    let (server_view, server_error) = match from_server.await {
                        Ok(view) => (view, None),
                        Err(e) => (None, Some(e)),
                    };
                    // Corrections the server made while rendering (sold out, less
                    // stock): shown inline in the server's page, and kept for the
                    // hydrated page, whose own reconciliation finds nothing left to fix.
                    let found = server_view.as_ref().map(|v| v.notices.clone()).unwrap_or_default();
                    if !found.is_empty() {
                        Effect::new(move |_| cart.notices.update(|n| n.extend(found.clone())));
                    }
                    move || match cart.view.get().or_else(|| server_view.clone()) {
                        Some(view) => view! { <CartBody view /> }.into_any(),
                        None if server_error.is_some() || cart.error.with(Option::is_some) => {
                            let error = server_error.clone().or_else(|| cart.error.get());
                            view! { <CartUnreachable error /> }.into_any()
                        }
                        None => {
                            view! {
                                <p class="muted" role="status">"Loading your cart…"</p>
                                <noscript>
                                    <p>
                                        "A guest cart is kept by your browser and needs JavaScript. "
                                        <a href="/sign-in?next=/cart">"Sign in"</a>
                                        " to use your cart without it."
                                    </p>
                                </noscript>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The cart could not be read: what happened, and a way to try again.
/// Reading changes nothing, so the text claims nothing about changes: after
/// a change whose fate is unknown ("may or may not have been saved", shown
/// as a notice on the same page) a "nothing was changed" here would
/// contradict it.
#[component]
fn CartUnreachable(error: Option<crate::error::AppError>) -> impl IntoView {
    use crate::error::AppError;
    let text = match error {
        Some(AppError::CartUnavailable) | None => {
            "Your cart cannot be reached right now, so it cannot be shown. Please try again in a moment.".to_owned()
        }
        Some(AppError::Unauthorized) => "Your session has ended: sign in again to see your cart.".to_owned(),
        Some(other) => crate::error::message(&other),
    };
    view! {
        <div class="notice form-error" role="alert">
            <p>{text}</p>
            <p><a class="button" href="/cart">"Try again"</a></p>
        </div>
    }
}

/// Corrections that came with a server-rendered cart.
#[component]
fn NoticeList(notices: Vec<super::domain::CartNotice>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            // The live region wraps the list: `role` on the `<ul>` itself would
            // take away its list role and orphan the `<li>`s.
            <div role="status">
                <ul class="notices">
                    {notices.iter().map(|n| view! { <li>{n.message()}</li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn CartBody(view: CartView) -> impl IntoView {
    if view.lines.is_empty() {
        return view! {
            <NoticeList notices=view.notices.clone() />
            <p>"Your cart is empty."</p>
            <p><a class="button" href="/products">"Browse products"</a></p>
        }
        .into_any();
    }
    let subtotal = view.subtotal();
    let count = view.count();
    view! {
        <NoticeList notices=view.notices.clone() />
        <ul class="cart-lines">
            {view.lines.into_iter().map(|line| view! { <CartLineRow line /> }).collect_view()}
        </ul>
        <div class="cart-summary">
            <p class="cart-summary__total">
                <span>{format!("Subtotal ({count} {})", if count == 1 { "item" } else { "items" })}</span>
                <strong data-testid="subtotal">{subtotal.to_string()}</strong>
            </p>
            <p class="muted small">{format!("Prices in {}. Delivery is chosen at checkout.", subtotal.currency().name())}</p>
            <p><a class="button button--wide" href="/checkout">"Check out"</a></p>
        </div>
    }
    .into_any()
}

#[component]
fn CartLineRow(line: CartLine) -> impl IntoView {
    let cart = expect_context::<Cart>();
    let quantity = NodeRef::<leptos::html::Input>::new();
    let id = line.product_id;
    let input_id = format!("cart-qty-{id}");
    let href = format!("/products/{}", line.slug);
    let on_update = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match quantity.get().and_then(|i| i.value().trim().parse::<u32>().ok()) {
            Some(n) => cart.set(id, n),
            None => cart.error.set(Some(crate::error::AppError::validation("quantity", "Enter a whole number."))),
        }
    };
    let on_remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cart.remove(id);
    };
    let max = line.max_quantity();
    let total: Money = line.total();
    view! {
        <li class="cart-line">
            {line.image.clone().map(|src| view! { <img class="cart-line__img" src=src alt="" width="80" height="80" /> })}
            <div class="cart-line__info">
                <a class="cart-line__name" href=href>{line.name.clone()}</a>
                <p class="muted small">{format!("{} each", line.unit_price)}</p>
                {(line.stock <= 5).then(|| view! { <p class="small stock stock--low">{format!("Only {} left", line.stock)}</p> })}
            </div>
            <form class="cart-line__qty" method="post" action=SetCartQuantity::url() on:submit=on_update>
                <input type="hidden" name="product_id" value=id />
                <label class="visually-hidden" for=input_id.clone()>{format!("Quantity of {}", line.name)}</label>
                <input
                    id=input_id
                    node_ref=quantity
                    name="quantity"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    max=max
                    value=line.quantity
                    required
                />
                <button
                    class="button button--small"
                    type="submit"
                    aria-label=format!("Update quantity of {}", line.name)
                    disabled=move || cart.busy.get()
                >
                    "Update"
                </button>
            </form>
            <p class="cart-line__total">{total.to_string()}</p>
            <form method="post" action=RemoveFromCart::url() on:submit=on_remove>
                <input type="hidden" name="product_id" value=id />
                <button
                    class="button button--small button--ghost"
                    type="submit"
                    aria-label=format!("Remove {}", line.name)
                    disabled=move || cart.busy.get()
                >
                    "Remove"
                </button>
            </form>
        </li>
    }
}
