//! `/`: hero, featured products, deals and the category grid.

use crate::ui::PageMeta;
use leptos::prelude::*;

use super::api::get_home;
use super::components::ProductGrid;
use super::types::CategorySummary;
use crate::ui::ErrorPanel;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <PageMeta
            title=""
            description="Shop graphics cards, processors, monitors, peripherals and gaming gear at OctaBlitz. Real stock levels, fast search and honest prices."
            canonical="/"
        />
        <section class="hero">
            <div class="hero__text">
                <h1>"Build it. Play it. Blitz it."</h1>
                <p>"Parts, peripherals and gaming gear from the brands you trust, with real stock levels on every product."</p>
                <p class="hero__actions">
                    <a class="button" href="/products">"Shop all products"</a>
                    <a class="button button--ghost" href="/categories/gpus">"Graphics cards"</a>
                </p>
            </div>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(data) => {
                        view! {
                            <section class="shelf" aria-labelledby="featured-heading">
                                <h2 id="featured-heading">"Featured"</h2>
                                <ProductGrid products=data.featured eager_first=4 />
                            </section>
                            <section class="shelf" aria-labelledby="deals-heading">
                                <h2 id="deals-heading">"Deals"</h2>
                                <ProductGrid products=data.deals />
                            </section>
                            <section class="shelf" aria-labelledby="categories-heading">
                                <h2 id="categories-heading">"Shop by category"</h2>
                                <CategoryGrid categories=data.categories />
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CategoryGrid(categories: Vec<CategorySummary>) -> impl IntoView {
    view! {
        <ul class="category-grid" role="list">
            {categories
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <a class="category-tile" href=format!("/categories/{}", c.slug)>
                                <img src=c.image alt="" width="400" height="300" loading="lazy" decoding="async" />
                                <span class="category-tile__name">{c.name}</span>
                                <span class="category-tile__count">{format!("{} products", c.product_count)}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
