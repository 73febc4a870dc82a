//! Sign-in, guards and transparent refresh through the real router, on
//! SQLite and PostgreSQL.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{page, post_form, send, sign_in};
use common::{Backend, TestDb};

async fn app_with_accounts(backend: Backend) -> (TestDb, app::state::AppState, axum::Router) {
    let t = TestDb::new(backend).await;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let state = t.state().await;
    let router = server::router(state.clone());
    (t, state, router)
}

async fn sign_in_and_guards(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;

    let anonymous = page(&app, "/account", &[]).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/sign-in?next=/account");

    let wrong = post_form(&app, "/api/auth/sign-in", "email=test-customer%40octablitz.local&password=nope", &[]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("Wrong e-mail or password."));
    assert!(wrong.set_cookies().is_empty());
    let unknown = post_form(&app, "/api/auth/sign-in", "email=nobody%40octablitz.local&password=nope", &[]).await;
    assert_eq!(unknown.body, wrong.body, "unknown account and wrong password answer alike");

    let customer = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let account = page(&app, "/account", &[&customer.access]).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("test-customer@octablitz.local"));

    let forbidden = page(&app, "/admin", &[&customer.access]).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.body.contains("You do not have access to this page"));

    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    let dashboard = page(&app, "/admin", &[&admin.access]).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("Low stock"));
}

/// Every `/admin` page of the route table and every `/api/admin` server
/// function, enumerated (a new one that forgets its guard fails here):
/// guests are sent to sign in (pages) or refused (functions), customers
/// get a 403, an expired admin token is renewed first (pages) or refused
/// (functions), and only an admin gets through.
async fn every_admin_route_and_function_is_guarded(backend: Backend) {
    let (_t, state, app) = app_with_accounts(backend).await;
    let pages: Vec<String> = server::routes()
        .iter()
        .map(|r| r.path().to_owned())
        .filter(|p| p == "/admin" || p.starts_with("/admin/"))
        // A value no order or product has: each such page answers 404.
        .map(|p| {
            p.split('/')
                .map(|seg| if seg.starts_with('{') || seg.starts_with(':') { "OB-AAAA-BBBB-CCCC" } else { seg })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    assert!(pages.len() >= 3, "{pages:?}");
    let functions: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|p| p.starts_with("/api/admin/"))
        .collect();
    assert!(functions.len() >= 4, "{functions:?}");

    let customer = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    let claims = state.tokens.verify_access_claims(admin.access.trim_start_matches("ob_at=")).unwrap();
    let past = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 3600;
    let expired = format!("ob_at={}", state.tokens.issue_access(&claims.user, &claims.session, past));

    for path in &pages {
        let guest = page(&app, path, &[]).await;
        assert_eq!(guest.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(guest.location(), format!("/sign-in?next={path}"), "{path}");
        let refused = page(&app, path, &[&customer.access]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.body.contains("You do not have access to this page"), "{path}");
        let stale = page(&app, path, &[&expired]).await;
        assert_eq!(stale.status, StatusCode::SEE_OTHER, "{path}");
        assert!(stale.location().starts_with("/api/auth/refresh?next=/admin"), "{path}: {}", stale.location());
        let ok = page(&app, path, &[&admin.access]).await;
        assert!(!ok.body.contains("You do not have access to this page"), "{path}");
        let expected = if path.contains("OB-") { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(ok.status, expected, "{path}");
    }
    for path in &functions {
        // Well-formed arguments, so nothing but the role decides.
        let args = match path.as_str() {
            "/api/admin/order" => "number=OB-AAAA-BBBB-CCCC",
            "/api/admin/orders" | "/api/admin/stock" => "filter%5Bpage%5D=1",
            "/api/admin/product-stock" | "/api/admin/restore-product" => "id=1",
            // A version the product is not at: nothing is deleted.
            "/api/admin/delete-product" => "id=1&version=999",
            "/api/admin/products" => "filter%5Bpage%5D=1",
            "/api/admin/save-product" => "form%5Bversion%5D=0",
            "/api/admin/gallery" => "id=1",
            "/api/admin/mark-refunded" => "number=OB-AAAA-BBBB-CCCC&how=test",
            "/api/admin/payment-events" => "filter%5Bpage%5D=1",
            // No such event: nothing is accepted.
            "/api/admin/replay-payment-event" => "id=999999",
            // Image ids no product has: nothing moves or goes.
            "/api/admin/move-image" => "product_id=1&image_id=999999&to=up",
            "/api/admin/reorder-images" => "product_id=1&order%5B0%5D=999999",
            "/api/admin/delete-image" => "product_id=1&image_id=999999",
            "/api/admin/adjust-stock" => "product_id=1&delta=1&reason=received",
            "/api/admin/order-status" => "number=OB-AAAA-BBBB-CCCC&from=paid&to=processing",
            "/api/admin/stock-alerts" => "filter%5Bpage%5D=1",
            // No such alert, order or product: nothing changes.
            "/api/admin/dismiss-alert" => "id=999999&dismissed=true",
            "/api/admin/bulk-orders" => "numbers%5B%5D=OB-AAAA-BBBB-CCCC&action=prepare",
            "/api/admin/bulk-products" => "ids%5B%5D=999999&on_sale=true",
            _ => "",
        };
        assert_eq!(post_form(&app, path, args, &[]).await.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(post_form(&app, path, args, &[&customer.access]).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(post_form(&app, path, args, &[&expired]).await.status, StatusCode::UNAUTHORIZED, "{path}");
        let ok = post_form(&app, path, args, &[&admin.access]).await;
        assert!(ok.status != StatusCode::UNAUTHORIZED && ok.status != StatusCode::FORBIDDEN, "{path}: {}", ok.status);
    }
    // The live notifications (a plain handler, outside the route table).
    let live = |cookie: Option<&str>| {
        let mut req = Request::get("/admin/events").header(header::ACCEPT, "text/event-stream");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        tower::ServiceExt::oneshot(app.clone(), req.body(Body::empty()).unwrap())
    };
    assert_eq!(live(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(live(Some(&customer.access)).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(live(Some(&expired)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let stream = live(Some(&admin.access)).await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()[header::CONTENT_TYPE], "text/event-stream");

    // Uploads (a plain handler, outside the route table): an empty form,
    // so only the role decides between refused and "choose a file".
    let upload = |cookie: Option<&str>| {
        let mut req = Request::post("/admin/products/1/images/upload")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        tower::ServiceExt::oneshot(app.clone(), req.body(Body::from("--x--\r\n")).unwrap())
    };
    assert_eq!(upload(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(upload(Some(&customer.access)).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(upload(Some(&expired)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(upload(Some(&admin.access)).await.unwrap().status(), StatusCode::BAD_REQUEST);

    let ok = post_form(&app, "/api/admin/dashboard", "", &[&admin.access]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let dashboard: app::admin::domain::Dashboard = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(dashboard.active_products, 344);
    assert!(dashboard.sold_out > 0 && dashboard.low_stock > 0);
    // The alert list starts with every product low or sold out at migration.
    assert_eq!(dashboard.alerts_open, dashboard.low_stock + dashboard.sold_out);
    assert_eq!(dashboard.alerts.len() as u64, dashboard.alerts_open.min(app::admin::domain::Dashboard::LIST));
    assert!(dashboard.alerts[0].out, "sold out first: {:?}", dashboard.alerts[0]);
}

async fn expired_and_forged_tokens(backend: Backend) {
    let (_t, state, app) = app_with_accounts(backend).await;
    let signed = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let claims = state.tokens.verify_access_claims(signed.access.trim_start_matches("ob_at=")).unwrap();

    // An expired access token on a page load goes through the refresh endpoint…
    let past = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 3600;
    let expired = format!("ob_at={}", state.tokens.issue_access(&claims.user, &claims.session, past));
    let bounce = page(&app, "/account?tab=1", &[&expired]).await;
    assert_eq!(bounce.status, StatusCode::SEE_OTHER);
    assert_eq!(bounce.location(), "/api/auth/refresh?next=/account%3Ftab%3D1");

    // …which rotates the refresh token and returns with fresh cookies.
    let refreshed = page(&app, bounce.location(), &[&expired, &signed.refresh]).await;
    assert_eq!(refreshed.status, StatusCode::SEE_OTHER);
    assert_eq!(refreshed.location(), "/account?tab=1");
    let access = refreshed.cookie("ob_at").expect("new access cookie");
    let refresh = refreshed.cookie("ob_rt").expect("new refresh cookie");
    assert_ne!(refresh, signed.refresh);
    assert_eq!(page(&app, "/account?tab=1", &[&access]).await.status, StatusCode::OK);

    // The old refresh token again, seconds later (another tab): no new tokens,
    // cookies kept, and the next load renders as a guest instead of bouncing.
    let raced = page(&app, "/api/auth/refresh?next=/", &[&expired, &signed.refresh]).await;
    assert_eq!(raced.status, StatusCode::SEE_OTHER);
    let marker = raced.cookie("ob_rf").expect("retry marker");
    assert!(raced.cookie("ob_at").is_none() && raced.cookie("ob_rt").is_none());
    let settled = page(&app, "/", &[&expired, &marker]).await;
    assert_eq!(settled.status, StatusCode::OK, "no second bounce");

    // Forged and unsigned tokens count as no session at all.
    for bad in ["ob_at=garbage", "ob_at=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."] {
        let res = page(&app, "/account", &[bad]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(res.location().starts_with("/sign-in"), "{bad}");
    }
}

async fn register_confirm_then_sign_out(backend: Backend) {
    let (t, _state, app) = app_with_accounts(backend).await;
    let bad = post_form(&app, "/api/auth/register", "email=new%40example.com&password=short&confirm=short", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Use at least 8 characters."));
    // An address with an account and a new one get the very same answer;
    // only their inboxes differ.
    let dup = post_form(
        &app,
        "/api/auth/register",
        "email=test-customer%40octablitz.local&password=Secret123&confirm=Secret123&next=%2Fproducts",
        &[],
    )
    .await;
    let new = post_form(
        &app,
        "/api/auth/register",
        "email=New%40Example.com&password=Secret123&confirm=Secret123&next=%2Fproducts",
        &[],
    )
    .await;
    for r in [&dup, &new] {
        assert!(r.set_cookies().is_empty(), "nobody is signed in before confirming");
    }
    assert_eq!((dup.status, dup.location(), &dup.body), (new.status, new.location(), &new.body));
    assert_eq!(new.location(), "/register/check-email");
    let mails = t.mails();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(
        mails[0].contains("\r\nTo: test-customer@octablitz.local\r\n") && mails[0].contains("You already have one")
    );
    assert!(mails[1].contains("\r\nTo: new@example.com\r\n"));
    let link = mails[1].lines().find(|l| l.contains("/confirm-email?")).expect("confirmation link");
    assert!(link.starts_with("http://127.0.0.1:3000/confirm-email?token="), "{link}");
    assert!(link.ends_with("&next=%2Fproducts"), "{link}");
    let token = link.split("token=").nth(1).unwrap().split('&').next().unwrap();

    // Opening the link is harmless (mail scanners do); the form with the password confirms.
    let opened = page(&app, &format!("/confirm-email?token={token}"), &[]).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("Confirm and sign in") && opened.set_cookies().is_empty());
    let wrong = post_form(&app, "/api/auth/confirm", &format!("token={token}&password=Secret124"), &[]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.set_cookies().is_empty());
    let ok =
        post_form(&app, "/api/auth/confirm", &format!("token={token}&password=Secret123&next=%2Fproducts"), &[]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.location(), "/products");
    let access = ok.cookie("ob_at").unwrap();
    let refresh = ok.cookie("ob_rt").unwrap();
    assert!(page(&app, "/account", &[&access]).await.body.contains("new@example.com"));
    let reused = post_form(&app, "/api/auth/confirm", &format!("token={token}&password=Secret123"), &[]).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert!(reused.body.contains("expired or was already used"));

    let out = post_form(&app, "/api/auth/sign-out", "", &[&access, &refresh]).await;
    assert_eq!(out.set_cookies().len(), 2);
    assert!(out.set_cookies().iter().all(|c| c.contains("Max-Age=0")));
    // The refresh token died with the sign-out: the refresh endpoint clears the cookies.
    let again = page(&app, "/api/auth/refresh?next=/", &[&refresh]).await;
    let cleared = again.set_cookies();
    assert_eq!(cleared.len(), 2, "{cleared:?}");
    assert!(cleared.iter().all(|c| c.contains("Max-Age=0")));
}

async fn sign_in_is_rate_limited(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let form = "email=test-customer%40octablitz.local&password=guess";
    for _ in 0..5 {
        assert_eq!(post_form(&app, "/api/auth/sign-in", form, &[]).await.status, StatusCode::BAD_REQUEST);
    }
    let limited = post_form(&app, "/api/auth/sign-in", form, &[]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let err: app::error::AppError = serde_json::from_str(&limited.body).unwrap();
    assert_eq!(err, app::error::AppError::RateLimited);
    assert!(err.to_string().contains("too many attempts"));
    // The right password is refused too while the limit lasts (for this client only).
    let right =
        post_form(&app, "/api/auth/sign-in", "email=test-customer%40octablitz.local&password=TestPass123", &[]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    // Other accounts from the same client are still fine.
    sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
}

async fn cross_site_posts_are_refused_and_headers_are_set(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let form = "email=test-customer%40octablitz.local&password=TestPass123";
    for (name, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")] {
        let req = Request::post("/api/auth/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(name, value)
            .body(Body::from(form))
            .unwrap();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(res.set_cookies().is_empty());
    }
    let same = Request::post("/api/auth/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form))
        .unwrap();
    assert_eq!(send(&app, same).await.status, StatusCode::OK);

    let home = page(&app, "/", &[]).await;
    let csp = home.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the policy");
    assert!(home.body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    assert!(csp.contains("script-src 'nonce-") && csp.contains("'strict-dynamic'"), "{csp}");
    assert!(csp.contains("base-uri 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    // The nonce appears only in `nonce` attributes (which browsers hide), never
    // in one a script can read (Leptos 0.8.23 put it in `crossorigin`).
    let occurrences = home.body.matches(nonce).count();
    assert_eq!(occurrences, home.body.matches(&format!("nonce=\"{nonce}\"")).count(), "{occurrences}");
    assert!(!home.body.contains(&format!("crossorigin=\"{nonce}\"")));
    assert!(!home.body.contains(" style=\""), "no inline style attributes");
    assert_eq!(home.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(home.headers.get(header::REFERRER_POLICY).is_some());
    let api = page(&app, "/healthz", &[]).await;
    assert_eq!(api.headers.get(header::CONTENT_SECURITY_POLICY).unwrap(), "default-src 'none'; frame-ancestors 'none'");
    assert!(home.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");
}

/// Behind HTTPS (`COOKIE_SECURE`): prefixed Secure cookies, read back under
/// those names, and HSTS. Unprefixed cookies (planted over HTTP) count for nothing.
async fn https_deployment_uses_prefixed_cookies(backend: Backend) {
    let t = TestDb::new(backend).await;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let mut state = t.state().await;
    let mut config = (*state.config).clone();
    config.cookie_secure = true;
    state.config = std::sync::Arc::new(config);
    let app = server::router(state);

    let res =
        post_form(&app, "/api/auth/sign-in", "email=test-customer%40octablitz.local&password=TestPass123", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let all = res.set_cookies();
    assert!(all.iter().any(|c| c.starts_with("__Host-ob_at=") && c.contains("Secure") && c.contains("Path=/;")));
    assert!(all.iter().any(|c| c.starts_with("__Secure-ob_rt=") && c.contains("Path=/api/auth")));
    let access = res.cookie("__Host-ob_at").unwrap();
    let account = page(&app, "/account", &[&access]).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("test-customer@octablitz.local"));
    let hsts = account.headers.get(header::STRICT_TRANSPORT_SECURITY).expect("HSTS over HTTPS");
    assert!(hsts.to_str().unwrap().starts_with("max-age="));
    let planted = format!("ob_at={}", access.split_once('=').unwrap().1);
    assert_eq!(page(&app, "/account", &[&planted]).await.status, StatusCode::SEE_OTHER);
    // Sign-out also removes cookies left from before HTTPS was switched on.
    let refresh = res.cookie("__Secure-ob_rt").unwrap();
    let out = post_form(&app, "/api/auth/sign-out", "", &[&access, &refresh, "ob_rt=old"]).await;
    let removed: Vec<String> = out.set_cookies().into_iter().filter(|c| c.contains("Max-Age=0")).collect();
    for name in ["__Host-ob_at=", "__Secure-ob_rt=", "ob_at=", "ob_rt="] {
        assert!(removed.iter().any(|c| c.starts_with(name)), "{name} {removed:?}");
    }
}

/// Who `/api/account/me` says the access cookie belongs to.
async fn whoami(app: &axum::Router, access: &str) -> Option<String> {
    let res = post_form(app, "/api/account/me", "", &[access]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let me: Option<app::account::api::SessionView> = serde_json::from_str(&res.body).unwrap();
    me.map(|m| m.user.email)
}

/// Sign-out and a password change end unexpired access tokens at once, not
/// when they expire; the device that changed the password carries on.
async fn revocation_reaches_access_tokens(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let email = "test-customer@octablitz.local";

    let s = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    assert_eq!(whoami(&app, &s.access).await.as_deref(), Some(email));
    post_form(&app, "/api/auth/sign-out", "", &[&s.access, &s.refresh]).await;
    assert_eq!(whoami(&app, &s.access).await, None, "signed out: the old access token is a guest's");
    let page_after = page(&app, "/account", &[&s.access]).await;
    assert!(page_after.location().starts_with("/sign-in"), "{}", page_after.location());

    // Sign-out without the refresh cookie still ends the session the access token names.
    let s = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    post_form(&app, "/api/auth/sign-out", "", &[&s.access]).await;
    assert_eq!(whoami(&app, &s.access).await, None);

    // Two devices; the laptop changes the password: the phone is out at once.
    let phone = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let laptop = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let same = post_form(
        &app,
        "/api/account/password",
        "current=TestPass123&password=TestPass123&confirm=TestPass123",
        &[&laptop.access],
    )
    .await;
    assert_eq!(same.status, StatusCode::BAD_REQUEST, "the same password again is refused");
    assert!(same.body.contains("must differ from your current one"), "{}", same.body);
    assert_eq!(whoami(&app, &phone.access).await.as_deref(), Some(email), "a refused change changes nothing");
    let changed = post_form(
        &app,
        "/api/account/password",
        "current=TestPass123&password=NewPass456&confirm=NewPass456",
        &[&laptop.access],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(whoami(&app, &phone.access).await, None, "the other device's access token is dead");
    assert_eq!(whoami(&app, &laptop.access).await, None, "so is the changing device's old one");
    let fresh = changed.cookie("ob_at").expect("the changing device gets fresh tokens");
    assert_eq!(whoami(&app, &fresh).await.as_deref(), Some(email));
}

/// An admin who loses the role can no longer call admin server functions
/// with the token issued while they were one, and their next page load
/// renews it with the role they now have.
async fn demoted_admin_loses_admin_at_once(backend: Backend) {
    let (t, state, app) = app_with_accounts(backend).await;
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    assert_eq!(post_form(&app, "/api/admin/dashboard", "", &[&admin.access]).await.status, StatusCode::OK);
    let id = state.tokens.verify_access(admin.access.trim_start_matches("ob_at=")).unwrap().id;

    // The cached "still an admin" answer must not outlive the change: the
    // cache lifetime here is the default, long enough to serve it again.
    assert!(!t.config.session_check.is_zero());
    app::account::server::set_role(&t.db, &state.sessions, id, app::account::domain::Role::Customer).await.unwrap();
    let refused = post_form(&app, "/api/admin/dashboard", "", &[&admin.access]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    let dashboard = page(&app, "/admin", &[&admin.access]).await;
    assert_eq!(dashboard.status, StatusCode::SEE_OTHER);
    assert!(dashboard.location().starts_with("/api/auth/refresh?next=/admin"), "renewed, not trusted");
    let renewed = page(&app, dashboard.location(), &[&admin.access, &admin.refresh]).await;
    let access = renewed.cookie("ob_at").expect("renewed access cookie");
    assert_eq!(post_form(&app, "/api/admin/dashboard", "", &[&access]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(page(&app, "/admin", &[&access]).await.status, StatusCode::FORBIDDEN);
}

/// A role changed by hand in the database (not through this process) is
/// noticed within the session-check cache lifetime: here zero.
async fn role_changed_elsewhere_is_noticed(backend: Backend) {
    let mut t = TestDb::new(backend).await;
    t.config.session_check = std::time::Duration::ZERO;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let app = server::router(t.state().await);
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    assert_eq!(post_form(&app, "/api/admin/dashboard", "", &[&admin.access]).await.status, StatusCode::OK);
    use sea_orm::ConnectionTrait;
    t.db.execute_unprepared("UPDATE users SET role = 'customer' WHERE email = 'admin@octablitz.local'").await.unwrap();
    assert_eq!(post_form(&app, "/api/admin/dashboard", "", &[&admin.access]).await.status, StatusCode::UNAUTHORIZED);
}

fn b64(json: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE.encode(json)
}

/// A no-JavaScript sign-in that fails, as a browser sends it.
async fn failed_form_sign_in(app: &axum::Router, referer: &str) -> common::http::Reply {
    let req = Request::post("/api/auth/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::REFERER, referer)
        .body(Body::from("email=test-customer%40octablitz.local&password=wrong"))
        .unwrap();
    send(app, req).await
}

/// An error shown after a no-JavaScript post is the server's own: a link
/// with a made-up `__err` shows nothing; a real failure shows its message;
/// and the redirect back never leaves the site.
async fn form_errors_come_only_from_the_server(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let forged = b64(r#"{"Validation":{"field":"credentials","message":"Your account is locked. Call +1-555-0100"}}"#);
    for path in ["/api/auth/sign-in", "/api/cart/add"] {
        let link = format!("/sign-in?next=%2Fcart&__path={path}&__err={forged}");
        let res = page(&app, &link, &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.location(), "/sign-in?next=%2Fcart", "forged error stripped, the rest kept");
        let followed = page(&app, res.location(), &[]).await;
        assert!(!followed.body.contains("Call +1-555"), "{path}");
        // A forged value in the signed format fares no better.
        let fake = page(&app, &format!("/sign-in?__path={path}&__err={forged}.9999999999.AAAA"), &[]).await;
        assert_eq!(fake.status, StatusCode::SEE_OTHER);
        // Nor does one whose names are percent-encoded (the pages read decoded names).
        let encoded = page(&app, &format!("/sign-in?%5F%5Fpath={path}&%5F%5Ferr={forged}"), &[]).await;
        assert_eq!(encoded.status, StatusCode::SEE_OTHER, "{path}: encoded names are checked too");
        assert!(!encoded.body.contains("Call +1-555"), "{path}");
    }

    // A real failure: back to the (same-origin) page with a signed error that renders.
    let failed = failed_form_sign_in(&app, "http://127.0.0.1:3000/sign-in?next=%2Fcart").await;
    assert_eq!(failed.status, StatusCode::SEE_OTHER);
    let back = failed.location().to_owned();
    assert!(back.starts_with("/sign-in?next=%2Fcart&__path=%2Fapi%2Fauth%2Fsign-in&__err="), "{back}");
    let shown = page(&app, &back, &[]).await;
    assert_eq!(shown.status, StatusCode::OK, "a genuine error is not stripped");
    assert!(shown.body.contains("Wrong e-mail or password."), "the server's own message is shown");
    // Altered by one character, it is refused.
    let altered = back.replacen("__err=ey", "__err=ez", 1);
    assert_eq!(page(&app, &altered, &[]).await.status, StatusCode::SEE_OTHER);
    // Moved to another server function, too.
    let moved = back.replace("%2Fapi%2Fauth%2Fsign-in", "%2Fapi%2Fcart%2Fadd");
    assert_eq!(page(&app, &moved, &[]).await.status, StatusCode::SEE_OTHER);

    // A Referer on another site is no place to send anyone.
    let elsewhere = failed_form_sign_in(&app, "https://evil.example/phish").await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
    assert!(elsewhere.location().starts_with("/?__path="), "{}", elsewhere.location());
}

/// Responses that depend on the session are never for a shared cache.
async fn session_pages_are_private(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let s = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    for uri in ["/", "/cart", "/account", "/products"] {
        let res = page(&app, uri, &[&s.access]).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        assert_eq!(res.headers.get(header::CACHE_CONTROL).unwrap(), "private, no-store", "{uri}");
    }
    let api = post_form(&app, "/api/account/me", "", &[&s.access]).await;
    assert_eq!(api.headers.get(header::CACHE_CONTROL).unwrap(), "private, no-store");
    let signing_in =
        post_form(&app, "/api/auth/sign-in", "email=test-customer%40octablitz.local&password=TestPass123", &[]).await;
    assert_eq!(signing_in.headers.get(header::CACHE_CONTROL).unwrap(), "private, no-store");
    assert_eq!(page(&app, "/", &[]).await.headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
}

/// `next` given twice is no reason for a plain-text 400: the renewal
/// happens and returns home.
async fn refresh_with_a_repeated_next(backend: Backend) {
    let (_t, _state, app) = app_with_accounts(backend).await;
    let s = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    let res = page(&app, "/api/auth/refresh?next=/a&next=/b", &[&s.refresh]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/");
    assert!(res.cookie("ob_at").is_some(), "renewed");
}

on_both_backends!(
    form_errors_come_only_from_the_server,
    session_pages_are_private,
    refresh_with_a_repeated_next,
    revocation_reaches_access_tokens,
    demoted_admin_loses_admin_at_once,
    role_changed_elsewhere_is_noticed,
    sign_in_is_rate_limited,
    cross_site_posts_are_refused_and_headers_are_set,
    sign_in_and_guards,
    every_admin_route_and_function_is_guarded,
    expired_and_forged_tokens,
    register_confirm_then_sign_out,
    https_deployment_uses_prefixed_cookies,
);

/// A writer that keeps what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Registering an address that has an account logs nothing that tells so:
/// neither the address nor the mail's subject, at any level.
#[tokio::test]
async fn logs_do_not_tell_who_has_an_account() {
    common::within_limit(logs_do_not_tell_who_has_an_account_steps()).await
}

async fn logs_do_not_tell_who_has_an_account_steps() {
    let (t, _state, app) = app_with_accounts(Backend::Sqlite).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for address in ["test-customer%40octablitz.local", "brand-new%40example.com"] {
        let form = format!("email={address}&password=Secret123&confirm=Secret123");
        assert_eq!(post_form(&app, "/api/auth/register", &form, &[]).await.status, StatusCode::OK);
    }
    assert_eq!(t.mails().len(), 2);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("mail queued"), "the capture works: {logs}");
    for secret in ["test-customer@octablitz.local", "test-customer%40octablitz.local", "brand-new", "already"] {
        assert!(!logs.to_lowercase().contains(secret), "{secret} in the logs:\n{logs}");
    }
}
