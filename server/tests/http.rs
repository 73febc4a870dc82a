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
    let (_t, app) = router(backend).await;
    let health = get(&app, "/healthz", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = get(&app, "/readyz", &[]).await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
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

    let gpus = get(&app, "/categories/gpus", &[]).await;
    assert_eq!(gpus.status, StatusCode::OK);
    assert!(gpus.body.contains("<title>Graphics Cards · OctaBlitz</title>"));
    assert!(gpus.body.contains("<link href=\"/categories/gpus\" rel=\"canonical\">"));
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
    let dir = t.site_root().join("images");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("test-probe.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let img = get(&app, "/images/test-probe.svg", &[]).await;
    assert_eq!(img.status, StatusCode::OK);
    assert!(img.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("max-age="));
}

on_both_backends!(
    health_and_readiness,
    pages_render_on_the_server,
    unknown_things_are_real_404s,
    bad_parameters_never_500_or_echo_raw,
    server_functions_answer_json,
    compressed_and_cacheable,
);
