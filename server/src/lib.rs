//! The OctaBlitz HTTP server: Leptos SSR and server functions, health
//! checks, and static assets, on one Axum router.

// Rendering the shell instantiates the whole (deeply nested) view type.
#![recursion_limit = "256"]

use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub mod auth;
pub mod form_errors;
pub mod health;
pub mod hygiene;
pub mod live;
pub mod page_cache;
pub mod security;
pub mod seo;
pub mod serve;
pub mod stub_pay;
pub mod uploads;
pub mod webhooks;

/// The app's routes, listed once per process.
///
/// Listing runs the whole app once with resource loading suppressed, and
/// Leptos keeps that switch in one process-wide flag: a page that starts
/// rendering in another task meanwhile waits forever for its first resource
/// (leptos-rs/leptos#4773). Listed once, the first time a router is built,
/// no render can overlap it: every render goes through a router built here.
/// (Tests build one router each, in parallel; this is what made some hang.)
pub fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::LazyLock<Vec<AxumRouteListing>> = std::sync::LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

/// Builds the whole application router around `state`.
pub fn router(state: AppState) -> Router {
    router_and_page_cache(state).0
}

/// [`router`], and the guests' page cache inside it (`None` with
/// `CACHES=off`), for tests that look at what it keeps.
pub fn router_and_page_cache(state: AppState) -> (Router, Option<page_cache::PageCache>) {
    let page_cache = page_cache::PageCache::new(&state);
    let routes = routes();
    let site_root = state.leptos_options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", state.leptos_options.site_pkg_dir);
    let static_dir = |dir: String, policy: hygiene::StaticPolicy| {
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(policy, hygiene::static_files))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
    };
    let options = state.leptos_options.clone();
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/auth/refresh", get(auth::refresh_redirect))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/favicon.ico", get(seo::favicon))
        .route(
            "/webhooks/{provider}",
            axum::routing::post(webhooks::receive).layer(axum::extract::DefaultBodyLimit::max(webhooks::MAX_BODY)),
        )
        .route("/pay/stub/{reference}", get(stub_pay::page).post(stub_pay::act))
        .route("/admin/events", get(live::stream))
        .route(
            "/admin/products/{id}/images/upload",
            axum::routing::post(uploads::upload).layer(axum::extract::DefaultBodyLimit::max(uploads::MAX_BODY)),
        )
        .route("/media/{name}", get(uploads::media))
        .nest_service("/pkg", static_dir(pkg_dir, hygiene::PKG))
        .nest_service("/images", static_dir(format!("{site_root}/images"), hygiene::IMAGES))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(page_cache.clone(), page_cache::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session_layer))
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(axum::middleware::from_fn(security::csrf_layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), form_errors::verify_form_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), form_errors::sign_form_redirects))
        .layer(axum::middleware::from_fn_with_state(state.clone(), hygiene::cache_policy))
        .layer(axum::middleware::from_fn(hygiene::canonical_urls))
        .layer(axum::middleware::from_fn(security::page_policy))
        .with_state(state.clone());
    for (name, value) in security::default_headers(state.config.cookie_secure) {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    // Dynamic responses only: `/pkg` and `/images` are served precompressed.
    let quality = CompressionLevel::Precise(i32::try_from(state.config.compression_quality).unwrap_or(4));
    let router =
        router.layer(CompressionLayer::new().br(true).gzip(true).quality(quality)).layer(TraceLayer::new_for_http());
    (router, page_cache)
}

/// Structured logs; `RUST_LOG` overrides the default filter.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tantivy=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

/// Resolves when the process gets SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
