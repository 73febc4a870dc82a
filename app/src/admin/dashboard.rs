//! `/admin`: today's orders and revenue, what needs doing, stock to watch
//! (the open low-stock alerts, which can be dismissed here).

use leptos::prelude::*;

use super::alert_table::AlertTable;
use super::api::{DismissStockAlert, admin_dashboard};
use super::domain::Dashboard;
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, FormError, PageMeta, form_error};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dismiss = ServerAction::<DismissStockAlert>::new();
    let dashboard = Resource::new(move || dismiss.version().get(), |_| admin_dashboard());
    view! {
        <PageMeta title="Admin" description="OctaBlitz back office." robots="noindex" />
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <DashboardView d dismiss /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard, dismiss: ServerAction<DismissStockAlert>) -> impl IntoView {
    let error = form_error(dismiss);
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
                {stat("Low stock", d.low_stock.to_string(), Some("/admin/stock?level=low"))}
                {stat("Sold out", d.sold_out.to_string(), Some("/admin/stock?level=out"))}
                {stat("Open alerts", d.alerts_open.to_string(), Some("/admin/alerts"))}
            </dl>
            <h3 id="alerts-heading">"Stock alerts"</h3>
            <FormError error />
            {if d.alerts.is_empty() {
                view! { <p>"No open stock alert. "<a href="/admin/alerts?state=dismissed">"Dismissed alerts"</a></p> }.into_any()
            } else {
                let caption = if d.alerts_open as usize > d.alerts.len() {
                    format!("The {} most urgent of {} open alerts", d.alerts.len(), d.alerts_open)
                } else if d.alerts_open == 1 {
                    "1 open alert".to_owned()
                } else {
                    format!("{} open alerts", d.alerts_open)
                };
                view! {
                    <AlertTable rows=d.alerts caption back="/admin".to_owned() action=dismiss />
                    <p><a href="/admin/alerts">"Every stock alert"</a></p>
                }.into_any()
            }}
        </section>
    }
}
