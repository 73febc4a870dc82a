//! Store events on the wire: what the outbox keeps, the bus carries and the
//! back office's live notifications show. Shared by browser and server.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::orders::domain::OrderStatus;

/// Something that happened in the store, written in the same transaction
/// as the change that caused it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoreEvent {
    OrderPlaced {
        number: String,
        total: Money,
        email: String,
    },
    OrderPaid {
        number: String,
        total: Money,
    },
    OrderStatusChanged {
        number: String,
        from: OrderStatus,
        to: OrderStatus,
    },
    /// Stock fell to or under the product's low-stock threshold (but not to zero).
    StockLow {
        product_id: i32,
        name: String,
        stock: i32,
        threshold: i32,
    },
    StockOut {
        product_id: i32,
        name: String,
    },
    /// Stock moved without crossing a threshold (the other stock events
    /// say when it does): app servers bring their catalog up to date.
    StockChanged {
        product_id: i32,
        stock: i32,
    },
    /// Stock climbed back over the product's low-stock threshold.
    StockRestored {
        product_id: i32,
        name: String,
        stock: i32,
        threshold: i32,
    },
    /// Staff created, edited, deleted or restored a product: every app
    /// server brings its search index up to date from the database.
    ProductChanged {
        product_id: i32,
        name: String,
    },
}

impl StoreEvent {
    /// The product the event says changed, if it names one.
    pub fn product_id(&self) -> Option<i32> {
        match self {
            Self::StockChanged { product_id, .. }
            | Self::StockLow { product_id, .. }
            | Self::StockOut { product_id, .. }
            | Self::StockRestored { product_id, .. }
            | Self::ProductChanged { product_id, .. } => Some(*product_id),
            Self::OrderPlaced { .. } | Self::OrderPaid { .. } | Self::OrderStatusChanged { .. } => None,
        }
    }

    /// The event's kind as stored ("order_placed", …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OrderPlaced { .. } => "order_placed",
            Self::OrderPaid { .. } => "order_paid",
            Self::OrderStatusChanged { .. } => "order_status_changed",
            Self::StockLow { .. } => "stock_low",
            Self::StockOut { .. } => "stock_out",
            Self::StockChanged { .. } => "stock_changed",
            Self::StockRestored { .. } => "stock_restored",
            Self::ProductChanged { .. } => "product_changed",
        }
    }

    /// Whether staff are told of it live (stock moving within its bounds on
    /// every sale is for the app servers, not for people).
    pub fn notifies_staff(&self) -> bool {
        !matches!(self, Self::StockChanged { .. })
    }

    /// One line for a staff notification.
    pub fn headline(&self) -> String {
        match self {
            Self::OrderPlaced { number, total, .. } => format!("New order {number} for {total}"),
            Self::OrderPaid { number, total } => format!("Order {number} paid: {total}"),
            Self::OrderStatusChanged { number, from, to } => {
                format!("Order {number}: {} → {}", from.admin_label(), to.admin_label())
            }
            Self::StockLow { name, stock, .. } => format!("Low stock: {name} has {stock} left"),
            Self::StockOut { name, .. } => format!("Sold out: {name}"),
            Self::StockChanged { product_id, stock } => format!("Stock of product {product_id}: {stock}"),
            Self::StockRestored { name, stock, .. } => format!("Restocked: {name} has {stock}"),
            Self::ProductChanged { name, .. } => format!("Product changed: {name}"),
        }
    }
}

/// An event with its identity: the id every subscriber deduplicates by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Unique per event (random), the same however often it is delivered.
    pub id: String,
    /// RFC 3339, UTC: when the change happened.
    pub at: String,
    pub event: StoreEvent,
}
