//! Page chrome: header with search and category navigation, footer, 404.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::catalog::api::get_categories;
use crate::catalog::search::SearchBox;

/// Site header. The search drawer and the category menu are `<details>`
/// elements, so they open and close without JavaScript.
#[component]
pub fn Header() -> impl IntoView {
    let categories = Resource::new(|| (), |_| get_categories());
    let location = use_location();
    // Close the menus after navigating (hydrated only; without JS each page is new).
    let menu_ref = NodeRef::<leptos::html::Details>::new();
    let search_ref = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        location.pathname.track();
        location.search.track();
        if let Some(d) = menu_ref.get_untracked() {
            d.set_open(false);
        }
        if let Some(d) = search_ref.get_untracked() {
            d.set_open(false);
        }
    });
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <a class="logo" href="/" aria-label="OctaBlitz home">
                    <span class="logo__mark" aria-hidden="true">"◆"</span>
                    <span class="logo__text">"OctaBlitz"</span>
                </a>
                <div class="site-header__search site-header__search--wide">
                    <SearchBox id="search-wide" />
                </div>
                <details class="drawer drawer--search" node_ref=search_ref>
                    <summary class="icon-button" aria-label="Open search">
                        <span aria-hidden="true">"⌕"</span>
                        <span class="icon-button__label">"Search"</span>
                    </summary>
                    <div class="drawer__panel">
                        <SearchBox id="search-drawer" />
                    </div>
                </details>
            </div>
            <nav class="category-nav" aria-label="Categories">
                <details class="category-nav__menu" node_ref=menu_ref>
                    <summary class="category-nav__toggle">"All categories"</summary>
                    <Suspense fallback=|| view! { <p class="muted">"Loading categories…"</p> }>
                        {move || Suspend::new(async move {
                            categories
                                .await
                                .map(|cats| {
                                    view! {
                                        <ul class="category-nav__list">
                                            {cats
                                                .into_iter()
                                                .map(|c| {
                                                    view! {
                                                        <li>
                                                            <a href=format!("/categories/{}", c.slug)>{c.name}</a>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                        })}
                    </Suspense>
                </details>
                <ul class="category-nav__quick">
                    <li><a href="/categories/gpus">"Graphics Cards"</a></li>
                    <li><a href="/categories/cpus">"Processors"</a></li>
                    <li><a href="/categories/monitors">"Monitors"</a></li>
                    <li><a href="/categories/laptops">"Laptops"</a></li>
                    <li><a href="/products?sort=newest">"New arrivals"</a></li>
                </ul>
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"OctaBlitz — PCs, parts and gaming gear."</p>
            <nav aria-label="Footer">
                <a href="/products">"All products"</a>
                <a href="/categories">"Categories"</a>
                <a href="/search">"Search"</a>
            </nav>
        </footer>
    }
}

/// The 404 page; answers with status 404 when rendered on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <Meta name="description" content="This page does not exist at OctaBlitz." />
        <Meta name="robots" content="noindex" />
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"We could not find that page. It may have moved, or the link may be mistyped."</p>
            <SearchBox id="search-404" label="Search the catalog" />
            <p>
                <a class="button" href="/">"Go to the home page"</a>
                " "
                <a class="button button--ghost" href="/products">"Browse all products"</a>
            </p>
        </section>
    }
}
