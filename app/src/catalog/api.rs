//! Catalog server functions: they orchestrate, `server.rs` queries.
//!
//! All are GET so that responses can be cached and links stay idempotent.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use super::types::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::catalog::server;
    pub use crate::error::{ServerError, finish};
    pub use crate::state::AppState;
}

#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "home")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_home() -> Result<HomeData, AppError> {
    use ssr::*;
    finish(async { server::home(&AppState::from_context()?.db).await }.await)
}

#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "categories")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_categories() -> Result<Vec<CategorySummary>, AppError> {
    use ssr::*;
    finish(async { server::category_summaries(&AppState::from_context()?.db).await }.await)
}

/// A listing page. `category` is the category page's slug (empty for all
/// products and search); `query` is the page's raw URL query string, parsed
/// on the server with the same lenient parser the browser uses for links.
#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "listing")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_listing(category: String, query: String) -> Result<ListingPage, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            let parsed = super::query::ListingQuery::parse(&query);
            let category = (!category.is_empty()).then_some(category.as_str());
            server::listing(&state.db, &state.search, category, parsed).await
        }
        .await,
    )
}

#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "product")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_product(slug: String) -> Result<ProductDetail, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            server::product_detail(&state.db, &slug).await?.ok_or(ServerError::NotFound)
        }
        .await,
    )
}

#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "suggest")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_suggestions(q: String) -> Result<Vec<Suggestion>, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            server::suggestions(&state.db, &state.search, &q).await
        }
        .await,
    )
}
