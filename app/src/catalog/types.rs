//! Wire types of the catalog: plain serde structs shared by browser and server.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of money in minor units (cents). Never a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Money(pub i64);

impl Money {
    /// Parses a shopper-typed amount in major units ("199", "199.9", "1,299.99", "$50").
    pub fn parse_major(input: &str) -> Option<Money> {
        let cleaned: String = input.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
        if cleaned.is_empty() || cleaned.len() > 12 {
            return None;
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        whole.checked_mul(100)?.checked_add(frac).map(Money)
    }

    /// Major units without a currency sign and without trailing `.00` ("199", "199.90").
    pub fn to_major_string(self) -> String {
        if self.0 % 100 == 0 { format!("{}", self.0 / 100) } else { format!("{}.{:02}", self.0 / 100, self.0 % 100) }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.0.unsigned_abs();
        let whole = (cents / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}${grouped}.{:02}", cents % 100)
    }
}

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
        let before = self.compare_at?.0;
        (before > self.price.0 && before > 0).then(|| ((before - self.price.0) * 100 + before / 2) / before)
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
    fn money_formats_with_grouping() {
        assert_eq!(Money(179_999).to_string(), "$1,799.99");
        assert_eq!(Money(899).to_string(), "$8.99");
        assert_eq!(Money(100_000_000).to_string(), "$1,000,000.00");
        assert_eq!(Money(5).to_string(), "$0.05");
    }

    #[test]
    fn money_parses_what_shoppers_type() {
        assert_eq!(Money::parse_major("199"), Some(Money(19_900)));
        assert_eq!(Money::parse_major(" $1,299.9 "), Some(Money(129_990)));
        assert_eq!(Money::parse_major(".5"), Some(Money(50)));
        for bad in ["", "-5", "abc", "1.234", "1e5", "NaN", "99999999999999", "."] {
            assert_eq!(Money::parse_major(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn stock_status_thresholds() {
        assert_eq!(StockStatus::from_levels(0, 5), StockStatus::OutOfStock);
        assert_eq!(StockStatus::from_levels(5, 5), StockStatus::Low(5));
        assert_eq!(StockStatus::from_levels(6, 5), StockStatus::InStock);
        assert_eq!(StockStatus::Low(2).label(), "Only 2 left");
    }
}
