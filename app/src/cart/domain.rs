//! Cart wire types and the rules every cart follows, shared by browser and server.

use serde::{Deserialize, Serialize};

use crate::catalog::types::Money;

/// No line holds more than this many of one product.
pub const MAX_PER_LINE: u32 = 10;
/// No cart holds more than this many different products.
pub const MAX_LINES: usize = 50;

/// How many of a product: a whole number from 1 to [`MAX_PER_LINE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quantity(u32);

impl Quantity {
    /// Parses what a shopper typed (or a form sent). Zero is not a quantity:
    /// removing a line is its own action.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter a quantity.");
        }
        if s.starts_with('-') {
            return Err("The quantity must be at least 1.");
        }
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("The quantity must be a whole number.");
        }
        match s.parse::<u32>() {
            Ok(0) => Err("The quantity must be at least 1."),
            Ok(n) if n <= MAX_PER_LINE => Ok(Self(n)),
            _ => Err("At most 10 of one product per order."),
        }
    }

    pub fn new(n: u32) -> Option<Self> {
        (1..=MAX_PER_LINE).contains(&n).then_some(Self(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Parses a product id sent by a form or a stored guest cart.
pub fn parse_product_id(input: &str) -> Result<i32, &'static str> {
    input.trim().parse::<i32>().ok().filter(|id| *id > 0).ok_or("That is not a product of this store.")
}

/// One line of a guest cart as the browser keeps it in `localStorage`.
/// The price is what the shopper last saw, kept only to tell them when it
/// changed; the server never reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestLine {
    pub product_id: i32,
    pub quantity: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_price: Option<Money>,
}

/// A product id and how many, as sent to the server (no price).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    pub product_id: i32,
    pub quantity: u32,
}

/// One line of a cart, priced and checked by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i32,
    pub slug: String,
    pub name: String,
    pub image: Option<String>,
    pub unit_price: Money,
    pub quantity: u32,
    /// Units in stock now (the most this line can hold, with [`MAX_PER_LINE`]).
    pub stock: u32,
}

impl CartLine {
    pub fn total(&self) -> Money {
        Money::new(self.unit_price.minor().saturating_mul(i64::from(self.quantity)), self.unit_price.currency())
    }

    pub fn max_quantity(&self) -> u32 {
        self.stock.min(MAX_PER_LINE)
    }
}

/// Something the server had to change, told to the shopper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartNotice {
    /// Fewer are available than were asked for.
    Reduced { name: String, from: u32, to: u32, stock: u32 },
    /// Sold out: the line was removed.
    SoldOut { name: String },
    /// No longer sold (or never was): the line was removed.
    Unavailable { product_id: i32 },
    /// The price changed since the shopper saw it.
    PriceChanged { name: String, from: Money, to: Money },
    /// The cart was full: these products were not added.
    CartFull { dropped: u32 },
}

impl CartNotice {
    pub fn message(&self) -> String {
        match self {
            Self::Reduced { name, from, to, stock } if *to == MAX_PER_LINE && *stock > MAX_PER_LINE => {
                format!("Reduced {name} from {from} to {to}: at most {MAX_PER_LINE} per order.")
            }
            Self::Reduced { name, from, to, stock } => {
                format!("Reduced {name} from {from} to {to}: only {stock} left.")
            }
            Self::SoldOut { name } => format!("Removed {name}: it is sold out."),
            Self::Unavailable { .. } => "Removed a product that is no longer sold.".to_owned(),
            Self::PriceChanged { name, from, to } => format!("The price of {name} changed from {from} to {to}."),
            Self::CartFull { dropped } => {
                format!("Your cart is full ({MAX_LINES} products): {dropped} more could not be added.")
            }
        }
    }
}

/// A whole cart as the server sees it now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
    pub notices: Vec<CartNotice>,
}

impl CartView {
    pub fn subtotal(&self) -> Money {
        Money::new(
            self.lines.iter().map(|l| l.total().minor()).fold(0i64, i64::saturating_add),
            crate::money::CATALOG_CURRENCY,
        )
    }

    /// Items in the cart (what the header badge shows).
    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The cart as a guest keeps it, with the prices just seen.
    pub fn to_guest_lines(&self) -> Vec<GuestLine> {
        self.lines
            .iter()
            .map(|l| GuestLine { product_id: l.product_id, quantity: l.quantity, seen_price: Some(l.unit_price) })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_numbers_from_one_to_ten() {
        assert_eq!(Quantity::parse(" 3 ").unwrap().get(), 3);
        assert_eq!(Quantity::parse("10").unwrap().get(), 10);
        for (bad, why) in [
            ("0", "at least 1"),
            ("-2", "at least 1"),
            ("1.5", "whole number"),
            ("abc", "whole number"),
            ("1e3", "whole number"),
            ("11", "At most 10"),
            ("99999999999999999999", "At most 10"),
            ("", "Enter"),
            ("+1", "whole number"),
        ] {
            let err = Quantity::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn product_ids_are_positive_integers() {
        assert_eq!(parse_product_id("42"), Ok(42));
        for bad in ["0", "-1", "x", "1.0", ""] {
            assert!(parse_product_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn notices_explain_themselves() {
        let n = CartNotice::Reduced { name: "RTX 4090".into(), from: 3, to: 1, stock: 1 };
        assert_eq!(n.message(), "Reduced RTX 4090 from 3 to 1: only 1 left.");
        let n = CartNotice::Reduced { name: "Mouse".into(), from: 14, to: 10, stock: 50 };
        assert_eq!(n.message(), "Reduced Mouse from 14 to 10: at most 10 per order.");
    }

    #[test]
    fn totals_are_exact() {
        let line = |price, quantity| CartLine {
            product_id: 1,
            slug: "x".into(),
            name: "X".into(),
            image: None,
            unit_price: Money::usd(price),
            quantity,
            stock: 5,
        };
        let cart = CartView { lines: vec![line(19_999, 2), line(1, 3)], notices: vec![] };
        assert_eq!(cart.subtotal(), Money::usd(40_001));
        assert_eq!(cart.count(), 5);
    }
}
