//! `/admin/stock/{id}`: one product's stock, the form that adjusts it with
//! a reason, and its ledger (every reservation, release and adjustment).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{AdjustStock, admin_product_stock};
use super::domain::{AdjustReason, ProductStock};
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, FormError, Missing, PageMeta, form_error, when};

#[component]
pub fn ProductStockPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let adjust = ServerAction::<AdjustStock>::new();
    let stock = Resource::new(
        move || (id(), adjust.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => admin_product_stock(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let error = form_error(adjust);
    view! {
        <PageMeta title="Product stock · Admin" robots="noindex" />
        <p><a href="/admin/stock">"← All stock"</a></p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match stock.await {
                    Ok(s) => view! { <Ledger s adjust error /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(AppError::NotFound) => view! { <Missing title="No such product" back=("/admin/stock", "Find it in the stock list.") /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ledger(s: ProductStock, adjust: ServerAction<AdjustStock>, error: Signal<Option<AppError>>) -> impl IntoView {
    let p = s.product;
    let shown = s.movements.len();
    view! {
        <h1>{p.name.clone()}</h1>
        <dl class="profile">
            <dt>"SKU"</dt><dd>{p.sku.clone()}</dd>
            <dt>"In stock"</dt><dd data-testid="stock-level">{p.stock}</dd>
            <dt>"Low-stock threshold"</dt><dd>{p.threshold}</dd>
            <dt>"Ledger total"</dt><dd>{s.ledger_sum}</dd>
            <dt>"Storefront"</dt><dd><a href=format!("/products/{}", p.slug)>{format!("/products/{}", p.slug)}</a></dd>
        </dl>
        <h2>"Adjust stock"</h2>
        <FormError error />
        <ActionForm action=adjust attr:class="admin-move">
            <input type="hidden" name="product_id" value=p.id />
            <div class="field">
                <label for="adjust-delta">"Units (+ adds, − takes)"</label>
                <input id="adjust-delta" name="delta" inputmode="numeric" pattern="[+\\-]?[0-9]+" required maxlength="7" autocomplete="off" />
            </div>
            <div class="field">
                <label for="adjust-reason">"Reason"</label>
                <select id="adjust-reason" name="reason">
                    {AdjustReason::ALL.into_iter().map(|r| view! { <option value=r.id()>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="adjust-note">"Note (optional)"</label>
                <input id="adjust-note" name="note" maxlength="500" autocomplete="off" />
            </div>
            <button class="button" type="submit">"Adjust"</button>
        </ActionForm>
        <h2>"Ledger"</h2>
        <div class="table-wrap">
            <table class="data">
                <caption>{format!("The newest {shown} of {} movements", s.total_movements)}</caption>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col" class="num">"Change"</th><th scope="col">"Reason"</th>
                    <th scope="col">"Order"</th><th scope="col">"By"</th><th scope="col">"Note"</th>
                </tr></thead>
                <tbody>
                    {s.movements.into_iter().map(|m| view! {
                        <tr>
                            <td>{when(&m.at)}</td>
                            <td class="num">{if m.delta > 0 { format!("+{}", m.delta) } else { m.delta.to_string() }}</td>
                            <td>{m.reason}</td>
                            <td>{m.order.map(|n| view! { <a href=format!("/admin/orders/{n}")>{n.clone()}</a> })}</td>
                            <td>{m.by}</td>
                            <td>{m.note.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
