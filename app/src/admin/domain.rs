//! Back-office wire types, shared by browser and server.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::orders::domain::{OrderStatus, OrderView};

/// Orders per page of the orders list.
pub const ORDERS_PER_PAGE: u64 = 25;

/// The order of the orders list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    #[default]
    Newest,
    Oldest,
    TotalDesc,
    TotalAsc,
}

impl OrderSort {
    pub const ALL: [Self; 4] = [Self::Newest, Self::Oldest, Self::TotalDesc, Self::TotalAsc];

    pub fn id(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::TotalDesc => "total_desc",
            Self::TotalAsc => "total_asc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "Newest first",
            Self::Oldest => "Oldest first",
            Self::TotalDesc => "Highest total",
            Self::TotalAsc => "Lowest total",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// The orders list's filters, as the page's query string carries them.
/// Dates are `YYYY-MM-DD` (UTC days, both ends included); the server
/// checks them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Part of the customer's e-mail address.
    pub email: Option<String>,
    /// Part of the order number.
    pub number: Option<String>,
    #[serde(default)]
    pub sort: OrderSort,
    /// 1-based.
    #[serde(default = "first_page")]
    pub page: u64,
}

pub(super) fn first_page() -> u64 {
    1
}

impl OrderFilter {
    /// The filter of a query string (unknown values are left out).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            status: text("status").and_then(|s| OrderStatus::parse(&s)),
            from: text("from"),
            to: text("to"),
            email: text("email"),
            number: text("number"),
            sort: text("sort").and_then(|s| OrderSort::parse(&s)).unwrap_or_default(),
            page: text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// This filter as a query string, on page `page`.
    pub fn query(&self, page: u64) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.status {
            pairs.push(("status", s.id().to_owned()));
        }
        for (k, v) in [("from", &self.from), ("to", &self.to), ("email", &self.email), ("number", &self.number)] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        if self.sort != OrderSort::Newest {
            pairs.push(("sort", self.sort.id().to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let encoded: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        if encoded.is_empty() { String::new() } else { format!("?{}", encoded.join("&")) }
    }
}

/// Percent-encodes a query value.
pub(super) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One row of the orders list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub number: String,
    /// RFC 3339, UTC.
    pub placed_at: String,
    pub email: String,
    pub status: OrderStatus,
    pub total: Money,
    pub items: u32,
    pub provider: String,
}

/// One page of the orders list, with the true count of every match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub rows: Vec<OrderRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// One step of an order's history, for staff: who, from what, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    /// "Shopper", "Store", "Stripe", "admin@octablitz.local".
    pub by: String,
    pub note: Option<String>,
}

/// An order as staff see it: the shopper's view, and what only staff see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrder {
    pub order: OrderView,
    pub provider_ref: Option<String>,
    pub paid_at: Option<String>,
    pub review_reason: Option<String>,
    pub cancel_reason: Option<String>,
    /// Where the refund stands, in staff words.
    pub refund: Option<String>,
    /// The refund is staff's to do by hand (and to mark done here).
    pub refund_manual: bool,
    pub stock_held: bool,
    pub timeline: Vec<TimelineEntry>,
    /// The moves staff may make now, as buttons.
    pub next: Vec<OrderStatus>,
}

/// A product at or under its low-stock threshold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockRow {
    pub id: i32,
    pub name: String,
    pub sku: String,
    pub slug: String,
    pub stock: i32,
    pub threshold: i32,
    pub active: bool,
}

/// The back office's front page: what happened today and what needs doing.
/// Every number is a count of all matches, not of a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Orders placed today (UTC) that are paid or further along.
    pub orders_today: u64,
    pub revenue_today: Money,
    /// Paid or being prepared: to ship.
    pub to_ship: u64,
    /// Held for review.
    pub held: u64,
    /// Refunds to make by hand, or still waiting for the provider.
    pub refunds_open: u64,
    pub active_products: u64,
    pub low_stock: u64,
    pub sold_out: u64,
    /// Open alerts not dismissed, and the first [`Dashboard::LIST`] of them.
    pub alerts_open: u64,
    pub alerts: Vec<AlertRow>,
}

impl Dashboard {
    pub const LIST: u64 = 20;
}

/// Products per page of the stock list.
pub const STOCK_PER_PAGE: u64 = 50;

/// Which products the stock list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StockLevel {
    #[default]
    All,
    /// At or under the low-stock threshold, not sold out.
    Low,
    /// Sold out (active products with no stock).
    Out,
}

impl StockLevel {
    pub const ALL: [Self; 3] = [Self::All, Self::Low, Self::Out];

    pub fn id(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Low => "low",
            Self::Out => "out",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All products",
            Self::Low => "Low stock",
            Self::Out => "Sold out",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// The stock list's filters, as its query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StockFilter {
    /// Part of the name or SKU.
    pub q: Option<String>,
    #[serde(default)]
    pub level: StockLevel,
    #[serde(default = "first_page")]
    pub page: u64,
}

impl StockFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            q: text("q"),
            level: text("level").and_then(|s| StockLevel::parse(&s)).unwrap_or_default(),
            page: text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    pub fn query(&self, page: u64) -> String {
        let mut pairs = Vec::new();
        if let Some(q) = &self.q {
            pairs.push(format!("q={}", encode(q)));
        }
        if self.level != StockLevel::All {
            pairs.push(format!("level={}", self.level.id()));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
    }
}

/// One page of the stock list, with the true count of every match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockPage {
    pub rows: Vec<StockRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// Why staff adjust stock by hand (orders reserve and release their own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdjustReason {
    Received,
    Correction,
    Damaged,
    Returned,
}

impl AdjustReason {
    pub const ALL: [Self; 4] = [Self::Received, Self::Correction, Self::Damaged, Self::Returned];

    pub fn id(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Correction => "correction",
            Self::Damaged => "damaged",
            Self::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "Received from a supplier (+)",
            Self::Correction => "Correction after a count (+ or −)",
            Self::Damaged => "Damaged, written off (−)",
            Self::Returned => "Returned by a customer (+)",
        }
    }
}

#[cfg(feature = "ssr")]
impl From<AdjustReason> for entity::stock_movement::StockReason {
    fn from(r: AdjustReason) -> Self {
        match r {
            AdjustReason::Received => Self::Received,
            AdjustReason::Correction => Self::Correction,
            AdjustReason::Damaged => Self::Damaged,
            AdjustReason::Returned => Self::Returned,
        }
    }
}

/// One row of a product's stock ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementView {
    pub at: String,
    pub delta: i32,
    /// In staff words ("Reserved by an order", "Received", …).
    pub reason: String,
    /// The order that reserved or released it.
    pub order: Option<String>,
    pub by: String,
    pub note: Option<String>,
}

/// A product's stock and its ledger, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStock {
    pub product: StockRow,
    pub movements: Vec<MovementView>,
    /// How many rows the ledger has in all (the page shows the newest).
    pub total_movements: u64,
    /// The sum of every ledger row: equals the stock.
    pub ledger_sum: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_its_query_string() {
        let f = OrderFilter {
            status: Some(OrderStatus::Paid),
            from: Some("2026-12-01".into()),
            to: None,
            email: Some("a+b@x.com".into()),
            number: Some("OB-12".into()),
            sort: OrderSort::TotalDesc,
            page: 3,
        };
        let q = f.query(f.page);
        assert_eq!(q, "?status=paid&from=2026-12-01&email=a%2Bb%40x.com&number=OB-12&sort=total_desc&page=3");
        let pairs: Vec<(String, String)> = url_pairs(&q[1..]);
        let back = OrderFilter::from_query(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()));
        assert_eq!(back, f);
        assert_eq!(OrderFilter::from_query(|k| (k == "page").then(|| "0".into())).page, 1);
        assert_eq!(OrderFilter::from_query(|k| (k == "status").then(|| "nope".into())).status, None);
    }

    fn url_pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                let mut out = Vec::new();
                let b = v.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    if b[i] == b'%' {
                        out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        out.push(b[i]);
                        i += 1;
                    }
                }
                (k.to_owned(), String::from_utf8(out).unwrap())
            })
            .collect()
    }
}

/// What the store did with one provider delivery, as the inbox shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InboxOutcome {
    Applied,
    Held,
    Ignored,
    Refused,
}

impl InboxOutcome {
    pub const ALL: [Self; 4] = [Self::Applied, Self::Held, Self::Ignored, Self::Refused];

    pub fn id(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Held => "held",
            Self::Ignored => "ignored",
            Self::Refused => "refused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Applied",
            Self::Held => "Held for review",
            Self::Ignored => "Changed nothing",
            Self::Refused => "Refused: not verified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.id() == s)
    }
}

/// How many deliveries a page of the inbox shows.
pub const INBOX_PER_PAGE: u64 = 50;

/// The inbox's filters, from the page's query string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxFilter {
    pub provider: Option<String>,
    pub outcome: Option<InboxOutcome>,
    #[serde(default = "first_page")]
    pub page: u64,
}

impl InboxFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            provider: text("provider").filter(|p| p.len() <= 20 && p.bytes().all(|b| b.is_ascii_lowercase())),
            outcome: text("outcome").and_then(|o| InboxOutcome::parse(&o)),
            page: text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    pub fn query(&self, page: u64) -> String {
        let mut pairs = Vec::new();
        if let Some(p) = &self.provider {
            pairs.push(format!("provider={}", encode(p)));
        }
        if let Some(o) = self.outcome {
            pairs.push(format!("outcome={}", o.id()));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
    }
}

/// One delivery in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub id: i32,
    pub provider: String,
    pub event_id: String,
    pub event_type: String,
    /// The order's number, when the event names one of the store's orders.
    pub order: Option<String>,
    pub outcome: InboxOutcome,
    pub deliveries: i32,
    pub detail: Option<String>,
    /// RFC 3339.
    pub received_at: String,
    /// Held, its order still held, not accepted yet: staff may accept it.
    pub replayable: bool,
    /// "Accepted … by …", once accepted.
    pub replayed: Option<String>,
}

/// One page of the inbox, newest first, with the true count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// Which alerts the alert list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    /// Open and not dismissed: what needs doing.
    #[default]
    Open,
    /// Open, dismissed by staff.
    Dismissed,
    /// Closed: restocked, taken off sale or deleted.
    Closed,
}

impl AlertState {
    pub const ALL: [Self; 3] = [Self::Open, Self::Dismissed, Self::Closed];

    pub fn id(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Dismissed => "dismissed",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Dismissed => "Dismissed",
            Self::Closed => "Closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// Alerts per page of the alert list.
pub const ALERTS_PER_PAGE: u64 = 50;

/// The alert list's filters, from its query string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AlertFilter {
    #[serde(default)]
    pub state: AlertState,
    #[serde(default = "first_page")]
    pub page: u64,
}

impl AlertFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Self {
            state: text("state").and_then(|s| AlertState::parse(&s)).unwrap_or_default(),
            page: text("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    pub fn query(&self, page: u64) -> String {
        let mut pairs = Vec::new();
        if self.state != AlertState::Open {
            pairs.push(format!("state={}", self.state.id()));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
    }
}

/// One low-stock alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: i32,
    pub product_id: i32,
    pub name: String,
    pub sku: String,
    /// Sold out, rather than low.
    pub out: bool,
    pub stock: i32,
    pub threshold: i32,
    /// RFC 3339: when the stock fell.
    pub raised_at: String,
    /// "Dismissed … by …", while dismissed.
    pub dismissed: Option<String>,
    /// RFC 3339, once closed.
    pub resolved_at: Option<String>,
}

/// One page of alerts (open ones most urgent first), with the true count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPage {
    pub rows: Vec<AlertRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// A move staff may make on many orders at once from the orders list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BulkOrderMove {
    /// Paid → Processing.
    Prepare,
    /// Shipped → Delivered.
    Deliver,
}

impl BulkOrderMove {
    pub const ALL: [Self; 2] = [Self::Prepare, Self::Deliver];

    pub fn id(self) -> &'static str {
        match self {
            Self::Prepare => "prepare",
            Self::Deliver => "deliver",
        }
    }

    /// The status an order must have, and the one it gets.
    pub fn moves(self) -> (OrderStatus, OrderStatus) {
        match self {
            Self::Prepare => (OrderStatus::Paid, OrderStatus::Processing),
            Self::Deliver => (OrderStatus::Shipped, OrderStatus::Delivered),
        }
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Prepare => "Start preparing selected",
            Self::Deliver => "Mark selected as delivered",
        }
    }
}

/// What a bulk move did, order by order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    /// The status the moved orders have now.
    pub to: OrderStatus,
    /// The orders it moved.
    pub done: Vec<String>,
    /// The orders it left, each with why.
    pub skipped: Vec<(String, String)>,
}

impl BulkReport {
    /// One sentence for staff.
    pub fn summary(&self) -> String {
        let to = self.to;
        let orders = |n: usize| if n == 1 { "1 order".to_owned() } else { format!("{n} orders") };
        let mut text = format!("{} moved to {}.", orders(self.done.len()), to.admin_label());
        if !self.skipped.is_empty() {
            let why: Vec<String> = self.skipped.iter().map(|(n, why)| format!("{n}: {why}")).collect();
            text.push_str(&format!(" {} left as they were ({}).", orders(self.skipped.len()), why.join("; ")));
        }
        text
    }
}
