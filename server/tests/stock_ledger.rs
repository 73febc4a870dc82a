//! The stock ledger on SQLite and PostgreSQL: after any sequence of
//! orders, payments, cancels, expired holds and staff adjustments, each
//! product's stock equals the sum of its ledger, and every reservation and
//! release of an order is a row of it.

mod common;

use app::cart::domain::LineRequest;
use app::catalog::stock;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::fulfilment::{StatusChange, change_status};
use app::orders::server::{self as orders, Party, PlaceOrder};
use chrono::{Duration, Utc};
use common::{Backend, TestDb, address};
use entity::order::OrderStatus as Status;
use entity::stock_movement::{self as ledger, StockReason};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PRODUCTS: [i32; 4] = [1, 2, 3, 4];

/// A small deterministic generator: the sequence is the same on every run
/// (and differs per seed), so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn stock_of(t: &TestDb, id: i32) -> i32 {
    entity::product::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap().stock
}

async fn assert_ledger_matches(t: &TestDb, when: &str) {
    for id in PRODUCTS {
        let s = stock_of(t, id).await;
        assert!(s >= 0, "{when}: product {id} below zero");
        assert_eq!(i64::from(s), stock::ledger_sum(&t.db, id).await.unwrap(), "{when}: product {id}");
    }
}

fn order_request(i: u64, lines: Vec<(i32, u32)>) -> PlaceOrder {
    PlaceOrder {
        party: Party { user_id: None, email: format!("shopper{}@example.com", i % 5) },
        lines: lines.into_iter().map(|(product_id, quantity)| LineRequest { product_id, quantity }).collect(),
        address: address(),
        shipping: ShippingMethod::Standard,
        provider: "stub".into(),
        checkout_key: format!("ledger-{i}"),
        expected_subtotal: None,
        client_ip: None,
    }
}

async fn random_sequences_keep_stock_and_ledger_equal(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    assert_ledger_matches(&t, "the opening stock").await;
    let mut rng = Lcg(0x5eed_0000 + backend as u64);
    let mut placed: Vec<(String, i32)> = Vec::new();
    let mut now = Utc::now();
    for step in 0..60_u64 {
        match rng.below(6) {
            // A shopper orders one or two products (often more than is left).
            0..=1 => {
                let lines =
                    (0..=rng.below(2)).map(|_| (PRODUCTS[rng.below(4) as usize], 1 + rng.below(4) as u32)).collect();
                let req = order_request(step, lines);
                match orders::place(&t.db, &state.config.checkout, &state.order_link_secret(), &req, now).await {
                    Ok(p) => placed.push((p.number, p.id)),
                    Err(ServerError::Checkout(_)) => {}
                    Err(e) => panic!("step {step}: {e:?}"),
                }
            }
            // Staff cancel one of them (only pending ones can be, here).
            2 if !placed.is_empty() => {
                let (number, _) = &placed[rng.below(placed.len() as u64) as usize];
                let change = StatusChange { from: Status::Pending, to: Status::Cancelled, note: None, tracking: None };
                match change_status(&t.db, &state.payments, number, &change, 1, now).await {
                    Ok(_) | Err(ServerError::Conflict) => {}
                    Err(e) => panic!("step {step}: {e:?}"),
                }
            }
            // Time passes and holds end.
            3 => {
                now += Duration::minutes(8);
                orders::expire_holds(&t.db, now).await.unwrap();
            }
            // A delivery arrives, or a count corrects the stock, or units break.
            _ => {
                let id = PRODUCTS[rng.below(4) as usize];
                let (reason, delta) = match rng.below(3) {
                    0 => (StockReason::Received, 1 + rng.below(10) as i64),
                    1 => (StockReason::Damaged, -(1 + rng.below(3) as i64)),
                    _ => (StockReason::Correction, rng.below(7) as i64 - 3),
                };
                match stock::adjust(&t.db, id, delta, reason, Some(format!("step {step}")), 1, now).await {
                    Ok(_) => {}
                    // Taking more than there is, or a zero correction: refused, nothing written.
                    Err(ServerError::Validation { field: "delta", .. }) => {}
                    Err(e) => panic!("step {step}: {e:?}"),
                }
            }
        }
        assert_ledger_matches(&t, &format!("after step {step}")).await;
    }
    // Every order that was placed reserved its lines in the ledger, and every
    // cancelled one released exactly what it reserved.
    for (number, id) in &placed {
        let rows = ledger::Entity::find().filter(ledger::Column::OrderId.eq(*id)).all(&t.db).await.unwrap();
        let reserved: i64 = rows.iter().filter(|r| r.reason == StockReason::Reserved).map(|r| i64::from(r.delta)).sum();
        let released: i64 = rows.iter().filter(|r| r.reason == StockReason::Released).map(|r| i64::from(r.delta)).sum();
        let lines: i64 = entity::order_line::Entity::find()
            .filter(entity::order_line::Column::OrderId.eq(*id))
            .all(&t.db)
            .await
            .unwrap()
            .iter()
            .map(|l| i64::from(l.quantity))
            .sum();
        assert_eq!(reserved, -lines, "{number} reserved its lines");
        let o = entity::order::Entity::find_by_id(*id).one(&t.db).await.unwrap().unwrap();
        let expected = if o.stock_held { 0 } else { lines };
        assert_eq!(released, expected, "{number} ({:?}) released what it held", o.status);
    }
    assert!(placed.len() >= 5, "the sequence placed orders: {}", placed.len());
}

/// Orders and staff adjustments racing on one product: the stock never goes
/// below zero and always equals its ledger.
async fn racing_orders_and_adjustments_keep_the_ledger(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let before = stock_of(&t, 3).await;
    stock::adjust(&t.db, 3, 10 - i64::from(before), StockReason::Correction, None, 1, Utc::now()).await.ok();
    assert_eq!(stock_of(&t, 3).await, 10);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30_u64 {
        let (db, cfg, secret) = (t.db.clone(), state.config.checkout.clone(), state.order_link_secret());
        tasks.spawn(async move {
            if i % 3 == 0 {
                stock::adjust(&db, 3, -2, StockReason::Damaged, None, 1, Utc::now()).await.map(|_| ())
            } else {
                orders::place(&db, &cfg, &secret, &order_request(100 + i, vec![(3, 1)]), Utc::now()).await.map(|_| ())
            }
        });
    }
    for r in tasks.join_all().await {
        match r {
            Ok(()) | Err(ServerError::Checkout(_)) | Err(ServerError::Validation { field: "delta", .. }) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    let s = stock_of(&t, 3).await;
    assert!(s >= 0);
    assert_eq!(i64::from(s), stock::ledger_sum(&t.db, 3).await.unwrap());
}

/// Staff adjustments check their reason's sign and never go below zero;
/// a refused one writes nothing.
async fn adjustments_are_checked(backend: Backend) {
    let t = TestDb::new(backend).await;
    let s = stock_of(&t, 2).await;
    let rows =
        || async { ledger::Entity::find().filter(ledger::Column::ProductId.eq(2)).all(&t.db).await.unwrap().len() };
    let before = rows().await;
    for (delta, reason) in [
        (5, StockReason::Damaged),
        (-1, StockReason::Received),
        (-1, StockReason::Returned),
        (0, StockReason::Correction),
        (3, StockReason::Reserved),
        (-(i64::from(s) + 1), StockReason::Correction),
        (1_000_000, StockReason::Received),
    ] {
        let err = stock::adjust(&t.db, 2, delta, reason, None, 1, Utc::now()).await.unwrap_err();
        assert!(matches!(err, ServerError::Validation { field: "delta", .. }), "{delta} {reason:?}: {err:?}");
    }
    assert!(matches!(
        stock::adjust(&t.db, 999_999, 1, StockReason::Received, None, 1, Utc::now()).await,
        Err(ServerError::NotFound)
    ));
    assert_eq!((stock_of(&t, 2).await, rows().await), (s, before), "nothing changed");
    assert_eq!(
        stock::adjust(&t.db, 2, 4, StockReason::Received, Some(" PO 77 ".into()), 1, Utc::now()).await.unwrap(),
        s + 4
    );
    let (history, total) = stock::history(&t.db, 2, 1).await.unwrap();
    assert_eq!(total as usize, before + 1);
    assert_eq!(
        (history[0].delta, history[0].reason, history[0].note.as_deref()),
        (4, StockReason::Received, Some("PO 77"))
    );
    assert_eq!(history[0].actor, "admin:1");
}

on_both_backends!(
    random_sequences_keep_stock_and_ledger_equal,
    racing_orders_and_adjustments_keep_the_ledger,
    adjustments_are_checked,
);
