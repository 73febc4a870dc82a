//! Product management in the back office on SQLite and PostgreSQL: edits
//! with optimistic concurrency (a stale edit is a conflict and is kept as
//! a draft, racing saves let exactly one win), unique slugs and SKUs (also
//! when two saves race), typed specs and field errors, soft delete and
//! restore, price changes that reach new orders only, and the search
//! index and listings following each edit in place, on this app server at
//! once and on another one through the event bus.

mod common;

use std::time::Duration;

use app::admin::catalog::{ProductForm, ProductState, SaveOutcome};
use app::admin::catalog_server::{self as products, Saved};
use app::cart::domain::LineRequest;
use app::checkout::domain::ShippingMethod;
use app::error::ServerError;
use app::orders::server::{self as orders, Party, PlaceOrder};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use common::http::{page, send, sign_in};
use common::{Backend, TestDb, address};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn form_of(t: &TestDb, id: i32) -> ProductForm {
    products::editor(&t.db, Some(id), None, None, 1).await.unwrap().form
}

async fn product(t: &TestDb, id: i32) -> entity::product::Model {
    entity::product::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap()
}

fn fields_of(e: ServerError) -> Vec<String> {
    match e {
        ServerError::Fields(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Two admins open product 1; the first saves; the second's save is a
/// conflict that writes nothing, kept as a draft that shows both versions
/// and saves knowingly on the second try.
async fn a_stale_edit_is_a_conflict_and_nothing_is_lost(backend: Backend) {
    let t = TestDb::new(backend).await;
    let opened = form_of(&t, 1).await;
    let before = product(&t, 1).await;
    assert_eq!(opened.version, 1);

    let first = ProductForm { name: "First admin's name".into(), ..opened.clone() };
    assert_eq!(products::save(&t.db, &first, Utc::now()).await.unwrap(), Saved { id: 1, version: 2 });

    let second = ProductForm { price: "1.23".into(), description: "A long text typed with care.".into(), ..opened };
    assert!(matches!(products::save(&t.db, &second, Utc::now()).await, Err(ServerError::Conflict)));
    let now = product(&t, 1).await;
    assert_eq!((now.name.as_str(), now.price_cents, now.version), ("First admin's name", before.price_cents, 2));

    let draft = products::keep_draft(&t.db, 7, &second, Vec::new(), true, Utc::now()).await.unwrap();
    let shown = products::editor(&t.db, Some(1), None, Some(draft), 7).await.unwrap();
    assert_eq!(shown.form.price, "1.23", "the second admin's values are in the form");
    assert_eq!(shown.form.description, "A long text typed with care.");
    assert_eq!(shown.form.version, 2, "saving again replaces the saved version knowingly");
    let rows = shown.draft.as_ref().and_then(|d| d.conflict.clone()).expect("a conflict");
    let labels: Vec<&str> = rows.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(labels, ["Name", "Description", "Price"], "{rows:?}");
    assert_eq!(rows[0].1, "First admin's name");
    // Only its author sees a draft.
    assert!(products::editor(&t.db, Some(1), None, Some(draft), 8).await.unwrap().draft.is_none());

    assert_eq!(products::save(&t.db, &shown.form, Utc::now()).await.unwrap(), Saved { id: 1, version: 3 });
    let now = product(&t, 1).await;
    // The second admin's version as a whole, the first admin's name replaced knowingly.
    assert_eq!((now.price_cents, now.name.as_str()), (123, before.name.as_str()));
    assert_eq!(now.description, "A long text typed with care.");
}

/// Eight saves from the same version at once: exactly one is written.
async fn racing_saves_let_exactly_one_win(backend: Backend) {
    let t = TestDb::new(backend).await;
    let opened = form_of(&t, 2).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let db = t.db.clone();
            let form = ProductForm { price: format!("{}.00", 100 + i), ..opened.clone() };
            tokio::spawn(async move { products::save(&db, &form, Utc::now()).await })
        })
        .collect();
    let mut won = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await.unwrap() {
            Ok(_) => won.push(i as i64),
            Err(ServerError::Conflict) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(won.len(), 1, "{won:?}");
    let p = product(&t, 2).await;
    assert_eq!((p.version, p.price_cents), (2, (100 + won[0]) * 100));
}

/// Slugs and SKUs are unique: told as field errors, also when two new
/// products race for the same slug (the unique index decides).
async fn slugs_and_skus_are_unique(backend: Backend) {
    let t = TestDb::new(backend).await;
    let other = product(&t, 2).await;
    let mine = form_of(&t, 1).await;
    let clash = ProductForm { slug: other.slug.clone(), sku: other.sku.to_lowercase(), ..mine.clone() };
    let err = products::save(&t.db, &clash, Utc::now()).await.unwrap_err();
    assert_eq!(fields_of(err), ["slug", "sku"]);
    assert_eq!(product(&t, 1).await.version, 1, "nothing written");

    let new = |sku: &str| ProductForm {
        id: None,
        version: 0,
        slug: String::new(),
        name: "Racing Widget Pro".into(),
        sku: sku.into(),
        ..mine.clone()
    };
    let (race_a, race_b) = (new("RACE-A"), new("RACE-B"));
    let (a, b) = tokio::join!(products::save(&t.db, &race_a, Utc::now()), products::save(&t.db, &race_b, Utc::now()));
    let outcomes = [a, b];
    let saved: Vec<&Saved> = outcomes.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(saved.len(), 1, "{outcomes:?}");
    for r in &outcomes {
        if let Err(e) = r {
            match e {
                ServerError::Fields(f) => assert_eq!(f[0].field, "slug"),
                other => panic!("{other:?}"),
            }
        }
    }
    // Two new products of one new brand, saved at once: one brand row, both use it.
    let branded = |sku: &str, slug: &str| ProductForm {
        brand: "Brand New Co".into(),
        sku: sku.into(),
        slug: slug.into(),
        ..new(sku)
    };
    let (first, second) = (branded("BRAND-1", "brand-one"), branded("BRAND-2", "brand-two"));
    let (a, b) = tokio::join!(products::save(&t.db, &first, Utc::now()), products::save(&t.db, &second, Utc::now()));
    let (a, b) = (a.unwrap(), b.unwrap());
    let brands =
        entity::brand::Entity::find().filter(entity::brand::Column::Name.eq("Brand New Co")).all(&t.db).await.unwrap();
    assert_eq!(brands.len(), 1);
    assert_eq!(product(&t, a.id).await.brand_id, brands[0].id);
    assert_eq!(product(&t, b.id).await.brand_id, brands[0].id);

    let created = product(&t, saved[0].id).await;
    assert_eq!((created.slug.as_str(), created.stock), ("racing-widget-pro", 0), "slug made from the name, no stock");
}

/// Every problem is told at once, beside its field, and nothing is written.
async fn field_errors_are_told_and_nothing_is_written(backend: Backend) {
    let t = TestDb::new(backend).await;
    let p = product(&t, 3).await;
    let category = entity::category::Entity::find_by_id(p.category_id).one(&t.db).await.unwrap().unwrap();
    let number_spec = entity::spec_definition::Entity::find()
        .filter(entity::spec_definition::Column::CategoryId.eq(category.id))
        .filter(entity::spec_definition::Column::Kind.eq("number"))
        .one(&t.db)
        .await
        .unwrap()
        .expect("a number spec");
    let mut form = form_of(&t, 3).await;
    form.name = "  ".into();
    form.slug = "Not A Slug".into();
    form.price = "12.345".into();
    form.threshold = "-1".into();
    form.category = "no-such-category".into();
    let err = products::save(&t.db, &form, Utc::now()).await.unwrap_err();
    assert_eq!(fields_of(err), ["name", "slug", "category", "price", "threshold"]);

    let mut form = form_of(&t, 3).await;
    form.specs.insert(number_spec.key.clone(), "lots".into());
    form.price = "10".into();
    form.compare_at = "10".into();
    let err = products::save(&t.db, &form, Utc::now()).await.unwrap_err();
    assert_eq!(fields_of(err), ["compare_at".to_owned(), format!("specs.{}", number_spec.key)]);
    assert_eq!(product(&t, 3).await, p, "nothing written");

    // A valid number is stored canonically, with its numeric value; a spec
    // of another category is not the product's and is not stored.
    let mut form = form_of(&t, 3).await;
    form.specs.insert(number_spec.key.clone(), " 12.50 ".into());
    form.specs.insert("not_a_spec_here".into(), "x".into());
    products::save(&t.db, &form, Utc::now()).await.unwrap();
    let specs = entity::product_spec::Entity::find()
        .filter(entity::product_spec::Column::ProductId.eq(3))
        .all(&t.db)
        .await
        .unwrap();
    let spec = specs.iter().find(|s| s.key == number_spec.key).unwrap();
    assert_eq!((spec.value.as_str(), spec.value_num), ("12.5", Some(12.5)));
    assert!(specs.iter().all(|s| s.key != "not_a_spec_here"));
}

/// Deleting is soft and guarded by the version; a deleted product cannot
/// be edited until restored, and comes back not on sale.
async fn delete_and_restore(backend: Backend) {
    let t = TestDb::new(backend).await;
    let form = form_of(&t, 4).await;
    assert!(matches!(products::delete(&t.db, 4, 9, Utc::now()).await, Err(ServerError::Conflict)));
    products::delete(&t.db, 4, 1, Utc::now()).await.unwrap();
    let p = product(&t, 4).await;
    assert!(p.deleted_at.is_some() && !p.active);
    assert!(matches!(products::delete(&t.db, 4, 2, Utc::now()).await, Err(ServerError::Conflict)), "once");
    // Told it is deleted (not a conflict to save again as a draft).
    let edit = ProductForm { version: 2, ..form };
    let err = products::save(&t.db, &edit, Utc::now()).await.unwrap_err();
    assert!(matches!(err, ServerError::Validation { field: "form", .. }), "{err:?}");
    assert!(matches!(products::delete(&t.db, 99_999, 1, Utc::now()).await, Err(ServerError::NotFound)));

    let filter = |state| app::admin::catalog::ProductFilter {
        q: Some(p.sku.clone()),
        category: None,
        state,
        sort: Default::default(),
        page: 1,
    };
    assert_eq!(products::list(&t.db, &filter(ProductState::Current)).await.unwrap().total, 0);
    assert_eq!(products::list(&t.db, &filter(ProductState::Deleted)).await.unwrap().total, 1);

    products::restore(&t.db, 4, Utc::now()).await.unwrap();
    let p = product(&t, 4).await;
    assert!(p.deleted_at.is_none() && !p.active);
    assert_eq!(p.version, 3);
    assert!(matches!(products::restore(&t.db, 4, Utc::now()).await, Err(ServerError::Conflict)), "not deleted");
    let kinds = entity::outbox_event::Entity::find()
        .filter(entity::outbox_event::Column::Kind.eq("product_changed"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(kinds.len(), 2, "deleted and restored, each an event");
}

fn order(key: &str, product: i32) -> PlaceOrder {
    PlaceOrder {
        party: Party { user_id: None, email: "prices@example.com".into() },
        lines: vec![LineRequest { product_id: product, quantity: 1 }],
        address: address(),
        shipping: ShippingMethod::Standard,
        provider: "stub".into(),
        checkout_key: key.into(),
        expected_subtotal: None,
        client_ip: None,
    }
}

async fn unit_price(t: &TestDb, order_id: i32) -> i64 {
    entity::order_line::Entity::find()
        .filter(entity::order_line::Column::OrderId.eq(order_id))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
        .unit_price_minor
}

/// A new price applies to orders placed after it; earlier orders keep the
/// price they were placed at.
async fn a_price_change_reaches_new_orders_only(backend: Backend) {
    let t = TestDb::new(backend).await;
    let state = t.state().await;
    let old = product(&t, 5).await.price_cents;
    let place = |key: &'static str| {
        let state = state.clone();
        async move {
            orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &order(key, 5), Utc::now())
                .await
                .unwrap()
        }
    };
    let before = place("price-before").await;
    let form = ProductForm { price: "777.77".into(), compare_at: String::new(), ..form_of(&t, 5).await };
    products::save(&t.db, &form, Utc::now()).await.unwrap();
    let after = place("price-after").await;
    assert_eq!(unit_price(&t, before.id).await, old);
    assert_eq!(unit_price(&t, after.id).await, 77_777);
}

/// Form-encodes `form` as the product form posts it.
fn encoded(form: &ProductForm) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    let mut pairs = Vec::new();
    let mut push = |k: &str, v: &str| pairs.push(format!("{}={}", enc(k), enc(v)));
    if let Some(id) = form.id {
        push("form[id]", &id.to_string());
    }
    push("form[version]", &form.version.to_string());
    for (k, v) in [
        ("name", &form.name),
        ("slug", &form.slug),
        ("sku", &form.sku),
        ("brand", &form.brand),
        ("category", &form.category),
        ("short_description", &form.short_description),
        ("description", &form.description),
        ("price", &form.price),
        ("compare_at", &form.compare_at),
        ("threshold", &form.threshold),
    ] {
        push(&format!("form[{k}]"), v);
    }
    if form.is_active() {
        push("form[active]", "on");
    }
    if form.is_featured() {
        push("form[featured]", "on");
    }
    for (k, v) in &form.specs {
        push(&format!("form[specs][{k}]"), v);
    }
    pairs.join("&")
}

/// A post of the product form without JavaScript (the browser asks for HTML).
async fn post_html(app: &axum::Router, uri: &str, body: String, cookie: &str) -> common::http::Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Through the app: an admin's save is searchable and listed at once (the
/// index replaced one document, it was not rebuilt); a product taken off
/// sale leaves search, listings and its page; without JavaScript a stale
/// edit or a field error comes back as the admin's draft, all typed text kept.
async fn edits_reach_search_and_listings_in_place(backend: Backend) {
    let t = TestDb::new(backend).await;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let state = t.state().await;
    let app = server::router(state.clone());
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    let docs = state.search.num_docs();
    let opened = form_of(&t, 6).await;
    let slug = opened.slug.clone();

    let renamed = ProductForm { name: "Zyzzyva Hyperwidget".into(), ..opened.clone() };
    let saved = common::http::post_form(&app, "/api/admin/save-product", &encoded(&renamed), &[&admin.access]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let outcome: SaveOutcome = serde_json::from_str(&saved.body).unwrap();
    assert_eq!(outcome, SaveOutcome::Saved { id: 6, version: 2 });
    assert_eq!(state.search.search("zyzzyva").unwrap().ids, [6]);
    assert_eq!(state.search.num_docs(), docs, "replaced in place");
    assert!(page(&app, "/search?q=zyzzyva", &[]).await.body.contains("Zyzzyva Hyperwidget"));
    assert!(page(&app, &format!("/products/{slug}"), &[]).await.body.contains("Zyzzyva Hyperwidget"));

    // Stale, without JavaScript: a redirect to the draft, which keeps the text.
    let stale = ProductForm { description: "Typed while someone else saved.".into(), ..opened.clone() };
    let kept = post_html(&app, "/api/admin/save-product", encoded(&stale), &admin.access).await;
    assert!(kept.status.is_redirection(), "{}", kept.status);
    assert!(kept.location().starts_with("/admin/products/6?draft="), "{}", kept.location());
    let draft_page = page(&app, kept.location(), &[&admin.access]).await;
    assert_eq!(draft_page.status, StatusCode::OK);
    assert!(draft_page.body.contains("Someone else saved this product while you were editing it"));
    assert!(draft_page.body.contains("Typed while someone else saved."));
    assert!(draft_page.body.contains("Zyzzyva Hyperwidget"), "what the other admin saved is shown");

    // A field error without JavaScript: the draft shows it beside the field.
    let current = form_of(&t, 6).await;
    let wrong = ProductForm { price: "twelve".into(), description: "Kept despite the error.".into(), ..current };
    let kept = post_html(&app, "/api/admin/save-product", encoded(&wrong), &admin.access).await;
    assert!(kept.location().starts_with("/admin/products/6?draft="), "{}", kept.location());
    let draft_page = page(&app, kept.location(), &[&admin.access]).await;
    assert!(draft_page.body.contains("Enter a price above zero"));
    assert!(draft_page.body.contains("Kept despite the error."));
    assert!(draft_page.body.contains("value=\"twelve\""));
    assert_eq!(product(&t, 6).await.version, 2, "nothing written");

    // Off sale: out of search, listings and the product page at once.
    let off = ProductForm { active: None, ..form_of(&t, 6).await };
    let saved = common::http::post_form(&app, "/api/admin/save-product", &encoded(&off), &[&admin.access]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(state.search.search("zyzzyva").unwrap().ids.is_empty());
    assert_eq!(state.search.num_docs(), docs - 1);
    assert_eq!(page(&app, &format!("/products/{slug}"), &[]).await.status, StatusCode::NOT_FOUND);
    assert!(!page(&app, "/search?q=zyzzyva", &[]).await.body.contains("Zyzzyva Hyperwidget"));
    // The admin list still has it, as not on sale.
    let listed = page(&app, "/admin/products?q=zyzzyva&state=inactive", &[&admin.access]).await;
    assert!(listed.body.contains("Zyzzyva Hyperwidget") && listed.body.contains("Not on sale"));
}

/// A second app server on the same database and Redis: its own search
/// index follows an edit made on the first, through the event bus.
async fn another_app_server_follows_through_the_bus(backend: Backend) {
    let mut t = TestDb::new(backend).await;
    t.config.redis_url = Some(common::redis_url().into());
    t.config.redis_prefix = common::redis_prefix();
    let first = t.state().await;
    let second = t.state().await;
    for s in [&first, &second] {
        for _ in 0..100 {
            if s.events.ready() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let follower = tokio::spawn(app::catalog::search_index::follow(
        second.search.clone(),
        second.db.clone(),
        second.events.subscribe(),
    ));
    let form = ProductForm { name: "Quokka Cross-Server Gadget".into(), ..form_of(&t, 7).await };
    products::save(&first.db, &form, Utc::now()).await.unwrap();
    app::events::outbox::relay_once(&first.db, &first.events, 100).await.unwrap();
    let mut found = false;
    for _ in 0..250 {
        if second.search.search("quokka").unwrap().ids == [7] {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    follower.abort();
    assert!(found, "the second server's index did not follow the edit");
}

on_both_backends!(
    a_stale_edit_is_a_conflict_and_nothing_is_lost,
    racing_saves_let_exactly_one_win,
    slugs_and_skus_are_unique,
    field_errors_are_told_and_nothing_is_written,
    delete_and_restore,
    a_price_change_reaches_new_orders_only,
    edits_reach_search_and_listings_in_place,
    another_app_server_follows_through_the_bus,
);
