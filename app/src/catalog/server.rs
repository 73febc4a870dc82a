//! Catalog queries (ssr only). Thin functions over any SeaORM connection, so
//! they work the same on SQLite and PostgreSQL and inside transactions.

use std::collections::{HashMap, HashSet};

use entity::{brand, category, product, product_image, product_spec, spec_definition};
use sea_orm::sea_query::{Expr, Func, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::query::{ListingQuery, Parsed, SortOrder};
use super::search_index::SearchIndex;
use super::types::*;
use crate::error::ServerError;

pub(super) const HOME_SHELF: u64 = 8;
pub(super) const RELATED: u64 = 4;

/// `a - b` (kept in a helper: sea-query's expression trait shadows `Ord::max` wherever it is in scope).
fn minus(a: Expr, b: impl Into<SimpleExpr>) -> SimpleExpr {
    use sea_orm::sea_query::ExprTrait;
    a.sub(b)
}

fn greater(a: Expr, b: impl Into<SimpleExpr>) -> SimpleExpr {
    use sea_orm::sea_query::ExprTrait;
    a.gt(b)
}

/// Case-insensitive, byte-wise name order, the same on both backends
/// ("iBUYPOWER" and "be quiet!" among the I and B names; PostgreSQL's locale
/// collation would otherwise ignore spaces and punctuation).
fn name_sort_key(backend: sea_orm::DbBackend) -> SimpleExpr {
    match backend {
        sea_orm::DbBackend::Postgres => Expr::cust(r#"LOWER("products"."name") COLLATE "C""#),
        _ => Func::lower(Expr::col(product::Column::Name)).into(),
    }
}

fn stock_of(p: &product::Model) -> StockStatus {
    StockStatus::from_levels(p.stock, p.low_stock_threshold)
}

/// Listing cards for `products`, in the given order.
#[tracing::instrument(skip_all, fields(n = products.len()))]
pub async fn cards<C: ConnectionTrait>(db: &C, products: Vec<product::Model>) -> Result<Vec<ProductCard>, ServerError> {
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = products.iter().map(|p| p.id).collect();
    let brand_ids: HashSet<i32> = products.iter().map(|p| p.brand_id).collect();
    let brands: HashMap<i32, String> = brand::Entity::find()
        .filter(brand::Column::Id.is_in(brand_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let categories: HashMap<i32, category::Model> =
        category::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c)).collect();
    let images: HashMap<i32, product_image::Model> = product_image::Entity::find()
        .filter(product_image::Column::ProductId.is_in(ids))
        .filter(product_image::Column::Position.eq(0))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.product_id, i))
        .collect();
    Ok(products
        .iter()
        .map(|p| {
            let brand = brands.get(&p.brand_id).map(String::as_str).unwrap_or_default();
            card_of(p, brand, categories.get(&p.category_id), images.get(&p.id))
        })
        .collect())
}

/// The card of product `p` of `brand` in `category`, with its first image
/// (position 0) when it has one.
pub(super) fn card_of(
    p: &product::Model,
    brand: &str,
    category: Option<&category::Model>,
    image: Option<&product_image::Model>,
) -> ProductCard {
    ProductCard {
        id: p.id,
        stock: stock_of(p),
        brand: brand.to_owned(),
        category_slug: category.map(|c| c.slug.clone()).unwrap_or_default(),
        category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
        image: image.map(|i| ImageRef {
            // An upload's thumbnail (same proportions), not its 1600 px image.
            url: super::images::thumb_url(&i.url).unwrap_or_else(|| i.url.clone()),
            alt: i.alt.clone(),
            width: i.width,
            height: i.height,
        }),
        slug: p.slug.clone(),
        name: p.name.clone(),
        short_description: p.short_description.clone(),
        price: Money::new(p.price_cents, crate::money::CATALOG_CURRENCY),
        compare_at: p
            .compare_at_cents
            .filter(|c| *c > p.price_cents)
            .map(|c| Money::new(c, crate::money::CATALOG_CURRENCY)),
        rating_x10: p.rating_x10,
        review_count: p.review_count,
    }
}

/// Every category with the number of active products in it.
pub async fn category_summaries<C: ConnectionTrait>(db: &C) -> Result<Vec<CategorySummary>, ServerError> {
    let counts: HashMap<i32, i64> = product::Entity::find()
        .select_only()
        .column(product::Column::CategoryId)
        .column_as(product::Column::Id.count(), "n")
        .filter(product::Column::Active.eq(true))
        .group_by(product::Column::CategoryId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(category::Entity::find()
        .order_by_asc(category::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| summary(&c, counts.get(&c.id).copied().unwrap_or(0)))
        .collect())
}

/// What the sitemap lists: every category and every active product, with
/// when each product last changed.
pub async fn sitemap_entries<C: ConnectionTrait>(
    db: &C,
) -> Result<(Vec<String>, Vec<(String, chrono::DateTime<chrono::Utc>)>), ServerError> {
    let categories = category::Entity::find()
        .select_only()
        .column(category::Column::Slug)
        .order_by_asc(category::Column::Position)
        .into_tuple::<String>()
        .all(db)
        .await?;
    let products = product::Entity::find()
        .select_only()
        .column(product::Column::Slug)
        .column(product::Column::UpdatedAt)
        .filter(product::Column::Active.eq(true))
        .order_by_asc(product::Column::Id)
        .into_tuple::<(String, chrono::DateTime<chrono::Utc>)>()
        .all(db)
        .await?;
    Ok((categories, products))
}

pub(super) fn summary(c: &category::Model, count: i64) -> CategorySummary {
    CategorySummary {
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        image: format!("/images/categories/{}", c.image),
        product_count: count.max(0) as u64,
    }
}

/// The home page: featured products, best deals, category grid.
#[tracing::instrument(skip_all)]
pub async fn home<C: ConnectionTrait>(db: &C) -> Result<HomeData, ServerError> {
    let featured = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(product::Column::Featured.eq(true))
        .order_by_desc(product::Column::RatingX10)
        .order_by_asc(product::Column::Id)
        .limit(HOME_SHELF)
        .all(db)
        .await?;
    let saving = minus(Expr::col(product::Column::CompareAtCents), Expr::col(product::Column::PriceCents));
    let deals = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(product::Column::Stock.gt(0))
        .filter(greater(Expr::col(product::Column::CompareAtCents), Expr::col(product::Column::PriceCents)))
        .order_by(saving, Order::Desc)
        .order_by_asc(product::Column::Id)
        .limit(HOME_SHELF)
        .all(db)
        .await?;
    Ok(HomeData {
        featured: cards(db, featured).await?,
        deals: cards(db, deals).await?,
        categories: category_summaries(db).await?,
    })
}

/// Resolved filters of one listing request.
struct Filters {
    /// Category page: the one category, not a removable filter.
    fixed_category: Option<i32>,
    categories: Vec<i32>,
    brands: Vec<i32>,
    min_price: Option<i64>,
    max_price: Option<i64>,
    in_stock: bool,
    specs: Vec<(String, Vec<String>)>,
    search_ids: Option<Vec<i32>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Except<'a> {
    Nothing,
    /// Category facet counts: choosing another category drops spec
    /// filters (they belong to one category), so they are left out too.
    CategoriesAndSpecs,
    Brands,
    Price,
    InStock,
    Spec(&'a str),
}

impl Filters {
    fn condition(&self, except: Except<'_>) -> Condition {
        let mut cond = Condition::all().add(product::Column::Active.eq(true));
        if let Some(id) = self.fixed_category {
            cond = cond.add(product::Column::CategoryId.eq(id));
        }
        if except != Except::CategoriesAndSpecs && !self.categories.is_empty() {
            cond = cond.add(product::Column::CategoryId.is_in(self.categories.clone()));
        }
        if except != Except::Brands && !self.brands.is_empty() {
            cond = cond.add(product::Column::BrandId.is_in(self.brands.clone()));
        }
        if except != Except::Price {
            if let Some(min) = self.min_price {
                cond = cond.add(product::Column::PriceCents.gte(min));
            }
            if let Some(max) = self.max_price {
                cond = cond.add(product::Column::PriceCents.lte(max));
            }
        }
        if except != Except::InStock && self.in_stock {
            cond = cond.add(product::Column::Stock.gt(0));
        }
        for (key, values) in &self.specs {
            if except == Except::Spec(key) || except == Except::CategoriesAndSpecs {
                continue;
            }
            let sub = Query::select()
                .column(product_spec::Column::ProductId)
                .from(product_spec::Entity)
                .and_where(product_spec::Column::Key.eq(key.as_str()))
                .and_where(product_spec::Column::Value.is_in(values.clone()))
                .to_owned();
            cond = cond.add(product::Column::Id.in_subquery(sub));
        }
        if let Some(ids) = &self.search_ids {
            cond = cond.add(product::Column::Id.is_in(ids.clone()));
        }
        cond
    }

    fn id_subquery(&self, except: Except<'_>) -> sea_orm::sea_query::SelectStatement {
        Query::select().column(product::Column::Id).from(product::Entity).cond_where(self.condition(except)).to_owned()
    }
}

async fn count_by<C: ConnectionTrait>(
    db: &C,
    column: product::Column,
    cond: Condition,
) -> Result<HashMap<i32, u64>, ServerError> {
    Ok(product::Entity::find()
        .select_only()
        .column(column)
        .column_as(product::Column::Id.count(), "n")
        .filter(cond)
        .group_by(column)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect())
}

/// One page of products for a category page (`category_slug`) or the whole
/// catalog, with search, filters, sort and facet counts.
#[tracing::instrument(skip(db, search, parsed), fields(q = %parsed.query.q))]
pub async fn listing<C: ConnectionTrait>(
    db: &C,
    search: &SearchIndex,
    category_slug: Option<&str>,
    parsed: Parsed,
) -> Result<ListingPage, ServerError> {
    let Parsed { mut query, mut notices } = parsed;
    let all_categories = category::Entity::find().order_by_asc(category::Column::Position).all(db).await?;
    let fixed = match category_slug {
        Some(slug) => Some(all_categories.iter().find(|c| c.slug == slug).ok_or(ServerError::NotFound)?),
        None => None,
    };
    if fixed.is_some() {
        query.categories.clear();
    }

    // Resolve slugs; unknown ones are dropped from the query (and said so).
    let selected_categories: Vec<&category::Model> =
        all_categories.iter().filter(|c| query.categories.contains(&c.slug)).collect();
    if selected_categories.len() != query.categories.len() {
        notices.push("Ignored a category that does not exist.".to_owned());
        query.categories = selected_categories.iter().map(|c| c.slug.clone()).collect();
    }
    let brands_known: Vec<brand::Model> = if query.brands.is_empty() {
        Vec::new()
    } else {
        brand::Entity::find().filter(brand::Column::Slug.is_in(query.brands.clone())).all(db).await?
    };
    if brands_known.len() != query.brands.len() {
        notices.push("Ignored a brand that does not exist.".to_owned());
        query.brands.retain(|b| brands_known.iter().any(|k| &k.slug == b));
    }

    // Spec facets only make sense within one category.
    let spec_category = fixed.or(match selected_categories.as_slice() {
        [one] => Some(*one),
        _ => None,
    });
    let spec_defs: Vec<spec_definition::Model> = match spec_category {
        Some(c) => {
            spec_definition::Entity::find()
                .filter(spec_definition::Column::CategoryId.eq(c.id))
                .filter(spec_definition::Column::Facet.eq(true))
                .order_by_asc(spec_definition::Column::Position)
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let before = query.specs.len();
    query.specs.retain(|(k, _)| spec_defs.iter().any(|d| &d.key == k));
    if query.specs.len() != before {
        notices.push("Ignored a filter that does not apply here.".to_owned());
    }

    let outcome = if query.q.is_empty() { None } else { Some(search.search(&query.q)?) };
    let filters = Filters {
        fixed_category: fixed.map(|c| c.id),
        categories: selected_categories.iter().map(|c| c.id).collect(),
        brands: brands_known.iter().map(|b| b.id).collect(),
        min_price: query.min_price.map(Money::minor),
        max_price: query.max_price.map(Money::minor),
        in_stock: query.in_stock,
        specs: query.specs.clone(),
        search_ids: outcome.as_ref().map(|o| o.ids.clone()),
    };

    let cond = filters.condition(Except::Nothing);
    let total = product::Entity::find().filter(cond.clone()).count(db).await?;
    let per_page = u64::from(query.per_page);
    let pages = total.div_ceil(per_page).max(1) as u32;
    if query.page > pages {
        notices.push(format!("There are only {pages} pages: showing the last one."));
        query.page = pages;
    }
    let offset = u64::from(query.page - 1) * per_page;

    let sort = if query.sort == SortOrder::Relevance && query.q.is_empty() { None } else { Some(query.sort) };
    let page_products = match (sort, &outcome) {
        (Some(SortOrder::Relevance), Some(o)) => {
            // Keep the search engine's ranking: filter its ids in SQL, order by rank here.
            let matching: HashSet<i32> = product::Entity::find()
                .select_only()
                .column(product::Column::Id)
                .filter(cond.clone())
                .into_tuple::<i32>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let page_ids: Vec<i32> = o
                .ids
                .iter()
                .filter(|id| matching.contains(id))
                .skip(offset as usize)
                .take(per_page as usize)
                .copied()
                .collect();
            let mut rows: HashMap<i32, product::Model> = product::Entity::find()
                .filter(product::Column::Id.is_in(page_ids.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            page_ids.iter().filter_map(|id| rows.remove(id)).collect()
        }
        _ => {
            let select = product::Entity::find().filter(cond.clone());
            let select = match sort {
                None | Some(SortOrder::Relevance) => select
                    .order_by_desc(product::Column::Featured)
                    .order_by_desc(product::Column::RatingX10)
                    .order_by_desc(product::Column::ReviewCount),
                Some(SortOrder::PriceAsc) => select.order_by_asc(product::Column::PriceCents),
                Some(SortOrder::PriceDesc) => select.order_by_desc(product::Column::PriceCents),
                Some(SortOrder::Name) => select.order_by(name_sort_key(db.get_database_backend()), Order::Asc),
                Some(SortOrder::Newest) => select.order_by_desc(product::Column::CreatedAt),
                Some(SortOrder::Rating) => {
                    select.order_by_desc(product::Column::RatingX10).order_by_desc(product::Column::ReviewCount)
                }
            };
            select.order_by_asc(product::Column::Id).offset(offset).limit(per_page).all(db).await?
        }
    };
    let items = cards(db, page_products).await?;

    let facets = facets(db, &filters, &query, fixed.is_none(), &all_categories, &spec_defs).await?;
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

async fn facets<C: ConnectionTrait>(
    db: &C,
    filters: &Filters,
    query: &ListingQuery,
    with_categories: bool,
    all_categories: &[category::Model],
    spec_defs: &[spec_definition::Model],
) -> Result<Facets, ServerError> {
    let mut facets = Facets::default();

    if with_categories {
        let counts = count_by(db, product::Column::CategoryId, filters.condition(Except::CategoriesAndSpecs)).await?;
        facets.categories = all_categories
            .iter()
            .filter_map(|c| {
                let count = counts.get(&c.id).copied().unwrap_or(0);
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

    let brand_counts = count_by(db, product::Column::BrandId, filters.condition(Except::Brands)).await?;
    let mut brand_ids: HashSet<i32> = brand_counts.keys().copied().collect();
    brand_ids.extend(filters.brands.iter().copied());
    let mut brands: Vec<FacetValue> = brand::Entity::find()
        .filter(brand::Column::Id.is_in(brand_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| FacetValue {
            count: brand_counts.get(&b.id).copied().unwrap_or(0),
            selected: query.brands.contains(&b.slug),
            value: b.slug,
            label: b.name,
        })
        .collect();
    brands_in_order(&mut brands);
    facets.brands = brands;

    for def in spec_defs {
        let rows = product_spec::Entity::find()
            .select_only()
            .column(product_spec::Column::Value)
            .column_as(product_spec::Column::ProductId.count(), "n")
            .column_as(SimpleExpr::from(Func::max(Expr::col(product_spec::Column::ValueNum))), "num")
            .filter(product_spec::Column::Key.eq(def.key.as_str()))
            .filter(product_spec::Column::ProductId.in_subquery(filters.id_subquery(Except::Spec(&def.key))))
            .group_by(product_spec::Column::Value)
            .into_tuple::<(String, i64, Option<f64>)>()
            .all(db)
            .await?;
        let selected = query.spec_values(&def.key);
        let mut values: Vec<(Option<f64>, FacetValue)> = rows
            .into_iter()
            .map(|(value, n, num)| {
                let label = match &def.unit {
                    Some(unit) if num.is_some() => format!("{value} {unit}"),
                    _ => value.clone(),
                };
                (num, FacetValue { selected: selected.contains(&value), value, label, count: n.max(0) as u64 })
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

    let bounds = product::Entity::find()
        .select_only()
        .column_as(product::Column::PriceCents.min(), "lo")
        .column_as(product::Column::PriceCents.max(), "hi")
        .filter(filters.condition(Except::Price))
        .into_tuple::<(Option<i64>, Option<i64>)>()
        .one(db)
        .await?;
    facets.price_bounds = match bounds {
        Some((Some(lo), Some(hi))) => {
            Some((Money::new(lo, crate::money::CATALOG_CURRENCY), Money::new(hi, crate::money::CATALOG_CURRENCY)))
        }
        _ => None,
    };
    facets.in_stock_count = product::Entity::find()
        .filter(filters.condition(Except::InStock))
        .filter(product::Column::Stock.gt(0))
        .count(db)
        .await?;
    Ok(facets)
}

/// Brand facet values by name, case-insensitively (each name lowercased once).
pub(super) fn brands_in_order(brands: &mut [FacetValue]) {
    brands.sort_by_cached_key(|b| b.label.to_lowercase());
}

/// A spec facet's values (with the number each stands for, if any) in a
/// total order: numbers first, numerically; then text, case-insensitively.
pub(super) fn spec_values_in_order(values: Vec<(Option<f64>, FacetValue)>) -> Vec<FacetValue> {
    let mut keyed: Vec<(Option<f64>, String, FacetValue)> =
        values.into_iter().map(|(num, v)| (num, v.label.to_lowercase(), v)).collect();
    keyed.sort_by(|(na, la, _), (nb, lb, _)| {
        na.is_none()
            .cmp(&nb.is_none())
            .then_with(|| match (na, nb) {
                (Some(x), Some(y)) => x.total_cmp(y),
                _ => std::cmp::Ordering::Equal,
            })
            .then_with(|| la.cmp(lb))
    });
    keyed.into_iter().map(|(_, _, v)| v).collect()
}

/// A product page, or `None` for an unknown or inactive slug.
#[tracing::instrument(skip(db))]
pub async fn product_detail<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<ProductDetail>, ServerError> {
    let Some(p) = product::Entity::find()
        .filter(product::Column::Slug.eq(slug))
        .filter(product::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let images = product_image::Entity::find()
        .filter(product_image::Column::ProductId.eq(p.id))
        .order_by_asc(product_image::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|i| ImageRef { url: i.url, alt: i.alt, width: i.width, height: i.height })
        .collect();
    let defs = spec_definition::Entity::find()
        .filter(spec_definition::Column::CategoryId.eq(p.category_id))
        .order_by_asc(spec_definition::Column::Position)
        .all(db)
        .await?;
    let values: HashMap<String, product_spec::Model> = product_spec::Entity::find()
        .filter(product_spec::Column::ProductId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key.clone(), s))
        .collect();
    let specs = defs
        .iter()
        .filter_map(|d| {
            let v = values.get(&d.key)?;
            let value = match &d.unit {
                Some(unit) if v.value_num.is_some() => format!("{} {unit}", v.value),
                _ => v.value.clone(),
            };
            Some(SpecRow { label: d.label.clone(), value })
        })
        .collect();
    let distance: SimpleExpr = Func::abs(minus(Expr::col(product::Column::PriceCents), p.price_cents)).into();
    let related = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(product::Column::CategoryId.eq(p.category_id))
        .filter(product::Column::Id.ne(p.id))
        .order_by(distance, Order::Asc)
        .order_by_asc(product::Column::Id)
        .limit(RELATED)
        .all(db)
        .await?;
    let related = cards(db, related).await?;
    let sku = p.sku.clone();
    let description = p.description.clone();
    let card = cards(db, vec![p]).await?.pop().ok_or(ServerError::NotFound)?;
    Ok(Some(ProductDetail { card, sku, description, images, specs, related }))
}

/// Type-ahead suggestions for a partial search.
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    search: &SearchIndex,
    text: &str,
) -> Result<Vec<Suggestion>, ServerError> {
    let text: String = text.chars().take(super::query::MAX_QUERY_CHARS).collect();
    let ids = search.suggest(&text, 6)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: HashMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.clone()))
        .filter(product::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let ordered: Vec<product::Model> = ids.iter().filter_map(|id| rows.remove(id)).collect();
    Ok(cards(db, ordered)
        .await?
        .into_iter()
        .map(|c| Suggestion {
            slug: c.slug,
            name: c.name,
            brand: c.brand,
            category_name: c.category_name,
            price: c.price,
        })
        .collect())
}
