//! Catalog services against real SQLite and PostgreSQL databases, each test
//! on a fresh database migrated and seeded exactly as the server does.

mod common;

use app::catalog::query::{ListingQuery, SortOrder};
use app::catalog::search_index::SearchIndex;
use app::catalog::server;
use app::catalog::types::{Money, StockStatus};
use common::{Backend, TestDb};
use entity::{category, product, product_image};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn parsed(qs: &str) -> app::catalog::query::Parsed {
    ListingQuery::parse(qs)
}

async fn seed_is_complete_and_idempotent(backend: Backend) {
    let t = TestDb::new(backend).await;
    assert_eq!(product::Entity::find().count(&t.db).await.unwrap(), 344);
    assert_eq!(category::Entity::find().count(&t.db).await.unwrap(), 33);
    let images = product_image::Entity::find().count(&t.db).await.unwrap();
    assert!((2 * 344..=5 * 344).contains(&images), "{images} images");
    // Running the migrations again (every server start does) changes nothing.
    app::state::connect(&t.config).await.unwrap();
    assert_eq!(product::Entity::find().count(&t.db).await.unwrap(), 344);
    let summaries = server::category_summaries(&t.db).await.unwrap();
    assert_eq!(summaries.iter().map(|c| c.product_count).sum::<u64>(), 344);
    assert!(summaries.iter().all(|c| c.product_count > 0));
}

async fn category_listing_filters_sorts_and_pages(backend: Backend) {
    let t = TestDb::new(backend).await;
    let search = SearchIndex::from_db(&t.db).await.unwrap();
    let all = server::listing(&t.db, &search, Some("gpus"), parsed("")).await.unwrap();
    assert!(all.total >= 8, "gpus: {}", all.total);
    assert!(all.items.iter().all(|p| p.category_slug == "gpus"));
    assert!(all.notices.is_empty());

    // Facet counts tell exactly how many products each filter would show.
    let brand = all.facets.brands.iter().find(|b| b.count > 0).expect("a brand facet").clone();
    let by_brand =
        server::listing(&t.db, &search, Some("gpus"), parsed(&format!("brand={}", brand.value))).await.unwrap();
    assert_eq!(by_brand.total, brand.count);
    assert!(by_brand.items.iter().all(|p| p.brand == brand.label));
    assert!(by_brand.facets.brands.iter().any(|b| b.value == brand.value && b.selected));

    let spec = all.facets.specs.first().expect("gpus have spec facets").clone();
    let value = spec.values.iter().find(|v| v.count > 0).unwrap().clone();
    let by_spec = server::listing(&t.db, &search, Some("gpus"), parsed(&format!("spec.{}={}", spec.key, value.value)))
        .await
        .unwrap();
    assert_eq!(by_spec.total, value.count, "spec facet {}={}", spec.key, value.value);
    // The facet's own counts ignore its own selection (so alternatives stay visible).
    let same_facet = by_spec.facets.specs.iter().find(|f| f.key == spec.key).unwrap();
    assert_eq!(same_facet.values.len(), spec.values.len());

    // Combined: spec + price + in stock + sort by price.
    let (lo, hi) = all.facets.price_bounds.unwrap();
    let mid = Money::usd((lo.minor() + hi.minor()) / 2);
    let qs = format!("max_price={}&in_stock=1&sort=price-asc", mid.to_major_string());
    let combined = server::listing(&t.db, &search, Some("gpus"), parsed(&qs)).await.unwrap();
    assert!(combined.items.iter().all(|p| p.price <= mid && p.stock != StockStatus::OutOfStock));
    assert!(combined.items.windows(2).all(|w| w[0].price <= w[1].price), "sorted by price");
    assert!(combined.total < all.total);

    // Pagination over the whole catalog.
    let page1 = server::listing(&t.db, &search, None, parsed("per_page=12&sort=name")).await.unwrap();
    assert_eq!(page1.total, 344);
    assert_eq!(page1.pages, 29);
    assert_eq!(page1.items.len(), 12);
    let page29 = server::listing(&t.db, &search, None, parsed("per_page=12&sort=name&page=29")).await.unwrap();
    assert_eq!(page29.items.len(), 344 - 28 * 12);
    assert!(page1.items.iter().all(|p| !page29.items.iter().any(|q| q.id == p.id)));
    let names: Vec<_> = page1.items.iter().chain(&page29.items).map(|p| p.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "case-insensitive name order: {names:?}");
}

async fn bad_parameters_fall_back_safely(backend: Backend) {
    let t = TestDb::new(backend).await;
    let search = SearchIndex::from_db(&t.db).await.unwrap();
    let page = server::listing(
        &t.db,
        &search,
        Some("cpus"),
        parsed("sort=%3Cscript%3E&page=999999&per_page=-1&min_price=abc&brand=no-such-brand&spec.nope=1"),
    )
    .await
    .unwrap();
    assert!(page.total > 0, "garbage filters are dropped, not applied");
    assert_eq!(page.page, 1);
    assert!(page.notices.len() >= 4, "{:?}", page.notices);
    assert!(page.notices.iter().all(|n| !n.contains('<')));
    let beyond = server::listing(&t.db, &search, Some("cpus"), parsed("page=50")).await.unwrap();
    assert_eq!(beyond.page, beyond.pages, "a page past the end shows the last page");
    let missing = server::listing(&t.db, &search, Some("no-such-category"), parsed("")).await;
    assert!(matches!(missing, Err(app::error::ServerError::NotFound)));
}

async fn search_tolerates_spacing_case_and_typos(backend: Backend) {
    let t = TestDb::new(backend).await;
    let search = SearchIndex::from_db(&t.db).await.unwrap();
    let rtx = product::Entity::find()
        .filter(product::Column::Name.contains("RTX 4090"))
        .one(&t.db)
        .await
        .unwrap()
        .expect("the seed has an RTX 4090");
    for q in ["rtx4090", "RTX 4090", "rtx-4090"] {
        let page = server::listing(&t.db, &search, None, parsed(&format!("q={q}"))).await.unwrap();
        assert!(page.items.iter().any(|p| p.id == rtx.id), "{q} finds {}", rtx.name);
        assert!(!page.relaxed);
    }
    let typo = server::listing(&t.db, &search, None, parsed("q=mechanicl+keybord")).await.unwrap();
    assert!(typo.total > 0, "typos still find keyboards");
    assert!(typo.items.iter().any(|p| p.category_slug == "keyboards"));

    // Search combines with filters and facets.
    let filtered = server::listing(&t.db, &search, None, parsed("q=rtx&category=gpus&sort=price-desc")).await.unwrap();
    assert!(filtered.total > 0);
    assert!(filtered.items.iter().all(|p| p.category_slug == "gpus"));
    assert!(filtered.items.windows(2).all(|w| w[0].price >= w[1].price));

    let nothing = server::listing(&t.db, &search, None, parsed("q=zzqxxj")).await.unwrap();
    assert_eq!(nothing.total, 0);
    assert!(nothing.items.is_empty());

    let suggestions = server::suggestions(&t.db, &search, "rtx 40").await.unwrap();
    assert!(!suggestions.is_empty());
    assert!(suggestions.iter().all(|s| s.name.to_lowercase().contains("rtx")));
}

async fn product_detail_has_gallery_specs_and_related(backend: Backend) {
    let t = TestDb::new(backend).await;
    let p = product::Entity::find().filter(product::Column::Stock.gt(0)).one(&t.db).await.unwrap().unwrap();
    let detail = server::product_detail(&t.db, &p.slug).await.unwrap().expect("product page");
    assert_eq!(detail.card.id, p.id);
    assert!((2..=5).contains(&detail.images.len()));
    assert!(detail.images.iter().all(|i| i.url.starts_with("/images/products/") && i.width > 0));
    assert!(!detail.specs.is_empty());
    assert!(!detail.related.is_empty());
    assert!(detail.related.iter().all(|r| r.category_slug == detail.card.category_slug && r.id != p.id));
    assert!(server::product_detail(&t.db, "no-such-product").await.unwrap().is_none());
}

async fn home_has_featured_deals_and_categories(backend: Backend) {
    let t = TestDb::new(backend).await;
    let home = server::home(&t.db).await.unwrap();
    assert!(!home.featured.is_empty());
    assert!(!home.deals.is_empty());
    assert!(home.deals.iter().all(|d| d.compare_at.is_some_and(|c| c > d.price)));
    assert_eq!(home.categories.len(), 33);
}

async fn sort_orders_are_total(backend: Backend) {
    let t = TestDb::new(backend).await;
    let search = SearchIndex::from_db(&t.db).await.unwrap();
    for sort in SortOrder::ALL {
        let q = ListingQuery { sort, per_page: 48, ..ListingQuery::new() };
        let mut seen = std::collections::HashSet::new();
        let pages = server::listing(&t.db, &search, None, parsed(&q.to_query_string())).await.unwrap().pages;
        for page in 1..=pages {
            let listing =
                server::listing(&t.db, &search, None, parsed(&q.with_page(page).to_query_string())).await.unwrap();
            for item in listing.items {
                assert!(seen.insert(item.id), "{sort:?}: product {} shown twice", item.id);
            }
        }
        assert_eq!(seen.len(), 344, "{sort:?} pages cover the catalog exactly once");
    }
}

on_both_backends!(
    seed_is_complete_and_idempotent,
    category_listing_filters_sorts_and_pages,
    bad_parameters_fall_back_safely,
    search_tolerates_spacing_case_and_typos,
    product_detail_has_gallery_specs_and_related,
    home_has_featured_deals_and_categories,
    sort_orders_are_total,
);
