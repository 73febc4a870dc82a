//! PayPal behind the payment strategy, against a local fake of its REST API
//! (`common::paypal_fake`) on SQLite and PostgreSQL: orders made from the
//! snapshot with `PayPal-Request-Id`, one cached token, capture on return
//! (once; `ORDER_ALREADY_CAPTURED` handled), "completed but not captured" is
//! not paid, and webhooks verified by PayPal, failing closed.

#[macro_use]
mod common;

use std::sync::Arc;

use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::server::{self as orders, EventResult, Party, PlaceOrder};
use app::payments::WebhookError;
use app::state::AppState;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use chrono::Utc;
use common::paypal_fake::FakePayPal;
use common::{Backend, TestDb, address};
use entity::order::OrderStatus as Status;
use sea_orm::{ConnectionTrait, EntityTrait};

struct Paying {
    t: TestDb,
    state: AppState,
    fake: FakePayPal,
    order_id: i32,
    number: String,
    /// PayPal's id of the order.
    reference: String,
}

async fn store(backend: Backend) -> (TestDb, AppState, FakePayPal) {
    let fake = FakePayPal::start().await;
    let mut t = TestDb::new(backend).await;
    t.config.paypal = Some(common::paypal_fake::config(&fake));
    let state = t.state().await;
    (t, state, fake)
}

async fn place(state: &AppState, lines: &[(i32, u32)], shipping: ShippingMethod) -> orders::Placed {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let request = PlaceOrder {
        party: Party { user_id: None, email: "paypal@example.com".into() },
        lines: lines.iter().map(|&(product_id, quantity)| LineRequest { product_id, quantity }).collect(),
        address: address(),
        shipping,
        provider: "paypal".into(),
        checkout_key: format!("paypal-{}", N.fetch_add(1, Ordering::Relaxed)),
        expected_subtotal: None,
        client_ip: None,
    };
    orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &request, Utc::now()).await.unwrap()
}

async fn order(t: &TestDb, id: i32) -> entity::order::Model {
    entity::order::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap()
}

async fn open(state: &AppState, order_id: i32) -> Result<String, ServerError> {
    let o = entity::order::Entity::find_by_id(order_id).one(&state.db).await.unwrap().unwrap();
    let paypal = state.payments.get("paypal").unwrap().clone();
    app::checkout::server::open_payment(state, paypal.as_ref(), &o).await
}

async fn paying(backend: Backend) -> Paying {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id IN (1, 2)").await.unwrap();
    let placed = place(&state, &[(1, 2), (2, 1)], ShippingMethod::Standard).await;
    open(&state, placed.id).await.unwrap();
    let reference = order(&t, placed.id).await.provider_ref.expect("PayPal's order id is remembered");
    Paying { t, state, fake, order_id: placed.id, number: placed.number, reference }
}

fn headers_of(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in pairs {
        h.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
    }
    h
}

impl Paying {
    async fn deliver(&self, body: &[u8], headers: &[(&'static str, String)]) -> Result<EventResult, ServerError> {
        server::webhooks::handle(&self.state, "paypal", &headers_of(headers), body, Utc::now()).await
    }

    /// The shopper comes back to the order page, which asks PayPal.
    async fn come_back(&self) -> EventResult {
        let paypal = self.state.payments.get("paypal").unwrap().clone();
        let r =
            orders::refresh_from_provider(&self.state.db, paypal.as_ref(), self.order_id, Utc::now()).await.unwrap();
        app::orders::effects::after_event(&self.state, &r).await;
        r
    }

    async fn status(&self) -> Status {
        order(&self.t, self.order_id).await.status
    }

    fn mails(&self) -> usize {
        self.t.mails().iter().filter(|m| m.contains(&self.number)).count()
    }
}

/// The PayPal order carries the snapshot (items at the server's prices,
/// shipping in the breakdown, the order number as reference), sent with a
/// `PayPal-Request-Id`; opening it again makes nothing new; one token
/// serves every call.
async fn the_order_is_made_from_the_snapshot(backend: Backend) {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5, price_cents = 12345 WHERE id = 1").await.unwrap();
    t.db.execute_unprepared("UPDATE products SET stock = 5, price_cents = 999 WHERE id = 2").await.unwrap();
    let placed = place(&state, &[(1, 1), (2, 3)], ShippingMethod::Express).await;
    let url = open(&state, placed.id).await.unwrap();
    assert!(url.starts_with(&format!("{}/checkoutnow?token=", fake.origin())), "{url}");
    assert_eq!(open(&state, placed.id).await.unwrap(), url, "the same PayPal order again");
    assert_eq!(fake.orders().len(), 1, "one object at PayPal");
    let creates: Vec<_> = fake.calls().into_iter().filter(|c| c.path == "/v2/checkout/orders").collect();
    assert_eq!(creates.len(), 2);
    let id = format!("octablitz-checkout-{}", placed.number);
    assert!(creates.iter().all(|c| c.request_id.as_deref() == Some(id.as_str())));
    let unit = &creates[0].body["purchase_units"][0];
    assert_eq!(unit["reference_id"], placed.number.as_str());
    assert_eq!(unit["amount"]["value"], format!("{:.2}", (12345 + 3 * 999 + 2499) as f64 / 100.0));
    assert_eq!(unit["amount"]["currency_code"], "USD");
    assert_eq!(unit["amount"]["breakdown"]["shipping"]["value"], "24.99");
    let items: Vec<(String, String)> = unit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["unit_amount"]["value"].as_str().unwrap().into(), i["quantity"].as_str().unwrap().into()))
        .collect();
    assert_eq!(items, [("123.45".into(), "1".into()), ("9.99".into(), "3".into())]);
    assert_eq!(fake.calls_to("POST", "/v1/oauth2/token"), 1, "the token is cached");
}

/// The create reply is lost after PayPal made the order: sent again with
/// the same request id, and PayPal has one order.
async fn a_lost_reply_is_resent_with_the_same_request_id(backend: Backend) {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id = 1").await.unwrap();
    let placed = place(&state, &[(1, 1)], ShippingMethod::Standard).await;
    fake.drop_next_reply();
    open(&state, placed.id).await.unwrap();
    let creates: Vec<_> = fake.calls().into_iter().filter(|c| c.path == "/v2/checkout/orders").collect();
    assert_eq!(creates.len(), 2, "sent again");
    assert_eq!(creates[0].request_id, creates[1].request_id);
    assert_eq!(fake.orders().len(), 1, "exactly one order at PayPal");
}

/// Approved on PayPal's page, the shopper comes back: the order page
/// captures it once and the order is paid; coming back again captures
/// nothing more.
async fn coming_back_captures_once(backend: Backend) {
    let p = paying(backend).await;
    assert_eq!(p.come_back().await, EventResult::Ignored, "not approved yet: nothing to capture");
    assert_eq!(p.fake.calls_to("POST", "/capture"), 0);
    p.fake.approve(&p.reference);
    assert!(matches!(p.come_back().await, EventResult::Paid(_)));
    assert_eq!(p.come_back().await, EventResult::Ignored);
    assert_eq!(p.fake.calls_to("POST", "/capture"), 1, "captured once");
    assert_eq!(p.status().await, Status::Paid);
    assert_eq!(p.mails(), 1);
}

/// Captured meanwhile elsewhere (the order still read as approved): the
/// capture answers `ORDER_ALREADY_CAPTURED`, and the store reads the order
/// and counts the payment it finds.
async fn an_order_captured_already_is_handled(backend: Backend) {
    let p = paying(backend).await;
    p.fake.update(&p.reference, |o| {
        o.status = "COMPLETED".into();
        o.capture = Some(("COMPLETED".into(), o.value.clone()));
        o.stale_once = true;
    });
    assert!(matches!(p.come_back().await, EventResult::Paid(_)));
    assert_eq!(p.fake.calls_to("POST", "/capture"), 1, "tried, and told it was captured");
    assert_eq!(p.status().await, Status::Paid);
}

/// A COMPLETED order whose capture is PENDING or DECLINED is not paid.
async fn completed_without_a_completed_capture_is_not_paid(backend: Backend) {
    for (outcome, expected) in [("PENDING", Status::Pending), ("DECLINED", Status::Pending)] {
        let p = paying(backend).await;
        p.fake.set_capture_outcome(outcome);
        p.fake.approve(&p.reference);
        let r = p.come_back().await;
        assert!(!matches!(r, EventResult::Paid(_)), "{outcome}: {r:?}");
        assert_eq!(p.fake.order(&p.reference).status, "COMPLETED");
        assert_eq!(p.status().await, expected, "{outcome}");
        // The capture webhook that follows says the same.
        let kind = if outcome == "DECLINED" { "PAYMENT.CAPTURE.DENIED" } else { "PAYMENT.CAPTURE.PENDING" };
        let (body, headers) = p.fake.event(&format!("WH-{outcome}"), kind, &p.reference);
        let r = p.deliver(&body, &headers).await.unwrap();
        assert!(!matches!(r, EventResult::Paid(_)), "{outcome} webhook: {r:?}");
        assert_eq!(p.status().await, expected);
        assert_eq!(p.mails(), 0);
    }
}

/// After PayPal declined the capture, paying again opens a new PayPal
/// order (a new `PayPal-Request-Id`: the old order is completed and cannot
/// be approved again), the order follows the new one, and a late event
/// about the old one changes nothing.
async fn a_declined_capture_is_followed_by_a_new_paypal_order(backend: Backend) {
    let p = paying(backend).await;
    p.fake.set_capture_outcome("DECLINED");
    p.fake.approve(&p.reference);
    let (body, headers) = p.fake.event("WH-APPROVED-1", "CHECKOUT.ORDER.APPROVED", &p.reference);
    assert_eq!(p.deliver(&body, &headers).await.unwrap(), EventResult::Applied, "the failure is recorded");
    let view = orders::view_of(&p.t.db, order(&p.t, p.order_id).await, &p.state.payments).await.unwrap();
    assert!(view.payment_failed, "the order page says the payment was declined");
    assert_eq!(open(&p.state, p.order_id).await.unwrap(), open(&p.state, p.order_id).await.unwrap(), "retries agree");
    let second = order(&p.t, p.order_id).await.provider_ref.unwrap();
    assert_ne!(second, p.reference, "a new PayPal order");
    assert_eq!(p.fake.orders().len(), 2);
    let ids: Vec<_> =
        p.fake.calls().into_iter().filter(|c| c.path == "/v2/checkout/orders").filter_map(|c| c.request_id).collect();
    let first_id = format!("octablitz-checkout-{}", p.number);
    assert_eq!(ids, [first_id.clone(), format!("{first_id}-2"), format!("{first_id}-2")]);
    // The denial of the first capture arrives late: not about this order's payment any more.
    let (body, headers) = p.fake.event("WH-DENIED-1", "PAYMENT.CAPTURE.DENIED", &p.reference);
    assert_eq!(p.deliver(&body, &headers).await.unwrap(), EventResult::Ignored);
    p.fake.set_capture_outcome("COMPLETED");
    p.fake.approve(&second);
    assert!(matches!(p.come_back().await, EventResult::Paid(_)));
    assert_eq!(p.status().await, Status::Paid);
    let view = orders::view_of(&p.t.db, order(&p.t, p.order_id).await, &p.state.payments).await.unwrap();
    assert!(!view.payment_failed);
    assert_eq!(p.mails(), 1);
}

/// `PAYMENT.CAPTURE.COMPLETED`, verified by PayPal, pays once however often
/// and however concurrently it comes.
async fn a_completed_capture_pays_once(backend: Backend) {
    let p = Arc::new(paying(backend).await);
    p.fake.approve(&p.reference);
    // The shopper never came back: the approval webhook captures.
    let (body, headers) = p.fake.event("WH-APPROVED-1", "CHECKOUT.ORDER.APPROVED", &p.reference);
    assert!(matches!(p.deliver(&body, &headers).await.unwrap(), EventResult::Paid(_)));
    let (body, headers) = p.fake.event("WH-CAPTURE-1", "PAYMENT.CAPTURE.COMPLETED", &p.reference);
    let mut results = Vec::new();
    for _ in 0..10 {
        results.push(p.deliver(&body, &headers).await.unwrap());
    }
    assert_eq!(results[0], EventResult::Ignored, "paid already");
    assert!(results[1..].iter().all(|r| *r == EventResult::Duplicate), "{results:?}");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (p, body, headers) = (p.clone(), body.clone(), headers.clone());
        tasks.spawn(async move { p.deliver(&body, &headers).await.unwrap() });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap(), EventResult::Duplicate);
    }
    assert_eq!(p.status().await, Status::Paid);
    assert_eq!(p.fake.calls_to("POST", "/capture"), 1);
    assert_eq!(p.mails(), 1);
}

/// Verification says FAILURE, PayPal cannot be reached to verify, or the
/// transmission headers are missing: refused (5xx for the first two, so
/// PayPal delivers again), and nothing changes.
async fn unverified_webhooks_fail_closed(backend: Backend) {
    let p = paying(backend).await;
    p.fake.approve(&p.reference);
    let (body, headers) = p.fake.event("WH-APPROVED-2", "CHECKOUT.ORDER.APPROVED", &p.reference);
    let app = server::router(p.state.clone());
    let post = |body: Vec<u8>, headers: Vec<(&'static str, String)>| {
        let app = app.clone();
        async move {
            let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            common::http::post_raw(&app, "/webhooks/paypal", &body, &pairs).await
        }
    };
    p.fake.set_verification_fails(true);
    assert!(matches!(p.deliver(&body, &headers).await, Err(ServerError::Webhook(WebhookError::Unavailable(_)))));
    assert_eq!(post(body.clone(), headers.clone()).await.status, StatusCode::SERVICE_UNAVAILABLE);
    // Both deliveries are in the inbox, refused, naming no order.
    let refused = app::admin::server::payment_events(
        &p.state.db,
        &app::admin::domain::InboxFilter {
            provider: None,
            outcome: Some(app::admin::domain::InboxOutcome::Refused),
            page: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!(refused.total, 2);
    assert!(
        refused
            .rows
            .iter()
            .all(|r| r.order.is_none() && r.detail.as_deref().is_some_and(|d| d.contains("did not verify")))
    );
    p.fake.set_verification_fails(false);
    let mut flipped = body.clone();
    let at = flipped.len() / 2;
    flipped[at] = if flipped[at] == b'1' { b'2' } else { b'1' };
    let reply = post(flipped, headers.clone()).await;
    assert!(reply.status.is_server_error() || reply.status == StatusCode::BAD_REQUEST, "{}", reply.status);
    assert_eq!(post(body.clone(), headers[1..].to_vec()).await.status, StatusCode::BAD_REQUEST, "a header missing");
    p.fake.set_down(true);
    assert_eq!(post(body.clone(), headers.clone()).await.status, StatusCode::SERVICE_UNAVAILABLE, "unreachable");
    p.fake.set_down(false);
    assert_eq!(p.fake.calls_to("POST", "/capture"), 0, "nothing unverified was acted on");
    assert_eq!(p.status().await, Status::Pending);
    // The genuine delivery, later, applies.
    assert_eq!(post(body, headers).await.status, StatusCode::OK);
    assert_eq!(p.status().await, Status::Paid);
}

/// A captured order is refunded through its capture, once per request id
/// (also when the first reply was lost); more than was captured, or an
/// order not captured, is refused.
async fn refunds_are_idempotent_and_bounded(backend: Backend) {
    let p = paying(backend).await;
    let paypal = p.state.payments.get("paypal").unwrap().clone();
    let total = app::money::Money::usd(order(&p.t, p.order_id).await.total_minor);
    let refused = paypal.refund(&p.reference, total, "r1").await;
    assert!(matches!(refused, Err(app::payments::PaymentError::Refused(_))), "not captured: {refused:?}");
    p.fake.approve(&p.reference);
    assert!(matches!(p.come_back().await, EventResult::Paid(_)));
    p.fake.drop_next_reply();
    let first = paypal.refund(&p.reference, total, "r1").await.unwrap();
    assert_eq!(first.status, app::payments::RefundStatus::Succeeded);
    assert_eq!(paypal.refund(&p.reference, total, "r1").await.unwrap(), first, "the same refund again");
    let o = p.fake.order(&p.reference);
    assert_eq!((o.refunds, o.refunded), (1, total.minor()), "one refund at PayPal, of the whole amount");
    let calls: Vec<_> = p.fake.calls().into_iter().filter(|c| c.path.ends_with("/refund")).collect();
    assert!(calls.len() >= 3 && calls.iter().all(|c| c.request_id.as_deref() == Some("octablitz-refund-r1")));
    assert_eq!(calls[0].body["invoice_id"], p.number.as_str());
    let more = paypal.refund(&p.reference, app::money::Money::usd(1), "r2").await;
    assert!(matches!(more, Err(app::payments::PaymentError::Refused(_))), "nothing left: {more:?}");
}

on_both_backends!(
    refunds_are_idempotent_and_bounded,
    the_order_is_made_from_the_snapshot,
    a_lost_reply_is_resent_with_the_same_request_id,
    coming_back_captures_once,
    an_order_captured_already_is_handled,
    completed_without_a_completed_capture_is_not_paid,
    a_declined_capture_is_followed_by_a_new_paypal_order,
    a_completed_capture_pays_once,
    unverified_webhooks_fail_closed,
);
