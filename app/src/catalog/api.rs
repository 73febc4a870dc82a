//! Catalog server functions: they orchestrate, `server.rs` queries.
//!
//! All are GET so that responses can be cached and links stay idempotent.
//! Each answers from the catalog's read model when there is one (the
//! default), else from the database (`CACHES=off`).

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
    finish(
        async {
            let state = AppState::from_context()?;
            match &state.catalog {
                Some(catalog) => Ok(catalog.snapshot(&state.db).await?.home()),
                None => server::home(&state.db).await,
            }
        }
        .await,
    )
}

#[server(input = GetUrl, prefix = "/api/catalog", endpoint = "categories")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_categories() -> Result<Vec<CategorySummary>, AppError> {
    use ssr::*;
    finish(
        async {
            let state = AppState::from_context()?;
            match &state.catalog {
                Some(catalog) => Ok(catalog.snapshot(&state.db).await?.category_summaries()),
                None => server::category_summaries(&state.db).await,
            }
        }
        .await,
    )
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
            match &state.catalog {
                Some(catalog) => catalog.snapshot(&state.db).await?.listing(&state.search, category, parsed),
                None => server::listing(&state.db, &state.search, category, parsed).await,
            }
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
            let detail = match &state.catalog {
                Some(catalog) => catalog.snapshot(&state.db).await?.product_detail(&slug),
                None => server::product_detail(&state.db, &slug).await?,
            };
            detail.ok_or(ServerError::NotFound)
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
            match &state.catalog {
                Some(catalog) => catalog.snapshot(&state.db).await?.suggestions(&state.search, &q),
                None => server::suggestions(&state.db, &state.search, &q).await,
            }
        }
        .await,
    )
}
