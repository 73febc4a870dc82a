//! `/search` and the search box with type-ahead suggestions.

use crate::ui::PageMeta;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::get_suggestions;
use super::listing::{ListingKind, ListingView};
use super::types::Suggestion;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let has_query = move || query.read().get("q").is_some_and(|q| !q.trim().is_empty());
    view! {
        <Show
            when=has_query
            fallback=|| {
                view! {
                    <PageMeta
                        title="Search"
                        description="Search the OctaBlitz catalog by product, brand, model or spec."
                        robots="noindex, follow"
                    />
                    <section class="search-intro">
                        <h1>"Search the store"</h1>
                        <p>"Search by product name, brand, model number or spec — for example “rtx 4070”, “ddr5 32gb” or “wireless mouse”."</p>
                        <SearchBox id="search-page" label="Search the catalog" />
                    </section>
                }
            }
        >
            <ListingView kind=ListingKind::Search />
        </Show>
    }
}

/// The search form. Without JavaScript it is a GET form to `/search`;
/// hydrated it also suggests products as you type (arrow keys, Enter, Escape).
#[component]
pub fn SearchBox(
    #[prop(into)] id: String,
    /// Accessible name of the input (two boxes on one page need different names).
    #[prop(into, default = "Search products".to_owned())]
    label: String,
) -> impl IntoView {
    let listbox_id = format!("{id}-suggestions");
    let (text, set_text) = signal(String::new());
    let items = RwSignal::new(Vec::<Suggestion>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // Only the newest request may fill the list: older answers can arrive late.
    let generation = StoredValue::new(0_u64);
    let expanded = move || open.get() && !items.read().is_empty() && !text.read().trim().is_empty();
    // The box can be unmounted (navigation) while a timer or request is in
    // flight: those then find their signals disposed and must do nothing.
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });

    // Suggestions are fetched from event handlers only (never during SSR), so
    // nothing here holds up server rendering.
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        set_text.set(value.clone());
        open.set(true);
        active.set(None);
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let fetch = move || {
            let Some(current) = generation.try_update_value(|g| {
                *g += 1;
                *g
            }) else {
                return;
            };
            if value.trim().chars().count() < 2 {
                items.try_set(Vec::new());
                return;
            }
            leptos::task::spawn_local(async move {
                let found = get_suggestions(value).await.unwrap_or_default();
                if generation.try_get_value() == Some(current) {
                    items.try_set(found);
                }
            });
        };
        timer.set_value(set_timeout_with_handle(fetch, std::time::Duration::from_millis(150)).ok());
    };
    let region_label = label.clone();
    let navigate = use_navigate();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = items.read().len();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            "Enter" => {
                let picked = if expanded() { active.get().and_then(|i| items.read().get(i).cloned()) } else { None };
                // Either way the list closes, and a late answer must not reopen it.
                open.set(false);
                generation.update_value(|g| *g += 1);
                if let Some(s) = picked {
                    ev.prevent_default();
                    navigate(&format!("/products/{}", s.slug), Default::default());
                }
            }
            _ => {}
        }
    };
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || if expanded() { active.get().map(&option_id) } else { None }
    };
    view! {
        <Form method="GET" action="/search" attr:class="searchbox" attr:role="search" attr:aria-label=region_label>
            <label class="visually-hidden" for=id.clone()>{label}</label>
            <input
                id=id.clone()
                class="searchbox__input"
                type="search"
                name="q"
                placeholder="Search products, brands, specs…"
                autocomplete="off"
                maxlength="120"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=listbox_id.clone()
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=active_descendant
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| {
                    // Let a click on a suggestion land before closing.
                    set_timeout(move || open.set(false), std::time::Duration::from_millis(200));
                }
            />
            <button class="searchbox__button" type="submit">"Search"</button>
            <ul id=listbox_id class="searchbox__suggestions" role="listbox" aria-label="Suggestions" hidden=move || !expanded()>
                <For
                    each=move || items.get().into_iter().enumerate()
                    key=|(i, s)| (*i, s.slug.clone())
                    children=move |(i, s)| {
                        let option_id = option_id.clone();
                        view! {
                            <li
                                id=option_id(i)
                                role="option"
                                aria-selected=move || (active.get() == Some(i)).to_string()
                                class:active=move || active.get() == Some(i)
                            >
                                <a href=format!("/products/{}", s.slug) tabindex="-1" on:click=move |_| open.set(false)>
                                    <span class="suggestion__name">{s.name.clone()}</span>
                                    <span class="suggestion__meta">
                                        {format!("{} · {} · {}", s.brand, s.category_name, s.price)}
                                    </span>
                                </a>
                            </li>
                        }
                    }
                />
            </ul>
        </Form>
    }
}
