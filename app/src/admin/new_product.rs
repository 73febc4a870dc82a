//! `/admin/products/new`: a new product. First its category (its typed
//! specs make the rest of the form), then every field; it is saved not on
//! sale unless ticked, with no stock (stock arrives through the ledger).

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{SaveProduct, admin_product_editor};
use super::product_form::ProductFormView;
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, PageMeta};

#[component]
pub fn NewProductPage() -> impl IntoView {
    let query = use_query_map();
    let category = move || query.read().get("category").filter(|c| !c.is_empty());
    let draft = move || query.read().get("draft").and_then(|v| v.parse::<i32>().ok());
    let save = ServerAction::<SaveProduct>::new();
    let saved = RwSignal::new(0_u32);
    let editor = Resource::new(move || (category(), draft()), |(c, d)| admin_product_editor(None, c, d));
    view! {
        <PageMeta title="New product · Admin" robots="noindex" />
        <p><a href="/admin/products">"← All products"</a></p>
        <h1>"New product"</h1>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(e) if e.form.category.is_empty() => view! {
                        <Form method="GET" action="/admin/products/new" attr:class="admin-filters" attr:aria-label="Choose a category">
                            <div class="field">
                                <label for="new-category">"Category"</label>
                                <select id="new-category" name="category">
                                    {e.categories.into_iter().map(|c| view! { <option value=c.slug>{c.name}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="admin-filters__actions">
                                <button class="button" type="submit">"Continue"</button>
                            </div>
                        </Form>
                    }.into_any(),
                    Ok(e) => view! { <ProductFormView editor=e save saved /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
