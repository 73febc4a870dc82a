//! The purchase path through the real router, as a browser without
//! JavaScript walks it: cart, checkout form, the stub's hosted page, the
//! signed webhook, the order page and the order history.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{Reply, page, post_form, send, sign_in};
use common::{Backend, TestDb};
use sea_orm::ConnectionTrait;

async fn app_with(backend: Backend, extra: &[(&str, &str)]) -> (TestDb, axum::Router) {
    let mut t = TestDb::new(backend).await;
    if !extra.is_empty() {
        let dir = t.dir.path().display().to_string();
        let url = t.config.database_url.clone();
        let extra: Vec<(String, String)> = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        t.config = app::config::Config::from_lookup(|k| match k {
            "DATA_DIR" => Some(dir.clone()),
            "DATABASE_URL" => Some(secrecy::ExposeSecret::expose_secret(&url).to_owned()),
            _ => extra.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()),
        })
        .unwrap();
    }
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id IN (1, 2)").await.unwrap();
    let router = server::router(t.state().await);
    (t, router)
}

/// A plain HTML form post, as a browser without JavaScript sends it.
async fn form_post(app: &axum::Router, uri: &str, form: &str, referer: &str, cookies: &[&str]) -> Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("http://127.0.0.1:3000{referer}"))
        .header(header::COOKIE, cookies.join("; "));
    send(app, req.body(Body::from(form.to_owned())).unwrap()).await
}

/// The value of the hidden input `name` in `html`.
fn hidden(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} in the page"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..at + html[at..].find('>').unwrap()];
    let v = tag.split("value=\"").nth(1).unwrap();
    v[..v.find('"').unwrap()].to_owned()
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn address_form(key: &str, subtotal: &str, name: &str) -> String {
    format!(
        "input[checkout_key]={key}&input[expected_subtotal]={subtotal}&input[address][name]={}&input[address][line1]=1+Main+Street\
         &input[address][city]=Springfield&input[address][postcode]=12345&input[address][country]=US\
         &input[shipping]=standard&input[provider]=stub",
        enc(name)
    )
    .replace('[', "%5B")
    .replace(']', "%5D")
}

fn path_of(location: &str) -> String {
    match location.split_once("://") {
        Some((_, rest)) => rest[rest.find('/').unwrap()..].to_owned(),
        None => location.to_owned(),
    }
}

async fn stock(t: &TestDb, id: i32) -> i32 {
    use sea_orm::EntityTrait;
    entity::product::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap().stock
}

/// The demo customer, signed in, with `quantity` of product 1 in the cart
/// (added by a form post, no JavaScript), on the checkout page.
struct AtCheckout {
    me: common::http::Signed,
    page: Reply,
    key: String,
    subtotal: String,
}

async fn at_checkout(app: &axum::Router, quantity: u32) -> AtCheckout {
    let me = sign_in(app, "test-customer%40octablitz.local", "TestPass123").await;
    let add = format!("product_id=1&quantity={quantity}");
    let res = form_post(app, "/api/cart/add", &add, "/products/x", &[&me.access]).await;
    assert!(res.status.is_redirection(), "{}", res.body);
    let page = page(app, "/checkout", &[&me.access]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let key = hidden(&page.body, "input[checkout_key]");
    let subtotal = hidden(&page.body, "input[expected_subtotal]");
    AtCheckout { me, page, key, subtotal }
}

async fn a_signed_in_shopper_buys_without_javascript(backend: Backend) {
    let (t, app) = app_with(backend, &[]).await;
    let AtCheckout { me, page: checkout, key, subtotal } = at_checkout(&app, 2).await;
    assert!(checkout.body.contains("Place order and pay"), "{}", checkout.body);
    assert!(!checkout.body.contains("VAT"));

    // A mistake first: every field's message, nothing placed.
    let bad = address_form(&key, &subtotal, "")
        .replace("input%5Baddress%5D%5Bpostcode%5D=12345", "input%5Baddress%5D%5Bpostcode%5D=%3Cb%3E");
    let res = form_post(&app, "/api/checkout/place", &bad, "/checkout", &[&me.access]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // What was typed comes back with the messages, escaped.
    let draft = res.cookie("ob_checkout").expect("the typed values are kept");
    assert!(res.set_cookies().iter().any(|c| c.starts_with("ob_checkout=") && c.contains("Path=/checkout")));
    let back = page(&app, &path_of(res.location()), &[&me.access, &draft]).await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(back.body.contains("Enter the full name."), "{}", back.body);
    assert!(back.body.contains("A postcode has only letters"), "{}", back.body);
    assert!(!back.body.contains("<b>"));
    assert!(back.body.contains(r#"value="1 Main Street""#) && back.body.contains(r#"value="Springfield""#));
    assert!(back.body.contains(r#"value="&lt;b&gt;""#), "{}", back.body);
    assert!(back.body.contains(r#"<option value="US" selected"#), "{}", back.body);
    // A draft this server did not seal is ignored.
    let forged = format!("{}x", draft);
    assert!(!page(&app, "/checkout", &[&me.access, &forged]).await.body.contains("1 Main Street"));
    assert_eq!(stock(&t, 1).await, 5);

    // Placed: straight to the provider's page, stock held.
    let form = address_form(&key, &subtotal, "Zoë Ångström");
    let res = form_post(&app, "/api/checkout/place", &form, "/checkout", &[&me.access]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let pay_path = path_of(res.location());
    assert!(pay_path.starts_with("/pay/stub/stubpay_"), "{pay_path}");
    assert_eq!(stock(&t, 1).await, 3);
    assert!(
        res.set_cookies().iter().any(|c| c.starts_with("ob_checkout=;") && c.contains("Max-Age=0")),
        "placed: the draft is dropped {:?}",
        res.set_cookies()
    );
    // The same form sent again (double click) is the same order.
    let again = form_post(&app, "/api/checkout/place", &form, "/checkout", &[&me.access]).await;
    assert_eq!(path_of(again.location()), pay_path);
    assert_eq!(stock(&t, 1).await, 3);

    let hosted = page(&app, &pay_path, &[]).await;
    assert_eq!(hosted.status, StatusCode::OK);
    assert!(hosted.body.contains("Pay by"));
    let csp = hosted.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(csp.contains("style-src 'sha256-") && csp.contains("default-src 'none'"), "{csp}");
    let res = form_post(&app, &pay_path, "action=pay", &pay_path, &[]).await;
    assert!(res.status.is_redirection(), "{}", res.body);
    let order_path = path_of(res.location());
    assert!(order_path.starts_with("/orders/OB-") && order_path.ends_with("?payment=done"), "{order_path}");
    let number = order_path.trim_start_matches("/orders/").split('?').next().unwrap().to_owned();

    let order = page(&app, &order_path, &[&me.access]).await;
    assert_eq!(order.status, StatusCode::OK);
    assert!(order.body.contains("your payment arrived"), "{}", order.body);
    assert!(order.body.contains("Zoë Ångström"));
    let history = page(&app, "/account/orders", &[&me.access]).await;
    assert!(history.body.contains(&number), "{}", history.body);
    let res = post_form(&app, "/api/cart/get", "", &[&me.access]).await;
    let cart: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert!(cart["lines"].as_array().unwrap().is_empty(), "the cart is cleared once paid");
    assert_eq!(t.mails().iter().filter(|m| m.contains(&number)).count(), 1);

    // Someone else, a guessed number, a guest: the same 404.
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    for (uri, cookies) in [
        (format!("/orders/{number}"), vec![admin.access.as_str()]),
        (format!("/orders/{number}"), vec![]),
        (format!("/orders/{number}?key=abc"), vec![]),
        ("/orders/OB-0000-0000-0000".to_owned(), vec![me.access.as_str()]),
        (format!("/account/orders/{number}"), vec![admin.access.as_str()]),
    ] {
        let res = page(&app, &uri, &cookies).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!res.body.contains("Zoë"), "{uri}");
    }
}

/// Signed in when the form was shown, the access token lapsed before the
/// post (no JavaScript renews it): nothing placed, nothing placed as a
/// guest, and the page comes back renewed, with the form as it was typed.
async fn an_expired_sign_in_keeps_the_form(backend: Backend) {
    let (t, app) = app_with(backend, &[]).await;
    let AtCheckout { me, key, subtotal, .. } = at_checkout(&app, 1).await;
    let form =
        format!("{}&input%5Baccount%5D=1&input%5Bshipping%5D=express", address_form(&key, &subtotal, "Zoë Ångström"))
            .replace("input%5Bshipping%5D=standard&", "");
    let res = form_post(&app, "/api/checkout/place", &form, "/checkout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let back = path_of(res.location());
    assert!(back.starts_with("/checkout?"), "{back}");
    assert_eq!(stock(&t, 1).await, 5);
    {
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(entity::order::Entity::find().count(&t.db).await.unwrap(), 0, "not placed as a guest's");
    }
    let draft = res.cookie("ob_checkout").expect("the typed values are kept");
    // Back on the page (the browser's next request renews the token first).
    let again = page(&app, &back, &[&me.access, &draft]).await;
    assert!(again.body.contains("Your sign-in had expired, so nothing was placed"), "{}", again.body);
    assert!(again.body.contains(r#"value="Zoë Ångström""#), "{}", again.body);
    assert!(
        again.body.contains(r#"id="shipping-express" name="input[shipping]" value="express" checked"#),
        "{}",
        again.body
    );
}

async fn client_sent_prices_are_not_charged(backend: Backend) {
    let (t, app) = app_with(backend, &[]).await;
    let AtCheckout { me, key, subtotal, .. } = at_checkout(&app, 1).await;
    // A subtotal other than the server's is refused, whatever it is.
    let res = form_post(&app, "/api/checkout/place", &address_form(&key, "1", "Ann"), "/checkout", &[&me.access]).await;
    let back = page(&app, &path_of(res.location()), &[&me.access]).await;
    assert!(back.body.contains("Prices changed since you looked"), "{}", back.body);
    assert_eq!(stock(&t, 1).await, 5);
    // A price field sent anyway is ignored (the form has none to read).
    let form = format!("{}&input%5Bprice%5D=1&price=1&total=1", address_form(&key, &subtotal, "Ann"));
    let res = form_post(&app, "/api/checkout/place", &form, "/checkout", &[&me.access]).await;
    assert!(path_of(res.location()).starts_with("/pay/stub/"), "{}", res.location());
    let charged: i64 = {
        use sea_orm::EntityTrait;
        entity::order::Entity::find().all(&t.db).await.unwrap()[0].subtotal_minor
    };
    assert_eq!(charged.to_string(), subtotal);
}

async fn webhooks_over_http(backend: Backend) {
    let (_t, app) = app_with(backend, &[]).await;
    let req = |sig: Option<&str>| {
        let mut r = Request::post("/webhooks/stub").header(header::CONTENT_TYPE, "application/json");
        if let Some(s) = sig {
            r = r.header("stub-signature", s);
        }
        r.body(Body::from(r#"{"id":"evt_x"}"#)).unwrap()
    };
    assert_eq!(send(&app, req(None)).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(send(&app, req(Some("t=1,v1=00"))).await.status, StatusCode::BAD_REQUEST);
    let unknown = Request::post("/webhooks/nope").body(Body::from("{}")).unwrap();
    assert_eq!(send(&app, unknown).await.status, StatusCode::NOT_FOUND);
}

async fn production_mode_has_no_stub(backend: Backend) {
    let (_t, app) = app_with(backend, &[("APP_ENV", "production")]).await;
    assert_eq!(page(&app, "/pay/stub/stubpay_123", &[]).await.status, StatusCode::NOT_FOUND);
    let res = form_post(&app, "/pay/stub/stubpay_123", "action=pay", "/", &[]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let hook = Request::post("/webhooks/stub").body(Body::from("{}")).unwrap();
    assert_eq!(send(&app, hook).await.status, StatusCode::NOT_FOUND);
}

/// A provider whose hosted pages are on another site, as Stripe's and
/// PayPal's are; it only hands out a page address.
#[derive(Debug)]
struct Elsewhere;

const ELSEWHERE: &str = "https://pay.example.test";

#[async_trait::async_trait]
impl app::payments::PaymentProvider for Elsewhere {
    fn id(&self) -> &'static str {
        "elsewhere"
    }
    fn label(&self) -> &'static str {
        "Pay elsewhere"
    }
    async fn create_payment(
        &self,
        request: &app::payments::PaymentRequest,
    ) -> Result<app::payments::HostedPayment, app::payments::PaymentError> {
        Ok(app::payments::HostedPayment {
            reference: format!("ref-{}", request.order_number),
            redirect_url: format!("{ELSEWHERE}/session/{}", request.order_number),
        })
    }
    async fn verify_webhook(
        &self,
        _: &axum::http::HeaderMap,
        _: &[u8],
        _: i64,
    ) -> Result<app::payments::ProviderEvent, app::payments::WebhookError> {
        Err(app::payments::WebhookError::BadSignature)
    }
    async fn fetch_payment(&self, _: &str) -> Result<app::payments::PaymentStatus, app::payments::PaymentError> {
        Ok(app::payments::PaymentStatus::Open)
    }
    async fn refund(
        &self,
        _: &str,
        _: app::money::Money,
        _: &str,
    ) -> Result<app::payments::Refund, app::payments::PaymentError> {
        Err(app::payments::PaymentError::Refused("nothing is ever paid here".into()))
    }
    fn hosted_origin(&self) -> Option<String> {
        Some(ELSEWHERE.to_owned())
    }
}

/// Without JavaScript the placed order's redirect reaches a provider's
/// hosted page on another site; a failed post whose `Referer` names that
/// site still comes back here (no open redirect to a provider's pages).
async fn a_hosted_page_elsewhere_is_reached_without_javascript(backend: Backend) {
    let (t, _) = app_with(backend, &[]).await;
    let mut state = t.state().await;
    let mut payments = (*state.payments).clone();
    payments.add(std::sync::Arc::new(Elsewhere));
    state.payments = std::sync::Arc::new(payments);
    let app = server::router(state);
    let AtCheckout { me, page: checkout, key, subtotal } = at_checkout(&app, 1).await;
    assert!(checkout.body.contains("Pay elsewhere"), "{}", checkout.body);
    let choose = |form: String| form.replace("input%5Bprovider%5D=stub", "input%5Bprovider%5D=elsewhere");

    let phish = Request::post("/api/checkout/place")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("{ELSEWHERE}/phish"))
        .header(header::COOKIE, me.access.clone())
        .body(Body::from(choose(address_form(&key, &subtotal, ""))))
        .unwrap();
    let res = send(&app, phish).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.location().starts_with("/?"), "a failed post stays here: {}", res.location());

    let res = form_post(
        &app,
        "/api/checkout/place",
        &choose(address_form(&key, &subtotal, "Ann")),
        "/checkout",
        &[&me.access],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.location().starts_with(&format!("{ELSEWHERE}/session/OB-")), "{}", res.location());
    assert_eq!(stock(&t, 1).await, 4, "placed and held");
}

/// Stripe and PayPal switched on through the environment alone (pointed at
/// the local fakes): checkout offers both after the stub, and a checkout
/// posted without JavaScript lands on each one's hosted page.
async fn real_providers_from_configuration_are_offered_and_reached(backend: Backend) {
    let stripe = common::stripe_fake::FakeStripe::start().await;
    let paypal = common::paypal_fake::FakePayPal::start().await;
    let (stripe_base, paypal_base) = (format!("{}/", stripe.origin()), paypal.origin());
    let settings = [
        ("PAYMENT_PROVIDERS", "stripe,paypal"),
        ("STRIPE_SECRET_KEY", common::stripe_fake::SECRET_KEY),
        ("STRIPE_WEBHOOK_SECRET", common::stripe_fake::WEBHOOK_SECRET),
        ("STRIPE_API_BASE", stripe_base.as_str()),
        ("STRIPE_CHECKOUT_ORIGIN", stripe_base.trim_end_matches('/')),
        ("PAYPAL_CLIENT_ID", common::paypal_fake::CLIENT_ID),
        ("PAYPAL_CLIENT_SECRET", common::paypal_fake::CLIENT_SECRET),
        ("PAYPAL_WEBHOOK_ID", common::paypal_fake::WEBHOOK_ID),
        ("PAYPAL_API_BASE", paypal_base.as_str()),
        ("PAYPAL_APPROVAL_ORIGIN", paypal_base.as_str()),
    ];
    let (_t, app) = app_with(backend, &settings).await;
    for (provider, label, origin) in
        [("stripe", "Card (Stripe)", stripe.origin()), ("paypal", "PayPal", paypal.origin())]
    {
        let AtCheckout { me, page: checkout, key, subtotal } = at_checkout(&app, 1).await;
        // Offered in this order, the development stub first (and chosen).
        let at: Vec<usize> = ["value=\"stub\"", "value=\"stripe\"", "value=\"paypal\""]
            .iter()
            .map(|v| checkout.body.find(v).unwrap_or_else(|| panic!("{v} offered: {}", checkout.body)))
            .collect();
        assert!(at.is_sorted(), "stub, Stripe, PayPal: {at:?}");
        for shown in ["Card (Stripe)", "PayPal", "Test payment"] {
            assert!(checkout.body.contains(shown), "{shown} offered: {}", checkout.body);
        }
        let form = address_form(&key, &subtotal, "Ann")
            .replace("input%5Bprovider%5D=stub", &format!("input%5Bprovider%5D={provider}"));
        let res = form_post(&app, "/api/checkout/place", &form, "/checkout", &[&me.access]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{label}: {}", res.body);
        assert!(res.location().starts_with(&format!("{origin}/")), "{label}: {}", res.location());
    }
    assert_eq!(stripe.sessions().len(), 1);
    assert_eq!(paypal.orders().len(), 1);
}

on_both_backends!(
    real_providers_from_configuration_are_offered_and_reached,
    a_hosted_page_elsewhere_is_reached_without_javascript,
    a_signed_in_shopper_buys_without_javascript,
    an_expired_sign_in_keeps_the_form,
    client_sent_prices_are_not_charged,
    webhooks_over_http,
    production_mode_has_no_stub,
);
