//! `/categories` and `/categories/:slug`.

use crate::ui::PageMeta;
use leptos::prelude::*;

use super::api::get_categories;
use super::home::CategoryGrid;
use super::listing::{ListingKind, ListingView};
use crate::ui::ErrorPanel;

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let categories = Resource::new(|| (), |_| get_categories());
    view! {
        <PageMeta
            title="All categories"
            description="Every category at OctaBlitz, from processors and graphics cards to chairs and games."
            canonical="/categories"
        />
        <h1>"All categories"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match categories.await {
                    Ok(c) => view! { <CategoryGrid categories=c /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    view! { <ListingView kind=ListingKind::Category /> }
}
