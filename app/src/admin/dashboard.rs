//! `/admin`: today's orders and revenue, what needs doing, stock to watch.

use leptos::prelude::*;

use super::api::admin_dashboard;
use super::domain::Dashboard;
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, PageMeta};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| admin_dashboard());
    view! {
        <PageMeta title="Admin" description="OctaBlitz back office." robots="noindex" />
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardView d /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let stat = |label: &'static str, value: String, href: Option<&'static str>| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd>{match href {
                    Some(h) => view! { <a href=h>{value}</a> }.into_any(),
                    None => value.into_any(),
                }}</dd>
            </div>
        }
    };
    let shown = d.low_stock_list.len();
    view! {
        <h1>"Admin"</h1>
        <section aria-labelledby="today-heading">
            <h2 id="today-heading">"Today"</h2>
            <dl class="stats">
                {stat("Paid orders today", d.orders_today.to_string(), None)}
                {stat("Revenue today", d.revenue_today.to_string(), None)}
            </dl>
        </section>
        <section aria-labelledby="action-heading">
            <h2 id="action-heading">"Needs action"</h2>
            <dl class="stats">
                {stat("To ship", d.to_ship.to_string(), Some("/admin/orders?status=paid"))}
                {stat("Held for review", d.held.to_string(), Some("/admin/orders?status=held"))}
                {stat("Open refunds", d.refunds_open.to_string(), None)}
            </dl>
        </section>
        <section aria-labelledby="stock-heading">
            <h2 id="stock-heading">"Stock"</h2>
            <dl class="stats">
                {stat("Active products", d.active_products.to_string(), None)}
                {stat("Low stock", d.low_stock.to_string(), None)}
                {stat("Sold out", d.sold_out.to_string(), None)}
            </dl>
            <h3>"Low stock"</h3>
            {if d.low_stock_list.is_empty() {
                view! { <p>"No product is at or under its low-stock threshold."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption>{format!("The {shown} lowest of {} products at or under their threshold", d.low_stock)}</caption>
                            <thead><tr><th scope="col">"Product"</th><th scope="col">"SKU"</th><th scope="col" class="num">"Stock"</th><th scope="col" class="num">"Threshold"</th></tr></thead>
                            <tbody>
                                {d.low_stock_list.into_iter().map(|p| view! {
                                    <tr>
                                        <td><a href=format!("/products/{}", p.slug)>{p.name}</a></td>
                                        <td>{p.sku}</td>
                                        <td class="num">{p.stock}</td>
                                        <td class="num">{p.threshold}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
