//! The catalog's read model against real SQLite and PostgreSQL: it answers
//! exactly what the database queries answer (pages, facets, counts), and it
//! follows the store's writes: this process's at once, other processes'
//! when their events arrive.

mod common;

use std::sync::Arc;
use std::time::Duration;

use app::catalog::query::ListingQuery;
use app::catalog::read_model::{ReadModel, Snapshot};
use app::catalog::search_index::SearchIndex;
use app::catalog::server;
use app::catalog::stock;
use app::catalog::types::StockStatus;
use app::events::bus::Wake;
use chrono::Utc;
use common::{Backend, TestDb};
use entity::product;
use entity::stock_movement::StockReason;
use sea_orm::{EntityTrait, QueryOrder};

/// Listing queries of every kind: each category page sorted every way,
/// filtered by its own facets (one and two brands, spec values, a price
/// range, in stock), paged; the whole catalog with categories, searches
/// (ranked, sorted, misspelt, matching nothing) and corrected requests.
async fn listing_queries(t: &TestDb, search: &SearchIndex) -> Vec<(Option<String>, String)> {
    let mut queries: Vec<(Option<String>, String)> = Vec::new();
    for q in [
        "",
        "sort=price-asc",
        "sort=name",
        "category=gpus&category=cpus",
        "category=gpus&spec.memory=24",
        "category=gpus&category=nope",
        "brand=nope&in_stock=1",
        "q=rtx",
        "q=rtx&sort=price-desc",
        "q=rtx&category=gpus&page=2&per_page=12",
        "q=mechanicl+keybord",
        "q=ssd&in_stock=1&min_price=50&max_price=300",
        "q=zzzqqqxxx",
        "page=999",
        "per_page=48&page=3&sort=newest",
        "min_price=oops&max_price=10",
    ] {
        queries.push((None, q.to_owned()));
    }
    for c in server::category_summaries(&t.db).await.unwrap() {
        let slug = Some(c.slug.clone());
        for q in ["", "sort=price-asc", "sort=price-desc", "sort=name", "sort=newest", "sort=rating", "in_stock=1"] {
            queries.push((slug.clone(), q.to_owned()));
        }
        queries.push((slug.clone(), "per_page=12&page=2&sort=rating".to_owned()));
        queries.push((slug.clone(), "spec.nope=1".to_owned()));
        let base = server::listing(&t.db, search, Some(&c.slug), ListingQuery::parse("")).await.unwrap();
        let brands: Vec<&str> = base.facets.brands.iter().map(|b| b.value.as_str()).collect();
        if let Some(b) = brands.first() {
            queries.push((slug.clone(), format!("brand={b}&sort=price-asc")));
        }
        if let [a, b, ..] = brands.as_slice() {
            queries.push((slug.clone(), format!("brand={a}&brand={b}&in_stock=1")));
        }
        for spec in base.facets.specs.iter().take(3) {
            let values: Vec<&str> = spec.values.iter().map(|v| v.value.as_str()).collect();
            let k = &spec.key;
            queries.push((slug.clone(), format!("spec.{k}={}", urlencode(values[0]))));
            if let [a, b, ..] = values.as_slice() {
                queries.push((slug.clone(), format!("spec.{k}={}&spec.{k}={}&sort=name", urlencode(a), urlencode(b))));
            }
        }
        if let [first, second, ..] = base.facets.specs.as_slice() {
            let (a, b) = (&first.values[0].value, &second.values[0].value);
            queries.push((
                slug.clone(),
                format!("spec.{}={}&spec.{}={}", first.key, urlencode(a), second.key, urlencode(b)),
            ));
        }
        if let Some((lo, hi)) = base.facets.price_bounds {
            let mid = (lo.minor() + hi.minor()) / 200;
            queries.push((slug.clone(), format!("min_price={mid}&in_stock=1&sort=price-desc")));
            queries.push((slug.clone(), format!("max_price={mid}")));
        }
    }
    queries
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn loaded(t: &TestDb) -> ReadModel {
    ReadModel::load(&t.db, Arc::new(Wake::default())).await.unwrap()
}

async fn answers_what_the_database_answers(backend: Backend) {
    let t = TestDb::new(backend).await;
    let search = SearchIndex::from_db(&t.db).await.unwrap();
    let model = loaded(&t).await;
    let snap: Arc<Snapshot> = model.snapshot(&t.db).await.unwrap();
    assert_eq!(snap.len(), 344);

    assert_eq!(snap.home(), server::home(&t.db).await.unwrap());
    assert_eq!(snap.category_summaries(), server::category_summaries(&t.db).await.unwrap());
    for p in product::Entity::find().order_by_asc(product::Column::Id).all(&t.db).await.unwrap() {
        assert_eq!(snap.product_detail(&p.slug), server::product_detail(&t.db, &p.slug).await.unwrap(), "{}", p.slug);
    }
    assert_eq!(snap.product_detail("no-such-product"), None);
    for text in ["rt", "rtx 40", "keyb", "samsung", "zzz", ""] {
        assert_eq!(
            snap.suggestions(&search, text).unwrap(),
            server::suggestions(&t.db, &search, text).await.unwrap(),
            "{text}"
        );
    }
    let queries = listing_queries(&t, &search).await;
    assert!(queries.len() > 400, "{} queries", queries.len());
    for (category, q) in queries {
        let sql = server::listing(&t.db, &search, category.as_deref(), ListingQuery::parse(&q)).await;
        let mem = snap.listing(&search, category.as_deref(), ListingQuery::parse(&q));
        match (sql, mem) {
            (Ok(sql), Ok(mem)) => assert_eq!(mem, sql, "{category:?} ?{q}"),
            (sql, mem) => assert_eq!(format!("{:?}", mem.err()), format!("{:?}", sql.err()), "{category:?} ?{q}"),
        }
    }
    let unknown = snap.listing(&search, Some("no-such-category"), ListingQuery::parse(""));
    assert!(matches!(unknown, Err(app::error::ServerError::NotFound)), "{unknown:?}");
}

fn stock_on_page(snap: &Snapshot, slug: &str) -> Option<StockStatus> {
    snap.product_detail(slug).map(|d| d.card.stock)
}

/// This process's commits are seen by the very next read: the write
/// nudges the bus's counter, and the read catches up before it answers.
async fn follows_this_process_at_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let catalog = state.catalog.clone().expect("caches are on by default");
    let p = product::Entity::find_by_id(5).one(&t.db).await.unwrap().unwrap();
    let before = catalog.snapshot(&t.db).await.unwrap();
    assert_eq!(stock_on_page(&before, &p.slug), Some(StockStatus::from_levels(p.stock, p.low_stock_threshold)));

    // Down to exactly the threshold, then to none, then back: each read after
    // each commit shows it, with no waiting.
    let to_low = i64::from(p.low_stock_threshold - p.stock);
    stock::adjust(&t.db, p.id, to_low, StockReason::Correction, None, 1, Utc::now()).await.unwrap();
    state.events.nudge();
    let snap = catalog.snapshot(&t.db).await.unwrap();
    assert_eq!(stock_on_page(&snap, &p.slug), Some(StockStatus::Low(p.low_stock_threshold)));
    assert_eq!(stock_on_page(&before, &p.slug), Some(StockStatus::from_levels(p.stock, p.low_stock_threshold)));

    stock::adjust(&t.db, p.id, -i64::from(p.low_stock_threshold), StockReason::Damaged, None, 1, Utc::now())
        .await
        .unwrap();
    state.events.nudge();
    let snap = catalog.snapshot(&t.db).await.unwrap();
    assert_eq!(stock_on_page(&snap, &p.slug), Some(StockStatus::OutOfStock));
    let in_stock = snap.listing(&state.search, None, ListingQuery::parse("in_stock=1&per_page=48")).unwrap();
    assert!(in_stock.items.iter().all(|c| c.id != p.id));
    assert_eq!(
        snap.listing(&state.search, None, ListingQuery::parse("in_stock=1")).unwrap(),
        server::listing(&t.db, &state.search, None, ListingQuery::parse("in_stock=1")).await.unwrap()
    );

    // Taken off sale: gone from every page; back on sale: back.
    app::admin::catalog_server::set_on_sale(&t.db, &[p.id], false, Utc::now()).await.unwrap();
    state.events.nudge();
    let snap = catalog.snapshot(&t.db).await.unwrap();
    assert_eq!(snap.product_detail(&p.slug), None);
    assert_eq!(snap.len(), 343);
    assert_eq!(snap.category_summaries(), server::category_summaries(&t.db).await.unwrap());
    app::admin::catalog_server::set_on_sale(&t.db, &[p.id], true, Utc::now()).await.unwrap();
    state.events.nudge();
    let snap = catalog.snapshot(&t.db).await.unwrap();
    assert_eq!(snap.product_detail(&p.slug), server::product_detail(&t.db, &p.slug).await.unwrap());
    assert_eq!(snap.home(), server::home(&t.db).await.unwrap());
}

/// Another app server's writes reach this process's model through the bus:
/// before the event is relayed the model still shows what it had; once the
/// relay publishes it, the model catches up.
async fn follows_other_processes_through_the_bus(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    // "Another process": a model whose commit counter this process's writes never move.
    let other = Arc::new(loaded(&t).await);
    tokio::spawn(app::catalog::read_model::follow(other.clone(), state.events.subscribe()));
    let p = product::Entity::find_by_id(9).one(&t.db).await.unwrap().unwrap();

    // One unit more: within its bounds, so only a StockChanged event says so.
    stock::adjust(&t.db, p.id, 1, StockReason::Received, None, 1, Utc::now()).await.unwrap();
    assert_eq!(other.snapshot(&t.db).await.unwrap().stock(p.id), Some(p.stock), "no event relayed yet");

    let relay =
        tokio::spawn(app::events::outbox::run_relay(state.db.clone(), state.events.clone(), Duration::from_millis(50)));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while other.snapshot(&t.db).await.unwrap().stock(p.id) != Some(p.stock + 1) {
        assert!(tokio::time::Instant::now() < deadline, "the event never reached the other model");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The price the other server edits arrives the same way (ProductChanged).
    app::admin::catalog_server::set_on_sale(&t.db, &[p.id], false, Utc::now()).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while other.snapshot(&t.db).await.unwrap().product_detail(&p.slug).is_some() {
        assert!(tokio::time::Instant::now() < deadline, "taken off sale, still shown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    relay.abort();
}

/// An event published after the model loaded but before its follower
/// started (another server's change while this one starts) is followed:
/// the model heard the bus from before its load.
async fn hears_what_was_published_while_it_started(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let other = Arc::new(
        ReadModel::load_hearing(&t.db, Arc::new(Wake::default()), Some(state.events.subscribe())).await.unwrap(),
    );
    let p = product::Entity::find_by_id(11).one(&t.db).await.unwrap().unwrap();
    let mut probe = state.events.subscribe();
    stock::adjust(&t.db, p.id, 1, StockReason::Received, None, 1, Utc::now()).await.unwrap();
    let relay =
        tokio::spawn(app::events::outbox::run_relay(state.db.clone(), state.events.clone(), Duration::from_millis(50)));
    // Published, and nobody follows the model yet.
    tokio::time::timeout(Duration::from_secs(10), async {
        while probe.recv().await.unwrap().event.product_id() != Some(p.id) {}
    })
    .await
    .expect("the relay publishes the change");
    relay.abort();
    assert_eq!(other.snapshot(&t.db).await.unwrap().stock(p.id), Some(p.stock));

    let heard = other.heard_since_load().expect("kept for the follower");
    assert!(other.heard_since_load().is_none(), "taken once");
    tokio::spawn(app::catalog::read_model::follow(other.clone(), heard));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while other.snapshot(&t.db).await.unwrap().stock(p.id) != Some(p.stock + 1) {
        assert!(tokio::time::Instant::now() < deadline, "the change published during start-up was lost");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Many writers and readers at once: readers never fail, and once the
/// writes are done the model shows exactly the stock the database holds.
async fn racing_writes_and_reads_end_equal(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let catalog = state.catalog.clone().unwrap();
    let ids: Vec<i32> = (1..=6).collect();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (db, events, id) = (t.db.clone(), state.events.clone(), ids[i % ids.len()]);
        tasks.push(tokio::spawn(async move {
            let delta = if i % 3 == 0 { -1 } else { 2 };
            let reason = if delta < 0 { StockReason::Damaged } else { StockReason::Received };
            // Refusals (none left) are fine; what committed must show.
            let _ = stock::adjust(&db, id, delta, reason, None, 1, Utc::now()).await;
            events.nudge();
        }));
        let (catalog, db) = (catalog.clone(), t.db.clone());
        tasks.push(tokio::spawn(async move {
            let snap = catalog.snapshot(&db).await.expect("a read while writes commit");
            assert_eq!(snap.len(), 344);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let snap = catalog.snapshot(&t.db).await.unwrap();
    for p in product::Entity::find().all(&t.db).await.unwrap() {
        assert_eq!(snap.stock(p.id), Some(p.stock), "{}", p.slug);
    }
}

on_both_backends!(
    answers_what_the_database_answers,
    follows_this_process_at_once,
    follows_other_processes_through_the_bus,
    hears_what_was_published_while_it_started,
    racing_writes_and_reads_end_equal,
);
