//! Store events on SQLite and PostgreSQL with the real Redis: written to
//! the outbox with the change that causes them, published by the relay
//! through Redis pub/sub, applied once by each subscriber; kept while Redis
//! is cut off and delivered once when it is back; and the same without
//! Redis through the in-process bus.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::events::domain::{Envelope, StoreEvent};
use app::events::{outbox, subscribers};
use app::orders::server::{self as orders, Party, PlaceOrder};
use app::state::AppState;
use chrono::Utc;
use common::{Backend, RedisRelay, TestDb, address};
use sea_orm::ConnectionTrait;
use tokio::sync::broadcast::Receiver;

fn order(i: u32, product: i32, quantity: u32) -> PlaceOrder {
    PlaceOrder {
        party: Party { user_id: None, email: format!("events{i}@example.com") },
        lines: vec![LineRequest { product_id: product, quantity }],
        address: address(),
        shipping: ShippingMethod::Standard,
        provider: "stub".into(),
        checkout_key: format!("events-{i}"),
        expected_subtotal: None,
        client_ip: None,
    }
}

async fn place(state: &AppState, i: u32, product: i32, quantity: u32) -> orders::Placed {
    let req = order(i, product, quantity);
    orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &req, Utc::now()).await.unwrap()
}

/// Everything `rx` receives within `wait`.
async fn drain(rx: &mut Receiver<Envelope>, wait: Duration) -> Vec<Envelope> {
    let mut out = Vec::new();
    while let Ok(Ok(e)) = tokio::time::timeout(wait, rx.recv()).await {
        out.push(e);
    }
    out
}

async fn wait_ready(state: &AppState) {
    for _ in 0..100 {
        if state.events.ready() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the event bus never became ready");
}

/// A subscriber that counts what it applied, failing its first `fail` tries.
struct Counting {
    name: &'static str,
    applied: AtomicU32,
    fail: AtomicU32,
}

#[async_trait::async_trait]
impl subscribers::Subscriber for Counting {
    fn name(&self) -> &'static str {
        self.name
    }
    fn wants(&self, e: &StoreEvent) -> bool {
        matches!(e, StoreEvent::OrderPlaced { .. })
    }
    async fn handle(&self, _: &Envelope) -> Result<(), ServerError> {
        if self.fail.load(Ordering::SeqCst) > 0 {
            self.fail.fetch_sub(1, Ordering::SeqCst);
            return Err(ServerError::Internal("not now".into()));
        }
        self.applied.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn shop_with_redis(backend: Backend, url: String) -> (TestDb, AppState) {
    let mut t = TestDb::new(backend).await;
    t.config.redis_url = Some(url.into());
    t.config.redis_prefix = common::redis_prefix();
    let state = t.state().await;
    (t, state)
}

/// An order that takes a product under its threshold: its events are in
/// the outbox at commit, go through Redis in order, and a subscriber
/// applies each once, however often it is delivered.
async fn outbox_to_redis_to_subscriber(backend: Backend) {
    let (t, state) = shop_with_redis(backend, common::redis_url()).await;
    t.db.execute_unprepared("UPDATE products SET stock = 4, low_stock_threshold = 3 WHERE id = 5").await.unwrap();
    wait_ready(&state).await;
    let mut rx = state.events.subscribe();
    let placed = place(&state, 1, 5, 2).await;
    assert_eq!(outbox::waiting(&state.db).await.unwrap(), 2, "placed and low stock, written with the order");
    assert_eq!(outbox::relay_once(&state.db, &state.events, 100).await.unwrap(), 2);
    assert_eq!(outbox::waiting(&state.db).await.unwrap(), 0);
    let got = drain(&mut rx, Duration::from_secs(2)).await;
    let kinds: Vec<&str> = got.iter().map(|e| e.event.kind()).collect();
    // In the order they were written: the stock moves before the order is complete.
    assert_eq!(kinds, ["stock_low", "order_placed"], "{got:?}");
    assert!(matches!(&got[0].event, StoreEvent::StockLow { product_id: 5, stock: 2, threshold: 3, .. }));
    assert!(matches!(&got[1].event, StoreEvent::OrderPlaced { number, .. } if *number == placed.number));
    let (low, placed_event) = (got[0].clone(), got[1].clone());

    // Applied once, also when it arrives again (a second relay), and a
    // failing subscriber retries and then applies it.
    let sub = Counting { name: "test-flaky", applied: AtomicU32::new(0), fail: AtomicU32::new(2) };
    assert!(subscribers::apply(&state.db, &sub, &placed_event).await.unwrap());
    assert!(!subscribers::apply(&state.db, &sub, &placed_event).await.unwrap());
    assert!(!subscribers::apply(&state.db, &sub, &low).await.unwrap(), "not an event it wants");
    assert_eq!(sub.applied.load(Ordering::SeqCst), 1);

    // The shop's mail for the order, once.
    let mail = subscribers::OrderPlacedMail {
        mailer: state.mailer.clone(),
        to: state.config.shop_email.clone(),
        public_url: state.config.public_url.clone(),
    };
    assert!(subscribers::apply(&state.db, &mail, &placed_event).await.unwrap());
    assert!(!subscribers::apply(&state.db, &mail, &placed_event).await.unwrap());
    let mails: Vec<String> =
        t.mails().into_iter().filter(|m| m.contains(&format!("New order {}", placed.number))).collect();
    assert_eq!(mails.len(), 1, "one mail to the shop");
    assert!(mails[0].contains("orders@octablitz.local"));

    // A subscriber that keeps failing gives its claim back: a later delivery applies it.
    let stubborn =
        Counting { name: "test-stubborn", applied: AtomicU32::new(0), fail: AtomicU32::new(subscribers::ATTEMPTS) };
    assert!(subscribers::apply(&state.db, &stubborn, &placed_event).await.is_err());
    assert!(subscribers::apply(&state.db, &stubborn, &placed_event).await.unwrap());
    assert_eq!(stubborn.applied.load(Ordering::SeqCst), 1);
}

/// Redis cut off: changes still commit and their events wait in the
/// outbox; when Redis is back, each is delivered once, in order.
async fn redis_cut_then_restored_delivers_each_once(backend: Backend) {
    let mut relay = RedisRelay::start().await;
    let (t, state) = shop_with_redis(backend, relay.url()).await;
    t.db.execute_unprepared("UPDATE products SET stock = 50 WHERE id IN (6, 7)").await.unwrap();
    wait_ready(&state).await;
    let mut rx = state.events.subscribe();
    relay.stop().await;
    let a = place(&state, 2, 6, 1).await;
    let b = place(&state, 3, 7, 1).await;
    assert!(outbox::relay_once(&state.db, &state.events, 100).await.is_err(), "nothing can be published");
    assert_eq!(outbox::waiting(&state.db).await.unwrap(), 4, "two orders and their stock changes: kept, not lost");
    assert!(drain(&mut rx, Duration::from_millis(300)).await.is_empty());

    relay.restart().await;
    wait_ready(&state).await;
    // The relay as it runs in the server, until the outbox is empty.
    let task = tokio::spawn(outbox::run_relay(state.db.clone(), state.events.clone(), Duration::from_millis(50)));
    let got = drain(&mut rx, Duration::from_secs(3)).await;
    task.abort();
    let numbers: Vec<String> = got
        .iter()
        .filter_map(|e| match &e.event {
            StoreEvent::OrderPlaced { number, .. } => Some(number.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(numbers, [a.number, b.number], "each once, in order: {got:?}");
    assert_eq!(outbox::waiting(&state.db).await.unwrap(), 0);
}

/// Without Redis the same events flow through the in-process bus, and the
/// server's own subscribers (started by `events::start`) act on them.
async fn without_redis_the_bus_is_in_process(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    assert!(matches!(state.events, app::events::bus::EventBus::Local { .. }));
    let mut rx = state.events.subscribe();
    app::events::start(&state);
    let placed = place(&state, 4, 8, 1).await;
    let got = drain(&mut rx, Duration::from_secs(2)).await;
    assert!(got.iter().any(|e| matches!(&e.event, StoreEvent::OrderPlaced { number, .. } if *number == placed.number)));
    let subject = format!("New order {}", placed.number);
    for _ in 0..50 {
        if t.mails().iter().any(|m| m.contains(&subject)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the shop was not mailed");
}

/// Every status change is an event, with the move it made.
async fn status_changes_are_events(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let placed = place(&state, 5, 9, 1).await;
    let change = app::orders::fulfilment::StatusChange {
        from: entity::order::OrderStatus::Pending,
        to: entity::order::OrderStatus::Cancelled,
        note: None,
        tracking: None,
    };
    let mut rx = state.events.subscribe();
    app::orders::fulfilment::change_status(&state.db, &state.payments, &placed.number, &change, 1, Utc::now())
        .await
        .unwrap();
    outbox::relay_once(&state.db, &state.events, 100).await.unwrap();
    let got = drain(&mut rx, Duration::from_millis(500)).await;
    let moved = got.iter().find_map(|e| match &e.event {
        StoreEvent::OrderStatusChanged { number, from, to } if *number == placed.number => Some((*from, *to)),
        _ => None,
    });
    use app::orders::domain::OrderStatus as S;
    assert_eq!(moved, Some((S::Pending, S::Cancelled)), "{got:?}");
}

/// A change that nudges the bus is published at once, not at the relay's
/// next look (here a minute away).
async fn a_nudge_publishes_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let mut rx = state.events.subscribe();
    let task = tokio::spawn(outbox::run_relay(state.db.clone(), state.events.clone(), Duration::from_secs(60)));
    // The relay's first look happens at once; let it pass, empty-handed.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let placed = place(&state, 6, 10, 1).await;
    state.events.nudge();
    let got = drain(&mut rx, Duration::from_millis(1500)).await;
    task.abort();
    assert!(
        got.iter().any(|e| matches!(&e.event, StoreEvent::OrderPlaced { number, .. } if *number == placed.number)),
        "{got:?}"
    );
}

on_both_backends!(
    a_nudge_publishes_at_once,
    outbox_to_redis_to_subscriber,
    redis_cut_then_restored_delivers_each_once,
    without_redis_the_bus_is_in_process,
    status_changes_are_events,
);
