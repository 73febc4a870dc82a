//! The catalog's read model (ssr only): every active product with its card,
//! images and specs, plus the categories, brands and spec definitions, held
//! in memory so that the home page, listings (with their facet counts),
//! product pages and suggestions are answered without a query.
//!
//! The database stays the source of truth and every write still goes
//! through it; the model is a copy that follows it:
//! - **This process's writes**: every commit with store events nudges the
//!   event bus ([`crate::events::bus::EventBus::nudge`]), which counts it.
//!   The first read after a nudge catches up before it answers: it reloads
//!   the products changed since the last catch-up (by `updated_at`, with a
//!   margin for transactions still open then), so a shopper never sees stock
//!   older than a change that committed before the request.
//! - **Other processes' writes**: every product write records a store event
//!   naming the product (`StockChanged`, `StockLow`, `StockOut`,
//!   `StockRestored`, `ProductChanged`); [`follow`] hears them on the bus and
//!   the next read reloads those products. A receiver that fell behind
//!   reloads everything.
//!
//! Checkout never reads stock from here: it reserves against the database
//! with conditional updates. `CACHES=off` turns the model off (every page
//! queries the database, [`super::server`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use entity::{brand, category, product, product_image, product_spec, spec_definition};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::query::{ListingQuery, Parsed, SortOrder};
use super::search_index::SearchIndex;
use super::server::{HOME_SHELF, RELATED, brands_in_order, card_of, spec_values_in_order, summary};
use super::types::*;
use crate::error::ServerError;
use crate::events::bus::Wake;
use crate::events::domain::Envelope;

/// How far back a catch-up looks before the previous one started: a
/// transaction stamps `updated_at` when it begins, and may commit later.
const MARGIN: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

/// One active product as the storefront shows it.
#[derive(Debug)]
pub struct Entry {
    pub product: product::Model,
    pub card: ProductCard,
    /// Gallery images in position order.
    pub images: Vec<ImageRef>,
    /// Spec values by key: the text and, for numeric specs, the number.
    pub specs: HashMap<String, (String, Option<f64>)>,
    /// The name, lowercased, for sorting by name.
    name_key: String,
}

/// The catalog at one moment. Immutable: a change builds the next one.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// In display order.
    categories: Vec<category::Model>,
    brands: BTreeMap<i32, brand::Model>,
    /// Per category, in position order.
    spec_defs: HashMap<i32, Vec<spec_definition::Model>>,
    products: BTreeMap<i32, Arc<Entry>>,
    /// Which products have which slug, and each category's products (ids in
    /// id order), derived from `products`: shared with the next snapshot
    /// while no slug, category or membership changes (stock moves keep them).
    indexes: Arc<Indexes>,
    /// Counts the snapshots a read model has built: the next one after this
    /// is `version + 1`. What was derived from one snapshot (a rendered
    /// page) is current exactly while the read model's version is the same.
    version: u64,
}

#[derive(Debug, Default)]
struct Indexes {
    by_slug: HashMap<String, i32>,
    by_category: HashMap<i32, Vec<i32>>,
}

impl Indexes {
    fn of(products: &BTreeMap<i32, Arc<Entry>>) -> Self {
        let mut by_category: HashMap<i32, Vec<i32>> = HashMap::new();
        for e in products.values() {
            by_category.entry(e.product.category_id).or_default().push(e.product.id);
        }
        Indexes { by_slug: products.values().map(|e| (e.product.slug.clone(), e.product.id)).collect(), by_category }
    }
}

/// What the next catch-up must reload besides the recently updated rows.
#[derive(Default)]
struct Pending {
    ids: BTreeSet<i32>,
    everything: bool,
}

/// The read model shared by a process's requests (`AppState::catalog`).
pub struct ReadModel {
    current: RwLock<Arc<Snapshot>>,
    /// This process's commit counter (the event bus's nudges).
    commits: Arc<Wake>,
    /// Product events heard on the bus, counted.
    heard: AtomicU64,
    /// How far the snapshot has caught up with each counter.
    applied_commits: AtomicU64,
    applied_heard: AtomicU64,
    pending: Mutex<Pending>,
    /// One catch-up at a time; holds when the last one started.
    writer: tokio::sync::Mutex<DateTime<Utc>>,
    /// The bus as heard from before the load began, until [`follow`] takes
    /// it: an event another server publishes while this one loads is then
    /// followed, not lost.
    heard_since_load: Mutex<Option<tokio::sync::broadcast::Receiver<Envelope>>>,
}

impl std::fmt::Debug for ReadModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let products = self.current.read().map(|s| s.products.len()).unwrap_or_default();
        write!(f, "ReadModel({products} products)")
    }
}

impl ReadModel {
    /// Loads the whole catalog from `db`; `commits` is this process's event
    /// bus counter ([`crate::events::bus::EventBus::wake`]).
    pub async fn load(db: &DatabaseConnection, commits: Arc<Wake>) -> Result<Self, ServerError> {
        Self::load_hearing(db, commits, None).await
    }

    /// [`Self::load`], keeping `heard` (subscribed to the bus before the
    /// load) for [`follow`].
    pub async fn load_hearing(
        db: &DatabaseConnection,
        commits: Arc<Wake>,
        heard: Option<tokio::sync::broadcast::Receiver<Envelope>>,
    ) -> Result<Self, ServerError> {
        let started = Utc::now();
        let seen = commits.commits();
        let snapshot = Snapshot::default().updated(db, true, &BTreeSet::new(), None).await?.unwrap_or_default();
        Ok(Self {
            current: RwLock::new(Arc::new(snapshot)),
            commits,
            heard: AtomicU64::new(0),
            applied_commits: AtomicU64::new(seen),
            applied_heard: AtomicU64::new(0),
            pending: Mutex::default(),
            writer: tokio::sync::Mutex::new(started),
            heard_since_load: Mutex::new(heard),
        })
    }

    /// The receiver kept by [`Self::load_hearing`], once.
    pub fn heard_since_load(&self) -> Option<tokio::sync::broadcast::Receiver<Envelope>> {
        self.heard_since_load.lock().ok()?.take()
    }

    /// The catalog as of now: catches up first when this process committed a
    /// change, or the bus brought one, since the last catch-up.
    pub async fn snapshot(&self, db: &DatabaseConnection) -> Result<Arc<Snapshot>, ServerError> {
        if self.caught_up(self.commits.commits(), self.heard.load(Ordering::Acquire)) {
            return Ok(self.loaded());
        }
        let mut last_start = self.writer.lock().await;
        // Whatever was counted until now is taken in by this catch-up.
        let (commits, heard) = (self.commits.commits(), self.heard.load(Ordering::Acquire));
        if self.caught_up(commits, heard) {
            return Ok(self.loaded());
        }
        let Pending { ids, everything } = std::mem::take(&mut *self.pending.lock().expect("pending lock"));
        let started = Utc::now();
        let since = (!everything).then(|| *last_start - MARGIN);
        match self.loaded().updated(db, everything, &ids, since).await {
            Ok(next) => {
                if let Some(next) = next {
                    *self.current.write().expect("snapshot lock") = Arc::new(next);
                }
                *last_start = started;
                self.applied_commits.store(commits, Ordering::Release);
                self.applied_heard.store(heard, Ordering::Release);
                Ok(self.loaded())
            }
            Err(e) => {
                let mut pending = self.pending.lock().expect("pending lock");
                pending.ids.extend(ids);
                pending.everything |= everything;
                Err(e)
            }
        }
    }

    fn caught_up(&self, commits: u64, heard: u64) -> bool {
        self.applied_commits.load(Ordering::Acquire) >= commits && self.applied_heard.load(Ordering::Acquire) >= heard
    }

    fn loaded(&self) -> Arc<Snapshot> {
        self.current.read().expect("snapshot lock").clone()
    }

    /// Marks product `id` (or, with `None`, everything) for the next catch-up.
    pub fn changed(&self, id: Option<i32>) {
        {
            let mut pending = self.pending.lock().expect("pending lock");
            match id {
                Some(id) => {
                    pending.ids.insert(id);
                }
                None => pending.everything = true,
            }
        }
        self.heard.fetch_add(1, Ordering::AcqRel);
    }
}

/// Keeps `model` current with product changes made on any app server (the
/// events on the bus). Missing events (the receiver fell behind) reloads
/// the whole catalog, since which products changed is then unknown.
pub async fn follow(model: Arc<ReadModel>, mut events: tokio::sync::broadcast::Receiver<Envelope>) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match events.recv().await {
            Ok(envelope) => {
                if let Some(id) = envelope.event.product_id() {
                    model.changed(Some(id));
                }
            }
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "catalog read model fell behind the events: reloading it");
                model.changed(None);
            }
            Err(RecvError::Closed) => break,
        }
    }
}

impl Snapshot {
    /// The next snapshot: this one with the products in `ids` and those
    /// updated after `since` reloaded (or, with `everything`, all of them),
    /// and the categories, brands and spec definitions read again; `None`
    /// when nothing differs from this one. (Only reloaded products get new
    /// cards: a renamed brand or category, which no page of the store can
    /// do, would show on the others after a full reload.)
    async fn updated<C: ConnectionTrait>(
        &self,
        db: &C,
        everything: bool,
        ids: &BTreeSet<i32>,
        since: Option<DateTime<Utc>>,
    ) -> Result<Option<Snapshot>, ServerError> {
        let categories = category::Entity::find().order_by_asc(category::Column::Position).all(db).await?;
        let brands: BTreeMap<i32, brand::Model> =
            brand::Entity::find().all(db).await?.into_iter().map(|b| (b.id, b)).collect();
        let mut spec_defs: HashMap<i32, Vec<spec_definition::Model>> = HashMap::new();
        for d in spec_definition::Entity::find()
            .order_by_asc(spec_definition::Column::CategoryId)
            .order_by_asc(spec_definition::Column::Position)
            .all(db)
            .await?
        {
            spec_defs.entry(d.category_id).or_default().push(d);
        }

        let mut rows = product::Entity::find();
        if !everything {
            let mut changed = Condition::any().add(product::Column::Id.is_in(ids.iter().copied()));
            if let Some(since) = since {
                changed = changed.add(product::Column::UpdatedAt.gt(since));
            }
            rows = rows.filter(changed);
        }
        let rows = rows.order_by_asc(product::Column::Id).all(db).await?;
        // Rows just as this snapshot holds them (re-read for the margin) need
        // nothing more (an image or spec change stamps its product's row too);
        // products named by events are reloaded whatever.
        let rows: Vec<product::Model> = if everything {
            rows
        } else {
            rows.into_iter()
                .filter(|p| {
                    ids.contains(&p.id)
                        || match self.products.get(&p.id) {
                            Some(e) => e.product != *p,
                            None => p.active,
                        }
                })
                .collect()
        };
        if !everything
            && rows.is_empty()
            && ids.iter().all(|id| !self.products.contains_key(id))
            && categories == self.categories
            && brands == self.brands
            && spec_defs == self.spec_defs
        {
            return Ok(None);
        }
        let active: Vec<i32> = rows.iter().filter(|p| p.active).map(|p| p.id).collect();
        let mut images: HashMap<i32, Vec<product_image::Model>> = HashMap::new();
        let mut specs: HashMap<i32, Vec<product_spec::Model>> = HashMap::new();
        if !active.is_empty() {
            let (mut image_rows, mut spec_rows) = (product_image::Entity::find(), product_spec::Entity::find());
            if !everything {
                image_rows = image_rows.filter(product_image::Column::ProductId.is_in(active.clone()));
                spec_rows = spec_rows.filter(product_spec::Column::ProductId.is_in(active.clone()));
            }
            for i in image_rows
                .order_by_asc(product_image::Column::ProductId)
                .order_by_asc(product_image::Column::Position)
                .all(db)
                .await?
            {
                images.entry(i.product_id).or_default().push(i);
            }
            for s in spec_rows.all(db).await? {
                specs.entry(s.product_id).or_default().push(s);
            }
        }

        let by_id: HashMap<i32, &category::Model> = categories.iter().map(|c| (c.id, c)).collect();
        let mut products = if everything { BTreeMap::new() } else { self.products.clone() };
        // Where each touched product was (slug, category), to tell whether the indexes still hold.
        let mut before: HashMap<i32, Option<(String, i32)>> = HashMap::new();
        let mut take = |products: &mut BTreeMap<i32, Arc<Entry>>, id: i32| {
            let was = products.remove(&id).map(|e| (e.product.slug.clone(), e.product.category_id));
            before.entry(id).or_insert(was);
        };
        for id in ids {
            take(&mut products, *id);
        }
        for p in rows {
            take(&mut products, p.id);
            if !p.active {
                continue;
            }
            let images = images.remove(&p.id).unwrap_or_default();
            let brand = brands.get(&p.brand_id).map(|b| b.name.as_str()).unwrap_or_default();
            let card = card_of(&p, brand, by_id.get(&p.category_id).copied(), images.iter().find(|i| i.position == 0));
            let entry = Entry {
                card,
                images: images
                    .into_iter()
                    .map(|i| ImageRef { url: i.url, alt: i.alt, width: i.width, height: i.height })
                    .collect(),
                specs: specs
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| (s.key, (s.value, s.value_num)))
                    .collect(),
                name_key: p.name.to_lowercase(),
                product: p,
            };
            products.insert(entry.product.id, Arc::new(entry));
        }
        let moved = everything
            || before.iter().any(|(id, was)| {
                let now = products.get(id).map(|e| (e.product.slug.clone(), e.product.category_id));
                *was != now
            });
        let indexes = if moved { Arc::new(Indexes::of(&products)) } else { self.indexes.clone() };
        Ok(Some(Snapshot { categories, brands, spec_defs, products, indexes, version: self.version + 1 }))
    }

    /// The active products of category `id`, in id order.
    fn in_category(&self, id: i32) -> impl Iterator<Item = &Entry> {
        self.indexes.by_category.get(&id).into_iter().flatten().filter_map(|id| self.products.get(id)).map(Arc::as_ref)
    }

    /// Which snapshot of its read model this is (see the field).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How many active products the snapshot holds.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// The stock this snapshot holds for active product `id`.
    pub fn stock(&self, id: i32) -> Option<i32> {
        self.products.get(&id).map(|e| e.product.stock)
    }

    /// Every category with the number of active products in it.
    pub fn category_summaries(&self) -> Vec<CategorySummary> {
        self.categories
            .iter()
            .map(|c| summary(c, self.indexes.by_category.get(&c.id).map_or(0, Vec::len) as i64))
            .collect()
    }

    /// The home page: featured products, best deals, category grid (as
    /// [`super::server::home`]).
    pub fn home(&self) -> HomeData {
        let mut featured: Vec<&Entry> =
            self.products.values().map(Arc::as_ref).filter(|e| e.product.featured).collect();
        featured.sort_by(|a, b| b.product.rating_x10.cmp(&a.product.rating_x10).then(a.product.id.cmp(&b.product.id)));
        let saving = |e: &Entry| e.product.compare_at_cents.map(|c| c - e.product.price_cents);
        let mut deals: Vec<&Entry> = self
            .products
            .values()
            .map(Arc::as_ref)
            .filter(|e| e.product.stock > 0 && saving(e).is_some_and(|s| s > 0))
            .collect();
        deals.sort_by(|a, b| saving(b).cmp(&saving(a)).then(a.product.id.cmp(&b.product.id)));
        let shelf = |list: Vec<&Entry>| list.into_iter().take(HOME_SHELF as usize).map(|e| e.card.clone()).collect();
        HomeData { featured: shelf(featured), deals: shelf(deals), categories: self.category_summaries() }
    }

    /// A product page, or `None` for an unknown or inactive slug (as
    /// [`super::server::product_detail`]).
    pub fn product_detail(&self, slug: &str) -> Option<ProductDetail> {
        let e = self.products.get(self.indexes.by_slug.get(slug)?)?;
        let p = &e.product;
        let specs = self
            .spec_defs
            .get(&p.category_id)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let (value, num) = e.specs.get(&d.key)?;
                let value = match &d.unit {
                    Some(unit) if num.is_some() => format!("{value} {unit}"),
                    _ => value.clone(),
                };
                Some(SpecRow { label: d.label.clone(), value })
            })
            .collect();
        let mut related: Vec<&Entry> = self.in_category(p.category_id).filter(|r| r.product.id != p.id).collect();
        let distance = |r: &Entry| (r.product.price_cents - p.price_cents).abs();
        related.sort_by(|a, b| distance(a).cmp(&distance(b)).then(a.product.id.cmp(&b.product.id)));
        Some(ProductDetail {
            card: e.card.clone(),
            sku: p.sku.clone(),
            description: p.description.clone(),
            images: e.images.clone(),
            specs,
            related: related.into_iter().take(RELATED as usize).map(|r| r.card.clone()).collect(),
        })
    }

    /// Type-ahead suggestions for a partial search (as [`super::server::suggestions`]).
    pub fn suggestions(&self, search: &SearchIndex, text: &str) -> Result<Vec<Suggestion>, ServerError> {
        let text: String = text.chars().take(super::query::MAX_QUERY_CHARS).collect();
        Ok(search
            .suggest(&text, 6)?
            .iter()
            .filter_map(|id| self.products.get(id))
            .map(|e| Suggestion {
                slug: e.card.slug.clone(),
                name: e.card.name.clone(),
                brand: e.card.brand.clone(),
                category_name: e.card.category_name.clone(),
                price: e.card.price,
            })
            .collect())
    }

    /// One page of products for a category page (`category_slug`) or the
    /// whole catalog, with search, filters, sort and facet counts: the same
    /// answer as [`super::server::listing`], in one pass over the products.
    pub fn listing(
        &self,
        search: &SearchIndex,
        category_slug: Option<&str>,
        parsed: Parsed,
    ) -> Result<ListingPage, ServerError> {
        let Parsed { mut query, mut notices } = parsed;
        let fixed = match category_slug {
            Some(slug) => Some(self.categories.iter().find(|c| c.slug == slug).ok_or(ServerError::NotFound)?),
            None => None,
        };
        if fixed.is_some() {
            query.categories.clear();
        }
        let selected_categories: Vec<&category::Model> =
            self.categories.iter().filter(|c| query.categories.contains(&c.slug)).collect();
        if selected_categories.len() != query.categories.len() {
            notices.push("Ignored a category that does not exist.".to_owned());
            query.categories = selected_categories.iter().map(|c| c.slug.clone()).collect();
        }
        let brands_known: Vec<&brand::Model> =
            self.brands.values().filter(|b| query.brands.contains(&b.slug)).collect();
        if brands_known.len() != query.brands.len() {
            notices.push("Ignored a brand that does not exist.".to_owned());
            query.brands.retain(|b| brands_known.iter().any(|k| &k.slug == b));
        }
        let spec_category = fixed.or(match selected_categories.as_slice() {
            [one] => Some(*one),
            _ => None,
        });
        let spec_defs: Vec<&spec_definition::Model> =
            spec_category.and_then(|c| self.spec_defs.get(&c.id)).into_iter().flatten().filter(|d| d.facet).collect();
        let before = query.specs.len();
        query.specs.retain(|(k, _)| spec_defs.iter().any(|d| &d.key == k));
        if query.specs.len() != before {
            notices.push("Ignored a filter that does not apply here.".to_owned());
        }
        let outcome = if query.q.is_empty() { None } else { Some(search.search(&query.q)?) };

        let filters = Filters {
            categories: selected_categories.iter().map(|c| c.id).collect(),
            brands: brands_known.iter().map(|b| b.id).collect(),
            min_price: query.min_price.map(Money::minor),
            max_price: query.max_price.map(Money::minor),
            in_stock: query.in_stock,
            specs: &query.specs,
        };
        // The filters a product cannot be without (its category page, the
        // search) choose which products are looked at; the others are bits.
        let candidates: Box<dyn Iterator<Item = &Entry>> = match (&outcome, fixed) {
            (Some(o), _) => {
                let mut seen = HashSet::new();
                Box::new(
                    o.ids
                        .iter()
                        .filter(move |id| seen.insert(**id))
                        .filter_map(|id| self.products.get(id))
                        .map(Arc::as_ref)
                        .filter(move |e| fixed.is_none_or(|c| e.product.category_id == c.id)),
                )
            }
            (None, Some(c)) => Box::new(self.in_category(c.id)),
            (None, None) => Box::new(self.products.values().map(Arc::as_ref)),
        };
        let mut tally = Tally::new(&spec_defs, &query);
        let mut matching: Vec<&Entry> = Vec::new();
        for e in candidates {
            let misses = filters.misses(e);
            if misses == 0 {
                matching.push(e);
            }
            tally.add(e, misses, fixed.is_none());
        }

        let total = matching.len() as u64;
        let per_page = u64::from(query.per_page);
        let pages = total.div_ceil(per_page).max(1) as u32;
        if query.page > pages {
            notices.push(format!("There are only {pages} pages: showing the last one."));
            query.page = pages;
        }
        let offset = (u64::from(query.page - 1) * per_page) as usize;
        let sort = if query.sort == SortOrder::Relevance && query.q.is_empty() { None } else { Some(query.sort) };
        // Search results come in the engine's ranking already.
        if sort != Some(SortOrder::Relevance) {
            let cmp = |x: &&Entry, y: &&Entry| order(sort, x, y).then(x.product.id.cmp(&y.product.id));
            // Only the products up to the end of this page need their order
            // (a total order, so the page is the one a full sort would give).
            let end = offset.saturating_add(per_page as usize);
            if end < matching.len() {
                matching.select_nth_unstable_by(end, cmp);
                matching.truncate(end);
            }
            matching.sort_by(cmp);
        }
        let items = matching.iter().skip(offset).take(per_page as usize).map(|e| e.card.clone()).collect();

        let facets = tally.facets(self, &filters, &query, fixed.is_none());
        let canonical_query = ListingQuery { page: query.page, ..query.clone() }.to_query_string();
        Ok(ListingPage {
            items,
            total,
            page: query.page,
            pages,
            per_page: query.per_page,
            facets,
            category: fixed.map(|c| summary(c, 0)),
            canonical_query,
            notices,
            did_you_mean: outcome.as_ref().and_then(|o| o.did_you_mean.clone()),
            relaxed: outcome.as_ref().is_some_and(|o| o.relaxed),
        })
    }
}

/// The order of two products under `sort` (`None`: the default shelf order),
/// before the id that breaks ties.
fn order(sort: Option<SortOrder>, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let (pa, pb) = (&a.product, &b.product);
    match sort {
        None | Some(SortOrder::Relevance) => pb
            .featured
            .cmp(&pa.featured)
            .then(pb.rating_x10.cmp(&pa.rating_x10))
            .then(pb.review_count.cmp(&pa.review_count)),
        Some(SortOrder::PriceAsc) => pa.price_cents.cmp(&pb.price_cents),
        Some(SortOrder::PriceDesc) => pb.price_cents.cmp(&pa.price_cents),
        Some(SortOrder::Name) => a.name_key.as_bytes().cmp(b.name_key.as_bytes()),
        Some(SortOrder::Newest) => pb.created_at.cmp(&pa.created_at),
        Some(SortOrder::Rating) => pb.rating_x10.cmp(&pa.rating_x10).then(pb.review_count.cmp(&pa.review_count)),
    }
}

/// The removable filters of one listing request, resolved to ids.
struct Filters<'q> {
    categories: Vec<i32>,
    brands: Vec<i32>,
    min_price: Option<i64>,
    max_price: Option<i64>,
    in_stock: bool,
    specs: &'q [(String, Vec<String>)],
}

// Which filters a product misses, one bit each (the spec keys from bit 4 on).
const CATEGORY: u64 = 1;
const BRAND: u64 = 2;
const PRICE: u64 = 4;
const IN_STOCK: u64 = 8;
const fn spec_bit(i: usize) -> u64 {
    16 << i
}

impl Filters<'_> {
    fn misses(&self, e: &Entry) -> u64 {
        let p = &e.product;
        let mut misses = 0;
        if !self.categories.is_empty() && !self.categories.contains(&p.category_id) {
            misses |= CATEGORY;
        }
        if !self.brands.is_empty() && !self.brands.contains(&p.brand_id) {
            misses |= BRAND;
        }
        if self.min_price.is_some_and(|m| p.price_cents < m) || self.max_price.is_some_and(|m| p.price_cents > m) {
            misses |= PRICE;
        }
        if self.in_stock && p.stock <= 0 {
            misses |= IN_STOCK;
        }
        for (i, (key, values)) in self.specs.iter().enumerate() {
            if !e.specs.get(key).is_some_and(|(v, _)| values.contains(v)) {
                misses |= spec_bit(i);
            }
        }
        misses
    }

    /// Every spec key's bit.
    fn all_specs(&self) -> u64 {
        (0..self.specs.len()).fold(0, |bits, i| bits | spec_bit(i))
    }
}

/// A spec facet's values: how many products have each, and its largest number.
type ValueCounts = BTreeMap<String, (u64, Option<f64>)>;

/// Facet counts, gathered while the products are looked at: a product
/// counts for a facet when it misses no filter but (at most) that facet's own.
struct Tally<'a> {
    categories: HashMap<i32, u64>,
    brands: HashMap<i32, u64>,
    /// Per facet spec definition: its own bit (0 when not filtered on), and
    /// each value's count and largest number.
    specs: Vec<(&'a spec_definition::Model, u64, ValueCounts)>,
    price: Option<(i64, i64)>,
    in_stock: u64,
    all_specs: u64,
}

impl<'a> Tally<'a> {
    fn new(defs: &[&'a spec_definition::Model], query: &ListingQuery) -> Self {
        let bit = |key: &str| query.specs.iter().position(|(k, _)| k == key).map_or(0, spec_bit);
        Tally {
            categories: HashMap::new(),
            brands: HashMap::new(),
            specs: defs.iter().map(|d| (*d, bit(&d.key), BTreeMap::new())).collect(),
            price: None,
            in_stock: 0,
            all_specs: (0..query.specs.len()).fold(0, |bits, i| bits | spec_bit(i)),
        }
    }

    fn add(&mut self, e: &Entry, misses: u64, with_categories: bool) {
        let p = &e.product;
        let only = |bits: u64| misses & !bits == 0;
        // Choosing another category drops the spec filters (they belong to one category).
        if with_categories && only(CATEGORY | self.all_specs) {
            *self.categories.entry(p.category_id).or_insert(0) += 1;
        }
        if only(BRAND) {
            *self.brands.entry(p.brand_id).or_insert(0) += 1;
        }
        if only(PRICE) {
            self.price = Some(match self.price {
                Some((lo, hi)) => (lo.min(p.price_cents), hi.max(p.price_cents)),
                None => (p.price_cents, p.price_cents),
            });
        }
        if only(IN_STOCK) && p.stock > 0 {
            self.in_stock += 1;
        }
        for (def, bit, values) in &mut self.specs {
            if only(*bit)
                && let Some((value, num)) = e.specs.get(&def.key)
            {
                let slot = values.entry(value.clone()).or_insert((0, None));
                slot.0 += 1;
                slot.1 = match (slot.1, *num) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }

    fn facets(self, snapshot: &Snapshot, filters: &Filters<'_>, query: &ListingQuery, with_categories: bool) -> Facets {
        debug_assert_eq!(self.all_specs, filters.all_specs());
        let mut facets = Facets::default();
        if with_categories {
            facets.categories = snapshot
                .categories
                .iter()
                .filter_map(|c| {
                    let count = self.categories.get(&c.id).copied().unwrap_or(0);
                    let selected = query.categories.contains(&c.slug);
                    (count > 0 || selected).then(|| FacetValue {
                        value: c.slug.clone(),
                        label: c.name.clone(),
                        count,
                        selected,
                    })
                })
                .collect();
        }
        let mut brands: Vec<FacetValue> = snapshot
            .brands
            .values()
            .filter(|b| self.brands.contains_key(&b.id) || filters.brands.contains(&b.id))
            .map(|b| FacetValue {
                value: b.slug.clone(),
                label: b.name.clone(),
                count: self.brands.get(&b.id).copied().unwrap_or(0),
                selected: query.brands.contains(&b.slug),
            })
            .collect();
        brands_in_order(&mut brands);
        facets.brands = brands;

        for (def, _, counted) in self.specs {
            let selected = query.spec_values(&def.key);
            let mut values: Vec<(Option<f64>, FacetValue)> = counted
                .into_iter()
                .map(|(value, (count, num))| {
                    let label = match &def.unit {
                        Some(unit) if num.is_some() => format!("{value} {unit}"),
                        _ => value.clone(),
                    };
                    (num, FacetValue { selected: selected.contains(&value), value, label, count })
                })
                .collect();
            for s in selected {
                if !values.iter().any(|(_, v)| &v.value == s) {
                    values.push((None, FacetValue { value: s.clone(), label: s.clone(), count: 0, selected: true }));
                }
            }
            if !values.is_empty() {
                facets.specs.push(SpecFacet {
                    key: def.key.clone(),
                    label: def.label.clone(),
                    unit: def.unit.clone(),
                    values: spec_values_in_order(values),
                });
            }
        }
        facets.price_bounds = self.price.map(|(lo, hi)| {
            (Money::new(lo, crate::money::CATALOG_CURRENCY), Money::new(hi, crate::money::CATALOG_CURRENCY))
        });
        facets.in_stock_count = self.in_stock;
        facets
    }
}
