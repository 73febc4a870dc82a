//! The wasm entry point: hydrates the server-rendered page.
//!
//! Hydrated asynchronously, not with `hydrate_body`: a page whose code is a
//! lazy chunk (`app::app`'s `lazy_pages!`) is hydrated once its chunks
//! have loaded. When all of it has, the page is marked hydrated
//! (`app::ui::hydrated`): the cart starts its work, and the document gets
//! `data-hydrated` (what the browser tests wait for).

// The hydration future holds the whole app's view type.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_from_async` sets up Leptos' own task executor when it starts.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a page has a body");
        leptos::mount::hydrate_from_async(body, app::App).await.forget();
        app::ui::mark_hydrated();
    });
}
