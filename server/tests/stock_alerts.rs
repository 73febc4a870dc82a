//! The low-stock alert list on SQLite and PostgreSQL: kept by its own
//! subscriber from the stock events the outbox publishes (raised, updated,
//! dismissed, back when a dismissed product sells out, closed on restock or
//! when taken off sale), applied once per event, one open alert per product
//! also when reconciles race, and caught up by a sweep after missed events.
//! Also the back office's bulk actions: products on and off sale in one
//! transaction, and orders moved together through the status machine.

mod common;

use app::admin::domain::{AlertFilter, AlertState, BulkOrderMove};
use app::catalog::stock::{self, Movement};
use app::catalog::stock_alerts::{self, StockAlerts};
use app::error::ServerError;
use app::events::domain::Envelope;
use app::events::{outbox, subscribers};
use app::state::AppState;
use chrono::Utc;
use common::{Backend, TestDb};
use entity::stock_alert;
use entity::stock_movement::StockReason;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use tokio::sync::broadcast::Receiver;

struct Shop {
    _t: TestDb,
    /// The demo admin's user id.
    admin: i32,
    state: AppState,
    rx: Receiver<Envelope>,
    alerts: StockAlerts,
}

impl Shop {
    async fn new(backend: Backend) -> Self {
        let t = TestDb::new(backend).await;
        app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
        let admin = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq("admin@octablitz.local"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let state = t.state().await;
        let rx = state.events.subscribe();
        let alerts = StockAlerts { db: state.db.clone() };
        Self { _t: t, admin, state, rx, alerts }
    }

    async fn sql(&self, sql: &str) {
        self.state.db.execute_unprepared(sql).await.unwrap();
    }

    /// Publishes the outbox and lets the alert subscriber apply what it
    /// wants; returns the kinds it applied.
    async fn deliver(&mut self) -> Vec<&'static str> {
        outbox::relay_once(&self.state.db, &self.state.events, 1000).await.unwrap();
        let mut applied = Vec::new();
        while let Ok(Ok(e)) = tokio::time::timeout(std::time::Duration::from_millis(300), self.rx.recv()).await {
            if subscribers::apply(&self.state.db, &self.alerts, &e).await.unwrap() {
                applied.push(e.event.kind());
                // However often it comes, it is applied once.
                assert!(!subscribers::apply(&self.state.db, &self.alerts, &e).await.unwrap());
            }
        }
        applied
    }

    async fn adjust(&self, product: i32, delta: i64, reason: StockReason) {
        stock::adjust(&self.state.db, product, delta, reason, None, self.admin, Utc::now()).await.unwrap();
    }

    /// Every alert of `product`, oldest first.
    async fn alerts_of(&self, product: i32) -> Vec<stock_alert::Model> {
        stock_alert::Entity::find()
            .filter(stock_alert::Column::ProductId.eq(product))
            .order_by_asc(stock_alert::Column::Id)
            .all(&self.state.db)
            .await
            .unwrap()
    }

    /// Whether `product` is in the list `state` shows.
    async fn listed(&self, product: i32, state: AlertState) -> bool {
        let f = AlertFilter { state, page: 1 };
        let page = app::admin::server::list_alerts(&self.state.db, &f, 1000).await.unwrap();
        page.rows.iter().any(|a| a.product_id == product)
    }
}

/// One product's alert through its life: raised by a sale, dismissed,
/// kept dismissed while it stays low, back when it sells out, closed on
/// restock, raised anew, closed when taken off sale.
async fn an_alert_follows_the_stock(backend: Backend) {
    use stock_alert::AlertLevel::{Low, Out};
    let mut shop = Shop::new(backend).await;
    // Set directly: no event, no alert (the subscriber only hears events).
    shop.sql("UPDATE products SET stock = 8, low_stock_threshold = 5, active = true WHERE id = 20").await;
    shop.sql("DELETE FROM stock_alerts WHERE product_id = 20").await;
    assert!(shop.alerts_of(20).await.is_empty());

    // A sale takes it to 5 (the threshold): raised, once.
    let order = Movement {
        product_id: 20,
        delta: -3,
        reason: StockReason::Reserved,
        order_id: None,
        actor: "customer".into(),
        note: None,
    };
    let txn = sea_orm::TransactionTrait::begin(&shop.state.db).await.unwrap();
    assert_eq!(stock::move_stock(&txn, &[order], Utc::now()).await.unwrap(), None);
    txn.commit().await.unwrap();
    assert_eq!(shop.deliver().await, ["stock_low"]);
    let a = shop.alerts_of(20).await;
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].level, a[0].stock, a[0].threshold, a[0].resolved_at), (Low, 5, 5, None));
    assert!(shop.listed(20, AlertState::Open).await);

    // Dismissed: off the open list, on the dismissed one; a further sale
    // that leaves some keeps it dismissed (with the new number).
    stock_alerts::set_dismissed(&shop.state.db, a[0].id, true, shop.admin, Utc::now()).await.unwrap();
    assert!(!shop.listed(20, AlertState::Open).await);
    assert!(shop.listed(20, AlertState::Dismissed).await);
    shop.adjust(20, -3, StockReason::Damaged).await;
    assert_eq!(shop.deliver().await, ["stock_low"]);
    let a = shop.alerts_of(20).await;
    assert_eq!((a.len(), a[0].stock, a[0].dismissed_by), (1, 2, Some(shop.admin)));

    // Sold out: the dismissed alert is back, as sold out.
    shop.adjust(20, -2, StockReason::Damaged).await;
    assert_eq!(shop.deliver().await, ["stock_out"]);
    let a = shop.alerts_of(20).await;
    assert_eq!((a.len(), a[0].level, a[0].stock, a[0].dismissed_at), (1, Out, 0, None));
    assert!(shop.listed(20, AlertState::Open).await);

    // Restocked over the threshold: closed, kept as history.
    shop.adjust(20, 12, StockReason::Received).await;
    assert_eq!(shop.deliver().await, ["stock_restored"]);
    let a = shop.alerts_of(20).await;
    assert!(a[0].resolved_at.is_some());
    assert!(!shop.listed(20, AlertState::Open).await && shop.listed(20, AlertState::Closed).await);
    // Dismissing a closed alert changes nothing.
    stock_alerts::set_dismissed(&shop.state.db, a[0].id, true, shop.admin, Utc::now()).await.unwrap();
    assert_eq!(shop.alerts_of(20).await[0].dismissed_at, None);

    // Low again: a new alert beside the closed one.
    shop.adjust(20, -10, StockReason::Correction).await;
    assert_eq!(shop.deliver().await, ["stock_low"]);
    let a = shop.alerts_of(20).await;
    assert_eq!(a.len(), 2);
    assert_eq!((a[1].level, a[1].stock, a[1].resolved_at), (Low, 2, None));

    // Taken off sale (a bulk action): its alert closes.
    let changed = app::admin::catalog_server::set_on_sale(&shop.state.db, &[20], false, Utc::now()).await.unwrap();
    assert_eq!(changed, [20]);
    assert_eq!(shop.deliver().await, ["product_changed"]);
    assert!(shop.alerts_of(20).await[1].resolved_at.is_some());
    assert!(!shop.listed(20, AlertState::Open).await);

    // Each event applied once (`deliver` offers each twice).
    let processed = entity::processed_event::Entity::find()
        .filter(entity::processed_event::Column::Subscriber.eq("stock-alerts"))
        .count(&shop.state.db)
        .await
        .unwrap();
    assert_eq!(processed, 6);

    // Unknown alerts are a 404, not a silent success.
    let err = stock_alerts::set_dismissed(&shop.state.db, 999_999, true, shop.admin, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::NotFound), "{err:?}");
}

/// Reconciles of one product racing (two servers' subscribers on two
/// events): one open alert, never two.
async fn racing_reconciles_raise_one_alert(backend: Backend) {
    let shop = Shop::new(backend).await;
    shop.sql("UPDATE products SET stock = 2, low_stock_threshold = 5, active = true WHERE id = 21").await;
    shop.sql("DELETE FROM stock_alerts WHERE product_id = 21").await;
    let now = Utc::now();
    let runs = (0..8).map(|_| {
        let db = shop.state.db.clone();
        tokio::spawn(async move { stock_alerts::reconcile(&db, 21, now, now).await })
    });
    for r in runs.collect::<Vec<_>>() {
        let r = r.await;
        r.unwrap().unwrap();
    }
    let a = shop.alerts_of(21).await;
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!((a[0].stock, a[0].resolved_at), (2, None));
}

/// Changes that published no event (or whose events this server missed)
/// are caught up by the sweep the subscriber runs at start and on lag.
async fn the_sweep_catches_up(backend: Backend) {
    let shop = Shop::new(backend).await;
    let open = |db: sea_orm::DatabaseConnection| async move {
        stock_alert::Entity::find().filter(stock_alert::Column::ResolvedAt.is_null()).count(&db).await.unwrap()
    };
    let low_or_out = "SELECT COUNT(*) AS n FROM products WHERE active = true AND stock <= low_stock_threshold";
    let count = |db: sea_orm::DatabaseConnection| async move {
        let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), low_or_out)).await;
        row.unwrap().unwrap().try_get::<i64>("", "n").unwrap() as u64
    };
    // The migration raised one for each product low at the time.
    assert_eq!(open(shop.state.db.clone()).await, count(shop.state.db.clone()).await);
    shop.sql("DELETE FROM stock_alerts WHERE product_id = 22").await;
    shop.sql("UPDATE products SET stock = 1, low_stock_threshold = 5, active = true WHERE id = 22").await;
    let restocked = stock_alert::Entity::find()
        .filter(stock_alert::Column::ResolvedAt.is_null())
        .one(&shop.state.db)
        .await
        .unwrap()
        .expect("the seed has low products");
    shop.sql(&format!("UPDATE products SET stock = 50 WHERE id = {}", restocked.product_id)).await;
    assert!(stock_alerts::sweep(&shop.state.db, Utc::now()).await.unwrap() > 2);
    let raised = shop.alerts_of(22).await;
    assert_eq!((raised.len(), raised[0].stock, raised[0].resolved_at), (1, 1, None));
    assert!(shop.alerts_of(restocked.product_id).await[0].resolved_at.is_some());
    assert_eq!(open(shop.state.db.clone()).await, count(shop.state.db.clone()).await);
    // A second sweep changes nothing.
    stock_alerts::sweep(&shop.state.db, Utc::now()).await.unwrap();
    assert_eq!(shop.alerts_of(22).await.len(), 1);
    // The open list, most urgent first: sold out, then the fewest left.
    let open = app::admin::server::list_alerts(&shop.state.db, &AlertFilter::default(), 1000).await.unwrap();
    let keys: Vec<(bool, i32)> = open.rows.iter().map(|a| (!a.out, a.stock)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "most urgent first: {keys:?}");
    assert_eq!(open.total as usize, open.rows.len());
}

/// Products on and off sale together: one transaction, each version moved
/// on with its event; deleted ones and those already so are left.
async fn bulk_products_on_and_off_sale(backend: Backend) {
    use app::admin::catalog_server::set_on_sale;
    let shop = Shop::new(backend).await;
    let db = &shop.state.db;
    shop.sql("UPDATE products SET active = true WHERE id IN (30, 31, 32)").await;
    shop.sql("UPDATE products SET active = false, deleted_at = CURRENT_TIMESTAMP WHERE id = 33").await;
    let version = |id: i32| async move { entity::product::Entity::find_by_id(id).one(db).await.unwrap().unwrap() };
    let before = version(30).await.version;
    let waiting = outbox::waiting(db).await.unwrap();

    let changed = set_on_sale(db, &[31, 30, 33, 30, 999_999], false, Utc::now()).await.unwrap();
    assert_eq!(changed, [30, 31], "deleted and unknown ones are left");
    let p = version(30).await;
    assert_eq!((p.active, p.version), (false, before + 1));
    assert!(version(32).await.active, "not selected");
    assert!(!version(33).await.active && version(33).await.deleted_at.is_some());
    assert_eq!(outbox::waiting(db).await.unwrap(), waiting + 2, "one ProductChanged each");

    // Again: nothing left to change, nothing written.
    assert!(set_on_sale(db, &[30, 31], false, Utc::now()).await.unwrap().is_empty());
    assert_eq!(version(30).await.version, before + 1);
    assert_eq!(set_on_sale(db, &[30, 31, 32], true, Utc::now()).await.unwrap(), [30, 31]);

    for bad in [vec![], (1..=101).collect::<Vec<i32>>()] {
        let err = set_on_sale(db, &bad, true, Utc::now()).await.unwrap_err();
        assert!(matches!(err, ServerError::Validation { field: "ids", .. }), "{err:?}");
    }
    // Racing the same bulk change: each product changes once.
    shop.sql("UPDATE products SET active = true WHERE id IN (40, 41, 42)").await;
    let ids = [40, 41, 42];
    let runs = (0..4).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { set_on_sale(&db, &ids, false, Utc::now()).await })
    });
    let mut total = 0;
    for r in runs.collect::<Vec<_>>() {
        let r = r.await;
        total += r.unwrap().unwrap().len();
    }
    assert_eq!(total, 3, "each product taken off sale by exactly one of them");
}

/// Orders moved together: each through the status machine in its own
/// step, those in another status left with why, each moved once when two
/// staff race.
async fn bulk_order_moves(backend: Backend) {
    use app::admin::server::bulk_move;
    use entity::order::OrderStatus as Status;
    let shop = Shop::new(backend).await;
    let db = &shop.state.db;
    let numbers = common::paid_orders(&shop.state, 4).await;
    // The last one is still waiting for its payment.
    shop.sql(&format!("UPDATE orders SET status = 'pending' WHERE number = '{}'", numbers[3])).await;
    let mut asked = numbers.clone();
    asked.push("OB-AAAA-BBBB-CCCC".into());
    let (report, changed) =
        bulk_move(db, &shop.state.payments, &asked, BulkOrderMove::Prepare, shop.admin, Utc::now()).await.unwrap();
    let mut moved = numbers[..3].to_vec();
    moved.sort();
    assert_eq!(report.done, moved);
    assert_eq!(changed.len(), 3);
    let skipped: Vec<&str> = report.skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(skipped.len(), 2);
    assert!(report.skipped.iter().any(|(n, why)| *n == numbers[3] && why == "Pending payment, not Paid"));
    assert!(report.skipped.iter().any(|(n, why)| n == "OB-AAAA-BBBB-CCCC" && why == "no such order"));
    assert!(report.summary().starts_with("3 orders moved to Processing. 2 orders left as they were ("));
    for n in &numbers[..3] {
        let o = entity::order::Entity::find().filter(entity::order::Column::Number.eq(n)).one(db).await.unwrap();
        assert_eq!(o.unwrap().status, Status::Processing);
    }

    // Not shipped yet: delivering them moves none.
    let (report, _) =
        bulk_move(db, &shop.state.payments, &moved, BulkOrderMove::Deliver, shop.admin, Utc::now()).await.unwrap();
    assert!(report.done.is_empty() && report.skipped.len() == 3, "{report:?}");
    let err =
        bulk_move(db, &shop.state.payments, &[], BulkOrderMove::Prepare, shop.admin, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Validation { field: "numbers", .. }), "{err:?}");

    // Two staff racing the same bulk move: each order moved once, one
    // timeline entry each.
    let fresh = common::paid_orders(&shop.state, 3).await;
    let runs = (0..2).map(|_| {
        let state = shop.state.clone();
        let fresh = fresh.clone();
        let admin = shop.admin;
        tokio::spawn(async move {
            bulk_move(&state.db, &state.payments, &fresh, BulkOrderMove::Prepare, admin, Utc::now()).await
        })
    });
    let mut done = 0;
    for r in runs.collect::<Vec<_>>() {
        let r = r.await;
        done += r.unwrap().unwrap().0.done.len();
    }
    assert_eq!(done, 3);
    for n in &fresh {
        let o =
            entity::order::Entity::find().filter(entity::order::Column::Number.eq(n)).one(db).await.unwrap().unwrap();
        assert_eq!(o.status, Status::Processing);
        let moves = entity::order_event::Entity::find()
            .filter(entity::order_event::Column::OrderId.eq(o.id))
            .filter(entity::order_event::Column::ToStatus.eq(Status::Processing))
            .count(db)
            .await
            .unwrap();
        assert_eq!(moves, 1, "{n}");
    }
}

on_both_backends!(
    an_alert_follows_the_stock,
    racing_reconciles_raise_one_alert,
    the_sweep_catches_up,
    bulk_products_on_and_off_sale,
    bulk_order_moves,
);
