//! Checkout under contention: N shoppers at once for M units of one product,
//! on the embedded SQLite and on PostgreSQL (`BENCH_PG_URL`, default the
//! local server; skipped if unreachable). Prints orders/s, p50/p99 of one
//! placement and how many units were oversold (must be 0).
//!
//! `cargo run --release --example checkout_bench -- [shoppers] [units]`
//! (bench/run.sh runs it with 400 shoppers for 50 units).

use std::time::{Duration, Instant};

use app::cart::domain::LineRequest;
use app::checkout::domain::{Address, AddressInput, ShippingMethod};
use app::config::{CheckoutConfig, Config};
use app::orders::server::{self as orders, Party, PlaceOrder};
use sea_orm::{ConnectionTrait, Database, EntityTrait};

const PRODUCT: i32 = 1;

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

async fn run(label: &str, url: &str, dir: &std::path::Path, shoppers: usize, units: i32) {
    let dir_s = dir.display().to_string();
    let config = Config::from_lookup(|k| match k {
        "DATA_DIR" => Some(dir_s.clone()),
        "DATABASE_URL" => Some(url.to_owned()),
        "DB_MAX_CONNECTIONS" => Some("10".into()),
        _ => None,
    })
    .expect("config");
    let db = app::state::connect(&config).await.expect("connect and migrate");
    db.execute_unprepared(&format!("UPDATE products SET stock = {units}, active = true WHERE id = {PRODUCT}"))
        .await
        .expect("set stock");
    let rules = CheckoutConfig { max_pending_per_ip: 1_000_000, ..CheckoutConfig::default() };
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..shoppers {
        let (db, rules) = (db.clone(), rules.clone());
        tasks.spawn(async move {
            let req = PlaceOrder {
                party: Party { user_id: None, email: format!("bench{i}@example.com") },
                lines: vec![LineRequest { product_id: PRODUCT, quantity: 1 }],
                address: address(),
                shipping: ShippingMethod::Standard,
                provider: "stub".into(),
                checkout_key: format!("bench-key-{i:08}"),
                expected_subtotal: None,
                client_ip: None,
            };
            let t = Instant::now();
            let r = orders::place(&db, &rules, &[1; 32], &req, chrono::Utc::now()).await;
            (t.elapsed(), r.is_ok(), r.err().map(|e| format!("{e}")))
        });
    }
    let (mut times, mut placed, mut refused, mut failed) = (Vec::new(), 0, 0, Vec::new());
    while let Some(r) = tasks.join_next().await {
        let (took, ok, err) = r.expect("task");
        times.push(took);
        match (ok, err) {
            (true, _) => placed += 1,
            (false, Some(e)) if e.contains("sold out") || e.contains("left") => refused += 1,
            (false, e) => failed.push(e.unwrap_or_default()),
        }
    }
    let wall = started.elapsed();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let stock = entity::product::Entity::find_by_id(PRODUCT).one(&db).await.expect("read").expect("product").stock;
    let oversold = (placed - units).max(0) + (-stock).max(0);
    println!(
        "{label:<10} {shoppers} shoppers for {units} units: {placed} orders, {refused} told sold out, {} errors, \
         {:.0} placements/s, p50 {:.1} ms, p99 {:.1} ms, stock left {stock}, oversold {oversold}",
        failed.len(),
        shoppers as f64 / wall.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
    );
    if let Some(e) = failed.first() {
        println!("           first error: {e}");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let shoppers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(400);
    let units: i32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    run("sqlite", &sqlite, dir.path(), shoppers, units).await;

    let admin = std::env::var("BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("octablitz_bench_{}", std::process::id());
    match Database::connect(&admin).await {
        Ok(a) => {
            a.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create bench database");
            let (base, _) = admin.rsplit_once('/').expect("a database URL with a path");
            run("postgres", &format!("{base}/{name}"), dir.path(), shoppers, units).await;
            let _ = a.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        }
        Err(e) => println!("postgres   skipped: {e}"),
    }
}
