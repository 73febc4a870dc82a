//! `/products`: the whole catalog.

use leptos::prelude::*;

use super::listing::{ListingKind, ListingView};

#[component]
pub fn AllProductsPage() -> impl IntoView {
    view! { <ListingView kind=ListingKind::All /> }
}
