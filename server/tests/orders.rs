//! Placing orders, stock holds and payment events, on the embedded SQLite
//! and on the real PostgreSQL: real transactions, real concurrency.

mod common;

use std::sync::Arc;

use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::config::CheckoutConfig;
use app::error::ServerError;
use app::money::Money;
use app::orders::server::{self as orders, CheckoutProblem, EventResult, Party, PlaceOrder, Viewer};
use app::payments::stub::{SIGNATURE_HEADER, StubAction};
use app::payments::{PaymentRequest, WebhookError};
use app::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};
use common::{Backend, TestDb, address};
use entity::order::OrderStatus as Status;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const SECRET: [u8; 32] = [7; 32];

fn request(email: &str, key: &str, lines: &[(i32, u32)]) -> PlaceOrder {
    PlaceOrder {
        party: Party { user_id: None, email: email.into() },
        lines: lines.iter().map(|&(product_id, quantity)| LineRequest { product_id, quantity }).collect(),
        address: address(),
        shipping: ShippingMethod::Standard,
        provider: "stub".into(),
        checkout_key: key.into(),
        expected_subtotal: None,
        client_ip: None,
    }
}

async fn set_stock(t: &TestDb, product: i32, stock: i32) {
    t.db.execute_unprepared(&format!("UPDATE products SET stock = {stock} WHERE id = {product}")).await.unwrap();
}

async fn stock(t: &TestDb, product: i32) -> i32 {
    entity::product::Entity::find_by_id(product).one(&t.db).await.unwrap().unwrap().stock
}

async fn price(t: &TestDb, product: i32) -> i64 {
    entity::product::Entity::find_by_id(product).one(&t.db).await.unwrap().unwrap().price_cents
}

async fn order(t: &TestDb, id: i32) -> entity::order::Model {
    entity::order::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap()
}

fn rules() -> CheckoutConfig {
    CheckoutConfig::default()
}

async fn place_snapshots_lines_and_holds_stock(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 5).await;
    set_stock(&t, 2, 5).await;
    let now = Utc::now();
    let placed =
        orders::place(&t.db, &rules(), &SECRET, &request("zoe@example.com", "k1", &[(1, 2), (2, 1), (1, 1)]), now)
            .await
            .unwrap();
    assert!(placed.is_new);
    assert!(orders::is_order_number(&placed.number), "{}", placed.number);
    assert_eq!((stock(&t, 1).await, stock(&t, 2).await), (2, 4), "stock held at once");
    let expected_sub = price(&t, 1).await * 3 + price(&t, 2).await;
    let shipping = if expected_sub >= rules().free_from_cents { 0 } else { rules().standard_cents };
    assert_eq!(placed.total, Money::usd(expected_sub + shipping));
    let o = order(&t, placed.id).await;
    assert_eq!((o.status, o.stock_held, o.currency.as_str()), (Status::Pending, true, "USD"));
    assert_eq!(o.hold_expires_at.timestamp(), (now + Duration::seconds(900)).timestamp());

    // A later price change never reaches the order.
    t.db.execute_unprepared("UPDATE products SET price_cents = price_cents * 2, name = 'Renamed' WHERE id = 1")
        .await
        .unwrap();
    let view = orders::view_for(&t.db, &placed.number, &[Viewer::Key(placed.access_key.clone())], &Default::default())
        .await
        .unwrap();
    let line = view.lines.iter().find(|l| l.product_id == 1).unwrap();
    assert_eq!(line.quantity, 3, "repeated products are one line");
    assert_ne!(line.name, "Renamed");
    assert_eq!(line.unit_price.minor() * 2, price(&t, 1).await);
    assert_eq!(view.total, placed.total);
    assert_eq!(view.address.name, "Zoë Ångström");
    assert!(view.pay_by.is_some());
    // The browser reads the view back while hydrating the order page.
    let wire = serde_json::to_string(&view).unwrap();
    assert_eq!(serde_json::from_str::<app::orders::domain::OrderView>(&wire).unwrap(), view, "{wire}");
}

async fn two_hundred_shoppers_for_ten_units(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 3, 10).await;
    let db = t.db.clone();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200 {
        let db = db.clone();
        tasks.spawn(async move {
            let req = request(&format!("shopper{i}@example.com"), &format!("key-{i}"), &[(3, 1)]);
            orders::place(&db, &rules(), &SECRET, &req, Utc::now()).await
        });
    }
    let (mut placed, mut sold_out, mut other) = (0, 0, Vec::new());
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            Ok(_) => placed += 1,
            Err(ServerError::Checkout(CheckoutProblem::SoldOut { .. } | CheckoutProblem::OutOfStock { .. })) => {
                sold_out += 1
            }
            Err(e) => other.push(format!("{e:?}")),
        }
    }
    assert!(other.is_empty(), "no other failure: {other:?}");
    assert_eq!((placed, sold_out), (10, 190));
    assert_eq!(stock(&t, 3).await, 0, "never below zero");
    let held =
        entity::order::Entity::find().filter(entity::order::Column::StockHeld.eq(true)).count(&t.db).await.unwrap();
    assert_eq!(held, 10);
    let lines: i64 =
        entity::order_line::Entity::find().all(&t.db).await.unwrap().iter().map(|l| l.quantity as i64).sum();
    assert_eq!(lines, 10, "no line of a failed placement was kept");
}

async fn the_same_checkout_attempt_makes_one_order(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 50).await;
    let first = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "same", &[(1, 1)]), Utc::now())
        .await
        .unwrap();
    // Resubmitted, then double-clicked ten times at once.
    let again = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "same", &[(1, 1)]), Utc::now())
        .await
        .unwrap();
    assert_eq!((again.id, again.is_new, &again.access_key), (first.id, false, &first.access_key));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let db = t.db.clone();
        tasks.spawn(async move {
            orders::place(&db, &rules(), &SECRET, &request("a@example.com", "same", &[(1, 1)]), Utc::now()).await
        });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap().unwrap().id, first.id);
    }
    assert_eq!(entity::order::Entity::find().count(&t.db).await.unwrap(), 1);
    assert_eq!(stock(&t, 1).await, 49, "held once");
    // Someone else presenting that checkout key learns nothing.
    let err = orders::place(&t.db, &rules(), &SECRET, &request("b@example.com", "same", &[(1, 1)]), Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::Conflict), "{err:?}");
}

async fn one_short_line_reserves_nothing(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 5).await;
    set_stock(&t, 2, 1).await;
    let name = entity::product::Entity::find_by_id(2).one(&t.db).await.unwrap().unwrap().name;
    let err = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[(1, 2), (2, 3)]), Utc::now())
        .await
        .unwrap_err();
    match err {
        ServerError::Checkout(p @ CheckoutProblem::OutOfStock { product_id: 2, available: 1, .. }) => {
            assert!(p.to_string().contains(&name), "{p}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((stock(&t, 1).await, stock(&t, 2).await), (5, 1), "nothing reserved");
    assert_eq!(entity::order::Entity::find().count(&t.db).await.unwrap(), 0, "no order left behind");
    // Inactive and unknown products are named too.
    t.db.execute_unprepared("UPDATE products SET active = false WHERE id = 2").await.unwrap();
    let err = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[(2, 1)]), Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::Checkout(CheckoutProblem::Unavailable { product_id: 2, .. })), "{err:?}");
    let err = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[(99_999, 1)]), Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::Checkout(CheckoutProblem::Unavailable { .. })), "{err:?}");
    let err = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[(1, 11)]), Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::Checkout(CheckoutProblem::TooMany)), "{err:?}");
    let err =
        orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[]), Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Checkout(CheckoutProblem::EmptyCart)), "{err:?}");
}

async fn a_total_the_shopper_was_not_shown_is_not_placed(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 5).await;
    let mut req = request("a@example.com", "k", &[(1, 1)]);
    req.expected_subtotal = Some(Money::usd(1));
    let err = orders::place(&t.db, &rules(), &SECRET, &req, Utc::now()).await.unwrap_err();
    let ServerError::Checkout(CheckoutProblem::TotalChanged { now }) = err else { panic!("{err:?}") };
    assert_eq!(stock(&t, 1).await, 5);
    assert_eq!(now.minor(), price(&t, 1).await, "the subtotal now");
    req.expected_subtotal = Some(now);
    orders::place(&t.db, &rules(), &SECRET, &req, Utc::now()).await.unwrap();
}

async fn a_new_order_replaces_the_unpaid_one(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 5).await;
    set_stock(&t, 2, 5).await;
    let first =
        orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k1", &[(1, 3)]), Utc::now()).await.unwrap();
    assert_eq!(stock(&t, 1).await, 2);
    // The shopper went back and changed the cart: a fresh order, the old hold released.
    let second =
        orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k2", &[(1, 4), (2, 1)]), Utc::now())
            .await
            .unwrap();
    assert_ne!(first.id, second.id);
    let old = order(&t, first.id).await;
    assert_eq!((old.status, old.stock_held), (Status::Cancelled, false));
    assert_eq!((stock(&t, 1).await, stock(&t, 2).await), (1, 4), "3 back, 4 taken");
    // Another shopper's unpaid order is not touched.
    let other =
        orders::place(&t.db, &rules(), &SECRET, &request("b@example.com", "k3", &[(2, 1)]), Utc::now()).await.unwrap();
    assert_eq!(order(&t, second.id).await.status, Status::Pending);
    assert_eq!(order(&t, other.id).await.status, Status::Pending);
}

async fn holds_per_client_address_are_limited(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 50).await;
    let rules = CheckoutConfig { max_pending_per_ip: 2, ..CheckoutConfig::default() };
    for i in 0..2 {
        let mut req = request(&format!("g{i}@example.com"), &format!("k{i}"), &[(1, 1)]);
        req.client_ip = Some("203.0.113.9".into());
        orders::place(&t.db, &rules, &SECRET, &req, Utc::now()).await.unwrap();
    }
    let mut req = request("g9@example.com", "k9", &[(1, 1)]);
    req.client_ip = Some("203.0.113.9".into());
    let err = orders::place(&t.db, &rules, &SECRET, &req, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Checkout(CheckoutProblem::TooManyPending { limit: 2 })), "{err:?}");
    assert_eq!(stock(&t, 1).await, 48);
    req.client_ip = Some("198.51.100.1".into());
    orders::place(&t.db, &rules, &SECRET, &req, Utc::now()).await.unwrap();
}

async fn expired_holds_return_their_stock_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, 5).await;
    let now = Utc::now();
    let placed = orders::place(&t.db, &rules(), &SECRET, &request("a@example.com", "k", &[(1, 2)]), now).await.unwrap();
    assert_eq!(orders::expire_holds(&t.db, now + Duration::seconds(899)).await.unwrap(), 0, "not yet");
    assert_eq!(stock(&t, 1).await, 3);
    // Three sweepers (three app servers) at once.
    let later = now + Duration::seconds(901);
    let (a, b, c) = tokio::join!(
        orders::expire_holds(&t.db, later),
        orders::expire_holds(&t.db, later),
        orders::expire_holds(&t.db, later)
    );
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 1);
    assert_eq!(stock(&t, 1).await, 5, "returned exactly once");
    let o = order(&t, placed.id).await;
    assert_eq!((o.status, o.stock_held), (Status::Cancelled, false));
    assert!(o.cancel_reason.unwrap().contains("did not arrive in time"));
    assert_eq!(orders::expire_holds(&t.db, later).await.unwrap(), 0);
    assert_eq!(stock(&t, 1).await, 5);
}

// ------------------------------------------------------------ Webhooks ---

/// A store with the stub, an order placed and its hosted payment created.
struct Paying {
    t: TestDb,
    state: AppState,
    order_id: i32,
    reference: String,
    amount: Money,
}

async fn paying(backend: Backend, stock_left: i32, quantity: u32) -> Paying {
    let t = TestDb::new(backend).await;
    set_stock(&t, 1, stock_left).await;
    let state = t.state().await;
    let placed = orders::place(
        &state.db,
        &state.config.checkout,
        &state.order_link_secret(),
        &request("payer@example.com", "pay-key", &[(1, quantity)]),
        Utc::now(),
    )
    .await
    .unwrap();
    let stub = state.payments.get("stub").unwrap().clone();
    let order = entity::order::Entity::find_by_id(placed.id).one(&state.db).await.unwrap().unwrap();
    let request: PaymentRequest = app::checkout::server::payment_request(&state.db, "http://x", &order).await.unwrap();
    assert_eq!(request.amount, placed.total);
    assert!(request.lines_add_up(), "{request:?}");
    let hosted = stub.create_payment(&request).await.unwrap();
    orders::set_provider_ref(&state.db, placed.id, &hosted.reference).await.unwrap();
    Paying { t, state, order_id: placed.id, reference: hosted.reference, amount: placed.total }
}

fn signed(sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(SIGNATURE_HEADER, HeaderValue::from_str(sig).unwrap());
    h
}

impl Paying {
    /// The webhook the stub sends for `action`.
    fn event(&self, action: StubAction) -> (Vec<u8>, String) {
        self.state.payments.stub().unwrap().act(&self.reference, action, Utc::now().timestamp()).unwrap()
    }

    async fn deliver(&self, body: &[u8], sig: &str) -> Result<EventResult, ServerError> {
        server::webhooks::handle(&self.state, "stub", &signed(sig), body, Utc::now()).await
    }

    async fn status(&self) -> Status {
        order(&self.t, self.order_id).await.status
    }

    async fn inbox(&self) -> u64 {
        entity::payment_event::Entity::find().count(&self.t.db).await.unwrap()
    }
}

async fn forged_and_stale_webhooks_change_nothing(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let (body, sig) = p.event(StubAction::Pay);
    let now = Utc::now();
    let stub = p.state.payments.stub().unwrap();
    let wrong = app::payments::signature::sign(b"not-the-secret", now.timestamp(), &body);
    let mut flipped = body.clone();
    flipped[10] ^= 1;
    let cases: Vec<(&str, Vec<u8>, HeaderMap, WebhookError)> = vec![
        ("wrong secret", body.clone(), signed(&wrong), WebhookError::BadSignature),
        ("flipped byte", flipped, signed(&sig), WebhookError::BadSignature),
        ("missing header", body.clone(), HeaderMap::new(), WebhookError::MissingSignature),
        ("v0 only", body.clone(), signed(&sig.replace("v1=", "v0=")), WebhookError::BadSignature),
        ("301 s old", body.clone(), signed(&stub.sign(&body, now.timestamp() - 301)), WebhookError::Stale),
        ("301 s ahead", body.clone(), signed(&stub.sign(&body, now.timestamp() + 301)), WebhookError::Stale),
    ];
    for (what, body, headers, expected) in cases {
        let err = server::webhooks::handle(&p.state, "stub", &headers, &body, now).await.unwrap_err();
        match err {
            ServerError::Webhook(e) => assert_eq!(e, expected, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    assert_eq!(p.status().await, Status::Pending, "nothing applied");
    // Each refusal is in the inbox as refused, naming no order.
    let rows = entity::payment_event::Entity::find().all(&p.t.db).await.unwrap();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r.outcome == entity::payment_event::EventOutcome::Refused && r.order_id.is_none()));
    // An injected clock: 299 s either way is still accepted.
    let old = stub.sign(&body, now.timestamp() - 299);
    let r = server::webhooks::handle(&p.state, "stub", &signed(&old), &body, now).await.unwrap();
    assert!(matches!(r, EventResult::Paid(_)), "{r:?}");
    let (body2, _) = (body.clone(), ());
    let ahead = stub.sign(&body2, now.timestamp() + 299);
    let r = server::webhooks::handle(&p.state, "stub", &signed(&ahead), &body2, now).await.unwrap();
    assert_eq!(r, EventResult::Duplicate);
    // An unknown provider is a 404.
    let err = server::webhooks::handle(&p.state, "nope", &signed(&sig), &body, now).await.unwrap_err();
    assert!(matches!(err, ServerError::NotFound));
}

async fn a_payment_delivered_ten_times_counts_once(backend: Backend) {
    let p = paying(backend, 5, 2).await;
    let (body, sig) = p.event(StubAction::Pay);
    let mut results = Vec::new();
    for _ in 0..10 {
        results.push(p.deliver(&body, &sig).await.unwrap());
    }
    let paid = results.iter().filter(|r| matches!(r, EventResult::Paid(_))).count();
    assert_eq!(paid, 1);
    assert!(results[1..].iter().all(|r| *r == EventResult::Duplicate));
    let state = Arc::new(p);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (p, body, sig) = (state.clone(), body.clone(), sig.clone());
        tasks.spawn(async move { p.deliver(&body, &sig).await.unwrap() });
    }
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap(), EventResult::Duplicate);
    }
    let p = state;
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.stock_held), (Status::Paid, true));
    assert!(o.paid_at.is_some() && o.fulfilled_at.is_some());
    assert_eq!(stock(&p.t, 1).await, 3, "one stock move, at placement");
    assert_eq!(p.inbox().await, 1);
    // Every delivery counted on the one row, the racing ones too.
    let row = entity::payment_event::Entity::find().one(&p.t.db).await.unwrap().unwrap();
    assert_eq!(row.deliveries, 20);
    let mails = p.t.mails();
    assert_eq!(mails.len(), 1, "one confirmation");
    assert!(mails[0].contains(&o.number));
}

async fn concurrent_first_deliveries_fulfil_once(backend: Backend) {
    let p = Arc::new(paying(backend, 5, 1).await);
    let (body, sig) = p.event(StubAction::Pay);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (p, body, sig) = (p.clone(), body.clone(), sig.clone());
        tasks.spawn(async move { p.deliver(&body, &sig).await });
    }
    // The return page asks the provider at the same moment.
    let refresh = {
        let p = p.clone();
        tokio::spawn(async move {
            let stub = p.state.payments.get("stub").unwrap().clone();
            orders::refresh_from_provider(&p.state.db, stub.as_ref(), p.order_id, Utc::now()).await
        })
    };
    let mut paid = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap().unwrap() {
            EventResult::Paid(_) => paid += 1,
            EventResult::Duplicate | EventResult::Ignored => {}
            other => panic!("{other:?}"),
        }
    }
    if let EventResult::Paid(_) = refresh.await.unwrap().unwrap() {
        paid += 1
    }
    assert_eq!(paid, 1, "one fulfilment between the webhook and the return page");
    assert_eq!(p.status().await, Status::Paid);
}

async fn a_failure_after_payment_keeps_it_paid(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let (paid_body, paid_sig) = p.event(StubAction::Pay);
    // A failure event for the same payment (signed by the stub's key) arriving late.
    let failed = br#"{"id":"evt_late_fail","type":"payment.failed","created":0,"data":{"payment":"REF","order":"x","amount":1,"currency":"USD"}}"#
        .to_vec();
    let failed = String::from_utf8(failed).unwrap().replace("REF", &p.reference).into_bytes();
    let failed_sig = p.state.payments.stub().unwrap().sign(&failed, Utc::now().timestamp());
    assert!(matches!(p.deliver(&paid_body, &paid_sig).await.unwrap(), EventResult::Paid(_)));
    assert_eq!(p.deliver(&failed, &failed_sig).await.unwrap(), EventResult::Ignored);
    assert_eq!(p.status().await, Status::Paid, "never backwards");
    // An expiry after payment neither.
    let expired = String::from_utf8(failed.clone())
        .unwrap()
        .replace("payment.failed", "payment.expired")
        .replace("evt_late_fail", "evt_late_exp")
        .into_bytes();
    let sig = p.state.payments.stub().unwrap().sign(&expired, Utc::now().timestamp());
    assert_eq!(p.deliver(&expired, &sig).await.unwrap(), EventResult::Ignored);
    assert_eq!(p.status().await, Status::Paid);
    assert_eq!(stock(&p.t, 1).await, 4);
}

async fn a_failed_payment_keeps_the_order_open(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let (body, sig) = p.event(StubAction::Fail);
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Applied);
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.stock_held), (Status::Pending, true), "the shopper may try again");
    assert!(p.t.mails().is_empty());
}

async fn a_wrong_amount_is_held_for_review(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let body = format!(
        r#"{{"id":"evt_short","type":"payment.succeeded","created":0,"data":{{"payment":"{}","order":"x","amount":{},"currency":"USD"}}}}"#,
        p.reference,
        p.amount.minor() - 1
    )
    .into_bytes();
    let sig = p.state.payments.stub().unwrap().sign(&body, Utc::now().timestamp());
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Held);
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.stock_held, o.paid_at), (Status::Held, true, None));
    assert!(o.review_reason.unwrap().contains("check before fulfilling"));
    assert!(p.t.mails().is_empty(), "no confirmation for a held order");
    // The hold on stock stays for the review: the sweeper leaves held orders alone.
    assert_eq!(orders::expire_holds(&p.t.db, Utc::now() + Duration::hours(2)).await.unwrap(), 0);
    assert_eq!(stock(&p.t, 1).await, 4);
}

async fn an_expired_event_twice_returns_stock_once(backend: Backend) {
    let p = paying(backend, 5, 2).await;
    let (body, sig) = p.event(StubAction::Expire);
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Applied);
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Duplicate);
    // And the sweeper after it finds nothing to do.
    assert_eq!(orders::expire_holds(&p.t.db, Utc::now() + Duration::hours(2)).await.unwrap(), 0);
    assert_eq!(stock(&p.t, 1).await, 5);
    assert_eq!(p.status().await, Status::Cancelled);
}

async fn a_payment_after_the_hold_ended(backend: Backend) {
    // Stock still there: taken again, the order is paid.
    let p = paying(backend, 5, 2).await;
    orders::expire_holds(&p.t.db, Utc::now() + Duration::hours(1)).await.unwrap();
    assert_eq!(stock(&p.t, 1).await, 5);
    let (body, sig) = p.event(StubAction::Pay);
    assert!(matches!(p.deliver(&body, &sig).await.unwrap(), EventResult::Paid(_)));
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.stock_held), (Status::Paid, true));
    assert_eq!(stock(&p.t, 1).await, 3);

    // Stock gone meanwhile: held for a refund, nothing oversold.
    let p = paying(backend, 2, 2).await;
    orders::expire_holds(&p.t.db, Utc::now() + Duration::hours(1)).await.unwrap();
    set_stock(&p.t, 1, 1).await; // someone else bought one
    let (body, sig) = p.event(StubAction::Pay);
    assert_eq!(p.deliver(&body, &sig).await.unwrap(), EventResult::Held);
    let o = order(&p.t, p.order_id).await;
    assert_eq!((o.status, o.stock_held), (Status::Held, false));
    let product = entity::product::Entity::find_by_id(1).one(&p.t.db).await.unwrap().unwrap();
    let reason = o.review_reason.unwrap();
    assert!(reason.contains("refund"), "{reason}");
    assert!(reason.contains(&product.name) && reason.contains(&product.sku), "names the product: {reason}");
    assert_eq!(stock(&p.t, 1).await, 1, "not oversold");
}

async fn orders_are_shown_to_their_owner_only(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let o = order(&p.t, p.order_id).await;
    let payments = p.state.payments.as_ref();
    let key = orders::access_key(&p.state.order_link_secret(), "pay-key");
    assert!(orders::view_for(&p.t.db, &o.number, &[Viewer::Key(key.clone())], payments).await.is_ok());
    // Any one viewer that may see it is enough, in any position.
    let others = [Viewer::User(1), Viewer::Key("0".repeat(40))];
    let with_key = [others[0].clone(), others[1].clone(), Viewer::Key(key.clone())];
    assert!(orders::view_for(&p.t.db, &o.number, &with_key, payments).await.is_ok());
    for viewers in [vec![Viewer::Key("0".repeat(40))], vec![Viewer::Key(String::new())], others.to_vec(), vec![]] {
        let err = orders::view_for(&p.t.db, &o.number, &viewers, payments).await.unwrap_err();
        assert!(matches!(err, ServerError::NotFound), "{viewers:?}: {err:?}");
    }
    for number in ["OB-0000-0000-0000", "1", "../etc", ""] {
        let err = orders::view_for(&p.t.db, number, &[Viewer::Key(key.clone())], payments).await.unwrap_err();
        assert!(matches!(err, ServerError::NotFound), "{number}");
    }
}

/// The stub refunds a paid payment once per key and never more than was paid.
async fn the_stub_refunds_once_and_never_more_than_paid(backend: Backend) {
    let p = paying(backend, 5, 1).await;
    let stub = p.state.payments.get("stub").unwrap().clone();
    let unpaid = stub.refund(&p.reference, p.amount, "k").await;
    assert!(matches!(unpaid, Err(app::payments::PaymentError::Refused(_))), "{unpaid:?}");
    let (body, sig) = p.event(StubAction::Pay);
    assert!(matches!(p.deliver(&body, &sig).await.unwrap(), EventResult::Paid(_)));
    let first = stub.refund(&p.reference, p.amount, "k").await.unwrap();
    assert_eq!(stub.refund(&p.reference, p.amount, "k").await.unwrap(), first, "the same refund again");
    let more = stub.refund(&p.reference, Money::usd(1), "k2").await;
    assert!(matches!(more, Err(app::payments::PaymentError::Refused(_))), "{more:?}");
}

on_both_backends!(
    the_stub_refunds_once_and_never_more_than_paid,
    place_snapshots_lines_and_holds_stock,
    two_hundred_shoppers_for_ten_units,
    the_same_checkout_attempt_makes_one_order,
    one_short_line_reserves_nothing,
    a_total_the_shopper_was_not_shown_is_not_placed,
    a_new_order_replaces_the_unpaid_one,
    holds_per_client_address_are_limited,
    expired_holds_return_their_stock_once,
    forged_and_stale_webhooks_change_nothing,
    a_payment_delivered_ten_times_counts_once,
    concurrent_first_deliveries_fulfil_once,
    a_failure_after_payment_keeps_it_paid,
    a_failed_payment_keeps_the_order_open,
    a_wrong_amount_is_held_for_review,
    an_expired_event_twice_returns_stock_once,
    a_payment_after_the_hold_ended,
    orders_are_shown_to_their_owner_only,
);
