//! Wire types of the catalog: plain serde structs shared by browser and server.

use serde::{Deserialize, Serialize};

pub use crate::money::Money;

/// What a shopper is told about availability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockStatus {
    InStock,
    /// At or below the product's low-stock threshold: the number left.
    Low(i32),
    OutOfStock,
}

impl StockStatus {
    pub fn from_levels(stock: i32, low_threshold: i32) -> Self {
        if stock <= 0 {
            Self::OutOfStock
        } else if stock <= low_threshold {
            Self::Low(stock)
        } else {
            Self::InStock
        }
    }

    pub fn label(self) -> String {
        match self {
            Self::InStock => "In stock".to_owned(),
            Self::Low(n) => format!("Only {n} left"),
            Self::OutOfStock => "Out of stock".to_owned(),
        }
    }

    pub fn css_class(self) -> &'static str {
        match self {
            Self::InStock => "stock stock--in",
            Self::Low(_) => "stock stock--low",
            Self::OutOfStock => "stock stock--out",
        }
    }

    pub fn available(self) -> bool {
        !matches!(self, Self::OutOfStock)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    pub url: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// A product as shown on listing cards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub category_slug: String,
    pub category_name: String,
    pub short_description: String,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: StockStatus,
    pub rating_x10: i16,
    pub review_count: i32,
    pub image: Option<ImageRef>,
}

impl ProductCard {
    /// Percentage saved against the former price, when discounted.
    pub fn discount_percent(&self) -> Option<i64> {
        let before = self.compare_at?.minor();
        let now = self.price.minor();
        (before > now && before > 0).then(|| ((before - now) * 100 + before / 2) / before)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub image: String,
    pub product_count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub featured: Vec<ProductCard>,
    pub deals: Vec<ProductCard>,
    pub categories: Vec<CategorySummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecFacet {
    pub key: String,
    pub label: String,
    pub unit: Option<String>,
    pub values: Vec<FacetValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub categories: Vec<FacetValue>,
    pub brands: Vec<FacetValue>,
    pub specs: Vec<SpecFacet>,
    /// Cheapest and dearest price among products matching every other filter.
    pub price_bounds: Option<(Money, Money)>,
    pub in_stock_count: u64,
}

/// One page of a listing (category, all products or search) with its facets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingPage {
    pub items: Vec<ProductCard>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub per_page: u32,
    pub facets: Facets,
    pub category: Option<CategorySummary>,
    /// The query as the server understood it, re-encoded (for canonical links).
    pub canonical_query: String,
    /// Things the server corrected in the request ("Ignored an invalid price").
    pub notices: Vec<String>,
    /// Search only: a better spelling to suggest.
    pub did_you_mean: Option<String>,
    /// Search only: nothing matched every word, so products matching some are shown.
    pub relaxed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecRow {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub card: ProductCard,
    pub sku: String,
    pub description: String,
    pub images: Vec<ImageRef>,
    pub specs: Vec<SpecRow>,
    pub related: Vec<ProductCard>,
}

/// A type-ahead suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub category_name: String,
    pub price: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_status_thresholds() {
        assert_eq!(StockStatus::from_levels(0, 5), StockStatus::OutOfStock);
        assert_eq!(StockStatus::from_levels(5, 5), StockStatus::Low(5));
        assert_eq!(StockStatus::from_levels(6, 5), StockStatus::InStock);
        assert_eq!(StockStatus::Low(2).label(), "Only 2 left");
    }
}
