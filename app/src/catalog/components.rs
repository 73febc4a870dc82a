//! Small catalog building blocks: price, stock badge, rating, product card.

use leptos::prelude::*;

use super::types::{Money, ProductCard, StockStatus};

#[component]
pub fn Price(price: Money, compare_at: Option<Money>) -> impl IntoView {
    view! {
        <span class="price">
            <span class="price__now">{price.to_string()}</span>
            {compare_at
                .map(|was| {
                    view! {
                        " "
                        <s class="price__was">
                            <span class="visually-hidden">"Was "</span>
                            {was.to_string()}
                        </s>
                    }
                })}
        </span>
    }
}

#[component]
pub fn StockBadge(status: StockStatus) -> impl IntoView {
    view! { <span class=status.css_class()>{status.label()}</span> }
}

#[component]
pub fn Rating(rating_x10: i16, reviews: i32) -> impl IntoView {
    let stars = format!("{}.{}", rating_x10 / 10, rating_x10 % 10);
    let label = format!("Rated {stars} out of 5 from {reviews} reviews");
    let title = label.clone();
    // One class per tenth of a star (style/main.css): the CSP allows no inline styles.
    let fill = format!("rating__fill rating__fill--{}", rating_x10.clamp(0, 50));
    view! {
        <span class="rating" title=title>
            <span class="rating__stars" aria-hidden="true">
                <span class=fill></span>
            </span>
            <span class="visually-hidden">{label}</span>
            <span class="rating__text" aria-hidden="true">{stars} " (" {reviews} ")"</span>
        </span>
    }
}

#[component]
pub fn ProductCardView(
    product: ProductCard,
    #[prop(optional)] eager: bool,
    /// The page's largest image (its first card's): fetched before anything else.
    #[prop(optional)]
    lcp: bool,
) -> impl IntoView {
    let href = format!("/products/{}", product.slug);
    let discount = product.discount_percent();
    view! {
        <article class="card">
            <a class="card__media" href=href.clone() tabindex="-1" aria-hidden="true">
                {product
                    .image
                    .clone()
                    .map(|img| {
                        view! {
                            <img
                                src=img.url
                                alt=""
                                width=img.width
                                height=img.height
                                loading=if eager { "eager" } else { "lazy" }
                                fetchpriority=lcp.then_some("high")
                                decoding="async"
                            />
                        }
                    })}
                {discount.map(|d| view! { <span class="card__badge">{format!("-{d}%")}</span> })}
            </a>
            <div class="card__body">
                <p class="card__brand">{product.brand.clone()}</p>
                <h3 class="card__title">
                    <a href=href>{product.name.clone()}</a>
                </h3>
                <Rating rating_x10=product.rating_x10 reviews=product.review_count />
                <div class="card__foot">
                    <Price price=product.price compare_at=product.compare_at />
                    <StockBadge status=product.stock />
                </div>
                <crate::cart::components::AddToCartForm
                    product_id=product.id
                    name=product.name.clone()
                    available=product.stock.available()
                />
            </div>
        </article>
    }
    .into_any()
}

#[component]
pub fn ProductGrid(products: Vec<ProductCard>, #[prop(optional)] eager_first: usize) -> impl IntoView {
    view! {
        <ul class="grid" role="list">
            {products
                .into_iter()
                .enumerate()
                .map(|(i, p)| view! { <li><ProductCardView product=p eager={i < eager_first} lcp={i == 0 && eager_first > 0} /></li> })
                .collect_view()}
        </ul>
    }
}
