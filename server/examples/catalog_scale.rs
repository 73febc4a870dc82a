//! The catalog at scale: the seed catalog (344 products) and a generated one
//! (default 100,000: the seed copied with new names, slugs, SKUs, prices and
//! stock, specs and images included), each on a fresh SQLite file. For each:
//! start-up (search index and read model), resident memory, and p50/p95 of
//! listings, searches, facets and suggestions answered from the read model,
//! next to the same answers from SQL (`CACHES=off`), and how long the read
//! model takes to catch up after one stock change.
//!
//! `cargo run --release --example catalog_scale -- [products]`; bench/run.sh
//! runs it pinned to one core. One tokio thread (sqlx's SQLite worker thread
//! is a thread of its own, as in the server).

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::catalog::query::ListingQuery;
use app::catalog::read_model::ReadModel;
use app::catalog::search_index::SearchIndex;
use app::catalog::server;
use app::config::Config;
use app::events::bus::EventBus;
use entity::{product, product_image, product_spec};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, TransactionTrait,
};

const SEED: i32 = 344;

/// The server's allocator, so that memory and times are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident memory of this process, in MiB.
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 and p95 of `times`, in ms.
fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |p: f64| ms(times[((times.len() as f64 * p) as usize).min(times.len() - 1)]);
    (at(0.5), at(0.95))
}

/// Copies of the seed products until the catalog has `total`: copy `k` of
/// product `id` gets id `344 k + id`, "… Mk k" in its name, a price within
/// ±10 %, other stock and an older date, and the original's specs and images.
async fn grow(db: &sea_orm::DatabaseConnection, total: i32) {
    let products = product::Entity::find().order_by_asc(product::Column::Id).all(db).await.expect("products");
    let specs = product_spec::Entity::find().all(db).await.expect("specs");
    let images = product_image::Entity::find().all(db).await.expect("images");
    let copies = (total - 1).max(0) / SEED;
    let tx = db.begin().await.expect("begin");
    for k in 1..=copies {
        let mut batch_products = Vec::new();
        let mut batch_specs = Vec::new();
        let mut batch_images = Vec::new();
        for p in &products {
            let id = SEED * k + p.id;
            if id > total {
                continue;
            }
            let mut m: product::ActiveModel = p.clone().into();
            m = m.reset_all();
            m.id = Set(id);
            m.slug = Set(format!("{}-mk{k}", p.slug));
            m.sku = Set(format!("{}-MK{k}", p.sku));
            m.name = Set(format!("{} Mk {k}", p.name));
            m.price_cents = Set(p.price_cents * i64::from(90 + (k * 7 + p.id) % 21) / 100);
            m.stock = Set((p.stock + k * 3 + p.id) % 60);
            m.created_at = Set(p.created_at - chrono::TimeDelta::minutes(i64::from(k)));
            batch_products.push(m);
            for s in specs.iter().filter(|s| s.product_id == p.id) {
                let mut sm: product_spec::ActiveModel = s.clone().into();
                sm = sm.reset_all();
                sm.product_id = Set(id);
                batch_specs.push(sm);
            }
            for i in images.iter().filter(|i| i.product_id == p.id) {
                let mut im: product_image::ActiveModel = i.clone().into();
                im = im.reset_all();
                im.id = NotSet;
                im.product_id = Set(id);
                batch_images.push(im);
            }
        }
        for chunk in batch_products.chunks(500) {
            product::Entity::insert_many(chunk.to_vec()).exec(&tx).await.expect("insert products");
        }
        for chunk in batch_specs.chunks(2000) {
            product_spec::Entity::insert_many(chunk.to_vec()).exec(&tx).await.expect("insert specs");
        }
        for chunk in batch_images.chunks(2000) {
            product_image::Entity::insert_many(chunk.to_vec()).exec(&tx).await.expect("insert images");
        }
    }
    tx.commit().await.expect("commit");
}

/// What is asked, each `n` times: (label, category page or none, query string).
const ASKS: [(&str, Option<&str>, &str); 6] = [
    ("listing", None, "page=3&sort=price-asc"),
    ("category+facets", Some("gpus"), ""),
    ("filtered", Some("gpus"), "brand=asus&brand=msi&in_stock=1&sort=price-asc"),
    ("search", None, "q=rtx+4090"),
    ("search-typo", None, "q=mechanicl+keybord"),
    ("search+filter", None, "q=ssd&in_stock=1&sort=price-desc"),
];

async fn run(total: i32, rounds: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_s = dir.path().display().to_string();
    let url = format!("sqlite://{dir_s}/scale.db?mode=rwc");
    let config = Config::from_lookup(|k| match k {
        "DATA_DIR" => Some(dir_s.clone()),
        "DATABASE_URL" => Some(url.clone()),
        _ => None,
    })
    .expect("config");
    let db = app::state::connect(&config).await.expect("connect and migrate");
    let made = Instant::now();
    if total > SEED {
        grow(&db, total).await;
    }
    let generated = made.elapsed();
    // A catalog that last changed an hour ago, not one seeded a moment ago
    // (a catch-up re-reads the rows stamped in the last 30 s; see read_model).
    db.execute_unprepared(&format!(
        "UPDATE products SET updated_at = '{}'",
        (chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
    ))
    .await
    .expect("age the catalog");
    let rss_before = rss_mib();
    let started = Instant::now();
    let search = SearchIndex::from_db(&db).await.expect("search index");
    let indexed = started.elapsed();
    let bus = EventBus::local();
    let model = Arc::new(ReadModel::load(&db, bus.wake()).await.expect("read model"));
    let loaded = started.elapsed() - indexed;
    let rss_after = rss_mib();
    let products = model.snapshot(&db).await.expect("snapshot").len();
    println!(
        "\n{products} products (generated in {:.1} s): start-up {:.0} ms (search index {:.0} ms, read model {:.0} ms), resident memory +{:.0} MiB ({:.0} MiB in all)",
        generated.as_secs_f64(),
        ms(indexed + loaded),
        ms(indexed),
        ms(loaded),
        rss_after - rss_before,
        rss_after
    );
    println!("{:<18} {:>14} {:>14} {:>14} {:>14}", "ask", "memory p50", "memory p95", "SQL p50", "SQL p95");
    for (label, category, q) in ASKS {
        let mut mem = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let snap = model.snapshot(&db).await.expect("snapshot");
            let page = snap.listing(&search, category, ListingQuery::parse(q)).expect("listing");
            std::hint::black_box(page);
            mem.push(t.elapsed());
        }
        // SQL is slower by far at scale: fewer rounds.
        let mut sql = Vec::new();
        for _ in 0..(rounds / 10).max(5) {
            let t = Instant::now();
            let page = server::listing(&db, &search, category, ListingQuery::parse(q)).await.expect("listing");
            std::hint::black_box(page);
            sql.push(t.elapsed());
        }
        let ((m50, m95), (s50, s95)) = (percentiles(mem), percentiles(sql));
        println!("{label:<18} {m50:>11.3} ms {m95:>11.3} ms {s50:>11.3} ms {s95:>11.3} ms");
    }
    let mut suggest = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(
            model.snapshot(&db).await.expect("snapshot").suggestions(&search, "rtx 40").expect("suggest"),
        );
        suggest.push(t.elapsed());
    }
    let (s50, s95) = percentiles(suggest);
    println!("{:<18} {s50:>11.3} ms {s95:>11.3} ms", "suggestions");

    // One stock change committed and announced, then the next read: the catch-up.
    let mut catch_up = Vec::new();
    for i in 0..20 {
        let delta = if i % 2 == 0 { 1 } else { -1 };
        let reason = if delta > 0 {
            entity::stock_movement::StockReason::Received
        } else {
            entity::stock_movement::StockReason::Damaged
        };
        app::catalog::stock::adjust(&db, 1, delta, reason, None, 1, chrono::Utc::now()).await.expect("adjust");
        bus.nudge();
        let t = Instant::now();
        model.snapshot(&db).await.expect("snapshot");
        catch_up.push(t.elapsed());
    }
    let (c50, c95) = percentiles(catch_up);
    println!("{:<18} {c50:>11.3} ms {c95:>11.3} ms   (first read after a stock change)", "catch-up");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let total: i32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(200);
    run(SEED, rounds).await;
    if total > SEED {
        run(total, rounds).await;
    }
}
