//! Stripe behind the payment strategy, against a local fake of its API
//! (`common::stripe_fake`) on SQLite and PostgreSQL: sessions made from the
//! order's snapshot, idempotent retries, verified webhooks whose facts come
//! from the re-fetched session, and failure modes.

#[macro_use]
mod common;

use std::sync::Arc;

use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::server::{self as orders, EventResult, Party, PlaceOrder};
use app::payments::WebhookError;
use app::payments::stripe::SIGNATURE_HEADER;
use app::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use chrono::Utc;
use common::stripe_fake::{FakeStripe, WEBHOOK_SECRET};
use common::{Backend, TestDb, address};
use entity::order::OrderStatus as Status;
use sea_orm::{ConnectionTrait, EntityTrait};

/// A store with Stripe pointed at a fresh fake, and an order placed for
/// Stripe whose Checkout Session is made.
struct Paying {
    t: TestDb,
    state: AppState,
    fake: FakeStripe,
    order_id: i32,
    number: String,
    session: String,
}

async fn store(backend: Backend) -> (TestDb, AppState, FakeStripe) {
    let fake = FakeStripe::start().await;
    let mut t = TestDb::new(backend).await;
    t.config.stripe = Some(common::stripe_fake::config(&fake));
    let state = t.state().await;
    (t, state, fake)
}

async fn place(state: &AppState, lines: &[(i32, u32)], shipping: ShippingMethod) -> orders::Placed {
    let request = PlaceOrder {
        party: Party { user_id: None, email: "card@example.com".into() },
        lines: lines.iter().map(|&(product_id, quantity)| LineRequest { product_id, quantity }).collect(),
        address: address(),
        shipping,
        provider: "stripe".into(),
        checkout_key: format!("stripe-{}", rand_suffix()),
        expected_subtotal: None,
        client_ip: None,
    };
    orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &request, Utc::now()).await.unwrap()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn order(t: &TestDb, id: i32) -> entity::order::Model {
    entity::order::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap()
}

async fn open(state: &AppState, order_id: i32) -> Result<String, ServerError> {
    let o = entity::order::Entity::find_by_id(order_id).one(&state.db).await.unwrap().unwrap();
    let stripe = state.payments.get("stripe").unwrap().clone();
    app::checkout::server::open_payment(state, stripe.as_ref(), &o).await
}

async fn paying(backend: Backend) -> Paying {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id IN (1, 2)").await.unwrap();
    let placed = place(&state, &[(1, 2), (2, 1)], ShippingMethod::Standard).await;
    open(&state, placed.id).await.unwrap();
    let session = order(&t, placed.id).await.provider_ref.expect("the session is remembered");
    Paying { t, state, fake, order_id: placed.id, number: placed.number, session }
}

fn signed(sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(SIGNATURE_HEADER, HeaderValue::from_str(sig).unwrap());
    h
}

impl Paying {
    /// The shopper pays on Stripe's page.
    fn pay(&self) {
        self.fake.update(&self.session, |s| {
            s.status = "complete";
            s.payment_status = "paid";
            s.payment_intent = Some(format!("pi_test_{}", &s.id[8..]));
        });
    }

    fn event(&self, id: &str, kind: &str) -> (Vec<u8>, String) {
        self.fake.event(id, kind, &self.session, Utc::now().timestamp())
    }

    async fn deliver(&self, body: &[u8], sig: &str) -> Result<EventResult, ServerError> {
        server::webhooks::handle(&self.state, "stripe", &signed(sig), body, Utc::now()).await
    }

    async fn status(&self) -> Status {
        order(&self.t, self.order_id).await.status
    }
}

/// The session carries the order's snapshot, priced by the server: every
/// line with its unit amount and quantity, shipping, the currency, the
/// order number, the shopper's e-mail, an expiry Stripe accepts, and the
/// order number as the idempotency key. Opening it again makes nothing new:
/// it goes back to the open session.
async fn the_session_is_made_from_the_snapshot(backend: Backend) {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5, price_cents = 12345 WHERE id = 1").await.unwrap();
    t.db.execute_unprepared("UPDATE products SET stock = 5, price_cents = 999 WHERE id = 2").await.unwrap();
    let placed = place(&state, &[(1, 1), (2, 3)], ShippingMethod::Express).await;
    let before = Utc::now().timestamp();
    let url = open(&state, placed.id).await.unwrap();
    assert!(url.starts_with(&format!("{}/c/pay/cs_test_", fake.origin())), "{url}");
    assert_eq!(open(&state, placed.id).await.unwrap(), url, "the same session again");
    assert_eq!(fake.sessions().len(), 1, "one object at Stripe");

    let calls = fake.calls();
    // Opening again goes back to the open session (a read, no second create).
    let creates: Vec<_> = calls.iter().filter(|c| c.method == "POST").collect();
    assert_eq!(creates.len(), 1);
    let key = format!("octablitz-checkout-{}", placed.number);
    assert!(creates.iter().all(|c| c.idempotency_key.as_deref() == Some(key.as_str())), "{creates:?}");
    let c = creates[0];
    assert_eq!(c.get("mode"), Some("payment"));
    assert_eq!(c.get("client_reference_id"), Some(placed.number.as_str()));
    assert_eq!(c.get("metadata[order_number]"), Some(placed.number.as_str()));
    assert_eq!(c.get("customer_email"), Some("card@example.com"));
    let line = |i: usize, f: &str| c.get(&format!("line_items[{i}]{f}")).map(str::to_owned);
    assert_eq!(line(0, "[price_data][unit_amount]").as_deref(), Some("12345"));
    assert_eq!(line(0, "[quantity]").as_deref(), Some("1"));
    assert_eq!(line(1, "[price_data][unit_amount]").as_deref(), Some("999"));
    assert_eq!(line(1, "[quantity]").as_deref(), Some("3"));
    assert!(line(2, "[price_data][product_data][name]").unwrap().starts_with("Shipping: "));
    assert_eq!(line(2, "[price_data][unit_amount]").as_deref(), Some("2499"), "express shipping");
    assert!((0..3).all(|i| line(i, "[price_data][currency]").as_deref() == Some("usd")));
    assert_eq!(line(3, "[quantity]"), None, "three lines, no more");
    let o = order(&t, placed.id).await;
    let session = fake.session(o.provider_ref.as_deref().unwrap());
    assert_eq!((session.amount_total, session.currency.as_str()), (o.total_minor, "usd"));
    assert_eq!(o.total_minor, 12345 + 3 * 999 + 2499);
    // The 15-minute hold is shorter than Stripe's shortest expiry: sent as
    // just over 30 minutes (the store's sweeper still ends the hold at 15).
    assert!(session.expires_at >= before + 1800 && session.expires_at <= before + 1800 + 120, "{}", session.expires_at);
}

/// The first reply is lost after Stripe made the session: the store sends
/// the same request with the same key, and Stripe has one session.
async fn a_lost_reply_is_resent_with_the_same_key(backend: Backend) {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id = 1").await.unwrap();
    let placed = place(&state, &[(1, 1)], ShippingMethod::Standard).await;
    fake.drop_next_reply();
    let url = open(&state, placed.id).await.unwrap();
    let creates: Vec<_> = fake.calls().into_iter().filter(|c| c.method == "POST").collect();
    assert_eq!(creates.len(), 2, "sent again after the lost reply");
    assert_eq!(creates[0].idempotency_key, creates[1].idempotency_key);
    assert_eq!(fake.sessions().len(), 1, "exactly one object at Stripe");
    assert!(url.ends_with(&fake.sessions()[0].id));
}

/// Stripe unreachable while paying: a clear error, the order stays pending
/// with its hold, and nothing is remembered as its payment.
async fn stripe_down_at_checkout_is_a_clear_error(backend: Backend) {
    let (t, state, fake) = store(backend).await;
    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id = 1").await.unwrap();
    let placed = place(&state, &[(1, 1)], ShippingMethod::Standard).await;
    fake.set_down(true);
    let err = open(&state, placed.id).await.unwrap_err();
    assert!(matches!(err, ServerError::Payment(app::payments::PaymentError::Unreachable(_))), "{err:?}");
    let shown = app::error::AppError::from(err);
    assert_eq!(shown.status(), 503, "{shown:?}");
    let o = order(&t, placed.id).await;
    assert_eq!((o.status, o.provider_ref), (Status::Pending, None));
    fake.set_down(false);
    assert!(open(&state, placed.id).await.is_ok(), "a retry works once Stripe is back");
}

/// `checkout.session.completed` for a paid session pays the order once,
/// however often and however concurrently it is delivered.
async fn a_completed_session_pays_once(backend: Backend) {
    let p = Arc::new(paying(backend).await);
    p.pay();
    let (body, sig) = p.event("evt_completed_1", "checkout.session.completed");
    let mut results = Vec::new();
    for _ in 0..10 {
        results.push(p.deliver(&body, &sig).await.unwrap());
    }
    assert!(matches!(results[0], EventResult::Paid(_)), "{results:?}");
    assert!(results[1..].iter().all(|r| *r == EventResult::Duplicate), "{results:?}");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (p, body, sig) = (p.clone(), body.clone(), sig.clone());
        tasks.spawn(async move { p.deliver(&body, &sig).await.unwrap() });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap(), EventResult::Duplicate);
    }
    let o = order(&p.t, p.order_id).await;
    assert_eq!(o.status, Status::Paid);
    assert_eq!(p.t.mails().iter().filter(|m| m.contains(&p.number)).count(), 1, "one confirmation");
}

/// Concurrent first deliveries of one event and of its twin
/// (`async_payment_succeeded`) fulfil once between them.
async fn concurrent_events_fulfil_once(backend: Backend) {
    let p = Arc::new(paying(backend).await);
    p.pay();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let kind = if i % 2 == 0 { "checkout.session.completed" } else { "checkout.session.async_payment_succeeded" };
        let (body, sig) = p.event(&format!("evt_race_{}", i % 2), kind);
        let p = p.clone();
        tasks.spawn(async move { p.deliver(&body, &sig).await.unwrap() });
    }
    let mut paid = 0;
    while let Some(r) = tasks.join_next().await {
        paid += usize::from(matches!(r.unwrap(), EventResult::Paid(_)));
    }
    assert_eq!(paid, 1);
    assert_eq!(p.status().await, Status::Paid);
}

/// Forged, altered, unsigned, `v0`-only and stale deliveries are refused
/// before anything is read; 299 s either way is accepted.
async fn forged_and_stale_events_change_nothing(backend: Backend) {
    let p = paying(backend).await;
    p.pay();
    let now = Utc::now();
    let (body, sig) = p.event("evt_forged", "checkout.session.completed");
    let sign = |secret: &[u8], t: i64, body: &[u8]| app::payments::signature::sign(secret, t, body);
    let mut flipped = body.clone();
    flipped[20] ^= 1;
    let cases: Vec<(&str, Vec<u8>, HeaderMap, WebhookError)> = vec![
        (
            "wrong secret",
            body.clone(),
            signed(&sign(b"whsec_other", now.timestamp(), &body)),
            WebhookError::BadSignature,
        ),
        ("flipped byte", flipped, signed(&sig), WebhookError::BadSignature),
        ("missing header", body.clone(), HeaderMap::new(), WebhookError::MissingSignature),
        ("v0 only", body.clone(), signed(&sig.replace("v1=", "v0=")), WebhookError::BadSignature),
        (
            "301 s old",
            body.clone(),
            signed(&sign(WEBHOOK_SECRET.as_bytes(), now.timestamp() - 301, &body)),
            WebhookError::Stale,
        ),
        (
            "301 s ahead",
            body.clone(),
            signed(&sign(WEBHOOK_SECRET.as_bytes(), now.timestamp() + 301, &body)),
            WebhookError::Stale,
        ),
    ];
    let gets_before = p.fake.calls().iter().filter(|c| c.method == "GET").count();
    for (what, body, headers, expected) in cases {
        match server::webhooks::handle(&p.state, "stripe", &headers, &body, now).await {
            Err(ServerError::Webhook(e)) => assert_eq!(e, expected, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    assert_eq!(
        p.fake.calls().iter().filter(|c| c.method == "GET").count(),
        gets_before,
        "nothing unverified reaches Stripe"
    );
    assert_eq!(p.status().await, Status::Pending);
    let old = sign(WEBHOOK_SECRET.as_bytes(), now.timestamp() - 299, &body);
    assert!(matches!(
        server::webhooks::handle(&p.state, "stripe", &signed(&old), &body, now).await,
        Ok(EventResult::Paid(_))
    ));
    let ahead = sign(WEBHOOK_SECRET.as_bytes(), now.timestamp() + 299, &body);
    assert_eq!(
        server::webhooks::handle(&p.state, "stripe", &signed(&ahead), &body, now).await.unwrap(),
        EventResult::Duplicate
    );
}

/// The event body is only a hint: a genuine `completed` event for a session
/// Stripe says is unpaid pays nothing, and the amount paid is the one
/// Stripe reports now.
async fn facts_come_from_stripe_not_from_the_event(backend: Backend) {
    let p = paying(backend).await;
    // Signed, but the session is not paid at Stripe (a bank payment under way).
    let (body, sig) = p.event("evt_unpaid_completed", "checkout.session.completed");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Ignored);
    assert_eq!(p.status().await, Status::Pending);
    // The bank payment fails: recorded, the order stays pending for a retry.
    let (body, sig) = p.event("evt_async_failed", "checkout.session.async_payment_failed");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Applied);
    assert_eq!(p.status().await, Status::Pending);
    // Stripe reports a different amount: held for review, never paid.
    p.fake.update(&p.session, |s| {
        s.status = "complete";
        s.payment_status = "paid";
        s.amount_total -= 1;
    });
    let (body, sig) = p.event("evt_short", "checkout.session.async_payment_succeeded");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Held);
    let o = order(&p.t, p.order_id).await;
    assert_eq!(o.status, Status::Held);
    assert!(o.review_reason.unwrap().contains("The provider reported"));
}

/// A payment in a currency the store does not sell in is held, not paid.
async fn a_foreign_currency_is_held(backend: Backend) {
    let p = paying(backend).await;
    p.fake.update(&p.session, |s| {
        s.status = "complete";
        s.payment_status = "paid";
        s.currency = "eur".into();
    });
    let (body, sig) = p.event("evt_eur", "checkout.session.completed");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Held);
    let o = order(&p.t, p.order_id).await;
    assert!(o.review_reason.unwrap().contains("EUR"), "names what was paid");
}

/// Out of order: paid, then `expired` → stays paid; an expired session
/// cancels an unpaid order and returns its stock once.
async fn events_never_move_an_order_backwards(backend: Backend) {
    let p = paying(backend).await;
    p.pay();
    let (body, sig) = p.event("evt_paid", "checkout.session.completed");
    assert!(matches!(p.deliver(&body, &sig).await.unwrap(), EventResult::Paid(_)));
    let (body, sig) = p.event("evt_late_expired", "checkout.session.expired");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Ignored, "the session is paid at Stripe");
    assert_eq!(p.status().await, Status::Paid);

    let q = paying(backend).await;
    let stock = |t: &TestDb| {
        let db = t.db.clone();
        async move { entity::product::Entity::find_by_id(1).one(&db).await.unwrap().unwrap().stock }
    };
    assert_eq!(stock(&q.t).await, 3, "held at placement");
    q.fake.update(&q.session, |s| s.status = "expired");
    let (body, sig) = q.event("evt_expired", "checkout.session.expired");
    assert_eq!(q.deliver(&body, &sig).await.unwrap(), EventResult::Applied);
    assert_eq!(q.deliver(&body, &sig).await.unwrap(), EventResult::Duplicate);
    let (body, sig) = q.event("evt_expired_again", "checkout.session.expired");
    assert_eq!(q.deliver(&body, &sig).await.unwrap(), EventResult::Ignored);
    assert_eq!(q.status().await, Status::Cancelled);
    assert_eq!(stock(&q.t).await, 5, "returned once");
}

/// Stripe unreachable when the webhook asks about the session: 503 (Stripe
/// delivers again later), nothing recorded, and the redelivery applies.
async fn stripe_unreachable_during_a_webhook_is_a_503(backend: Backend) {
    let p = paying(backend).await;
    p.pay();
    let (body, sig) = p.event("evt_while_down", "checkout.session.completed");
    p.fake.set_down(true);
    let err = p.deliver(&body, &sig).await.unwrap_err();
    assert!(matches!(err, ServerError::Webhook(WebhookError::Unavailable(_))), "{err:?}");
    let app = server::router(p.state.clone());
    let reply = common::http::post_raw(&app, "/webhooks/stripe", &body, &[(SIGNATURE_HEADER, &sig)]).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(p.status().await, Status::Pending);
    p.fake.set_down(false);
    let reply = common::http::post_raw(&app, "/webhooks/stripe", &body, &[(SIGNATURE_HEADER, &sig)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(p.status().await, Status::Paid);
}

/// The return page asks Stripe before the webhook comes: paid once, and
/// the webhook after it is a no-op.
async fn the_return_page_and_the_webhook_fulfil_once(backend: Backend) {
    let p = paying(backend).await;
    p.pay();
    let stripe = p.state.payments.get("stripe").unwrap().clone();
    // As the order page does: ask, then run the effects of what it found.
    let r = orders::refresh_from_provider(&p.state.db, stripe.as_ref(), p.order_id, Utc::now()).await.unwrap();
    assert!(matches!(r, EventResult::Paid(_)), "{r:?}");
    app::orders::effects::after_event(&p.state, &r).await;
    let (body, sig) = p.event("evt_after_return", "checkout.session.completed");
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Ignored);
    assert_eq!(p.t.mails().iter().filter(|m| m.contains(&p.number)).count(), 1);
}

/// With Stripe on, checkout offers it, and pages let a form post be
/// redirected to Stripe's hosted page (CSP `form-action`), and nowhere else.
async fn checkout_offers_stripe_and_may_send_the_shopper_there(backend: Backend) {
    let (_t, state, fake) = store(backend).await;
    assert!(state.payments.choices().iter().any(|(id, label)| id == "stripe" && label == "Card (Stripe)"));
    let app = server::router(state);
    let home = common::http::page(&app, "/", &[]).await;
    let csp = home.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {};", fake.origin())), "{csp}");
}

/// An admin cancels a paid Stripe order while Stripe cannot be reached:
/// the refund stays requested and nothing is lost; the sweeper asks again
/// once Stripe is back, and Stripe refunds it once, with the order's key.
async fn a_cancel_while_stripe_is_down_is_refunded_later(backend: Backend) {
    use app::orders::fulfilment::{StatusChange, change_status, retry_refunds};
    use entity::order::RefundStatus;
    let p = paying(backend).await;
    p.pay();
    let (body, sig) = p.event("evt_paid_for_cancel", "checkout.session.completed");
    assert!(matches!(p.deliver(&body, &sig).await.unwrap(), EventResult::Paid(_)));
    p.fake.set_down(true);
    let change = StatusChange { from: Status::Paid, to: Status::Cancelled, note: None, tracking: None };
    let changed = change_status(&p.state.db, &p.state.payments, &p.number, &change, 1, Utc::now()).await.unwrap();
    assert!(changed.returned_stock);
    assert_eq!(changed.refund, Some(RefundStatus::Requested), "owed, not lost");
    assert_eq!(retry_refunds(&p.state.db, &p.state.payments, Utc::now()).await.unwrap(), 0, "still down");
    assert_eq!(p.fake.refunds(), 0);

    p.fake.set_down(false);
    assert_eq!(retry_refunds(&p.state.db, &p.state.payments, Utc::now()).await.unwrap(), 1);
    assert_eq!(retry_refunds(&p.state.db, &p.state.payments, Utc::now()).await.unwrap(), 0, "nothing left to ask");
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.refund_status), (Status::Cancelled, Some(RefundStatus::Refunded)));
    assert!(o.refund_reference.as_deref().is_some_and(|r| r.starts_with("re_")), "{o:?}");
    assert_eq!(p.fake.refunds(), 1, "one refund at Stripe");
    let keys: Vec<_> =
        p.fake.calls().into_iter().filter(|c| c.path == "/v1/refunds").filter_map(|c| c.idempotency_key).collect();
    assert!(
        !keys.is_empty() && keys.iter().all(|k| k == &format!("octablitz-refund-{}-cancelled", p.number)),
        "{keys:?}"
    );
}

/// A paid session is refunded through its PaymentIntent, once per key
/// (also when the first reply was lost); more than was paid, or an unpaid
/// session, is refused.
async fn refunds_are_idempotent_and_bounded(backend: Backend) {
    let p = paying(backend).await;
    let stripe = p.state.payments.get("stripe").unwrap().clone();
    let total = order(&p.t, p.order_id).await;
    let total = app::money::Money::usd(total.total_minor);
    assert!(
        matches!(stripe.refund(&p.session, total, "r1").await, Err(app::payments::PaymentError::Refused(_))),
        "unpaid"
    );
    p.pay();
    p.fake.drop_next_reply();
    let first = stripe.refund(&p.session, total, "r1").await.unwrap();
    assert_eq!(first.status, app::payments::RefundStatus::Succeeded);
    assert_eq!(stripe.refund(&p.session, total, "r1").await.unwrap(), first, "the same refund again");
    assert_eq!(p.fake.refunds(), 1, "one refund at Stripe");
    let refund_calls: Vec<_> = p.fake.calls().into_iter().filter(|c| c.path == "/v1/refunds").collect();
    assert!(
        refund_calls.len() >= 3
            && refund_calls.iter().all(|c| c.idempotency_key.as_deref() == Some("octablitz-refund-r1"))
    );
    assert_eq!(refund_calls[0].get("payment_intent").map(|s| s.starts_with("pi_test_")), Some(true));
    assert_eq!(refund_calls[0].get("amount"), Some(total.minor().to_string().as_str()));
    assert_eq!(refund_calls[0].get("metadata[order_number]"), Some(p.number.as_str()));
    let more = stripe.refund(&p.session, app::money::Money::usd(1), "r2").await;
    assert!(matches!(more, Err(app::payments::PaymentError::Refused(_))), "nothing left to refund: {more:?}");
}

/// Paying again a while later (after a declined card, the session still
/// open) goes back to the same session: nothing is created again, so no
/// second request goes out under the idempotency key with a later expiry
/// (which Stripe refuses); a session that is over is not gone back to.
async fn paying_again_goes_back_to_the_open_session(backend: Backend) {
    let p = paying(backend).await;
    let first = p.fake.session(&p.session).url_on(&p.fake);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(open(&p.state, p.order_id).await.unwrap(), first);
    let creates = p.fake.calls().iter().filter(|c| c.method == "POST" && c.path == "/v1/checkout/sessions").count();
    assert_eq!(creates, 1, "made once");
    p.fake.update(&p.session, |s| s.status = "expired");
    let again = open(&p.state, p.order_id).await;
    assert!(again.is_err(), "an expired session is not resumed, and Stripe refuses the key with other parameters");
}

on_both_backends!(
    paying_again_goes_back_to_the_open_session,
    refunds_are_idempotent_and_bounded,
    a_cancel_while_stripe_is_down_is_refunded_later,
    checkout_offers_stripe_and_may_send_the_shopper_there,
    the_session_is_made_from_the_snapshot,
    a_lost_reply_is_resent_with_the_same_key,
    stripe_down_at_checkout_is_a_clear_error,
    a_completed_session_pays_once,
    concurrent_events_fulfil_once,
    forged_and_stale_events_change_nothing,
    facts_come_from_stripe_not_from_the_event,
    a_foreign_currency_is_held,
    events_never_move_an_order_backwards,
    stripe_unreachable_during_a_webhook_is_a_503,
    the_return_page_and_the_webhook_fulfil_once,
);
