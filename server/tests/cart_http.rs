//! Cart server functions through the real router (embedded store on SQLite
//! and PostgreSQL; the Redis store has its own tests in `carts.rs`).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{page, post_form, send, sign_in};
use common::{Backend, TestDb};
use sea_orm::ConnectionTrait;

async fn app(backend: Backend) -> (TestDb, axum::Router) {
    let t = TestDb::new(backend).await;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    t.db.execute_unprepared("UPDATE products SET stock = 4 WHERE id = 1").await.unwrap();
    t.db.execute_unprepared("UPDATE products SET active = false WHERE id = 2").await.unwrap();
    let router = server::router(t.state().await);
    (t, router)
}

async fn post_json(app: &axum::Router, uri: &str, json: &str, cookies: &[&str]) -> common::http::Reply {
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if !cookies.is_empty() {
        req = req.header(header::COOKIE, cookies.join("; "));
    }
    send(app, req.body(Body::from(json.to_owned())).unwrap()).await
}

/// A plain HTML form post, as a browser without JavaScript sends it.
async fn post_html_form(app: &axum::Router, uri: &str, form: &str, cookies: &[&str]) -> common::http::Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/products/x")
        .header(header::COOKIE, cookies.join("; "));
    send(app, req.body(Body::from(form.to_owned())).unwrap()).await
}

async fn cart_lines(app: &axum::Router, cookie: &str) -> Vec<(i64, i64)> {
    let res = post_form(app, "/api/cart/get", "", &[cookie]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["product_id"].as_i64().unwrap(), l["quantity"].as_i64().unwrap()))
        .collect()
}

async fn bad_input_is_refused_and_changes_nothing(backend: Backend) {
    let (_t, app) = app(backend).await;
    let me = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let ok = post_form(&app, "/api/cart/add", "product_id=1&quantity=2", &[&me.access]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    for (form, says) in [
        ("product_id=1&quantity=0", "at least 1"),
        ("product_id=1&quantity=-3", "at least 1"),
        ("product_id=1&quantity=1.5", "whole number"),
        ("product_id=1&quantity=abc", "whole number"),
        ("product_id=1&quantity=99999999999999999999", "At most 10"),
        ("product_id=1&quantity=", "Enter a quantity"),
        ("product_id=2&quantity=1", "not sold here"),
        ("product_id=999999&quantity=1", "not sold here"),
        ("product_id=x&quantity=1", "not a product"),
        ("product_id=1&quantity=%3Cscript%3E", "whole number"),
    ] {
        let res = post_form(&app, "/api/cart/add", form, &[&me.access]).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{form}: {}", res.body);
        assert!(res.body.contains(says), "{form}: {}", res.body);
        assert!(!res.body.contains("<script>"), "never echoed unescaped");
    }
    let res = post_form(&app, "/api/cart/set", "product_id=1&quantity=0", &[&me.access]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = post_json(&app, "/api/cart/merge", r#"{"merge_id":"../../x","lines":[]}"#, &[&me.access]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = post_json(
        &app,
        "/api/cart/merge",
        r#"{"merge_id":"m1","lines":[{"product_id":1,"quantity":-1}]}"#,
        &[&me.access],
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert_eq!(cart_lines(&app, &me.access).await, [(1, 2)], "nothing changed");
    // More than in stock: capped and told.
    let res = post_form(&app, "/api/cart/add", "product_id=1&quantity=5", &[&me.access]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("\"Reduced\"") && res.body.contains("\"to\":4"), "{}", res.body);
}

async fn carts_belong_to_their_shopper(backend: Backend) {
    let (_t, app) = app(backend).await;
    // A guest has no server cart and cannot write one.
    let res = post_form(&app, "/api/cart/get", "", &[]).await;
    assert_eq!((res.status, res.body.as_str()), (StatusCode::OK, "null"));
    let res = post_form(&app, "/api/cart/add", "product_id=1&quantity=1", &[]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    let customer = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    post_form(&app, "/api/cart/add", "product_id=1&quantity=1", &[&customer.access]).await;
    post_form(&app, "/api/cart/add", "product_id=3&quantity=2", &[&admin.access]).await;
    // There is no cart id to name: a user_id smuggled in is not an argument.
    let res = post_form(&app, "/api/cart/remove", "product_id=1&user_id=1", &[&admin.access]).await;
    assert!(res.status.is_success() || res.status == StatusCode::BAD_REQUEST);
    assert_eq!(cart_lines(&app, &customer.access).await, [(1, 1)]);
    assert_eq!(cart_lines(&app, &admin.access).await, [(3, 2)]);

    // The cart follows the shopper to a new sign-in (another device).
    let again = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    assert_eq!(cart_lines(&app, &again.access).await, [(1, 1)]);
}

async fn guest_carts_are_priced_by_the_server(backend: Backend) {
    let (_t, app) = app(backend).await;
    // The browser's stored price is only a memory of what the shopper saw.
    let res = post_json(
        &app,
        "/api/cart/price",
        r#"{"lines":[{"product_id":1,"quantity":9,"seen_price":1},{"product_id":2,"quantity":1}]}"#,
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(v["lines"].as_array().unwrap().len(), 1);
    assert_eq!(v["lines"][0]["quantity"], 4);
    assert_ne!(v["lines"][0]["unit_price"], 1);
    let notices = v["notices"].to_string();
    assert!(notices.contains("Reduced") && notices.contains("PriceChanged") && notices.contains("Unavailable"));
}

async fn the_cart_works_without_javascript(backend: Backend) {
    let (_t, app) = app(backend).await;
    let me = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let res = post_html_form(&app, "/api/cart/add", "product_id=1&quantity=2", &[&me.access]).await;
    assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
    assert_eq!(res.location(), "/cart");
    let cart = page(&app, "/cart", &[&me.access]).await;
    assert_eq!(cart.status, StatusCode::OK);
    assert!(cart.body.contains("Update quantity of") && cart.body.contains("Subtotal (2 items)"), "{}", cart.body);
    let res = post_html_form(&app, "/api/cart/set", "product_id=1&quantity=3", &[&me.access]).await;
    assert_eq!(res.location(), "/cart");
    assert!(page(&app, "/cart", &[&me.access]).await.body.contains("Subtotal (3 items)"));
    // A mistake comes back to the form as a message, not a 500.
    let res = post_html_form(&app, "/api/cart/set", "product_id=1&quantity=lots", &[&me.access]).await;
    assert!(res.status.is_redirection());
    assert!(res.location().contains("__err="), "{}", res.location());
    let back = res.location().trim_start_matches("http://127.0.0.1:3000").to_owned();
    let shown = page(&app, &back, &[&me.access]).await;
    assert!(shown.body.contains("The quantity must be a whole number."), "the error is shown where the form was");
    let res = post_html_form(&app, "/api/cart/remove", "product_id=1", &[&me.access]).await;
    assert_eq!(res.location(), "/cart");
    assert!(page(&app, "/cart", &[&me.access]).await.body.contains("Your cart is empty."));
}

on_both_backends!(
    bad_input_is_refused_and_changes_nothing,
    carts_belong_to_their_shopper,
    guest_carts_are_priced_by_the_server,
    the_cart_works_without_javascript,
);

/// Redis goes down under a signed-in shopper: `/cart` says so (status 503,
/// "cannot be reached… cannot be shown"), never "loading" or "sign in";
/// `/readyz` names Redis as failing while the store stays in rotation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_is_told_honestly() {
    common::within_limit(redis_down_is_told_honestly_steps()).await
}

async fn redis_down_is_told_honestly_steps() {
    let mut t = TestDb::new(Backend::Sqlite).await;
    let mut relay = common::RedisRelay::start().await;
    t.config.redis_url = Some(secrecy::SecretString::from(relay.url()));
    t.config.redis_prefix = common::redis_prefix();
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let app = server::router(t.state().await);
    let s = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;

    let ready = page(&app, "/readyz", &[]).await;
    let body: server::health::Readiness = serde_json::from_str(&ready.body).unwrap();
    assert_eq!((ready.status, body.status.as_str()), (StatusCode::OK, "ready"));
    assert_eq!(body.checks["redis"].status, "ok");
    assert_eq!(page(&app, "/cart", &[&s.access]).await.status, StatusCode::OK);

    relay.stop().await;
    let cart = page(&app, "/cart", &[&s.access]).await;
    assert_eq!(cart.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(cart.body.contains("Your cart cannot be reached right now, so it cannot be shown."), "{}", cart.body);
    assert!(!cart.body.contains("Loading your cart"));
    assert!(!cart.body.contains("needs JavaScript"), "a signed-in shopper is not told to sign in");

    let ready = page(&app, "/readyz", &[]).await;
    let body: server::health::Readiness = serde_json::from_str(&ready.body).unwrap();
    assert_eq!((ready.status, body.status.as_str()), (StatusCode::OK, "degraded"));
    assert_eq!(body.checks["database"].status, "ok");
    assert_eq!(body.checks["redis"].status, "failing");
    assert_eq!(page(&app, "/readyz?strict=1", &[]).await.status, StatusCode::SERVICE_UNAVAILABLE);

    relay.restart().await;
    let back = async {
        loop {
            if page(&app, "/cart", &[&s.access]).await.status == StatusCode::OK {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), back).await.expect("carts work again");
}
