//! Product management (ssr only): the products list, the edit page's data,
//! and saving, deleting and restoring a product, each one transaction.
//!
//! An edit names the version it started from and is written with
//! `UPDATE … WHERE id = ? AND version = ?`: when someone else saved in
//! between, nothing is written and the edit is kept as the admin's draft
//! (`product_drafts`), shown beside what the other person saved. The search
//! index is refreshed for the one product after the commit (by the caller,
//! and on every other app server by the `ProductChanged` event).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::{brand, category, product, product_draft, product_image, product_spec, spec_definition};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::catalog::{
    CategoryChoice, DraftView, Gallery, GalleryImage, PRODUCTS_PER_PAGE, ProductEditor, ProductFilter, ProductForm,
    ProductList, ProductRow, ProductSort, ProductState, SavedProduct, SpecField, SpecKind,
};
use crate::error::{FieldError, ServerError};
use crate::events::domain::StoreEvent;
use crate::money::{CATALOG_CURRENCY, Money};

/// The highest price staff may set, in minor units ($1,000,000.00).
const MAX_PRICE: i64 = 100_000_000;
/// How long an unsaved draft is kept.
const DRAFT_DAYS: i64 = 7;

/// A product form that passed every check, ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductEdit {
    pub name: String,
    pub slug: String,
    pub sku: String,
    pub brand: String,
    pub category_id: i32,
    pub short_description: String,
    pub description: String,
    pub price_cents: i64,
    pub compare_at_cents: Option<i64>,
    pub threshold: i32,
    pub active: bool,
    pub featured: bool,
    /// (key, canonical text, number) for each filled-in spec.
    pub specs: Vec<(String, String, Option<f64>)>,
}

/// A product's address made from its name: "ASUS TUF RTX 4090!" → "asus-tuf-rtx-4090".
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars().take(120).collect::<String>().trim_end_matches('-').to_owned()
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn field(errors: &mut Vec<FieldError>, field: &str, message: &str) {
    errors.push(FieldError { field: field.into(), message: message.into() });
}

/// Trimmed `text`, or a field error when it is empty (if `required`) or longer than `max` characters.
fn text(errors: &mut Vec<FieldError>, name: &str, value: &str, required: bool, max: usize) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        field(errors, name, "This is required.");
    } else if v.chars().count() > max {
        field(errors, name, &format!("Use at most {max} characters."));
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        field(errors, name, "Remove the control characters.");
    }
    v.to_owned()
}

/// A spec value as typed, checked against its kind: (canonical text, number).
fn spec_value(kind: SpecKind, raw: &str) -> Result<(String, Option<f64>), &'static str> {
    let v = raw.trim();
    match kind {
        SpecKind::Text if v.chars().count() > 100 => Err("Use at most 100 characters."),
        SpecKind::Text => Ok((v.to_owned(), None)),
        SpecKind::Bool => match v {
            "Yes" | "yes" => Ok(("Yes".into(), None)),
            "No" | "no" => Ok(("No".into(), None)),
            _ => Err("Choose yes or no."),
        },
        SpecKind::Number => {
            let n: f64 = v.parse().map_err(|_| "Enter a number, like 24 or 5.7.")?;
            if !n.is_finite() || n.abs() > 1e12 {
                return Err("Enter a number, like 24 or 5.7.");
            }
            let text = if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") };
            Ok((text, Some(n)))
        }
    }
}

/// The specs `category` defines, in their order.
async fn spec_fields<C: ConnectionTrait>(db: &C, category_id: i32) -> Result<Vec<SpecField>, ServerError> {
    let defs = spec_definition::Entity::find()
        .filter(spec_definition::Column::CategoryId.eq(category_id))
        .order_by_asc(spec_definition::Column::Position)
        .all(db)
        .await?;
    defs.into_iter()
        .map(|d| {
            let kind = SpecKind::parse(&d.kind)
                .ok_or_else(|| ServerError::Internal(format!("spec {} has an unknown kind {}", d.key, d.kind)))?;
            Ok(SpecField { key: d.key, label: d.label, kind, unit: d.unit })
        })
        .collect()
}

/// Checks every field of `form`, reporting all problems at once.
pub async fn parse_form<C: ConnectionTrait>(db: &C, form: &ProductForm) -> Result<ProductEdit, ServerError> {
    let mut errors = Vec::new();
    let name = text(&mut errors, "name", &form.name, true, 200);
    let slug = match form.slug.trim() {
        "" => slugify(&name),
        s => s.to_owned(),
    };
    if !valid_slug(&slug) {
        field(&mut errors, "slug", "Use lowercase letters, digits and single hyphens (up to 120), like asus-rtx-4090.");
    }
    let sku = form.sku.trim().to_uppercase();
    if sku.is_empty() || sku.len() > 64 || !sku.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        field(&mut errors, "sku", "Use 1 to 64 letters, digits and hyphens.");
    }
    let brand = text(&mut errors, "brand", &form.brand, true, 80);
    let category = category::Entity::find().filter(category::Column::Slug.eq(form.category.trim())).one(db).await?;
    if category.is_none() {
        field(&mut errors, "category", "Choose a category.");
    }
    let short_description = text(&mut errors, "short_description", &form.short_description, true, 300);
    let description = text(&mut errors, "description", &form.description, false, 20_000);
    let price = Money::parse_major(&form.price, CATALOG_CURRENCY).map(Money::minor);
    match price {
        Some(p) if p > 0 && p <= MAX_PRICE => {}
        _ => field(&mut errors, "price", "Enter a price above zero, like 1299.99."),
    }
    let compare_at = match form.compare_at.trim() {
        "" => None,
        raw => match Money::parse_major(raw, CATALOG_CURRENCY).map(Money::minor) {
            Some(c) if c <= MAX_PRICE && price.is_none_or(|p| c > p) => Some(c),
            Some(_) => {
                field(&mut errors, "compare_at", "The compare-at price must be above the price (or left empty).");
                None
            }
            None => {
                field(&mut errors, "compare_at", "Enter an amount, like 1499.99, or leave it empty.");
                None
            }
        },
    };
    let threshold = match form.threshold.trim().parse::<i32>() {
        Ok(t) if (0..=100_000).contains(&t) => t,
        _ => {
            field(&mut errors, "threshold", "Enter a whole number from 0 to 100000.");
            0
        }
    };
    let mut specs = Vec::new();
    if let Some(c) = &category {
        // Only the chosen category's specs count: a spec of another category
        // (left over after changing the category) is not the product's.
        for def in spec_fields(db, c.id).await? {
            let Some(raw) = form.specs.get(&def.key).filter(|v| !v.trim().is_empty()) else { continue };
            match spec_value(def.kind, raw) {
                Ok((text, num)) => specs.push((def.key, text, num)),
                Err(message) => field(&mut errors, &format!("specs.{}", def.key), message),
            }
        }
    }
    if !errors.is_empty() {
        return Err(ServerError::Fields(errors));
    }
    Ok(ProductEdit {
        name,
        slug,
        sku,
        brand,
        category_id: category.map(|c| c.id).unwrap_or_default(),
        short_description,
        description,
        price_cents: price.unwrap_or_default(),
        compare_at_cents: compare_at,
        threshold,
        active: form.is_active(),
        featured: form.is_featured(),
        specs,
    })
}

/// The brand named `name` (any case), added if the store has none.
async fn brand_id<C: ConnectionTrait>(db: &C, name: &str) -> Result<i32, ServerError> {
    let by_name = || {
        brand::Entity::find()
            .filter(Expr::expr(Func::lower(Expr::col(brand::Column::Name))).eq(name.to_lowercase()))
            .one(db)
    };
    if let Some(b) = by_name().await? {
        return Ok(b.id);
    }
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(ServerError::Fields(vec![FieldError {
            field: "brand".into(),
            message: "Use a name with letters or digits.".into(),
        }]));
    }
    if let Some(b) = brand::Entity::find().filter(brand::Column::Slug.eq(&slug)).one(db).await? {
        return Ok(b.id);
    }
    // Two saves adding one brand at once: the unique slug keeps one row,
    // and both use it.
    brand::Entity::insert(brand::ActiveModel { id: NotSet, slug: Set(slug.clone()), name: Set(name.to_owned()) })
        .on_conflict(OnConflict::column(brand::Column::Slug).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    brand::Entity::find()
        .filter(brand::Column::Slug.eq(&slug))
        .one(db)
        .await?
        .map(|b| b.id)
        .ok_or_else(|| ServerError::Internal(format!("brand {slug} vanished")))
}

/// Which unique field another product already uses, if any (`except` is the product being edited).
async fn taken<C: ConnectionTrait>(
    db: &C,
    edit: &ProductEdit,
    except: Option<i32>,
) -> Result<Vec<FieldError>, ServerError> {
    let mut errors = Vec::new();
    for (name, column, value, message) in [
        ("slug", product::Column::Slug, &edit.slug, "Another product already has this address."),
        ("sku", product::Column::Sku, &edit.sku, "Another product already has this SKU."),
    ] {
        let mut q = product::Entity::find().filter(column.eq(value.as_str()));
        if let Some(id) = except {
            q = q.filter(product::Column::Id.ne(id));
        }
        if q.count(db).await? > 0 {
            field(&mut errors, name, message);
        }
    }
    Ok(errors)
}

/// A unique-key failure on write (two saves racing for one slug or SKU) as the field error it is.
fn unique_violation(e: sea_orm::DbErr) -> ServerError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(text)) => {
            let (name, message) = if text.contains("sku") {
                ("sku", "Another product already has this SKU.")
            } else {
                ("slug", "Another product already has this address.")
            };
            ServerError::Fields(vec![FieldError { field: name.into(), message: message.into() }])
        }
        _ => e.into(),
    }
}

async fn write_specs<C: ConnectionTrait>(db: &C, id: i32, edit: &ProductEdit) -> Result<(), ServerError> {
    product_spec::Entity::delete_many().filter(product_spec::Column::ProductId.eq(id)).exec(db).await?;
    if !edit.specs.is_empty() {
        product_spec::Entity::insert_many(edit.specs.iter().map(|(key, text, num)| product_spec::ActiveModel {
            product_id: Set(id),
            key: Set(key.clone()),
            value: Set(text.clone()),
            value_num: Set(*num),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// What a save wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub id: i32,
    pub version: i32,
}

/// Creates the product (`form.id` empty) or updates it if it is still at
/// `form.version`, with its specs and a `ProductChanged` event, in one
/// transaction. `Conflict` when someone else saved or deleted it first.
pub async fn save(db: &DatabaseConnection, form: &ProductForm, now: DateTime<Utc>) -> Result<Saved, ServerError> {
    let tx = db.begin().await?;
    // A write first: SQLite takes its write lock here, waiting its turn (a
    // transaction that read first could not upgrade once another saved),
    // and PostgreSQL locks the product's row, so saves of it take turns.
    product::Entity::update_many()
        .col_expr(product::Column::Version, Expr::col(product::Column::Version))
        .filter(product::Column::Id.eq(form.id.unwrap_or(-1)))
        .exec(&tx)
        .await?;
    let edit = parse_form(&tx, form).await?;
    let clashes = taken(&tx, &edit, form.id).await?;
    if !clashes.is_empty() {
        return Err(ServerError::Fields(clashes));
    }
    let brand_id = brand_id(&tx, &edit.brand).await?;
    let saved = match form.id {
        None => {
            let model = product::ActiveModel {
                id: NotSet,
                slug: Set(edit.slug.clone()),
                sku: Set(edit.sku.clone()),
                name: Set(edit.name.clone()),
                brand_id: Set(brand_id),
                category_id: Set(edit.category_id),
                short_description: Set(edit.short_description.clone()),
                description: Set(edit.description.clone()),
                price_cents: Set(edit.price_cents),
                compare_at_cents: Set(edit.compare_at_cents),
                // Stock arrives through the ledger ("received"), never typed here.
                stock: Set(0),
                low_stock_threshold: Set(edit.threshold),
                rating_x10: Set(0),
                review_count: Set(0),
                featured: Set(edit.featured),
                active: Set(edit.active),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                deleted_at: Set(None),
            }
            .insert(&tx)
            .await
            .map_err(unique_violation)?;
            Saved { id: model.id, version: 1 }
        }
        Some(id) => {
            use product::Column as P;
            let result = product::Entity::update_many()
                .col_expr(P::Name, Expr::value(edit.name.clone()))
                .col_expr(P::Slug, Expr::value(edit.slug.clone()))
                .col_expr(P::Sku, Expr::value(edit.sku.clone()))
                .col_expr(P::BrandId, Expr::value(brand_id))
                .col_expr(P::CategoryId, Expr::value(edit.category_id))
                .col_expr(P::ShortDescription, Expr::value(edit.short_description.clone()))
                .col_expr(P::Description, Expr::value(edit.description.clone()))
                .col_expr(P::PriceCents, Expr::value(edit.price_cents))
                .col_expr(P::CompareAtCents, Expr::value(edit.compare_at_cents))
                .col_expr(P::LowStockThreshold, Expr::value(edit.threshold))
                .col_expr(P::Active, Expr::value(edit.active))
                .col_expr(P::Featured, Expr::value(edit.featured))
                .col_expr(P::UpdatedAt, Expr::value(now))
                .col_expr(P::Version, Expr::col(P::Version).add(1))
                .filter(P::Id.eq(id))
                .filter(P::Version.eq(form.version))
                .filter(P::DeletedAt.is_null())
                .exec(&tx)
                .await
                .map_err(unique_violation)?;
            if result.rows_affected == 0 {
                return Err(match product::Entity::find_by_id(id).one(&tx).await? {
                    Some(p) if p.deleted_at.is_some() => deleted(),
                    Some(_) => ServerError::Conflict,
                    None => ServerError::NotFound,
                });
            }
            Saved { id, version: form.version + 1 }
        }
    };
    write_specs(&tx, saved.id, &edit).await?;
    crate::events::outbox::record(
        &tx,
        StoreEvent::ProductChanged { product_id: saved.id, name: edit.name.clone() },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A deleted product is not edited (its page offers to restore it): told,
/// not kept as a draft to save again.
fn deleted() -> ServerError {
    ServerError::Validation { field: "form", message: "This product was deleted: restore it to edit it.".into() }
}

/// Soft-deletes product `id` if it is still at `version`: it leaves the
/// store and the lists at once; orders, carts and the ledger that name it
/// keep their rows.
pub async fn delete(db: &DatabaseConnection, id: i32, version: i32, now: DateTime<Utc>) -> Result<(), ServerError> {
    set_deleted(db, id, Some(version), Some(now), now).await
}

/// Brings a deleted product back, not on sale (staff put it on sale when ready).
pub async fn restore(db: &DatabaseConnection, id: i32, now: DateTime<Utc>) -> Result<(), ServerError> {
    set_deleted(db, id, None, None, now).await
}

async fn set_deleted(
    db: &DatabaseConnection,
    id: i32,
    version: Option<i32>,
    deleted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    use product::Column as P;
    let tx = db.begin().await?;
    let mut update = product::Entity::update_many()
        .col_expr(P::DeletedAt, Expr::value(deleted_at))
        .col_expr(P::Active, Expr::value(false))
        .col_expr(P::UpdatedAt, Expr::value(now))
        .col_expr(P::Version, Expr::col(P::Version).add(1))
        .filter(P::Id.eq(id));
    update = match (version, deleted_at) {
        (Some(v), _) => update.filter(P::Version.eq(v)).filter(P::DeletedAt.is_null()),
        (None, _) => update.filter(P::DeletedAt.is_not_null()),
    };
    if update.exec(&tx).await?.rows_affected == 0 {
        return Err(match product::Entity::find_by_id(id).one(&tx).await? {
            Some(_) => ServerError::Conflict,
            None => ServerError::NotFound,
        });
    }
    let name = product::Entity::find_by_id(id).one(&tx).await?.map(|p| p.name).unwrap_or_default();
    crate::events::outbox::record(&tx, StoreEvent::ProductChanged { product_id: id, name }, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The most products one bulk action takes (two pages of the list).
pub const BULK_MAX: usize = 100;

/// Puts products `ids` on sale (`active`) or takes them off, in one
/// transaction; deleted products and those already so are left as they are.
/// Each changed product's version moves on (an edit open meanwhile is a
/// conflict, nothing lost) and gets its `ProductChanged` event. Returns the
/// ids it changed.
pub async fn set_on_sale(
    db: &DatabaseConnection,
    ids: &[i32],
    active: bool,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, ServerError> {
    use product::Column as P;
    let mut ids: Vec<i32> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(ServerError::Validation { field: "ids", message: "Select at least one product.".into() });
    }
    if ids.len() > BULK_MAX {
        return Err(ServerError::Validation {
            field: "ids",
            message: format!("Select at most {BULK_MAX} products at a time."),
        });
    }
    let tx = db.begin().await?;
    // A write first: the rows are locked (SQLite: the write lock is taken)
    // before they are read, so what is read is what gets changed.
    product::Entity::update_many()
        .col_expr(P::Version, Expr::col(P::Version))
        .filter(P::Id.is_in(ids.clone()))
        .exec(&tx)
        .await?;
    let changing: Vec<(i32, String)> = product::Entity::find()
        .select_only()
        .column(P::Id)
        .column(P::Name)
        .filter(P::Id.is_in(ids))
        .filter(P::DeletedAt.is_null())
        .filter(P::Active.ne(active))
        .order_by_asc(P::Id)
        .into_tuple()
        .all(&tx)
        .await?;
    if changing.is_empty() {
        tx.rollback().await?;
        return Ok(Vec::new());
    }
    let changed: Vec<i32> = changing.iter().map(|(id, _)| *id).collect();
    product::Entity::update_many()
        .col_expr(P::Active, Expr::value(active))
        .col_expr(P::UpdatedAt, Expr::value(now))
        .col_expr(P::Version, Expr::col(P::Version).add(1))
        .filter(P::Id.is_in(changed.clone()))
        .exec(&tx)
        .await?;
    for (product_id, name) in changing {
        crate::events::outbox::record(&tx, StoreEvent::ProductChanged { product_id, name }, now).await?;
    }
    tx.commit().await?;
    tracing::info!(products = ?changed, active, "products put on or taken off sale");
    Ok(changed)
}

/// What a draft row holds.
#[derive(Serialize, Deserialize)]
struct DraftBody {
    form: ProductForm,
    errors: Vec<FieldError>,
    conflict: bool,
}

/// Keeps `form` as `user_id`'s draft (and forgets their drafts older than
/// a week). Returns the draft's id.
pub async fn keep_draft<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    form: &ProductForm,
    errors: Vec<FieldError>,
    conflict: bool,
    now: DateTime<Utc>,
) -> Result<i32, ServerError> {
    product_draft::Entity::delete_many()
        .filter(product_draft::Column::UserId.eq(user_id))
        .filter(product_draft::Column::CreatedAt.lt(now - chrono::Duration::days(DRAFT_DAYS)))
        .exec(db)
        .await?;
    let body = serde_json::to_string(&DraftBody { form: form.clone(), errors, conflict })
        .map_err(|e| ServerError::Internal(format!("draft: {e}")))?;
    let draft = product_draft::ActiveModel {
        id: NotSet,
        product_id: Set(form.id),
        user_id: Set(user_id),
        base_version: Set(form.version),
        body: Set(body),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(draft.id)
}

/// Deletes `user_id`'s draft `id` (after they saved or discarded it).
pub async fn forget_draft<C: ConnectionTrait>(db: &C, user_id: i32, id: i32) -> Result<(), ServerError> {
    product_draft::Entity::delete_many()
        .filter(product_draft::Column::Id.eq(id))
        .filter(product_draft::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

fn categories_of(rows: Vec<category::Model>) -> Vec<CategoryChoice> {
    rows.into_iter().map(|c| CategoryChoice { slug: c.slug, name: c.name }).collect()
}

/// The form's values of a stored product.
async fn form_of<C: ConnectionTrait>(db: &C, p: &product::Model) -> Result<ProductForm, ServerError> {
    let brand = brand::Entity::find_by_id(p.brand_id).one(db).await?.map(|b| b.name).unwrap_or_default();
    let category = category::Entity::find_by_id(p.category_id).one(db).await?.map(|c| c.slug).unwrap_or_default();
    let specs: BTreeMap<String, String> = product_spec::Entity::find()
        .filter(product_spec::Column::ProductId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    Ok(ProductForm {
        id: Some(p.id),
        version: p.version,
        name: p.name.clone(),
        slug: p.slug.clone(),
        sku: p.sku.clone(),
        brand,
        category,
        short_description: p.short_description.clone(),
        description: p.description.clone(),
        price: Money::new(p.price_cents, CATALOG_CURRENCY).to_major_string(),
        compare_at: p.compare_at_cents.map(|c| Money::new(c, CATALOG_CURRENCY).to_major_string()).unwrap_or_default(),
        threshold: p.low_stock_threshold.to_string(),
        active: p.active.then(|| "on".to_owned()),
        featured: p.featured.then(|| "on".to_owned()),
        specs,
    })
}

/// What the product page (`id`) or the new-product page (`None`, in
/// `category`) shows, with `user_id`'s draft `draft` in the form if asked.
pub async fn editor<C: ConnectionTrait>(
    db: &C,
    id: Option<i32>,
    category: Option<String>,
    draft: Option<i32>,
    user_id: i32,
) -> Result<ProductEditor, ServerError> {
    let categories = categories_of(category::Entity::find().order_by_asc(category::Column::Position).all(db).await?);
    let brands: Vec<String> = brand::Entity::find()
        .select_only()
        .column(brand::Column::Name)
        .order_by_asc(brand::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    let stored = match id {
        Some(id) => Some(product::Entity::find_by_id(id).one(db).await?.ok_or(ServerError::NotFound)?),
        None => None,
    };
    let current = match &stored {
        Some(p) => form_of(db, p).await?,
        None => ProductForm {
            category: category.filter(|c| categories.iter().any(|k| &k.slug == c)).unwrap_or_default(),
            threshold: "5".into(),
            ..Default::default()
        },
    };
    let kept = match draft {
        Some(d) => product_draft::Entity::find_by_id(d)
            .filter(product_draft::Column::UserId.eq(user_id))
            .filter(match id {
                Some(id) => product_draft::Column::ProductId.eq(id),
                None => product_draft::Column::ProductId.is_null(),
            })
            .one(db)
            .await?
            .and_then(|row| serde_json::from_str::<DraftBody>(&row.body).ok().map(|b| (row.id, b))),
        None => None,
    };
    let (form, draft) = match kept {
        None => (current, None),
        Some((draft_id, body)) => {
            let mut form = body.form;
            let category_id = categories_id(db, &form.category).await?;
            let specs = match category_id {
                Some(c) => spec_fields(db, c).await?,
                None => Vec::new(),
            };
            let conflict = (body.conflict && stored.is_some()).then(|| {
                let saved = current.labelled(&specs);
                let yours = form.labelled(&specs);
                saved
                    .into_iter()
                    .zip(yours)
                    .filter(|(s, y)| s.1.trim() != y.1.trim())
                    .map(|((label, s), (_, y))| (label, s, y))
                    .collect()
            });
            if body.conflict {
                // Saving again knowingly replaces what is saved now.
                form.version = current.version;
            }
            (form, Some(DraftView { id: draft_id, errors: body.errors, conflict }))
        }
    };
    let specs = match categories_id(db, &form.category).await? {
        Some(c) => spec_fields(db, c).await?,
        None => Vec::new(),
    };
    let saved = stored.map(|p| SavedProduct {
        id: p.id,
        slug: p.slug,
        version: p.version,
        stock: p.stock,
        updated_at: p.updated_at.to_rfc3339(),
        deleted: p.deleted_at.is_some(),
    });
    Ok(ProductEditor { form, categories, brands, specs, saved, draft })
}

async fn categories_id<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<i32>, ServerError> {
    Ok(category::Entity::find().filter(category::Column::Slug.eq(slug)).one(db).await?.map(|c| c.id))
}

/// One page of the products list.
pub async fn list<C: ConnectionTrait>(db: &C, f: &ProductFilter) -> Result<ProductList, ServerError> {
    use product::Column as P;
    let all_categories = category::Entity::find().order_by_asc(category::Column::Position).all(db).await?;
    let mut q = product::Entity::find();
    q = match f.state {
        ProductState::Current => q.filter(P::DeletedAt.is_null()),
        ProductState::Active => q.filter(P::DeletedAt.is_null()).filter(P::Active.eq(true)),
        ProductState::Inactive => q.filter(P::DeletedAt.is_null()).filter(P::Active.eq(false)),
        ProductState::Deleted => q.filter(P::DeletedAt.is_not_null()),
    };
    if let Some(slug) = &f.category {
        let Some(c) = all_categories.iter().find(|c| &c.slug == slug) else {
            return Err(ServerError::Validation { field: "category", message: "There is no such category.".into() });
        };
        q = q.filter(P::CategoryId.eq(c.id));
    }
    if let Some(text) = &f.q {
        if text.chars().count() > 100 {
            return Err(ServerError::Validation { field: "q", message: "Search with at most 100 characters.".into() });
        }
        let needle = super::server::contains(&text.to_lowercase());
        let like = |col: P| Expr::expr(Func::lower(Expr::col((product::Entity, col)))).like(needle.clone());
        q = q.filter(Condition::any().add(like(P::Name)).add(like(P::Sku)).add(like(P::Slug)));
    }
    let total = q.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(PRODUCTS_PER_PAGE), 1);
    let page = f.page.clamp(1, pages);
    q = match f.sort {
        ProductSort::Name => q.order_by_asc(Func::lower(Expr::col(P::Name))),
        ProductSort::Price => q.order_by_asc(P::PriceCents),
        ProductSort::Stock => q.order_by_asc(P::Stock),
        ProductSort::Updated => q.order_by_desc(P::UpdatedAt),
    };
    let products =
        q.order_by_asc(P::Id).offset((page - 1) * PRODUCTS_PER_PAGE).limit(PRODUCTS_PER_PAGE).all(db).await?;
    let brand_ids: Vec<i32> = products.iter().map(|p| p.brand_id).collect();
    let brands: HashMap<i32, String> = brand::Entity::find()
        .filter(brand::Column::Id.is_in(brand_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let category_names: HashMap<i32, String> = all_categories.iter().map(|c| (c.id, c.name.clone())).collect();
    let rows = products
        .into_iter()
        .map(|p| ProductRow {
            id: p.id,
            category: category_names.get(&p.category_id).cloned().unwrap_or_default(),
            brand: brands.get(&p.brand_id).cloned().unwrap_or_default(),
            price: Money::new(p.price_cents, CATALOG_CURRENCY),
            stock: p.stock,
            active: p.active,
            deleted: p.deleted_at.is_some(),
            updated_at: p.updated_at.to_rfc3339(),
            name: p.name,
            sku: p.sku,
        })
        .collect();
    Ok(ProductList { rows, total, page, pages, categories: categories_of(all_categories) })
}

/// Product `id`'s gallery.
pub async fn gallery<C: ConnectionTrait>(db: &C, id: i32) -> Result<Gallery, ServerError> {
    let p = product::Entity::find_by_id(id)
        .filter(product::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(ServerError::NotFound)?;
    let images = product_image::Entity::find()
        .filter(product_image::Column::ProductId.eq(id))
        .order_by_asc(product_image::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|i| GalleryImage {
            id: i.id,
            thumb: crate::catalog::images::thumb_url(&i.url).unwrap_or_else(|| i.url.clone()),
            url: i.url,
            alt: i.alt,
            width: i.width,
            height: i.height,
        })
        .collect();
    Ok(Gallery { id: p.id, name: p.name, slug: p.slug, on_sale: p.active, images })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_names_and_checked() {
        assert_eq!(slugify("ASUS TUF Gaming RTX 4090 OC!"), "asus-tuf-gaming-rtx-4090-oc");
        assert_eq!(slugify("  --Wi-Fi 6E-- "), "wi-fi-6e");
        assert_eq!(slugify("Ünïcode only ✓"), "n-code-only");
        assert!(valid_slug("asus-rtx-4090"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a/b", "../x"] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn spec_values_follow_their_kind() {
        assert_eq!(spec_value(SpecKind::Number, " 24 "), Ok(("24".into(), Some(24.0))));
        assert_eq!(spec_value(SpecKind::Number, "5.7"), Ok(("5.7".into(), Some(5.7))));
        assert!(spec_value(SpecKind::Number, "24 GB").is_err());
        assert!(spec_value(SpecKind::Number, "NaN").is_err());
        assert!(spec_value(SpecKind::Number, "inf").is_err());
        assert_eq!(spec_value(SpecKind::Bool, "yes"), Ok(("Yes".into(), None)));
        assert!(spec_value(SpecKind::Bool, "maybe").is_err());
        assert_eq!(spec_value(SpecKind::Text, " AM5 "), Ok(("AM5".into(), None)));
        assert!(spec_value(SpecKind::Text, &"x".repeat(101)).is_err());
    }
}
