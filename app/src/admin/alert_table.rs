//! The low-stock alerts as a table, with a dismiss (or bring back) button
//! per open alert: shown on the dashboard and on `/admin/alerts`.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::DismissStockAlert;
use super::domain::AlertRow;
use crate::ui::when;

/// `rows` in a table; `back` is the page a form posted without JavaScript
/// returns to.
#[component]
pub fn AlertTable(
    rows: Vec<AlertRow>,
    caption: String,
    back: String,
    action: ServerAction<DismissStockAlert>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="stock-alerts">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Product"</th><th scope="col">"SKU"</th><th scope="col">"Alert"</th>
                    <th scope="col" class="num">"Stock"</th><th scope="col" class="num">"Threshold"</th>
                    <th scope="col">"Since"</th><th scope="col">"Action"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|a| {
                        let back = back.clone();
                        let name = a.name.clone();
                        let (pill, label) = if a.out { ("out", "Sold out") } else { ("low", "Low stock") };
                        let act = match (&a.resolved_at, &a.dismissed) {
                            (Some(at), _) => view! { <span>{format!("Closed {}", when(at))}</span> }.into_any(),
                            (None, dismissed) => {
                                let (text, to) = if dismissed.is_some() { ("Bring back", "false") } else { ("Dismiss", "true") };
                                view! {
                                    {dismissed.clone().map(|d| view! { <span>{d}</span><br /> })}
                                    <ActionForm action>
                                        <input type="hidden" name="id" value=a.id />
                                        <input type="hidden" name="dismissed" value=to />
                                        <input type="hidden" name="back" value=back />
                                        <button class="button button--small" type="submit" aria-label=format!("{text} the alert for {name}")>{text}</button>
                                    </ActionForm>
                                }.into_any()
                            }
                        };
                        view! {
                            <tr>
                                <td><a href=format!("/admin/stock/{}", a.product_id)>{a.name}</a></td>
                                <td>{a.sku}</td>
                                <td><span class=format!("status-pill status-pill--{pill}")>{label}</span></td>
                                <td class="num">{a.stock}</td>
                                <td class="num">{a.threshold}</td>
                                <td>{when(&a.raised_at)}</td>
                                <td>{act}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
