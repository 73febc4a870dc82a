//! `/admin/products/{id}`: edit one product (every field, its category's
//! specs), delete it (softly) or restore it. `?draft=N` shows the admin's
//! own edit that could not be saved: after someone else's save, beside
//! what they saved; after a post without JavaScript, with its errors.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{DeleteProduct, RestoreProduct, SaveProduct, admin_product_editor};
use super::catalog::ProductEditor;
use super::product_form::ProductFormView;
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, FormError, Missing, PageMeta, form_error, when};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let draft = move || query.read().get("draft").and_then(|v| v.parse::<i32>().ok());
    let save = ServerAction::<SaveProduct>::new();
    let delete = ServerAction::<DeleteProduct>::new();
    let restore = ServerAction::<RestoreProduct>::new();
    let saved = RwSignal::new(0_u32);
    let editor = Resource::new(
        move || (id(), draft(), saved.get(), delete.version().get(), restore.version().get()),
        |(id, draft, _, _, _)| async move {
            match id {
                Some(id) => admin_product_editor(Some(id), None, draft).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <PageMeta title="Product · Admin" robots="noindex" />
        <p><a href="/admin/products">"← All products"</a></p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the product…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(e) => view! { <Editor e save delete restore saved /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(AppError::NotFound) => view! { <Missing title="No such product" back=("/admin/products", "Find it in the products list.") /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    e: ProductEditor,
    save: ServerAction<SaveProduct>,
    delete: ServerAction<DeleteProduct>,
    restore: ServerAction<RestoreProduct>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let Some(p) = e.saved.clone() else { return view! { <ErrorPanel error=AppError::NotFound /> }.into_any() };
    let delete_error = form_error(delete);
    let restore_error = form_error(restore);
    let name = e.form.name.clone();
    let status = if p.deleted {
        "Deleted"
    } else if e.form.is_active() {
        "On sale"
    } else {
        "Not on sale"
    };
    let conflict = e.draft.as_ref().and_then(|d| d.conflict.clone());
    view! {
        <h1>{name}</h1>
        <p role="status" data-testid="product-saved">
            {format!("{status} · version {} · last saved {}", p.version, when(&p.updated_at))}
        </p>
        <p class="admin-links">
            {(!p.deleted && e.form.is_active()).then(|| view! {
                <a href=format!("/products/{}", p.slug)>"See it in the store"</a>
            })}
            <a href=format!("/admin/stock/{}", p.id)>{format!("Stock: {} (ledger and adjustments)", p.stock)}</a>
            {(!p.deleted).then(|| view! { <a href=format!("/admin/products/{}/images", p.id)>"Images (upload, order, delete)"</a> })}
        </p>
        {conflict.map(|rows| view! { <Conflict rows id=p.id /> })}
        {if p.deleted {
            view! {
                <section class="panel" aria-labelledby="deleted-heading">
                    <h2 id="deleted-heading">"This product is deleted"</h2>
                    <p>"It is not in the store or the lists. Orders that name it keep it. Restore it to edit it again; it comes back not on sale."</p>
                    <FormError error=restore_error />
                    <ActionForm action=restore>
                        <input type="hidden" name="id" value=p.id />
                        <button class="button" type="submit">"Restore product"</button>
                    </ActionForm>
                </section>
            }.into_any()
        } else {
            view! {
                <ProductFormView editor=e save saved />
                <section class="admin-danger" aria-labelledby="delete-heading">
                    <h2 id="delete-heading">"Delete"</h2>
                    <p>"The product leaves the store at once; orders that name it keep it, and it can be restored."</p>
                    <FormError error=delete_error />
                    <ActionForm action=delete>
                        <input type="hidden" name="id" value=p.id />
                        <input type="hidden" name="version" value=p.version />
                        <button class="button button--danger" type="submit">"Delete product"</button>
                    </ActionForm>
                </section>
            }.into_any()
        }}
    }
    .into_any()
}

/// Someone saved the product after this admin's edit began.
#[component]
fn Conflict(rows: Vec<(String, String, String)>, id: i32) -> impl IntoView {
    view! {
        <section class="panel panel--warning" role="alert" aria-labelledby="conflict-heading">
            <h2 id="conflict-heading">"Someone else saved this product while you were editing it"</h2>
            <p>"Your changes are not saved yet. They are in the form below. Saving now replaces what is saved with your version; "
                <a href=format!("/admin/products/{id}")>"discard your changes"</a>" to keep theirs."</p>
            {if rows.is_empty() {
                view! { <p>"Your version and the saved one are the same."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data">
                            <caption>"Where the saved product and your version differ"</caption>
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Saved now"</th><th scope="col">"Yours"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(label, saved, yours)| view! {
                                    <tr><th scope="row">{label}</th><td>{saved}</td><td>{yours}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
