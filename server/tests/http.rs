//! The HTTP surface: SSR pages, status codes, health checks, escaping,
//! compression and cache headers, through the real router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Backend, TestDb};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get(router: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn router(backend: Backend) -> (TestDb, axum::Router) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    (t, server::router(state))
}

async fn health_and_readiness(backend: Backend) {
    let (t, app) = router(backend).await;
    let health = get(&app, "/healthz", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = get(&app, "/readyz", &[]).await;
    assert_eq!(ready.status, StatusCode::OK);
    let body: server::health::Readiness = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body.status, "ready");
    assert_eq!(body.checks.keys().collect::<Vec<_>>(), ["database"], "no Redis configured, none reported");
    assert_eq!(ready.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");

    // The database gone (its pool closed under the running app): out of
    // rotation, and the check says which dependency fails; liveness stays.
    t.db.clone().close().await.unwrap();
    let ready = get(&app, "/readyz", &[]).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
    let body: server::health::Readiness = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body.status, "unavailable");
    assert_eq!(body.checks["database"].status, "failing");
    assert_eq!(get(&app, "/healthz", &[]).await.status, StatusCode::OK);
}

async fn pages_render_on_the_server(backend: Backend) {
    let (_t, app) = router(backend).await;
    let home = get(&app, "/", &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("<h2 id=\"featured-heading\">Featured</h2>"),
        "{}",
        &home.body[..500.min(home.body.len())]
    );
    assert!(home.body.contains("<title>OctaBlitz — PC &amp; gaming store</title>"));
    assert!(home.body.contains("<link href=\"http://127.0.0.1:3000/\" rel=\"canonical\">"), "absolute canonical");

    let gpus = get(&app, "/categories/gpus", &[]).await;
    assert_eq!(gpus.status, StatusCode::OK);
    assert!(gpus.body.contains("<title>Graphics Cards · OctaBlitz</title>"));
    assert!(gpus.body.contains("<link href=\"http://127.0.0.1:3000/categories/gpus\" rel=\"canonical\">"));
    assert!(gpus.body.contains("name=\"description\""));

    let search = get(&app, "/search?q=rtx4090", &[]).await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.body.contains("RTX 4090"));
}

async fn unknown_things_are_real_404s(backend: Backend) {
    let (_t, app) = router(backend).await;
    for uri in ["/no/such/page", "/products/no-such-product", "/categories/no-such-category"] {
        let res = get(&app, uri, &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(res.body.contains("Page not found"), "{uri}");
    }
}

async fn bad_parameters_never_500_or_echo_raw(backend: Backend) {
    let (_t, app) = router(backend).await;
    let res = get(
        &app,
        "/products?sort=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=-4&per_page=1000000&min_price=1e99&max_price=%3Cb%3E",
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("<script>alert(1)"));
    assert!(res.body.contains("Unknown sort order"));

    let xss = get(&app, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", &[]).await;
    assert_eq!(xss.status, StatusCode::OK);
    assert!(!xss.body.contains("<script>alert(1)</script>"));
    assert!(xss.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // The search text reaches <title> too: it must not close it.
    let title = get(&app, "/search?q=%3C%2Ftitle%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E", &[]).await;
    assert!(!title.body.contains("<script>alert(2)"), "title breakout");
    assert!(title.body.contains("<title>Search: &lt;/title&gt;&lt;script&gt;alert(2)"));
}

async fn server_functions_answer_json(backend: Backend) {
    let (_t, app) = router(backend).await;
    let res = get(&app, "/api/catalog/listing?category=cpus&query=sort%3Dprice-asc", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page: app::catalog::types::ListingPage = serde_json::from_str(&res.body).unwrap();
    assert!(page.items.windows(2).all(|w| w[0].price <= w[1].price));
    let missing = get(&app, "/api/catalog/product?slug=nope", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let err: app::error::AppError = serde_json::from_str(&missing.body).unwrap();
    assert_eq!(err, app::error::AppError::NotFound);
}

async fn compressed_and_cacheable(backend: Backend) {
    let (t, app) = router(backend).await;
    let res = get(&app, "/categories/cpus", &[("accept-encoding", "br")]).await;
    assert_eq!(res.headers.get(header::CONTENT_ENCODING).unwrap(), "br");
    fake_site(&t);
    let img = get(&app, "/images/probe.svg", &[]).await;
    assert_eq!(img.status, StatusCode::OK);
    assert!(img.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("max-age="));
}

/// A site root with a hashed bundle, its precompressed copies, a `.d.ts`
/// and an image, as cargo-leptos lays them out.
fn fake_site(t: &TestDb) {
    let pkg = t.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for name in ["octablitz.abc.js", "octablitz.abc.js.br", "octablitz.abc.js.gz", "octablitz.d.ts"] {
        std::fs::write(pkg.join(name), "export const x = 1;").unwrap();
    }
    let images = t.site_root().join("images");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::write(images.join("probe.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
}

async fn assets_vary_and_misses_are_not_cached(backend: Backend) {
    let (t, app) = router(backend).await;
    fake_site(&t);
    for enc in ["br", "gzip", "identity"] {
        let res = get(&app, "/pkg/octablitz.abc.js", &[("accept-encoding", enc)]).await;
        assert_eq!(res.status, StatusCode::OK, "{enc}");
        let vary: Vec<_> = res.headers.get_all(header::VARY).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        assert!(vary.iter().any(|v| v.to_ascii_lowercase().contains("accept-encoding")), "{enc}: {vary:?}");
        assert!(res.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("immutable"));
    }
    for miss in ["/pkg/octablitz.nope.js", "/pkg/octablitz.d.ts", "/images/nope.svg", "/images/probe.txt"] {
        let res = get(&app, miss, &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{miss}");
        assert_eq!(res.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "{miss}");
    }
    let img = get(&app, "/images/probe.svg", &[]).await;
    assert!(img.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("max-age=86400"));
    // A malformed Range is ignored (the whole file), a good one honoured.
    let bad = get(&app, "/images/probe.svg", &[("range", "bytes=abc")]).await;
    assert_eq!(bad.status, StatusCode::OK);
    let good = get(&app, "/images/probe.svg", &[("range", "bytes=0-3")]).await;
    assert_eq!((good.status, good.body.as_str()), (StatusCode::PARTIAL_CONTENT, "<svg"));
}

async fn one_url_per_page(backend: Backend) {
    let (_t, app) = router(backend).await;
    for (from, to) in [
        ("/products/", "/products"),
        ("/categories/gpus/?sort=price-asc", "/categories/gpus?sort=price-asc"),
        ("/cart/", "/cart"),
        ("/sign-in/", "/sign-in"),
        ("/admin/", "/admin"),
        ("/admin/../admin", "/admin"),
    ] {
        let res = get(&app, from, &[]).await;
        assert_eq!(res.status, StatusCode::PERMANENT_REDIRECT, "{from}");
        assert_eq!(res.headers.get(header::LOCATION).unwrap(), to, "{from}");
    }
    let past_the_end = get(&app, "/products?page=999", &[]).await;
    assert_eq!(past_the_end.status, StatusCode::FOUND, "{}", past_the_end.body.len());
    let last = past_the_end.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    assert!(last.starts_with("/products?page="), "{last}");
    let last_page = get(&app, &last, &[]).await;
    assert_eq!(last_page.status, StatusCode::OK);
    assert!(last_page.body.contains("class=\"card"), "the last page has products");
}

async fn crawlers_find_their_files(backend: Backend) {
    let (_t, app) = router(backend).await;
    let robots = get(&app, "/robots.txt", &[]).await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(robots.body.contains("Sitemap: http://127.0.0.1:3000/sitemap.xml"), "{}", robots.body);
    let sitemap = get(&app, "/sitemap.xml", &[]).await;
    assert_eq!(sitemap.status, StatusCode::OK);
    assert!(sitemap.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/xml"));
    assert!(sitemap.body.contains("<loc>http://127.0.0.1:3000/categories/gpus</loc>"));
    assert_eq!(sitemap.body.matches("<loc>http://127.0.0.1:3000/products/").count(), 344);
    let icon = get(&app, "/favicon.ico", &[]).await;
    assert_eq!(icon.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(icon.headers.get(header::LOCATION).unwrap(), "/favicon.svg");
}

async fn guest_pages_are_never_shared_cache_copies(backend: Backend) {
    let (_t, app) = router(backend).await;
    let home = get(&app, "/", &[("accept", "text/html")]).await;
    assert_eq!(home.headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    assert!(home.headers.get_all(header::VARY).iter().any(|v| v == "cookie"));
}

on_both_backends!(
    assets_vary_and_misses_are_not_cached,
    one_url_per_page,
    crawlers_find_their_files,
    guest_pages_are_never_shared_cache_copies,
    health_and_readiness,
    pages_render_on_the_server,
    unknown_things_are_real_404s,
    bad_parameters_never_500_or_echo_raw,
    server_functions_answer_json,
    compressed_and_cacheable,
);

/// A client that never finishes its request head, or never sends one, is
/// cut off after the header-read timeout instead of holding the connection.
/// A page whose render recorded its policy but whose response lost the
/// header gets the policy back; a response that recorded none gets none.
#[tokio::test]
async fn a_lost_page_policy_is_restored() {
    use axum::extract::Request as AxumRequest;
    let recorded = |req: AxumRequest| async move {
        req.extensions().get::<app::app::PagePolicy>().unwrap().record("default-src 'self'; script-src 'nonce-x'");
        axum::response::Html("<p>page</p>")
    };
    let app = axum::Router::new()
        .route("/page", axum::routing::get(recorded))
        .route("/plain", axum::routing::get(|| async { "plain" }))
        .layer(axum::middleware::from_fn(server::security::page_policy));
    let page = get(&app, "/page", &[]).await;
    assert_eq!(page.headers.get(header::CONTENT_SECURITY_POLICY).unwrap(), "default-src 'self'; script-src 'nonce-x'");
    assert!(get(&app, "/plain", &[]).await.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    common::within_limit(slow_clients_are_cut_off_steps()).await
}

async fn slow_clients_are_cut_off_steps() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestDb::new(Backend::Sqlite).await;
    let app = server::router(t.state().await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options =
        server::serve::ServeOptions { header_read_timeout: std::time::Duration::from_secs(1), ..Default::default() };
    tokio::spawn(server::serve::serve(listener, app, options, std::future::pending()));

    // A complete request is answered.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut reply = String::new();
    ok.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    // Each of these stops sending and must be let go of about a second
    // later: never at once (that would not be the timeout), never held.
    let trickled = |path: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nproduct_id=1"
        )
    };
    let cases: [(&str, Vec<u8>); 5] = [
        ("half a request head", b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec()),
        ("nothing at all", Vec::new()),
        ("nothing after a kept-alive response", b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("a tenth of a server function's body", trickled("/api/cart/add").into_bytes()),
        ("a tenth of a webhook's body", trickled("/webhooks/stub").into_bytes()),
    ];
    for (what, sent) in cases {
        let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
        slow.write_all(&sent).await.unwrap();
        let started = std::time::Instant::now();
        let mut buf = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "a connection that sent {what} was still open after 5 s");
        assert!(started.elapsed() >= std::time::Duration::from_millis(900), "{what}: let go too early");
        let reply = String::from_utf8_lossy(&buf);
        if what.starts_with("nothing after") {
            assert!(reply.starts_with("HTTP/1.1 200"), "{what}: {reply}");
        } else if let Some(status) = reply.strip_prefix("HTTP/1.1 ").and_then(|r| r.get(..3)) {
            assert!(status.starts_with('4'), "{what}: answered {status}, not a client error: {reply}");
        }
    }
}
