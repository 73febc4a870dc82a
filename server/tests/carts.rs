//! Cart services against the real Redis (127.0.0.1:6379, a key prefix per
//! test) and against the embedded store on SQLite and PostgreSQL.

mod common;

use std::time::{Duration, Instant};

use app::account::domain::{Email, Password, Role};
use app::cart::domain::{CartNotice, LineRequest, Quantity};
use app::cart::server as carts;
use app::cart::store::{CartStore, RedisCarts, SqlCarts};
use app::error::ServerError;
use common::{Backend, RedisRelay, TestDb};
use sea_orm::ConnectionTrait;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Redis,
    SqlOnSqlite,
    SqlOnPostgres,
}

struct Fixture {
    t: TestDb,
    store: CartStore,
    /// Two shoppers.
    alice: i32,
    bob: i32,
}

const TTL: Duration = Duration::from_secs(3600);

async fn fixture(kind: Kind) -> Fixture {
    let t = TestDb::new(match kind {
        Kind::SqlOnPostgres => Backend::Postgres,
        _ => Backend::Sqlite,
    })
    .await;
    let store = match kind {
        Kind::Redis => {
            CartStore::Redis(RedisCarts::connect(&common::redis_url(), common::redis_prefix(), TTL).await.unwrap())
        }
        _ => CartStore::Sql(SqlCarts::new(t.db.clone(), TTL)),
    };
    let mut ids = Vec::new();
    for who in ["alice@example.com", "bob@example.com"] {
        let u = app::account::server::create_user(
            &t.db,
            &Email::parse(who).unwrap(),
            &Password::parse("Secret123").unwrap(),
            Role::Customer,
        )
        .await
        .unwrap();
        ids.push(u.id);
    }
    Fixture { t, store, alice: ids[0], bob: ids[1] }
}

impl Fixture {
    async fn sql(&self, sql: &str) {
        self.t.db.execute_unprepared(sql).await.unwrap();
    }

    async fn stock(&self, product: i32, stock: i32) {
        self.sql(&format!("UPDATE products SET stock = {stock} WHERE id = {product}")).await;
    }

    async fn name(&self, product: i32) -> String {
        use sea_orm::EntityTrait;
        entity::product::Entity::find_by_id(product).one(&self.t.db).await.unwrap().unwrap().name
    }
}

fn q(n: u32) -> Quantity {
    Quantity::new(n).unwrap()
}

fn lines(view: &app::cart::domain::CartView) -> Vec<(i32, u32)> {
    view.lines.iter().map(|l| (l.product_id, l.quantity)).collect()
}

async fn add_update_remove(kind: Kind) {
    let f = fixture(kind).await;
    let (db, s) = (&f.t.db, &f.store);
    f.stock(1, 50).await;
    f.stock(2, 3).await;
    let cart = carts::add(db, s, f.alice, 1, q(2)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 2)]);
    assert!(cart.notices.is_empty());
    let cart = carts::add(db, s, f.alice, 1, q(1)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 3)]);
    // Prices come from the catalog.
    let price: i64 = {
        use sea_orm::EntityTrait;
        entity::product::Entity::find_by_id(1).one(db).await.unwrap().unwrap().price_cents
    };
    assert_eq!(cart.subtotal().minor(), price * 3);

    // Capped at stock, and told.
    let cart = carts::add(db, s, f.alice, 2, q(5)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 3), (2, 3)]);
    let name = f.name(2).await;
    assert_eq!(cart.notices, [CartNotice::Reduced { name: name.clone(), from: 5, to: 3, stock: 3 }]);
    let cart = carts::set_quantity(db, s, f.alice, 1, q(10)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 10), (2, 3)]);
    let cart = carts::set_quantity(db, s, f.alice, 1, q(4)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 4), (2, 3)]);
    let cart = carts::remove(db, s, f.alice, 2).await.unwrap();
    assert_eq!(lines(&cart), [(1, 4)]);

    // Bad product ids change nothing and say why.
    f.sql("UPDATE products SET active = false WHERE id = 3").await;
    for bad in [3, 999_999] {
        let err = carts::add(db, s, f.alice, bad, q(1)).await.unwrap_err();
        assert!(matches!(err, ServerError::Validation { field: "product_id", .. }), "{err:?}");
    }
    f.stock(2, 0).await;
    assert!(matches!(
        carts::add(db, s, f.alice, 2, q(1)).await,
        Err(ServerError::Validation { field: "quantity", .. })
    ));
    assert_eq!(lines(&carts::view(db, s, f.alice).await.unwrap()), [(1, 4)]);

    // Bob's cart is his own.
    assert!(carts::view(db, s, f.bob).await.unwrap().lines.is_empty());
    carts::add(db, s, f.bob, 1, q(1)).await.unwrap();
    assert_eq!(lines(&carts::view(db, s, f.alice).await.unwrap()), [(1, 4)]);

    // Stock falls while the line sits in the cart: corrected and explained on the next look.
    f.stock(1, 2).await;
    let cart = carts::view(db, s, f.alice).await.unwrap();
    assert_eq!(lines(&cart), [(1, 2)]);
    assert!(matches!(&cart.notices[..], [CartNotice::Reduced { from: 4, to: 2, .. }]));
    assert!(carts::view(db, s, f.alice).await.unwrap().notices.is_empty(), "the correction was stored");
    f.stock(1, 0).await;
    let cart = carts::view(db, s, f.alice).await.unwrap();
    assert!(cart.lines.is_empty() && matches!(&cart.notices[..], [CartNotice::SoldOut { .. }]));

    // A stock correction never re-creates a line (removed in another tab
    // meanwhile) nor raises one.
    s.lower(f.alice, 1, 3).await.unwrap();
    assert!(s.lines(f.alice).await.unwrap().is_empty());
    f.stock(1, 50).await;
    carts::add(db, s, f.alice, 1, q(2)).await.unwrap();
    s.lower(f.alice, 1, 5).await.unwrap();
    assert_eq!(s.lines(f.alice).await.unwrap(), [(1, 2)]);
    s.lower(f.alice, 1, 1).await.unwrap();
    assert_eq!(s.lines(f.alice).await.unwrap(), [(1, 1)]);
}

/// `tabs` concurrent adds of one `product` to Alice's cart; all must succeed.
async fn add_one_at_once(f: &Fixture, product: i32, tabs: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..tabs {
        let (db, s, user) = (f.t.db.clone(), f.store.clone(), f.alice);
        tasks.spawn(async move { carts::add(&db, &s, user, product, Quantity::new(1).unwrap()).await.map(|_| ()) });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
}

async fn concurrent_adds_all_count(kind: Kind) {
    let f = fixture(kind).await;
    f.stock(5, 8).await;
    // Two "tabs" (and more) adding at the same moment.
    add_one_at_once(&f, 5, 6).await;
    assert_eq!(lines(&carts::view(&f.t.db, &f.store, f.alice).await.unwrap()), [(5, 6)]);
    // Racing past the stock never goes beyond it.
    add_one_at_once(&f, 5, 6).await;
    assert_eq!(lines(&carts::view(&f.t.db, &f.store, f.alice).await.unwrap()), [(5, 8)]);
}

/// With 45 lines in the cart, 15 concurrent adds of 15 other products: five
/// fit, ten are refused, and the cart holds exactly [`MAX_LINES`]. (Counting
/// and inserting in two steps let the embedded store reach 56.)
async fn line_cap_holds_under_concurrent_adds(kind: Kind) {
    use app::cart::domain::MAX_LINES;
    use app::cart::store::{Applied, LineChange};
    let f = fixture(kind).await;
    let change = |product_id: i32| LineChange { product_id, quantity: 1, cap: 10 };
    for product in 1..=45 {
        f.store.add(f.alice, change(product)).await.unwrap();
    }
    let mut tasks = tokio::task::JoinSet::new();
    for product in 46..=60 {
        let (s, user) = (f.store.clone(), f.alice);
        tasks.spawn(async move { s.add(user, change(product)).await });
    }
    let (mut added, mut full) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        match r.unwrap().unwrap() {
            Applied::CartFull => full += 1,
            Applied::Quantity { before: 0, after: 1 } => added += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(f.store.lines(f.alice).await.unwrap().len(), MAX_LINES);
    assert_eq!((added, full), (MAX_LINES - 45, 60 - MAX_LINES));
    // Bob's cart is not held up by Alice's.
    assert!(matches!(f.store.add(f.bob, change(1)).await.unwrap(), Applied::Quantity { after: 1, .. }));
}

async fn merge_rules(kind: Kind) {
    let f = fixture(kind).await;
    let (db, s) = (&f.t.db, &f.store);
    f.stock(1, 1).await; // the "RTX 4090" with one left
    f.stock(2, 40).await;
    f.stock(3, 0).await;
    f.stock(4, 40).await;
    f.sql("UPDATE products SET active = false WHERE id = 6").await;
    carts::add(db, s, f.alice, 2, q(7)).await.unwrap();
    carts::add(db, s, f.alice, 4, q(1)).await.unwrap();

    let guest = [
        LineRequest { product_id: 1, quantity: 3 },
        LineRequest { product_id: 2, quantity: 5 },
        LineRequest { product_id: 3, quantity: 1 },
        LineRequest { product_id: 4, quantity: 2 },
        LineRequest { product_id: 6, quantity: 1 },
        LineRequest { product_id: 424_242, quantity: 1 },
    ];
    let cart = carts::merge(db, s, f.alice, "merge-1", &guest).await.unwrap();
    assert_eq!(lines(&cart), [(1, 1), (2, 10), (4, 3)]);
    let (gpu, two, three) = (f.name(1).await, f.name(2).await, f.name(3).await);
    assert!(cart.notices.contains(&CartNotice::Reduced { name: gpu.clone(), from: 3, to: 1, stock: 1 }));
    assert!(cart.notices.contains(&CartNotice::Reduced { name: two, from: 12, to: 10, stock: 40 }));
    assert!(cart.notices.contains(&CartNotice::SoldOut { name: three }));
    assert!(cart.notices.contains(&CartNotice::Unavailable { product_id: 6 }));
    assert!(cart.notices.contains(&CartNotice::Unavailable { product_id: 424_242 }));
    assert_eq!(cart.notices.len(), 5, "{:?}", cart.notices);
    let reduced = cart.notices.iter().find(|n| matches!(n, CartNotice::Reduced { stock: 1, .. })).unwrap();
    assert_eq!(reduced.message(), format!("Reduced {gpu} from 3 to 1: only 1 left."));

    // Nonsense lines (zero, huge, repeated, bad ids) are ignored or capped, never a 500.
    let odd = [
        LineRequest { product_id: 4, quantity: 0 },
        LineRequest { product_id: -1, quantity: 1 },
        LineRequest { product_id: 2, quantity: u32::MAX },
        LineRequest { product_id: 2, quantity: u32::MAX },
    ];
    let cart = carts::merge(db, s, f.bob, "odd-1", &odd).await.unwrap();
    assert_eq!(lines(&cart), [(2, 10)]);

    // The browser retries the same merge (its response got lost): nothing doubles.
    let again = carts::merge(db, s, f.alice, "merge-1", &guest).await.unwrap();
    assert_eq!(lines(&again), [(1, 1), (2, 10), (4, 3)]);
    // Alice's merge did not touch Bob's cart.
    assert_eq!(lines(&carts::view(db, s, f.bob).await.unwrap()), [(2, 10)]);
}

async fn cart_expires(kind: Kind) {
    let f = fixture(kind).await;
    f.stock(1, 10).await;
    carts::add(&f.t.db, &f.store, f.alice, 1, q(1)).await.unwrap();
    match (&f.store, kind) {
        (CartStore::Redis(r), _) => {
            let ttl = r.ttl_secs(f.alice).await.unwrap();
            assert!(ttl > 0 && ttl <= TTL.as_secs() as i64, "ttl {ttl}");
        }
        (CartStore::Sql(_), _) => {
            // A cart untouched for longer than its TTL is gone.
            f.sql("UPDATE cart_lines SET updated_at = '2000-01-01 00:00:00+00:00'").await;
            assert!(carts::view(&f.t.db, &f.store, f.alice).await.unwrap().lines.is_empty());
            let cart = carts::add(&f.t.db, &f.store, f.alice, 1, q(2)).await.unwrap();
            assert_eq!(lines(&cart), [(1, 2)], "an expired line does not come back to life");
        }
    }
}

/// Waits (at most 15 s) until `done` holds.
async fn wait_until<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Redis goes away: cart calls fail fast with a clear error; Redis comes
/// back: carts work again, with no restart.
async fn redis_outage_fails_fast_and_recovers() {
    let f = fixture(Kind::SqlOnSqlite).await;
    f.stock(1, 10).await;
    let mut relay = RedisRelay::start().await;
    let redis = RedisCarts::connect(&relay.url(), common::redis_prefix(), TTL).await.unwrap();
    let store = CartStore::Redis(redis.clone());
    carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap();

    relay.stop().await;
    let r = &redis;
    wait_until("the store notices the cut connections", move || async move { !r.is_connected() }).await;
    for _ in 0..3 {
        let started = Instant::now();
        let err = carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap_err();
        let took = started.elapsed();
        assert!(matches!(err, ServerError::CartStore(_)), "{err:?}");
        assert!(took < Duration::from_millis(900), "took {took:?}");
        let shown = app::error::AppError::from(err);
        assert_eq!(shown, app::error::AppError::CartUnavailable);
        assert!(shown.to_string().contains("nothing was changed"));
    }
    // The rest of the store does not need Redis.
    assert!(app::admin::server::dashboard(&f.t.db, chrono::Utc::now()).await.is_ok());

    relay.restart().await;
    wait_until("carts come back", move || async move { r.ping().await.is_ok() }).await;
    let cart = carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 2)], "the cart from before the outage is still there");
}

/// Redis applies a change but its reply comes too late: the shopper is
/// told the change may or may not have been saved, never that nothing
/// changed (a change is only sent on a live connection, so "nothing was
/// changed" is certain when it is said: see the outage test).
async fn a_late_reply_is_not_called_nothing_changed() {
    let f = fixture(Kind::SqlOnSqlite).await;
    f.stock(1, 10).await;
    let prefix = common::redis_prefix();
    let relay = RedisRelay::start().await;
    let redis = RedisCarts::connect(&relay.url(), prefix.clone(), TTL).await.unwrap();
    let store = CartStore::Redis(redis.clone());
    // The same carts, read straight from Redis, past the relay.
    let direct = CartStore::Redis(RedisCarts::connect(&common::redis_url(), prefix, TTL).await.unwrap());
    carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap();

    relay.hold_replies(true);
    let err = carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap_err();
    assert!(matches!(err, ServerError::CartUncertain(_)), "{err:?}");
    let shown = app::error::AppError::from(err);
    assert_eq!(shown, app::error::AppError::CartUncertain);
    assert!(shown.to_string().contains("may or may not have been saved"), "{shown}");
    assert_eq!(direct.lines(f.alice).await.unwrap(), [(1, 2)], "Redis did apply the change");

    relay.hold_replies(false);
    let r = &redis;
    wait_until("carts answer again", move || async move { r.ping().await.is_ok() }).await;
    let cart = carts::add(&f.t.db, &store, f.alice, 1, q(1)).await.unwrap();
    assert_eq!(lines(&cart), [(1, 3)]);
}

/// Tests that use one store each (the relay tests build their own).
macro_rules! alone {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { common::within_limit(super::$name()).await }
        )*
    };
}

mod relay {
    use super::common;
    alone!(redis_outage_fails_fast_and_recovers, a_late_reply_is_not_called_nothing_changed);
}

macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { $crate::common::within_limit(super::$name(super::Kind::Redis)).await }
            )*
        }
        mod embedded_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { $crate::common::within_limit(super::$name(super::Kind::SqlOnSqlite)).await }
            )*
        }
        mod embedded_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { $crate::common::within_limit(super::$name(super::Kind::SqlOnPostgres)).await }
            )*
        }
    };
}

on_every_store!(
    add_update_remove,
    concurrent_adds_all_count,
    line_cap_holds_under_concurrent_adds,
    merge_rules,
    cart_expires
);

/// A stored guest line of quantity 0 is dropped without a word, not
/// "reduced from 0 to 1".
async fn guest_lines_of_nothing_are_dropped() {
    use app::cart::domain::GuestLine;
    let f = fixture(Kind::SqlOnSqlite).await;
    f.stock(1, 5).await;
    f.stock(2, 5).await;
    let guest = [
        GuestLine { product_id: 1, quantity: 0, seen_price: None },
        GuestLine { product_id: 2, quantity: 2, seen_price: None },
    ];
    let view = carts::price_guest(&f.t.db, &guest).await.unwrap();
    assert_eq!(lines(&view), [(2, 2)]);
    assert!(view.notices.is_empty(), "{:?}", view.notices);
}

/// The 50-products cap of a guest cart counts distinct products: repeated
/// lines add up and lines of nothing are not counted, neither towards the
/// cap nor as "could not be added".
async fn guest_cap_counts_distinct_products() {
    use app::cart::domain::{CartNotice, GuestLine, MAX_LINES};
    let f = fixture(Kind::SqlOnSqlite).await;
    let cap = i32::try_from(MAX_LINES).unwrap();
    f.sql(&format!("UPDATE products SET stock = 50, active = TRUE WHERE id <= {}", cap + 2)).await;
    let line = |product_id, quantity| GuestLine { product_id, quantity, seen_price: None };
    let mut guest = vec![line(1, 1), line(99, 0)];
    guest.extend((1..=cap).map(|id| line(id, 1)));
    guest.extend([line(cap + 1, 1), line(cap + 2, 1), line(cap + 1, 1)]);
    let view = carts::price_guest(&f.t.db, &guest).await.unwrap();
    assert_eq!(view.lines.len(), MAX_LINES, "the first {MAX_LINES} distinct products are kept");
    assert_eq!(lines(&view)[0], (1, 2), "a repeated product adds up");
    assert!(lines(&view).iter().all(|(id, _)| *id <= cap));
    assert_eq!(view.notices, [CartNotice::CartFull { dropped: 2 }], "two distinct products did not fit");
}

mod guest {
    use super::common;
    alone!(guest_lines_of_nothing_are_dropped, guest_cap_counts_distinct_products);
}
