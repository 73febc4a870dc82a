//! The listing query carried in the URL: parsed leniently (bad values fall back
//! to safe defaults and are reported as notices), encoded canonically.
//!
//! The same code runs in the browser (to build links) and on the server (to
//! answer), so what a link says is exactly what the server does.

use serde::{Deserialize, Serialize};

use super::types::Money;

pub const DEFAULT_PER_PAGE: u32 = 24;
pub const PER_PAGE_CHOICES: [u32; 3] = [12, 24, 48];
pub const MAX_PAGE: u32 = 10_000;
pub const MAX_QUERY_CHARS: usize = 120;
const MAX_VALUES: usize = 30;
const MAX_VALUE_CHARS: usize = 80;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Name,
    Newest,
    Rating,
}

impl SortOrder {
    pub const ALL: [SortOrder; 6] =
        [Self::Relevance, Self::PriceAsc, Self::PriceDesc, Self::Name, Self::Newest, Self::Rating];

    pub fn param(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::PriceAsc => "price-asc",
            Self::PriceDesc => "price-desc",
            Self::Name => "name",
            Self::Newest => "newest",
            Self::Rating => "rating",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Relevance",
            Self::PriceAsc => "Price: low to high",
            Self::PriceDesc => "Price: high to low",
            Self::Name => "Name: A to Z",
            Self::Newest => "Newest",
            Self::Rating => "Top rated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.param() == s)
    }
}

/// Filters, sort and page of a listing. Slugs and spec values are kept as
/// given (bounded in size); the server ignores those it does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingQuery {
    pub q: String,
    pub categories: Vec<String>,
    pub brands: Vec<String>,
    pub min_price: Option<Money>,
    pub max_price: Option<Money>,
    pub in_stock: bool,
    /// `spec.<key>=<value>` pairs: values of one key are alternatives, keys combine.
    pub specs: Vec<(String, Vec<String>)>,
    pub sort: SortOrder,
    pub page: u32,
    pub per_page: u32,
}

/// A parsed query and what had to be corrected to get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub query: ListingQuery,
    pub notices: Vec<String>,
}

fn bounded(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.chars().count() <= MAX_VALUE_CHARS).then(|| v.to_owned())
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if list.len() < MAX_VALUES && !list.contains(&value) {
        list.push(value);
    }
}

impl ListingQuery {
    pub fn new() -> Self {
        Self { page: 1, per_page: DEFAULT_PER_PAGE, ..Default::default() }
    }

    /// Parses a URL query string (with or without the leading `?`).
    pub fn parse(query_string: &str) -> Parsed {
        let mut query = ListingQuery::new();
        let mut notices: Vec<String> = Vec::new();
        // Each kind of correction is reported once, however often a parameter repeats.
        let mut note = |text: String| {
            if !notices.contains(&text) {
                notices.push(text);
            }
        };
        let mut bad_price = false;
        let raw = query_string.strip_prefix('?').unwrap_or(query_string);
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let value = value.as_ref();
            match key.as_ref() {
                "q" => {
                    let text: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
                    if text.chars().count() > MAX_QUERY_CHARS {
                        note(format!("Your search was shortened to {MAX_QUERY_CHARS} characters."));
                        query.q = text.chars().take(MAX_QUERY_CHARS).collect();
                    } else {
                        query.q = text;
                    }
                }
                "category" => {
                    if let Some(v) = bounded(value) {
                        push_unique(&mut query.categories, v);
                    }
                }
                "brand" => {
                    if let Some(v) = bounded(value) {
                        push_unique(&mut query.brands, v);
                    }
                }
                "min_price" | "max_price" if value.trim().is_empty() => {}
                "min_price" => match Money::parse_major(value, crate::money::CATALOG_CURRENCY) {
                    Some(m) => query.min_price = Some(m),
                    None => bad_price = true,
                },
                "max_price" => match Money::parse_major(value, crate::money::CATALOG_CURRENCY) {
                    Some(m) => query.max_price = Some(m),
                    None => bad_price = true,
                },
                "in_stock" => query.in_stock = matches!(value, "1" | "true" | "on" | "yes"),
                "sort" => match SortOrder::parse(value) {
                    Some(s) => query.sort = s,
                    None => note("Unknown sort order: showing the default order.".to_owned()),
                },
                "page" => match value.trim().parse::<u32>() {
                    Ok(p) if (1..=MAX_PAGE).contains(&p) => query.page = p,
                    _ => note("That page number is not valid: showing the first page.".to_owned()),
                },
                "per_page" => match value.trim().parse::<u32>() {
                    Ok(n) if PER_PAGE_CHOICES.contains(&n) => query.per_page = n,
                    _ => note(format!("Showing {DEFAULT_PER_PAGE} products per page (choose 12, 24 or 48).")),
                },
                other => {
                    if let Some(spec_key) = other.strip_prefix("spec.") {
                        let valid_key = !spec_key.is_empty()
                            && spec_key.len() <= 40
                            && spec_key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                        if let (true, Some(v)) = (valid_key, bounded(value)) {
                            match query.specs.iter().position(|(k, _)| k == spec_key) {
                                Some(i) => push_unique(&mut query.specs[i].1, v),
                                None if query.specs.len() < MAX_VALUES => {
                                    query.specs.push((spec_key.to_owned(), vec![v]))
                                }
                                None => {}
                            }
                        }
                    }
                    // Unknown parameters (tracking tags and the like) are ignored.
                }
            }
        }
        if bad_price {
            note("Ignored a price that is not a number.".to_owned());
        }
        if let (Some(min), Some(max)) = (query.min_price, query.max_price)
            && min > max
        {
            query.min_price = Some(max);
            query.max_price = Some(min);
            note("Swapped the minimum and maximum price.".to_owned());
        }
        Parsed { query, notices }
    }

    /// Canonical query string without the leading `?` (empty when all defaults).
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        for c in &self.categories {
            out.append_pair("category", c);
        }
        for b in &self.brands {
            out.append_pair("brand", b);
        }
        for (key, values) in &self.specs {
            for v in values {
                out.append_pair(&format!("spec.{key}"), v);
            }
        }
        if let Some(m) = self.min_price {
            out.append_pair("min_price", &m.to_major_string());
        }
        if let Some(m) = self.max_price {
            out.append_pair("max_price", &m.to_major_string());
        }
        if self.in_stock {
            out.append_pair("in_stock", "1");
        }
        if self.sort != SortOrder::Relevance {
            out.append_pair("sort", self.sort.param());
        }
        if self.per_page != DEFAULT_PER_PAGE {
            out.append_pair("per_page", &self.per_page.to_string());
        }
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }

    /// `path` plus this query, for links.
    pub fn href(&self, path: &str) -> String {
        let qs = self.to_query_string();
        if qs.is_empty() { path.to_owned() } else { format!("{path}?{qs}") }
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self { page, ..self.clone() }
    }

    /// Any filter set (search text, sort and paging excluded)?
    pub fn has_filters(&self) -> bool {
        !self.categories.is_empty()
            || !self.brands.is_empty()
            || !self.specs.is_empty()
            || self.min_price.is_some()
            || self.max_price.is_some()
            || self.in_stock
    }

    /// The same search and sort with every filter removed.
    pub fn without_filters(&self) -> Self {
        Self { q: self.q.clone(), sort: self.sort, per_page: self.per_page, ..Self::new() }
    }

    pub fn spec_values(&self, key: &str) -> &[String] {
        self.specs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_slice()).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_full_query() {
        let qs = "q=rtx+4090&category=gpus&brand=asus&brand=msi&spec.vram=24&spec.vram=16&min_price=500&max_price=1999.99&in_stock=1&sort=price-desc&per_page=48&page=2";
        let parsed = ListingQuery::parse(qs);
        assert!(parsed.notices.is_empty(), "{:?}", parsed.notices);
        let q = parsed.query;
        assert_eq!(q.q, "rtx 4090");
        assert_eq!(q.brands, ["asus", "msi"]);
        assert_eq!(q.specs, vec![("vram".to_owned(), vec!["24".to_owned(), "16".to_owned()])]);
        assert_eq!(q.min_price, Some(Money::usd(50_000)));
        assert_eq!(q.max_price, Some(Money::usd(199_999)));
        assert_eq!(q.sort, SortOrder::PriceDesc);
        assert_eq!((q.page, q.per_page), (2, 48));
        assert_eq!(ListingQuery::parse(&q.to_query_string()).query, q);
    }

    #[test]
    fn garbage_falls_back_to_defaults_with_notices() {
        let parsed = ListingQuery::parse(
            "?sort=%3Cscript%3E&page=-3&per_page=100000&min_price=abc&max_price=1e9&spec.Bad%20Key=x&in_stock=maybe",
        );
        let q = parsed.query;
        assert_eq!(q, ListingQuery::new());
        assert_eq!(parsed.notices.len(), 4, "{:?}", parsed.notices);
        assert!(parsed.notices.iter().all(|n| !n.contains('<')), "never echoes raw input");
    }

    #[test]
    fn repeated_bad_parameters_are_reported_once() {
        let qs: String = (0..500).map(|_| "sort=x&page=0&").collect();
        assert_eq!(ListingQuery::parse(&qs).notices.len(), 2);
    }

    #[test]
    fn swaps_inverted_price_range() {
        let parsed = ListingQuery::parse("min_price=900&max_price=100");
        assert_eq!(parsed.query.min_price, Some(Money::usd(10_000)));
        assert_eq!(parsed.query.max_price, Some(Money::usd(90_000)));
        assert_eq!(parsed.notices.len(), 1);
    }

    #[test]
    fn bounds_repeated_values_and_long_search() {
        let many: String = (0..100).map(|i| format!("brand=b{i}&")).collect();
        assert_eq!(ListingQuery::parse(&many).query.brands.len(), MAX_VALUES);
        let long = format!("q={}", "a".repeat(500));
        let parsed = ListingQuery::parse(&long);
        assert_eq!(parsed.query.q.len(), MAX_QUERY_CHARS);
        assert_eq!(parsed.notices.len(), 1);
    }

    #[test]
    fn default_query_encodes_to_nothing() {
        assert_eq!(ListingQuery::new().to_query_string(), "");
        assert_eq!(ListingQuery::new().href("/products"), "/products");
        assert_eq!(ListingQuery::new().with_page(3).href("/products"), "/products?page=3");
    }
}
