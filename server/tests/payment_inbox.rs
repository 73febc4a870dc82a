//! The payment-events inbox on SQLite and PostgreSQL: a redelivered event
//! is counted and applied once, a delivery whose signature does not verify
//! is recorded as refused (and nothing of it is read), and a held event is
//! accepted after review exactly once, through the status machine.

mod common;

use app::admin::domain::{InboxFilter, InboxOutcome};
use app::admin::server::{payment_events, replay_held_event};
use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::server::{self as orders, EventResult, Party, PlaceOrder, Placed};
use app::payments::stub::{SIGNATURE_HEADER, StubAction};
use app::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};
use common::{Backend, TestDb, address};
use entity::order::OrderStatus as Status;
use sea_orm::{ConnectionTrait, EntityTrait};

const ADMIN: i32 = 1;

/// A placed order with its stub payment; returns the order and the payment's reference.
async fn place(state: &AppState, key: &str, quantity: u32) -> (Placed, String) {
    let req = PlaceOrder {
        party: Party { user_id: None, email: "inbox@example.com".into() },
        lines: vec![LineRequest { product_id: 1, quantity }],
        address: address(),
        shipping: ShippingMethod::Standard,
        provider: "stub".into(),
        checkout_key: key.into(),
        expected_subtotal: None,
        client_ip: None,
    };
    let placed =
        orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &req, Utc::now()).await.unwrap();
    let order = entity::order::Entity::find_by_id(placed.id).one(&state.db).await.unwrap().unwrap();
    let request = app::checkout::server::payment_request(&state.db, "http://x", &order).await.unwrap();
    let hosted = state.payments.get("stub").unwrap().create_payment(&request).await.unwrap();
    orders::set_provider_ref(&state.db, placed.id, &hosted.reference).await.unwrap();
    (placed, hosted.reference)
}

/// The stub's signed "paid" webhook for `p`, delivered `times` times.
async fn deliver(state: &AppState, reference: &str, times: usize) -> Vec<EventResult> {
    let stub = state.payments.stub().unwrap();
    let (body, sig) = stub.act(reference, StubAction::Pay, Utc::now().timestamp()).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(&sig).unwrap());
    let mut out = Vec::new();
    for _ in 0..times {
        out.push(server::webhooks::handle(state, "stub", &headers, &body, Utc::now()).await.unwrap());
    }
    out
}

fn filter(outcome: Option<InboxOutcome>) -> InboxFilter {
    InboxFilter { provider: None, outcome, page: 1 }
}

async fn redeliveries_are_counted_and_refusals_recorded(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    t.db.execute_unprepared("UPDATE products SET stock = 10 WHERE id = 1").await.unwrap();
    let (p, reference) = place(&state, "inbox-1", 1).await;
    let results = deliver(&state, &reference, 3).await;
    assert!(matches!(results[0], EventResult::Paid(_)), "{results:?}");
    assert_eq!(results[1..], [EventResult::Duplicate, EventResult::Duplicate]);
    let page = payment_events(&t.db, &filter(None)).await.unwrap();
    assert_eq!(page.total, 1);
    let row = &page.rows[0];
    assert_eq!(
        (row.outcome, row.deliveries, row.order.as_deref()),
        (InboxOutcome::Applied, 3, Some(p.number.as_str()))
    );
    assert!(!row.replayable);

    // A forged delivery: refused, recorded as such, nothing of it read.
    let mut forged = HeaderMap::new();
    forged.insert(SIGNATURE_HEADER, HeaderValue::from_static("t=1,v1=00"));
    let body = br#"{"id":"evt_forged","type":"payment.succeeded","data":{"order":"OB-FAKE"}}"#;
    let err = server::webhooks::handle(&state, "stub", &forged, body, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Webhook(_)), "{err:?}");
    let refused = payment_events(&t.db, &filter(Some(InboxOutcome::Refused))).await.unwrap();
    assert_eq!(refused.total, 1);
    let r = &refused.rows[0];
    assert!(r.event_id.starts_with("refused-") && r.event_type.is_empty() && r.order.is_none(), "{r:?}");
    assert!(r.detail.as_deref().is_some_and(|d| !d.contains("evt_forged")), "{r:?}");
    assert_eq!(payment_events(&t.db, &filter(None)).await.unwrap().total, 2);

    // A flood of forgeries is capped per minute, not stored without end.
    for _ in 0..80 {
        let _ = server::webhooks::handle(&state, "stub", &forged, body, Utc::now()).await;
    }
    assert_eq!(payment_events(&t.db, &filter(Some(InboxOutcome::Refused))).await.unwrap().total, 60);
}

/// A payment that came after its order's hold ended, when the stock was
/// gone, holds the order; staff accept it from the inbox once the stock is
/// back, exactly once.
async fn a_held_event_is_accepted_once_after_review(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    t.db.execute_unprepared("UPDATE products SET stock = 3 WHERE id = 1").await.unwrap();
    let (_, reference) = place(&state, "inbox-held", 2).await;
    orders::expire_holds(&t.db, Utc::now() + Duration::hours(2)).await.unwrap();
    t.db.execute_unprepared("UPDATE products SET stock = 1 WHERE id = 1").await.unwrap();
    assert_eq!(deliver(&state, &reference, 1).await, [EventResult::Held]);
    let row = payment_events(&t.db, &filter(Some(InboxOutcome::Held))).await.unwrap().rows.remove(0);
    assert!(row.replayable);

    // Not in stock: refused, nothing changes.
    let err = replay_held_event(&t.db, &state.payments, row.id, ADMIN, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Validation { field: "status", .. }), "{err:?}");
    assert!(payment_events(&t.db, &filter(Some(InboxOutcome::Held))).await.unwrap().rows[0].replayable);

    t.db.execute_unprepared("UPDATE products SET stock = 5 WHERE id = 1").await.unwrap();
    let changed = replay_held_event(&t.db, &state.payments, row.id, ADMIN, Utc::now()).await.unwrap();
    assert_eq!(changed.to, Status::Paid);
    let after = payment_events(&t.db, &filter(Some(InboxOutcome::Held))).await.unwrap().rows.remove(0);
    assert!(!after.replayable);
    assert!(after.replayed.as_deref().is_some_and(|r| r.starts_with("Accepted ")), "{after:?}");
    let again = replay_held_event(&t.db, &state.payments, row.id, ADMIN, Utc::now()).await.unwrap_err();
    assert!(matches!(again, ServerError::Validation { field: "id", .. }), "{again:?}");
    let stock = entity::product::Entity::find_by_id(1).one(&t.db).await.unwrap().unwrap().stock;
    assert_eq!(stock, 3, "the stock was taken again, once");

    // An applied event is not something to accept.
    let (_, other) = place(&state, "inbox-applied", 1).await;
    deliver(&state, &other, 1).await;
    let applied = payment_events(&t.db, &filter(Some(InboxOutcome::Applied))).await.unwrap().rows.remove(0);
    let err = replay_held_event(&t.db, &state.payments, applied.id, ADMIN, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Validation { field: "id", .. }), "{err:?}");
}

on_both_backends!(redeliveries_are_counted_and_refusals_recorded, a_held_event_is_accepted_once_after_review);
