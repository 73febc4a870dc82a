//! The back office's frame: the `/admin` parent route's layout, its guard
//! and its navigation. Every `/admin` page renders inside it.
//!
//! The guard is the second of three: the server's session layer answers
//! 403 for every `/admin` page a signed-in non-admin asks for (and sends
//! guests to sign in), this layout renders the refusal instead of any admin
//! page (on the server, and in the browser after a client-side navigation),
//! and every admin server function checks the role itself.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::account::auth::Auth;
use crate::ui::Forbidden;

#[component]
pub fn AdminLayout() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let is_admin = move || matches!(auth.user.get(), Some(Ok(Some(s))) if s.user.is_admin());
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            <Show when=is_admin fallback=|| view! { <Forbidden /> }>
                <div class="admin">
                    <nav class="admin__nav" aria-label="Back office">
                        <A href="/admin" exact=true>"Dashboard"</A>
                        <A href="/admin/orders">"Orders"</A>
                        <A href="/admin/products">"Products"</A>
                        <A href="/admin/stock">"Stock"</A>
                        <A href="/admin/alerts">"Alerts"</A>
                        <A href="/admin/payments">"Payments"</A>
                    </nav>
                    <div class="admin__main">
                        <Outlet />
                    </div>
                    <LiveNotices />
                </div>
            </Show>
        </Suspense>
    }
}

/// The store's events as they happen (new orders, payments, low stock),
/// from `GET /admin/events` (server-sent events), newest first. Needs
/// JavaScript: without it the dashboard shows the same facts on reload.
/// Rendered only once hydrated, so server and browser render alike.
#[component]
fn LiveNotices() -> impl IntoView {
    let notices = RwSignal::new(Vec::<(String, String, &'static str)>::new());
    let live = RwSignal::new(false);
    let paused = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new("/admin/events") else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else { return };
            if let Ok(envelope) = serde_json::from_str::<crate::events::domain::Envelope>(&text) {
                notices.update(|n| {
                    if !n.iter().any(|(id, _, _)| *id == envelope.id) {
                        n.insert(0, (envelope.id.clone(), envelope.event.headline(), envelope.event.kind()));
                        n.truncate(8);
                    }
                });
            }
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            // The browser reconnects by itself unless the server refused (signed out).
            paused.set(watched.ready_state() == web_sys::EventSource::CLOSED);
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let kept = StoredValue::new_local(source);
        on_cleanup(move || kept.with_value(web_sys::EventSource::close));
        live.set(true);
    });
    move || {
        live.get().then(|| {
            view! {
                <section class="live" aria-labelledby="live-heading">
                    <h2 id="live-heading" class="live__title">"Live"</h2>
                    {move || paused.get().then(|| view! {
                        <p class="muted">"Live notifications stopped: reload the page to resume them."</p>
                    })}
                    <div role="log" aria-live="polite" data-testid="live-notices">
                    <ul class="live__list">
                        {move || {
                            let list = notices.get();
                            if list.is_empty() {
                                view! { <li class="muted">"Nothing new since this page opened."</li> }.into_any()
                            } else {
                                list.into_iter()
                                    .map(|(_, text, kind)| view! { <li class=format!("live__item live__item--{kind}")>{text}</li> })
                                    .collect_view()
                                    .into_any()
                            }
                        }}
                    </ul>
                    </div>
                </section>
            }
        })
    }
}

/// The previous and next links of a paged back-office list, and where it is.
#[component]
pub fn Pager(page: u64, pages: u64, href: impl Fn(u64) -> String) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label="Pagination">
                {(page > 1).then(|| view! { <a class="pagination__step" rel="prev" href=href(page - 1)>"Previous"</a> })}
                <span>{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { <a class="pagination__step" rel="next" href=href(page + 1)>"Next"</a> })}
            </nav>
        }
    })
}
