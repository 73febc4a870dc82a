//! Order wire types shared by browser and server: what a shopper sees of
//! their orders.

use serde::{Deserialize, Serialize};

use crate::checkout::domain::Address;
use crate::money::Money;

/// Where an order is. On the wire (and in form fields) by its [`id`](Self::id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// Every status, in the order of an order's life.
    pub const ALL: [Self; 7] =
        [Self::Pending, Self::Paid, Self::Held, Self::Processing, Self::Shipped, Self::Delivered, Self::Cancelled];

    /// The one place that decides what may follow what, and who may make
    /// the move. Every change of an order's status, by a payment event, the
    /// hold sweeper, a shopper or an admin, is checked here first.
    ///
    /// - The payment provider pays a pending order (or a cancelled one whose
    ///   payment arrived late), holds it for review when the payment is not
    ///   what was ordered, cancels it when the payment expires, and records a
    ///   failed attempt as pending → pending.
    /// - The sweeper cancels a pending order whose hold ended; a shopper's
    ///   newer order cancels their older pending one.
    /// - An admin fulfils (paid → processing → shipped → delivered), cancels
    ///   what has not shipped (pending, paid, held, processing), and accepts a
    ///   held payment after review (held → paid).
    pub fn may_become(self, to: Self, by: Mover) -> bool {
        use Mover::{Admin, Customer, Provider, System};
        use OrderStatus::{Cancelled, Delivered, Held, Paid, Pending, Processing, Shipped};
        match (self, to) {
            (Pending, Pending) => by == Provider,
            (Pending, Paid) | (Pending, Held) | (Cancelled, Paid) | (Cancelled, Held) => by == Provider,
            (Pending, Cancelled) => matches!(by, Provider | System | Customer | Admin),
            (Held, Paid) | (Paid, Processing) | (Processing, Shipped) | (Shipped, Delivered) => by == Admin,
            (Paid | Held | Processing, Cancelled) => by == Admin,
            _ => false,
        }
    }

    /// The statuses an admin may move an order in this status to.
    pub fn admin_next(self) -> Vec<Self> {
        Self::ALL.into_iter().filter(|to| self.may_become(*to, Mover::Admin)).collect()
    }

    /// The back office's button for moving an order to `self`.
    pub fn admin_action(self) -> &'static str {
        match self {
            Self::Paid => "Accept the payment",
            Self::Processing => "Start preparing",
            Self::Shipped => "Mark as shipped",
            Self::Delivered => "Mark as delivered",
            Self::Cancelled => "Cancel the order",
            Self::Pending | Self::Held => "",
        }
    }

    /// In the back office's words.
    pub fn admin_label(self) -> &'static str {
        match self {
            Self::Pending => "Pending payment",
            Self::Paid => "Paid",
            Self::Processing => "Processing",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
            Self::Held => "Held for review",
        }
    }

    /// The status's id in URLs and forms ("pending", "paid", …).
    pub fn id(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Held => "held",
        }
    }

    /// The status with id `s`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.id() == s)
    }

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

/// Who moves an order (see [`OrderStatus::may_become`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mover {
    /// A staff member in the back office.
    Admin,
    /// A payment provider's verified event.
    Provider,
    /// The store itself (the hold sweeper).
    System,
    /// The shopper (placing a newer order).
    Customer,
}

#[cfg(feature = "ssr")]
impl From<OrderStatus> for entity::order::OrderStatus {
    fn from(s: OrderStatus) -> Self {
        match s {
            OrderStatus::Pending => Self::Pending,
            OrderStatus::Paid => Self::Paid,
            OrderStatus::Processing => Self::Processing,
            OrderStatus::Shipped => Self::Shipped,
            OrderStatus::Delivered => Self::Delivered,
            OrderStatus::Cancelled => Self::Cancelled,
            OrderStatus::Held => Self::Held,
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
    /// The carrier's tracking number, once shipped.
    pub tracking: Option<String>,
    /// The refund a cancelled paid order owes, and where it stands.
    pub refund: Option<RefundView>,
}

/// Where the refund of a cancelled order stands, as the shopper is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundState {
    /// Asked of the payment provider (or accepted by it, the money on its way).
    UnderWay,
    Refunded,
    /// The store refunds it by hand (the provider could not).
    Manual,
}

#[cfg(feature = "ssr")]
impl From<entity::order::RefundStatus> for RefundState {
    fn from(s: entity::order::RefundStatus) -> Self {
        use entity::order::RefundStatus as S;
        match s {
            S::Requested | S::Pending => Self::UnderWay,
            S::Refunded => Self::Refunded,
            S::Manual => Self::Manual,
        }
    }
}

/// A cancelled order's refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub state: RefundState,
    pub amount: Money,
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

#[cfg(test)]
mod tests {
    use super::Mover::{self, Admin, Customer, Provider, System};
    use super::OrderStatus::{self, Cancelled, Delivered, Held, Paid, Pending, Processing, Shipped};

    /// Every allowed move, written out by hand from the rules of the store.
    const ALLOWED: &[(OrderStatus, OrderStatus, Mover)] = &[
        (Pending, Pending, Provider),
        (Pending, Paid, Provider),
        (Pending, Held, Provider),
        (Pending, Cancelled, Provider),
        (Pending, Cancelled, System),
        (Pending, Cancelled, Customer),
        (Pending, Cancelled, Admin),
        (Cancelled, Paid, Provider),
        (Cancelled, Held, Provider),
        (Held, Paid, Admin),
        (Held, Cancelled, Admin),
        (Paid, Processing, Admin),
        (Paid, Cancelled, Admin),
        (Processing, Shipped, Admin),
        (Processing, Cancelled, Admin),
        (Shipped, Delivered, Admin),
    ];

    #[test]
    fn every_pair_for_every_mover() {
        let movers = [Admin, Provider, System, Customer];
        let mut checked = 0;
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                for by in movers {
                    let expected = ALLOWED.contains(&(from, to, by));
                    assert_eq!(from.may_become(to, by), expected, "{from:?} → {to:?} by {by:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 7 * 7 * 4);
    }

    #[test]
    fn nothing_leaves_delivered_and_nothing_ships_unpaid() {
        assert!(Delivered.admin_next().is_empty());
        assert!(Cancelled.admin_next().is_empty(), "a cancelled order stays cancelled for staff");
        assert!(!Pending.may_become(Shipped, Admin));
        assert!(!Paid.may_become(Shipped, Admin), "prepared first");
        assert!(!Shipped.may_become(Cancelled, Admin), "a shipped order is returned, not cancelled");
        assert_eq!(Paid.admin_next(), vec![Processing, Cancelled]);
        assert_eq!(Held.admin_next(), vec![Paid, Cancelled]);
    }

    #[test]
    fn ids_round_trip_and_are_the_wire_names() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.id()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.id()));
            assert!(!s.admin_next().iter().any(|to| to.admin_action().is_empty()), "{s:?}");
        }
        assert_eq!(OrderStatus::parse("Paid"), None);
        assert_eq!(OrderStatus::parse(""), None);
    }
}
