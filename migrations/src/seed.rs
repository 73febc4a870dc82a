//! The shipped seed catalog (`seed/catalog.json`, produced by
//! `tools/gen_catalog.py`) and the code that loads it into a database.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{brand, category, product, product_image, product_spec, spec_definition};
use sea_orm_migration::sea_orm::{
    ActiveValue::{NotSet, Set},
    ConnectionTrait, DbErr, EntityTrait, QuerySelect,
};
use serde::Deserialize;

/// The catalog as shipped in the repository.
pub const CATALOG_JSON: &str = include_str!("../seed/catalog.json");

#[derive(Debug, Deserialize)]
pub struct SeedCatalog {
    pub currency: String,
    pub categories: Vec<SeedCategory>,
    pub products: Vec<SeedProduct>,
}

#[derive(Debug, Deserialize)]
pub struct SeedCategory {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub image: String,
    pub specs: Vec<SeedSpecDef>,
}

#[derive(Debug, Deserialize)]
pub struct SeedSpecDef {
    pub key: String,
    pub label: String,
    pub kind: String,
    pub unit: Option<String>,
    pub facet: bool,
}

#[derive(Debug, Deserialize, Clone)]
pub struct SeedProduct {
    pub slug: String,
    pub sku: String,
    pub name: String,
    pub brand: String,
    pub category: String,
    pub short_description: String,
    pub description: String,
    pub price_cents: i64,
    pub compare_at_cents: Option<i64>,
    pub stock: i32,
    pub low_stock_threshold: i32,
    pub rating: f64,
    pub review_count: i32,
    pub featured: bool,
    pub created_at: DateTime<Utc>,
    pub specs: serde_json::Map<String, serde_json::Value>,
    pub images: Vec<SeedImage>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct SeedImage {
    pub file: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// Parses the shipped catalog.
pub fn catalog() -> Result<SeedCatalog, DbErr> {
    serde_json::from_str(CATALOG_JSON).map_err(|e| DbErr::Custom(format!("seed/catalog.json: {e}")))
}

/// Lowercase ASCII slug: runs of anything but letters and digits become one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Canonical text and numeric value of one JSON spec value.
pub fn spec_value(value: &serde_json::Value) -> Option<(String, Option<f64>)> {
    match value {
        serde_json::Value::String(s) => Some((s.trim().to_owned(), None)),
        serde_json::Value::Bool(b) => Some((if *b { "Yes" } else { "No" }.to_owned(), None)),
        serde_json::Value::Number(n) => {
            let f = n.as_f64()?;
            let text = if f.fract() == 0.0 { format!("{}", f as i64) } else { format!("{f}") };
            Some((text, Some(f)))
        }
        _ => None,
    }
}

const BATCH: usize = 200;

/// Inserts the whole seed catalog. Expects empty catalog tables.
pub async fn load<C: ConnectionTrait>(db: &C, catalog: &SeedCatalog) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut category_ids = HashMap::new();
    for (position, c) in catalog.categories.iter().enumerate() {
        let res = category::Entity::insert(category::ActiveModel {
            id: NotSet,
            slug: Set(c.slug.clone()),
            name: Set(c.name.clone()),
            description: Set(c.description.clone()),
            image: Set(c.image.clone()),
            position: Set(position as i32),
        })
        .exec(db)
        .await?;
        category_ids.insert(c.slug.clone(), res.last_insert_id);
        let defs = c.specs.iter().enumerate().map(|(i, s)| spec_definition::ActiveModel {
            id: NotSet,
            category_id: Set(res.last_insert_id),
            key: Set(s.key.clone()),
            label: Set(s.label.clone()),
            kind: Set(s.kind.clone()),
            unit: Set(s.unit.clone()),
            facet: Set(s.facet),
            position: Set(i as i32),
        });
        spec_definition::Entity::insert_many(defs).exec(db).await?;
    }

    let mut brand_names: Vec<&str> = catalog.products.iter().map(|p| p.brand.as_str()).collect();
    brand_names.sort_unstable();
    brand_names.dedup();
    let brand_models = brand_names.iter().map(|name| brand::ActiveModel {
        id: NotSet,
        slug: Set(slugify(name)),
        name: Set((*name).to_owned()),
    });
    brand::Entity::insert_many(brand_models).exec(db).await?;
    let brand_ids: HashMap<String, i32> = brand::Entity::find()
        .select_only()
        .column(brand::Column::Name)
        .column(brand::Column::Id)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    insert_products(db, &catalog.products, &category_ids, &brand_ids, now).await
}

/// Inserts products with their images and specs; brands and categories must exist.
pub async fn insert_products<C: ConnectionTrait>(
    db: &C,
    products: &[SeedProduct],
    category_ids: &HashMap<String, i32>,
    brand_ids: &HashMap<String, i32>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in products.chunks(BATCH) {
        let models = chunk
            .iter()
            .map(|p| {
                Ok(product::ActiveModel {
                    id: NotSet,
                    slug: Set(p.slug.clone()),
                    sku: Set(p.sku.clone()),
                    name: Set(p.name.clone()),
                    brand_id: Set(*brand_ids
                        .get(&p.brand)
                        .ok_or_else(|| DbErr::Custom(format!("unknown brand {}", p.brand)))?),
                    category_id: Set(*category_ids
                        .get(&p.category)
                        .ok_or_else(|| DbErr::Custom(format!("unknown category {}", p.category)))?),
                    short_description: Set(p.short_description.clone()),
                    description: Set(p.description.clone()),
                    price_cents: Set(p.price_cents),
                    compare_at_cents: Set(p.compare_at_cents),
                    stock: Set(p.stock),
                    low_stock_threshold: Set(p.low_stock_threshold),
                    rating_x10: Set((p.rating * 10.0).round() as i16),
                    review_count: Set(p.review_count),
                    featured: Set(p.featured),
                    active: Set(true),
                    created_at: Set(p.created_at),
                    updated_at: Set(now),
                    // Added by a later migration; their defaults apply.
                    version: NotSet,
                    deleted_at: NotSet,
                })
            })
            .collect::<Result<Vec<_>, DbErr>>()?;
        product::Entity::insert_many(models).exec(db).await?;
    }

    let slugs: Vec<&str> = products.iter().map(|p| p.slug.as_str()).collect();
    let mut product_ids: HashMap<String, i32> = HashMap::with_capacity(products.len());
    for chunk in slugs.chunks(BATCH) {
        use sea_orm_migration::sea_orm::{ColumnTrait, QueryFilter};
        let rows = product::Entity::find()
            .select_only()
            .column(product::Column::Slug)
            .column(product::Column::Id)
            .filter(product::Column::Slug.is_in(chunk.iter().copied()))
            .into_tuple::<(String, i32)>()
            .all(db)
            .await?;
        product_ids.extend(rows);
    }

    let mut images = Vec::new();
    let mut specs = Vec::new();
    for p in products {
        let id = product_ids[&p.slug];
        for (position, img) in p.images.iter().enumerate() {
            images.push(product_image::ActiveModel {
                id: NotSet,
                product_id: Set(id),
                position: Set(position as i32),
                url: Set(format!("/images/products/{}", img.file)),
                alt: Set(img.alt.clone()),
                width: Set(img.width),
                height: Set(img.height),
            });
        }
        for (key, value) in &p.specs {
            let Some((text, num)) = spec_value(value) else {
                return Err(DbErr::Custom(format!("{}: spec {key} has an unsupported value", p.slug)));
            };
            specs.push(product_spec::ActiveModel {
                product_id: Set(id),
                key: Set(key.clone()),
                value: Set(text),
                value_num: Set(num),
            });
        }
    }
    for chunk in images.chunks(BATCH) {
        product_image::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    for chunk in specs.chunks(BATCH) {
        product_spec::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_punctuation_and_case() {
        assert_eq!(slugify("be quiet!"), "be-quiet");
        assert_eq!(slugify("  G.Skill  "), "g-skill");
        assert_eq!(slugify("ASUS ROG"), "asus-rog");
    }

    #[test]
    fn spec_values_are_canonical() {
        assert_eq!(spec_value(&serde_json::json!(24)), Some(("24".into(), Some(24.0))));
        assert_eq!(spec_value(&serde_json::json!(5.7)), Some(("5.7".into(), Some(5.7))));
        assert_eq!(spec_value(&serde_json::json!(true)), Some(("Yes".into(), None)));
        assert_eq!(spec_value(&serde_json::json!(" AM5 ")), Some(("AM5".into(), None)));
        assert_eq!(spec_value(&serde_json::json!(null)), None);
    }

    #[test]
    fn shipped_catalog_is_complete() {
        let c = catalog().expect("catalog parses");
        assert_eq!(c.currency, "USD");
        assert_eq!(c.categories.len(), 33);
        assert_eq!(c.products.len(), 344);
        let mut slugs: Vec<_> = c.products.iter().map(|p| &p.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 344, "product slugs are unique");
        for p in &c.products {
            assert!((2..=5).contains(&p.images.len()), "{} has 2-5 images", p.slug);
            assert!(c.categories.iter().any(|cat| cat.slug == p.category), "{} category", p.slug);
        }
    }
}
