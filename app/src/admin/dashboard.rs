//! `/admin`: stock at a glance.

use crate::ui::PageMeta;
use leptos::prelude::*;

use super::api::admin_overview;
use crate::catalog::components::{ErrorPanel, ProductGrid};
use crate::error::AppError;

#[component]
pub fn AdminPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <PageMeta title="Admin" description="OctaBlitz back office." robots="noindex" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        view! {
                            <h1>"Admin"</h1>
                            <dl class="stats">
                                <div><dt>"Active products"</dt><dd>{o.active_products}</dd></div>
                                <div><dt>"Out of stock"</dt><dd>{o.out_of_stock}</dd></div>
                                <div><dt>"Low stock"</dt><dd>{o.low_stock.len()}</dd></div>
                            </dl>
                            <section class="shelf" aria-labelledby="low-stock-heading">
                                <h2 id="low-stock-heading">"Low stock"</h2>
                                <ProductGrid products=o.low_stock />
                            </section>
                        }
                            .into_any()
                    }
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 403: signed in, but not allowed here.
#[component]
pub fn Forbidden() -> impl IntoView {
    view! {
        <PageMeta title="Not allowed" robots="noindex" />
        <section class="not-found">
            <h1>"You do not have access to this page"</h1>
            <p>"This area is for OctaBlitz staff. If you think you should have access, sign in with your staff account."</p>
            <p><a class="button" href="/">"Back to the store"</a></p>
        </section>
    }
}
