//! Admin server functions. Each checks the caller's role itself: the
//! `/admin` page guard does not cover these public POST endpoints.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::types::ProductCard;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub active_products: u64,
    pub out_of_stock: u64,
    /// Products at or below their low-stock threshold (but not out), lowest first.
    pub low_stock: Vec<ProductCard>,
}

#[server(prefix = "/api/admin", endpoint = "overview")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_overview() -> Result<Overview, AppError> {
    use crate::account::session::require_admin;
    use crate::error::finish;
    use crate::state::AppState;
    finish(
        async {
            require_admin()?;
            let state = AppState::from_context()?;
            crate::catalog::server::stock_overview(&state.db).await
        }
        .await,
    )
}
