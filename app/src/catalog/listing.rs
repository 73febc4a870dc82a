//! The listing shared by `/products`, `/categories/:slug` and `/search`:
//! filters with counts, sort, pagination, all state in the URL.
//!
//! Without JavaScript the filters are a plain GET form and every other
//! control is a link. Hydrated, the same form navigates client-side and
//! applies itself on change.

use crate::ui::PageMeta;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map};

use super::api::get_listing;
use super::components::ProductGrid;
use super::query::{ListingQuery, PER_PAGE_CHOICES, SortOrder};
use super::types::{FacetValue, ListingPage};
use crate::error::AppError;
use crate::layout::NotFound;
use crate::ui::ErrorPanel;

/// Which listing a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingKind {
    All,
    Category,
    Search,
}

/// Facet values shown before "Show all".
const FACET_PREVIEW: usize = 10;

#[component]
pub fn ListingView(kind: ListingKind) -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let slug = move || match kind {
        ListingKind::Category => params.read().get("slug").unwrap_or_default(),
        _ => String::new(),
    };
    let data = Resource::new(move || (slug(), location.search.get()), |(category, query)| get_listing(category, query));
    // Whether the folded filter panel (narrow screens) is open; kept here so
    // it stays open while filters re-render the results.
    let filters_open = RwSignal::new(false);
    // The control that triggered a re-render, so focus can return to it.
    let refocus = StoredValue::new(None::<String>);
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading products…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let base = match kind {
                            ListingKind::All => "/products".to_owned(),
                            ListingKind::Search => "/search".to_owned(),
                            ListingKind::Category => format!("/categories/{}", slug()),
                        };
                        view! { <ListingBody kind base page filters_open refocus /> }.into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ListingBody(
    kind: ListingKind,
    base: String,
    page: ListingPage,
    filters_open: RwSignal<bool>,
    refocus: StoredValue<Option<String>>,
) -> impl IntoView {
    // Runs in the browser once the new results are in place.
    Effect::new(move |_| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(id) = refocus.try_update_value(Option::take).flatten()
            && let Some(el) = document().get_element_by_id(&id)
            && let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
    let query = ListingQuery::parse(&page.canonical_query).query;
    let (title, heading, description) = match (kind, &page.category) {
        (ListingKind::Category, Some(c)) => (c.name.clone(), c.name.clone(), c.description.clone()),
        (ListingKind::Search, _) if !query.q.is_empty() => (
            format!("Search: {}", query.q),
            format!("Results for “{}”", query.q),
            format!("Products matching {} at OctaBlitz.", query.q),
        ),
        (ListingKind::Search, _) => {
            ("Search".to_owned(), "Search".to_owned(), "Search the OctaBlitz catalog.".to_owned())
        }
        _ => (
            "All products".to_owned(),
            "All products".to_owned(),
            "Every product in the OctaBlitz PC and gaming catalog.".to_owned(),
        ),
    };
    let canonical = query.href(&base);
    // A page past the end (`?page=999`) is not a page of its own: the server
    // answers with a redirect to the last one (in the browser the notice says so).
    #[cfg(feature = "ssr")]
    {
        let search = use_location().search.get_untracked();
        if ListingQuery::parse(search.trim_start_matches('?')).query.page > page.page
            && let (Some(res), Ok(to)) =
                (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&canonical))
        {
            res.set_status(http::StatusCode::FOUND);
            res.insert_header(http::header::LOCATION, to);
        }
    }
    let noindex = query.has_filters() || kind == ListingKind::Search;
    let count_text = match page.total {
        0 => "No products".to_owned(),
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let empty = page.items.is_empty();
    let search_mode = kind == ListingKind::Search;
    let results_heading = if search_mode { "Search results" } else { "Products" };
    let breadcrumbs = (kind == ListingKind::Category).then(|| {
        view! {
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <ol>
                    <li><a href="/">"Home"</a></li>
                    <li><a href="/categories">"Categories"</a></li>
                    <li><a href=base.clone() aria-current="page">{heading.clone()}</a></li>
                </ol>
            </nav>
        }
    });
    view! {
        <PageMeta title description canonical robots=noindex.then_some("noindex, follow") />
        {breadcrumbs}
        <header class="listing-head">
            <h1>{heading}</h1>
            <p class="listing-head__count" role="status">{count_text}</p>
        </header>
        {(!page.notices.is_empty())
            .then(|| {
                view! {
                    <ul class="notices" aria-label="Notices">
                        {page.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    </ul>
                }
            })}
        {page
            .relaxed
            .then(|| {
                view! {
                    <p class="notice">
                        "No products matched every word of “" {query.q.clone()}
                        "”, so here are products matching some of them."
                    </p>
                }
            })}
        {page
            .did_you_mean
            .clone()
            .map(|suggestion| {
                let href = ListingQuery { q: suggestion.clone(), ..ListingQuery::new() }.href("/search");
                view! {
                    <p class="notice">"Did you mean " <a href=href>{suggestion}</a> "?"</p>
                }
            })}
        <div class="listing">
            <Filters base=base.clone() page=page.clone() query=query.clone() search_mode filters_open refocus />
            <div class="listing__results">
                <ActiveFilters base=base.clone() query=query.clone() page=page.clone() />
                {if empty {
                    view! { <NoResults base=base.clone() query=query.clone() /> }.into_any()
                } else {
                    view! {
                        // The cards' titles are h3s: this keeps the outline h1 > h2 > h3.
                        <h2 class="visually-hidden">{results_heading}</h2>
                        <ProductGrid products=page.items.clone() eager_first=4 />
                        <Pagination base=base.clone() query=query.clone() page=page.page pages=page.pages />
                        {(page.total > u64::from(PER_PAGE_CHOICES[0]))
                            .then(|| view! { <PerPage base=base.clone() query=query.clone() /> })}
                    }
                        .into_any()
                }}
            </div>
        </div>
    }
}

/// The filter form: a GET form that works without JavaScript.
#[component]
fn Filters(
    base: String,
    page: ListingPage,
    query: ListingQuery,
    search_mode: bool,
    filters_open: RwSignal<bool>,
    refocus: StoredValue<Option<String>>,
) -> impl IntoView {
    // Hydrated: checkboxes and selects apply as soon as they change (text
    // fields wait for Enter or the button, so Tab moves on undisturbed).
    let on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let target = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlElement>().ok());
        if let Some(input) = target.as_ref().and_then(|t| t.dyn_ref::<leptos::web_sys::HtmlInputElement>())
            && input.type_() != "checkbox"
        {
            return;
        }
        refocus.set_value(target.map(|t| t.id()).filter(|id| !id.is_empty()));
        if let Some(form) = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok()) {
            let _ = form.request_submit();
        }
    };
    let facets = page.facets.clone();
    let price_placeholder =
        facets.price_bounds.map(|(lo, hi)| (lo.to_major_string(), hi.to_major_string())).unwrap_or_default();
    view! {
        <section class="filters" aria-label="Filters and sort">
            // On narrow screens this CSS-only toggle folds the form away (no JavaScript needed).
            <input
                type="checkbox"
                id="filters-toggle"
                class="filters__toggle-input"
                prop:checked=move || filters_open.get()
                on:change=move |ev| filters_open.set(event_target_checked(&ev))
            />
            <label for="filters-toggle" class="filters__toggle">"Show filters and sort"</label>
            <Form method="GET" action=base noscroll=true attr:id="filters" attr:class="filters__form" on:change=on_change>
                {(!query.q.is_empty() || search_mode)
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="filter-q">"Search"</label>
                                <input id="filter-q" type="search" name="q" value=query.q.clone() maxlength="120" />
                            </div>
                        }
                    })}
                <div class="field">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">
                        {SortOrder::ALL
                            .into_iter()
                            .map(|o| {
                                view! {
                                    <option value=o.param() selected=query.sort == o>
                                        {o.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <FacetGroup legend="Category".to_owned() name="category".to_owned() values=facets.categories.clone() />
                <FacetGroup legend="Brand".to_owned() name="brand".to_owned() values=facets.brands.clone() />
                {facets
                    .specs
                    .iter()
                    .map(|f| {
                        view! {
                            <FacetGroup
                                legend=f.label.clone()
                                name=format!("spec.{}", f.key)
                                values=f.values.clone()
                            />
                        }
                    })
                    .collect_view()}
                <fieldset class="facet">
                    <legend>"Price (USD)"</legend>
                    <div class="price-range">
                        <label>
                            <span>"Min"</span>
                            <input
                                type="text"
                                inputmode="decimal"
                                name="min_price"
                                placeholder=price_placeholder.0
                                value=query.min_price.map(|m| m.to_major_string()).unwrap_or_default()
                                size="7"
                            />
                        </label>
                        <label>
                            <span>"Max"</span>
                            <input
                                type="text"
                                inputmode="decimal"
                                name="max_price"
                                placeholder=price_placeholder.1
                                value=query.max_price.map(|m| m.to_major_string()).unwrap_or_default()
                                size="7"
                            />
                        </label>
                    </div>
                </fieldset>
                <fieldset class="facet">
                    <legend>"Availability"</legend>
                    <label class="check">
                        <input type="checkbox" id="facet-in-stock" name="in_stock" value="1" checked=query.in_stock />
                        <span>"In stock only"</span>
                        <span class="count">{format!("({})", facets.in_stock_count)}</span>
                    </label>
                </fieldset>
                {(query.per_page != super::query::DEFAULT_PER_PAGE)
                    .then(|| view! { <input type="hidden" name="per_page" value=query.per_page.to_string() /> })}
                <button class="button" type="submit">"Apply filters"</button>
            </Form>
        </section>
    }
}

#[component]
fn FacetGroup(legend: String, name: String, values: Vec<FacetValue>) -> impl IntoView {
    if values.is_empty() {
        return ().into_any();
    }
    let mut head = values;
    let mut tail = Vec::new();
    if head.len() > FACET_PREVIEW + 2 {
        // Show the selected and most common values first; the rest behind "Show more".
        head.sort_by(|a, b| b.selected.cmp(&a.selected).then(b.count.cmp(&a.count)));
        tail = head.split_off(FACET_PREVIEW);
        head.sort_by_cached_key(|v| v.label.to_lowercase());
        tail.sort_by_cached_key(|v| v.label.to_lowercase());
    }
    let option = {
        let name = name.clone();
        move |v: FacetValue| {
            view! {
                <label class="check" class:check--empty=v.count == 0 && !v.selected>
                    <input
                        type="checkbox"
                        id=control_id(&name, &v.value)
                        name=name.clone()
                        value=v.value
                        checked=v.selected
                    />
                    <span>{v.label}</span>
                    <span class="count">{format!("({})", v.count)}</span>
                </label>
            }
        }
    };
    let more = (!tail.is_empty()).then(|| {
        let option = option.clone();
        let n = tail.len();
        view! {
            <details class="facet__more">
                <summary>{format!("Show {n} more")}</summary>
                {tail.into_iter().map(option).collect_view()}
            </details>
        }
    });
    view! {
        <fieldset class="facet">
            <legend>{legend}</legend>
            {head.into_iter().map(option).collect_view()}
            {more}
        </fieldset>
    }
    .into_any()
}

/// A stable element id for one facet checkbox (so focus can return to it).
fn control_id(name: &str, value: &str) -> String {
    let clean = |s: &str| {
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect::<String>()
    };
    format!("facet-{}-{}", clean(name), clean(value))
}

/// Removable chips for each active filter.
#[component]
fn ActiveFilters(base: String, query: ListingQuery, page: ListingPage) -> impl IntoView {
    if !query.has_filters() {
        return ().into_any();
    }
    let mut chips: Vec<(String, String)> = Vec::new();
    let label_of = |values: &[FacetValue], v: &str| {
        values.iter().find(|f| f.value == v).map(|f| f.label.clone()).unwrap_or_else(|| v.to_owned())
    };
    for c in &query.categories {
        let mut q = query.with_page(1);
        q.categories.retain(|x| x != c);
        chips.push((label_of(&page.facets.categories, c), q.href(&base)));
    }
    for b in &query.brands {
        let mut q = query.with_page(1);
        q.brands.retain(|x| x != b);
        chips.push((label_of(&page.facets.brands, b), q.href(&base)));
    }
    for (key, values) in &query.specs {
        let facet = page.facets.specs.iter().find(|f| &f.key == key);
        for v in values {
            let mut q = query.with_page(1);
            if let Some((_, vs)) = q.specs.iter_mut().find(|(k, _)| k == key) {
                vs.retain(|x| x != v);
            }
            q.specs.retain(|(_, vs)| !vs.is_empty());
            let label = match facet {
                Some(f) => format!("{}: {}", f.label, label_of(&f.values, v)),
                None => v.clone(),
            };
            chips.push((label, q.href(&base)));
        }
    }
    if query.min_price.is_some() || query.max_price.is_some() {
        let q = ListingQuery { min_price: None, max_price: None, ..query.with_page(1) };
        let label = match (query.min_price, query.max_price) {
            (Some(lo), Some(hi)) => format!("{lo} – {hi}"),
            (Some(lo), None) => format!("From {lo}"),
            (None, Some(hi)) => format!("Up to {hi}"),
            (None, None) => String::new(),
        };
        chips.push((label, q.href(&base)));
    }
    if query.in_stock {
        let q = ListingQuery { in_stock: false, ..query.with_page(1) };
        chips.push(("In stock only".to_owned(), q.href(&base)));
    }
    let clear = query.without_filters().href(&base);
    view! {
        <ul class="chips" aria-label="Active filters">
            {chips
                .into_iter()
                .map(|(label, href)| {
                    view! {
                        <li>
                            // The "×" is drawn by CSS: as text it would be part of the
                            // visible label, which the accessible name must contain.
                            <a class="chip chip--remove" href=href aria-label=format!("Remove filter {label}")>
                                {label.clone()}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
            <li><a class="chip chip--clear" href=clear>"Clear all filters"</a></li>
        </ul>
    }
    .into_any()
}

#[component]
fn Pagination(base: String, query: ListingQuery, page: u32, pages: u32) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let mut numbers: Vec<u32> = vec![1, pages];
    numbers.extend(page.saturating_sub(2).max(1)..=(page + 2).min(pages));
    numbers.sort_unstable();
    numbers.dedup();
    let link = |n: u32| query.with_page(n).href(&base);
    let mut items = Vec::new();
    let mut last = 0;
    for n in numbers {
        if n > last + 1 {
            items.push(view! { <li class="pagination__gap" aria-hidden="true">"…"</li> }.into_any());
        }
        let current = n == page;
        items.push(
            view! {
                <li>
                    <a
                        href=link(n)
                        aria-current=current.then_some("page")
                        aria-label=format!("Page {n}")
                        class:current=current
                    >
                        {n}
                    </a>
                </li>
            }
            .into_any(),
        );
        last = n;
    }
    view! {
        <nav class="pagination" aria-label="Pagination">
            {(page > 1).then(|| view! { <a class="pagination__step" rel="prev" href=link(page - 1)>"Previous"</a> })}
            <ol>{items}</ol>
            {(page < pages).then(|| view! { <a class="pagination__step" rel="next" href=link(page + 1)>"Next"</a> })}
        </nav>
    }
    .into_any()
}

/// Page size choices; shown even when everything fits on one page, so a
/// larger choice can be undone.
#[component]
fn PerPage(base: String, query: ListingQuery) -> impl IntoView {
    let links = PER_PAGE_CHOICES
        .into_iter()
        .map(|n| {
            let href = ListingQuery { per_page: n, ..query.with_page(1) }.href(&base);
            let current = n == query.per_page;
            view! { <a href=href aria-current=current.then_some("true") class:current=current>{n}</a> }
        })
        .collect_view();
    view! { <p class="per-page">"Per page: " {links}</p> }
}

#[component]
fn NoResults(base: String, query: ListingQuery) -> impl IntoView {
    let without = query.has_filters().then(|| query.without_filters().href(&base));
    view! {
        <section class="no-results" aria-labelledby="no-results-heading">
            <h2 id="no-results-heading">
                {if query.q.is_empty() {
                    "No products match these filters".to_owned()
                } else {
                    format!("No products match “{}”", query.q)
                }}
            </h2>
            <ul>
                {without
                    .map(|href| {
                        view! { <li><a href=href>"Remove all filters"</a> " and see every match."</li> }
                    })}
                <li>"Check the spelling, or use fewer or more general words."</li>
                <li>"Search by brand or model, like “Ryzen 7”, “RTX 4070” or “Logitech”."</li>
            </ul>
            <p>
                "Popular: " <a href="/categories/gpus">"Graphics cards"</a> ", "
                <a href="/categories/cpus">"Processors"</a> ", " <a href="/categories/monitors">"Monitors"</a>
                ", " <a href="/categories/keyboards">"Keyboards"</a> ", " <a href="/products">"All products"</a>
            </p>
        </section>
    }
}
