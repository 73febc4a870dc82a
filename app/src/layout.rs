//! Page chrome: header with search and category navigation, footer, 404.

use crate::ui::PageMeta;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use leptos::form::ActionForm;

use crate::account::auth::Auth;
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
                <UserMenu />
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

/// "Sign in", or the account links and a sign-out button (a form, so it
/// works without JavaScript).
#[component]
fn UserMenu() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let location = use_location();
    view! {
        <nav class="user-menu" aria-label="Account">
            <crate::cart::components::CartLink />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await.ok().flatten() {
                        Some(session) => {
                            view! {
                                {session.user.is_admin().then(|| view! { <a class="user-menu__link" href="/admin">"Admin"</a> })}
                                <a class="user-menu__link" href="/account">"Account"</a>
                                <ActionForm action=auth.sign_out attr:class="user-menu__form">
                                    <button class="user-menu__link user-menu__button" type="submit">"Sign out"</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        None => {
                            // Back to wherever the shopper is when they click.
                            let href = move || {
                                let here = location.pathname.get();
                                let next = if here.starts_with("/sign-in") || here.starts_with("/register") {
                                    "/".to_owned()
                                } else {
                                    here
                                };
                                format!("/sign-in?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
                            };
                            view! { <a class="user-menu__link" href=href>"Sign in"</a> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </nav>
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
        <PageMeta title="Page not found" description="This page does not exist at OctaBlitz." robots="noindex" />
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
