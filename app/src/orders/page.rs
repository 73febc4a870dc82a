//! `/orders/{number}` (an order for whoever may see it: its account, or the
//! holder of its private link), `/account/orders` and
//! `/account/orders/{number}` (the signed-in shopper's history).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{PayOrder, get_order, my_orders};
use super::domain::{OrderStatus, OrderView};
use crate::error::{AppError, message};
use crate::ui::{PageMeta, when};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let key = move || query.read().get("key");
    let order = Resource::new(move || (number(), key()), |(n, k)| get_order(n, k));
    let returned = move || query.read().get("payment");
    view! {
        <PageMeta title="Your order" robots="noindex" />
        <section class="order-page">
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your order…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(o) => view! { <OrderDetail order=o returned=returned() key=key() /> }.into_any(),
                        Err(AppError::NotFound) => view! { <OrderNotFound /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The same answer for someone else's order, a guessed number and a bad link.
#[component]
fn OrderNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>"Order not found"</h1>
        <p>"We could not find that order. Signed in? See " <a href="/account/orders">"your orders"</a> ". Ordered as a guest? Use the link in your confirmation e-mail."</p>
    }
}

/// What a cancelled order's shopper is told of their money.
fn cancelled_text(order: &OrderView) -> String {
    use super::domain::RefundState;
    match order.refund {
        None => "This order was cancelled and nothing was charged for it.".to_owned(),
        Some(r) => match r.state {
            RefundState::UnderWay => format!(
                "This order was cancelled. Your refund of {} to your {} payment is under way.",
                r.amount, order.provider_label
            ),
            RefundState::Refunded => {
                format!(
                    "This order was cancelled and {} was refunded to your {} payment.",
                    r.amount, order.provider_label
                )
            }
            RefundState::Manual => format!(
                "This order was cancelled. We will refund {} to you ourselves and e-mail you when it is done.",
                r.amount
            ),
        },
    }
}

#[component]
fn OrderDetail(order: OrderView, returned: Option<String>, key: Option<String>) -> impl IntoView {
    let cart = expect_context::<crate::cart::state::Cart>();
    let status = order.status;
    if status == OrderStatus::Paid {
        // A guest's cart is in this browser: the paid order empties it here.
        Effect::new(move |_| cart.forget_guest_cart());
    }
    let pay = ServerAction::<PayOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(url)) = pay.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href(&url);
            #[cfg(not(feature = "hydrate"))]
            let _ = url;
        }
    });
    let banner = match (status, returned.as_deref()) {
        (OrderStatus::Paid, _) => {
            Some(("notice", "Thank you: your payment arrived and your order is confirmed.".to_owned()))
        }
        (OrderStatus::Pending, _) if order.payment_failed => Some((
            "form-error",
            "The payment did not go through: the payment provider declined it and nothing was charged. \
             Your items are still held: you can try again."
                .to_owned(),
        )),
        (OrderStatus::Pending, Some("done")) => Some((
            "notice",
            "We are waiting for the payment provider to confirm your payment. This page shows it as soon as it does."
                .to_owned(),
        )),
        (OrderStatus::Pending, Some("cancelled")) => Some((
            "form-error",
            "The payment did not go through. Your items are still held: you can try again.".to_owned(),
        )),
        (OrderStatus::Held, _) => Some(("notice", "Your payment is being reviewed. We will e-mail you.".to_owned())),
        (OrderStatus::Cancelled, _) => Some(("form-error", cancelled_text(&order))),
        (OrderStatus::Shipped, _) => Some(("notice", "Your order is on its way.".to_owned())),
        _ => None,
    };
    let pay_by = order.pay_by.clone();
    let number = order.number.clone();
    view! {
        <h1>{format!("Order {}", order.number)}</h1>
        {banner.map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <dl class="profile">
            <dt>"Status"</dt>
            <dd data-testid="order-status">{status.label()}</dd>
            <dt>"Placed"</dt>
            <dd>{when(&order.placed_at)}</dd>
            {pay_by.clone().map(|p| view! {
                <dt>"Pay by"</dt>
                <dd>{format!("{} (your items are held until then)", when(&p))}</dd>
            })}
            {order.tracking.clone().map(|t| view! {
                <dt>"Tracking number"</dt>
                <dd data-testid="tracking-number">{t}</dd>
            })}
            <dt>"Payment"</dt>
            <dd>{order.provider_label.clone()}</dd>
            <dt>"Confirmation to"</dt>
            <dd>{order.email.clone()}</dd>
        </dl>
        {(status == OrderStatus::Pending && pay_by.is_some()).then(|| view! {
            {move || pay.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{message(&e)}</p> })}
            <ActionForm action=pay>
                <input type="hidden" name="number" value=number.clone() />
                {key.clone().map(|k| view! { <input type="hidden" name="key" value=k /> })}
                <button class="button" type="submit">"Pay now"</button>
            </ActionForm>
        })}
        <h2>"Items"</h2>
        <ul class="checkout__lines">
            {order.lines.iter().map(|l| view! {
                <li>
                    <span>
                        <a href=format!("/products/{}", l.slug)>{l.name.clone()}</a>
                        {format!(" × {} at {} (SKU {})", l.quantity, l.unit_price, l.sku)}
                    </span>
                    <span>{l.line_total.to_string()}</span>
                </li>
            }).collect_view()}
        </ul>
        <dl class="profile">
            <dt>"Items"</dt>
            <dd>{order.subtotal.to_string()}</dd>
            <dt>{order.shipping_label.clone()}</dt>
            <dd>{order.shipping.to_string()}</dd>
            <dt>"Total"</dt>
            <dd data-testid="order-total">{order.total.to_string()}</dd>
        </dl>
        <h2>"Delivery address"</h2>
        <address class="address-lines">
            {order.address.lines().into_iter().map(|l| view! { <span>{l}</span> }).collect_view()}
        </address>
        <h2>"History"</h2>
        <ol class="order-history">
            {order.history.iter().map(|e| {
                let note = e.note.clone().map(|n| format!(" ({n})")).unwrap_or_default();
                view! { <li>{format!("{}: {}{note}", when(&e.at), e.status.label())}</li> }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn AccountOrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <PageMeta title="Your orders" robots="noindex" />
        <section class="order-page">
            <h1>"Your orders"</h1>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your orders…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(list) if list.is_empty() => view! {
                            <p>"You have no orders yet."</p>
                            <p><a class="button" href="/products">"Browse products"</a></p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="order-list">
                                {list.into_iter().map(|o| {
                                    let items = if o.items == 1 { "1 item".to_owned() } else { format!("{} items", o.items) };
                                    view! {
                                        <li>
                                            <a href=format!("/account/orders/{}", o.number)>{o.number.clone()}</a>
                                            <span>{format!("{}: {items}, {}, {}", when(&o.placed_at), o.total, o.status.label())}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
