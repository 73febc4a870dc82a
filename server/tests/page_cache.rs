//! The guests' page cache against real SQLite and PostgreSQL: a storefront
//! page is rendered once per catalog snapshot, every answer has a nonce of
//! its own, and no guest sees a page older than the change that moved it
//! (this process's commits at once, another server's when its event
//! arrives), even while writes race the renders.

mod common;

use app::catalog::stock;
use chrono::Utc;
use common::http::{Reply, page};
use common::{Backend, TestDb};
use entity::stock_movement::StockReason;
use entity::{category, product};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// The nonce the answer's Content-Security-Policy names.
fn nonce(reply: &Reply) -> String {
    let policy = reply.headers["content-security-policy"].to_str().unwrap();
    let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    policy[start..start + policy[start..].find('\'').unwrap()].to_owned()
}

/// The page with its nonce blanked, to compare two answers.
fn markup(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body.replace(&nonce(reply), "NONCE")
}

/// A fresh render of `uri`: a cookie keeps the cache out of it.
async fn rendered(app: &axum::Router, uri: &str) -> Reply {
    page(app, uri, &["seen=1"]).await
}

async fn keeps_guest_pages_with_a_nonce_each(backend: Backend) {
    let t = TestDb::new(backend).await;
    let (app, cache) = server::router_and_page_cache(t.state().await);
    let cache = cache.expect("caches are on by default");
    let slug = product::Entity::find_by_id(5).one(&t.db).await.unwrap().unwrap().slug;
    let uri = format!("/products/{slug}");

    let first = page(&app, &uri, &[]).await;
    assert_eq!(cache.len(), 1);
    let second = page(&app, &uri, &[]).await;
    assert_eq!(cache.len(), 1, "the second answer came from the cache");
    assert_ne!(nonce(&first), nonce(&second), "a nonce per answer");
    assert!(!second.body.contains(&nonce(&first)), "no trace of the first answer's nonce");
    assert!(second.body.contains(&format!("nonce=\"{}\"", nonce(&second))));
    assert_eq!(markup(&first), markup(&second));
    assert_eq!(markup(&second), markup(&rendered(&app, &uri).await), "the kept page is what a render gives");
    assert_eq!(second.headers["content-type"], first.headers["content-type"]);
    assert_eq!(second.headers["cache-control"], "no-cache", "the outer layers still apply");

    // Kept: the other storefront pages.
    for uri in ["/", "/products?page=3&sort=price-asc", "/categories", "/categories/gpus?brand=asus"] {
        let before = cache.len();
        assert_eq!(markup(&page(&app, uri, &[]).await), markup(&rendered(&app, uri).await), "{uri}");
        assert_eq!(cache.len(), before + 1, "{uri}");
    }
    // Not kept: anything with a cookie, searches, other pages, errors.
    let before = cache.len();
    for uri in ["/products?q=rtx", "/search?q=rtx", "/cart", "/sign-in", "/products/no-such-thing", "/nowhere"] {
        page(&app, uri, &[]).await;
        assert_eq!(cache.len(), before, "{uri}");
    }
    rendered(&app, "/categories/cpus").await;
    assert_eq!(cache.len(), before, "a request with a cookie");

    // CACHES=off (no read model) has no page cache.
    let mut off = t.state().await;
    off.catalog = None;
    assert!(server::page_cache::PageCache::new(&off).is_none());
}

async fn follows_every_change(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let catalog = state.catalog.clone().unwrap();
    let (app, _) = server::router_and_page_cache(state.clone());
    let p = product::Entity::find_by_id(7).one(&t.db).await.unwrap().unwrap();
    let category = category::Entity::find_by_id(p.category_id).one(&t.db).await.unwrap().unwrap();
    let uris = [format!("/products/{}", p.slug), "/".to_owned(), format!("/categories/{}", category.slug)];
    let shown = |r: &Reply| r.body.contains(&format!("/products/{}\"", p.slug));

    let old = page(&app, &uris[0], &[]).await;
    for uri in &uris {
        page(&app, uri, &[]).await;
    }
    assert!(shown(&page(&app, &uris[2], &[]).await), "its category lists it");

    // This process's commit: the next guest page shows it, no waiting.
    let to_low = i64::from(p.low_stock_threshold - p.stock);
    stock::adjust(&t.db, p.id, to_low, StockReason::Correction, None, 1, Utc::now()).await.unwrap();
    state.events.nudge();
    let now = page(&app, &uris[0], &[]).await;
    assert_ne!(markup(&now), markup(&old), "the change shows");
    assert!(now.body.contains(&format!("Only {} left", p.low_stock_threshold)));
    for uri in &uris {
        assert_eq!(markup(&page(&app, uri, &[]).await), markup(&rendered(&app, uri).await), "{uri}");
    }

    // Another server's change (by SQL here): unseen until its event
    // arrives, then shown at once. Off sale: gone from the listing too.
    let mut row: product::ActiveModel = product::Entity::find_by_id(p.id).one(&t.db).await.unwrap().unwrap().into();
    row.active = Set(false);
    row.updated_at = Set(Utc::now());
    row.update(&t.db).await.unwrap();
    assert_eq!(page(&app, &uris[0], &[]).await.status, 200, "still the page of before the event");
    catalog.changed(Some(p.id));
    assert_eq!(page(&app, &uris[0], &[]).await.status, 404);
    let listing = page(&app, &uris[2], &[]).await;
    assert!(!shown(&listing), "off sale, out of the listing");
    assert_eq!(markup(&listing), markup(&rendered(&app, &uris[2]).await));
}

/// Guests read while stock moves: whatever interleaving, once the writes
/// are done every guest page is what a render from the database gives.
async fn racing_writes_and_guests_end_equal(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let (app, _) = server::router_and_page_cache(state.clone());
    let ids = [3, 9, 12, 40];
    let mut uris: Vec<String> = vec!["/".into(), "/products?sort=price-desc".into()];
    for id in ids {
        uris.push(format!("/products/{}", product::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap().slug));
    }
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (db, events, id) = (t.db.clone(), state.events.clone(), ids[i % ids.len()]);
        tasks.push(tokio::spawn(async move {
            let delta = if i % 3 == 0 { -2 } else { 1 };
            let reason = if delta < 0 { StockReason::Damaged } else { StockReason::Received };
            let _ = stock::adjust(&db, id, delta, reason, None, 1, Utc::now()).await;
            events.nudge();
        }));
        let (app, uri) = (app.clone(), uris[i % uris.len()].clone());
        tasks.push(tokio::spawn(async move {
            assert_eq!(page(&app, &uri, &[]).await.status, 200);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    for uri in &uris {
        assert_eq!(markup(&page(&app, uri, &[]).await), markup(&rendered(&app, uri).await), "{uri}");
    }
}

on_both_backends!(keeps_guest_pages_with_a_nonce_each, follows_every_change, racing_writes_and_guests_end_equal);
