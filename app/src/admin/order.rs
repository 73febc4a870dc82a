//! `/admin/orders/{number}`: one order for staff: its lines, address,
//! payment, refund and timeline, and the moves the status machine allows
//! now as buttons (each a form that posts without JavaScript too).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{ChangeOrderStatus, MarkRefunded, admin_order_detail};
use super::domain::AdminOrder;
use crate::error::AppError;
use crate::orders::domain::OrderStatus;
use crate::ui::{ErrorPanel, Forbidden, FormError, Missing, PageMeta, form_error, when};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let change = ServerAction::<ChangeOrderStatus>::new();
    let refunded = ServerAction::<MarkRefunded>::new();
    let order = Resource::new(
        move || (number(), change.version().get(), refunded.version().get()),
        |(n, _, _)| admin_order_detail(n),
    );
    let error = form_error(change);
    let refund_error = form_error(refunded);
    view! {
        <PageMeta title=format!("Order {} · Admin", number()) robots="noindex" />
        <p><a href="/admin/orders">"← All orders"</a></p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the order…"</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <OrderView o change error refunded refund_error /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(AppError::NotFound) => view! { <Missing title="No such order" back=("/admin/orders", "Check the number, or find the order in the list.") /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(
    o: AdminOrder,
    change: ServerAction<ChangeOrderStatus>,
    error: Signal<Option<AppError>>,
    refunded: ServerAction<MarkRefunded>,
    refund_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = o.order;
    let status = v.status;
    let number = v.number.clone();
    let paid = o.paid_at.is_some();
    let moves = o
        .next
        .iter()
        .map(|to| view! { <MoveForm number=number.clone() from=status to=*to paid change /> })
        .collect_view();
    view! {
        <h1>
            {format!("Order {} ", v.number)}
            <span class=format!("status-pill status-pill--{}", status.id()) data-testid="admin-order-status">{status.admin_label()}</span>
        </h1>
        <FormError error />
        {o.next.is_empty().then(|| view! { <p class="muted">"No further moves: this order is finished."</p> })}
        <section class="admin-moves" aria-label="Move this order">{moves}</section>
        {o.refund_manual.then(|| view! {
            <FormError error=refund_error />
            <ActionForm action=refunded attr:class="admin-move" attr:aria-label="Refunded by hand">
                <input type="hidden" name="number" value=v.number.clone() />
                <div class="field">
                    <label for="refund-how">"How it was refunded"</label>
                    <input id="refund-how" name="how" required maxlength="200" autocomplete="off" />
                </div>
                <button class="button" type="submit">"Mark as refunded"</button>
            </ActionForm>
        })}
        <div class="admin-columns">
            <section aria-labelledby="summary-heading">
                <h2 id="summary-heading">"Summary"</h2>
                <dl class="profile">
                    <dt>"Placed"</dt><dd>{when(&v.placed_at)}</dd>
                    <dt>"Customer"</dt><dd>{v.email.clone()}</dd>
                    <dt>"Payment"</dt>
                    <dd>{v.provider_label.clone()}{o.provider_ref.map(|r| view! { " " <code>{r}</code> })}</dd>
                    <dt>"Paid"</dt><dd>{o.paid_at.as_deref().map_or_else(|| "Not paid".to_owned(), when)}</dd>
                    <dt>"Stock"</dt><dd>{if o.stock_held { "Reserved for this order" } else { "Not reserved" }}</dd>
                    {v.tracking.clone().map(|t| view! { <dt>"Tracking number"</dt><dd>{t}</dd> })}
                    {o.refund.map(|r| view! { <dt>"Refund"</dt><dd data-testid="admin-refund">{r}</dd> })}
                    {o.review_reason.map(|r| view! { <dt>"Held because"</dt><dd>{r}</dd> })}
                    {o.cancel_reason.map(|r| view! { <dt>"Cancelled because"</dt><dd>{r}</dd> })}
                </dl>
            </section>
            <section aria-labelledby="address-heading">
                <h2 id="address-heading">"Ship to"</h2>
                <address class="address-lines">
                    {v.address.lines().into_iter().map(|l| view! { <span>{l}</span> }).collect_view()}
                </address>
                <p>{v.shipping_label.clone()}</p>
            </section>
        </div>
        <h2>"Items"</h2>
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">"Product"</th><th scope="col">"SKU"</th>
                    <th scope="col" class="num">"Unit price"</th><th scope="col" class="num">"Qty"</th><th scope="col" class="num">"Line total"</th>
                </tr></thead>
                <tbody>
                    {v.lines.iter().map(|l| view! {
                        <tr>
                            <td><a href=format!("/products/{}", l.slug)>{l.name.clone()}</a></td>
                            <td>{l.sku.clone()}</td>
                            <td class="num">{l.unit_price.to_string()}</td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{l.line_total.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="4">"Items"</th><td class="num">{v.subtotal.to_string()}</td></tr>
                    <tr><th scope="row" colspan="4">{v.shipping_label.clone()}</th><td class="num">{v.shipping.to_string()}</td></tr>
                    <tr><th scope="row" colspan="4">"Total"</th><td class="num">{v.total.to_string()}</td></tr>
                </tfoot>
            </table>
        </div>
        <h2>"Timeline"</h2>
        <div class="table-wrap">
            <table class="data">
                <thead><tr><th scope="col">"When"</th><th scope="col">"Change"</th><th scope="col">"By"</th><th scope="col">"Note"</th></tr></thead>
                <tbody>
                    {o.timeline.into_iter().map(|e| {
                        let step = match e.from {
                            Some(from) if from == e.to => format!("{} (payment attempt failed)", e.to.admin_label()),
                            Some(from) => format!("{} → {}", from.admin_label(), e.to.admin_label()),
                            None => format!("Placed: {}", e.to.admin_label()),
                        };
                        view! { <tr><td>{when(&e.at)}</td><td>{step}</td><td>{e.by}</td><td>{e.note.unwrap_or_default()}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One allowed move as a form: shipping asks for the tracking number,
/// cancelling for a reason (and says a paid order is refunded).
#[component]
fn MoveForm(
    number: String,
    from: OrderStatus,
    to: OrderStatus,
    paid: bool,
    change: ServerAction<ChangeOrderStatus>,
) -> impl IntoView {
    let label = match to {
        OrderStatus::Cancelled if paid || from == OrderStatus::Held => "Cancel and refund",
        _ => to.admin_action(),
    };
    let id = move |field: &str| format!("move-{}-{field}", to.id());
    let class = if to == OrderStatus::Cancelled { "button button--ghost" } else { "button" };
    view! {
        <ActionForm action=change attr:class="admin-move">
            <input type="hidden" name="number" value=number />
            <input type="hidden" name="from" value=from.id() />
            <input type="hidden" name="to" value=to.id() />
            {(to == OrderStatus::Shipped).then(|| view! {
                <div class="field">
                    <label for=id("tracking")>"Tracking number"</label>
                    <input id=id("tracking") name="tracking" required minlength="4" maxlength="40" autocomplete="off" />
                </div>
            })}
            {(to == OrderStatus::Cancelled).then(|| view! {
                <div class="field">
                    <label for=id("note")>"Reason (staff only)"</label>
                    <input id=id("note") name="note" maxlength="500" autocomplete="off" />
                </div>
            })}
            <button class=class type="submit">{label}</button>
        </ActionForm>
    }
}
