//! The back office's product management, as browser and server share it:
//! the product form as posted, what the edit page loads, the products list
//! and its filters.
//!
//! The form travels as typed text ([`ProductForm`]); the server parses it
//! into a checked edit (`catalog_server::ProductEdit`) against the chosen
//! category's typed specs, so a wrong price or a spec the category does not
//! have is a field error, never a silent default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::domain::{encode, first_page};
use crate::error::FieldError;
use crate::money::Money;

/// How many products a page of the admin list shows.
pub const PRODUCTS_PER_PAGE: u64 = 50;

/// The product form as posted: every field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    /// `None` for a new product.
    pub id: Option<i32>,
    /// The version the edit started from (0 for a new product).
    pub version: i32,
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    pub sku: String,
    /// A brand's name; a new name adds the brand.
    pub brand: String,
    /// The category's slug.
    pub category: String,
    pub short_description: String,
    pub description: String,
    /// In the currency's major unit, as typed: "1299.99".
    pub price: String,
    /// Empty for none.
    pub compare_at: String,
    pub threshold: String,
    /// A checkbox: present when ticked.
    pub active: Option<String>,
    pub featured: Option<String>,
    /// Spec key → value as typed; empty values are left out.
    pub specs: BTreeMap<String, String>,
}

impl ProductForm {
    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    pub fn is_featured(&self) -> bool {
        self.featured.is_some()
    }

    /// Each field a person sees, labelled, with its value as text.
    pub fn labelled(&self, specs: &[SpecField]) -> Vec<(String, String)> {
        let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
        let mut out = vec![
            ("Name".to_owned(), self.name.clone()),
            ("Address (slug)".to_owned(), self.slug.clone()),
            ("SKU".to_owned(), self.sku.clone()),
            ("Brand".to_owned(), self.brand.clone()),
            ("Category".to_owned(), self.category.clone()),
            ("Short description".to_owned(), self.short_description.clone()),
            ("Description".to_owned(), self.description.clone()),
            ("Price".to_owned(), self.price.clone()),
            ("Compare-at price".to_owned(), self.compare_at.clone()),
            ("Low-stock threshold".to_owned(), self.threshold.clone()),
            ("On sale in the store".to_owned(), yes_no(self.is_active())),
            ("Featured".to_owned(), yes_no(self.is_featured())),
        ];
        for s in specs {
            out.push((s.label.clone(), self.specs.get(&s.key).cloned().unwrap_or_default()));
        }
        out
    }
}

/// How a spec's value is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecKind {
    Text,
    Number,
    Bool,
}

impl SpecKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "text" => Some(Self::Text),
            "number" => Some(Self::Number),
            "bool" => Some(Self::Bool),
            _ => None,
        }
    }
}

/// One typed spec the product's category defines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecField {
    pub key: String,
    pub label: String,
    pub kind: SpecKind,
    pub unit: Option<String>,
}

/// A category to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub slug: String,
    pub name: String,
}

/// Why an edit was kept as a draft instead of saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i32,
    /// Fields that need fixing (a post without JavaScript comes back here).
    pub errors: Vec<FieldError>,
    /// Someone saved the product after this edit began: each field where
    /// the saved product and this edit differ, as (label, saved, yours).
    pub conflict: Option<Vec<(String, String, String)>>,
}

/// What the product page loads: the form's values (the product's, or the
/// admin's own draft of them) and what the form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub form: ProductForm,
    pub categories: Vec<CategoryChoice>,
    pub brands: Vec<String>,
    /// The specs of `form.category`.
    pub specs: Vec<SpecField>,
    /// `None` for a new product.
    pub saved: Option<SavedProduct>,
    pub draft: Option<DraftView>,
}

/// What the store holds of an existing product, beside the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedProduct {
    pub id: i32,
    pub slug: String,
    pub version: i32,
    pub stock: i32,
    /// RFC 3339.
    pub updated_at: String,
    pub deleted: bool,
}

/// What saving did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    Saved {
        id: i32,
        version: i32,
    },
    /// Not saved: kept as the admin's draft `draft` (a conflict, or field
    /// errors after a post without JavaScript); the page shows it.
    Kept {
        product: Option<i32>,
        draft: i32,
    },
}

impl SaveOutcome {
    /// The page to show after saving.
    pub fn page(&self) -> String {
        match self {
            Self::Saved { id, .. } => format!("/admin/products/{id}?saved=1"),
            Self::Kept { product: Some(id), draft } => format!("/admin/products/{id}?draft={draft}"),
            Self::Kept { product: None, draft } => format!("/admin/products/new?draft={draft}"),
        }
    }
}

/// Which products the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductState {
    /// Every product not deleted.
    #[default]
    Current,
    Active,
    Inactive,
    Deleted,
}

impl ProductState {
    pub const ALL: [Self; 4] = [Self::Current, Self::Active, Self::Inactive, Self::Deleted];

    pub fn id(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::Deleted => "deleted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "All but deleted",
            Self::Active => "On sale",
            Self::Inactive => "Not on sale",
            Self::Deleted => "Deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.id() == s)
    }
}

/// The list's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductSort {
    #[default]
    Name,
    Price,
    Stock,
    Updated,
}

impl ProductSort {
    pub const ALL: [Self; 4] = [Self::Name, Self::Price, Self::Stock, Self::Updated];

    pub fn id(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Price => "price",
            Self::Stock => "stock",
            Self::Updated => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Price => "Price, lowest first",
            Self::Stock => "Stock, lowest first",
            Self::Updated => "Recently changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.id() == s)
    }
}

/// The products list's filters, from the page's query string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFilter {
    /// Part of the name, SKU or slug.
    pub q: Option<String>,
    /// A category slug.
    pub category: Option<String>,
    #[serde(default)]
    pub state: ProductState,
    #[serde(default)]
    pub sort: ProductSort,
    #[serde(default = "first_page")]
    pub page: u64,
}

impl ProductFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            q: text("q"),
            category: text("category"),
            state: text("state").and_then(|s| ProductState::parse(&s)).unwrap_or_default(),
            sort: text("sort").and_then(|s| ProductSort::parse(&s)).unwrap_or_default(),
            page: text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    pub fn query(&self, page: u64) -> String {
        let mut pairs = Vec::new();
        if let Some(q) = &self.q {
            pairs.push(format!("q={}", encode(q)));
        }
        if let Some(c) = &self.category {
            pairs.push(format!("category={}", encode(c)));
        }
        if self.state != ProductState::Current {
            pairs.push(format!("state={}", self.state.id()));
        }
        if self.sort != ProductSort::Name {
            pairs.push(format!("sort={}", self.sort.id()));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
    }
}

/// One row of the products list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: i32,
    pub name: String,
    pub sku: String,
    pub category: String,
    pub brand: String,
    pub price: Money,
    pub stock: i32,
    pub active: bool,
    pub deleted: bool,
    /// RFC 3339.
    pub updated_at: String,
}

/// One page of the products list, with the true count of every match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductList {
    pub rows: Vec<ProductRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub categories: Vec<CategoryChoice>,
}

/// One image of a product's gallery, as the gallery page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryImage {
    pub id: i32,
    pub url: String,
    /// The small version (the image itself for the catalog's shipped images).
    pub thumb: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// A product's gallery, primary image first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gallery {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub on_sale: bool,
    pub images: Vec<GalleryImage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_round_trips_through_its_query() {
        let f = ProductFilter {
            q: Some("rtx 4090 & co".into()),
            category: Some("gpus".into()),
            state: ProductState::Deleted,
            sort: ProductSort::Updated,
            page: 1,
        };
        let query = f.query(3);
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), percent_decode(v))
            })
            .collect();
        let back = ProductFilter::from_query(|k| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, ProductFilter { page: 3, ..f });
    }

    fn percent_decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unknown_filter_values_fall_back_to_the_defaults() {
        let f = ProductFilter::from_query(|k| match k {
            "state" => Some("<script>".into()),
            "sort" => Some("nope".into()),
            "page" => Some("0".into()),
            _ => None,
        });
        assert_eq!((f.state, f.sort, f.page), (ProductState::Current, ProductSort::Name, 1));
    }
}
