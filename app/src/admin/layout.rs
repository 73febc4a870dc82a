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
                        <A href="/admin/stock">"Stock"</A>
                    </nav>
                    <div class="admin__main">
                        <Outlet />
                    </div>
                </div>
            </Show>
        </Suspense>
    }
}
