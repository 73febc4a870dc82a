//! `/admin/alerts`: the low-stock alert list, kept by its own background
//! subscriber from the store's stock events. Open alerts (sold out first,
//! then the fewest left, then the oldest) can be dismissed, dismissed ones brought back; an alert closes by
//! itself when its product is restocked or taken off sale, and comes back
//! when a dismissed product sells out.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::alert_table::AlertTable;
use super::api::{DismissStockAlert, admin_stock_alerts};
use super::domain::{AlertFilter, AlertState};
use super::layout::Pager;
use crate::error::{AppError, message};
use crate::ui::{Forbidden, FormError, PageMeta, form_error};

#[component]
pub fn AlertsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        AlertFilter::from_query(|k| q.get(k))
    });
    let dismiss = ServerAction::<DismissStockAlert>::new();
    let list = Resource::new(move || (filter.get(), dismiss.version().get()), |(f, _)| admin_stock_alerts(f));
    let error = form_error(dismiss);
    view! {
        <PageMeta title="Stock alerts · Admin" robots="noindex" />
        <h1>"Stock alerts"</h1>
        <nav class="tabs" aria-label="Which alerts">
            {move || {
                let current = filter.get().state;
                AlertState::ALL.into_iter().map(|s| {
                    let href = format!("/admin/alerts{}", AlertFilter { state: s, page: 1 }.query(1));
                    view! { <a href=href aria-current=(s == current).then_some("page")>{s.label()}</a> }
                }).collect_view()
            }}
        </nav>
        <FormError error />
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading alerts…"</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match list.await {
                    Ok(page) => {
                        let noun = match f.state {
                            AlertState::Open => "open alert",
                            AlertState::Dismissed => "dismissed alert",
                            AlertState::Closed => "closed alert",
                        };
                        let summary = match page.total {
                            0 => format!("No {noun}s."),
                            1 => format!("1 {noun}"),
                            n => format!("{n} {noun}s"),
                        };
                        let back = format!("/admin/alerts{}", f.query(page.page));
                        let pager = move |n: u64| format!("/admin/alerts{}", f.query(n));
                        view! {
                            <p role="status" data-testid="alert-count">{summary.clone()}</p>
                            {(!page.rows.is_empty()).then(|| view! {
                                <AlertTable rows=page.rows caption=summary back action=dismiss />
                            })}
                            <Pager page=page.page pages=page.pages href=pager />
                        }.into_any()
                    }
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
