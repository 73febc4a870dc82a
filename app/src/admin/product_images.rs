//! `/admin/products/{id}/images`: a product's gallery. Upload (a plain
//! multipart form to `…/images/upload`, the same with or without
//! JavaScript), reorder by dragging (with JavaScript) or with the move
//! buttons (with or without it, and from the keyboard), make an image the
//! primary one (first: the one listing cards show), delete. The storefront
//! reads the same rows, so it follows each change at once.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{DeleteProductImage, MoveProductImage, ReorderProductImages, admin_gallery};
use super::catalog::Gallery;
use crate::catalog::gallery::{GalleryMove, Refusal};
use crate::error::AppError;
use crate::ui::{ErrorPanel, Forbidden, FormError, Missing, PageMeta, form_error};

#[component]
pub fn ProductImagesPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    // The store's own words for a refused upload: the address carries a code only.
    let refused = move || query.read().get("refused").and_then(|c| Refusal::parse(&c));
    let moved = ServerAction::<MoveProductImage>::new();
    let reordered = ServerAction::<ReorderProductImages>::new();
    let deleted = ServerAction::<DeleteProductImage>::new();
    let gallery = Resource::new(
        move || (id(), moved.version().get(), reordered.version().get(), deleted.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => admin_gallery(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let errors = [form_error(moved), form_error(reordered), form_error(deleted)];
    view! {
        <PageMeta title="Product images · Admin" robots="noindex" />
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the images…"</p> }>
            {move || Suspend::new(async move {
                match gallery.await {
                    Ok(g) => view! { <Editor g refused=refused() moved reordered deleted errors /> }.into_any(),
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
    g: Gallery,
    refused: Option<Refusal>,
    moved: ServerAction<MoveProductImage>,
    reordered: ServerAction<ReorderProductImages>,
    deleted: ServerAction<DeleteProductImage>,
    errors: [Signal<Option<AppError>>; 3],
) -> impl IntoView {
    let product = g.id;
    let count = g.images.len();
    let order: Vec<i32> = g.images.iter().map(|i| i.id).collect();
    // The image being dragged, by its place in the gallery.
    let dragging = RwSignal::new(None::<usize>);
    let drop_at = move |to: usize| {
        let Some(from) = dragging.get_untracked() else { return };
        dragging.set(None);
        if from == to {
            return;
        }
        let mut next = order.clone();
        let id = next.remove(from);
        next.insert(to, id);
        reordered.dispatch(ReorderProductImages { product_id: product, order: next });
    };
    let items = g
        .images
        .into_iter()
        .enumerate()
        .map(|(at, img)| {
            let drop_here = drop_at.clone();
            let first = at == 0;
            let last = at + 1 == count;
            let label = format!("Image {} of {count}", at + 1);
            view! {
                <li
                    class="gallery-editor__item"
                    class:gallery-editor__item--dragging=move || dragging.get() == Some(at)
                    draggable="true"
                    data-image-id=img.id
                    aria-label=label.clone()
                    on:dragstart=move |_ev| {
                        // Firefox starts a drag only with data set.
                        #[cfg(feature = "hydrate")]
                        if let Some(dt) = _ev.data_transfer() {
                            let _ = dt.set_data("text/plain", &img.id.to_string());
                        }
                        dragging.set(Some(at));
                    }
                    on:dragover=move |ev| ev.prevent_default()
                    on:drop=move |ev| {
                        ev.prevent_default();
                        drop_here(at);
                    }
                    on:dragend=move |_| dragging.set(None)
                >
                    <img src=img.thumb.clone() alt=img.alt.clone() width="120" height="120" loading="lazy" draggable="false" />
                    <div class="gallery-editor__text">
                        <p>{if first { format!("{label} · primary") } else { label.clone() }}</p>
                        <p class="muted">{img.alt.clone()}</p>
                        <p class="muted">{format!("{} × {} px", img.width, img.height)}</p>
                    </div>
                    <div class="gallery-editor__actions">
                        <MoveButton product image=img.id to=GalleryMove::Up enabled=!first text="Move up" action=moved />
                        <MoveButton product image=img.id to=GalleryMove::Down enabled=!last text="Move down" action=moved />
                        <MoveButton product image=img.id to=GalleryMove::First enabled=!first text="Make primary" action=moved />
                        <ActionForm action=deleted>
                            <input type="hidden" name="product_id" value=product />
                            <input type="hidden" name="image_id" value=img.id />
                            <button class="button button--small button--ghost" type="submit" aria-label=format!("Delete image {}", at + 1)>"Delete"</button>
                        </ActionForm>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <p><a href=format!("/admin/products/{product}")>"← Edit the product"</a></p>
        <h1>{format!("Images of {}", g.name)}</h1>
        {g.on_sale.then(|| view! { <p><a href=format!("/products/{}", g.slug)>"See the gallery in the store"</a></p> })}
        {refused.map(|r| view! { <p class="form-error" role="alert">{r.message()}</p> })}
        {errors.into_iter().map(|e| view! { <FormError error=e /> }).collect_view()}
        <h2>"Upload"</h2>
        <form class="admin-move" method="post" enctype="multipart/form-data"
            action=format!("/admin/products/{product}/images/upload") aria-label="Upload an image">
            <div class="field">
                <label for="upload-file">"Image (JPEG, PNG, WebP or GIF, up to 10 MB)"</label>
                <input id="upload-file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif" required />
            </div>
            <div class="field">
                <label for="upload-alt">"Description for screen readers"</label>
                <input id="upload-alt" name="alt" maxlength="200" autocomplete="off" />
            </div>
            <button class="button" type="submit">"Upload image"</button>
        </form>
        <h2>"Gallery"</h2>
        {if count == 0 {
            view! { <p class="muted">"No images yet: the store shows a placeholder."</p> }.into_any()
        } else {
            view! {
                <p class="muted">"The first image is the primary one. Drag images to reorder them, or use the buttons."</p>
                <ol class="gallery-editor" data-testid="gallery-editor">{items}</ol>
            }.into_any()
        }}
    }
}

#[component]
fn MoveButton(
    product: i32,
    image: i32,
    to: GalleryMove,
    enabled: bool,
    text: &'static str,
    action: ServerAction<MoveProductImage>,
) -> impl IntoView {
    let to_id = match to {
        GalleryMove::Up => "up",
        GalleryMove::Down => "down",
        GalleryMove::First => "first",
    };
    enabled.then(|| {
        view! {
            <ActionForm action>
                <input type="hidden" name="product_id" value=product />
                <input type="hidden" name="image_id" value=image />
                <input type="hidden" name="to" value=to_id />
                <button class="button button--small button--ghost" type="submit">{text}</button>
            </ActionForm>
        }
    })
}
