//! Cart pieces used around the store: the add-to-cart form, the header
//! link with its count, and the notices the server sends back.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::api::AddToCart;
use super::state::Cart;

/// "Add to cart". Hydrated, it updates the cart in place (guest or signed
/// in); without JavaScript it posts to the server (signed-in shoppers) and
/// lands on the cart page.
#[component]
pub fn AddToCartForm(
    product_id: i32,
    name: String,
    available: bool,
    /// Show a quantity box (product page) rather than adding one (cards).
    #[prop(optional)]
    with_quantity: bool,
) -> impl IntoView {
    let cart = expect_context::<Cart>();
    let quantity = NodeRef::<leptos::html::Input>::new();
    let added = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = quantity.get().and_then(|i| i.value().trim().parse::<u32>().ok()).unwrap_or(1);
        if !(1..=super::domain::MAX_PER_LINE).contains(&n) {
            cart.error.set(Some(crate::error::AppError::validation("quantity", "Choose a quantity from 1 to 10.")));
            return;
        }
        cart.add(product_id, n);
        added.set(true);
    };
    // The accessible name starts with the visible text (WCAG 2.5.3, so voice
    // control users can say what they see), then names the product.
    let label = if available { format!("Add to cart: {name}") } else { format!("Sold out: {name}") };
    let input_id = format!("quantity-{product_id}");
    view! {
        <form class="add-to-cart" method="post" action=AddToCart::url() on:submit=on_submit>
            <input type="hidden" name="product_id" value=product_id />
            {if with_quantity {
                view! {
                    <label class="add-to-cart__label" for=input_id.clone()>"Quantity"</label>
                    <input
                        class="add-to-cart__qty"
                        id=input_id
                        node_ref=quantity
                        name="quantity"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="10"
                        value="1"
                        required
                    />
                }
                    .into_any()
            } else {
                view! { <input type="hidden" name="quantity" value="1" node_ref=quantity /> }.into_any()
            }}
            <button
                class=if with_quantity { "button button--wide" } else { "button button--small" }
                type="submit"
                disabled=move || !available || cart.busy.get()
                aria-label=label
            >
                {if available { "Add to cart" } else { "Sold out" }}
            </button>
            <span class="add-to-cart__status" role="status">
                {move || {
                    (added.get() && !cart.busy.get() && cart.error.get().is_none() && cart.contains(product_id))
                        .then_some("Added to your cart")
                }}
            </span>
        </form>
    }
}

/// The header's cart link. The count appears once this browser knows it:
/// the server cannot see a guest cart, so it renders none.
#[component]
pub fn CartLink() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let label = move || match cart.count() {
        Some(1) => "Cart, 1 item".to_owned(),
        Some(n) if n > 1 => format!("Cart, {n} items"),
        _ => "Cart".to_owned(),
    };
    view! {
        <a class="cart-link" href="/cart" aria-label=label>
            // The space keeps the visible text "Cart 2" inside the name "Cart, 2 items".
            <span aria-hidden="true">"Cart"</span>
            " "
            {move || {
                cart.count()
                    .filter(|n| *n > 0)
                    .map(|n| view! { <span class="cart-link__count" aria-hidden="true">{n}</span> })
            }}
        </a>
    }
}

/// The error a cart form post without JavaScript came back with (`__err`).
fn form_post_error() -> impl Fn() -> Option<crate::error::AppError> + Copy {
    crate::error::form_error_from_url(|path| {
        [AddToCart::PATH, super::api::SetCartQuantity::PATH, super::api::RemoveFromCart::PATH].contains(&path)
    })
}

/// What the server changed in the cart, and the last cart error.
#[component]
pub fn CartNotices() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let from_form = form_post_error();
    let dismissed = RwSignal::new(false);
    view! {
        <div class="cart-notices" role="status" aria-live="polite">
            {move || {
                let notices = cart.notices.get();
                let error = cart.error.get().or_else(|| (!dismissed.get()).then(from_form).flatten());
                (!notices.is_empty() || error.is_some())
                    .then(|| {
                        view! {
                            <div class="cart-notices__box">
                                <ul>
                                    {notices.iter().map(|n| view! { <li>{n.message()}</li> }).collect_view()}
                                    {error.map(|e| view! { <li class="form-error">{crate::error::message(&e)}</li> })}
                                </ul>
                                <button
                                    class="button button--small button--ghost"
                                    type="button"
                                    on:click=move |_| {
                                        cart.notices.set(Vec::new());
                                        cart.error.set(None);
                                        dismissed.set(true);
                                    }
                                >
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
