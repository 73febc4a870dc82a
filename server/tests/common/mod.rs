//! Test support: a fresh, migrated and seeded database per test, on the
//! embedded SQLite or on the real PostgreSQL server (`TEST_DATABASE_URL`,
//! default `postgres://postgres@127.0.0.1:5432/postgres`).

#![allow(dead_code)]

pub mod http;

/// The local Stripe and PayPal stand-ins (the `payment-fakes` crate), and
/// the store settings that point at them.
pub mod stripe_fake {
    pub use payment_fakes::stripe::*;

    pub fn config(fake: &FakeStripe) -> app::payments::stripe::StripeConfig {
        app::payments::stripe::StripeConfig {
            secret_key: SECRET_KEY.to_owned().into(),
            webhook_secret: WEBHOOK_SECRET.to_owned().into(),
            api_base: format!("{}/", fake.origin()),
            checkout_origin: fake.origin(),
            timeout: std::time::Duration::from_secs(5),
        }
    }
}

pub mod paypal_fake {
    pub use payment_fakes::paypal::*;

    pub fn config(fake: &FakePayPal) -> app::payments::paypal::PayPalConfig {
        app::payments::paypal::PayPalConfig {
            client_id: CLIENT_ID.to_owned().into(),
            client_secret: CLIENT_SECRET.to_owned().into(),
            webhook_id: WEBHOOK_ID.into(),
            api_base: fake.origin(),
            approval_origin: fake.origin(),
            timeout: std::time::Duration::from_secs(5),
        }
    }
}

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use app::catalog::search_index::SearchIndex;
use app::config::Config;
use app::state::AppState;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test. PostgreSQL databases are dropped
/// when it goes out of scope.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub backend: Backend,
    pub config: Config,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("database url has a path");
    format!("{base}/{name}")
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg) = match backend {
            Backend::Sqlite => (format!("sqlite://{}/test.db?mode=rwc", dir.path().display()), None),
            Backend::Postgres => {
                let name = format!(
                    "octablitz_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
                );
                let admin = Database::connect(admin_url()).await.expect(
                    "PostgreSQL must be running for the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)",
                );
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
                admin.close().await.ok();
                (with_database(&admin_url(), &name), Some((admin_url(), name)))
            }
        };
        let dir_path = dir.path().display().to_string();
        let config = Config::from_lookup(|k| match k {
            "DATA_DIR" => Some(dir_path.clone()),
            "DATABASE_URL" => Some(url.clone()),
            "DB_MAX_CONNECTIONS" => Some("5".into()),
            _ => None,
        })
        .expect("test config");
        let db = app::state::connect(&config).await.expect("connect and migrate");
        Self { db, backend, config, dir, pg }
    }

    /// Where this test's static site lives (empty unless a test writes to it).
    pub fn site_root(&self) -> std::path::PathBuf {
        self.dir.path().join("site")
    }

    /// The messages this test's store has mailed so far, oldest first.
    pub fn mails(&self) -> Vec<String> {
        let dir = self.config.mail_dir.clone();
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files.iter().map(|p| Self::readable(&std::fs::read(p).expect("mail file"))).collect()
    }

    /// A message as a mail reader shows it: the raw headers, a blank line,
    /// and the body decoded from its transfer encoding (long lines make lettre
    /// write quoted-printable, so links are only whole once decoded).
    fn readable(raw: &[u8]) -> String {
        let text = String::from_utf8_lossy(raw);
        let headers = text.split("\r\n\r\n").next().unwrap_or_default().to_owned();
        let parsed = mail_parser::MessageParser::default().parse(raw).expect("a parsable message");
        let body = parsed.body_text(0).map(|b| b.replace("\r\n", "\n")).unwrap_or_default();
        format!("{headers}\r\n\r\n{body}")
    }

    /// A full application state over this database.
    pub async fn state(&self) -> AppState {
        let search = Arc::new(SearchIndex::from_db(&self.db).await.expect("search index"));
        let redis = app::state::redis_pool(&self.config).await.expect("redis pool");
        let events = app::state::event_bus(&self.config, redis.as_ref()).await.expect("event bus");
        let catalog = app::state::read_model(&self.config, &self.db, &events).await.expect("catalog read model");
        AppState {
            leptos_options: LeptosOptions::builder()
                .output_name("octablitz")
                .site_root(self.site_root().display().to_string())
                .build(),
            db: self.db.clone(),
            search,
            catalog,
            config: Arc::new(self.config.clone()),
            tokens: Arc::new(app::state::token_service(&self.config).expect("token service")),
            limits: Arc::default(),
            mailer: Arc::new(app::mail::Mailer::from_config(&self.config).expect("mailer")),
            carts: app::state::cart_store(&self.config, &self.db, redis.as_ref()),
            sessions: Arc::new(app::account::revocation::SessionCheck::new(self.config.session_check)),
            payments: Arc::new(
                app::state::payments(&self.config, &app::state::token_service(&self.config).expect("token service"))
                    .expect("payment providers"),
            ),
            redis,
            events,
            media: app::state::media_store(&self.config).expect("media store"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Best effort, on a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(db) = Database::connect(admin).await {
                        let _ =
                            db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                    }
                });
            })
            .join();
        }
    }
}

/// How long one test may run before it fails as hung. A hang must fail
/// the run with the test's name, not run into CI's own time limit.
pub const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

/// Runs `body`, panicking if it takes longer than [`TEST_LIMIT`].
pub async fn within_limit(body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_LIMIT, body).await.is_err() {
        panic!("the test did not finish within {TEST_LIMIT:?}: something hangs");
    }
}

/// Runs one async test body against both backends as separate tests.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::within_limit(super::$name($crate::common::Backend::Sqlite)).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::within_limit(super::$name($crate::common::Backend::Postgres)).await
                }
            )*
        }
    };
}

/// The Redis the tests use (`TEST_REDIS_URL`, default the local server).
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into())
}

/// A key prefix no other test uses.
pub fn redis_prefix() -> String {
    format!(
        "octablitz-test:{}:{}:{}:",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    )
}

/// A TCP relay in front of the real Redis that a test can cut and restore,
/// to see what the store does while Redis is unreachable (the shared Redis
/// server itself must keep running for the other tests).
pub struct RedisRelay {
    pub port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// While set, Redis's replies are held back (commands still reach it).
    held: Arc<std::sync::atomic::AtomicBool>,
}

impl RedisRelay {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let port = listener.local_addr().unwrap().port();
        let mut relay = Self { port, task: None, stop: None, held: Arc::default() };
        relay.serve(listener);
        relay
    }

    /// `redis://` URL of the relay.
    pub fn url(&self) -> String {
        let upstream = redis_url();
        let db = upstream.rsplit_once('/').map_or("0", |(_, db)| db).to_owned();
        format!("redis://127.0.0.1:{}/{db}", self.port)
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let upstream = redis_url().trim_start_matches("redis://").split('/').next().unwrap().to_owned();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        self.stop = Some(stop);
        let held = self.held.clone();
        self.task = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = &mut stopped => break,
                };
                let Ok((mut client, _)) = accepted else { break };
                let (upstream, held) = (upstream.clone(), held.clone());
                links.spawn(async move {
                    if let Ok(server) = tokio::net::TcpStream::connect(upstream).await {
                        relay_link(&mut client, server, &held).await;
                    }
                });
            }
            // Wait until every link is gone, not just told to go: a link
            // still running on another worker could forward one more command.
            links.shutdown().await;
        }));
    }

    /// Redis stays up and keeps applying commands, but its replies are held
    /// back (a slow network or a stalled server) until released again.
    pub fn hold_replies(&self, held: bool) {
        self.held.store(held, Ordering::SeqCst);
    }

    /// Redis "goes down": open connections are cut and new ones refused.
    /// When this returns, no byte passes any more.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Redis "comes back" on the same port.
    pub async fn restart(&mut self) {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(([127, 0, 0, 1], self.port).into()).expect("rebind relay port");
        self.serve(socket.listen(64).unwrap());
    }
}

/// Copies one connection both ways until either side closes; replies wait
/// while `held` is set and go out, in order, once it is cleared.
async fn relay_link(
    client: &mut tokio::net::TcpStream,
    mut server: tokio::net::TcpStream,
    held: &std::sync::atomic::AtomicBool,
) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let (mut from_client, mut to_client) = client.split();
    let (mut from_server, mut to_server) = server.split();
    let requests = tokio::io::copy(&mut from_client, &mut to_server);
    let replies = async {
        let (mut buf, mut waiting) = (vec![0u8; 16 * 1024], Vec::new());
        loop {
            // Wake up now and then to release held replies.
            if let Ok(read) =
                tokio::time::timeout(std::time::Duration::from_millis(20), from_server.read(&mut buf)).await
            {
                match read? {
                    0 => return Ok::<_, std::io::Error>(()),
                    n => waiting.extend_from_slice(&buf[..n]),
                }
            }
            if !waiting.is_empty() && !held.load(Ordering::SeqCst) {
                to_client.write_all(&waiting).await?;
                waiting.clear();
            }
        }
    };
    tokio::select! {
        _ = requests => {}
        _ = replies => {}
    }
}

impl Drop for RedisRelay {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A valid shipping address with non-ASCII letters in the name.
pub fn address() -> app::checkout::domain::Address {
    app::checkout::domain::Address::parse(&app::checkout::domain::AddressInput {
        name: "Zoë Ångström".into(),
        line1: "1 Main Street".into(),
        city: "Springfield".into(),
        postcode: "12345".into(),
        country: "US".into(),
        ..Default::default()
    })
    .unwrap()
}

/// Places `n` orders of one unit of product 1 (given the stock they need)
/// and pays each with the stub's signed webhook; returns their numbers.
pub async fn paid_orders(state: &app::state::AppState, n: usize) -> Vec<String> {
    use app::orders::server::{self as orders, EventResult, Party, PlaceOrder};
    use app::payments::stub::{SIGNATURE_HEADER, StubAction};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    state.db.execute_unprepared("UPDATE products SET stock = stock + 100, active = true WHERE id = 1").await.unwrap();
    let mut numbers = Vec::new();
    for _ in 0..n {
        let i = NEXT.fetch_add(1, Ordering::SeqCst);
        let req = PlaceOrder {
            party: Party { user_id: None, email: format!("paid{i}@example.com") },
            lines: vec![app::cart::domain::LineRequest { product_id: 1, quantity: 1 }],
            address: address(),
            shipping: app::checkout::domain::ShippingMethod::Standard,
            provider: "stub".into(),
            checkout_key: format!("paid-{i}-{}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
            expected_subtotal: None,
            client_ip: None,
        };
        let now = chrono::Utc::now();
        let placed = orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &req, now).await;
        let placed = placed.unwrap();
        let o = <entity::order::Entity as sea_orm::EntityTrait>::find_by_id(placed.id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap();
        let request = app::checkout::server::payment_request(&state.db, "http://x", &o).await.unwrap();
        let hosted = state.payments.get("stub").unwrap().create_payment(&request).await.unwrap();
        orders::set_provider_ref(&state.db, placed.id, &hosted.reference).await.unwrap();
        let stub = state.payments.stub().unwrap();
        let (body, sig) = stub.act(&hosted.reference, StubAction::Pay, now.timestamp()).unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(SIGNATURE_HEADER, axum::http::HeaderValue::from_str(&sig).unwrap());
        let paid = server::webhooks::handle(state, "stub", &headers, &body, now).await.unwrap();
        assert!(matches!(paid, EventResult::Paid(_)), "{paid:?}");
        numbers.push(placed.number);
    }
    numbers
}
