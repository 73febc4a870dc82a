//! `/products/:slug`: gallery, price, stock, specs, related products.

use crate::ui::PageMeta;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::api::get_product;
use super::components::{Price, ProductGrid, Rating, StockBadge};
use super::types::{ImageRef, ProductDetail};
use crate::error::AppError;
use crate::layout::NotFound;
use crate::ui::ErrorPanel;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let product = Resource::new(slug, get_product);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading product…"</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(p) => view! { <ProductView product=p /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let ProductDetail { card, sku, description, images, specs, related } = product;
    let canonical = format!("/products/{}", card.slug);
    let category_href = format!("/categories/{}", card.category_slug);
    view! {
        <PageMeta title=card.name.clone() description=card.short_description.clone() canonical=canonical.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                <li><a href=category_href>{card.category_name.clone()}</a></li>
                <li><a href=canonical aria-current="page">{card.name.clone()}</a></li>
            </ol>
        </nav>
        <article class="product">
            <Gallery images name=card.name.clone() />
            <div class="product__info">
                <p class="product__brand">{card.brand.clone()}</p>
                <h1 class="product__title">{card.name.clone()}</h1>
                <Rating rating_x10=card.rating_x10 reviews=card.review_count />
                <p class="product__summary">{card.short_description.clone()}</p>
                <div class="product__buy">
                    <Price price=card.price compare_at=card.compare_at />
                    {card.discount_percent().map(|d| view! { <span class="badge">{format!("Save {d}%")}</span> })}
                    <p><StockBadge status=card.stock /></p>
                    <crate::cart::components::AddToCartForm
                        product_id=card.id
                        name=card.name.clone()
                        available=card.stock.available()
                        with_quantity=true
                    />
                </div>
                <p class="muted small">"SKU: " {sku}</p>
            </div>
        </article>
        <section class="product__details" aria-labelledby="description-heading">
            <h2 id="description-heading">"Description"</h2>
            <p>{description}</p>
        </section>
        {(!specs.is_empty())
            .then(|| {
                view! {
                    <section class="product__specs" aria-labelledby="specs-heading">
                        <h2 id="specs-heading">"Specifications"</h2>
                        <table class="specs">
                            <tbody>
                                {specs
                                    .into_iter()
                                    .map(|s| view! { <tr><th scope="row">{s.label}</th><td>{s.value}</td></tr> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            })}
        {(!related.is_empty())
            .then(|| {
                view! {
                    <section class="shelf" aria-labelledby="related-heading">
                        <h2 id="related-heading">"Related products"</h2>
                        <ProductGrid products=related />
                    </section>
                }
            })}
    }
}

/// Image gallery. The shown image is `?image=N` in the URL, so thumbnails are
/// plain links without JavaScript; hydrated, they and the arrow keys swap the
/// image in place.
#[component]
fn Gallery(images: Vec<ImageRef>, name: String) -> impl IntoView {
    let count = images.len().max(1);
    let query = use_query_map();
    let current = move || {
        query.read().get("image").and_then(|v| v.parse::<usize>().ok()).filter(|n| (1..=count).contains(n)).unwrap_or(1)
    };
    let navigate = use_navigate();
    let go = move |n: usize| {
        navigate(&format!("?image={n}"), NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let images = StoredValue::new(images);
    let main_image = move || images.with_value(|imgs| imgs.get(current() - 1).cloned());
    let on_keydown = {
        let go = go.clone();
        move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
            "ArrowRight" => {
                ev.prevent_default();
                go(current() % count + 1);
            }
            "ArrowLeft" => {
                ev.prevent_default();
                go((current() + count - 2) % count + 1);
            }
            _ => {}
        }
    };
    view! {
        <section class="gallery" aria-label=format!("{name} images")>
            <div
                class="gallery__main"
                tabindex="0"
                role="group"
                aria-roledescription="carousel"
                aria-label="Product images: use the left and right arrow keys to browse"
                on:keydown=on_keydown
            >
                {move || {
                    main_image()
                        .map(|img| {
                            view! {
                                <img src=img.url alt=img.alt width=img.width height=img.height fetchpriority="high" />
                            }
                        })
                }}
                <p class="gallery__counter" aria-live="polite">{move || format!("Image {} of {count}", current())}</p>
            </div>
            <ul class="gallery__thumbs" role="list">
                {images
                    .get_value()
                    .into_iter()
                    .enumerate()
                    .map(|(i, img)| {
                        let n = i + 1;
                        let go = go.clone();
                        view! {
                            <li>
                                <a
                                    href=format!("?image={n}")
                                    class="gallery__thumb"
                                    class:current=move || current() == n
                                    aria-current=move || (current() == n).then_some("true")
                                    aria-label=format!("Show image {n}: {}", img.alt)
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        go(n);
                                    }
                                >
                                    <img src=img.url alt="" width="96" height="96" loading="lazy" decoding="async" />
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
