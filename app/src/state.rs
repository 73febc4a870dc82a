//! The server's shared state (ssr only), built once at boot and handed to
//! Axum as router state and to Leptos through context.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::account::tokens::TokenService;
use crate::cart::store::{CartStore, RedisCarts, SqlCarts};
use crate::catalog::search_index::SearchIndex;
use crate::config::Config;
use crate::error::ServerError;

/// Everything a request handler or server function may need.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Site root, address and the other Leptos settings (from `Cargo.toml` / `LEPTOS_*`).
    pub leptos_options: LeptosOptions,
    /// The pooled database connection: SQLite by default, PostgreSQL when
    /// `DATABASE_URL` says so. Cheap to clone.
    pub db: DatabaseConnection,
    /// In-memory full-text index of the active catalog.
    pub search: Arc<SearchIndex>,
    /// The catalog's read model, which storefront pages are answered from;
    /// `None` with `CACHES=off` (they query the database instead).
    pub catalog: Option<Arc<crate::catalog::read_model::ReadModel>>,
    /// Typed configuration parsed at boot.
    pub config: Arc<Config>,
    /// Signs and checks access tokens; holds the token lifetimes.
    pub tokens: Arc<TokenService>,
    /// Sign-in and registration attempt limits.
    pub limits: Arc<crate::account::rate_limit::RateLimiter>,
    /// Outgoing mail (registration confirmations), written to `MAIL_DIR`.
    pub mailer: Arc<crate::mail::Mailer>,
    /// Signed-in carts: Redis when `REDIS_URL` is set, else the database.
    pub carts: CartStore,
    /// Whether an access token's session still lives (sign-out, password and
    /// role changes reach unexpired tokens), with its short cache.
    pub sessions: Arc<crate::account::revocation::SessionCheck>,
    /// The enabled payment providers (the payment strategy), by id.
    pub payments: Arc<crate::payments::Payments>,
    /// The store's Redis pool when `REDIS_URL` is set: shared by the carts
    /// and the event bus.
    pub redis: Option<fred::prelude::Pool>,
    /// Where store events travel (Redis pub/sub, or in-process without Redis).
    pub events: crate::events::bus::EventBus,
    /// Uploaded media (product images): a directory today, behind a trait
    /// an object store could implement.
    pub media: Arc<dyn crate::media::MediaStore>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Connects, migrates (and seeds a new database), and builds the search index.
    pub async fn init(config: Config, leptos_options: LeptosOptions) -> Result<Self, ServerError> {
        let db = connect(&config).await?;
        if config.demo_accounts {
            crate::account::server::ensure_demo_accounts(&db).await?;
        } else {
            crate::account::server::lock_demo_accounts(&db).await?;
        }
        let search = Arc::new(SearchIndex::from_db(&db).await?);
        let tokens = Arc::new(token_service(&config)?);
        let mailer = Arc::new(crate::mail::Mailer::from_config(&config)?);
        tracing::info!(mail = %mailer.describe(), "mail");
        let redis = redis_pool(&config).await?;
        let carts = cart_store(&config, &db, redis.as_ref());
        let events = event_bus(&config, redis.as_ref()).await?;
        let catalog = read_model(&config, &db, &events).await?;
        let limits = Arc::new(crate::account::rate_limit::RateLimiter::for_config(&config));
        let sessions = Arc::new(crate::account::revocation::SessionCheck::new(config.session_check));
        let payments = Arc::new(payments(&config, &tokens)?);
        let media = media_store(&config)?;
        Ok(Self {
            leptos_options,
            db,
            search,
            catalog,
            config: Arc::new(config),
            tokens,
            limits,
            mailer,
            carts,
            sessions,
            payments,
            redis,
            events,
            media,
        })
    }

    /// The state of the current server function or render, from Leptos context.
    pub fn from_context() -> Result<Self, ServerError> {
        leptos::prelude::use_context::<Self>().ok_or(ServerError::Context("AppState"))
    }
}

/// The catalog's read model, loaded, unless `config` turns caches off. It
/// follows this process's commits through `events` (and, once
/// [`crate::events::start`] runs, the bus).
pub async fn read_model(
    config: &Config,
    db: &DatabaseConnection,
    events: &crate::events::bus::EventBus,
) -> Result<Option<Arc<crate::catalog::read_model::ReadModel>>, ServerError> {
    if !config.caches {
        return Ok(None);
    }
    // Subscribed before the load, so that another server's change published
    // while it runs is followed once `events::start` runs.
    let heard = events.subscribe();
    let model = crate::catalog::read_model::ReadModel::load_hearing(db, events.wake(), Some(heard)).await?;
    Ok(Some(Arc::new(model)))
}

/// The payment providers `config` enables, with their secrets.
pub fn payments(config: &Config, tokens: &TokenService) -> Result<crate::payments::Payments, ServerError> {
    use secrecy::ExposeSecret;
    let stub_secret = match &config.stub_webhook_secret {
        Some(s) => s.expose_secret().as_bytes().to_vec(),
        None => tokens.derived_key("stub-webhook").to_vec(),
    };
    crate::payments::Payments::from_config(config, &stub_secret)
}

impl AppState {
    /// Key of the secrets in orders' private links.
    pub fn order_link_secret(&self) -> [u8; 32] {
        self.tokens.derived_key("order-link")
    }

    /// The key that seals a checkout draft cookie ([`crate::checkout::draft`]).
    pub fn draft_secret(&self) -> [u8; 32] {
        self.tokens.derived_key("checkout-draft")
    }
}

/// The media store `config` names (`MEDIA_DIR`).
pub fn media_store(config: &Config) -> Result<Arc<dyn crate::media::MediaStore>, ServerError> {
    Ok(Arc::new(crate::media::DiskMedia::new(&config.media_dir)?))
}

/// The store's Redis pool, when `config` has `REDIS_URL`.
pub async fn redis_pool(config: &Config) -> Result<Option<fred::prelude::Pool>, ServerError> {
    use secrecy::ExposeSecret;
    match &config.redis_url {
        Some(url) => Ok(Some(crate::cart::store::connect_pool(url.expose_secret()).await?)),
        None => Ok(None),
    }
}

/// The cart store: Redis through `redis` when there is one, else the database.
pub fn cart_store(config: &Config, db: &DatabaseConnection, redis: Option<&fred::prelude::Pool>) -> CartStore {
    match redis {
        Some(pool) => CartStore::Redis(RedisCarts::new(pool.clone(), config.redis_prefix.clone(), config.cart_ttl)),
        None => CartStore::Sql(SqlCarts::new(db.clone(), config.cart_ttl)),
    }
}

/// The event bus: Redis pub/sub through `redis` when there is one, else in-process.
pub async fn event_bus(
    config: &Config,
    redis: Option<&fred::prelude::Pool>,
) -> Result<crate::events::bus::EventBus, ServerError> {
    use secrecy::ExposeSecret;
    match (redis, &config.redis_url) {
        (Some(pool), Some(url)) => {
            crate::events::bus::EventBus::redis(url.expose_secret(), pool.clone(), &config.redis_prefix).await
        }
        _ => Ok(crate::events::bus::EventBus::local()),
    }
}

/// The token service, with `JWT_SECRET` or a random secret persisted in the data dir.
pub fn token_service(config: &Config) -> Result<TokenService, ServerError> {
    use secrecy::ExposeSecret;
    let secret = match &config.jwt_secret {
        Some(s) => s.expose_secret().as_bytes().to_vec(),
        None => {
            let path = config.data_dir.join("jwt-secret");
            match std::fs::read(&path) {
                Ok(bytes) if bytes.len() >= 32 => bytes,
                _ => {
                    let fresh = crate::account::tokens::new_refresh_token().into_bytes();
                    write_private(&config.data_dir, &path, &fresh)
                        .map_err(|e| ServerError::Config(format!("cannot write {}: {e}", path.display())))?;
                    fresh
                }
            }
        }
    };
    Ok(TokenService::new(&secret, config.access_ttl, config.refresh_ttl))
}

/// Writes a secret readable by this user only.
fn write_private(dir: &std::path::Path, path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// Opens the pool and brings the schema up to date.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, ServerError> {
    use migration::MigratorTrait;
    use secrecy::ExposeSecret;

    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| ServerError::Config(format!("cannot create data dir {}: {e}", config.data_dir.display())))?;
    }
    let mut options = ConnectOptions::new(config.database_url.expose_secret().to_owned());
    options
        .max_connections(config.db_max_connections)
        .min_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .sqlx_logging(false);
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while a writer commits; it persists in the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL;").await?;
    }
    migration::Migrator::up(&db, None).await?;
    Ok(db)
}
