//! `server`: runs the store. Settings come from the environment (see README).

use app::config::Config;

/// mimalloc rather than glibc's malloc: measured in one run on one pinned
/// core, pages served 7–49 % faster (README, Benchmark); a profile had put a
/// third of a cached listing's time in glibc's malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use app::state::AppState;
use leptos::config::get_configuration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    server::init_tracing();
    let leptos_options = get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;
    let config = Config::from_env()?;
    tracing::info!(
        backend = if config.is_sqlite() { "sqlite" } else { "postgres" },
        data_dir = %config.data_dir.display(),
        "starting OctaBlitz"
    );
    let state_timeout = config.header_read_timeout;
    let state = AppState::init(config, leptos_options).await?;
    tracing::info!(products = state.search.num_docs(), "catalog ready");
    tokio::spawn(app::orders::server::run_sweeper(
        state.db.clone(),
        state.payments.as_ref().clone(),
        state.events.clone(),
        state.config.checkout.sweep_every,
    ));
    app::events::start(&state);
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    let options = server::serve::ServeOptions { header_read_timeout: state_timeout, ..Default::default() };
    server::serve::serve(listener, app, options, server::shutdown_signal()).await?;
    Ok(())
}
