//! Store events: throughput through the outbox relay and the bus, and the
//! latency from a committed order to the back office's notification, on
//! the embedded SQLite and on PostgreSQL (`BENCH_PG_URL`, default the local
//! server; skipped if unreachable), each with the in-process bus and with
//! Redis pub/sub (`BENCH_REDIS_URL`, default the local Redis; skipped if
//! unreachable).
//!
//! `cargo run --release --example events_bench -- [events] [orders]`
//! (bench/run.sh runs it with 5,000 events and 100 orders).

use std::time::{Duration, Instant};

use app::cart::domain::LineRequest;
use app::checkout::domain::{Address, AddressInput, ShippingMethod};
use app::config::{CheckoutConfig, Config};
use app::events::bus::EventBus;
use app::events::domain::StoreEvent;
use app::events::outbox;
use app::money::Money;
use app::orders::server::{self as orders, Party, PlaceOrder};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, TransactionTrait};

fn address() -> Address {
    Address::parse(&AddressInput {
        name: "Bench Shopper".into(),
        line1: "1 Load Street".into(),
        city: "Benchton".into(),
        postcode: "12345".into(),
        country: "US".into(),
        ..AddressInput::default()
    })
    .expect("a valid address")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `events` events written 100 to a transaction, then relayed through
/// `bus` until a subscriber has every one: events/s of the relay.
async fn throughput(db: &DatabaseConnection, bus: &EventBus, events: usize) -> f64 {
    let mut rx = bus.subscribe();
    for chunk in 0..events.div_ceil(100) {
        let txn = db.begin().await.expect("begin");
        for i in 0..100.min(events - chunk * 100) {
            let number = format!("OB-BENC-H{:03}-{:04}", chunk % 1000, i);
            let e = StoreEvent::OrderPaid { number, total: Money::usd(1999) };
            outbox::record(&txn, e, chrono::Utc::now()).await.expect("record");
        }
        txn.commit().await.expect("commit");
    }
    let started = Instant::now();
    let receive = tokio::spawn(async move {
        let mut got = 0;
        while got < events {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Ok(_)) => got += 1,
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => got += n as usize,
                _ => break,
            }
        }
        got
    });
    while outbox::relay_once(db, bus, 500).await.expect("relay") > 0 {}
    let got = receive.await.expect("receiver");
    let took = started.elapsed();
    assert_eq!(got, events, "every event arrives");
    events as f64 / took.as_secs_f64()
}

/// `orders` orders placed one after another with the relay running as in
/// the server: milliseconds from each commit to its `OrderPlaced` arriving.
async fn latency(db: &DatabaseConnection, bus: &EventBus, orders_n: usize) -> (f64, f64) {
    db.execute_unprepared("UPDATE products SET stock = 1000000, active = true WHERE id = 1").await.expect("stock");
    let relay = tokio::spawn(outbox::run_relay(db.clone(), bus.clone(), app::events::RELAY_EVERY));
    let mut rx = bus.subscribe();
    let rules = CheckoutConfig { max_pending_per_ip: 1_000_000, ..CheckoutConfig::default() };
    let mut times = Vec::with_capacity(orders_n);
    for i in 0..orders_n {
        let req = PlaceOrder {
            party: Party { user_id: None, email: format!("latency{i}@example.com") },
            lines: vec![LineRequest { product_id: 1, quantity: 1 }],
            address: address(),
            shipping: ShippingMethod::Standard,
            provider: "stub".into(),
            checkout_key: format!("latency-{i:06}-{}", std::process::id()),
            expected_subtotal: None,
            client_ip: None,
        };
        let placed = orders::place(db, &rules, &[1; 32], &req, chrono::Utc::now()).await.expect("place");
        let committed = Instant::now();
        // As the checkout server function does after placing.
        bus.nudge();
        loop {
            let e = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("in time").expect("event");
            if matches!(&e.event, StoreEvent::OrderPlaced { number, .. } if *number == placed.number) {
                times.push(committed.elapsed());
                break;
            }
        }
    }
    relay.abort();
    times.sort();
    let pct = |p: f64| ms(times[((times.len() as f64 * p) as usize).min(times.len() - 1)]);
    (pct(0.5), pct(0.99))
}

async fn run(label: &str, url: &str, dir: &std::path::Path, redis: Option<&str>, events: usize, orders_n: usize) {
    let dir_s = dir.display().to_string();
    let prefix = format!("octablitz-bench-events:{}:{label}:", std::process::id());
    let config = Config::from_lookup(|k| match k {
        "DATA_DIR" => Some(dir_s.clone()),
        "DATABASE_URL" => Some(url.to_owned()),
        "DB_MAX_CONNECTIONS" => Some("10".into()),
        "REDIS_URL" => redis.map(str::to_owned),
        "REDIS_PREFIX" => Some(prefix.clone()),
        _ => None,
    })
    .expect("config");
    let db = app::state::connect(&config).await.expect("connect and migrate");
    let pool = app::state::redis_pool(&config).await.expect("redis pool");
    let bus = app::state::event_bus(&config, pool.as_ref()).await.expect("bus");
    for _ in 0..100 {
        if bus.ready() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rate = throughput(&db, &bus, events).await;
    let (p50, p99) = latency(&db, &bus, orders_n).await;
    println!(
        "{label:<16} relay {rate:>8.0} events/s ({events} events) · commit → notification p50 {p50:.1} ms, p99 {p99:.1} ms ({orders_n} orders)"
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let orders_n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let redis_url = std::env::var("BENCH_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into());
    let redis_up = tokio::net::TcpStream::connect(
        redis_url.trim_start_matches("redis://").split('/').next().unwrap_or("127.0.0.1:6379"),
    )
    .await
    .is_ok();
    let admin = std::env::var("BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let pg_admin = Database::connect(&admin).await.ok();
    for (bus_label, redis) in [("in-process", None), ("redis", Some(redis_url.as_str()))] {
        if redis.is_some() && !redis_up {
            println!("{bus_label:<16} skipped: Redis is not reachable");
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        run(&format!("sqlite/{bus_label}"), &sqlite, dir.path(), redis, events, orders_n).await;
        match &pg_admin {
            Some(a) => {
                let name = format!("octablitz_bench_ev_{}_{}", std::process::id(), bus_label.replace('-', "_"));
                a.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create bench database");
                let (base, _) = admin.rsplit_once('/').expect("a database URL with a path");
                run(&format!("postgres/{bus_label}"), &format!("{base}/{name}"), dir.path(), redis, events, orders_n)
                    .await;
                let _ = a.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
            }
            None => println!("postgres/{bus_label:<7} skipped: PostgreSQL is not reachable"),
        }
    }
}
