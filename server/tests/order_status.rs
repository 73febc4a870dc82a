//! The order status machine as the back office drives it, on SQLite and
//! PostgreSQL: fulfilment moves, illegal and stale moves that change
//! nothing, cancels that return stock exactly once (also when raced) and
//! owe a refund, and held payments accepted after review.

mod common;

use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::fulfilment::{self, StatusChange};
use app::orders::server::{self as orders, EventResult, Party, PlaceOrder, Viewer};
use app::payments::stub::{SIGNATURE_HEADER, StubAction};
use app::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};
use common::{Backend, TestDb, address};
use entity::order::{OrderStatus as Status, RefundStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const ADMIN: i32 = 1;

struct Shop {
    t: TestDb,
    state: AppState,
}

struct Placed {
    id: i32,
    number: String,
    key: String,
    reference: String,
}

impl Shop {
    async fn new(backend: Backend) -> Self {
        let t = TestDb::new(backend).await;
        let state = t.state().await;
        Self { t, state }
    }

    async fn set_stock(&self, product: i32, stock: i32) {
        self.t
            .db
            .execute_unprepared(&format!("UPDATE products SET stock = {stock} WHERE id = {product}"))
            .await
            .unwrap();
    }

    async fn stock(&self, product: i32) -> i32 {
        entity::product::Entity::find_by_id(product).one(&self.t.db).await.unwrap().unwrap().stock
    }

    async fn order(&self, id: i32) -> entity::order::Model {
        entity::order::Entity::find_by_id(id).one(&self.t.db).await.unwrap().unwrap()
    }

    async fn events(&self, id: i32) -> u64 {
        entity::order_event::Entity::find()
            .filter(entity::order_event::Column::OrderId.eq(id))
            .count(&self.t.db)
            .await
            .unwrap()
    }

    /// An order of `quantity` of product 1 with its stub payment opened.
    async fn place(&self, email: &str, quantity: u32) -> Placed {
        let req = PlaceOrder {
            party: Party { user_id: None, email: email.into() },
            lines: vec![LineRequest { product_id: 1, quantity }],
            address: address(),
            shipping: ShippingMethod::Standard,
            provider: "stub".into(),
            checkout_key: format!("key-{email}"),
            expected_subtotal: None,
            client_ip: None,
        };
        let s = &self.state;
        let placed = orders::place(&s.db, &s.config.checkout, &s.order_link_secret(), &req, Utc::now()).await.unwrap();
        let o = self.order(placed.id).await;
        let request = app::checkout::server::payment_request(&s.db, "http://x", &o).await.unwrap();
        let hosted = s.payments.get("stub").unwrap().create_payment(&request).await.unwrap();
        orders::set_provider_ref(&s.db, placed.id, &hosted.reference).await.unwrap();
        Placed { id: placed.id, number: placed.number, key: placed.access_key, reference: hosted.reference }
    }

    /// The shopper pays on the stub's page and its signed webhook arrives.
    async fn pay(&self, p: &Placed) -> EventResult {
        let stub = self.state.payments.stub().unwrap();
        let (body, sig) = stub.act(&p.reference, StubAction::Pay, Utc::now().timestamp()).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(&sig).unwrap());
        server::webhooks::handle(&self.state, "stub", &headers, &body, Utc::now()).await.unwrap()
    }

    async fn paid(&self, email: &str, quantity: u32) -> Placed {
        let p = self.place(email, quantity).await;
        assert!(matches!(self.pay(&p).await, EventResult::Paid(_)));
        p
    }

    async fn change(&self, p: &Placed, from: Status, to: Status) -> Result<fulfilment::Changed, ServerError> {
        self.change_with(p, StatusChange { from, to, note: None, tracking: None }).await
    }

    async fn change_with(&self, p: &Placed, change: StatusChange) -> Result<fulfilment::Changed, ServerError> {
        fulfilment::change_status(&self.state.db, &self.state.payments, &p.number, &change, ADMIN, Utc::now()).await
    }
}

async fn a_paid_order_is_prepared_shipped_and_delivered(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 10).await;
    let p = shop.paid("ship@example.com", 2).await;
    assert_eq!(shop.stock(1).await, 8);

    // Not straight to shipped: prepared first.
    let err = shop.change(&p, Status::Paid, Status::Shipped).await.unwrap_err();
    assert!(matches!(err, ServerError::IllegalTransition { .. }), "{err:?}");
    let shown = app::error::AppError::from(err);
    assert_eq!(app::error::message(&shown), "An order that is “Paid” cannot become “Shipped”.");

    shop.change(&p, Status::Paid, Status::Processing).await.unwrap();
    // Shipping needs a real tracking number.
    for bad in [None, Some(""), Some("ab"), Some("<script>")] {
        let change = StatusChange {
            from: Status::Processing,
            to: Status::Shipped,
            note: None,
            tracking: bad.map(str::to_owned),
        };
        let err = shop.change_with(&p, change).await.unwrap_err();
        assert!(matches!(err, ServerError::Validation { field: "tracking", .. }), "{bad:?}: {err:?}");
    }
    assert_eq!(shop.order(p.id).await.status, Status::Processing, "nothing changed");
    let change = StatusChange {
        from: Status::Processing,
        to: Status::Shipped,
        note: Some("Two boxes, left with the neighbour".into()),
        tracking: Some(" 1z 999-aa1 ".into()),
    };
    shop.change_with(&p, change).await.unwrap();
    let o = shop.order(p.id).await;
    assert_eq!((o.status, o.tracking_number.as_deref()), (Status::Shipped, Some("1Z999-AA1")));

    // A shipped order is not cancelled; it is delivered.
    let before = shop.events(p.id).await;
    let err = shop.change(&p, Status::Shipped, Status::Cancelled).await.unwrap_err();
    assert!(matches!(err, ServerError::IllegalTransition { .. }), "{err:?}");
    assert_eq!(shop.events(p.id).await, before, "an illegal move records nothing");
    shop.change(&p, Status::Shipped, Status::Delivered).await.unwrap();
    for to in [Status::Pending, Status::Paid, Status::Cancelled, Status::Shipped] {
        assert!(shop.change(&p, Status::Delivered, to).await.is_err(), "delivered → {to:?}");
    }
    assert_eq!(shop.stock(1).await, 8, "fulfilment moves no stock");

    // The shopper sees each step in their words, the tracking number, and
    // not the staff's note.
    let view =
        orders::view_for(&shop.t.db, &p.number, &[Viewer::Key(p.key.clone())], &shop.state.payments).await.unwrap();
    assert_eq!(view.tracking.as_deref(), Some("1Z999-AA1"));
    let steps: Vec<&str> = view.history.iter().map(|e| e.status.label()).collect();
    assert_eq!(steps, ["Awaiting payment", "Paid", "Being prepared", "Shipped", "Delivered"]);
    assert!(view.history.iter().all(|e| e.note.as_deref() != Some("Two boxes, left with the neighbour")));

    // Staff see who did what.
    let admin = app::admin::server::order_for_admin(&shop.t.db, &shop.state.payments, &p.number).await.unwrap();
    assert!(admin.next.is_empty());
    let shipped = admin.timeline.iter().find(|e| e.to == app::orders::domain::OrderStatus::Shipped).unwrap();
    assert_eq!(shipped.note.as_deref(), Some("Two boxes, left with the neighbour"));
    let staff = entity::user::Entity::find_by_id(ADMIN).one(&shop.t.db).await.unwrap();
    assert_eq!(shipped.by, staff.map_or_else(|| format!("Staff #{ADMIN}"), |u| u.email));
}

/// Two admins look at the same paid order; one prepares it, the other
/// cancels it a moment later from their stale page: exactly one wins, and
/// the loser changes nothing.
async fn a_move_from_a_stale_page_changes_nothing(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 10).await;
    let p = shop.paid("stale@example.com", 1).await;
    let (a, b) = tokio::join!(
        shop.change(&p, Status::Paid, Status::Processing),
        shop.change(&p, Status::Paid, Status::Cancelled)
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one wins: {a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(matches!(loser, Err(ServerError::Conflict)), "{loser:?}");
    let o = shop.order(p.id).await;
    if o.status == Status::Cancelled {
        assert_eq!(shop.stock(1).await, 10, "the stock came back once");
        assert_eq!(o.refund_status, Some(RefundStatus::Refunded));
    } else {
        assert_eq!((o.status, o.refund_status), (Status::Processing, None));
        assert_eq!(shop.stock(1).await, 9);
    }
    assert_eq!(shop.events(p.id).await, 3, "placed, paid, and the one move");
}

/// Cancelling a pending order returns its stock exactly once however many
/// cancels race, and owes nothing.
async fn racing_cancels_return_stock_once(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 10).await;
    let p = shop.place("race@example.com", 3).await;
    assert_eq!(shop.stock(1).await, 7);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (db, payments, number) = (shop.state.db.clone(), shop.state.payments.clone(), p.number.clone());
        tasks.spawn(async move {
            let change = StatusChange { from: Status::Pending, to: Status::Cancelled, note: None, tracking: None };
            fulfilment::change_status(&db, &payments, &number, &change, ADMIN, Utc::now()).await
        });
    }
    let results: Vec<_> = tasks.join_all().await;
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(won[0].returned_stock && won[0].refund.is_none());
    assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(ServerError::Conflict))), "{results:?}");
    assert_eq!(shop.stock(1).await, 10);
    let o = shop.order(p.id).await;
    assert_eq!((o.status, o.stock_held, o.refund_status), (Status::Cancelled, false, None));
    // And the sweeper, later, has nothing more to give back.
    orders::expire_holds(&shop.t.db, Utc::now() + Duration::hours(2)).await.unwrap();
    assert_eq!(shop.stock(1).await, 10);
}

/// A cancelled paid order returns its stock and is refunded through its
/// provider (the stub), once; the shopper is told.
async fn cancelling_a_paid_order_refunds_it(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 10).await;
    let p = shop.paid("refund@example.com", 2).await;
    shop.change(&p, Status::Paid, Status::Processing).await.unwrap();
    let change = StatusChange {
        from: Status::Processing,
        to: Status::Cancelled,
        note: Some("Damaged in the warehouse".into()),
        tracking: None,
    };
    let changed = shop.change_with(&p, change).await.unwrap();
    assert!(changed.returned_stock);
    assert_eq!(changed.refund, Some(RefundStatus::Refunded));
    assert_eq!(shop.stock(1).await, 10);
    let o = shop.order(p.id).await;
    assert!(o.refund_reference.as_deref().is_some_and(|r| r.starts_with("re_stub")), "{o:?}");
    assert!(o.refunded_at.is_some());
    assert_eq!(o.cancel_reason.as_deref(), Some("Damaged in the warehouse"));
    // Asking again (a second server's sweeper) refunds nothing more.
    assert_eq!(fulfilment::retry_refunds(&shop.t.db, &shop.state.payments, Utc::now()).await.unwrap(), 0);
    assert_eq!(
        fulfilment::refund_order(&shop.t.db, &shop.state.payments, p.id, Utc::now()).await.unwrap(),
        RefundStatus::Refunded
    );
    let view =
        orders::view_for(&shop.t.db, &p.number, &[Viewer::Key(p.key.clone())], &shop.state.payments).await.unwrap();
    let refund = view.refund.expect("the shopper is told of the refund");
    assert_eq!(refund.state, app::orders::domain::RefundState::Refunded);
    assert_eq!(refund.amount, view.total);
}

/// When the order's provider is no longer enabled, the refund is marked
/// for a person to make by hand, and says so.
async fn a_refund_without_its_provider_is_manual(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 10).await;
    let p = shop.paid("manual@example.com", 1).await;
    let none = app::payments::Payments::default();
    let change = StatusChange { from: Status::Paid, to: Status::Cancelled, note: None, tracking: None };
    let changed = fulfilment::change_status(&shop.t.db, &none, &p.number, &change, ADMIN, Utc::now()).await.unwrap();
    assert_eq!(changed.refund, Some(RefundStatus::Manual));
    let o = shop.order(p.id).await;
    assert!(o.refund_reference.as_deref().is_some_and(|r| r.contains("by hand")), "{o:?}");
    assert_eq!(shop.stock(1).await, 10);
    let admin = app::admin::server::dashboard(&shop.t.db, Utc::now()).await.unwrap();
    assert_eq!(admin.refunds_open, 1, "the dashboard counts it until it is done");

    // Refunded by hand: recorded once, with how, and no longer counted.
    let blank = fulfilment::mark_refunded(&shop.t.db, &p.number, "  ", ADMIN, Utc::now()).await.unwrap_err();
    assert!(matches!(blank, ServerError::Validation { field: "how", .. }));
    fulfilment::mark_refunded(&shop.t.db, &p.number, "SEPA transfer 2026-12-03", ADMIN, Utc::now()).await.unwrap();
    let o = shop.order(p.id).await;
    assert_eq!(o.refund_status, Some(RefundStatus::Refunded));
    assert!(o.refunded_at.is_some());
    assert!(o.refund_reference.as_deref().is_some_and(|r| r.contains("SEPA transfer 2026-12-03")), "{o:?}");
    let again = fulfilment::mark_refunded(&shop.t.db, &p.number, "twice", ADMIN, Utc::now()).await.unwrap_err();
    assert!(matches!(again, ServerError::Validation { field: "how", .. }), "{again:?}");
    let admin = app::admin::server::dashboard(&shop.t.db, Utc::now()).await.unwrap();
    assert_eq!(admin.refunds_open, 0);
}

/// A payment that arrived after the hold ended, when the stock was gone,
/// holds the order. Accepting it takes the stock again, and is refused
/// (changing nothing) while the stock is not there.
async fn a_held_payment_is_accepted_only_with_stock(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.set_stock(1, 3).await;
    let p = shop.place("late@example.com", 2).await;
    orders::expire_holds(&shop.t.db, Utc::now() + Duration::hours(2)).await.unwrap();
    assert_eq!(shop.stock(1).await, 3);
    shop.set_stock(1, 1).await;
    assert_eq!(shop.pay(&p).await, EventResult::Held);
    assert_eq!(shop.order(p.id).await.status, Status::Held);

    let err = shop.change(&p, Status::Held, Status::Paid).await.unwrap_err();
    match &err {
        ServerError::Validation { field: "status", message } => assert!(message.contains("not in stock"), "{message}"),
        other => panic!("{other:?}"),
    }
    let o = shop.order(p.id).await;
    assert_eq!((o.status, o.stock_held, o.fulfilled_at), (Status::Held, false, None), "nothing changed");
    assert_eq!(shop.stock(1).await, 1);

    shop.set_stock(1, 5).await;
    let changed = shop.change(&p, Status::Held, Status::Paid).await.unwrap();
    assert!(changed.paid.is_some(), "the confirmation is due now");
    let o = shop.order(p.id).await;
    assert_eq!((o.status, o.stock_held), (Status::Paid, true));
    assert!(o.paid_at.is_some() && o.fulfilled_at.is_some());
    assert_eq!(shop.stock(1).await, 3);
}

on_both_backends!(
    a_paid_order_is_prepared_shipped_and_delivered,
    a_move_from_a_stale_page_changes_nothing,
    racing_cancels_return_stock_once,
    cancelling_a_paid_order_refunds_it,
    a_refund_without_its_provider_is_manual,
    a_held_payment_is_accepted_only_with_stock,
);
