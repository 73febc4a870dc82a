//! Order wire types shared by browser and server: what a shopper sees of
//! their orders.

use serde::{Deserialize, Serialize};

use crate::checkout::domain::Address;
use crate::money::Money;

/// Where an order is, as shoppers are told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    Pending,
    Paid,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Held,
}

impl OrderStatus {
    /// In shopper words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Awaiting payment",
            Self::Paid => "Paid",
            Self::Processing => "Being prepared",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
            Self::Held => "Payment under review",
        }
    }
}

#[cfg(feature = "ssr")]
impl From<entity::order::OrderStatus> for OrderStatus {
    fn from(s: entity::order::OrderStatus) -> Self {
        use entity::order::OrderStatus as S;
        match s {
            S::Pending => Self::Pending,
            S::Paid => Self::Paid,
            S::Processing => Self::Processing,
            S::Shipped => Self::Shipped,
            S::Delivered => Self::Delivered,
            S::Cancelled => Self::Cancelled,
            S::Held => Self::Held,
        }
    }
}

/// One snapshot line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_id: i32,
    pub name: String,
    pub sku: String,
    pub slug: String,
    pub image: Option<String>,
    pub unit_price: Money,
    pub quantity: u32,
    pub line_total: Money,
}

/// One step of an order's history, in shopper words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub status: OrderStatus,
    pub note: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// An order as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub status: OrderStatus,
    pub email: String,
    pub lines: Vec<OrderLineView>,
    pub subtotal: Money,
    pub shipping: Money,
    pub total: Money,
    pub shipping_label: String,
    pub address: Address,
    pub provider_label: String,
    /// RFC 3339 deadline of the stock hold while the order awaits payment.
    pub pay_by: Option<String>,
    /// The provider reported the latest payment attempt failed (declined):
    /// the order still awaits payment.
    pub payment_failed: bool,
    pub placed_at: String,
    pub history: Vec<OrderEventView>,
}

/// A line of the order history list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub status: OrderStatus,
    pub total: Money,
    pub items: u32,
    pub placed_at: String,
}
